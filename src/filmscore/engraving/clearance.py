"""Marks kept clear of each other: measured on verovio's SVG, staggered or thinned.

verovio 6.4 aligns the directions of one ``default-y`` on one line (its vgrp) and does not
keep two texts of a line apart; it also measures text narrower than the serif font the
PDF prints it in, so two timecodes a bar apart can print as "01:00:21:1501:00:23:15".
:func:`text_boxes` measures every mark of an SVG page (directions, tempo marks,
rehearsal marks, bar numbers, dynamics, chord symbols: their text in the PDF's font,
their boxes) and :func:`overlaps` finds the pairs that touch.  :func:`resolve` decides,
for the film's own marks (directions whose ``id`` starts ``fs-``, see
:func:`filmscore.formats.musicxml_marks.mark_id`), what gives way: a description (the
score's "what happens") is dropped first; a timecode moves up to the stagger line, and one
that still collides is dropped, the lighter sync point first (a tie: the later).  Marks
that are not the film's are never moved.  What it loses: a dropped timecode is not
printed (the sync point stays in the cue's list and click sheet).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

__all__ = ["Box", "FilmMark", "align_letters", "film_marks", "lift", "overlaps", "resolve",
           "forget_boxes", "shrink", "text_boxes"]

MARK_CLASSES = ("dir", "tempo", "reh", "mNum", "dynam", "harm")
BOLD_CLASSES = ("tempo", "reh")
ITALIC_CLASSES = ("dir", "mNum", "dynam")
GAP = 0.25  # of the font size: the least room between two marks
_WEIGHT = re.compile(r"-w([\d.]+)$")
_SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Box:
    """A mark's box on the page (SVG units, y down) and what it is."""

    kind: str  # the verovio class: dir, tempo, reh, mNum, dynam, harm
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    ident: str = ""  # the SVG group's id

    def touches(self, other: Box) -> bool:
        gap = GAP * min(self.size, other.size)
        return (self.x0 < other.x1 + gap and other.x0 < self.x1 + gap
                and self.y0 < other.y1 and other.y0 < self.y1)


@dataclass(frozen=True)
class FilmMark:
    """A film mark of the MusicXML: its direction's id, words, line and weight."""

    ident: str
    text: str
    line: str
    weight: float

    @property
    def kind(self) -> str:
        return self.ident.split("-")[1]


def _local(tag: object) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _width(text: str, size: float, bold: bool, italic: bool) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from filmscore.engraving.svgstyle import Fonts

    return stringWidth(text.replace("\u00a0", " "), Fonts.get(bold, italic), size)


def _size(value: str | None, default: float) -> float:
    try:
        return float((value or "").replace("px", "")) or default
    except ValueError:
        return default


def _text_box(kind: str, text_el: etree._Element) -> Box | None:
    x = float(text_el.get("x") or 0)
    y = float(text_el.get("y") or 0)
    anchor = text_el.get("text-anchor", "start")
    width, size, chars = 0.0, 0.0, []
    for tspan in text_el.iter(f"{_SVG}tspan"):
        if tspan.text is None or not tspan.text.strip(" "):
            continue
        tsize = _size(tspan.get("font-size"), 405.0)
        size = max(size, tsize)
        if "Leipzig" in (tspan.get("font-family") or "") or \
                "Bravura" in (tspan.get("font-family") or ""):
            width += 0.6 * tsize * len(tspan.text)
            continue
        bold = kind in BOLD_CLASSES or any(
            a.get("font-weight") == "bold" for a in tspan.iterancestors(f"{_SVG}tspan"))
        italic = kind in ITALIC_CLASSES and not any(
            a.get("font-style") == "normal" for a in tspan.iterancestors(f"{_SVG}tspan"))
        width += _width(tspan.text, tsize, bold, italic)
        chars.append(tspan.text)
    if not chars and width == 0:
        return None
    x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return Box(kind, _norm("".join(chars)), x0, y - 0.72 * size, x0 + width, y + 0.22 * size,
               size)


#: the class attribute of a group that may be a mark (its classes are checked exactly below)
_MARK_CLASS = re.compile(r'class="([^"]*\b(?:' + "|".join(MARK_CLASSES) + r')\b[^"]*)"')
_WRAP = ('<svg xmlns="http://www.w3.org/2000/svg" '
         'xmlns:xlink="http://www.w3.org/1999/xlink">')
#: the pages measured: the layout asks for one page's boxes several times (overlaps, the
#: letters aligned, then lifted) and most often the page has not changed in between;
#: :func:`forget_boxes` empties it when a layout is done
_BOXES: dict[str, tuple[Box, ...]] = {}
_BOXES_KEPT = 64
_BOXES_LOCK = threading.Lock()


def text_boxes(svg: str) -> list[Box]:
    """The marks of one verovio SVG page with their boxes (a boxed text's frame
    included)."""
    found = _BOXES.get(svg)
    if found is None:
        found = tuple(_measure_boxes(svg))
        with _BOXES_LOCK:  # the web app engraves on threads too
            _BOXES[svg] = found
            while len(_BOXES) > _BOXES_KEPT:
                del _BOXES[next(iter(_BOXES))]
    return list(found)


def forget_boxes() -> None:
    """Let go of the pages :func:`text_boxes` remembers."""
    with _BOXES_LOCK:
        _BOXES.clear()


def _measure_boxes(svg: str) -> list[Box]:
    # Only the mark groups are parsed (each on its own, in document order, nested ones
    # too): parsing a whole score page to find its few dozen marks among some 50,000
    # groups cost more than the rest of the clearance together.
    out = []
    for found in _MARK_CLASS.finditer(svg):
        start = svg.rfind("<", 0, found.start())
        if not svg.startswith("<g ", start):
            continue
        close = svg.find(">", found.end())
        if svg[close - 1] == "/":
            continue  # an empty group has no text
        classes = found.group(1).split()
        kind = next((c for c in classes if c in MARK_CLASSES), None)
        if kind is None or "bounding-box" in classes:
            continue
        end = _group_span(svg, start)
        wrapper = etree.fromstring((_WRAP + svg[start:end] + "</svg>").encode("utf-8"),
                                   etree.XMLParser(huge_tree=True))
        group = wrapper[0]
        boxes = [b for b in (_text_box(kind, t) for t in group.iter(f"{_SVG}text")) if b]
        if not boxes:
            continue
        x0 = min(b.x0 for b in boxes)
        y0 = min(b.y0 for b in boxes)
        x1 = max(b.x1 for b in boxes)
        y1 = max(b.y1 for b in boxes)
        for rect in group.iter(f"{_SVG}rect"):
            rx, ry = float(rect.get("x") or 0), float(rect.get("y") or 0)
            x0, y0 = min(x0, rx), min(y0, ry)
            x1 = max(x1, rx + float(rect.get("width") or 0))
            y1 = max(y1, ry + float(rect.get("height") or 0))
        out.append(Box(kind, " ".join(b.text for b in boxes), x0, y0, x1, y1,
                       max(b.size for b in boxes), group.get("id") or ""))
    return out


def overlaps(boxes: Iterable[Box]) -> list[tuple[Box, Box]]:
    """The pairs of marks that touch (closer than a quarter of their font size)."""
    ordered = sorted(boxes, key=lambda b: b.x0)
    out = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 > a.x1 + GAP * max(a.size, b.size):
                break
            if a.touches(b):
                out.append((a, b))
    return out


#: the film's marks are set smaller than verovio's one text size (it ignores the MusicXML
#: font-size of words), by the kind of page: a part's timecodes; the score's (its text is
#: small already) and its descriptions
SIZES = {"part": {"tc": 0.85, "text": 0.75}, "score": {"tc": 1.0, "text": 0.85}}
_LEAF = re.compile(r'(<tspan font-size=")([\d.]+)(px">)([^<]*)(</tspan>)')


def shrink(svg: str, marks: Mapping[str, list[FilmMark]], kind: str = "part") -> str:
    """An SVG page (of a ``kind`` of page) with the film marks' text set at
    :data:`SIZES` of verovio's size."""
    sizes = SIZES.get(kind, SIZES["part"])
    if not marks:
        return svg

    def scaled(match: re.Match) -> str:
        found = marks.get(_norm(match.group(4)))
        if not found or found[0].kind not in sizes:
            return match.group(0)
        size = float(match.group(2)) * sizes[found[0].kind]
        return f"{match.group(1)}{size:.0f}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _LEAF.sub(scaled, svg)


def film_marks(root: etree._Element) -> dict[str, list[FilmMark]]:
    """The film marks of a score, by their normalised words (a text may repeat)."""
    out: dict[str, list[FilmMark]] = {}
    for direction in root.iter("direction"):
        ident = direction.get("id") or ""
        if not ident.startswith(("fs-tc-", "fs-text-", "fs-reh-")):
            continue
        words = direction.find("direction-type/words")
        if words is None or not words.text:
            continue
        match = _WEIGHT.search(ident)
        weight = float(match.group(1)) if match else 1.0
        out.setdefault(_norm(words.text), []).append(
            FilmMark(ident, _norm(words.text), words.get("default-y") or "", weight))
    return out


def resolve(pairs: Iterable[tuple[Box, Box]], marks: Mapping[str, list[FilmMark]],
            order: Mapping[str, int], stagger_line: str
            ) -> tuple[set[str], set[str]]:
    """(ids to move to the stagger line, ids to drop) for the touching pairs; ``order``
    ranks the film marks in the music (for ties: the later gives way).  A rehearsal
    letter never gives way (see :func:`lift`)."""
    move: set[str] = set()
    drop: set[str] = set()

    def film(box: Box) -> FilmMark | None:
        found = marks.get(box.text)
        return found[0] if found and box.kind == "dir" else None

    for a, b in pairs:
        fa, fb = film(a), film(b)
        if fa is None and fb is None:
            continue
        if (fa is None or fa.kind == "reh") and (fb is None or fb.kind == "reh"):
            continue  # a letter against a mark not ours: lifted on the page
        if fa is not None and fb is not None:
            if fa.ident in drop or fb.ident in drop:
                continue
            loser = _loser(fa, fb, order)
            other = fb if loser is fa else fa
        else:
            loser = fa or fb
            other = None
        if loser.ident in drop:
            continue
        if loser.kind == "tc" and loser.line != stagger_line and loser.ident not in move \
                and (other is None or other.kind != "tc" or other.line != stagger_line):
            move.add(loser.ident)
        else:
            move.discard(loser.ident)
            drop.add(loser.ident)
    return move, drop


def _loser(a: FilmMark, b: FilmMark, order: Mapping[str, int]) -> FilmMark:
    if "reh" in (a.kind, b.kind):  # a letter stays where it is
        return b if a.kind == "reh" else a
    if a.kind != b.kind:  # a description gives way to a timecode
        return a if a.kind == "text" else b
    if a.weight != b.weight:
        return a if a.weight < b.weight else b
    return a if order.get(a.ident, 0) > order.get(b.ident, 0) else b


_G_TAG = re.compile(r"<g\b[^>]*>|</g>")  # a self-closing <g .../> neither opens nor closes
_Y = re.compile(r'(\sy=")(-?[\d.]+)(")')
_X = re.compile(r'(\sx=")(-?[\d.]+)(")')
_MEASURE = re.compile(r'<g id="[^"]*" class="measure[^"]*"')
_STAFF_LINE = re.compile(r'class="staff"><path d="M(-?[\d.]+) ')


def _group_span(svg: str, start: int) -> int:
    """Where the <g> opened at ``start`` ends."""
    depth = 0
    for tag in _G_TAG.finditer(svg, start):
        if tag.group(0).endswith("/>"):
            continue
        depth += -1 if tag.group(0) == "</g>" else 1
        if depth == 0:
            return tag.end()
    return len(svg)


def _shift_group(svg: str, ident: str, dy: float = 0.0, dx: float = 0.0) -> str:
    """``svg`` with the group ``ident`` moved ``dx`` right and ``dy`` down (its texts'
    and boxes' x and y)."""
    start = svg.find(f'<g id="{ident}"')
    if start < 0:
        return svg
    end = _group_span(svg, start)
    body = svg[start:end]
    if dy:
        body = _Y.sub(lambda m: f"{m.group(1)}{float(m.group(2)) + dy:.0f}{m.group(3)}", body)
    if dx:
        body = _X.sub(lambda m: f"{m.group(1)}{float(m.group(2)) + dx:.0f}{m.group(3)}", body)
    return svg[:start] + body + svg[end:]


def align_letters(svg: str, marks: Mapping[str, list[FilmMark]]) -> str:
    """An SVG page with each rehearsal letter's box standing on its bar line (verovio
    sets boxed words at the bar's first note)."""
    letters = {t for t, found in marks.items() if found and found[0].kind == "reh"}
    if not letters:
        return svg
    boxes = {b.ident: b for b in text_boxes(svg) if b.kind == "dir" and b.text in letters}
    shifts: dict[str, float] = {}
    starts = [found.start() for found in _MEASURE.finditer(svg)]
    for ident, box in boxes.items():
        # the bar the letter is drawn in: bars do not nest, so it is the last one opened
        # before the letter, if that one is still open there (finding each bar's end
        # instead walked every group of the page once a bar)
        at = svg.find(f'<g id="{ident}"')
        index = bisect_right(starts, at) - 1
        if at < 0 or index < 0:
            continue
        end = _group_span(svg, starts[index])
        if end <= at:
            continue
        line = _STAFF_LINE.search(svg, starts[index], end)
        if line is not None:
            shifts[ident] = float(line.group(1)) + 20 - box.x0
    for ident, dx in shifts.items():
        if dx < 0:  # to the left only: a letter at a system's start stays by the clef
            svg = _shift_group(svg, ident, dx=dx)
    return svg


def lift(svg: str, marks: Mapping[str, list[FilmMark]], *, rounds: int = 3) -> str:
    """An SVG page with each rehearsal letter that touches a mark not the film's (a bar
    number, a tempo mark: verovio does not keep its boxed words clear of those) moved up
    above it."""
    letters = {t for t, found in marks.items() if found and found[0].kind == "reh"}
    if not letters:
        return svg
    for _ in range(rounds):
        moved = False
        for a, b in overlaps(text_boxes(svg)):
            for letter, other in ((a, b), (b, a)):
                if letter.kind == "dir" and letter.text in letters and letter.ident and \
                        other.text not in marks:
                    gap = GAP * letter.size
                    svg = _shift_group(svg, letter.ident, other.y0 - gap - letter.y1)
                    moved = True
                    break
            if moved:
                break
        if not moved:
            break
    return svg
