"""Printable click sheet (PDF, US Letter portrait) for the conductor and the music editor.

The first page has the header: film title, cue number and title, rate, the timecode of
bar 1, the count-in and pickup.  Every page carries the running head (film and cue),
"page N of M" and the table's column header.  One row per bar: bar number, timecode of
its downbeat, meter, tempo (BPM, two decimals; "ramp" when it changes inside the bar),
frame-click, and the sync points in it (bar|beat|tick, kind, description, how far the
nearest beat is in frames).  Count-in bars print in grey, free time on a shaded band.
The look is ``engraving.style``'s.  What it loses: exact values (it is for reading).
Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import (
    BAND,
    column_widths,
    fonts,
    header_table_style,
    info_line,
    numbered_canvas,
)
from filmscore.fileio import write_atomic
from filmscore.sync.clicksheet import ClickSheet, format_frames_off
from filmscore.sync.tempomap import format_bpm
from filmscore.timecode import get_rate


def _lead_text(sheet: ClickSheet) -> str:
    parts = []
    if sheet.count_in_bars:
        parts.append(f"{sheet.count_in_bars} bar{'s' if sheet.count_in_bars != 1 else ''}")
    if sheet.pickup_beats:
        parts.append(f"pickup {sheet.pickup_beats} beat{'s' if sheet.pickup_beats != 1 else ''}")
    return ", ".join(parts) or "none"


def write_clicksheet_pdf(sheet: ClickSheet, path: str | os.PathLike[str], *,
                         film_title: str, date: str | None = None) -> Path:
    """Write ``sheet`` as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rate = get_rate(sheet.rate_name)
    regular, bold, italic = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = letter
    margin = 0.5 * inch

    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9)
    grey = ParagraphStyle("grey", parent=base, fontName=italic,
                          textColor=colors.HexColor("#777777"))
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    bar_style = ParagraphStyle("bar", parent=base, fontName=bold, fontSize=9.5, leading=11)
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    cue_style = ParagraphStyle("cue", parent=base, fontName=bold, fontSize=13, leading=16)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    cue_line = "   ".join(x for x in (sheet.cue_label, sheet.title) if x) or "Click sheet"
    story: list = [p(film_title, title_style), p(cue_line, cue_style)]
    info = [("Click sheet", ""),
            ("Rate", f"{rate.name} fps{' drop-frame' if rate.drop_frame else ''}"),
            ("Bar 1 at", sheet.start_timecode), ("Count-in", _lead_text(sheet)),
            ("Hits", str(sheet.hit_count)), ("Date", date)]
    story.append(info_line(info, meta))
    story.append(Spacer(1, 0.15 * inch))

    widths = column_widths([0.45, 0.95, 0.6, 1.05, 0.55], page_w, margin)
    rows: list[list] = [[p(h, head) for h in ("Bar", "Timecode", "Meter", "Tempo", "Click",
                                                 "Sync points")]]
    style = header_table_style()
    for row in sheet.rows:
        cell = grey if row.count_in else base
        if row.free:
            tempo, click = "free time", ""
        else:
            tempo = format_bpm(row.tempo_bpm) + (" ramp" if row.ramp else "")
            click = row.frameclick
        hits = [Paragraph(f"<b>{escape(str(h.position))}</b> {escape(h.kind)}"
                          f"{': ' + escape(h.description) if h.description else ''}"
                          f" <font color='#555555'>({escape(format_frames_off(h.frames_off))})"
                          "</font>", small) for h in row.hits]
        rows.append([p(str(row.bar), grey if row.count_in else bar_style),
                     p(row.timecode, cell), p(row.meter, cell), p(tempo, cell),
                     p(click, cell), hits or p("")])
        if row.free:
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                          colors.HexColor(BAND)))
    if not sheet.rows:
        rows.append([p("No bars."), "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    running = f"{film_title} — click sheet {sheet.cue_label}".rstrip()
    canvas_class = numbered_canvas(running_left=running,
                                   running_right=f"{rate.name} fps · {date}",
                                   page_w=page_w, page_h=page_h, margin=margin)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(page_w, page_h), leftMargin=margin,
                            rightMargin=margin, topMargin=0.55 * inch,
                            bottomMargin=0.5 * inch,
                            title=f"{film_title} — click sheet {sheet.cue_label}".rstrip(),
                            author="filmscore", subject=sheet.title)
    doc.build(story, canvasmaker=canvas_class)
    return write_atomic(Path(path), buffer.getvalue())
