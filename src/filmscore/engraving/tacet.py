"""Tacet sheets (PDF, reportlab): one page telling a chair it does not play in a cue.

A copyist puts one in the player's folder for every cue of the session the chair sits
out, so the book stays in recording order and nobody hunts for a missing part.  The
page carries the film title, the cue number and title, the chair, a large "TACET" and,
when given, the cue's length and timecode range and a note.  US Letter portrait, like
the parts; the look (fonts, colours, running head, page numbers) is
``engraving.style``'s.  What it loses: nothing, it is for reading.  Writing is atomic.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import RULE, fonts, info_line, numbered_canvas
from filmscore.fileio import write_atomic


@dataclass(frozen=True)
class TacetSheet:
    """What a tacet sheet says: film, cue, the chair sitting out, and where the cue is."""

    film_title: str
    cue_number: str
    cue_title: str
    chair: str
    length: str = ""  # "1:23+12" (M:SS+FF) or any text
    start_timecode: str = ""  # "01:02:03:04"
    end_timecode: str = ""
    note: str = ""  # "Tacet: strings only", "Play from bar 40 in 2M1", ...


def tacet_pdf_bytes(sheet: TacetSheet) -> bytes:
    """The tacet sheet as PDF bytes (one page)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    regular, bold, italic = fonts()
    page_w, page_h = letter
    margin = 0.75 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=14)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    chair = ParagraphStyle("chair", parent=base, fontName=bold, fontSize=16, leading=20)
    film = ParagraphStyle("film", parent=centre, fontSize=14, leading=18)
    cue = ParagraphStyle("cue", parent=centre, fontName=bold, fontSize=22, leading=28)
    tacet = ParagraphStyle("tacet", parent=centre, fontName=bold, fontSize=72, leading=84)
    note = ParagraphStyle("note", parent=centre, fontName=italic, fontSize=12, leading=16)

    cue_label = " ".join(t for t in (sheet.cue_number.strip(), sheet.cue_title.strip()) if t)
    story: list = [Paragraph(escape(sheet.chair), chair), Spacer(1, 0.3 * inch),
                   Paragraph(escape(sheet.film_title), film), Spacer(1, 0.1 * inch),
                   Paragraph(escape(cue_label), cue), Spacer(1, 0.2 * inch),
                   HRFlowable(width="100%", color=colors.HexColor(RULE), thickness=0.6),
                   Spacer(1, 1.6 * inch), Paragraph("TACET", tacet), Spacer(1, 0.5 * inch)]
    info: list[tuple[str, str]] = []
    if sheet.length:
        info.append(("Length", sheet.length))
    if sheet.start_timecode or sheet.end_timecode:
        info.append(("Timecode", f"{sheet.start_timecode or '?'} – {sheet.end_timecode or '?'}"))
    if info:
        story.append(info_line(info, centre))
        story.append(Spacer(1, 0.2 * inch))
    if sheet.note:
        story.append(Paragraph(escape(sheet.note), note))

    canvas_class = numbered_canvas(running_left=f"{sheet.film_title} — {cue_label}",
                                   running_right=sheet.chair, page_w=page_w, page_h=page_h,
                                   margin=margin)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(page_w, page_h), leftMargin=margin,
                            rightMargin=margin, topMargin=0.75 * inch,
                            bottomMargin=0.6 * inch,
                            title=f"{cue_label} — {sheet.chair} — tacet",
                            author="filmscore", subject=sheet.film_title)
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def write_tacet_pdf(sheet: TacetSheet, path: str | os.PathLike[str]) -> Path:
    """Write the tacet sheet at ``path`` (atomically); returns the path."""
    return write_atomic(Path(path), tacet_pdf_bytes(sheet))
