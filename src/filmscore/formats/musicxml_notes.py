"""MusicXML notes only, fast: one lxml pass giving the notes music21 gives, for the theme index.

``read_notes(path)`` reads a .musicxml, .xml or .mxl file (through
``musicxml_input.read_musicxml_file``: the input gate, the expanded-size limit of an .mxl,
the value bounds of ``check_values``) into ``Music``: per part (one per staff of a
multi-staff part, as music21 splits a piano into two PartStaffs), every sounding note
with its onset and duration in quarters from bar 1 beat 1 (a pickup has negative onsets)
and its MIDI pitch.  It gives note for note what music21 (10.5) gives through
``converter.parse`` + ``toSoundingPitch`` + ``flatten().stripTies()`` (the theme search's
path in ``bench/themesearch_eval.py``), checked on real orchestral scores in
tests/formats/test_musicxml_notes.py, in about a tenth of music21's time (BENCHMARKS.md,
"Theme index speed").  It is not the product's full reader: ``musicxml.read_music`` keeps
the marks, articulations, tempo map, key and instruments; this one keeps none of them.

How it follows music21, where the file does not say it plainly:

- time: ``<duration>``/``<divisions>`` (divisions carried from measure to measure),
  ``<backup>`` (never before the bar's start) and ``<forward>``; a chord takes its first
  note's duration; a measure lasts as far as its furthest note or rest reaches (an empty
  measure, a time signature's length), as music21's ``adjustTimeAttributesFromMeasure``;
  a lone whole rest or ``measure="yes"`` rest fills its bar.
- pitch: ``<transpose>`` (chromatic + 12 x octave-change) from the measure where it is
  written (the first one applies from the start), as ``toSoundingPitch`` does; ``<double>``
  is ignored, as music21 ignores it; microtones are rounded (Python's ``round``) and
  pitches outside 0-127 are clamped.
- ties: music21's ``stripTies`` is not "join each tie to its stop": it walks the part's
  notes and rests in time order (voices interleaved, the upper voice first at a shared
  onset) and joins a run that starts with a tie, ending at the first note marked "stop"
  whatever its pitch, or at a note of the same pitch right after the run.  We follow that
  walk exactly (``_strip_ties``), including its odd results: a tie that another voice's
  tie start interrupts is left open (two notes), and a stop of another pitch closes the
  run (the first note lengthened by the other's duration), and a tie continued from an
  A with a natural shown to an A without one is cut, as music21's Pitch equality counts
  the shown natural (Beethoven's Grosse Fuge, bar 387).  Where that differs from the
  notation, music21 is the one that is wrong; we keep its answer so that the index is
  the same whichever reader built it.  ``ties="notation"`` joins them as the page means
  them, as the product's ``musicxml.read_music`` does: then the notes are read_music's,
  note for note (checked on the five Hauptstimme movements, Mozart's 41st/ii and the
  demo's full scores), but for unpitched percussion, which read_music gives as the
  General MIDI key its ``<instrument>`` names and this reader leaves out (a triangle is
  no theme).
- dropped: grace notes (no duration), rests, unpitched percussion, notes of no duration.
- part names: ``<part-name>`` (stripped, newlines as spaces), else ``Part N``; the meter
  is the first time signature of the first part; the bars are the first part's measures.

What it loses: everything but the notes, the meter, the bars and the length in seconds
(``ScoreNotes.seconds``, from ``<sound tempo>`` and ``<metronome>`` marks, 100 quarters
a minute before the first); cue notes are kept as notes (music21 keeps them); ottava
lines (``<octave-shift>``) do not change the pitch (music21 10.5's ``toSoundingPitch``
does not either: the written pitch under an 8va line is what both give).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from lxml import etree

from filmscore.errors import InputError, ParseError
from filmscore.formats.musicxml_input import (
    SUFFIXES,
    check_values,
    read_musicxml_file,
    read_number,
    require_partwise,
)
from filmscore.limits import is_digits
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Music, Note, Part

_VALID = "a MusicXML 1.0-4.0 file (.musicxml, .xml or compressed .mxl)"
_STEP = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_BEAT_UNIT = {"whole": Fraction(4), "half": Fraction(2), "quarter": Fraction(1),
              "eighth": Fraction(1, 2), "16th": Fraction(1, 4), "32nd": Fraction(1, 8),
              "breve": Fraction(8)}
_DEFAULT_DIVISIONS = 10080  # music21's when a part never says
_DEFAULT_BPM = 100.0
#: music21's names of MusicXML <accidental>s that it names otherwise
_ACCIDENTAL_NAMES = {"sharp-sharp": "double-sharp", "flat-flat": "double-flat",
                     "quarter-sharp": "half-sharp", "quarter-flat": "half-flat",
                     "three-quarters-sharp": "one-and-a-half-sharp",
                     "three-quarters-flat": "one-and-a-half-flat"}
#: music21's Accidental(alter) names
_ALTER_NAMES = {0.0: "natural", 1.0: "sharp", -1.0: "flat", 2.0: "double-sharp",
                -2.0: "double-flat", 3.0: "triple-sharp", -3.0: "triple-flat",
                0.5: "half-sharp", -0.5: "half-flat", 1.5: "one-and-a-half-sharp",
                -1.5: "one-and-a-half-flat"}  # quarters a minute before the first tempo mark


@dataclass(frozen=True)
class ScoreNotes:
    """What the theme index needs of a score: its ``music`` (onsets from bar 1 beat 1),
    the first part's measures as (onset, number) in ``bars``, ``origin`` (where bar 1 is,
    in quarters from the start of the first measure: a pickup's length) and the length in
    ``seconds`` at the score's own tempo marks."""

    music: Music
    bars: tuple[tuple[Fraction, int], ...]
    origin: Fraction
    seconds: float


class _El:
    """A music21 GeneralNote of the flattened part: a note, chord, rest or unpitched."""

    __slots__ = ("offset", "key", "dur", "kind", "members", "tie", "shift", "spelled")

    def __init__(self, offset: Fraction, key: tuple, dur: Fraction, kind: str,
                 members: list[tuple[str, float, float, str | None, str]], tie: str | None):
        self.offset = offset
        self.key = key  # music21's order among elements at one offset
        self.dur = dur
        self.kind = kind  # "note", "chord", "rest", "unpitched"
        # pitched members: (music21's spelling "A natural/5", ps, alter, tie, "A0/5")
        self.members = members
        self.tie = tie  # a Note's tie, a Chord's first tied member's
        self.shift = 0  # semitones to sounding pitch
        self.spelled = True  # compare pitches by their spelling, not their alteration

    @property
    def has_pitch(self) -> bool:
        return self.kind == "note"

    @property
    def pitches(self) -> list:
        return [] if self.kind == "rest" else self.members


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _tie(note: etree._Element) -> str | None:
    types = [t.get("type") for t in note.iterfind("tie") if t.get("type") is not None]
    if not types:
        return None
    if len(types) == 1:
        return types[0]
    if "start" in types and "stop" in types:
        return "continue"
    return "start"  # music21's Tie() default when it cannot tell


def _bar_quarters(time: etree._Element) -> tuple[Fraction, Meter | None] | None:
    """A <time>'s bar length in quarters and its Meter (None when no Meter fits)."""
    beats = [_text(b) for b in time.iterfind("beats")]
    types = [_text(b) for b in time.iterfind("beat-type")]
    if not beats or not types:
        return None  # senza-misura
    total, numerator = Fraction(0), 0
    try:
        for b, t in zip(beats, types, strict=False):
            count = sum(int(x) for x in b.replace("+", " ").split())
            total += Fraction(4 * count, int(t))
            numerator += count
        meter = Meter(numerator, int(types[0]))
    except (ValueError, ZeroDivisionError, InputError):
        return (total, None) if total > 0 else None
    return total, meter


class _Part:
    """One <part> read as music21's PartParser reads it (times and elements only).

    Times are counted in ticks, ``ticks`` to a quarter (the least common multiple of the
    part's <divisions>), so that the pass adds whole numbers: Fractions, which music21's
    offsets are, made reading three times slower.  They become quarters when the notes
    are made."""

    def __init__(self, element: etree._Element, source: str, finale: bool):
        self.source = source
        self.finale = finale
        found = [_text(d) for d in element.iter("divisions")]
        if all(is_digits(d) and int(d) > 0 for d in found):
            self.ticks = math.lcm(*(int(d) for d in found)) if found else _DEFAULT_DIVISIONS
        else:  # a decimal <divisions>: ticks are quarters, times Fractions
            self.ticks = 1
        scale = Fraction(self.ticks, _DEFAULT_DIVISIONS)  # before the first <divisions>
        self._scale: int | Fraction = int(scale) if scale.denominator == 1 else scale
        self.measures: list[tuple[Fraction, int]] = []
        self.elements: list[tuple[int, _El]] = []  # (staff or 0, element)
        self.staff_keys: set[int] = set()
        self.max_staves = 1
        # (from, (semitones, by a unison or octaves) or None): music21's instruments
        self.transpositions: list[tuple[int | Fraction, tuple[int, bool] | None]] = \
            [(0, None)]
        self.meter: Meter | None = None
        self.tempos: list[tuple[Fraction, float]] = []
        self._bar: int | Fraction | None = None  # the last time signature's bar, in ticks
        self._offset: int | Fraction = 0  # music21's lastMeasureOffset
        for index, measure in enumerate(element.iterfind("measure")):
            self._measure(measure, index)

    def _measure(self, measure: etree._Element, index: int) -> None:
        source = self.source
        digits = "".join(c for c in measure.get("number", "") if is_digits(c))
        self.measures.append((self._offset, int(digits) if digits else 0))
        children = [c for c in measure if isinstance(c.tag, str)]
        voices = sorted({v for c in children if c.tag in ("note", "forward")
                         for v in [_text(c.find("voice"))] if v})
        rank = {v: i for i, v in enumerate(voices)} if len(voices) > 1 else None
        last_voice: str | None = None
        pos = highest = 0
        notes = rests = 0
        lone_rest: tuple[_El, etree._Element] | None = None
        pending: list[etree._Element] = []
        transposition: int | None = None
        time_here: int | Fraction | None = None
        seq = 0
        for i, child in enumerate(children):
            tag = child.tag
            if tag == "note":
                after = children[i + 1] if i + 1 < len(children) else None
                next_chord = (after is not None and after.tag == "note"
                              and after.find("chord") is not None)
                is_rest = child.find("rest") is not None
                if next_chord and (v := _text(child.find("voice"))):
                    last_voice = v
                increment = 0
                if child.find("chord") is not None or next_chord:
                    pending.append(child)
                else:
                    if is_rest:
                        rests += 1
                    else:
                        notes += 1
                    voice = _text(child.find("voice")) or last_voice
                    if _text(child.find("voice")):
                        last_voice = _text(child.find("voice"))
                    el = self._element([child], pos, (index, self._rank(rank, voice), seq))
                    seq += 1
                    self._add(child, el)
                    if is_rest:
                        lone_rest = (el, child)
                    increment = el.dur
                    highest = max(highest, pos + el.dur)
                if pending and not next_chord:
                    voice = next((v for m in pending if (v := _text(m.find("voice")))), None)
                    if voice:
                        last_voice = voice
                    el = self._element(pending, pos,
                                       (index, self._rank(rank, voice or last_voice), seq))
                    seq += 1
                    self._add(pending[0], el)
                    increment = el.dur
                    highest = max(highest, pos + el.dur)
                    pending = []
                pos += increment
            elif tag == "backup":
                if (text := _text(duration := child.find("duration"))):
                    pos = max(pos - self._ticks(text, duration), 0)
            elif tag == "forward":
                if (text := _text(duration := child.find("duration"))):
                    change = self._ticks(text, duration)
                    if self.finale:  # music21 makes Finale's forwards hidden rests
                        voice = _text(child.find("voice")) or last_voice
                        el = _El(self._offset + pos, (index, self._rank(rank, voice), seq),
                                 change, "rest", [], None)
                        seq += 1
                        self._add(child, el)
                        highest = max(highest, pos + change)
                    pos += change
            elif tag == "attributes":
                for part in child:
                    ptag = part.tag
                    if ptag == "divisions":
                        value = read_number(part, source, "divisions")
                        if value > 0:
                            scale = self.ticks / value
                            self._scale = int(scale) if scale.denominator == 1 else scale
                    elif ptag == "time":
                        found = _bar_quarters(part)
                        if found is not None:
                            if time_here is None and pos == 0:
                                bar = found[0] * self.ticks
                                time_here = int(bar) if bar.denominator == 1 else bar
                            if self.meter is None and found[1] is not None:
                                self.meter = found[1]
                    elif ptag == "staves":
                        try:
                            self.max_staves = max(self.max_staves, int(_text(part)))
                        except ValueError:
                            pass
                    elif ptag == "transpose":
                        transposition = self._semitones(part)
                    if ptag in ("clef", "key", "time", "staff-details") \
                            and is_digits(part.get("number", "")):
                        self.staff_keys.add(int(part.get("number")))
            elif tag == "direction":
                if is_digits(staff := _text(child.find("staff"))):
                    self.staff_keys.add(int(staff))
                self._tempo(child, pos)
            elif tag == "sound":
                self._tempo(child, pos)
        if transposition is not None:
            if index == 0:
                self.transpositions[0] = (0, transposition)
            elif self.transpositions[-1][1] != transposition:
                self.transpositions.append((self._offset, transposition))
        if time_here is not None:
            self._bar = time_here
        if notes == 0 and rests == 1 and lone_rest is not None:
            self._fill_bar(*lone_rest)
            highest = max(highest, lone_rest[0].offset - self._offset + lone_rest[0].dur)
        self._advance(highest, notes + rests > 0)

    @staticmethod
    def _rank(rank: dict[str, int] | None, voice: str | None) -> int:
        if rank is None:
            return 0
        return rank.get(voice or "", len(rank))  # outside the voices: after them

    def _ticks(self, text: str, duration: etree._Element) -> int | Fraction:
        """A <duration> (its element and its stripped text) in ticks."""
        if is_digits(text):
            return int(text) * self._scale
        return read_number(duration, self.source, "duration") * self._scale

    def _fill_bar(self, el: _El, note: etree._Element) -> None:
        """music21 stretches a measure's lone rest to the bar: when it says measure="yes",
        or is an undotted whole or breve rest of another length."""
        bar = self._bar if self._bar is not None else 4 * self.ticks
        rest = note.find("rest")
        whole = (_text(note.find("type")) in ("whole", "breve") and note.find("dot") is None
                 and note.find("time-modification") is None)
        if rest.get("measure") == "yes" or (el.dur != bar and whole):
            el.dur = bar

    def _advance(self, highest: int | Fraction, has_notes: bool) -> None:
        bar = self._bar if self._bar is not None else 4 * self.ticks
        if highest == bar:
            shift = highest
        elif highest > bar:
            diff = Fraction(highest - bar, self.ticks)  # in quarters
            round_amount = diff > Fraction(1, 2) or (diff * 16).denominator == 1 \
                or (diff * 12).denominator == 1
            shift = highest if round_amount else bar
        elif highest == 0 and not has_notes:
            shift = bar  # an empty measure: music21 fills it with a bar's rest
        else:  # a short measure (a pickup, a bar before a repeat): as long as it is
            shift = highest
        self._offset += shift

    def _semitones(self, transpose: etree._Element) -> tuple[int, bool]:
        """(semitones, whether the interval is a unison or octaves: music21 keeps a
        pitch's accidental then, and spells it anew otherwise)."""
        chromatic = _text(transpose.find("chromatic"))
        diatonic = _text(transpose.find("diatonic"))
        octave = _text(transpose.find("octave-change"))
        try:
            semitones = int(Fraction(chromatic or "0")) + 12 * int(octave or "0")
            steps = int(diatonic) + 7 * int(octave or "0") if diatonic else None
            unison = semitones % 12 == 0 if steps is None else steps % 7 == 0
            return semitones, unison
        except (ValueError, ZeroDivisionError):
            raise ParseError("<transpose> is not a whole number of semitones",
                             source=self.source, line=transpose.sourceline,
                             field="transpose", value=(chromatic or octave)[:40],
                             valid="e.g. <chromatic>-2</chromatic>") from None

    def _tempo(self, element: etree._Element, pos: int | Fraction) -> None:
        at = Fraction(self._offset + pos, self.ticks)
        sound = element if element.tag == "sound" else element.find("sound")
        if sound is not None and sound.get("tempo"):
            try:
                bpm = float(sound.get("tempo"))
            except ValueError:
                return
            if bpm > 0:
                self.tempos.append((at, bpm))
            return
        metronome = element.find("direction-type/metronome")
        if metronome is not None:
            unit = _BEAT_UNIT.get(_text(metronome.find("beat-unit")))
            try:
                per = float(_text(metronome.find("per-minute")))
            except ValueError:
                return
            if unit is not None and per > 0:
                dots = len(metronome.findall("beat-unit-dot"))
                unit = unit * (2 - Fraction(1, 2 ** dots))
                self.tempos.append((at, per * float(unit)))

    def _add(self, note: etree._Element, el: _El) -> None:
        staff = _text(note.find("staff"))
        key = int(staff) if is_digits(staff) else 0
        if key:
            self.staff_keys.add(key)
        self.elements.append((key, el))

    def _element(self, group: list[etree._Element], pos: int | Fraction, key: tuple) -> _El:
        first = group[0]
        dur: int | Fraction = 0
        if first.find("grace") is None and (text := _text(duration := first.find("duration"))):
            dur = self._ticks(text, duration)
        members = []
        unpitched = rest = False
        for note in group:
            pitch = note.find("pitch")
            if pitch is None:
                unpitched |= note.find("unpitched") is not None
                rest |= note.find("rest") is not None
                continue
            step = _text(pitch.find("step")).upper()
            alter_element = pitch.find("alter")
            alter_text = _text(alter_element)
            alter = (float(read_number(alter_element, self.source, "alter"))
                     if alter_text else 0.0)
            octave_text = _text(pitch.find("octave")) or "4"
            if not is_digits(octave_text.lstrip("-")):
                raise ParseError("<octave> is not a whole number", source=self.source,
                                 line=pitch.sourceline, field="octave",
                                 value=octave_text[:40], valid="-1 to 9")
            octave = int(octave_text)
            if step not in _STEP:
                raise ParseError("<step> is not a note name", source=self.source,
                                 line=pitch.sourceline, field="step", value=step[:40],
                                 valid="A to G")
            ps = (octave + 1) * 12 + _STEP[step] + alter
            # music21's Pitch: the <accidental> shown, else one made from <alter> (a
            # natural for <alter>0</alter>), else none; stripTies compares these
            shown = _text(note.find("accidental"))
            if shown:
                accidental = _ACCIDENTAL_NAMES.get(shown, shown)
            elif alter_text:
                accidental = _ALTER_NAMES.get(alter, str(alter))
            else:
                accidental = ""
            members.append((f"{step} {accidental}/{octave}", ps, alter, _tie(note),
                            f"{step}{alter:g}/{octave}"))
        if len(group) > 1:
            kind = "chord"
            tie = next((m[3] for m in members if m[3] is not None), None)
            if tie is None and unpitched:
                tie = next((t for n in group if (t := _tie(n)) is not None), None)
        elif members:
            kind, tie = "note", members[0][3]
        elif rest:
            kind, tie = "rest", None
        else:
            kind, tie = "unpitched", _tie(first) if unpitched else None
        return _El(self._offset + pos, key, dur, kind, members, tie)

    def staves(self) -> list[list[_El]]:
        """The part's elements, one list per music21 Part or PartStaff."""
        if self.max_staves > 1 and self.staff_keys:
            keys = sorted(self.staff_keys)
            return [[el for staff, el in self.elements if staff in (key, 0)] for key in keys]
        return [[el for _, el in self.elements]]


def _end_match(n: _El, last: _El | None, last_connected: bool) -> bool:
    """music21's ``stripTies`` ``updateEndMatch`` (matchByPitch=True)."""
    if n.kind in ("note", "unpitched") and n.tie == "stop":
        return True
    if last is None or not last_connected:
        return False
    if last.kind == "note" and n.kind == "note":
        # music21's Pitch equality: the same step, octave and accidental, so a written
        # A-natural and an A without an accidental differ (its bug: the tie between them
        # is not joined); after a transposition by another interval than octaves the
        # accidentals are made anew (naturals left out) and only the alteration counts
        which = 0 if last.spelled and n.spelled else 4
        return last.members[0][which] == n.members[0][which]
    if n.kind != "note":
        a, b = last.pitches, n.pitches
        if len(a) != len(b):
            return False
        # same step and the same sounding pitch (isEnharmonic), member by member
        return all(x[0][0] == y[0][0] and x[1] == y[1] for x, y in zip(a, b, strict=True))
    return False


def _all_continue(n: _El) -> bool:
    if n.tie != "continue":
        return False
    return n.kind != "chord" or all(m[3] == "continue" for m in n.members)


def _strip_ties(elements: list[_El]) -> list[_El]:
    """music21's ``Stream.stripTies`` on a flat part, step for step (see the module
    docstring): the elements left, the first of each joined run lengthened."""
    seq = [el for el in elements if el.dur > 0]
    connected: list[int] = []
    deleted: set[int] = set()
    for i, n in enumerate(seq):
        last = seq[i - 1] if i else None
        end: bool | None = None
        if n.kind != "rest" and n.tie == "start":
            if i == 0 or (i - 1) not in connected:
                connected = [i]
            else:
                connected.append(i)
            end = False
        elif n.kind != "rest" and n.tie == "continue":
            if not connected:
                connected.append(i)
            elif _end_match(n, last, (i - 1) in connected):
                connected.append(i)
            else:
                connected = [i]
            end = False
        if end is None:
            end = _end_match(n, last, i > 0 and (i - 1) in connected)
        if end:
            connected.append(i)
            if len(connected) < 2:
                connected = []
                continue
            first = seq[connected[0]]
            for j in connected[1:]:
                first.dur += seq[j].dur
                deleted.add(j)
            first.tie = None
            connected = []
    return [el for i, el in enumerate(seq) if i not in deleted]


def _transpose(elements: list[_El],
               transpositions: list[tuple[int | Fraction, tuple[int, bool] | None]]) -> None:
    """Give each element its instrument's transposition (from the instrument's offset up
    to the next one's, as music21's ``_transposeByInstrument``)."""
    bounds = [t[0] for t in transpositions[1:]]
    k = 0
    for el in elements:  # in time order
        while k < len(bounds) and bounds[k] <= el.offset:
            k += 1
        found = transpositions[k][1]
        if found is not None:
            el.shift, el.spelled = found


def _sounding(elements: list[_El], ticks: int, zero: Fraction) -> list[Note]:
    """The pitched notes at sounding pitch, in quarters from ``zero``."""
    notes: list[Note] = []
    for el in elements:
        if el.kind in ("rest", "unpitched") or not el.members:
            continue
        onset, dur = Fraction(el.offset, ticks) - zero, Fraction(el.dur, ticks)
        for member in el.members:
            notes.append(Note(onset, dur, min(127, max(0, round(member[1] + el.shift)))))
    return notes


def _notation_ties(elements: list[_El], ticks: int, zero: Fraction) -> list[Note]:
    """The pitched notes at sounding pitch with ties joined as the page means them, as
    ``musicxml.read_music`` joins them: a note tied on to the next note of its pitch that
    starts where it ends, in any voice."""
    rows: list[list] = []  # [onset, duration, pitch]
    open_ties: dict[int, int] = {}  # pitch -> index in rows of a note still tied on
    for el in elements:
        if el.kind in ("rest", "unpitched") or not el.members or el.dur <= 0:
            continue
        onset, dur = Fraction(el.offset, ticks) - zero, Fraction(el.dur, ticks)
        chord_tie = next((m[3] for m in el.members if m[3] is not None), None)
        for member in el.members:
            pitch = min(127, max(0, round(member[1] + el.shift)))
            kind = member[3] or chord_tie
            held = open_ties.get(pitch)
            if kind in ("stop", "continue") and held is not None \
                    and rows[held][0] + rows[held][1] == onset:
                rows[held][1] += dur
                if kind == "stop":
                    del open_ties[pitch]
                continue
            rows.append([onset, dur, pitch])
            if kind in ("start", "continue"):
                open_ties[pitch] = len(rows) - 1
            else:
                open_ties.pop(pitch, None)
    return [Note(o, d, p) for o, d, p in rows]


def _seconds(tempos: list[tuple[Fraction, float]], end: Fraction) -> float:
    marks = sorted(tempos, key=lambda t: t[0])
    seconds, at, bpm = 0.0, Fraction(0), _DEFAULT_BPM
    for start, value in marks:
        if start > at:
            seconds += float(min(start, end) - at) * 60.0 / bpm
            at = min(start, end)
        bpm = value
    return seconds + float(max(end - at, 0)) * 60.0 / bpm


def _root(data: bytes, source: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise ParseError("not well-formed XML", source=source, line=line,
                         valid=_VALID) from None
    require_partwise(root, source=source)
    return root


def _name(score_part: etree._Element | None) -> str:
    if score_part is None:
        return ""
    found = score_part.find("part-name")
    text = found.text if found is not None else None
    return (text or "").strip().replace("\n", " ")


TIES = ("music21", "notation")


def parse_notes(data: bytes, *, source: str, from_bar_one: bool = True,
                ties: str = "music21") -> ScoreNotes:
    """The notes of the (uncompressed) MusicXML ``data``; ``source`` names the file in
    errors.  Onsets count from bar 1 beat 1 (Music's convention), or with
    ``from_bar_one=False`` from the start of the first measure (music21's offsets).
    ``ties``: "music21" joins tied notes as music21's ``stripTies`` does (the theme
    search's reading until now, quirks included: see the module docstring); "notation"
    as the product's ``musicxml.read_music`` does (each tie to the next note of its
    pitch starting where it ends, whatever the voice or the accidental shown)."""
    if ties not in TIES:
        raise InputError("not a way of joining ties", field="ties", value=ties,
                         valid=", ".join(TIES))
    root = _root(data, source)
    check_values(root, source=source)
    software = " ".join(_text(s) for s in root.iterfind("identification/encoding/software"))
    finale = "Finale" in software  # music21's applyFinaleWorkarounds
    score_parts = {sp.get("id"): sp for sp in root.iterfind("part-list/score-part")}
    read: list[tuple[str, _Part]] = []
    for part in root.iterfind("part"):
        read.append((_name(score_parts.get(part.get("id"))), _Part(part, source, finale)))
    if not read:
        raise ParseError("the score has no parts", source=source, valid=_VALID)
    first = read[0][1]
    origin = next((Fraction(offset, first.ticks) for offset, number in first.measures
                   if number == 1), Fraction(0))
    zero = origin if from_bar_one else Fraction(0)
    parts: list[Part] = []
    for name, part in read:
        for elements in part.staves():
            elements.sort(key=lambda el: (el.offset, el.key))
            _transpose(elements, part.transpositions)
            if ties == "music21":
                notes = _sounding(_strip_ties(elements), part.ticks, zero)
            else:
                notes = _notation_ties(elements, part.ticks, zero)
            parts.append(Part(name or f"Part {len(parts) + 1}", tuple(notes)))
    meter = next((p.meter for _, p in read if p.meter is not None), None) or Meter()
    music = Music(tuple(parts), meter=meter, title=Path(source).stem)
    end = Fraction(first._offset, first.ticks)  # the first part's length
    bars = tuple((Fraction(offset, first.ticks) - zero, number)
                 for offset, number in first.measures)
    tempos = first.tempos or [t for _, p in read for t in p.tempos]
    return ScoreNotes(music, bars, origin, _seconds(tempos, end))


def read_score_notes(path: str | os.PathLike[str], *, from_bar_one: bool = True,
                     ties: str = "music21") -> ScoreNotes:
    """``parse_notes`` of the file ``path`` (.musicxml, .xml or .mxl), read within the
    input limits."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError("not a MusicXML file name", source=str(path), value=path.suffix,
                         valid=", ".join(SUFFIXES))
    return parse_notes(read_musicxml_file(path), source=str(path), from_bar_one=from_bar_one,
                       ties=ties)


def read_notes(path: str | os.PathLike[str], *, ties: str = "music21") -> Music:
    """The sounding notes of a MusicXML file as Music, onsets from bar 1 beat 1: what the
    theme index reads (see the module docstring for what it keeps; ``ties`` as in
    ``parse_notes``)."""
    return read_score_notes(path, ties=ties).music


__all__ = ["TIES", "ScoreNotes", "parse_notes", "read_notes", "read_score_notes"]
