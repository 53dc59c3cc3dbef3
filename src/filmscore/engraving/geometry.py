"""SVG geometry for :mod:`filmscore.engraving.svgpdf`: numbers, transforms, path data as PDF
path operators, elliptical arcs, lengths, points, ellipses and viewBox fitting.

Pure functions over strings and tuples; a matrix is SVG's and PDF's (a, b, c, d, e, f).
:func:`path_ops` reads every path command (M L H V C S Q T A Z, absolute and relative);
:func:`fast_path_ops` is its shortcut for the absolute M/L/C paths verovio draws.

What it loses: coordinates are written with 3 decimals (:func:`fmt`; matrices with 8,
:func:`precise`); elliptical arcs become cubic Béziers of at most a quarter turn each,
ellipses and circles four Béziers; lengths are read in px (user units), pt, mm and % only
(anything else, such as em or cm, is refused with a :class:`~filmscore.errors.ToolError`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from filmscore.errors import ToolError

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?")
_LENGTH = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|mm|%)?\s*$")
_SIMPLE_LINE = re.compile(r"M\s*(-?\d+)[ ,](-?\d+)\s*L\s*(-?\d+)[ ,](-?\d+)\s*$")
_ABS_PATH = re.compile(r"(?:[MLC][-\d, ]+)+$")
_ABS_SEGMENT = re.compile(r"([MLC])([-\d, ]+)")


def fmt(v: float) -> str:
    """A coordinate for PDF: an integer, else up to 3 decimals."""
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def precise(v: float) -> str:
    """A matrix entry for PDF: an integer, else up to 8 decimals (10 below 1)."""
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    if abs(v) < 1e-7:
        return "0"
    text = f"{v:.8f}".rstrip("0").rstrip(".")
    return text if abs(v) >= 1 else f"{v:.10f}".rstrip("0").rstrip(".")


def matrix_str(m: tuple) -> str:
    """A matrix as the six PDF operands of ``cm``."""
    return " ".join(precise(v) for v in m)


def mul(m: tuple, n: tuple) -> tuple:
    """The matrix that applies ``n`` first, then ``m`` (both SVG/PDF (a b c d e f))."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@lru_cache(maxsize=4096)
def parse_transform(text: str) -> tuple:
    """An SVG ``transform`` attribute as one matrix (a, b, c, d, e, f)."""
    m = IDENTITY
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
                n = mul(mul((1.0, 0.0, 0.0, 1.0, cx, cy), n), (1.0, 0.0, 0.0, 1.0, -cx, -cy))
        elif name == "skewX" and len(args) == 1:
            n = (1.0, 0.0, math.tan(math.radians(args[0])), 1.0, 0.0, 0.0)
        elif name == "skewY" and len(args) == 1:
            n = (1.0, math.tan(math.radians(args[0])), 0.0, 1.0, 0.0, 0.0)
        else:
            raise ToolError(f"cannot read the SVG transform {text[:60]!r}")
        m = mul(m, n)
    return m


def arc_to_beziers(x1: float, y1: float, rx: float, ry: float, phi: float, large: bool,
                   sweep: bool, x2: float, y2: float) -> list[tuple]:
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
def path_ops(d: str, matrix: tuple = IDENTITY) -> tuple[str, tuple]:
    """SVG path data as PDF path operators (every command: M L H V C S Q T A Z, absolute
    and relative), with the points mapped by ``matrix``; and their bounding box
    (of the points and control points) as (x0, y0, x1, y1)."""
    simple = _SIMPLE_LINE.match(d) if matrix == IDENTITY else None
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
        return f"{fmt(px)} {fmt(py)}"

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
            for seg in arc_to_beziers(x, y, rx, ry, phi, bool(large), bool(sweep), px, py):
                out.append(f"{pt(seg[0], seg[1])} {pt(seg[2], seg[3])} {pt(seg[4], seg[5])} c")
            x, y = px, py
            last_c = last_q = None
        else:
            raise _path_error(d, f"unknown command {cmd!r}")
    if not xs:
        return "", (0.0, 0.0, 0.0, 0.0)
    return " ".join(out), (min(xs), min(ys), max(xs), max(ys))


_ARITY = {"M": (2, "m"), "L": (2, "l"), "C": (6, "c")}


def fast_path_ops(d: str) -> str:
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


def svg_length(value: str | None, default: float = 0.0, percent_of: float = 0.0) -> float:
    """An SVG length in user units (px; pt, mm and % of ``percent_of`` converted)."""
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


def points_ops(text: str, tag: str) -> list[str]:
    """A ``points`` attribute as PDF move/line operators (``tag`` names it in errors)."""
    values = _NUMBER.findall(text or "")
    if len(values) % 2 or not values:
        raise ToolError(f"cannot draw an SVG <{tag}> with points {text[:60]!r}")
    return [f"{values[k]} {values[k + 1]} {'m' if k == 0 else 'l'}"
            for k in range(0, len(values), 2)]


def ellipse_ops(cx: float, cy: float, rx: float, ry: float) -> str:
    """An ellipse as a closed PDF path of four Béziers."""
    k = 0.5522847498
    ox, oy = rx * k, ry * k
    f = fmt
    return (f"{f(cx + rx)} {f(cy)} m "
            f"{f(cx + rx)} {f(cy + oy)} {f(cx + ox)} {f(cy + ry)} {f(cx)} {f(cy + ry)} c "
            f"{f(cx - ox)} {f(cy + ry)} {f(cx - rx)} {f(cy + oy)} {f(cx - rx)} {f(cy)} c "
            f"{f(cx - rx)} {f(cy - oy)} {f(cx - ox)} {f(cy - ry)} {f(cx)} {f(cy - ry)} c "
            f"{f(cx + ox)} {f(cy - ry)} {f(cx + rx)} {f(cy - oy)} {f(cx + rx)} {f(cy)} c h")


def viewbox_of(el) -> tuple[float, float, float, float] | None:
    """An element's ``viewBox`` as (x, y, width, height), or None."""
    vb = el.get("viewBox")
    if vb is None:
        return None
    values = [float(v) for v in _NUMBER.findall(vb)]
    if len(values) != 4 or values[2] <= 0 or values[3] <= 0:
        raise ToolError(f"cannot use the SVG viewBox {vb!r}")
    return values[0], values[1], values[2], values[3]


def fit_viewbox(vb, x: float, y: float, w: float, h: float, par: str | None) -> tuple:
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
