"""The look of our printed paperwork (reportlab): fonts, colours, running head, page N of M.

Text uses DejaVu Sans when the system has it, else Bitstream Vera (shipped with
reportlab), so accents and most Latin, Greek and Cyrillic text print.
"""

from __future__ import annotations

import os
from pathlib import Path

HEADER_BG = "#33415c"  # table header bar
RULE = "#b8c0cc"  # lines between rows
BAND = "#e8ecf2"  # totals and highlighted rows
RUNNING = "#555555"  # running head and page numbers

_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
)


def fonts() -> tuple[str, str, str]:
    """Register and return (regular, bold, italic) font names."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "FsSans" in pdfmetrics.getRegisteredFontNames():
        return "FsSans", "FsSans-Bold", "FsSans-Italic"
    files = None
    for candidate in _FONT_CANDIDATES:
        if all(os.path.exists(f) for f in candidate):
            files = candidate
            break
    if files is None:
        base = Path(rl_config.__file__).parent / "fonts"
        files = (str(base / "Vera.ttf"), str(base / "VeraBd.ttf"), str(base / "VeraIt.ttf"))
    for name, file in zip(("FsSans", "FsSans-Bold", "FsSans-Italic"), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily("FsSans", normal="FsSans", bold="FsSans-Bold",
                                  italic="FsSans-Italic", boldItalic="FsSans-Bold")
    return "FsSans", "FsSans-Bold", "FsSans-Italic"


def numbered_canvas(*, running_left: str, running_right: str, page_w: float,
                    page_h: float, margin: float, head_on_first: bool = True,
                    of: int | None = None) -> type:
    """A canvas class that draws the running head (left and right) and "page N of M" once
    the page count is known; pass it to ``doc.build(story, canvasmaker=...)``.
    ``head_on_first=False`` leaves the running head off page 1 (whose own header already
    names the film: one title per page).  ``of``: M when these pages open a longer
    document (a session book's cover: "page 1 of 12", not "page 1 of 1")."""
    from reportlab.lib import colors
    from reportlab.lib.units import inch
    from reportlab.pdfgen import canvas as rl_canvas

    regular = fonts()[0]

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = of if of is not None else len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 8)
                self.setFillColor(colors.HexColor(RUNNING))
                if head_on_first or self._pageNumber > 1:
                    self.drawString(margin, page_h - 0.35 * inch, running_left)
                    self.drawRightString(page_w - margin, page_h - 0.35 * inch,
                                         running_right)
                self.drawRightString(page_w - margin, 0.3 * inch,
                                     f"page {self._pageNumber} of {count}")
                super().showPage()
            super().save()

    return NumberedCanvas


def header_table_style() -> list[tuple]:
    """The table style of our lists: a dark header bar, thin rules, top-aligned cells."""
    from reportlab.lib import colors

    return [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]


def info_line(info: list[tuple[str, str]], style):
    """The header's 'Key: value · Key: value' line (a key with no value stands alone)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph("   ·   ".join(
        f"<b>{escape(k)}</b>{': ' + escape(v) if v else ''}" for k, v in info), style)


def column_widths(inches: list[float], page_w: float, margin: float) -> list[float]:
    """Column widths in points: the given ones (inches), the last column taking the rest."""
    from reportlab.lib.units import inch

    rest = page_w / inch - 2 * margin / inch - sum(inches)
    return [w * inch for w in [*inches, rest]]


def build_paperwork(story: list, path: str | os.PathLike[str], *, page_w: float,
                    page_h: float, margin: float, running_left: str, running_right: str,
                    title: str, subject: str = "") -> Path:
    """Lay ``story`` out on our paperwork's pages (margins ``margin`` at the sides, the
    running head from page 2 and "page N of M" on every page) and write the PDF at
    ``path`` atomically; the path written."""
    import io

    from reportlab.lib.units import inch
    from reportlab.platypus import SimpleDocTemplate

    from filmscore.fileio import write_atomic

    canvas_class = numbered_canvas(running_left=running_left, running_right=running_right,
                                   page_w=page_w, page_h=page_h, margin=margin,
                                   head_on_first=False)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(page_w, page_h), leftMargin=margin,
                            rightMargin=margin, topMargin=0.55 * inch,
                            bottomMargin=0.5 * inch, title=title, author="filmscore",
                            subject=subject)
    doc.build(story, canvasmaker=canvas_class)
    return write_atomic(Path(path), buffer.getvalue())
