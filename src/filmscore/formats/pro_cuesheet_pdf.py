"""The performing-rights (PRO) cue sheet as a printable PDF (US Letter landscape, the
shape of the societies' own forms): the production's title, composer, date, picture
version and rate at the head; one row per use of a cue in film order (sequence, cue,
title, record in and out, duration, usage, composers and publishers each with society,
IPI name number and share); then the music duration per usage and in all.

Not the music editor's sheet of takes (``formats.cuesheet_pdf``).  The look (fonts,
colours, running head, page N of M) is ``engraving.style``'s.  What it loses: everything
is for reading; there is no reader (the CSV and XML carry the same data).  Atomic.
"""

from __future__ import annotations

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
from filmscore.rights.cuesheet import ProCueSheet, Share
from filmscore.rights.vocabulary import USAGES

MUTED = "#555555"


def write_pro_cuesheet_pdf(sheet: ProCueSheet, path: str | os.PathLike[str]) -> Path:
    """Write the PRO cue sheet as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    regular, bold, italic = fonts()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    strong = ParagraphStyle("strong", parent=base, fontName=bold)
    small = ParagraphStyle("small", parent=base, fontSize=7, leading=8.5,
                           textColor=colors.HexColor(MUTED))
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=14)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    def people(shares: tuple[Share, ...]) -> list:
        if not shares:
            return [p("—", small)]
        out = []
        for share in shares:
            h = share.holder
            out.append(Paragraph(f"<b>{escape(h.name)}</b>  {escape(share.text)}%", base))
            detail = "  ·  ".join(x for x in (h.pro or "no society",
                                              f"IPI {h.ipi}" if h.ipi else "no IPI"))
            out.append(p(detail, small))
        return out

    picture = f"v{sheet.picture_version}" if sheet.picture_version is not None else "none"
    story: list = [Paragraph(escape(sheet.title), title_style),
                   info_line([("Music cue sheet (performing rights)", ""),
                              ("Composer", sheet.composer or "—"), ("Date", sheet.date),
                              ("Picture", picture), ("Rate", f"{sheet.rate.name} fps"),
                              ("Uses", str(len(sheet.rows))),
                              ("Music", sheet.total_duration)], meta),
                   Spacer(1, 0.15 * inch)]

    widths = column_widths([0.4, 0.95, 1.45, 0.85, 0.85, 0.5, 0.95, 2.1], page_w, margin)
    rows: list[list] = [[p(h, head) for h in ("#", "Cue", "Title", "In", "Out", "Dur.",
                                              "Usage", "Composers", "Publishers")]]
    for row in sheet.rows:
        rows.append([p(str(row.sequence)), p(row.label, strong), p(row.title or "—"),
                     p(row.tc_in), p(row.tc_out), p(row.duration, strong),
                     [p(row.usage, strong), p(row.usage_meaning.split(" (")[0], small)],
                     people(row.composers), people(row.publishers)])
    if not sheet.rows:
        rows.append([p("No music on the timeline.")] + [""] * 8)
    style = header_table_style()
    style.append(("ALIGN", (5, 1), (5, -1), "RIGHT"))
    if not sheet.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    for r in range(2, len(rows), 2):  # a light band on every other use
        style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f5f7fa")))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    story.append(Spacer(1, 0.2 * inch))
    totals = [[p(h, head) for h in ("Usage", "Meaning", "Uses", "Duration")]]
    for total in sheet.totals:
        totals.append([p(total.usage, strong), p(total.meaning), p(str(total.uses)),
                       p(total.duration)])
    totals.append([p("All", strong), p("all music"), p(str(len(sheet.rows)), strong),
                   p(sheet.total_duration, strong)])
    total_table = Table(totals, colWidths=[0.8 * inch, 3.6 * inch, 0.7 * inch, 1.0 * inch],
                        hAlign="LEFT", repeatRows=1)
    total_table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(BAND)),
    ]))
    legend = " · ".join(f"<b>{code}</b> {escape(meaning.split(' (')[0])}"
                        for code, meaning in USAGES.items())
    story.append(KeepTogether([
        Paragraph("Music per usage", h2), Spacer(1, 4), total_table, Spacer(1, 6),
        Paragraph(f"<font name='{italic}'>Durations are whole seconds rounded up. "
                  "Timecodes are record timecode on the picture; Out is the first frame "
                  f"after the music. Usage codes: {legend}.</font>", small)]))

    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{sheet.title} — music cue sheet (performing "
                                        "rights)",
                           running_right=f"{sheet.rate.name} fps · {sheet.date}",
                           title=f"{sheet.title} — music cue sheet",
                           subject="performing-rights cue sheet")
