"""The track list and liner notes as a PDF in the CD booklet's size (120 x 120 mm pages):
the cover on page 1 (the album's cover art, 4 mm inside the paper's edge); then the
title page's head (the album, "Original Motion Picture Soundtrack", the film, the
composer), the track list (number, title, the cue it comes from, time; vinyl by side,
A1, A2...) and the total time; then the
credits in ``album.vocabulary.CREDIT_ROLES`` order (roles the vocabulary does not know
follow, as written), the label, catalog number and barcode, and the (P) and (C) lines.

What it loses: everything is for reading; there is no reader.  Atomic.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.album.plan import ReleasePlan
from filmscore.album.vocabulary import CREDIT_ROLES

PAGE_MM = 120
INK = "#1b2230"
ACCENT = "#9a7a34"
MUTED = "#5a6070"
_SERIF = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")


@dataclass(frozen=True)
class LinerTrack:
    label: str  # "1" ...; on vinyl "A1", "A2", "B1" ...
    side: str
    title: str
    cue: str | None
    seconds: Fraction


def track_time(seconds: Fraction | float) -> str:
    """M:SS (whole seconds rounded half up), H:MM:SS past an hour."""
    whole = int(Fraction(seconds) + Fraction(1, 2))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def credit_lines(credits: dict) -> list[tuple[str, list[str]]]:
    """(heading, names) in CREDIT_ROLES order, then any other role as written."""
    out = []
    for role, heading in CREDIT_ROLES.items():
        names = [n for n in credits.get(role) or [] if str(n).strip()]
        if names:
            out.append((heading, [str(n) for n in names]))
    for role, names in credits.items():
        if role not in CREDIT_ROLES:
            names = [str(n) for n in (names if isinstance(names, list) else [names])
                     if str(n).strip()]
            if names:
                out.append((role.replace("_", " ").capitalize(), names))
    return out


def _serif() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from filmscore.engraving.style import fonts

    if "FsSerif" in pdfmetrics.getRegisteredFontNames():
        return "FsSerif", "FsSerif-Bold"
    if not all(os.path.exists(f) for f in _SERIF):
        regular, bold, _ = fonts()
        return regular, bold
    pdfmetrics.registerFont(TTFont("FsSerif", _SERIF[0]))
    pdfmetrics.registerFont(TTFont("FsSerif-Bold", _SERIF[1]))
    return "FsSerif", "FsSerif-Bold"


def write_liner_notes_pdf(plan: ReleasePlan, tracks: list[LinerTrack],
                          path: str | os.PathLike[str], *, cover: bytes = b"",
                          date: str = "", catalog_number: str = "") -> Path:
    """Write the booklet at ``path`` (atomically); ``cover`` is the cover image (PNG or
    JPEG bytes; none: page 1 is a typeset title)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    from filmscore.engraving.style import fonts
    from filmscore.fileio import write_atomic

    regular, bold, italic = fonts()
    serif, serif_bold = _serif()
    size = PAGE_MM * mm
    margin = 9 * mm
    ink, accent, muted = (colors.HexColor(c) for c in (INK, ACCENT, MUTED))
    base = ParagraphStyle("base", fontName=regular, fontSize=7, leading=9, textColor=ink)
    centre = ParagraphStyle("centre", parent=base, alignment=1)
    kicker = ParagraphStyle("kicker", parent=centre, fontSize=6, leading=8,
                            textColor=accent)
    big = ParagraphStyle("big", parent=centre, fontName=serif, fontSize=17, leading=20)
    film = ParagraphStyle("film", parent=centre, fontName=serif, fontSize=9, leading=11,
                          textColor=muted)
    head = ParagraphStyle("head", parent=base, fontName=bold, fontSize=6, leading=8,
                          textColor=accent)
    number = ParagraphStyle("number", parent=base, fontName=bold, alignment=2)
    time_style = ParagraphStyle("time", parent=base, alignment=2)
    cue_style = ParagraphStyle("cue", parent=base, fontSize=5.5, leading=7,
                               textColor=muted)
    role = ParagraphStyle("role", parent=centre, fontSize=5.5, leading=7, textColor=muted)
    name = ParagraphStyle("name", parent=centre, fontName=serif, fontSize=8, leading=10)
    legal = ParagraphStyle("legal", parent=centre, fontSize=5.5, leading=7,
                           textColor=muted)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    title = plan.title or plan.film_title or "Soundtrack"

    def draw_cover(canvas, doc) -> None:
        canvas.saveState()
        # inset from the paper's edge: a desk printer cannot print to it (a plant's print
        # file would add bleed instead)
        edge = 4 * mm
        if cover:
            canvas.drawImage(ImageReader(io.BytesIO(cover)), edge, edge, size - 2 * edge,
                             size - 2 * edge)
        else:
            canvas.setFillColor(ink)
            canvas.rect(edge, edge, size - 2 * edge, size - 2 * edge, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(serif, 16)
            canvas.drawCentredString(size / 2, size / 2, title[:40])
        canvas.restoreState()

    def draw_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(accent)
        canvas.setLineWidth(0.4)
        canvas.line(margin, size - 6 * mm, size - margin, size - 6 * mm)
        canvas.setFont(regular, 5)
        canvas.setFillColor(muted)
        canvas.drawString(margin, 4 * mm, title[:60])
        canvas.drawRightString(size - margin, 4 * mm, str(doc.page))
        canvas.restoreState()

    frame = Frame(margin, 8 * mm, size - 2 * margin, size - 16 * mm, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(io.BytesIO(), pagesize=(size, size), title=f"{title} — liner "
                          "notes", author="filmscore", subject="track list and liner notes")
    doc.addPageTemplates([
        PageTemplate("cover", [Frame(0, 0, size, size, id="cover")], onPage=draw_cover),
        PageTemplate("page", [frame], onPage=draw_page)])
    story: list = [NextPageTemplate("page"), PageBreak(),
                   p("ORIGINAL MOTION PICTURE SOUNDTRACK", kicker), Spacer(1, 2 * mm),
                   p(title, big)]
    if plan.film_title and plan.film_title != title:
        story += [Spacer(1, 1 * mm), p(plan.film_title, film)]
    if plan.composer:
        story += [Spacer(1, 1.5 * mm), p(f"Music by {plan.composer}", centre)]
    story.append(Spacer(1, 5 * mm))

    body_w = size - 2 * margin
    widths = [7 * mm, body_w - 7 * mm - 12 * mm - 11 * mm, 12 * mm, 11 * mm]
    rows: list[list] = []
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
             ("RIGHTPADDING", (0, 0), (-1, -1), 1.5), ("TOPPADDING", (0, 0), (-1, -1), 1.2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9dce3"))]
    side = None
    for track in tracks:
        if track.side and track.side != side:
            side = track.side
            rows.append([p(f"SIDE {side}", head), "", "", ""])
            style += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1))]
        rows.append([p(track.label, number), p(track.title),
                     p(track.cue or "", cue_style), p(track_time(track.seconds),
                                                      time_style)])
    total = sum((t.seconds for t in tracks), Fraction(0))
    rows.append(["", p("Total time", ParagraphStyle("tt", parent=base, fontName=bold)), "",
                 p(track_time(total), ParagraphStyle("tot", parent=time_style,
                                                     fontName=bold))])
    style += [("LINEABOVE", (0, -1), (-1, -1), 0.6, accent)]
    table = Table(rows, colWidths=widths, repeatRows=0, splitByRow=1)
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 1.5 * mm),
              p("Cue numbers (reel M number) name the film's cue each track comes from.",
                cue_style), PageBreak()]

    credits = []
    for heading, names in credit_lines(plan.credits):
        credits.append(KeepTogether([p(heading.upper(), role),
                                     p(", ".join(names), name), Spacer(1, 2.2 * mm)]))
    if not credits:
        credits.append(p("Credits to follow.", centre))
    year = (date or "")[:4]
    owner = plan.label_name or plan.artist or plan.composer
    legal_lines = []
    if plan.label_name:
        legal_lines.append(plan.label_name + (f"  ·  {catalog_number}" if catalog_number
                                              else ""))
    if plan.catalog:
        legal_lines.append(f"UPC/EAN {plan.catalog}")
    if owner:
        legal_lines += [f"\u2117 {year} {owner}".replace("  ", " "),
                        f"\u00a9 {year} {owner}".replace("  ", " ")]
    legal_lines.append("All rights reserved. Unauthorised copying, hiring, lending, public "
                       "performance and broadcasting of this recording prohibited.")
    story += [p("CREDITS", kicker), Spacer(1, 3 * mm), *credits, Spacer(1, 3 * mm)]
    story += [p(line, legal) for line in legal_lines]
    buffer = io.BytesIO()
    doc.filename = buffer
    doc.build(story)
    return write_atomic(Path(path), buffer.getvalue())
