"""The click sheet of a cue: bar by bar, its timecode, meter, tempo and frame-click, and
the sync points that fall in it with their bar|beat|tick and how far the nearest beat is.

Pure: a tempo map and sync points in, rows out (``formats.clicksheet_csv`` and
``formats.clicksheet_pdf`` print them).  Count-in bars (numbered 0, -1, ...) come first
when the map has any; a sync point before the first row goes to the first row, one after
the end of the map to the last row (its position then shows a bar past the end).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.sync.tempomap import Position, TempoMap, format_frameclick
from filmscore.timecode import format_label

SyncPoint = tuple[int, str, str]  # (absolute frame, kind, description)


@dataclass(frozen=True)
class Hit:
    """A sync point in its bar: where it falls in the music, and the nearest beat.

    ``frames_off`` is the nearest beat minus the hit, in frames: positive when the beat
    comes after the start of the hit's frame, negative when before, 0 when on it.
    """

    position: Position
    frames_off: Fraction
    kind: str
    description: str
    frame: int = 0

    # a Hit reads like the (position, frames_off, kind, description) tuple it replaces
    def __iter__(self) -> Iterator:
        return iter((self.position, self.frames_off, self.kind, self.description))


@dataclass(frozen=True)
class SheetRow:
    bar: int
    timecode: str  # of the bar's downbeat (the nearest frame), at the project rate
    frame: int
    seconds: Fraction  # exact, from bar 1
    meter: str
    tempo_bpm: Fraction  # at the bar's start (free time: the segment's nominal tempo)
    frameclick: str  # '12-0', '~12-2' when not exactly a frame-click, '' in free time
    hits: tuple[Hit, ...] = ()
    free: bool = False
    ramp: bool = False  # the tempo changes inside the bar
    count_in: bool = False


@dataclass(frozen=True)
class ClickSheet:
    """The rows and what a header needs.  Iterates, indexes and has a length like a list
    of its rows."""

    cue_label: str
    title: str
    rate_name: str
    start_timecode: str  # of bar 1
    count_in_bars: int
    pickup_beats: int
    rows: tuple[SheetRow, ...] = field(default_factory=tuple)

    def __iter__(self) -> Iterator[SheetRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def hit_count(self) -> int:
        return sum(len(r.hits) for r in self.rows)


def click_sheet(tmap: TempoMap, sync_points: Sequence[SyncPoint], *, cue_label: str = "",
                title: str = "") -> ClickSheet:
    """The click sheet of ``tmap`` with ``sync_points`` placed in their bars."""
    rate = tmap.rate
    first = tmap.segments[0]
    rows: list[SheetRow] = []

    def row(bar: int, seconds: Fraction, meter: str, tempo: Fraction, free: bool,
            ramp: bool, count_in: bool = False) -> SheetRow:
        frame = tmap.frame_at(seconds)
        label = format_label(frame, rate) if frame >= 0 else f"-{format_label(-frame, rate)}"
        return SheetRow(bar, label, frame, seconds, meter, tempo,
                        "" if free else format_frameclick(tempo, rate), free=free,
                        ramp=ramp, count_in=count_in)

    lead_bars = -(-tmap.lead_beats // first.meter.numerator)
    for k in range(lead_bars, 0, -1):
        bar = 1 - k
        rows.append(row(bar, tmap.seconds_of((bar, 1)), str(first.meter), first.tempo_bpm,
                        False, False, count_in=True))
    ramp_bars, bar = set(), 1
    for seg in tmap.segments:
        if seg.is_ramp:
            ramp_bars.update(range(bar, bar + seg.bars))
        bar += seg.bars
    for bar in tmap.bars():
        rows.append(row(bar.number, bar.seconds, str(bar.meter), bar.tempo_bpm, bar.free,
                        bar.number in ramp_bars))

    beat_times = [b.seconds for b in tmap.beats(count_in=True)]
    starts = [r.seconds for r in rows]
    hits: list[list[Hit]] = [[] for _ in rows]
    for frame, kind, description in sorted(sync_points, key=lambda s: s[0]):
        seconds = tmap.seconds_of_frame(frame)
        index = min(max(bisect_right(starts, seconds) - 1, 0), len(rows) - 1)
        nearest = _nearest(beat_times, seconds)
        off = tmap.frames_off(frame, nearest) if nearest is not None else Fraction(0)
        hits[index].append(Hit(tmap.position_at(seconds), off, kind, description, frame))
    rows = [SheetRow(**{**r.__dict__, "hits": tuple(h)}) for r, h in zip(rows, hits,
                                                                          strict=True)]
    return ClickSheet(cue_label, title, rate.name, format_label(tmap.start_frame, rate),
                      tmap.count_in_bars, tmap.pickup_beats, tuple(rows))


def _nearest(times: Sequence[Fraction], t: Fraction) -> Fraction | None:
    if not times:
        return None
    i = bisect_left(times, t)
    candidates = times[max(i - 1, 0):i + 1]
    return min(candidates, key=lambda x: (abs(x - t), x))


def format_frames_off(frames_off: Fraction) -> str:
    """'on the beat', or 'beat +0.25 fr' (beat after the hit) / 'beat -1.50 fr'."""
    if frames_off == 0:
        return "on the beat"
    return f"beat {float(frames_off):+.2f} fr"


def format_hit(hit: Hit) -> str:
    """'3|2|480 hard: door slams (beat +0.25 fr)'."""
    text = f"{hit.position} {hit.kind}"
    if hit.description:
        text += f": {hit.description}"
    return f"{text} ({format_frames_off(hit.frames_off)})"
