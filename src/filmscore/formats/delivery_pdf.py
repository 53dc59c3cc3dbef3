"""The delivery report as a printable PDF (US Letter landscape, like the other
paperwork): what was delivered to the dub, per cue every file with its channels, where
it starts (timecode and sample), its length (timecode and samples), loudness and true
peak; the timelines delivered beside them.

The look (fonts, colours, running head, page N of M) is ``engraving.style``'s.  What it
loses: everything is for reading (``delivery.csv`` holds the same rows).  Atomic.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import (
    BAND,
    build_paperwork,
    column_widths,
    fonts,
    header_table_style,
    info_line,
)
from filmscore.formats.delivery_csv import delivery_rows
from filmscore.mixing.timeline import Delivery


def write_delivery_pdf(delivery: Delivery, path: str | os.PathLike[str], *,
                       date: str) -> Path:
    """Write the delivery report as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    regular, bold, _italic = fonts()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    cue_style = ParagraphStyle("cue", parent=base, fontName=bold, fontSize=9.5, leading=12)
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    cues = sorted({f.cue for f in delivery.files})
    story: list = [Paragraph(escape(delivery.title), title_style), info_line([
        ("Delivery to the dub", ""), ("Date", date), ("Rate", f"{delivery.rate.name} fps"),
        ("Audio", f"{delivery.sample_rate} Hz, 24-bit Broadcast WAV, {delivery.layout}"),
        ("Cues", str(len(cues))), ("Files", str(len(delivery.files)))], meta),
        Spacer(1, 0.12 * inch)]
    columns = ("File", "Stem", "Ch", "Start", "Start sample", "Length", "Samples",
               "LUFS", "dBTP", "Measured by")
    widths = column_widths([1.75, 0.8, 0.35, 0.95, 0.95, 1.45, 0.85, 0.5, 0.5], page_w,
                           margin)
    rows: list[list] = [[p(h, head) for h in columns]]
    style = header_table_style()
    current = None
    for row in delivery_rows(delivery):
        key = (row["cue"], row["use"])
        if key != current:
            current = key
            use = f" (use {row['use']})" if row["use"] != "1" else ""
            rows.append([Paragraph(f"<b>{escape(row['cue'])}</b>{escape(use)}  "
                                   f"{escape(row['title'])}   ·   mix {row['mix']}",
                                   cue_style)] + [""] * (len(columns) - 1))
            r = len(rows) - 1
            style += [("SPAN", (0, r), (-1, r)),
                      ("BACKGROUND", (0, r), (-1, r), colors.HexColor(BAND))]
        rows.append([p(row["file"]), p(row["stem"]), p(row["channels"]),
                     p(row["start_timecode"]), p(row["start_sample"]),
                     p(row["length_timecode"]), p(row["length_samples"]),
                     p(row["loudness_lufs"] or "—"), p(row["true_peak_dbtp"] or "—"),
                     p(row["measured_by"])])
    if not delivery.files:
        rows.append([p("Nothing delivered.")] + [""] * (len(columns) - 1))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    if delivery.timelines:
        story += [Spacer(1, 0.15 * inch), p("Timelines: " + ", ".join(delivery.timelines)
                                            + " (OpenTimelineIO, AAF for Pro Tools, CMX "
                                            "3600 EDL of the mix).", meta)]
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{delivery.title} — delivery to the dub",
                           running_right=f"{delivery.rate.name} fps · {date}",
                           title=f"{delivery.title} — delivery to the dub")
