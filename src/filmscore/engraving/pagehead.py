"""Page 1's header as a music-preparation house sets it, drawn into verovio's SVG page.

verovio 6.4 draws the MusicXML <credit>s as plain text rows in one size (it ignores
``font-size`` and ``enclosure``), so the cue number cannot be large and boxed.  We let
verovio reserve the room (its ``pgHead``), take its text out and draw the header by the
credits' types (:func:`read_credits`, :func:`draw_page_head`): the cue number large, bold
and boxed at top left with the cue's length and a note under it; the film's title over
the cue's title in the middle; the part name (or the score's label) at top right over the
credits.  A credit of another type goes under the others of its side (its ``justify``).
If the room verovio left is short, the header is set smaller to fit (not below 70%).
What it loses: the credits' own ``default-x``/``default-y`` and fonts (the house's are
used; text in FreeSerif as everywhere in the PDF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from filmscore.engraving.engrave import _escape

__all__ = ["Credit", "draw_page_head", "height_mm", "read_credits", "reserve"]

MM_PER_PT = 25.4 / 72
#: (size in points, bold) of each credit type, by the column it goes to
STYLE = {
    "cue number": ("left", 24.0, True),
    "cue length": ("left", 9.0, False),
    "note": ("left", 9.0, False),
    "subtitle": ("center", 10.0, False),
    "title": ("center", 17.0, True),
    "part name": ("right", 15.0, True),
    "composer": ("right", 9.0, False),
    "arranger": ("right", 9.0, False),
    "lyricist": ("right", 9.0, False),
    "rights": ("center", 8.0, False),
}
ORDER = ("cue number", "subtitle", "title", "part name", "composer", "arranger", "lyricist",
         "cue length", "note", "rights")
_PGHEAD = re.compile(r'<g [^>]*class="pgHead"[^>]*>')
_G_TAG = re.compile(r"<g\b[^>]*>|</g>")  # a self-closing <g .../> neither opens nor closes
_MARGIN = re.compile(r'class="page-margin" transform="translate\((-?[\d.]+), (-?[\d.]+)\)')
_DEFINITION = re.compile(r'class="definition-scale"[^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"')


@dataclass(frozen=True)
class Credit:
    """One credit of page 1: its type, words, column and style."""

    kind: str
    text: str
    justify: str
    size: float
    bold: bool
    italic: bool = False
    boxed: bool = False


def read_credits(root: etree._Element) -> list[Credit]:
    """Page 1's credits of a MusicXML score, in the order the header sets them."""
    found = []
    for credit in root.iterfind("credit"):
        if (credit.get("page") or "1") != "1":
            continue
        kind = (credit.findtext("credit-type") or "").strip().lower()
        for words in credit.iterfind("credit-words"):
            text = " ".join((words.text or "").split())
            if not text:
                continue
            side, size, bold = STYLE.get(kind, (words.get("justify") or "left", 10.0, False))
            found.append(Credit(kind, text, side, size, bold or words.get("font-weight") ==
                                "bold", words.get("font-style") == "italic",
                                words.get("enclosure") in ("rectangle", "square")))
    rank = {kind: i for i, kind in enumerate(ORDER)}
    return sorted(found, key=lambda c: rank.get(c.kind, len(ORDER)))


def _text(x: float, y: float, anchor: str, size: float, credit: Credit) -> str:
    style = ' font-weight="bold"' if credit.bold else ""
    style += ' font-style="italic"' if credit.italic else ""
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="{size:.0f}px"'
            f'{style}>{_escape(credit.text)}</text>')


def _width(credit: Credit, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from filmscore.engraving.svgstyle import Fonts

    return stringWidth(credit.text.replace("\u00a0", " "), Fonts.get(credit.bold,
                                                                       credit.italic), size)


def _layout(credits: list[Credit], unit: float, inner: float, scale: float
            ) -> tuple[list[str], float]:
    """SVG text (and box) of the header in page-margin units, and its height.  The middle
    column is set first; a side credit that would run into it goes below it."""
    out: list[str] = []
    bottoms = {"left": 0.0, "center": 0.0, "right": 0.0}
    xs = {"left": 0.0, "center": inner / 2, "right": inner}
    anchors = {"left": "start", "center": "middle", "right": "end"}
    middle = [inner, 0.0]  # the middle column's x extent
    ordered = [c for c in credits if c.justify == "center"] + \
        [c for c in credits if c.justify != "center"]
    for credit in ordered:
        side = credit.justify if credit.justify in xs else "left"
        size = credit.size * scale * unit
        pad = 0.25 * size if credit.boxed else 0.0
        width = _width(credit, size) + 2 * pad
        top = bottoms[side] + (0.35 * size if bottoms[side] else 0.0)
        if side == "center":
            middle = [min(middle[0], inner / 2 - width / 2), max(middle[1], inner / 2 + width / 2)]
        else:
            x0 = 0.0 if side == "left" else inner - width
            if x0 < middle[1] + size and x0 + width > middle[0] - size and \
                    top < bottoms["center"]:
                top = bottoms["center"] + 0.35 * size
        if credit.boxed:
            x = xs[side] - (width if side == "right" else width / 2 if side == "center" else 0)
            out.append(f'<rect x="{x:.0f}" y="{top:.0f}" width="{width:.0f}" '
                       f'height="{0.95 * size + 2 * pad:.0f}" fill="none" stroke="black" '
                       f'stroke-width="{max(size / 14, 1):.0f}"/>')
            out.append(_text(x + pad, top + pad + 0.76 * size, "start", size, credit))
            bottoms[side] = top + 0.95 * size + 2 * pad
            continue
        baseline = top + 0.78 * size
        out.append(_text(xs[side], baseline, anchors[side], size, credit))
        bottoms[side] = baseline + 0.24 * size
    return out, max(bottoms.values())


def height_mm(credits: list[Credit]) -> float:
    """The header's height on paper (mm) at its full size."""
    return _layout(credits, MM_PER_PT, 1000.0, 1.0)[1]


#: the height of one row of verovio's own header, in its SVG units
VEROVIO_ROW = 356.0


def reserve(root: etree._Element, credits: list[Credit], *, row_mm: float) -> None:
    """Replace a score's credits by blank rows enough for verovio to leave room for our
    header (verovio sets each credit row at one size, ``row_mm`` high)."""
    for credit in root.findall("credit"):
        root.remove(credit)
    if not credits:
        return
    rows = int(height_mm(credits) / row_mm) + 2
    anchor = root.find("part-list")
    for row in range(rows):
        credit = etree.Element("credit", page="1")
        words = etree.SubElement(credit, "credit-words", {
            "default-x": "0", "default-y": str(2000 - 20 * row), "justify": "left",
            "valign": "top"})
        words.text = "\u00a0."
        anchor.addprevious(credit)


def _without_group(svg: str, start: re.Match | None) -> str:
    """``svg`` without the <g> element that ``start`` opens (nested groups and all)."""
    if start is None:
        return svg
    depth = 1
    for tag in _G_TAG.finditer(svg, start.end()):
        if tag.group(0).endswith("/>"):
            continue
        depth += -1 if tag.group(0) == "</g>" else 1
        if depth == 0:
            return svg[:start.start()] + svg[tag.end():]
    return svg


def draw_page_head(svg: str, credits: list[Credit], *, width_mm: float,
                   room: float | None = None) -> str:
    """Page 1's SVG with verovio's header replaced by ours (see the module docstring);
    ``room``: the height (SVG page-margin units) the header may take."""
    margin = _MARGIN.search(svg)
    definition = _DEFINITION.search(svg)
    if margin is None or definition is None or not credits:
        return svg
    unit = float(definition.group(1)) / width_mm * MM_PER_PT  # SVG units a point
    inner = float(definition.group(1)) - 2 * float(margin.group(1))
    scale = 1.0
    parts, height = _layout(credits, unit, inner, scale)
    if room is not None and height > room > 0:
        scale = max(0.7, room / height)
        parts, height = _layout(credits, unit, inner, scale)
    group = '<g class="pgHead">' + "".join(parts) + "</g>"
    cleaned = _without_group(svg, _PGHEAD.search(svg))
    found = _MARGIN.search(cleaned)
    end = cleaned.find(">", found.start()) + 1
    return cleaned[:end] + group + cleaned[end:]
