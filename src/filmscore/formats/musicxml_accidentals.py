"""Accidentals as a copyist writes them, recomputed over a MusicXML part through lxml.

:func:`respell_accidentals` throws away every <accidental> of a part's pitched notes and
writes them again from the written pitches (after any transposition): the key signature in
force, what the bar has already altered on that staff line (bar memory: an accidental holds
for the same step and octave on the same staff to the end of the bar) and ties (a note tied
over from the bar before takes no accidental, but it does not set the new bar's memory).
Courtesy accidentals (``cautionary="yes"``, in parentheses) are written only where they
help a player:

- the first note of a step and octave in the bar after the one that altered it, when it
  goes back to the key (F#4 in bar 5, F4 in bar 6: a courtesy natural);
- the first such note after a note tied over the bar line carried an alteration;
- a note that goes back to the key when the same step was altered in another octave
  earlier in the bar (F#5 then F4).

A natural is never written on a note the key and the bar leave unaltered, and
``<alter>0</alter>`` is dropped.  Unpitched notes and rests are left alone; an alteration
without a glyph of ours (e.g. 1/4 tones beyond the table) keeps its source accidental.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from lxml import etree

from filmscore.formats.musicxml_edit import ACCIDENTALS, number_of

__all__ = ["key_alterations", "respell_accidentals"]

SHARP_ORDER = "FCGDAEB"
#: the children of <note> that come after <accidental> in the schema's order
AFTER_ACCIDENTAL = ("time-modification", "stem", "notehead", "notehead-text", "staff",
                    "beam", "notations", "lyric", "play", "listen")


def key_alterations(key: etree._Element) -> dict[str, Fraction]:
    """The alteration of each step under a <key> (traditional <fifths> or the
    non-traditional <key-step>/<key-alter> pairs); steps not named are natural."""
    out: dict[str, Fraction] = {}
    fifths_el = key.find("fifths")
    if fifths_el is not None:
        fifths = int(number_of(fifths_el))
        if fifths > 0:
            for step in SHARP_ORDER[:min(fifths, 7)]:
                out[step] = Fraction(1) + (1 if fifths > 7 + SHARP_ORDER.index(step) else 0)
        elif fifths < 0:
            flats = SHARP_ORDER[::-1]
            for step in flats[:min(-fifths, 7)]:
                out[step] = Fraction(-1) - (1 if -fifths > 7 + flats.index(step) else 0)
        return out
    steps = [e.text.strip() for e in key.iterfind("key-step") if e.text]
    alters = [number_of(e) for e in key.iterfind("key-alter")]
    for step, alter in zip(steps, alters, strict=False):
        out[step] = alter
    return out


@dataclass
class _Note:
    onset: Fraction
    order: int
    staff: str
    element: etree._Element
    step: str
    octave: int
    alter: Fraction
    tie_start: bool
    tie_stop: bool


def _note_facts(note: etree._Element, onset: Fraction, order: int) -> _Note | None:
    pitch = note.find("pitch")
    if pitch is None:
        return None
    step = (pitch.findtext("step") or "").strip()
    if step not in "CDEFGAB" or not step:
        return None
    ties = {t.get("type") for t in note.iterfind("tie")} | \
        {t.get("type") for t in note.iterfind("notations/tied")}
    return _Note(onset, order, (note.findtext("staff") or "1").strip(), note, step,
                 int(number_of(pitch.find("octave"), Fraction(4))),
                 number_of(pitch.find("alter")), "start" in ties, "stop" in ties)


def _events(measure: etree._Element, divisions: Fraction
            ) -> tuple[list[tuple[Fraction, int, object]], Fraction]:
    """(onset in divisions, document order, note facts or a <key>) of a measure, and the
    divisions after it."""
    events: list[tuple[Fraction, int, object]] = []
    cursor = Fraction(0)
    last_onset = Fraction(0)
    for order, child in enumerate(measure):
        tag = child.tag
        if tag == "note":
            chord = child.find("chord") is not None
            onset = last_onset if chord else cursor
            facts = _note_facts(child, onset / divisions, order)
            if facts is not None:
                events.append((facts.onset, order, facts))
            if not chord:
                last_onset = cursor
                if child.find("grace") is None:
                    cursor += number_of(child.find("duration"))
        elif tag == "backup":
            cursor -= number_of(child.find("duration"))
        elif tag == "forward":
            cursor += number_of(child.find("duration"))
        elif tag == "attributes":
            divisions = number_of(child.find("divisions"), divisions) or divisions
            for key in child.iterfind("key"):
                events.append((cursor / divisions, order, key))
    events.sort(key=lambda e: (e[0], e[1]))
    return events, divisions


def _set_accidental(note: etree._Element, alter: Fraction, courtesy: bool) -> None:
    glyph = ACCIDENTALS[alter]
    element = etree.Element("accidental")
    element.text = glyph
    if courtesy:  # in parentheses, as MuseScore and verovio both print it
        element.set("cautionary", "yes")
        element.set("parentheses", "yes")
    for index, child in enumerate(note):
        if child.tag in AFTER_ACCIDENTAL:
            note.insert(index, element)
            return
    note.append(element)


def respell_accidentals(measures: Sequence[etree._Element], notes: list[str] | None = None
                        ) -> int:
    """Rewrite the accidentals of a part's measures (see the module docstring); returns
    how many accidentals are written.  An alteration we have no glyph for is told in
    ``notes`` ("bar 3: <alter> 0.25 on D: its accidental kept as written")."""
    divisions = Fraction(1)
    keys: dict[str, dict[str, Fraction]] = {}  # staff ("*" for all) -> step -> alter
    carried: dict[Place, Fraction] = {}  # altered in the bar before
    open_ties: set[tuple[str, str, int, Fraction]] = set()
    written = 0
    for measure in measures:
        events, divisions = _events(measure, divisions)
        bar = _Bar()
        for _, _, item in events:
            if not isinstance(item, _Note):
                staff = item.get("number") or "*"
                if staff == "*":
                    keys.clear()
                keys[staff] = key_alterations(item)
                bar.memory.clear()
                carried = {}
                continue
            key_alter = keys.get(item.staff, keys.get("*", {})).get(item.step, Fraction(0))
            if item.alter not in ACCIDENTALS and notes is not None:
                notes.append(f"bar {measure.get('number') or '?'}: <alter> "
                             f"{float(item.alter):g} on {item.step}: its accidental kept as "
                             "written")
            written += _respell(item, key_alter, bar, carried, open_ties)
        carried = bar.altered
    return written


Place = tuple[str, str, int]  # staff, step, octave


@dataclass
class _Bar:
    """What a bar remembers while its notes are spelled."""

    memory: dict[Place, Fraction] = field(default_factory=dict)  # alteration in force
    tied_in: dict[Place, Fraction] = field(default_factory=dict)  # tied over the bar line
    altered: dict[Place, Fraction] = field(default_factory=dict)  # off the key at bar end
    last_seen: dict[Place, int] = field(default_factory=dict)
    changed: dict[tuple[str, str], tuple[int, int, Fraction]] = field(default_factory=dict)
    seq: int = 0


def _respell(note: _Note, key_alter: Fraction, bar: _Bar, carried: dict[Place, Fraction],
             open_ties: set) -> int:
    place = (note.staff, note.step, note.octave)
    if note.alter in ACCIDENTALS:
        for old in note.element.findall("accidental"):
            note.element.remove(old)
    alter_el = note.element.find("pitch/alter")
    if alter_el is not None and note.alter == 0:
        alter_el.getparent().remove(alter_el)
    tie_key = (note.staff, note.step, note.octave, note.alter)
    if note.tie_stop and tie_key in open_ties:
        if not note.tie_start:
            open_ties.discard(tie_key)
        if place not in bar.memory and note.alter != key_alter:
            bar.tied_in[place] = note.alter  # tied over the bar line: no sign, no memory
            bar.altered[place] = note.alter
        return 0
    if note.tie_start:
        open_ties.add(tie_key)
    if note.alter not in ACCIDENTALS:
        bar.memory[place] = note.alter
        return 0
    bar.seq += 1
    written = 0
    current = bar.memory.get(place, key_alter)
    if note.alter != current:
        _set_accidental(note.element, note.alter, False)
        bar.changed[(note.staff, note.step)] = (bar.seq, note.octave, note.alter)
        written = 1
    elif _courtesy(note, place, bar, carried):
        _set_accidental(note.element, note.alter, True)
        written = 1
    bar.tied_in.pop(place, None)
    bar.memory[place] = note.alter
    bar.last_seen[place] = bar.seq
    if note.alter != key_alter:
        bar.altered[place] = note.alter
    else:
        bar.altered.pop(place, None)
    return written


def _courtesy(note: _Note, place: Place, bar: _Bar, carried: dict[Place, Fraction]) -> bool:
    """Whether a note that needs no accidental gets a courtesy one (module docstring)."""
    if place in bar.tied_in and bar.tied_in[place] != note.alter:
        return True
    first = place not in bar.last_seen
    if first and place in carried and carried[place] != note.alter:
        return True
    change = bar.changed.get((note.staff, note.step))
    if change is None:
        return False
    seq, octave, alter = change
    return octave != note.octave and alter != note.alter and \
        seq > bar.last_seen.get(place, 0)
