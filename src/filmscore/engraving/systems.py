"""System breaks chosen the way a copyist chooses them, for verovio to follow.

verovio 6.4's own line breaking (``breaks=auto``) can leave one bar stretched over a whole
system (a part's bar 10 alone when bars 10-13 would make two good systems).  We lay the
music out once on one endless system without justification (``breaks=none``) to read
each bar's natural width from the SVG, choose the breaks ourselves (:func:`choose_breaks`:
the least stretch over all systems, no system of one bar that would be stretched, a short
last system left ragged as verovio leaves it), write them as ``<print new-system="yes">``
and let verovio justify and paginate (``breaks=line``).  :func:`plan_breaks` does it to a
MusicXML tree.  What it loses: the source's own system and page breaks (replaced); a
bar's width at a system start is its width inside a system plus the clef and key of the
first bar (a clef or key change is not measured again).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

__all__ = ["choose_breaks", "inner_width", "measure_widths", "plan_breaks", "system_widths",
           "units"]

#: a last system fuller than this is justified (verovio's minLastJustification, which
#: engrave.py sets to it): a short cue's one system fills the page's width
LAST_JUSTIFIED = 0.5
#: a system of one bar filled less than this would be visibly stretched
SINGLE_BAR_FILL = 0.6

_MARGIN = re.compile(r'class="page-margin" transform="translate\((-?[\d.]+),')
_DEFINITION = re.compile(r'class="definition-scale"[^>]*viewBox="0 0 ([\d.]+) ')
_LINE = re.compile(r'<path d="M(-?[\d.]+) (-?[\d.]+) L(-?[\d.]+) ')
_GLYPH_X = re.compile(r'translate\((-?[\d.]+),')


def units(part: etree._Element) -> list[int]:
    """The index of the first measure of each bar verovio draws: a multi-bar rest
    (<measure-style><multiple-rest>) is one."""
    out, skip = [], 0
    for index, measure in enumerate(part.findall("measure")):
        if skip:
            skip -= 1
            continue
        out.append(index)
        count = measure.findtext("attributes/measure-style/multiple-rest")
        try:
            skip = max(int((count or "1").strip()) - 1, 0)
        except ValueError:
            skip = 0
    return out


def inner_width(options: dict) -> float:
    """The width between the page margins, in verovio's SVG units, of pages engraved
    with ``options`` (its page width and margins in tenths of a mm at ``scale``)."""
    page = options["pageWidth"] * 100 // options["scale"] * 10
    return float(page - options["pageMarginLeft"] * 10 - options["pageMarginRight"] * 10)


def measure_widths(svg: str, inner: float) -> tuple[list[float], float, float]:
    """From verovio's SVG of one endless unjustified system: each drawn bar's width, the
    width a system start adds (clef and key), and the width a system may fill (``inner``,
    from :func:`inner_width`, less the first system's indent)."""
    if _MARGIN.search(svg) is None or _DEFINITION.search(svg) is None:
        raise ValueError("not a verovio page")
    chunks = svg.split('class="measure"')[1:]
    widths, first_x = [], None
    overhead = 0.0
    for index, chunk in enumerate(chunks):
        line = _LINE.search(chunk)
        if line is None:
            raise ValueError("a bar without staff lines")
        x0, x1 = float(line.group(1)), float(line.group(3))
        widths.append(x1 - x0)
        if index == 0:
            first_x = x0
            staff = chunk.split('class="layer"')[0]
            meter = staff.find('class="meterSig"')
            head = staff[:meter] if meter >= 0 else staff
            xs = [float(m.group(1)) for m in _GLYPH_X.finditer(head)]
            overhead = (max(xs) + 300 - x0) if xs else 0.0
    return widths, overhead, inner - (first_x or 0.0)


def _head(chunk: str, x0: float) -> float:
    """The width the clef, key (and meter) before a system's first bar's notes take."""
    staff = chunk.split('class="layer"')[0]
    meter = staff.find('class="meterSig"')
    head = staff[:meter] if meter >= 0 else staff
    xs = [float(m.group(1)) for m in _GLYPH_X.finditer(head)]
    return (max(xs) + 300 - x0) if xs else 0.0


def system_widths(pages: Sequence[str], inner: float) -> tuple[list[float], float, float]:
    """As :func:`measure_widths`, from verovio's pages of unjustified systems broken its
    own way (``breaks=auto`` with ``noJustification``): each system's first bar less the
    clef and key it starts with, the first system's as the overhead.  Laying a long score
    out as one endless system takes verovio several times longer (7 s against 2.8 s for
    300 bars of 18 staves), so this is what the layout measures."""
    widths: list[float] = []
    overhead, first_x = 0.0, None
    for svg in pages:
        if _MARGIN.search(svg) is None or _DEFINITION.search(svg) is None:
            raise ValueError("not a verovio page")
        for system in svg.split('class="system"')[1:]:
            for index, chunk in enumerate(system.split('class="measure"')[1:]):
                line = _LINE.search(chunk)
                if line is None:
                    raise ValueError("a bar without staff lines")
                x0, x1 = float(line.group(1)), float(line.group(3))
                width = x1 - x0
                if index == 0:
                    if first_x is None:
                        first_x = x0
                        overhead = _head(chunk, x0)
                    else:
                        width -= _head(chunk, x0) - 300
                widths.append(width)
    return widths, overhead, inner - (first_x or 0.0)


def choose_breaks(widths: Sequence[float], overhead: float, available: float) -> list[int]:
    """The bars (indexes) that start a new system, the first excepted: the breaks with the
    least stretch (see the module docstring)."""
    n = len(widths)
    if n == 0:
        return []
    inf = float("inf")
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for end in range(1, n + 1):
        for start in range(end - 1, -1, -1):
            natural = sum(widths[start:end]) + (overhead if start else 0.0)
            if natural > available and end - start > 1:
                break
            cost = best[start] + _cost(natural / available, end - start, end == n, n)
            if cost < best[end]:
                best[end], back[end] = cost, start
    breaks, at = [], n
    while at > 0:
        at = back[at]
        if at:
            breaks.append(at)
    return sorted(breaks)


def _cost(fill: float, bars: int, last: bool, total: int) -> float:
    if fill > 1:
        return 1000.0 * fill  # one bar wider than the system: it cannot be helped
    if last and fill < LAST_JUSTIFIED:
        return 4.0 if bars == 1 and total > 1 and fill < 0.3 else 0.0  # left ragged
    stretch = 1 / fill - 1
    cost = 10.0 * stretch * stretch + 1.0
    if bars == 1 and total > 1 and fill < SINGLE_BAR_FILL:
        cost += 100.0
    return cost


def plan_breaks(root: etree._Element, widths: Sequence[float], overhead: float,
                available: float) -> bool:
    """Write the chosen system breaks into a score's measures (every part) as
    <print new-system="yes">, removing the source's own breaks; False when verovio's bars
    do not match the score's (nothing is changed then)."""
    parts = root.findall("part")
    if not parts:
        return False
    starts = units(parts[0])
    if len(starts) != len(widths):
        return False
    breaks = {starts[i] for i in choose_breaks(widths, overhead, available)}
    for part in parts:
        for index, measure in enumerate(part.findall("measure")):
            for element in measure.findall("print"):
                for key in ("new-system", "new-page"):
                    element.attrib.pop(key, None)
                if not len(element) and not element.attrib:
                    measure.remove(element)
            if index in breaks:
                measure.insert(0, etree.Element("print", {"new-system": "yes"}))
    return True
