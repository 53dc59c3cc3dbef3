"""Writing verovio's SVG pages to one PDF directly: glyphs as shared vector forms, real text.

:func:`svg_pages_to_pdf` (to a file, atomically) and :func:`svg_pages_to_pdf_bytes` turn
SVG pages (as verovio 6 writes them) into one PDF of ``width_mm`` x ``height_mm`` pages,
about five times faster than ``rsvg-convert``, in a seventh of its file size.  Each glyph
of the pages' ``<defs>`` (``<g id><path transform d/></g>``, SMuFL glyphs) becomes one
PDF Form XObject per document, drawn by every ``<use>`` that names it; ``<path>``, ``<polygon>``,
``<polyline>``, ``<ellipse>``, ``<circle>``, ``<rect>`` and ``<line>`` become PDF paths
with SVG's painting rules (fill, stroke, stroke-width, linecap, linejoin, opacity,
``currentColor``); group transforms compose; nested ``<svg>`` viewports map their
``viewBox`` (``xMidYMid meet``, clipped unless ``overflow`` is visible).  ``<text>`` and
``<tspan>`` become real PDF text in an embedded, subsetted serif TrueType font (GNU
FreeSerif, a Times clone; else DejaVu Serif), so ``pdftotext`` reads it: x/y/dx/dy,
font-size, font-style, font-weight and text-anchor (start, middle, end, measured with
the font's widths) are kept.  Text in a SMuFL font family (verovio's tempo-mark notes in
"Leipzig", "Bravura", ...) is drawn with the glyph outlines that verovio ships.  The
page's ``<style>`` is read as CSS of the form verovio writes (``#id tag.class {...}``).

What it loses: any SVG feature outside that subset is refused with a
:class:`~filmscore.errors.ToolError` naming it (gradients, patterns, masks, filters,
images, markers, clip paths, ``<symbol>``, dash arrays, ``fill-rule``, ``style=``
attributes, group opacity, other CSS selectors and properties), never dropped silently;
font families other than SMuFL ones are not honoured (all text is serif, in regular,
bold, italic and bold italic), text is filled but never stroked and not kerned, and a
character the font lacks prints as its empty box; SVG's whitespace rules are followed,
but no-break spaces print as spaces; the hairline outline (1 unit) that verovio's CSS
puts around each glyph is not drawn (0.005 mm on our pages).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from filmscore.errors import ParseError, ToolError
from filmscore.fileio import write_atomic

MM = 72 / 25.4  # PDF points per millimetre

_FONT_DIRS = ("/usr/share/fonts/truetype/freefont", "/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {  # (bold, italic) -> candidate files, first found wins
    (False, False): ("FreeSerif.ttf", "DejaVuSerif.ttf"),
    (True, False): ("FreeSerifBold.ttf", "DejaVuSerif-Bold.ttf"),
    (False, True): ("FreeSerifItalic.ttf", "DejaVuSerif-Italic.ttf"),
    (True, True): ("FreeSerifBoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
}
_SMUFL_FAMILIES = {"leipzig": "Leipzig", "bravura": "Bravura", "gootville": "Gootville",
                   "leland": "Leland", "petaluma": "Petaluma"}

_NAMED_COLORS = {
    "black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0), "red": (1.0, 0.0, 0.0),
    "green": (0.0, 128 / 255, 0.0), "blue": (0.0, 0.0, 1.0), "gray": (128 / 255,) * 3,
    "grey": (128 / 255,) * 3, "dodgerblue": (30 / 255, 144 / 255, 1.0),
    "limegreen": (50 / 255, 205 / 255, 50 / 255), "orange": (1.0, 165 / 255, 0.0),
}
_CAPS = {"butt": 0, "round": 1, "square": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}
_SKIP = {"desc", "title", "metadata"}
_SHAPES = {"path", "polygon", "polyline", "ellipse", "circle", "rect", "line"}
_PAINT_ATTRS = ("fill", "stroke", "color", "stroke-width", "stroke-linecap",
                "stroke-linejoin", "fill-opacity", "stroke-opacity", "font-family",
                "font-size", "font-weight", "font-style", "text-anchor", "visibility",
                "display", "opacity", "xml:space")
_REFUSED_ATTRS = ("stroke-dasharray", "clip-path", "mask", "filter", "marker-start",
                  "marker-mid", "marker-end", "style", "fill-rule")
_PAINT_SET = frozenset(_PAINT_ATTRS) - {"xml:space"}
_REFUSED_SET = frozenset(_REFUSED_ATTRS)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_TAGS = {f"{_SVG_NS}{t}": t for t in ("g", "path", "use", "text", "tspan", "polygon",
                                       "polyline", "ellipse", "rect", "svg", "defs")}
_NONE = object()  # a cached "display: none"
_TRANSLATE_SCALE = re.compile(r"translate\((-?[\d.]+),?\s*(-?[\d.]+)\)\s*"
                              r"scale\(([\d.]+)(?:,?\s*([\d.]+))?\)$")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?")
_LENGTH = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|mm|%)?\s*$")
_SIMPLE_LINE = re.compile(r"M\s*(-?\d+)[ ,](-?\d+)\s*L\s*(-?\d+)[ ,](-?\d+)\s*$")
_ABS_PATH = re.compile(r"(?:[MLC][-\d, ]+)+$")
_ABS_SEGMENT = re.compile(r"([MLC])([-\d, ]+)")
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_SELECTOR = re.compile(r"([A-Za-z][\w-]*)?((?:\.[\w-]+)*)$")


def _fmt(v: float) -> str:
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _precise(v: float) -> str:
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    if abs(v) < 1e-7:
        return "0"
    text = f"{v:.8f}".rstrip("0").rstrip(".")
    return text if abs(v) >= 1 else f"{v:.10f}".rstrip("0").rstrip(".")


def _matrix_str(m: tuple) -> str:
    return " ".join(_precise(v) for v in m)


def _mul(m: tuple, n: tuple) -> tuple:
    """The matrix that applies ``n`` first, then ``m`` (both SVG/PDF (a b c d e f))."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@lru_cache(maxsize=4096)
def parse_transform(text: str) -> tuple:
    """An SVG ``transform`` attribute as one matrix (a, b, c, d, e, f)."""
    m = _IDENTITY
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TRANSFORM.match(text, pos)
        if match is None:
            raise ToolError(f"cannot read the SVG transform {text[:60]!r}")
        name, args = match.group(1), [float(x) for x in _NUMBER.findall(match.group(2))]
        pos = match.end()
        if name == "matrix" and len(args) == 6:
            n = tuple(args)
        elif name == "translate" and len(args) in (1, 2):
            n = (1.0, 0.0, 0.0, 1.0, args[0], args[1] if len(args) == 2 else 0.0)
        elif name == "scale" and len(args) in (1, 2):
            n = (args[0], 0.0, 0.0, args[1] if len(args) == 2 else args[0], 0.0, 0.0)
        elif name == "rotate" and len(args) in (1, 3):
            r = math.radians(args[0])
            cos, sin = math.cos(r), math.sin(r)
            n = (cos, sin, -sin, cos, 0.0, 0.0)
            if len(args) == 3:
                cx, cy = args[1], args[2]
                n = _mul(_mul((1.0, 0.0, 0.0, 1.0, cx, cy), n), (1.0, 0.0, 0.0, 1.0, -cx, -cy))
        elif name == "skewX" and len(args) == 1:
            n = (1.0, 0.0, math.tan(math.radians(args[0])), 1.0, 0.0, 0.0)
        elif name == "skewY" and len(args) == 1:
            n = (1.0, math.tan(math.radians(args[0])), 0.0, 1.0, 0.0, 0.0)
        else:
            raise ToolError(f"cannot read the SVG transform {text[:60]!r}")
        m = _mul(m, n)
    return m


def _arc_to_beziers(x1, y1, rx, ry, phi, large, sweep, x2, y2):
    """SVG elliptical arc (endpoint form) as cubic Bézier control points (SVG 1.1 F.6)."""
    if (x1, y1) == (x2, y2):
        return []
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return [(x1, y1, x2, y2, x2, y2)]
    cos, sin = math.cos(math.radians(phi)), math.sin(math.radians(phi))
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    xp, yp = cos * dx + sin * dy, -sin * dx + cos * dy
    lam = (xp * xp) / (rx * rx) + (yp * yp) / (ry * ry)
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp
    den = rx * rx * yp * yp + ry * ry * xp * xp
    coef = math.sqrt(max(0.0, num / den)) if den else 0.0
    if large == sweep:
        coef = -coef
    cxp, cyp = coef * rx * yp / ry, -coef * ry * xp / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2

    def angle(ux, uy, vx, vy):
        a = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        return a

    t1 = angle(1, 0, (xp - cxp) / rx, (yp - cyp) / ry)
    dt = angle((xp - cxp) / rx, (yp - cyp) / ry, (-xp - cxp) / rx, (-yp - cyp) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    segments = max(1, math.ceil(abs(dt) / (math.pi / 2) - 1e-9))
    delta = dt / segments
    k = 4 / 3 * math.tan(delta / 4)
    out = []
    t = t1
    for _ in range(segments):
        c1, s1 = math.cos(t), math.sin(t)
        c2, s2 = math.cos(t + delta), math.sin(t + delta)
        pts = [(c1 - k * s1, s1 + k * c1), (c2 + k * s2, s2 - k * c2), (c2, s2)]
        seg = []
        for ex, ey in pts:
            ex, ey = ex * rx, ey * ry
            seg += [cos * ex - sin * ey + cx, sin * ex + cos * ey + cy]
        out.append(tuple(seg))
        t += delta
    return out


def _path_error(d: str, why: str) -> ToolError:
    return ToolError(f"cannot draw the SVG path {d[:60]!r}: {why}")


@lru_cache(maxsize=8192)
def path_ops(d: str, matrix: tuple = _IDENTITY) -> tuple[str, tuple]:
    """SVG path data as PDF path operators (every command: M L H V C S Q T A Z, absolute
    and relative), with the points mapped by ``matrix``; and their bounding box
    (of the points and control points) as (x0, y0, x1, y1)."""
    simple = _SIMPLE_LINE.match(d) if matrix == _IDENTITY else None
    if simple:
        x1, y1, x2, y2 = simple.groups()
        xs, ys = (int(x1), int(x2)), (int(y1), int(y2))
        return (f"{x1} {y1} m {x2} {y2} l", (min(xs), min(ys), max(xs), max(ys)))
    tokens = _PATH_TOKEN.findall(d)
    a, b, c, dd, e, f = matrix
    out: list[str] = []
    xs: list[float] = []
    ys: list[float] = []

    def pt(x, y):
        px, py = a * x + c * y + e, b * x + dd * y + f
        xs.append(px)
        ys.append(py)
        return f"{_fmt(px)} {_fmt(py)}"

    i, n = 0, len(tokens)
    cmd = None
    x = y = sx = sy = 0.0
    last_c = last_q = None  # reflected control points for S and T

    def nums(k):
        nonlocal i
        if i + k > n:
            raise _path_error(d, "missing numbers")
        try:
            vals = [float(t) for t in tokens[i:i + k]]
        except ValueError:
            raise _path_error(d, f"a command where a number belongs ({tokens[i]!r})") from None
        i += k
        return vals

    while i < n:
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "Zz":
                out.append("h")
                x, y = sx, sy
                last_c = last_q = None
                continue
        elif cmd is None:
            raise _path_error(d, "it does not start with a command")
        elif cmd in "Zz":
            raise _path_error(d, "numbers after Z")
        rel = cmd.islower()
        up = cmd.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if up == "M":
            px, py = nums(2)
            x, y = px + ox, py + oy
            sx, sy = x, y
            out.append(pt(x, y) + " m")
            cmd = "l" if rel else "L"  # later pairs are lines
            last_c = last_q = None
        elif up == "L":
            px, py = nums(2)
            x, y = px + ox, py + oy
            out.append(pt(x, y) + " l")
            last_c = last_q = None
        elif up == "H":
            (px,) = nums(1)
            x = px + ox
            out.append(pt(x, y) + " l")
            last_c = last_q = None
        elif up == "V":
            (py,) = nums(1)
            y = py + (y if rel else 0.0)
            out.append(pt(x, y) + " l")
            last_c = last_q = None
        elif up in "CS":
            if up == "C":
                x1, y1, x2, y2, px, py = nums(6)
                x1, y1 = x1 + ox, y1 + oy
            else:
                x2, y2, px, py = nums(4)
                x1, y1 = (2 * x - last_c[0], 2 * y - last_c[1]) if last_c else (x, y)
            x2, y2, px, py = x2 + ox, y2 + oy, px + ox, py + oy
            out.append(f"{pt(x1, y1)} {pt(x2, y2)} {pt(px, py)} c")
            last_c, last_q = (x2, y2), None
            x, y = px, py
        elif up in "QT":
            if up == "Q":
                qx, qy, px, py = nums(4)
                qx, qy = qx + ox, qy + oy
            else:
                px, py = nums(2)
                qx, qy = (2 * x - last_q[0], 2 * y - last_q[1]) if last_q else (x, y)
            px, py = px + ox, py + oy
            c1 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
            c2 = (px + 2 / 3 * (qx - px), py + 2 / 3 * (qy - py))
            out.append(f"{pt(*c1)} {pt(*c2)} {pt(px, py)} c")
            last_q, last_c = (qx, qy), None
            x, y = px, py
        elif up == "A":
            rx, ry, phi, large, sweep, px, py = nums(7)
            px, py = px + ox, py + oy
            for seg in _arc_to_beziers(x, y, rx, ry, phi, bool(large), bool(sweep), px, py):
                out.append(f"{pt(seg[0], seg[1])} {pt(seg[2], seg[3])} {pt(seg[4], seg[5])} c")
            x, y = px, py
            last_c = last_q = None
        else:
            raise _path_error(d, f"unknown command {cmd!r}")
    if not xs:
        return "", (0.0, 0.0, 0.0, 0.0)
    return " ".join(out), (min(xs), min(ys), max(xs), max(ys))


_ARITY = {"M": (2, "m"), "L": (2, "l"), "C": (6, "c")}


def _body_path(d: str) -> str:
    """:func:`path_ops` of ``d``, faster for the absolute M/L/C paths verovio draws."""
    line = _SIMPLE_LINE.match(d)
    if line:
        return "{} {} m {} {} l".format(*line.groups())
    if not _ABS_PATH.match(d):
        return path_ops(d)[0]
    out = []
    for cmd, args in _ABS_SEGMENT.findall(d):
        numbers = args.replace(",", " ").split()
        arity, op = _ARITY[cmd]
        if len(numbers) != arity:
            return path_ops(d)[0]
        out.append(f"{' '.join(numbers)} {op}")
    return " ".join(out)


def _length(value: str | None, default: float = 0.0, percent_of: float = 0.0) -> float:
    if value is None:
        return default
    match = _LENGTH.match(value)
    if match is None:
        raise ToolError(f"cannot read the SVG length {value!r}")
    number, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        return number * percent_of / 100
    if unit == "mm":
        return number * 72 / 25.4 * 96 / 72
    if unit == "pt":
        return number * 96 / 72
    return number


@lru_cache(maxsize=256)
def _color(value: str):
    """A paint value: None (none), "current" (currentColor), or (r, g, b) in 0..1."""
    v = value.strip()
    low = v.lower()
    if low == "none" or low == "transparent":
        return None
    if low == "currentcolor":
        return "current"
    if v.startswith("#"):
        h = v[1:]
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        if len(h) == 6:
            try:
                return tuple(int(h[k:k + 2], 16) / 255 for k in (0, 2, 4))
            except ValueError:
                pass
    match = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", low)
    if match:
        return tuple(min(255, int(g)) / 255 for g in match.groups())
    if low in _NAMED_COLORS:
        return _NAMED_COLORS[low]
    raise ToolError(f"cannot draw the SVG colour {value!r}",)


def _rgb(color) -> str:
    return " ".join(_fmt(round(v, 4)) for v in color)


def _parse_css(text: str) -> dict[str, list[tuple[frozenset, dict]]]:
    """verovio's page ``<style>``: rules of ``[#id] [tag][.class...]`` selectors, by tag
    (``*`` for a class-only selector); anything else is refused."""
    rules: dict[str, list[tuple[int, int, frozenset, dict]]] = {}
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    order = 0
    rest = _CSS_RULE.sub("", text).strip()
    if rest:
        raise ToolError(f"cannot read the SVG page's CSS near {rest[:60]!r}")
    for selectors, body in _CSS_RULE.findall(text):
        decls = {}
        for decl in body.split(";"):
            if not decl.strip():
                continue
            if ":" not in decl:
                raise ToolError(f"cannot read the CSS declaration {decl.strip()[:60]!r}")
            prop, value = (s.strip() for s in decl.split(":", 1))
            if prop not in _PAINT_ATTRS:
                raise ToolError(f"cannot draw the CSS property {prop!r} of the SVG page")
            decls[prop] = value
        for selector in selectors.split(","):
            parts = selector.split()
            if parts and parts[0].startswith("#"):
                parts = parts[1:]  # the page's own id: every element is inside it
            match = _CSS_SELECTOR.match(parts[0]) if len(parts) == 1 else None
            if match is None or not (match.group(1) or match.group(2)):
                raise ToolError(f"cannot apply the CSS selector {selector.strip()!r}")
            classes = frozenset(c for c in match.group(2).split(".") if c)
            order += 1
            rules.setdefault(match.group(1) or "*", []).append(
                (len(classes), order, classes, decls))
    return {tag: [(cls, decls) for _n, _o, cls, decls in sorted(items, key=lambda r: r[:2])]
            for tag, items in rules.items()}


@lru_cache(maxsize=8)
def _smufl_font(family: str) -> tuple[Path, dict[str, float]]:
    """verovio's folder of SMuFL glyph outlines for ``family`` and the glyphs' advances."""
    import importlib.util

    spec = importlib.util.find_spec("verovio")
    if spec is None or spec.origin is None:
        raise ToolError(f"cannot draw text in the music font {family}: verovio's glyph "
                        "outlines are not installed (pip install verovio)")
    folder = Path(spec.origin).parent / "data"
    try:
        index = (folder / f"{family}.xml").read_text(encoding="utf-8")
    except OSError:
        raise ToolError(f"cannot draw text in the music font {family}: verovio has no "
                        "outlines for it") from None
    advances = {m.group(1): float(m.group(2)) for m in
                re.finditer(r'<g c="([0-9A-Fa-f]+)"[^>]*?h-a-x="([-\d.]+)"', index)}
    return folder / family, advances


@lru_cache(maxsize=512)
def _smufl_glyph(family: str, char: str) -> tuple[tuple, float]:
    """One SMuFL glyph of verovio's ``family``: (its <path>s as (transform, d), advance in
    units of 1/1000 em)."""
    folder, advances = _smufl_font(family)
    code = f"{ord(char):04X}"
    try:
        text = (folder / f"{code}.xml").read_text(encoding="utf-8")
    except OSError:
        raise ToolError(f"cannot draw U+{code} in the music font {family}: verovio has no "
                        "outline for it") from None
    paths = tuple((m.group(1) or "", m.group(2)) for m in re.finditer(
        r'<path(?:\s+transform="([^"]*)")?\s+d="([^"]*)"', text))
    if not paths:
        raise ToolError(f"cannot draw U+{code} in the music font {family}: no outline")
    return paths, advances.get(code, 1000.0)


class _Fonts:
    """The serif text fonts, registered with reportlab once per process."""

    names: dict[tuple[bool, bool], str] = {}

    @classmethod
    def get(cls, bold: bool, italic: bool) -> str:
        key = (bold, italic)
        name = cls.names.get(key)
        if name is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            for file in _FONT_FILES[key]:
                path = next((os.path.join(folder, file) for folder in _FONT_DIRS
                             if os.path.exists(os.path.join(folder, file))), None)
                if path:
                    name = Path(file).stem
                    if name not in pdfmetrics.getRegisteredFontNames():
                        pdfmetrics.registerFont(TTFont(name, path))
                    break
            else:
                raise ToolError("no serif TrueType font for PDF text (install the Debian "
                                "package fonts-freefont-ttf or fonts-dejavu-core)")
            cls.names[key] = name
        return name


class _State:
    """Inherited SVG presentation properties."""

    __slots__ = ("fill", "stroke", "color", "sw", "cap", "join", "fo", "so", "family",
                 "size", "bold", "italic", "anchor", "preserve", "hidden")

    def copy(self) -> _State:
        other = _State.__new__(_State)
        for slot in _State.__slots__:
            setattr(other, slot, getattr(self, slot))
        return other


def _initial_state() -> _State:
    st = _State()
    st.fill, st.stroke, st.color = (0.0, 0.0, 0.0), None, (0.0, 0.0, 0.0)
    st.sw, st.cap, st.join, st.fo, st.so = 1.0, 0, 0, 1.0, 1.0
    st.family, st.size, st.bold, st.italic = "serif", 16.0, False, False
    st.anchor, st.preserve, st.hidden = "start", False, False
    return st


def _weight_bold(value: str) -> bool:
    v = value.strip().lower()
    if v in ("bold", "bolder"):
        return True
    if v in ("normal", "lighter", "inherit"):
        return False
    try:
        return int(v) >= 600
    except ValueError:
        raise ToolError(f"cannot draw the font-weight {value!r}") from None


def _apply(st: _State, props) -> None:
    """Apply presentation attributes or CSS declarations (name -> value) to ``st``."""
    for name, value in props:
        if value == "inherit":
            continue
        if name == "fill":
            st.fill = _color(value)
        elif name == "stroke":
            st.stroke = _color(value)
        elif name == "color":
            col = _color(value)
            if col != "current":
                st.color = col
        elif name == "stroke-width":
            st.sw = _length(value)
        elif name == "stroke-linecap":
            if value not in _CAPS:
                raise ToolError(f"cannot draw the stroke-linecap {value!r}")
            st.cap = _CAPS[value]
        elif name == "stroke-linejoin":
            if value not in _JOINS:
                raise ToolError(f"cannot draw the stroke-linejoin {value!r}")
            st.join = _JOINS[value]
        elif name == "fill-opacity":
            st.fo = min(1.0, max(0.0, float(value)))
        elif name == "stroke-opacity":
            st.so = min(1.0, max(0.0, float(value)))
        elif name == "font-family":
            st.family = value
        elif name == "font-size":
            st.size = _length(value, percent_of=st.size)
        elif name == "font-weight":
            st.bold = _weight_bold(value)
        elif name == "font-style":
            st.italic = value.strip().lower() in ("italic", "oblique")
        elif name == "text-anchor":
            if value not in ("start", "middle", "end"):
                raise ToolError(f"cannot draw the text-anchor {value!r}")
            st.anchor = value
        elif name == "visibility":
            st.hidden = value in ("hidden", "collapse")
        elif name == "xml:space":
            st.preserve = value == "preserve"
        # display and opacity are handled by the caller


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comment or processing instruction
    return tag.rsplit("}", 1)[-1]


class _Writer:
    """One PDF document: the reportlab canvas, the glyph forms, the current page's ops."""

    def __init__(self, width_pt: float, height_pt: float, title: str | None) -> None:
        from reportlab.pdfgen.canvas import Canvas

        self.buffer = BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(width_pt, height_pt), pageCompression=1,
                             invariant=1)
        if title:
            self.canvas.setTitle(title)
        self.width, self.height = width_pt, height_pt
        self.forms: dict[tuple, str] = {}
        self.states: dict[tuple, object] = {}
        self.xnames: dict[str, str] = {}
        self.internal: dict[str, str] = {}
        self.ops: list[str] = []
        self.page_forms: set[str] = set()
        self.gs: list = []  # PDF graphics state: [fill, stroke, width, cap, join, fa, sa]
        self.stack: list[list] = []

    # -- low level -------------------------------------------------------------------
    def flush(self) -> None:
        if self.ops:
            self.canvas._code.append(" ".join(self.ops))
            self.ops = []

    def push(self) -> None:
        self.ops.append("q")
        self.stack.append(list(self.gs))

    def pop(self) -> None:
        self.ops.append("Q")
        self.gs = self.stack.pop()

    def set_fill(self, rgb) -> None:
        if self.gs[0] != rgb:
            self.ops.append(f"{_rgb(rgb)} rg")
            self.gs[0] = rgb

    def set_stroke(self, rgb, st: _State) -> None:
        gs = self.gs
        if gs[1] != rgb:
            self.ops.append(f"{_rgb(rgb)} RG")
            gs[1] = rgb
        if gs[2] != st.sw:
            self.ops.append(f"{_fmt(st.sw)} w")
            gs[2] = st.sw
        if gs[3] != st.cap:
            self.ops.append(f"{st.cap} J")
            gs[3] = st.cap
        if gs[4] != st.join:
            self.ops.append(f"{st.join} j")
            gs[4] = st.join

    def set_alpha(self, fill_alpha: float, stroke_alpha: float) -> None:
        if self.gs[5] != fill_alpha or self.gs[6] != stroke_alpha:
            self.flush()
            self.canvas.setFillAlpha(fill_alpha)
            self.canvas.setStrokeAlpha(stroke_alpha)
            self.gs[5], self.gs[6] = fill_alpha, stroke_alpha

    def form(self, paths: tuple) -> str:
        """The resource name of the Form XObject that fills ``paths`` ((transform, d), ...)
        with the current fill colour; made once per document."""
        name = self.forms.get(paths)
        if name is None:
            name = f"G{len(self.forms)}"
            code, box = [], None
            for transform, d in paths:
                ops, b = path_ops(d, parse_transform(transform) if transform else _IDENTITY)
                if ops:
                    code.append(ops)
                    box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]),
                                                 max(box[2], b[2]), max(box[3], b[3]))
            box = box or (0, 0, 0, 0)
            self.flush()
            self.canvas.beginForm(name, box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1)
            self.canvas._code.append(" ".join(code) + " f")
            self.canvas.endForm()
            self.forms[paths] = name
            self.xnames[name] = self.canvas._doc.getXObjectName(name)
            self.internal[self.xnames[name]] = name
        xname = self.xnames[name]
        if xname not in self.page_forms:
            self.page_form(xname)
        return xname

    def page_form(self, xname: str) -> None:
        """Name the form in the current page's resources."""
        self.page_forms.add(xname)
        self.canvas._formsinuse.append(self.internal[xname])

    # -- painting --------------------------------------------------------------------
    def paint(self, st: _State, geometry: str, closed_fill: bool = True) -> None:
        fill = st.fill
        if fill == "current":
            fill = st.color
        stroke = st.stroke
        if stroke == "current":
            stroke = st.color
        if not closed_fill or st.fo <= 0:
            fill = None
        if st.so <= 0 or st.sw <= 0:
            stroke = None
        if fill is None and stroke is None:
            return
        self.set_alpha(st.fo if fill is not None else self.gs[5],
                       st.so if stroke is not None else self.gs[6])
        if fill is not None:
            self.set_fill(fill)
        if stroke is not None:
            self.set_stroke(stroke, st)
            self.ops.append(geometry + (" B" if fill is not None else " S"))
        else:
            self.ops.append(geometry + " f")


def _points(text: str, tag: str) -> list[str]:
    values = _NUMBER.findall(text or "")
    if len(values) % 2 or not values:
        raise ToolError(f"cannot draw an SVG <{tag}> with points {text[:60]!r}")
    return [f"{values[k]} {values[k + 1]} {'m' if k == 0 else 'l'}"
            for k in range(0, len(values), 2)]


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> str:
    k = 0.5522847498
    ox, oy = rx * k, ry * k
    f = _fmt
    return (f"{f(cx + rx)} {f(cy)} m "
            f"{f(cx + rx)} {f(cy + oy)} {f(cx + ox)} {f(cy + ry)} {f(cx)} {f(cy + ry)} c "
            f"{f(cx - ox)} {f(cy + ry)} {f(cx - rx)} {f(cy + oy)} {f(cx - rx)} {f(cy)} c "
            f"{f(cx - rx)} {f(cy - oy)} {f(cx - ox)} {f(cy - ry)} {f(cx)} {f(cy - ry)} c "
            f"{f(cx + ox)} {f(cy - ry)} {f(cx + rx)} {f(cy - oy)} {f(cx + rx)} {f(cy)} c h")


def _viewbox(el) -> tuple[float, float, float, float] | None:
    vb = el.get("viewBox")
    if vb is None:
        return None
    values = [float(v) for v in _NUMBER.findall(vb)]
    if len(values) != 4 or values[2] <= 0 or values[3] <= 0:
        raise ToolError(f"cannot use the SVG viewBox {vb!r}")
    return values[0], values[1], values[2], values[3]


def _meet(vb, x: float, y: float, w: float, h: float, par: str | None) -> tuple:
    """The matrix that maps viewBox ``vb`` into the viewport (x, y, w, h)."""
    vx, vy, vw, vh = vb
    par = (par or "xMidYMid meet").split()
    align = par[0]
    if align == "none":
        return (w / vw, 0.0, 0.0, h / vh, x - vx * w / vw, y - vy * h / vh)
    slice_ = len(par) > 1 and par[1] == "slice"
    s = max(w / vw, h / vh) if slice_ else min(w / vw, h / vh)
    fx = {"xMin": 0.0, "xMid": 0.5, "xMax": 1.0}.get(align[:4])
    fy = {"YMin": 0.0, "YMid": 0.5, "YMax": 1.0}.get(align[4:])
    if fx is None or fy is None:
        raise ToolError(f"cannot use the SVG preserveAspectRatio {' '.join(par)!r}")
    return (s, 0.0, 0.0, s, x + (w - vw * s) * fx - vx * s, y + (h - vh * s) * fy - vy * s)


class _Page:
    """Renders one SVG page into the writer's current page."""

    def __init__(self, writer: _Writer, root) -> None:
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
                for tag_, rules in _parse_css(node.text or "").items():
                    self.css.setdefault(tag_, []).extend(rules)

    def style(self, el, tag: str, st: _State) -> _State | None:
        """The element's state: ``st`` with its presentation attributes and the CSS rules
        that match it applied (None: ``display="none"``)."""
        attrib = el.attrib
        props = None
        for key in attrib.keys():
            if key in _PAINT_SET:
                if props is None:
                    props = []
                props.append((key, attrib[key]))
            elif key in _REFUSED_SET:
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
        _apply(new, props)
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

    def draw_children(self, el, st: _State, viewport: tuple[float, float]) -> None:
        for child in el:
            tag = _TAGS.get(child.tag)
            if tag is None:
                tag = _local(child.tag)
            if tag:
                self.draw(child, tag, st, viewport)

    def draw(self, el, tag: str, st: _State, viewport: tuple[float, float]) -> None:
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
                w.ops.append(_matrix_str(parse_transform(transform)) + " cm")
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
            w.ops.append(_matrix_str(parse_transform(transform)) + " cm")
        w.paint(st, geometry, tag != "line")
        if transform:
            w.pop()

    def geometry(self, el, tag: str, viewport) -> str:
        get = el.get
        if tag == "path":
            return _body_path(get("d") or "")
        if tag == "polygon":
            return " ".join(_points(get("points"), tag)) + " h"
        if tag == "polyline":
            return " ".join(_points(get("points"), tag))
        if tag == "ellipse" or tag == "circle":
            cx, cy = _length(get("cx")), _length(get("cy"))
            if tag == "circle":
                rx = ry = _length(get("r"))
            else:
                rx, ry = _length(get("rx")), _length(get("ry"))
            return _ellipse(cx, cy, rx, ry) if rx > 0 and ry > 0 else ""
        if tag == "rect":
            if get("rx") or get("ry"):
                raise ToolError("cannot draw an SVG <rect> with rounded corners (rx, ry)")
            x, y = _length(get("x")), _length(get("y"))
            width = _length(get("width"), percent_of=viewport[0])
            height = _length(get("height"), percent_of=viewport[1])
            if width <= 0 or height <= 0:
                return ""
            return f"{_fmt(x)} {_fmt(y)} {_fmt(width)} {_fmt(height)} re"
        # line
        return (f"{_fmt(_length(get('x1')))} {_fmt(_length(get('y1')))} m "
                f"{_fmt(_length(get('x2')))} {_fmt(_length(get('y2')))} l")

    def use(self, el, st: _State, transform: str | None) -> None:
        href = el.get("href") or el.get(_XLINK_HREF) or ""
        w = self.w
        name = self.uses.get(href)
        if name is None:
            target = self.defs.get(href[1:]) if href.startswith("#") else None
            if target is None:
                raise ToolError(f"cannot draw the SVG <use> of {href!r}: not in the page's "
                                "<defs>")
            name = self.uses[href] = w.form(_glyph_paths(target, href))
        elif name not in w.page_forms:
            w.page_form(name)
        if st.hidden:
            return
        fill = st.fill if st.fill != "current" else st.color
        if fill is None or st.fo <= 0:
            return
        if w.gs[5] != st.fo:
            w.set_alpha(st.fo, w.gs[6])
        if w.gs[0] != fill:
            w.set_fill(fill)
        if el.get("x") or el.get("y"):
            m = parse_transform(transform) if transform else _IDENTITY
            m = _mul(m, (1.0, 0.0, 0.0, 1.0, _length(el.get("x")), _length(el.get("y"))))
            w.ops.append(f"q {_matrix_str(m)} cm /{name} Do Q")
            return
        fast = _TRANSLATE_SCALE.match(transform) if transform else None
        if fast:
            x, y, sx, sy = fast.groups()
            w.ops.append(f"q {sx} 0 0 {sy or sx} {x} {y} cm /{name} Do Q")
        else:
            m = parse_transform(transform) if transform else _IDENTITY
            w.ops.append(f"q {_matrix_str(m)} cm /{name} Do Q")

    def svg(self, el, st: _State, viewport) -> None:
        x, y = _length(el.get("x")), _length(el.get("y"))
        width = _length(el.get("width"), viewport[0], viewport[0])
        height = _length(el.get("height"), viewport[1], viewport[1])
        vb = _viewbox(el)
        w = self.w
        w.push()
        if el.get("overflow", "hidden") not in ("visible", "auto"):
            w.ops.append(f"{_fmt(x)} {_fmt(y)} {_fmt(width)} {_fmt(height)} re W n")
        if vb is not None:
            w.ops.append(_matrix_str(_meet(vb, x, y, width, height,
                                           el.get("preserveAspectRatio"))) + " cm")
            inner = (vb[2], vb[3])
        else:
            if x or y:
                w.ops.append(f"1 0 0 1 {_fmt(x)} {_fmt(y)} cm")
            inner = (width, height)
        self.draw_children(el, st, inner)
        w.pop()

    # -- text ------------------------------------------------------------------------
    def text(self, el, st: _State, transform: str | None) -> None:
        chunks: list[list] = []  # [x, y, anchor, [(text, state), ...]]
        x = _length(el.get("x"))
        y = _length(el.get("y"))
        chunks.append([x, y, st.anchor, []])
        self.text_runs(el, st, chunks, top=True)
        w = self.w
        if transform:
            w.push()
            w.ops.append(_matrix_str(parse_transform(transform)) + " cm")
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

    def text_runs(self, el, st: _State, chunks: list, top: bool = False) -> None:
        if not top:
            for attr in ("rotate", "textLength", "lengthAdjust"):
                if el.get(attr):
                    raise ToolError(f"cannot draw the SVG <tspan> attribute {attr}=")
            x, y = el.get("x"), el.get("y")
            if x is not None or y is not None:
                last = chunks[-1]
                chunks.append([_length(x) if x is not None else last[0] + 0,
                               _length(y) if y is not None else last[1], st.anchor, []])
                if x is None:
                    chunks[-1][0] = None  # continues where the text stands: resolved below
            dx = _length(el.get("dx")) if el.get("dx") else 0.0
            dy = _length(el.get("dy")) if el.get("dy") else 0.0
        else:
            dx = dy = 0.0
            if el.get("dx") or el.get("dy"):
                dx, dy = _length(el.get("dx")), _length(el.get("dy"))
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

    @staticmethod
    def smufl_family(st: _State) -> str | None:
        for family in st.family.split(","):
            name = _SMUFL_FAMILIES.get(family.strip().strip("'\"").lower())
            if name:
                return name
        return None

    def run_width(self, text: str, st: _State) -> float:
        family = self.smufl_family(st)
        if family:
            return sum(_smufl_glyph(family, ch)[1] for ch in text) * st.size / 1000
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text.replace("\u00a0", " "), _Fonts.get(st.bold, st.italic),
                           st.size)

    def draw_run(self, text: str, st: _State, x: float, y: float) -> None:
        w = self.w
        fill = st.fill if st.fill != "current" else st.color
        if fill is None or st.size <= 0:
            return
        w.set_alpha(st.fo, w.gs[6])
        w.set_fill(fill)
        family = self.smufl_family(st)
        if family:
            scale = st.size / 1000
            for ch in text:
                paths, advance = _smufl_glyph(family, ch)
                name = w.form(paths)
                w.ops.append(f"q {_precise(scale)} 0 0 {_precise(scale)} {_fmt(x)} {_fmt(y)} cm "
                             f"/{name} Do Q")
                x += advance * scale
            return
        w.flush()
        tx = w.canvas.beginText()
        tx.setFont(_Fonts.get(st.bold, st.italic), st.size)
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
    writer = _Writer(width_pt, height_pt, title)
    for number, svg in enumerate(pages, 1):
        root = _parse(svg, number)
        page = _Page(writer, root)
        page.collect(root)
        # no viewBox: user units are CSS pixels (96 an inch)
        vb = _viewbox(root) or (0.0, 0.0, _length(root.get("width"), width_pt * 96 / 72),
                                _length(root.get("height"), height_pt * 96 / 72))
        # SVG user space (y down) -> PDF points (y up)
        fit = _meet(vb, 0.0, 0.0, width_pt, height_pt, root.get("preserveAspectRatio"))
        base = _mul((1.0, 0.0, 0.0, -1.0, 0.0, height_pt), fit)
        writer.gs = [(0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 1.0, 0, 0, 1.0, 1.0]
        writer.stack = []
        writer.page_forms = set()
        writer.ops = ["q", _matrix_str(base) + " cm"]
        st = page.style(root, "svg", _initial_state())
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
