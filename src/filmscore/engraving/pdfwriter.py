"""The PDF side of :mod:`filmscore.engraving.svgpdf`: one reportlab canvas, each glyph one
Form XObject shared by every page that draws it, and the graphics state tracked so that a
colour, stroke or alpha operator is written only when it changes.

What it loses: nothing it is given; it fills with the nonzero winding rule only (SVG's
``fill-rule`` is refused before it gets here) and draws no dashes.
"""

from __future__ import annotations

from io import BytesIO

from filmscore.engraving.geometry import IDENTITY, fmt, parse_transform, path_ops
from filmscore.engraving.svgstyle import State, color_operands


class PdfWriter:
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
            self.ops.append(f"{color_operands(rgb)} rg")
            self.gs[0] = rgb

    def set_stroke(self, rgb, st: State) -> None:
        gs = self.gs
        if gs[1] != rgb:
            self.ops.append(f"{color_operands(rgb)} RG")
            gs[1] = rgb
        if gs[2] != st.sw:
            self.ops.append(f"{fmt(st.sw)} w")
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
                ops, b = path_ops(d, parse_transform(transform) if transform else IDENTITY)
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
    def paint(self, st: State, geometry: str, closed_fill: bool = True) -> None:
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

