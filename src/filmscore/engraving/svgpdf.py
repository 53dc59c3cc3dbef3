"""Writing verovio's SVG pages to one PDF directly: glyphs as vector paths, real text.

:func:`svg_pages_to_pdf` (to a file, atomically) and :func:`svg_pages_to_pdf_bytes` turn
SVG pages (as verovio 6 writes them) into one PDF of ``width_mm`` x ``height_mm`` pages,
about five times faster than ``rsvg-convert``, in a fraction of its file size.  Each glyph
of the pages' ``<defs>`` (``<g id><path transform d/></g>``, SMuFL glyphs) becomes one
PDF path, made once per document and written inline by every ``<use>`` that names it (a
viewer draws that faster than a shared Form XObject; see ``PdfWriter.glyph``);
``<path>``, ``<polygon>``, ``<polyline>``, ``<ellipse>``, ``<circle>``, ``<rect>`` and
``<line>`` become PDF paths with SVG's painting rules (fill, stroke, stroke-width,
linecap, linejoin, opacity, ``currentColor``); group transforms compose; nested
``<svg>`` viewports map their ``viewBox`` (``xMidYMid meet``, clipped unless ``overflow``
is visible).  ``<text>`` and ``<tspan>`` become real PDF text in an embedded, subsetted
serif TrueType font (GNU FreeSerif, a Times clone; else DejaVu Serif), so ``pdftotext``
reads it: x/y/dx/dy, font-size, font-style, font-weight and text-anchor (start, middle,
end, measured with the font's widths) are kept.  Text in a SMuFL font family (verovio's
tempo-mark notes in "Leipzig", "Bravura", ...) is drawn with the glyph outlines that
verovio ships.  The page's ``<style>`` is read as CSS of the form verovio writes
(``#id tag.class {...}``).

What it loses: any SVG feature outside that subset is refused with a
:class:`~filmscore.errors.ToolError` naming it (gradients, patterns, masks, filters,
images, markers, clip paths, ``<symbol>``, dash arrays, ``fill-rule``, ``style=``
attributes, group opacity, other CSS selectors and properties), never dropped silently;
font families other than SMuFL ones are not honoured (all text is serif, in regular,
bold, italic and bold italic), text is filled but never stroked and not kerned, and a
character the font lacks prints as its empty box; SVG's whitespace rules are followed,
but no-break spaces print as spaces; the hairline outline (1 unit) that verovio's CSS
puts around each glyph is not drawn (0.005 mm on our pages).

This module walks the pages; :mod:`~filmscore.engraving.geometry` reads transforms,
path data and lengths, :mod:`~filmscore.engraving.svgstyle` colours, CSS, paint state and
fonts, and :mod:`~filmscore.engraving.pdfwriter` writes the PDF.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from filmscore.engraving.geometry import (
    IDENTITY,
    ellipse_ops,
    fast_path_ops,
    fit_viewbox,
    fmt,
    matrix_str,
    mul,
    parse_transform,
    path_ops,
    points_ops,
    precise,
    svg_length,
    viewbox_of,
)
from filmscore.engraving.pdfwriter import PdfWriter
from filmscore.engraving.svgstyle import (
    PAINT_SET,
    REFUSED_SET,
    Fonts,
    State,
    apply_paint,
    initial_state,
    parse_css,
    smufl_family,
    smufl_glyph,
)
from filmscore.errors import ParseError, ToolError
from filmscore.fileio import write_atomic

__all__ = ["MM", "parse_transform", "path_ops", "svg_pages_to_pdf", "svg_pages_to_pdf_bytes"]

MM = 72 / 25.4  # PDF points per millimetre

_SKIP = {"desc", "title", "metadata"}
_SHAPES = {"path", "polygon", "polyline", "ellipse", "circle", "rect", "line"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_TAGS = {f"{_SVG_NS}{t}": t for t in ("g", "path", "use", "text", "tspan", "polygon",
                                       "polyline", "ellipse", "rect", "svg", "defs")}
_NONE = object()  # a cached "display: none"
_TRANSLATE_SCALE = re.compile(r"translate\((-?[\d.]+),?\s*(-?[\d.]+)\)\s*"
                              r"scale\(([\d.]+)(?:,?\s*([\d.]+))?\)$")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comment or processing instruction
    return tag.rsplit("}", 1)[-1]


class _Page:
    """Renders one SVG page into the writer's current page."""

    def __init__(self, writer: PdfWriter, root) -> None:
        self.w = writer
        self.defs: dict[str, object] = {}
        self.css: dict[str, list] = {}
        self.css_cache: dict[tuple, tuple] = {}
        self.states: dict[tuple, object] = writer.states
        self.uses: dict[str, str] = {}
        self.root = root

    def collect(self, el) -> None:
        """Find the <defs> and <style> of the page (before drawing anything)."""
        for node in el.iter(f"{_SVG_NS}defs", f"{_SVG_NS}style", "defs", "style"):
            tag = _local(node.tag)
            if tag == "defs":
                for child in node:
                    ident = child.get("id")
                    if ident:
                        self.defs[ident] = child
            elif tag == "style":
                kind = node.get("type", "text/css")
                if kind != "text/css":
                    raise ToolError(f"cannot read an SVG <style> of type {kind!r}")
                for tag_, rules in parse_css(node.text or "").items():
                    self.css.setdefault(tag_, []).extend(rules)

    def style(self, el, tag: str, st: State) -> State | None:
        """The element's state: ``st`` with its presentation attributes and the CSS rules
        that match it applied (None: ``display="none"``)."""
        attrib = el.attrib
        props = None
        for key in attrib.keys():
            if key in PAINT_SET:
                if props is None:
                    props = []
                props.append((key, attrib[key]))
            elif key in REFUSED_SET:
                raise ToolError(f"cannot draw the SVG attribute {key}= of <{tag}>")
            elif key == _XML_SPACE:
                if props is None:
                    props = []
                props.append(("xml:space", attrib[key]))
        if self.css:
            cls = attrib.get("class")
            decls = self.css_cache.get((tag, cls))
            if decls is None:
                classes = set((cls or "").split())
                decls = tuple(item for rule_cls, rule in
                              self.css.get(tag, []) + self.css.get("*", [])
                              if rule_cls <= classes for item in rule.items())
                self.css_cache[(tag, cls)] = decls
            if decls:  # CSS wins over presentation attributes
                props = (props or []) + list(decls)
        if props is None:
            return st
        key = (st, tag in _SHAPES, tuple(props))
        cached = self.states.get(key)
        if cached is not None:
            return cached if cached is not _NONE else None
        new = st.copy()
        apply_paint(new, props)
        for k, v in props:
            if k == "opacity" and float(v) < 1:
                if tag in _SHAPES:
                    new.fo *= float(v)
                    new.so *= float(v)
                else:
                    raise ToolError(f"cannot draw the SVG group opacity {v} of <{tag}>")
        result = None if ("display", "none") in props else new
        self.states[key] = _NONE if result is None else result
        return result

    def draw_children(self, el, st: State, viewport: tuple[float, float]) -> None:
        for child in el:
            tag = _TAGS.get(child.tag)
            if tag is None:
                tag = _local(child.tag)
            if tag:
                self.draw(child, tag, st, viewport)

    def draw(self, el, tag: str, st: State, viewport: tuple[float, float]) -> None:
        w = self.w
        if tag in _SKIP or tag == "defs" or tag == "style":
            return
        st = self.style(el, tag, st)
        if st is None or (st.hidden and tag != "g" and tag != "svg"):
            return
        transform = el.get("transform")
        if tag == "g":
            if transform:
                w.push()
                w.ops.append(matrix_str(parse_transform(transform)) + " cm")
                self.draw_children(el, st, viewport)
                w.pop()
            else:
                self.draw_children(el, st, viewport)
            return
        if tag == "use":
            self.use(el, st, transform)
            return
        if tag == "svg":
            self.svg(el, st, viewport)
            return
        if tag == "text":
            self.text(el, st, transform)
            return
        if tag not in _SHAPES:
            raise ToolError(f"cannot draw the SVG element <{tag}>")
        geometry = self.geometry(el, tag, viewport)
        if not geometry:
            return
        if transform:
            w.push()
            w.ops.append(matrix_str(parse_transform(transform)) + " cm")
        w.paint(st, geometry, tag != "line")
        if transform:
            w.pop()

    def geometry(self, el, tag: str, viewport) -> str:
        get = el.get
        if tag == "path":
            return fast_path_ops(get("d") or "")
        if tag == "polygon":
            return " ".join(points_ops(get("points"), tag)) + " h"
        if tag == "polyline":
            return " ".join(points_ops(get("points"), tag))
        if tag == "ellipse" or tag == "circle":
            cx, cy = svg_length(get("cx")), svg_length(get("cy"))
            if tag == "circle":
                rx = ry = svg_length(get("r"))
            else:
                rx, ry = svg_length(get("rx")), svg_length(get("ry"))
            return ellipse_ops(cx, cy, rx, ry) if rx > 0 and ry > 0 else ""
        if tag == "rect":
            if get("rx") or get("ry"):
                raise ToolError("cannot draw an SVG <rect> with rounded corners (rx, ry)")
            x, y = svg_length(get("x")), svg_length(get("y"))
            width = svg_length(get("width"), percent_of=viewport[0])
            height = svg_length(get("height"), percent_of=viewport[1])
            if width <= 0 or height <= 0:
                return ""
            return f"{fmt(x)} {fmt(y)} {fmt(width)} {fmt(height)} re"
        # line
        return (f"{fmt(svg_length(get('x1')))} {fmt(svg_length(get('y1')))} m "
                f"{fmt(svg_length(get('x2')))} {fmt(svg_length(get('y2')))} l")

    def use(self, el, st: State, transform: str | None) -> None:
        href = el.get("href") or el.get(_XLINK_HREF) or ""
        w = self.w
        code = self.uses.get(href)
        if code is None:
            target = self.defs.get(href[1:]) if href.startswith("#") else None
            if target is None:
                raise ToolError(f"cannot draw the SVG <use> of {href!r}: not in the page's "
                                "<defs>")
            code = self.uses[href] = w.glyph(_glyph_paths(target, href))
        if st.hidden or not code:
            return
        fill = st.fill if st.fill != "current" else st.color
        if fill is None or st.fo <= 0:
            return
        if w.gs[5] != st.fo:
            w.set_alpha(st.fo, w.gs[6])
        if w.gs[0] != fill:
            w.set_fill(fill)
        if el.get("x") or el.get("y"):
            m = parse_transform(transform) if transform else IDENTITY
            m = mul(m, (1.0, 0.0, 0.0, 1.0, svg_length(el.get("x")), svg_length(el.get("y"))))
            w.ops.append(f"q {matrix_str(m)} cm {code} Q")
            return
        fast = _TRANSLATE_SCALE.match(transform) if transform else None
        if fast:
            x, y, sx, sy = fast.groups()
            w.ops.append(f"q {sx} 0 0 {sy or sx} {x} {y} cm {code} Q")
        else:
            m = parse_transform(transform) if transform else IDENTITY
            w.ops.append(f"q {matrix_str(m)} cm {code} Q")

    def svg(self, el, st: State, viewport) -> None:
        x, y = svg_length(el.get("x")), svg_length(el.get("y"))
        width = svg_length(el.get("width"), viewport[0], viewport[0])
        height = svg_length(el.get("height"), viewport[1], viewport[1])
        vb = viewbox_of(el)
        w = self.w
        w.push()
        if el.get("overflow", "hidden") not in ("visible", "auto"):
            w.ops.append(f"{fmt(x)} {fmt(y)} {fmt(width)} {fmt(height)} re W n")
        if vb is not None:
            w.ops.append(matrix_str(fit_viewbox(vb, x, y, width, height,
                                           el.get("preserveAspectRatio"))) + " cm")
            inner = (vb[2], vb[3])
        else:
            if x or y:
                w.ops.append(f"1 0 0 1 {fmt(x)} {fmt(y)} cm")
            inner = (width, height)
        self.draw_children(el, st, inner)
        w.pop()

    # -- text ------------------------------------------------------------------------
    def text(self, el, st: State, transform: str | None) -> None:
        chunks: list[list] = []  # [x, y, anchor, [(text, state), ...]]
        x = svg_length(el.get("x"))
        y = svg_length(el.get("y"))
        chunks.append([x, y, st.anchor, []])
        self.text_runs(el, st, chunks, top=True)
        w = self.w
        if transform:
            w.push()
            w.ops.append(matrix_str(parse_transform(transform)) + " cm")
        # SVG whitespace: collapse and trim (unless xml:space="preserve")
        runs_all = [run for chunk in chunks for run in chunk[3]]
        if not st.preserve:
            prev_space = True
            for run in runs_all:
                text = run[0].replace("\n", "").replace("\t", " ")
                text = re.sub(" +", " ", text)
                if prev_space and text.startswith(" "):
                    text = text[1:]
                if text:
                    prev_space = text.endswith(" ")
                run[0] = text
            for run in reversed(runs_all):
                if run[0]:
                    run[0] = run[0].rstrip(" ")
                    break
        for cx, cy, anchor, runs in chunks:
            runs = [r for r in runs if r[0] and not r[1].hidden]
            if not runs:
                continue
            widths = [self.run_width(text, rst) for text, rst, _dx, _dy in runs]
            total = sum(widths) + sum(r[2] for r in runs)
            pos = cx - (total / 2 if anchor == "middle" else total if anchor == "end" else 0)
            ypos = cy
            for (text, rst, dx, dy), width in zip(runs, widths, strict=True):
                pos += dx
                ypos += dy
                self.draw_run(text, rst, pos, ypos)
                pos += width
        if transform:
            w.pop()

    def text_runs(self, el, st: State, chunks: list, top: bool = False) -> None:
        if not top:
            for attr in ("rotate", "textLength", "lengthAdjust"):
                if el.get(attr):
                    raise ToolError(f"cannot draw the SVG <tspan> attribute {attr}=")
            x, y = el.get("x"), el.get("y")
            if x is not None or y is not None:
                last = chunks[-1]
                chunks.append([svg_length(x) if x is not None else last[0] + 0,
                               svg_length(y) if y is not None else last[1], st.anchor, []])
                if x is None:
                    chunks[-1][0] = None  # continues where the text stands: resolved below
            dx = svg_length(el.get("dx")) if el.get("dx") else 0.0
            dy = svg_length(el.get("dy")) if el.get("dy") else 0.0
        else:
            dx = dy = 0.0
            if el.get("dx") or el.get("dy"):
                dx, dy = svg_length(el.get("dx")), svg_length(el.get("dy"))
        if chunks[-1][0] is None:
            raise ToolError("cannot draw an SVG <tspan> with y= but no x=")
        if el.text:
            chunks[-1][3].append([el.text, st, dx, dy])
            dx = dy = 0.0
        elif dx or dy:
            chunks[-1][3].append(["", st, dx, dy])
        for child in el:
            tag = _local(child.tag)
            if tag == "tspan":
                child_st = self.style(child, tag, st)
                if child_st is not None:
                    self.text_runs(child, child_st, chunks)
            elif tag in _SKIP or not tag:
                pass
            else:
                raise ToolError(f"cannot draw the SVG element <{tag}> inside <text>")
            if child.tail:
                chunks[-1][3].append([child.tail, st, 0.0, 0.0])

    def run_width(self, text: str, st: State) -> float:
        family = smufl_family(st)
        if family:
            return sum(smufl_glyph(family, ch)[1] for ch in text) * st.size / 1000
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text.replace("\u00a0", " "), Fonts.get(st.bold, st.italic),
                           st.size)

    def draw_run(self, text: str, st: State, x: float, y: float) -> None:
        w = self.w
        fill = st.fill if st.fill != "current" else st.color
        if fill is None or st.size <= 0:
            return
        w.set_alpha(st.fo, w.gs[6])
        w.set_fill(fill)
        family = smufl_family(st)
        if family:
            scale = st.size / 1000
            for ch in text:
                paths, advance = smufl_glyph(family, ch)
                code = w.glyph(paths) if paths else ""  # a space draws nothing
                if code:
                    w.ops.append(f"q {precise(scale)} 0 0 {precise(scale)} {fmt(x)} {fmt(y)} "
                                 f"cm {code} Q")
                x += advance * scale
            return
        w.flush()
        tx = w.canvas.beginText()
        tx.setFont(Fonts.get(st.bold, st.italic), st.size)
        tx.setTextTransform(1, 0, 0, -1, x, y)
        tx.textOut(text.replace("\u00a0", " "))
        w.canvas._code.append(tx.getCode())


def _glyph_paths(target, href: str) -> tuple:
    """A <defs> entry as ((transform, d), ...): a <path>, or a <g>/<symbol> of paths."""
    tag = _local(target.tag)
    if tag == "path":
        nodes = [target]
    elif tag == "g" and not target.get("transform"):
        nodes = list(target)
    else:
        raise ToolError(f"cannot draw the SVG <use> of {href!r}: a <{tag}> in <defs>")
    paths = []
    for node in nodes:
        ntag = _local(node.tag)
        if not ntag or ntag in _SKIP:
            continue
        extra = [k for k in node.attrib if k not in ("d", "transform", "id", "class")]
        if ntag != "path" or extra:
            raise ToolError(f"cannot draw the SVG <use> of {href!r}: its <defs> entry holds "
                            f"<{ntag}> {' '.join(extra)}".rstrip())
        paths.append((node.get("transform") or "", node.get("d") or ""))
    return tuple(paths)


def _parse(svg: str | bytes, number: int):
    from lxml import etree

    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             huge_tree=True, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"SVG page {number} is not well-formed XML: {exc}") from None
    if _local(root.tag) != "svg":
        raise ParseError(f"SVG page {number} is not an SVG document",
                         value=_local(root.tag), valid="<svg>")
    return root


def svg_pages_to_pdf_bytes(pages: Iterable[str | bytes], *, width_mm: float,
                           height_mm: float, title: str | None = None) -> bytes:
    """One PDF of ``width_mm`` x ``height_mm`` pages, one per SVG page (verovio's SVG:
    see the module docstring for what is drawn; ``pages`` may be a generator), each SVG's
    outer viewBox fitted to the page (``preserveAspectRatio``, default centred)."""
    if width_mm <= 0 or height_mm <= 0:
        raise ToolError(f"cannot make PDF pages of {width_mm} x {height_mm} mm")
    from reportlab import rl_config

    a85 = rl_config.useA85
    rl_config.useA85 = 0  # plain Flate streams: ASCII85 costs a third of the time
    try:
        return _write(pages, width_mm * MM, height_mm * MM, title)
    finally:
        rl_config.useA85 = a85


def _write(pages: Iterable[str | bytes], width_pt: float, height_pt: float,
           title: str | None) -> bytes:
    writer = PdfWriter(width_pt, height_pt, title)
    for number, svg in enumerate(pages, 1):
        root = _parse(svg, number)
        page = _Page(writer, root)
        page.collect(root)
        # no viewBox: user units are CSS pixels (96 an inch)
        vb = viewbox_of(root) or (0.0, 0.0, svg_length(root.get("width"), width_pt * 96 / 72),
                                svg_length(root.get("height"), height_pt * 96 / 72))
        # SVG user space (y down) -> PDF points (y up)
        fit = fit_viewbox(vb, 0.0, 0.0, width_pt, height_pt, root.get("preserveAspectRatio"))
        base = mul((1.0, 0.0, 0.0, -1.0, 0.0, height_pt), fit)
        writer.gs = [(0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 1.0, 0, 0, 1.0, 1.0]
        writer.stack = []
        writer.ops = ["q", matrix_str(base) + " cm"]
        st = page.style(root, "svg", initial_state())
        if st is not None:
            page.draw_children(root, st, (vb[2], vb[3]))
        writer.ops.append("Q")
        writer.flush()
        writer.canvas.showPage()
    if not writer.canvas.getPageNumber() > 1:
        raise ToolError("no SVG page to write as PDF")
    writer.canvas.save()
    return writer.buffer.getvalue()


def svg_pages_to_pdf(pages: Iterable[str | bytes], path: str | os.PathLike[str], *,
                     width_mm: float, height_mm: float, title: str | None = None) -> Path:
    """Write :func:`svg_pages_to_pdf_bytes` of ``pages`` to ``path`` atomically."""
    return write_atomic(path, svg_pages_to_pdf_bytes(pages, width_mm=width_mm,
                                                     height_mm=height_mm, title=title))
