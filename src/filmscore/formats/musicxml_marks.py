"""Film marks, final bar lines and multi-bar rests in a MusicXML part's measures, via lxml.

Used by :mod:`filmscore.formats.musicxml_parts`.  :func:`add_marks` writes tempo marks as a
<direction> with words, <metronome> and <sound tempo>, then the frame-click ('12-0 fc') as
its own words; each sync point as its timecode (and footage) in a <words> direction at its
exact place (before the note of the first voice that starts there, else before the one
sounding then, with an <offset>) on the timecode line (``default-y``, an ``id`` that names
it and its weight, so that the engraver can stagger or thin crowded ones), and in the score
what happens then on a line above; rehearsal letters as square <rehearsal> marks at the
start of their bars.  :func:`add_final_barline` ends a part with a light-heavy bar line.
:func:`source_tempos` and :func:`copy_source_tempos` carry the top part's tempo
directions into another part.  :func:`add_multirests` marks runs of two or more whole-bar
rests as <measure-style><multiple-rest> (a run starts at meter/key/clef changes and at a
bar with a direction, and ends at double bars, repeats and endings).

What it loses: when film tempo marks are given, the source's metronome marks and
<sound tempo> are removed (its tempo words stay); a bar with a direction only starts a
multi-bar rest (verovio 6.4 keeps the directions of a multi-rest's first bar only) and one
with a chord symbol or figured bass is never in one; a place inside a bar is found along
its first voice (up to its first <backup>).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from fractions import Fraction

from lxml import etree

from filmscore.formats.musicxml_edit import (
    fraction_text,
    insert_in_attributes,
    number_of,
    sub_element,
)
from filmscore.orchestration.copying import SyncMark, TempoMark, rest_runs
from filmscore.sync.tempomap import format_bpm

__all__ = ["add_final_barline", "add_marks", "add_multirests", "apply_layout", "copy_source_tempos",
           "mark_id", "source_tempos"]

BREAKING_ATTRIBUTES = ("key", "time", "clef", "transpose", "staves", "measure-style")


def _divisions(measures: Sequence[etree._Element]) -> list[Fraction]:
    """The divisions in effect at the start of each measure."""
    out, divisions = [], Fraction(1)
    for measure in measures:
        out.append(divisions)
        for element in measure.iterfind("attributes/divisions"):
            divisions = number_of(element, divisions) or divisions
    return out


def _insert_at(measure: etree._Element, offset: Fraction, direction: etree._Element,
               divisions: Fraction) -> None:
    """Insert a <direction> at ``offset`` quarters into the measure: before the note of the
    first voice that starts there, else before the one sounding then, with an <offset>."""
    children = list(measure)
    lead = 0
    while lead < len(children) and children[lead].tag in ("print", "attributes"):
        found = children[lead].find("divisions")
        divisions = number_of(found, divisions) or divisions
        lead += 1
    cursor = Fraction(0)
    exact: int | None = None
    best: tuple[int, Fraction] = (lead, Fraction(0))
    stop = len(children)
    for index in range(lead, len(children)):
        child = children[index]
        tag = child.tag
        if tag == "backup":
            stop = index
            break
        if tag == "attributes":
            divisions = number_of(child.find("divisions"), divisions) or divisions
        if tag not in ("note", "forward") or child.find("chord") is not None:
            continue
        where = cursor / divisions
        if where == offset and exact is None:
            exact = index
        if where <= offset:
            best = (index, where)
        if child.find("grace") is None:
            cursor += number_of(child.find("duration"))
    if exact is None and cursor / divisions <= offset:
        best = (stop, cursor / divisions)
        exact = stop if cursor / divisions == offset else None
    if exact is None:
        index, where = best
        shift = etree.Element("offset")
        shift.text = fraction_text((offset - where) * divisions)
        direction.findall("direction-type")[-1].addnext(shift)
        exact = index
    measure.insert(exact, direction)


def _direction(*types: etree._Element, placement: str = "above",
               sound: dict[str, str] | None = None) -> etree._Element:
    direction = etree.Element("direction", placement=placement)
    for inner in types:
        holder = sub_element(direction, "direction-type")
        holder.append(inner)
    if sound:
        sub_element(direction, "sound", **sound)
    return direction


def _element(tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.Element(tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    element.text = text
    return element


#: the lines above the staff the film's marks stand on, as <direction default-y> (tenths
#: above the top staff line; verovio aligns the marks of one default-y as one line, its
#: vgrp): sync timecodes, the line a crowded timecode moves up to, and (in the score) what
#: happens on screen
TIMECODE_LINE = 45
STAGGER_LINE = 60
TEXT_LINE = 75
#: a sync point's description over the score's top staff is cut to this many characters
TEXT_CHARACTERS = 36
#: at most this many texts (timecodes, descriptions, the source's own words) in one bar
#: of one staff; a text of SHORT_TEXT characters or fewer is a playing indication
TEXTS_PER_BAR = 2
SHORT_TEXT = 5


#: the id of the key to a percussion staff (its <direction> under bar 1, written with the
#: staff by ``musicxml_shortscore``): not one of the bar's texts (``_long_words``)
KEY_ID = "fs-key"


def mark_id(kind: str, index: int, weight: float) -> str:
    """The id of a film mark's <direction> ('fs-tc-3-w2'): the engraver thins crowded
    marks by it (the lighter first)."""
    return f"fs-{kind}-{index}-w{weight:g}"


def _sync_directions(mark: SyncMark, index: int, describe: bool) -> list[etree._Element]:
    """The sync point's timecode (and footage) on the timecode line; in the score, what
    happens then on the line above it."""
    out = []
    if mark.stamp:
        direction = _direction(_element("words", mark.stamp, font_size="9",
                                        default_y=str(TIMECODE_LINE)))
        direction.set("id", mark_id("tc", index, mark.weight))
        out.append(direction)
    text = " ".join(mark.text.split())
    if describe and text:
        if len(text) > TEXT_CHARACTERS:
            text = text[:TEXT_CHARACTERS - 1].rstrip() + "\u2026"
        direction = _direction(_element("words", text, font_size="8", font_style="normal",
                                        default_y=str(TEXT_LINE)))
        direction.set("id", mark_id("text", index, mark.weight))
        out.append(direction)
    return out


def _rehearsal(label: str) -> etree._Element:
    return _direction(_element("rehearsal", label, enclosure="square", font_weight="bold",
                               font_size="14"))


def _tempo_directions(mark: TempoMark, index: int) -> list[etree._Element]:
    """The tempo (words, metronome, <sound tempo>), then the frame-click as its own words
    (verovio writes a direction's words before its metronome, whatever their order)."""
    types = []
    if mark.text:
        types.append(_element("words", mark.text, font_weight="bold"))
    metronome = etree.Element("metronome", parentheses="no")
    unit = mark.beat_unit.rstrip(".")
    sub_element(metronome, "beat-unit", unit)
    for _ in range(len(mark.beat_unit) - len(unit)):
        sub_element(metronome, "beat-unit-dot")
    sub_element(metronome, "per-minute", format_bpm(Fraction(mark.bpm)))
    types.append(metronome)
    out = [_direction(*types, sound={"tempo": format_bpm(mark.quarter_bpm)})]
    if mark.click:
        out.append(_direction(_element("words", f"({mark.click} fc)", font_size="9")))
        out[-1].set("id", f"fs-click-{index}")
    out[0].set("id", f"fs-tempo-{index}")
    return out


def _drop_source_metronomes(part: etree._Element) -> None:
    """The film's tempo marks replace the source's metronome marks (its words stay)."""
    for metronome in list(part.iter("metronome")):
        holder = metronome.getparent()
        direction = holder.getparent()
        direction.remove(holder)
        if direction.find("direction-type") is None:
            direction.getparent().remove(direction)
    for sound in part.iter("sound"):
        sound.attrib.pop("tempo", None)


def add_marks(measure_at: Callable[[Fraction], tuple[int, Fraction]],
              measures: list[etree._Element], syncs: Sequence[SyncMark],
              tempos: Sequence[TempoMark], *, letters: Sequence[tuple[int, str]] = (),
              describe: bool = False) -> None:
    """Put tempo marks, sync timecodes (``describe``: with what happens, for the score)
    and rehearsal ``letters`` ((measure index, label): at the bar's start) into a part's
    measures; ``measure_at`` gives a position's (measure index, offset in quarters), as
    :meth:`ScoreDoc.measure_at <filmscore.formats.musicxml_parts.ScoreDoc.measure_at>`
    does."""
    if not measures or not (syncs or tempos or letters):
        return
    if tempos:
        _drop_source_metronomes(measures[0].getparent())
    divisions = _divisions(measures)
    last = len(measures) - 1
    for index, label in letters:  # of the marks at one place, the first is drawn lowest
        if 0 <= index <= last:
            _insert_at(measures[index], Fraction(0), _rehearsal(label), divisions[index])
    for number, mark in enumerate(tempos, 1):
        index, offset = measure_at(mark.quarters)
        index = min(index, last)
        for direction in reversed(_tempo_directions(mark, number)):
            _insert_at(measures[index], offset, direction, divisions[index])
    placed = [(number, mark, *measure_at(mark.quarters)) for number, mark in
              enumerate(syncs, 1)]
    keep = _within_budget([(n, m, min(i, last)) for n, m, i, _ in placed], measures, describe)
    for number, mark, index, offset in placed:
        index = min(index, last)
        for direction in _sync_directions(mark, number, describe):
            if direction.get("id") in keep:
                _insert_at(measures[index], offset, direction, divisions[index])


def _long_words(measure: etree._Element) -> int:
    """The texts a bar has of its own (words longer than a playing indication such as
    'pizz.', not part of a tempo mark, not the key to a percussion staff under it)."""
    return sum(1 for d in measure.iterfind("direction")
               if d.find("direction-type/metronome") is None and d.get("id") != KEY_ID
               and any(len((w.text or "").strip()) > SHORT_TEXT
                       for w in d.iterfind("direction-type/words")))


def _within_budget(placed: Sequence[tuple[int, SyncMark, int]],
                   measures: Sequence[etree._Element], describe: bool) -> set[str]:
    """The ids of the sync texts to write: at most :data:`TEXTS_PER_BAR` texts in a bar
    (its own count), the timecodes of the heavier sync points first, then their
    descriptions (the earlier first when equal)."""
    by_bar: dict[int, list[tuple[int, SyncMark]]] = {}
    for number, mark, index in placed:
        by_bar.setdefault(index, []).append((number, mark))
    keep: set[str] = set()
    for index, marks in by_bar.items():
        budget = max(0, TEXTS_PER_BAR - _long_words(measures[index]))
        ranked = sorted(marks, key=lambda nm: (-nm[1].weight, nm[0]))
        wanted = [mark_id("tc", n, m.weight) for n, m in ranked if m.stamp]
        if describe:
            wanted += [mark_id("text", n, m.weight) for n, m in ranked if m.text.strip()]
        keep.update(wanted[:budget])
    return keep


def add_final_barline(measures: Sequence[etree._Element]) -> None:
    """End the part with a final (light-heavy) bar line, unless it ends on a repeat."""
    if not measures:
        return
    last = measures[-1]
    rights = [b for b in last.findall("barline") if b.get("location", "right") == "right"]
    if rights:
        barline = rights[-1]
        if barline.find("repeat") is not None:
            return
        style = barline.find("bar-style")
        if style is None:
            style = etree.Element("bar-style")
            barline.insert(0, style)
        style.text = "light-heavy"
        return
    barline = sub_element(last, "barline", location="right")
    sub_element(barline, "bar-style", "light-heavy")


def source_tempos(root: etree._Element) -> list[tuple[int, Fraction, etree._Element]]:
    """Tempo directions of the score's top part: (measure index, offset in quarters,
    direction)."""
    found = []
    measures = next(root.iterfind("part")).findall("measure")
    for index, (measure, divisions) in enumerate(zip(measures, _divisions(measures),
                                                     strict=True)):
        cursor = Fraction(0)
        for child in measure:
            tag = child.tag
            if tag == "direction":
                if child.find("direction-type/metronome") is not None or \
                        child.find("sound[@tempo]") is not None:
                    found.append((index, cursor / divisions, child))
            elif tag == "backup":
                break
            elif tag == "attributes":
                divisions = number_of(child.find("divisions"), divisions) or divisions
            elif tag in ("note", "forward") and child.find("chord") is None \
                    and child.find("grace") is None:
                cursor += number_of(child.find("duration"))
    return found


def copy_source_tempos(measures: list[etree._Element],
                       found: Sequence[tuple[int, Fraction, etree._Element]]) -> None:
    """Copy the top part's tempo directions (:func:`source_tempos`) into a part's
    measures, except into a measure that has a tempo of its own."""
    have = {i for i, m in enumerate(measures)
            if m.find("direction/direction-type/metronome") is not None
            or m.find("direction/sound[@tempo]") is not None}
    divisions = _divisions(measures)
    for index, offset, direction in found:
        if index < len(measures) and index not in have:
            _insert_at(measures[index], offset, copy.deepcopy(direction), divisions[index])


# --- multi-bar rests -------------------------------------------------------------------------


def _film_mark(direction: etree._Element) -> bool:
    """A rehearsal letter, a tempo mark or one of the film's marks (id ``fs-...``): a bar
    with only these may start a multi-bar rest (verovio prints them at its start)."""
    return ((direction.get("id") or "").startswith("fs-")
            or direction.find("direction-type/rehearsal") is not None
            or direction.find("direction-type/metronome") is not None
            or direction.find("sound[@tempo]") is not None)


def _rest_facts(measure: etree._Element) -> tuple[bool, bool, bool]:
    """(a whole-bar rest, breaks a run before, breaks a run after)."""
    restful = measure.get("implicit") != "yes"
    before = after = False
    for child in measure:
        tag = child.tag
        if tag == "note":
            if child.find("rest") is None:
                restful = False
        elif tag == "attributes":
            if any(child.find(t) is not None for t in BREAKING_ATTRIBUTES):
                before = True
        elif tag == "direction":
            if _film_mark(child):  # verovio prints them on a multi-rest's first bar
                before = True
            else:  # a dynamic, a hairpin, a player's text: at its place, in a bar of its own
                restful = False
        elif tag in ("harmony", "figured-bass"):
            restful = False
        elif tag == "barline":
            if child.get("location") == "left":
                before = True
            elif (child.findtext("bar-style") or "regular") != "regular" or \
                    child.find("repeat") is not None or child.find("ending") is not None:
                after = True
    return restful, before, after


def add_multirests(measures: list[etree._Element]) -> None:
    """Mark runs of two or more whole-bar rests in a part's measures as
    <multiple-rest>s (redoing the source's own)."""
    for measure in measures:  # the source's own multi-rests (a part's export) are redone
        for style in measure.iterfind("attributes/measure-style"):
            for rest in style.findall("multiple-rest"):
                style.remove(rest)
            if len(style) == 0:
                style.getparent().remove(style)
    facts = [_rest_facts(m) for m in measures]
    runs = rest_runs([f[0] for f in facts], [f[1] for f in facts], [f[2] for f in facts])
    for start, length in runs:
        measure = measures[start]
        attributes = measure.find("attributes")
        if attributes is None:
            attributes = etree.Element("attributes")
            lead = 0
            while lead < len(measure) and measure[lead].tag == "print":
                lead += 1
            measure.insert(lead, attributes)
        style = etree.Element("measure-style")
        sub_element(style, "multiple-rest", str(length))
        insert_in_attributes(attributes, style)


def apply_layout(data: bytes, changes: dict[str, str]) -> bytes:
    """A document (bytes) with the engraver's changes to its film marks (direction id ->
    "dropped": left out, "staggered": on the stagger line), so that the MusicXML says
    what the PDF prints; unchanged bytes when there are none."""
    if not changes:
        return data
    from filmscore.formats.musicxml_document import DOCTYPE

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True,
                                                  no_network=True))
    for direction in list(root.iter("direction")):
        what = changes.get(direction.get("id") or "")
        if what == "dropped":
            direction.getparent().remove(direction)
        elif what == "staggered":
            for words in direction.iterfind("direction-type/words"):
                words.set("default-y", str(STAGGER_LINE))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, doctype=DOCTYPE)
