"""The PDF side of :mod:`filmscore.engraving.svgpdf`: one reportlab canvas, each glyph's
path operators made once and written where it is drawn, and the graphics state tracked so
that a colour, stroke or alpha operator is written only when it changes.

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
        self.glyphs: dict[tuple, str] = {}
        self.states: dict[tuple, object] = {}
        self.ops: list[str] = []
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

    def glyph(self, paths: tuple) -> str:
        """The PDF path operators that fill ``paths`` ((transform, d), ...) with the current
        fill colour, made once per document and written inline where the glyph is drawn.

        Not a Form XObject shared by every use, though that made a long score's file
        smaller: poppler (Evince, Okular, pdftoppm) parses a form's stream again and clips
        to its box at every use, so our pages were slow to show.  Mozart 41/ii's score
        (19 tabloid pages) at 40 dpi: 7.5 s with forms, 1.75 s inline, the pixels
        identical; 0.75 MB against 0.51 MB."""
        code = self.glyphs.get(paths)
        if code is None:
            parts = []
            for transform, d in paths:
                ops, _ = path_ops(d, parse_transform(transform) if transform else IDENTITY)
                if ops:
                    parts.append(ops)
            code = self.glyphs[paths] = " ".join(parts) + " f" if parts else ""
        return code

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

