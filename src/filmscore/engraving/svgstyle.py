"""SVG painting for :mod:`filmscore.engraving.svgpdf`: colours, the CSS subset verovio writes,
the inherited paint state and its application, serif text fonts, and the SMuFL glyph
outlines verovio ships (for text in a music font).

What it loses: colours are read as ``#rgb``, ``#rrggbb``, ``rgb(r, g, b)``, ``none``,
``transparent``, ``currentColor`` and a few names (black, white, red, green, blue, gray,
dodgerblue, limegreen, orange); CSS only as rules of ``[#id] [tag][.class...]`` selectors
with presentation properties; anything else is refused with a
:class:`~filmscore.errors.ToolError`.  Text fonts are serif only (GNU FreeSerif, else
DejaVu Serif, in regular, bold, italic and bold italic); font families other than the
SMuFL ones verovio has outlines for are not honoured.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from filmscore.engraving.geometry import fmt, svg_length
from filmscore.errors import ToolError

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
_PAINT_ATTRS = ("fill", "stroke", "color", "stroke-width", "stroke-linecap",
                "stroke-linejoin", "fill-opacity", "stroke-opacity", "font-family",
                "font-size", "font-weight", "font-style", "text-anchor", "visibility",
                "display", "opacity", "xml:space")
_REFUSED_ATTRS = ("stroke-dasharray", "clip-path", "mask", "filter", "marker-start",
                  "marker-mid", "marker-end", "style", "fill-rule")
PAINT_SET = frozenset(_PAINT_ATTRS) - {"xml:space"}
REFUSED_SET = frozenset(_REFUSED_ATTRS)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_SELECTOR = re.compile(r"([A-Za-z][\w-]*)?((?:\.[\w-]+)*)$")


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


def color_operands(color: tuple[float, float, float]) -> str:
    """An (r, g, b) colour as the three PDF operands of ``rg`` and ``RG``."""
    return " ".join(fmt(round(v, 4)) for v in color)


def parse_css(text: str) -> dict[str, list[tuple[frozenset, dict]]]:
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


#: the advance of a space in music-font text (1/1000 em): SMuFL fonts define no space glyph
SMUFL_SPACE = 250.0


@lru_cache(maxsize=512)
def smufl_glyph(family: str, char: str) -> tuple[tuple, float]:
    """One SMuFL glyph of verovio's ``family``: (its <path>s as (transform, d), advance in
    units of 1/1000 em)."""
    folder, advances = _smufl_font(family)
    code = f"{ord(char):04X}"
    if char.isspace():  # verovio puts spaces in music-font text (Beach Op. 32/ii's tempo)
        return (), advances.get(code, SMUFL_SPACE)
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


class Fonts:
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


class State:
    """Inherited SVG presentation properties."""

    __slots__ = ("fill", "stroke", "color", "sw", "cap", "join", "fo", "so", "family",
                 "size", "bold", "italic", "anchor", "preserve", "hidden")

    def copy(self) -> State:
        other = State.__new__(State)
        for slot in State.__slots__:
            setattr(other, slot, getattr(self, slot))
        return other


def initial_state() -> State:
    """SVG's initial paint state: black fill, no stroke, 16 px upright serif text."""
    st = State()
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


def apply_paint(st: State, props: Iterable[tuple[str, str]]) -> None:
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
            st.sw = svg_length(value)
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
            st.size = svg_length(value, percent_of=st.size)
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


def smufl_family(st: State) -> str | None:
    """The SMuFL font of ``st``'s font-family list that verovio has outlines for, if any."""
    for family in st.family.split(","):
        name = _SMUFL_FAMILIES.get(family.strip().strip("'\"").lower())
        if name:
            return name
    return None
