"""The MusicXML document around a cue's parts or score: page-1 header, defaults, part list.

Used by :mod:`filmscore.formats.musicxml_parts`.  Page 1 is headed the way a
music-preparation house heads it, as <credit>s with their ``credit-type`` (an engraver
lays them out by type, see :mod:`filmscore.engraving.pagehead`; the ``default-x/y`` are
for other readers): the cue number large and boxed at top left (``cue number``), the
cue's length and timecodes under it (``cue length``) and a note (``note``); the film's
title (``subtitle``) over the cue's title (``title``) in the middle; at top right who
reads it (``part name``: "Horn 1 in F", or "Transposed score" / "Score in C") over the
credits (``composer``: "Music: ...", ``arranger``: "Orchestration: ...").  <work>,
<movement-number>, <movement-title> and <identification> carry the same.  What it
loses: the source's own credits and page layout (page, staff and system sizes: ours by
kind).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

from lxml import etree

from filmscore.formats.musicxml_edit import sub_element as _sub
from filmscore.orchestration.copying import Header

__all__ = ["DOCTYPE", "credit_rows", "document"]

DOCTYPE = ('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
           '"http://www.musicxml.org/dtds/partwise.dtd">')
#: (staff height in mm, page height, width and margin in tenths): a part on US Letter with
#: a 7 mm staff, a score on 11x17 in with a 4.7 mm staff, as the engraver sets them (40
#: tenths are a staff's height); the source's own page and staff sizes are replaced
PAGES = {"part": ("7", "1596.57", "1233.71", "69"),
         "score": ("4.7", "3674.89", "2377.87", "94")}
ROW = 22.0  # tenths between header rows


def _defaults(source: etree._Element, *, part: bool, concert: bool) -> etree._Element:
    found = source.find("defaults")
    defaults = copy.deepcopy(found) if found is not None else etree.Element("defaults")
    for tag in ("scaling", "page-layout", "system-layout", "staff-layout"):  # ours, by kind
        for element in defaults.findall(tag):
            defaults.remove(element)
    millimeters, height, width, margin = PAGES["part" if part else "score"]
    if defaults.find("scaling") is None:
        scaling = etree.Element("scaling")
        _sub(scaling, "millimeters", millimeters)
        _sub(scaling, "tenths", "40")
        defaults.insert(0, scaling)
    if defaults.find("page-layout") is None:
        layout = etree.Element("page-layout")
        _sub(layout, "page-height", height)
        _sub(layout, "page-width", width)
        margins = _sub(layout, "page-margins", type="both")
        for side in ("left", "right", "top", "bottom"):
            _sub(margins, f"{side}-margin", margin)
        defaults.find("scaling").addnext(layout)
    for element in defaults.findall("concert-score"):
        defaults.remove(element)
    if concert:
        defaults.find("scaling").addnext(etree.Element("concert-score"))
    return defaults


def _page(defaults: etree._Element) -> tuple[float, float, float, float, float]:
    layout = defaults.find("page-layout")

    def number(path: str, default: float) -> float:
        try:
            return float(layout.findtext(path) or default)
        except ValueError:
            return default

    height, width = number("page-height", 1697.14), number("page-width", 1200)
    left = number("page-margins/left-margin", 85)
    right = number("page-margins/right-margin", 85)
    top = number("page-margins/top-margin", 85)
    return height, width, left, right, top


def credit_rows(header: Header, reader: str) -> list[tuple[str, str, int, str, str, dict]]:
    """The page-1 header as (credit type, text, row, justify, font size, attributes):
    ``reader`` is the part name, or the score's label."""
    rows: list[tuple[str, str, int, str, str, dict]] = []
    if header.cue_number:
        rows.append(("cue number", header.cue_number, 0, "left", "24",
                     {"font_weight": "bold", "enclosure": "rectangle"}))
    title = header.cue_title or (header.film_title if not header.cue_number else "")
    if header.film_title and header.film_title != title:
        rows.append(("subtitle", header.film_title, 0, "center", "10", {}))
    if title:
        rows.append(("title", title, 1, "center", "17", {"font_weight": "bold"}))
    if reader:
        rows.append(("part name", reader, 0, "right", "15", {"font_weight": "bold"}))
    credits = header.credits
    for index, line in enumerate(credits):
        kind = "composer" if index == 0 and header.composer.strip() else "arranger"
        rows.append((kind, line, 2 + index, "right", "9", {}))
    length = "   ".join(t for t in (f"Length {header.length}" if header.length else "",
                                    header.span) if t)
    if length:
        rows.append(("cue length", length, 3, "left", "9", {}))
    if header.note:
        rows.append(("note", header.note, 4, "left", "9", {"font_style": "italic"}))
    return rows


def document(source: etree._Element, header: Header, reader: str, part_ids: Sequence[str],
             parts: Sequence[etree._Element], part_names: Mapping[str, str], *, part: bool,
             concert: bool, labels: Mapping[str, str] | None = None) -> bytes:
    """A MusicXML 4.0 document of ``parts`` (their ids ``part_ids``; names for any the
    source's part list lacks) headed for ``reader`` (see the module docstring);
    ``labels`` renames parts (part id -> the name with its key, 'Clarinet 1 in B\u266d')."""
    root = etree.Element("score-partwise", version="4.0")
    work = _sub(root, "work")
    _sub(work, "work-title", header.film_title)
    if header.cue_number:
        _sub(root, "movement-number", header.cue_number)
    _sub(root, "movement-title", header.cue_label or header.film_title)
    ident = _sub(root, "identification")
    if header.composer:
        _sub(ident, "creator", header.composer, type="composer")
    if header.orchestrator:
        _sub(ident, "creator", header.orchestrator, type="arranger")
    for rights in source.iterfind("identification/rights"):
        ident.append(copy.deepcopy(rights))
    encoding = _sub(ident, "encoding")
    _sub(encoding, "software", "filmscore")
    defaults = _defaults(source, part=part, concert=concert)
    root.append(defaults)
    height, width, left, right, top = _page(defaults)
    xs = {"left": left, "center": width / 2, "right": width - right}
    for kind, text, row, justify, size, attrs in credit_rows(header, reader):
        credit = _sub(root, "credit", page="1")
        _sub(credit, "credit-type", kind)
        _sub(credit, "credit-words", text, default_x=f"{xs[justify]:.2f}",
             default_y=f"{height - top - row * ROW:.2f}", justify=justify, valign="top",
             font_size=size, **attrs)
    part_list = _sub(root, "part-list")
    source_list = source.find("part-list")
    if part:
        for entry in source_list.iterfind("score-part") if source_list is not None else ():
            if entry.get("id") in part_ids:
                part_list.append(copy.deepcopy(entry))
    elif source_list is not None:
        for entry in source_list:
            part_list.append(copy.deepcopy(entry))
    listed = {entry.get("id") for entry in part_list.iterfind("score-part")}
    for pid in part_ids:
        if pid not in listed:
            entry = _sub(part_list, "score-part", id=pid)
            _sub(entry, "part-name", part_names.get(pid, pid))
    for entry in part_list.iterfind("score-part"):
        label = (labels or {}).get(entry.get("id"))
        if label:
            for display in entry.findall("part-name-display"):
                entry.remove(display)
            name = entry.find("part-name")
            if name is None:
                name = etree.Element("part-name")
                entry.insert(0, name)
            name.text = label
    for element in parts:
        root.append(element)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, doctype=DOCTYPE)
