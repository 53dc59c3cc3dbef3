"""The engraving check's layout rules, measured on the page verovio lays out.

The MusicXML is engraved exactly as :mod:`filmscore.engraving.engrave` engraves it (the
same multi-rest repair and :func:`~filmscore.engraving.engrave.verovio_options` for the
kind), with two annotations verovio adds without moving anything:
``svgBoundingBoxes`` (a ``<rect>`` per element, in verovio's own font metrics) and
``svgAdditionalAttribute`` (each measure's number and each mark's staff as ``data-``
attributes).  verovio's SVG names every element by class (``system``, ``measure``,
``mNum``, ``dir``, ``reh``, ``tempo``, ``dynam``).

A mark's box is verovio's bounding box, except that a text's width is measured as the
PDF prints it: in GNU FreeSerif with reportlab's metrics (as
:mod:`~filmscore.engraving.svgpdf` writes it; verovio's own Times metrics are up to 5%
narrower for digits, enough to hide two timecodes that touch on paper), from the ``x`` and
``text-anchor`` verovio wrote; SMuFL text (the tempo mark's note) uses verovio's glyph
advances.

- **overlapping_marks**: two marks of one system (texts, rehearsal marks, tempo marks,
  dynamics, bar numbers) whose boxes overlap by more than a tenth of a staff space both
  ways; one mark printed twice in the same place (a dynamic given to both voices of a
  shared staff) looks like one and is not flagged.
- **stacked_rehearsal**: rehearsal marks of one system placed one above the other (their
  boxes share some width): two letters on one bar, or one letter given to several parts
  of a score, which verovio prints as a tower above the top staff.
- **mark_off_page**: a mark that runs past the edge of the paper (cut off in print).
- **missing_bar_number**: in a part, a system whose first bar shows no number; in a
  score, any bar without a number; the piece's first bar is exempt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from lxml import etree

from filmscore.engraving.engrave import repair_multirests, verovio_options
from filmscore.engraving.findings import Finding
from filmscore.errors import ParseError, ToolError
from filmscore.limits import is_digits

_NS = "{http://www.w3.org/2000/svg}"
#: verovio class -> what the report calls it
MARKS = {"dir": "text", "reh": "rehearsal mark", "tempo": "tempo mark", "dynam": "dynamic",
         "mNum": "bar number"}
#: SMuFL dynamics glyphs (U+E520...) as the letters they print
DYNAMIC_GLYPHS = dict(zip(
    [f"E5{n:02X}" for n in range(0x20, 0x3E)],
    "p m f r s z n pppppp ppppp pppp ppp pp mp mf pf ff fff ffff fffff ffffff fp fz sf "
    "sfp sfpp sfz sfzp sffz rf rfz".split(), strict=True))
_BOLD = {"reh", "tempo"}
_ITALIC = {"dir", "dynam", "mNum"}
SMUFL_FAMILIES = ("Leipzig", "Bravura", "Gootville", "Leland", "Petaluma")
_SPACE = 180  # verovio's staff space in its SVG units
TOLERANCE = _SPACE / 10
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_TRANSLATE = re.compile(r"translate\((-?[\d.]+)[ ,]+(-?[\d.]+)\)")

def layout_options(kind: str) -> dict:
    """engrave.py's options for ``kind`` plus the annotations the check reads."""
    options = verovio_options(kind)
    options["svgBoundingBoxes"] = True
    options["svgAdditionalAttribute"] = ["measure@n", "dir@staff", "reh@staff",
                                         "tempo@staff", "dynam@staff"]
    return options


def render_pages(data: bytes, kind: str, *, source: str, engraver: str = "filmscore"
                 ) -> list[str]:
    """verovio's SVG pages of a MusicXML document, annotated for the check.

    ``engraver="filmscore"``: laid out exactly as the engraving package lays it out for
    the PDF (``engraving.layout.engraved_pages``: our system breaks, page head, rehearsal
    letters and timecode lines); ``"verovio"``: plain verovio with engrave.py's options on
    the file as it is (what another tool would draw from it)."""
    options = layout_options(kind)
    if engraver == "verovio":
        import verovio

        verovio.enableLog(False)
        tk = verovio.toolkit()
        tk.setOptions(options)
        tk.setInputFrom("musicxml")
        if not tk.loadData(repair_multirests(data).decode("utf-8", "replace")):
            raise ParseError("verovio cannot read this MusicXML", source=source)
        return [tk.renderToSVG(page) for page in range(1, tk.getPageCount() + 1)]
    from filmscore.engraving.layout import engraved_pages

    extra = {key: options[key] for key in ("svgBoundingBoxes", "svgAdditionalAttribute")}
    try:
        return list(engraved_pages(data, kind, extra_options=extra).pages)
    except ParseError as error:
        raise error.located(source=source) from None


@dataclass(frozen=True)
class Mark:
    kind: str  # a key of MARKS
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in verovio's units
    bar: str
    staff: int | None

    def label(self) -> str:
        return f"{MARKS[self.kind]} '{self.text}'" if self.text else MARKS[self.kind]


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _union(boxes):
    boxes = list(boxes)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _rects(el):
    for g in el.iter(f"{_NS}g"):
        if "bounding-box" in _classes(g):
            for r in g.iter(f"{_NS}rect"):
                x, y = float(r.get("x", 0)), float(r.get("y", 0))
                yield (x, y, x + float(r.get("width", 0)), y + float(r.get("height", 0)))


def _runs(el, bold: bool, italic: bool, size: float, family: str | None, out: list) -> None:
    """(text, bold, italic, size, smufl family) runs of a <text>/<tspan>, in order."""
    weight = el.get("font-weight")
    bold = bold if weight is None else weight in ("bold", "bolder", "600", "700", "800", "900")
    style = el.get("font-style")
    italic = italic if style is None else style in ("italic", "oblique")
    if el.get("font-size"):
        size = float(el.get("font-size").rstrip("px") or 0)
    family = el.get("font-family") or family
    if el.text:
        out.append((el.text, bold, italic, size, family))
    for child in el:
        if child.tag == f"{_NS}tspan":
            _runs(child, bold, italic, size, family, out)
        if child.tail:
            out.append((child.tail, bold, italic, size, family))


def _text_box(text_el, kind: str) -> tuple[str, tuple[float, float] | None]:
    """A <text>'s string and its printed x-range (None: not measurable)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from filmscore.engraving.svgstyle import Fonts, smufl_glyph

    runs: list = []
    _runs(text_el, kind in _BOLD, kind in _ITALIC, 0.0, None, runs)
    pieces = []  # SVG's whitespace rules: runs collapse to one space, the ends are trimmed
    previous_space = True
    for text, bold, italic, size, family in runs:
        text = re.sub(r"\s+", " ", text)
        if previous_space and text.startswith(" "):
            text = text[1:]
        if text:
            previous_space = text.endswith(" ")
            pieces.append([text, bold, italic, size, family])
    if pieces:
        pieces[-1][0] = pieces[-1][0].rstrip(" ")
    width = 0.0
    shown = []
    for text, bold, italic, size, family in pieces:
        name = (family or "").split(",")[0].strip().strip("'\"")
        if name in SMUFL_FAMILIES:
            for ch in text:
                try:
                    width += smufl_glyph(name, ch)[1] * size / 1000
                except ToolError:  # a space or a glyph verovio has no outline for
                    width += size / 4
        else:
            shown.append(text)
            width += stringWidth(text.replace("\u00a0", " "), Fonts.get(bold, italic), size)
    label = " ".join("".join(shown).split())
    try:
        x = float(text_el.get("x"))
    except (TypeError, ValueError):
        return label, None
    if any(t.get("x") or t.get("dx") for t in text_el.iter(f"{_NS}tspan")):
        return label, None
    anchor = text_el.get("text-anchor", "start")
    x0 = x - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
    return label, (x0, x0 + width)


def _mark(el, kind: str, bar: str) -> Mark | None:
    boxes = []
    texts = []
    for text_el in el.iter(f"{_NS}text"):
        label, span = _text_box(text_el, kind)
        texts.append(label)
        vertical = _union(_rects(text_el))
        if span is not None and vertical is not None:
            boxes.append((span[0], vertical[1], span[1], vertical[3]))
        elif vertical is not None:
            boxes.append(vertical)
    for g in el:  # the mark's own box (a rehearsal mark's frame, a dynamic's glyphs)
        if g.tag == f"{_NS}g" and "bounding-box" in _classes(g):
            boxes += list(_rects(g))
    if kind == "dynam":
        glyphs = [DYNAMIC_GLYPHS.get((u.get("href") or "").lstrip("#")[:4], "")
                  for u in el.iter(f"{_NS}use")]
        if any(glyphs):
            texts.append("".join(glyphs))
    box = _union(boxes)
    if box is None or box[2] <= box[0] or box[3] <= box[1]:
        return None
    staff = el.get("data-staff")
    return Mark(kind, " ".join(t for t in texts if t), box, bar,
                int(staff) if staff and is_digits(staff) else None)


@dataclass
class PageLayout:
    """What the check reads of one page: per system, its bars and their marks."""

    number: int
    mm_per_unit: float
    systems: list[list[tuple[str, bool, list[Mark]]]]  # [(bar, has number, marks)]
    paper: tuple[float, float, float, float] = (float("-inf"), float("-inf"), float("inf"),
                                                float("inf"))  # the sheet, in mark units


def read_page(svg: str, number: int) -> PageLayout:
    root = etree.fromstring(svg.encode("utf-8"), parser=etree.XMLParser(huge_tree=True))
    outer = _VIEWBOX.search(svg, 0, 300)
    inner = root.find(f"{_NS}svg")
    mm = 0.01
    paper = PageLayout.paper
    if outer and inner is not None:
        box = _VIEWBOX.search(f'viewBox="{inner.get("viewBox", "")}"')
        if box:
            mm = float(outer.group(1)) / float(box.group(1)) / 10
            dx = dy = 0.0
            for g in inner.iter(f"{_NS}g"):
                if "page-margin" in _classes(g):
                    shift = _TRANSLATE.match(g.get("transform", ""))
                    if shift:
                        dx, dy = float(shift.group(1)), float(shift.group(2))
                    break
            paper = (-dx, -dy, float(box.group(1)) - dx, float(box.group(2)) - dy)
    systems = []
    for system in root.iter(f"{_NS}g"):
        if _classes(system)[:1] != ["system"] or "bounding-box" in _classes(system):
            continue
        bars = []
        for measure in system.iter(f"{_NS}g"):
            if _classes(measure)[:1] != ["measure"] or "bounding-box" in _classes(measure):
                continue
            n = measure.get("data-n", "")
            marks = []
            has_number = False
            for g in measure.iter(f"{_NS}g"):
                classes = _classes(g)
                if not classes or "bounding-box" in classes or classes[0] not in MARKS:
                    continue
                if classes[0] == "mNum":
                    has_number = True
                mark = _mark(g, classes[0], n)
                if mark is not None:
                    marks.append(mark)
            bars.append((n, has_number, marks))
        systems.append(bars)
    return PageLayout(number, mm, systems, paper)


def _overlap(a, b) -> tuple[float, float]:
    return (min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1]))


def _duplicate(a: Mark, b: Mark) -> bool:
    """The same mark printed twice in the same place (its boxes within the tolerance)."""
    return a.kind == b.kind and a.text == b.text and all(
        abs(p - q) <= TOLERANCE for p, q in zip(a.box, b.box, strict=True))


def _where(*parts: str) -> str:
    """The part(s) a finding is in ("" for the score's own marks, such as bar numbers)."""
    return " / ".join(dict.fromkeys(p for p in parts if p))


def layout_findings(pages: list[PageLayout], *, kind: str, part_of_staff: list[str],
                    single_part: str | None = None) -> list[Finding]:
    """Overlapping and stacked marks and missing bar numbers on the laid-out pages."""
    findings: list[Finding] = []

    def part(mark: Mark) -> str:
        if single_part is not None:
            return single_part
        if mark.staff is not None and 0 < mark.staff <= len(part_of_staff):
            return part_of_staff[mark.staff - 1]
        return ""

    first = True
    for page in pages:
        for bars in page.systems:
            for i, (n, has_number, _) in enumerate(bars):
                if first:
                    first = False
                    continue
                if not has_number and (kind == "score" or i == 0):
                    what = (f"the system starting at bar {n} shows no bar number"
                            if i == 0 and kind == "part" else f"bar {n} shows no bar number")
                    findings.append(Finding("missing_bar_number", single_part or "", n, what,
                                            page=page.number))
            marks = [m for _, _, ms in bars for m in ms]
            left, top, right, bottom = page.paper
            for m in marks:
                cut = max(left - m.box[0], top - m.box[1], m.box[2] - right, m.box[3] - bottom)
                if cut > TOLERANCE:
                    findings.append(Finding(
                        "mark_off_page", part(m), m.bar, f"{m.label()} runs "
                        f"{cut * page.mm_per_unit:.1f} mm past the edge of the paper",
                        page=page.number))
            stacks: list[list[Mark]] = []  # rehearsal marks stacked, grouped
            for a, b in combinations(marks, 2):
                dx, dy = _overlap(a.box, b.box)
                if _duplicate(a, b):
                    continue  # one mark printed twice in one place (two voices): unseen
                if dx > TOLERANCE and dy > TOLERANCE:
                    findings.append(Finding(
                        "overlapping_marks", _where(part(a), part(b)), a.bar,
                        f"{a.label()} (bar {a.bar}) and {b.label()} (bar {b.bar}) print over "
                        f"each other ({dx * page.mm_per_unit:.1f} x "
                        f"{dy * page.mm_per_unit:.1f} mm)", page=page.number))
                elif a.kind == b.kind == "reh" and dx > TOLERANCE:
                    joined = [s for s in stacks if a in s or b in s]
                    stack = [m for s in joined for m in s] + [m for m in (a, b)
                                                              if not any(m in s for s in joined)]
                    stacks = [s for s in stacks if s not in joined] + [stack]
            for stack in stacks:
                stack.sort(key=lambda m: -m.box[1])  # bottom to top
                bars = list(dict.fromkeys(m.bar for m in stack))
                where = f"bar{'s' * (len(bars) > 1)} {', '.join(bars)}"
                texts = list(dict.fromkeys(m.text for m in stack))
                what = (f"rehearsal mark {texts[0]} printed {len(stack)} times ({where}), "
                        "one above the other" if len(texts) == 1 else
                        f"rehearsal marks {', '.join(m.text for m in stack)} ({where}) "
                        "stacked one above the other")
                findings.append(Finding("stacked_rehearsal",
                                        _where(*(part(m) for m in stack)), stack[0].bar,
                                        what, page=page.number))
    return findings
