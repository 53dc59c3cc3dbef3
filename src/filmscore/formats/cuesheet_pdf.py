"""The music editor's cue sheet as a printable PDF (US Letter landscape, like the spotting
list): per cue, every take with its number (a circled take's number drawn in a circle,
as music editors mark a print), type, bars, record timecode, session, status and notes,
an out-of-date take called out with its reason; then what is still to record; then the
minutes recorded per day against the session plan.

The look (fonts, colours, running head, page N of M) is ``engraving.style``'s.  What it
loses: everything is for reading; there is no reader.  Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import (
    BAND,
    HEADER_BG,
    RULE,
    build_paperwork,
    column_widths,
    fonts,
    header_table_style,
    info_line,
)
from filmscore.formats.cuesheet_csv import minutes
from filmscore.recording.takelog import CueSheet
from filmscore.timecode import Rate, format_duration, format_label, get_rate

STALE = "#b03a2e"  # out-of-date takes
DONE = "#2e7d32"


def _circled_number(text: str, font: str, size: float = 9):
    """The take number in a circle (a drawing one line high)."""
    from reportlab.graphics.shapes import Circle, Drawing, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = stringWidth(text, font, size)
    radius = max(width / 2 + 3, size * 0.8)
    drawing = Drawing(2 * radius + 2, 2 * radius + 1)
    drawing.add(Circle(radius + 1, radius, radius, strokeColor=colors.black,
                       strokeWidth=0.9, fillColor=None))
    drawing.add(String(radius + 1 - width / 2, radius - size * 0.35, text, fontName=font,
                       fontSize=size))
    return drawing


def write_cuesheet_pdf(sheet: CueSheet, path: str | os.PathLike[str], *, rate: Rate | str,
                       title: str, date: str | None = None) -> Path:
    """Write the cue sheet as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    rate = get_rate(rate)
    regular, bold, italic = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch

    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    cue_style = ParagraphStyle("cue", parent=base, fontName=bold, fontSize=10, leading=12)
    stale_style = ParagraphStyle("stale", parent=base, textColor=colors.HexColor(STALE))
    todo_style = ParagraphStyle("todo", parent=base, fontName=italic)
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=14)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    takes = sum(len(c.takes) for c in sheet.cues)
    done = sum(c.done for c in sheet.cues)
    story: list = [Paragraph(escape(title), title_style)]
    story.append(info_line([("Music editor's cue sheet", ""), ("Date", date),
                            ("Rate", f"{rate.name} fps"),
                            ("Cues", f"{done} of {len(sheet.cues)} done"),
                            ("Takes", str(takes)),
                            ("Recorded", f"{minutes(sheet.recorded_frames, rate)} of "
                                         f"{minutes(sheet.planned_frames, rate)} min planned")],
                           meta))
    story.append(Spacer(1, 0.15 * inch))

    tc_w = 0.95
    widths = column_widths([0.5, 0.95, 0.55, 0.9, tc_w, 1.0, 1.4], page_w, margin)
    rows: list[list] = [[p(h, head) for h in ("Take", "Type", "Bars", "Section", "Timecode",
                                              "Session", "Status", "Notes")]]
    style = [c for c in header_table_style() if c[0] != "LINEBELOW"]
    style.append(("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor(RULE)))
    for entry in sheet.cues:
        cue = entry.cue
        circled = ", ".join(map(str, entry.circled)) or "none"
        heading = (f"<b>{escape(cue.number)}</b>  {escape(cue.title)}"
                   f"<font name='{regular}' size=8.5>   ·   "
                   f"{format_duration(cue.length_frames, rate)}"
                   + (f"   ·   {cue.bar_count} bars" if cue.bar_count else "")
                   + f"   ·   circled: {escape(circled)}</font>")
        rows.append([Paragraph(heading, cue_style)] + [""] * 7)
        r = len(rows) - 1
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r),
                                                colors.HexColor(BAND))]
        first = r
        for item in entry.takes:
            t = item.take
            number = (_circled_number(str(t.number), bold) if t.circled
                      else p(str(t.number)))
            status = item.status + (" · out of date" if item.stale else "")
            notes = [p(t.notes)] if t.notes else []
            if item.stale:
                notes.append(p(f"Out of date: {item.stale}", stale_style))
            rows.append([number, p(t.kind), p(t.bars or "all"), p(t.section),
                         p(format_label(t.timecode_frame, rate)
                           if t.timecode_frame is not None else "—"),
                         p(t.session or "—"),
                         p(status, stale_style if item.stale else base), notes or p("")])
        if not entry.takes:
            rows.append([p("No takes yet.", todo_style)] + [""] * 7)
            style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        todo = ("Still to record: " + "; ".join(entry.remaining) if entry.remaining
                else "Done: nothing left to record.")
        rows.append([Paragraph(escape(todo), ParagraphStyle(
            "t", parent=todo_style,
            textColor=colors.HexColor(STALE if entry.remaining else DONE)))] + [""] * 7)
        last = len(rows) - 1
        style += [("SPAN", (0, last), (-1, last)), ("NOSPLIT", (0, first),
                                                     (-1, min(first + 2, last)))]
    if not sheet.cues:
        rows.append([p("No cues.")] + [""] * 7)
        style.append(("SPAN", (0, 1), (-1, 1)))
    style.append(("VALIGN", (0, 1), (-1, -1), "MIDDLE"))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    story.append(Spacer(1, 0.2 * inch))
    heading = [Paragraph("Minutes recorded per day against the plan", h2), Spacer(1, 4)]
    days = [[p(h, head) for h in ("Day", "Sessions", "Planned", "Recorded", "Of plan")]]

    def share(recorded: int, planned: int) -> str:
        return f"{100 * recorded / planned:.0f}%" if planned else "—"

    for day in sheet.days:
        days.append([p(day.day.strftime("%a %Y-%m-%d")), p(", ".join(day.sessions) or "—"),
                     p(f"{minutes(day.planned_frames, rate)} min "
                       f"({format_duration(day.planned_frames, rate)})"),
                     p(f"{minutes(day.recorded_frames, rate)} min "
                       f"({format_duration(day.recorded_frames, rate)})"),
                     p(share(day.recorded_frames, day.planned_frames))])
    if not sheet.days:
        days.append([p("No sessions planned and no circled takes yet."), "", "", "", ""])
    total = ParagraphStyle("total", parent=base, fontName=bold)
    days.append([p("Total", total), p(""),
                 p(f"{minutes(sheet.planned_frames, rate)} min", total),
                 p(f"{minutes(sheet.recorded_frames, rate)} min", total),
                 p(share(sheet.recorded_frames, sheet.planned_frames), total)])
    day_table = Table(days, colWidths=[1.4 * inch, 3.2 * inch, 1.5 * inch, 1.5 * inch,
                                       0.8 * inch], hAlign="LEFT", repeatRows=1)
    day_style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(BAND)),
    ]
    if not sheet.days:
        day_style.append(("SPAN", (0, 1), (-1, 1)))
    day_table.setStyle(TableStyle(day_style))
    story.append(KeepTogether([*heading, day_table]))  # the heading never ends a page

    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{title} — music editor's cue sheet",
                           running_right=f"{rate.name} fps · {date}",
                           title=f"{title} — cue sheet")
