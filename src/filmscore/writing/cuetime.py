"""Musical time on a cue: the meter its notes ask for, its bars, and the solved grid.

``meter_for(cue)`` reads the meter a cue's spotting notes ask for ("bouncy 2/4", "in
3/4", "a waltz") through the vocabulary in ``METER_WORDS`` (data), 4/4 when nothing is
asked.  The rest places frames on the cue's tempo map as quarter notes from bar 1: a hit
goes to the nearest point of the grid the map was solved on (eighths when a quarter-note
map was solved with subdivision 2), so a sketch never needs a tuplet the music does not
have.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

from filmscore.spotting.cues import CueSpec
from filmscore.sync.tempomap import TICKS_PER_QUARTER, Meter, Position, TempoMap

#: Words in a cue's mood or notes that ask for a meter (checked after an explicit "N/D").
METER_WORDS: tuple[tuple[str, Meter], ...] = (
    (r"\bwaltz", Meter(3, 4)),
    (r"\bin (?:three|3)\b", Meter(3, 4)),
    (r"\bin (?:two|2)\b", Meter(2, 4)),
    (r"\balla breve\b|\bcut time\b", Meter(2, 2)),
    (r"\bjig\b|\bbarcarolle\b", Meter(6, 8)),
)
#: An explicit time signature in the text: "2/4", "3/4", "6/8", "12/8" (not "1/2").
_EXPLICIT = re.compile(r"(?<![\d/])([2-9]|1[0-5])\s*/\s*(2|4|8|16)(?![\d/])")
#: The cue fields read, in order: the first that asks decides.
METER_FIELDS: tuple[str, ...] = ("mood", "notes", "instrumentation")


def meter_asked(text: str) -> Meter | None:
    """The meter a piece of text asks for (an explicit N/D first, then METER_WORDS)."""
    lowered = " ".join(text.lower().split())
    match = _EXPLICIT.search(lowered)
    if match:
        return Meter(int(match[1]), int(match[2]))
    for pattern, meter in METER_WORDS:
        if re.search(pattern, lowered):
            return meter
    return None


def meter_for(cue: CueSpec) -> Meter:
    """The meter a cue's spotting notes ask for (mood, then notes, then instrumentation);
    4/4 when none does."""
    for name in METER_FIELDS:
        found = meter_asked(getattr(cue, name) or "")
        if found is not None:
            return found
    return Meter()


# --- bars and positions -------------------------------------------------------------------


def bar_quarters(meter: Meter) -> Fraction:
    return meter.numerator * meter.beat_quarters


def bar_starts(tmap: TempoMap, until: Fraction) -> list[tuple[Fraction, Meter]]:
    """(start in quarters, meter) of each bar from bar 1, continuing past the map."""
    out, q = [], Fraction(0)
    for seg in tmap.segments:
        for _ in range(seg.bars):
            out.append((q, seg.meter))
            q += bar_quarters(seg.meter)
    last = tmap.segments[-1].meter
    while q <= until + 8:
        out.append((q, last))
        q += bar_quarters(last)
    return out


def quarters_of(tmap: TempoMap, position: Position) -> Fraction:
    """A bar|beat|tick position as quarter notes from bar 1 beat 1."""
    ticks = Fraction(position.tick, TICKS_PER_QUARTER)
    if position.bar < 1:
        meter = tmap.segments[0].meter
        return (position.bar - 1) * bar_quarters(meter) \
            + (position.beat - 1) * meter.beat_quarters + ticks
    q, bar = Fraction(0), 1
    meter = tmap.segments[0].meter
    for seg in tmap.segments:
        meter = seg.meter
        if position.bar < bar + seg.bars:
            break
        q += seg.bars * bar_quarters(seg.meter)
        bar += seg.bars
    return q + (position.bar - bar) * bar_quarters(meter) \
        + (position.beat - 1) * meter.beat_quarters + ticks


def frame_quarters(tmap: TempoMap, frame: int) -> Fraction:
    """Where a frame's start falls, in quarter notes from bar 1 (floored to the tick)."""
    return quarters_of(tmap, tmap.position_at(tmap.seconds_of_frame(frame)))


def grid_of(tmap: TempoMap, subdivision: int = 2) -> Fraction:
    """The grid a map solved with ``subdivision`` lands hits on, in quarters (an eighth
    for quarter-note beats and subdivision 2; a sixteenth in 6/8)."""
    return tmap.segments[0].meter.beat_quarters / max(1, subdivision)


def on_grid(q: Fraction, grid: Fraction) -> Fraction:
    """``q`` rounded to the nearest point of the grid (halves round up)."""
    return Fraction(math.floor(q / grid + Fraction(1, 2))) * grid


def hit_quarters(tmap: TempoMap, frame: int, grid: Fraction = Fraction(1, 2)) -> Fraction:
    """A hit's musical position: the frame's position rounded to the nearest grid point
    (an eighth by default)."""
    return on_grid(frame_quarters(tmap, frame), grid)


def meter_at(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Meter:
    return next((m for q, m in reversed(bars) if q <= t), bars[0][1] if bars else Meter())


def bar_at(bars: Sequence[tuple[Fraction, Meter]], t: Fraction) -> Fraction:
    """The start of the bar holding ``t``."""
    return max((q for q, _ in bars if q <= t), default=Fraction(0))


def strong_points(bars: Sequence[tuple[Fraction, Meter]]) -> list[Fraction]:
    """Where a phrase may start: every bar line, and the middle of bars of an even number
    of beats above two (beat 3 of 4/4, the second dotted quarter of 6/8)."""
    out = []
    for q, meter in bars:
        out.append(q)
        if meter.numerator % 2 == 0 and meter.numerator > 2:
            out.append(q + bar_quarters(meter) / 2)
    return out
