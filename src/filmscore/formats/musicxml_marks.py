"""Film marks and multi-bar rests in a MusicXML part's measures, through lxml.

Used by :mod:`filmscore.formats.musicxml_parts`.  :func:`add_marks` writes tempo marks as a
<direction> with words, <metronome> and <sound tempo>, then the frame-click ('12-0 fc') as
its own words, and each sync mark as a square <rehearsal> mark at the start of its bar and
a <words> direction with its timecode (and text) at its exact place: before the note of
the first voice that starts there, else before the one sounding then, with an <offset>.
:func:`source_tempos` and :func:`copy_source_tempos` carry the top part's tempo
directions into another part.  :func:`add_multirests` marks runs of two or more whole-bar
rests as <measure-style><multiple-rest> (a run starts at meter/key/clef changes and ends
at double bars, repeats and endings).

What it loses: when film tempo marks are given, the source's metronome marks and
<sound tempo> are removed (its tempo words stay); a bar with any direction, chord symbol
or figured bass is never in a multi-bar rest, because verovio 6.4 drops every direction
of a multi-rest's bars; a place inside a bar is found along its first voice (up to its
first <backup>).
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

__all__ = ["add_marks", "add_multirests", "copy_source_tempos", "source_tempos"]

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


def _sync_directions(mark: SyncMark) -> tuple[etree._Element, etree._Element | None]:
    rehearsal = _direction(_element("rehearsal", mark.label, enclosure="square",
                                    font_weight="bold", font_size="14"))
    words = " ".join(t for t in (mark.timecode, mark.text) if t)
    timecode = _direction(_element("words", words, font_size="9")) if words else None
    return rehearsal, timecode


def _tempo_directions(mark: TempoMark) -> list[etree._Element]:
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
              tempos: Sequence[TempoMark]) -> None:
    """Put tempo and sync marks into a part's measures; ``measure_at`` gives a position's
    (measure index, offset in quarters), as :meth:`ScoreDoc.measure_at
    <filmscore.formats.musicxml_parts.ScoreDoc.measure_at>` does."""
    if not measures or not (syncs or tempos):
        return
    if tempos:
        _drop_source_metronomes(measures[0].getparent())
    divisions = _divisions(measures)
    last = len(measures) - 1
    for mark in tempos:
        index, offset = measure_at(mark.quarters)
        index = min(index, last)
        for direction in reversed(_tempo_directions(mark)):
            _insert_at(measures[index], offset, direction, divisions[index])
    for mark in syncs:
        index, offset = measure_at(mark.quarters)
        index = min(index, last)
        rehearsal, timecode = _sync_directions(mark)
        if timecode is not None:
            _insert_at(measures[index], offset, timecode, divisions[index])
        _insert_at(measures[index], Fraction(0), rehearsal, divisions[index])


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
        elif tag == "direction":  # verovio drops every direction of a multi-rest's bars
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
