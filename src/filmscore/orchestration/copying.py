"""Copying: a cue's film marks (tempo, sync points) for parts and scores, and the arithmetic
of copying (spelled transposition, multi-bar rest runs).

Pure: a tempo map and sync points in, marks positioned in exact quarter notes from bar 1
beat 1 out (a pickup or count-in is negative).  ``formats.musicxml_parts`` writes them into
MusicXML parts and scores.

A sync point is a ``SyncSpec`` (``frame``, ``kind``, ``description``), a click-sheet tuple
``(frame, kind, description)`` with an absolute ``int`` frame, or the same tuple with a
``Fraction`` of seconds from bar 1 in place of the frame.  Its rehearsal label is its
letter in sync order (A, B, ... Z, AA, AB, ...), its number (1, 2, ...) or the number of
the bar it falls in.  Positions in a ramp are exact to 1/960 of a beat (floored), exact
elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from filmscore.errors import InputError
from filmscore.sync.tempomap import TempoMap, format_bpm, format_frameclick
from filmscore.timecode import Rate, format_feet, format_label, get_rate

LABEL_STYLES = ("letters", "numbers", "bars")
BEAT_UNITS = {1: "whole", 2: "half", 4: "quarter", 8: "eighth", 16: "16th", 32: "32nd"}
STEPS = "CDEFGAB"
NATURAL_SEMITONES = (0, 2, 4, 5, 7, 9, 11)


# --- the marks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What heads page 1 of a cue's parts and score: the cue number (large, boxed, top
    left), the cue's title and the film's, the credits, the cue's length and a note."""

    film_title: str
    cue_number: str
    cue_title: str
    composer: str = ""
    note: str = ""
    orchestrator: str = ""
    length: str = ""  # the cue's running time, e.g. "0:44+12"
    span: str = ""  # its timecodes, e.g. "01:00:12:09 - 01:01:17:00"

    @property
    def cue_label(self) -> str:
        """'1M3 The Fight'."""
        return " ".join(t for t in (self.cue_number.strip(), self.cue_title.strip()) if t)

    @property
    def credits(self) -> tuple[str, ...]:
        """The credit lines as printed: 'Music: ...', 'Orchestration: ...'."""
        out = []
        for label, name in (("Music", self.composer), ("Orchestration", self.orchestrator)):
            name = name.strip()
            if name:
                has_label = name.lower().startswith(("music", "orchestrat", "arr", "by "))
                out.append(name if has_label else f"{label}: {name}")
        return tuple(out)


@dataclass(frozen=True)
class SyncMark:
    """A sync point over the music: where (quarters from bar 1 beat 1), its name in the
    cue's list (A, B, ...: not printed; rehearsal letters are structural, see
    :func:`rehearsal_bars`), its timecode, what happens there, its weight and kind as
    spotted, and its footage from the cue's start ('12+04', when the project asks)."""

    quarters: Fraction
    label: str
    timecode: str
    text: str = ""
    weight: float = 1.0
    kind: str = ""
    feet: str = ""

    @property
    def stamp(self) -> str:
        """What the players read: the timecode, and the footage when there is one (two
        no-break spaces apart: an engraver keeps them)."""
        return "\u00a0\u00a0".join(t for t in (self.timecode, self.feet) if t)


@dataclass(frozen=True)
class TempoMark:
    """A tempo: from ``quarters`` on, ``bpm`` beats of ``beat_unit`` a minute (a MusicXML
    beat-unit, a trailing '.' for dotted), its frame-click ('12-0') and words ('rit.')."""

    quarters: Fraction
    bpm: Fraction
    beat_unit: str = "quarter"
    click: str = ""
    text: str = ""

    @property
    def quarter_bpm(self) -> Fraction:
        """The tempo in quarter notes a minute (MusicXML <sound tempo>)."""
        return Fraction(self.bpm) * beat_unit_quarters(self.beat_unit)


_UNIT_QUARTERS = {"breve": Fraction(8), "whole": Fraction(4), "half": Fraction(2),
                  "quarter": Fraction(1), "eighth": Fraction(1, 2), "16th": Fraction(1, 4),
                  "32nd": Fraction(1, 8)}


def beat_unit_quarters(beat_unit: str) -> Fraction:
    """Length of a beat unit in quarters: 'quarter' 1, 'eighth' 1/2, 'quarter.' 3/2."""
    base = beat_unit.rstrip(".")
    dots = len(beat_unit) - len(base)
    if base not in _UNIT_QUARTERS or dots > 2:
        raise InputError("not a beat unit", field="beat_unit", value=beat_unit,
                         valid=", ".join(_UNIT_QUARTERS) + " (a '.' after it for dotted)")
    value = _UNIT_QUARTERS[base]
    return value * (2 - Fraction(1, 2 ** dots))


def rehearsal_label(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA', 27 -> 'AB' (spreadsheet columns)."""
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(ord("A") + rem) + text
    return text


def _sync_fields(point: Any) -> tuple[int | Fraction, str, str, float]:
    if hasattr(point, "frame"):
        return (point.frame, getattr(point, "kind", ""),
                getattr(point, "description", "") or "", float(getattr(point, "weight", 1.0)))
    if isinstance(point, (tuple, list)) and point:
        where = point[0]
        kind = point[1] if len(point) > 1 else ""
        text = point[2] if len(point) > 2 else ""
        weight = point[3] if len(point) > 3 else 1.0
        return where, kind or "", text or "", float(weight)
    raise InputError("not a sync point", field="sync_points", value=repr(point),
                     valid="a SyncSpec or (frame, kind, description[, weight])")


def quarters_at(tmap: TempoMap, seconds: Fraction) -> Fraction:
    """Position of ``seconds`` (from bar 1 beat 1) in quarter notes from bar 1 beat 1."""
    seconds = Fraction(seconds)
    first = tmap.segments[0]
    if seconds < 0:
        return seconds / first.beat_seconds(tmap.rate) * first.meter.beat_quarters
    start, quarters = Fraction(0), Fraction(0)
    for index, seg in enumerate(tmap.segments):
        duration = seg.duration(tmap.rate)
        bq = seg.meter.beat_quarters
        local = seconds - start
        last = index == len(tmap.segments) - 1
        if local < duration or last:
            if local >= duration:  # past the end: the final tempo goes on
                beats = Fraction(seg.beats) + (local - duration) * seg.tempo_at(
                    Fraction(seg.beats), tmap.rate) / 60
            elif seg.is_free:
                beats = local / duration * seg.beats
            elif not seg.is_ramp:
                beats = local / seg.beat_seconds(tmap.rate)
            else:
                position = tmap.position_at(seconds)
                bar_in_seg = position.bar - sum(s.bars for s in tmap.segments[:index]) - 1
                beats = (bar_in_seg * seg.meter.numerator + position.beat - 1
                         + Fraction(position.tick, seg.meter.ticks_per_beat))
            return quarters + beats * bq
        start += duration
        quarters += seg.beats * bq
    raise AssertionError("unreachable")  # pragma: no cover


def _bar_of(tmap: TempoMap, quarters: Fraction) -> int:
    """The bar number in which a position (quarters from bar 1) falls."""
    first = tmap.segments[0]
    if quarters < 0:
        bar_q = first.meter.numerator * first.meter.beat_quarters
        return 1 - int(-quarters // bar_q) - (0 if (-quarters) % bar_q == 0 else 1)
    bar, at = 1, Fraction(0)
    for seg in tmap.segments:
        bar_q = seg.meter.numerator * seg.meter.beat_quarters
        if quarters < at + seg.bars * bar_q:
            return bar + int((quarters - at) // bar_q)
        bar += seg.bars
        at += seg.bars * bar_q
    last = tmap.segments[-1]
    return bar + int((quarters - at) // (last.meter.numerator * last.meter.beat_quarters)) - 1


def tempo_marks(tmap: TempoMap, *, rate: Rate | str | None = None) -> tuple[TempoMark, ...]:
    """A mark at the start and at every change of tempo, beat or kind (ramp, free time)."""
    rate = get_rate(rate) if rate is not None else tmap.rate
    marks: list[TempoMark] = []
    at = -Fraction(tmap.pickup_beats) * tmap.segments[0].meter.beat_quarters
    previous: tuple | None = None
    for index, seg in enumerate(tmap.segments):
        unit = BEAT_UNITS[seg.meter.denominator]
        if seg.is_free:
            bpm = seg.tempo_at(Fraction(0), tmap.rate)
            state: tuple = ("free", unit, bpm)
            mark = TempoMark(at, bpm, unit, "", "free time (no click)")
        else:
            state = ("ramp" if seg.is_ramp else "steady", unit, seg.tempo_bpm,
                     seg.end_tempo_bpm if seg.is_ramp else None)
            text = ""
            if seg.is_ramp:
                end = seg.end_tempo_bpm
                text = ("accel." if end > seg.tempo_bpm else "rit.")  # type: ignore[operator]
                text += f" to {format_bpm(end)} ({format_frameclick(end, rate)})"  # type: ignore
            elif previous is not None and previous[0] != "steady":
                text = "a tempo"
            mark = TempoMark(at, seg.tempo_bpm, unit, format_frameclick(seg.tempo_bpm, rate), text)
        if state != previous or state[0] == "free":
            marks.append(mark)
        previous = state
        if index == 0:
            at = Fraction(0)
        at += seg.beats * seg.meter.beat_quarters
    return tuple(marks)


def sync_marks(tmap: TempoMap, sync_points: Sequence[Any], *, rate: Rate | str | None = None,
               labels: str = "letters", feet_from: int | None = None,
               gauge: str = "35mm4p") -> tuple[SyncMark, ...]:
    """Sync points as marks in time order, named by ``labels``; with ``feet_from`` (the
    cue's first frame) each also carries its footage from there on ``gauge``."""
    if labels not in LABEL_STYLES:
        raise InputError("not a rehearsal label style", field="labels", value=labels,
                         valid=", ".join(LABEL_STYLES))
    rate = get_rate(rate) if rate is not None else tmap.rate
    placed = []
    for point in sync_points:
        where, kind, text, weight = _sync_fields(point)
        if isinstance(where, int) and not isinstance(where, bool):
            frame = where
            seconds = tmap.seconds_of_frame(frame)
        elif isinstance(where, Fraction):
            seconds = where
            frame = tmap.frame_at(seconds)
        else:
            raise InputError("a sync point needs a frame (int) or seconds (Fraction)",
                             field="sync_points", value=repr(where),
                             valid="an absolute frame number or exact seconds from bar 1")
        timecode = format_label(frame, rate) if frame >= 0 else ""
        words = text or ("" if kind in ("", "hard") else kind)
        feet = ""
        if feet_from is not None and frame >= feet_from:
            feet = format_feet(frame - feet_from, gauge)
        placed.append((seconds, quarters_at(tmap, seconds), timecode, words, weight, kind,
                       feet))
    placed.sort(key=lambda p: p[0])
    out = []
    for index, (_, quarters, timecode, words, weight, kind, feet) in enumerate(placed):
        if labels == "letters":
            label = rehearsal_label(index)
        elif labels == "numbers":
            label = str(index + 1)
        else:
            label = str(_bar_of(tmap, quarters))
        out.append(SyncMark(quarters, label, timecode, words, weight, kind, feet))
    return tuple(out)


def cue_marks(tmap: TempoMap, sync_points: Sequence[Any] = (), *,
              rate: Rate | str | None = None, labels: str = "letters",
              feet_from: int | None = None, gauge: str = "35mm4p"
              ) -> tuple[tuple[TempoMark, ...], tuple[SyncMark, ...]]:
    """The tempo marks and sync marks of a cue (``rate`` for frame-clicks and timecodes;
    the tempo map's own rate when not given; ``feet_from``: footage from that frame)."""
    return (tempo_marks(tmap, rate=rate),
            sync_marks(tmap, sync_points, rate=rate, labels=labels, feet_from=feet_from,
                       gauge=gauge))


# --- spelled transposition -------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A spelled interval: ``diatonic`` steps and ``chromatic`` semitones, octaves included
    (a major ninth down is -8, -14).  MusicXML's <transpose> is written + interval = sounding.
    """

    diatonic: int = 0
    chromatic: int = 0

    @classmethod
    def from_musicxml(cls, diatonic: int = 0, chromatic: int = 0, octave_change: int = 0
                      ) -> Interval:
        return cls(diatonic + 7 * octave_change, chromatic + 12 * octave_change)

    def to_musicxml(self) -> tuple[int, int, int]:
        """(diatonic, chromatic, octave-change) with whole octaves in octave-change."""
        octaves = int(self.diatonic / 7)  # toward zero
        return self.diatonic - 7 * octaves, self.chromatic - 12 * octaves, octaves

    @property
    def octaves(self) -> Interval:
        """Only the whole octaves of this interval (kept in a score in C)."""
        octaves = self.to_musicxml()[2]
        return Interval(7 * octaves, 12 * octaves)

    @property
    def fifths(self) -> int:
        """Moves on the line of fifths (a fifth up: 1, a major second down: -2)."""
        return 7 * self.chromatic - 12 * self.diatonic

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.diatonic - other.diatonic, self.chromatic - other.chromatic)

    def __neg__(self) -> Interval:
        return Interval(-self.diatonic, -self.chromatic)

    def __bool__(self) -> bool:
        return bool(self.diatonic or self.chromatic)


def transpose_pitch(step: str, alter: Fraction, octave: int, interval: Interval
                    ) -> tuple[str, Fraction, int]:
    """Spelled transposition: (step, alter, octave) moved by ``interval`` (Bb4 by a major
    second down is Ab4; C#5 by a perfect fifth up is G#5)."""
    index = STEPS.index(step)
    total = octave * 7 + index + interval.diatonic
    new_octave, new_index = divmod(total, 7)
    semitone = 12 * octave + NATURAL_SEMITONES[index] + alter + interval.chromatic
    new_alter = semitone - 12 * new_octave - NATURAL_SEMITONES[new_index]
    return STEPS[new_index], Fraction(new_alter), new_octave


def transposition_label(interval: Interval) -> str:
    """How a transposed part is labelled: the key of its instrument ('in B\u266d' for a
    part that sounds a major second below what is written, 'in F', 'in E\u266d', 'in A');
    '' at concert pitch or for an octave transposition (piccolo, double bass)."""
    if not interval or interval == interval.octaves:
        return ""
    step, alter, _ = transpose_pitch("C", Fraction(0), 4, interval)
    signs = "\u266d" * int(-alter) if alter < 0 else "\u266f" * int(alter)
    return f"in {step}{signs}"


def transpose_fifths(fifths: int, interval: Interval) -> int:
    """A key signature moved by ``interval`` (C major, 0, up a major second: 2)."""
    return fifths + interval.fifths


# --- multi-bar rests ---------------------------------------------------------------------


def rest_runs(restful: Sequence[bool], breaks_before: Sequence[bool],
              breaks_after: Sequence[bool], *, minimum: int = 2) -> list[tuple[int, int]]:
    """Runs of ``minimum`` or more whole-bar rests as (first index, length).

    A bar with ``breaks_before`` (a rehearsal mark, tempo, meter or key change) may only
    start a run; one with ``breaks_after`` (a double bar, a repeat) may only end one.
    """
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, rest in enumerate(restful):
        if start is not None and (not rest or breaks_before[i]):
            if i - start >= minimum:
                runs.append((start, i - start))
            start = None
        if rest and start is None:
            start = i
        if start is not None and breaks_after[i]:
            if i + 1 - start >= minimum:
                runs.append((start, i + 1 - start))
            start = None
    if start is not None and len(restful) - start >= minimum:
        runs.append((start, len(restful) - start))
    return runs
