"""verovio's pages of a score as we engrave them: verovio 6.4 worked around, our system
breaks, the film's marks kept clear, page 1's header.

:func:`engraved_pages` is the one way a MusicXML document becomes pages here (the PDF of
:mod:`filmscore.engraving.engrave`, and any check that measures what is printed): the
multi-bar rests repaired (:func:`~filmscore.engraving.engrave.repair_multirests`),
:func:`prepare_for_verovio`, the header's room reserved
(:mod:`filmscore.engraving.pagehead`), one unjustified pass to measure the bars and
choose the system breaks (:mod:`filmscore.engraving.systems`), then passes that stagger
or leave out film marks that would print over others (:mod:`filmscore.engraving.clearance`)
until none do, and page 1's header drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from filmscore.engraving.clearance import forget_boxes
from filmscore.engraving.engrave import _toolkit, repair_multirests_tree, verovio_options
from filmscore.errors import ParseError
from filmscore.limits import is_digits

__all__ = ["Layout", "engraved_pages", "lay_out", "prepare_for_verovio"]


@dataclass
class Layout:
    """The engraved SVG pages (page 1 headed, no footer), the score as engraved, and what
    happened to the film's marks (direction id -> "staggered" or "dropped")."""

    pages: list[str]
    root: etree._Element
    changes: dict[str, str] = field(default_factory=dict)


def prepare_for_verovio(root, kind: str) -> None:
    """Work around verovio 6.4 in a parsed score (see the module docstring): rehearsal
    marks become boxed bold words (verovio leaves out the bar number of a bar with a
    <rehearsal>); in a part, the staff carries no instrument name (page 1's header does);
    a chord symbol whose ``<kind>`` gives its printed ``text`` loses its ``<degree>``s
    (verovio prints them after the text again: "G7sus4(4no3)" for a 7sus4 written as
    MuseScore needs it, dominant + add 4 + subtract 3)."""
    for kind_el in root.iterfind(".//harmony/kind"):
        if kind_el.get("text"):
            for degree in kind_el.getparent().findall("degree"):
                kind_el.getparent().remove(degree)
    for number, rehearsal in enumerate(list(root.iter("rehearsal")), 1):
        words = etree.Element("words", {"enclosure": "rectangle", "font-weight": "bold",
                                        "font-style": "normal", "font-size": "12"})
        words.text = rehearsal.text
        direction = rehearsal.getparent().getparent()
        if direction.tag == "direction" and not direction.get("id"):
            direction.set("id", f"fs-reh-{number}-w9")
        rehearsal.getparent().replace(rehearsal, words)
    if kind == "part":
        for entry in root.iterfind("part-list/score-part"):
            for tag in ("part-name", "part-abbreviation"):
                name = entry.find(tag)
                if name is not None:
                    name.set("print-object", "no")


def _render(tk, root, options: dict) -> list[str]:
    tk.resetOptions()
    tk.setOptions(options)
    if not tk.loadData(etree.tostring(root, encoding="unicode")):
        raise ParseError("verovio cannot read this MusicXML")
    return [tk.renderToSVG(page) for page in range(1, tk.getPageCount() + 1)]


def lay_out(root, kind: str, paper: str | None = None, *, rounds: int = 4,
            extra_options: dict | None = None, changes: dict | None = None) -> list[str]:
    """verovio's SVG pages of a parsed score (prepared by :func:`prepare_for_verovio`):
    our system breaks (:mod:`filmscore.engraving.systems`), then the film's marks kept
    clear of each other (:mod:`filmscore.engraving.clearance`); ``root`` is changed to
    what was engraved, and ``changes`` told which marks moved or went."""
    from filmscore.engraving.clearance import (
        align_letters,
        film_marks,
        lift,
        overlaps,
        resolve,
        shrink,
        text_boxes,
    )
    from filmscore.engraving.systems import inner_width, plan_breaks, system_widths

    tk = _toolkit()
    options = {**verovio_options(kind, paper), **(extra_options or {})}
    changes = {} if changes is None else changes
    planned = False
    try:
        natural = _fitted(tk, root, options)
        planned = bool(natural) and plan_breaks(
            root, *system_widths(natural, inner_width(options)))
    except ValueError:
        planned = False
    options["breaks"] = "line" if planned else "auto"
    marks = film_marks(root)
    pages = [shrink(page, marks, kind) for page in _render(tk, root, options)]
    for attempt in range(rounds):
        if not marks:
            break
        order = {m.ident: i for i, m in enumerate(
            sorted((m for found in marks.values() for m in found), key=_mark_rank))}
        pairs = [pair for svg in pages for pair in overlaps(text_boxes(svg))]
        if not any(box.kind == "dir" and box.text in marks for pair in pairs for box in pair):
            break  # no film mark touches another: resolve() would change nothing
        # imported only now: it brings the orchestration package with it, which each
        # engraving worker would otherwise import for nothing (0.3-0.9 s)
        from filmscore.formats.musicxml_marks import STAGGER_LINE

        move, drop = resolve(pairs, marks, order, str(STAGGER_LINE))
        if not move and not drop:
            break
        if attempt == rounds - 1:  # the last round: what still collides goes
            drop, move = drop | move, set()
        for direction in list(root.iter("direction")):
            ident = direction.get("id")
            if ident in drop:
                direction.getparent().remove(direction)
                changes[ident] = "dropped"
            elif ident in move:
                changes[ident] = "staggered"
                for words in direction.iterfind("direction-type/words"):
                    words.set("default-y", str(STAGGER_LINE))
        marks = film_marks(root)
        pages = [shrink(page, marks, kind) for page in _render(tk, root, options)]
    return [lift(align_letters(page, marks), marks) for page in pages]


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
#: the smallest scale (percent) a system is shrunk to so that it fits on a page
MIN_SCALE = 30


def _fitted(tk, root, options: dict) -> list[str]:
    """The music in unjustified systems broken verovio's way (to measure the bars), with
    ``options["scale"]`` lowered until a system fits on a page: a score of many staves on
    small paper, or a score engraved as a part, would otherwise run off the bottom of the
    paper (verovio prints what does not fit past the page's edge)."""
    for _ in range(4):
        pages = _render(tk, root, {**options, "breaks": "auto", "noJustification": True,
                                   "adjustPageHeight": True})
        tallest = max((float(found.group(2)) for found in
                       (_VIEWBOX.search(page, 0, 600) for page in pages) if found),
                      default=0.0)
        if tallest <= options["pageHeight"] or options["scale"] <= MIN_SCALE:
            return pages
        options["scale"] = max(MIN_SCALE, int(options["scale"] * options["pageHeight"]
                                              / tallest * 0.97))
    return pages


def _mark_rank(mark) -> tuple[int, int]:
    parts = mark.ident.split("-")
    return (int(parts[2]) if len(parts) > 2 and is_digits(parts[2]) else 0, 0)


def _header_room(svg: str) -> float | None:
    """How much height page 1 has above its music for the header (SVG page-margin units)."""
    from filmscore.engraving.clearance import text_boxes

    line = re.search(r'class="staff"><path d="M[\d.]+ ([\d.]+) ', svg)
    if line is None:
        return None
    top = float(line.group(1)) - 540  # 3 spaces above the top line
    boxes = [b.y0 for b in text_boxes(svg) if b.kind in ("tempo", "dir", "reh")]
    if boxes:
        top = min(top, min(boxes))
    return top - 150




def engraved_pages(data: bytes, kind: str, paper: str | None = None, *,
                   extra_options: dict | None = None) -> Layout:
    """The pages of a MusicXML document (bytes) as this package engraves them (see the
    module docstring); ``extra_options``: verovio options that annotate the SVG without
    moving anything (``svgBoundingBoxes``, ``svgAdditionalAttribute``)."""
    from filmscore.engraving.engrave import DEFAULT_PAPER, PAPER_MM
    from filmscore.engraving.pagehead import VEROVIO_ROW, draw_page_head, read_credits, reserve
    from filmscore.engraving.systems import inner_width

    paper = paper or DEFAULT_PAPER[kind]
    width_mm = PAPER_MM[paper][0]
    try:
        root = etree.fromstring(data, etree.XMLParser(
            resolve_entities=False, huge_tree=True, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from None
    if b"multiple-rest" in data:  # repaired in the tree: parsed and written once less
        repair_multirests_tree(root)
    prepare_for_verovio(root, kind)
    credits = read_credits(root)
    options = verovio_options(kind, paper)
    units = inner_width(options) + (options["pageMarginLeft"] + options["pageMarginRight"]) * 10
    reserve(root, credits, row_mm=VEROVIO_ROW * width_mm / units)
    changes: dict[str, str] = {}
    try:
        pages = lay_out(root, kind, paper, extra_options=extra_options, changes=changes)
        if not pages:
            raise ParseError("verovio engraved no page from this MusicXML")
        pages[0] = draw_page_head(pages[0], credits, width_mm=width_mm,
                                  room=_header_room(pages[0]))
    finally:
        forget_boxes()
    return Layout(pages, root, changes)
