"""A full score as plain values, for the playability check: parts, their instruments,
sounding notes, instrument changes, tempo marks.  Made by the MusicXML adapter
:mod:`filmscore.formats.score_survey`; read by :mod:`filmscore.orchestration.check`."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from fractions import Fraction

from filmscore.orchestration.instruments import Instrument, get_instrument

DEFAULT_TEMPO_BPM = Fraction(120)


@dataclass(frozen=True)
class SurveyNote:
    """One pitched note of a part (tied notes merged), at sounding pitch."""

    onset: Fraction  # quarters from the start of the first measure
    duration: Fraction  # quarters; 0 for a grace note
    pitch: int  # sounding MIDI number
    written: int  # written MIDI number (as on the part)
    measure: str  # measure number as printed ("12", "0" for a pickup, "12a" ...)
    beat: Fraction  # 1-based beat in the measure's meter
    chord_size: int = 1  # notes in the chord it belongs to (1: not a chord tone)
    grace: bool = False

    @property
    def end(self) -> Fraction:
        return self.onset + self.duration

    @property
    def is_chord_tone(self) -> bool:
        return self.chord_size > 1


@dataclass(frozen=True)
class InstrumentChange:
    """A point in a part where the player takes another instrument (or a mute)."""

    onset: Fraction
    measure: str
    beat: Fraction
    instrument_key: str | None  # None for a mute change
    text: str  # what the score says ("muta in Piccolo", "con sord.", an instrument name)
    mute: bool = False


@dataclass(frozen=True)
class PartSurvey:
    """What a checker needs to know of one part."""

    id: str
    name: str
    abbreviation: str
    instrument_key: str | None
    identified_from: str  # the text the instrument was identified from ("" when not)
    nominal_key: int | None  # pitch class of the key named in "Clarinet in A" (9), else None
    declared_transposition: int | None  # semitones at the start; None: no <transpose>
    transpositions: tuple[tuple[str, int], ...]  # (measure, semitones) where it changes
    key_signatures: tuple[tuple[str, int], ...]  # (measure, fifths) where it changes
    notes: tuple[SurveyNote, ...]
    unpitched_notes: int
    grace_notes: int
    changes: tuple[InstrumentChange, ...]
    players: int | None  # None: a string section
    players_from: str  # how the players were guessed
    texts: tuple[tuple[Fraction, str], ...] = field(default=(), repr=False)

    @property
    def instrument(self) -> Instrument | None:
        return get_instrument(self.instrument_key) if self.instrument_key else None


@dataclass(frozen=True)
class ScoreSurvey:
    """A full score as plain values: parts, tempo marks, measures."""

    source: str
    title: str
    parts: tuple[PartSurvey, ...]
    tempo_marks: tuple[tuple[Fraction, Fraction], ...]  # (onset, quarter BPM), sorted
    tempo_defaulted: bool  # True when the file has no tempo mark (120 assumed)
    measures: tuple[tuple[str, Fraction, Fraction], ...]  # (number, onset, quarters)

    def seconds(self, start: Fraction, end: Fraction) -> Fraction:
        """Seconds between two onsets (quarters) under the tempo marks."""
        if end < start:
            return -self.seconds(end, start)
        marks = self.tempo_marks or ((Fraction(0), DEFAULT_TEMPO_BPM),)
        at = [m[0] for m in marks]
        total = Fraction(0)
        cursor = start
        index = max(0, bisect_right(at, start) - 1)
        while cursor < end:
            bpm = marks[index][1]
            stop = marks[index + 1][0] if index + 1 < len(marks) else end
            stop = min(max(stop, cursor), end)
            total += (stop - cursor) * 60 / bpm
            cursor = stop
            index += 1
            if index >= len(marks):
                total += (end - cursor) * 60 / bpm
                break
        return total
