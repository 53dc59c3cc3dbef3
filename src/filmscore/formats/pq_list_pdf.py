"""The CD's PQ list as a printable PDF (US Letter portrait, like a plant's PQ sheet): the
album, artist, UPC/EAN, image file and its MD5, audio format, emphasis and copy flags,
track count and total time at the head; one row per index (track, index, disc time
MM:SS:FF, length, ISRC, title, the cue it comes from); the lead-out; a note on the times.

The look (fonts, colours, running head, page N of M) is ``engraving.style``'s.  What it
loses: everything is for reading (``pq_list.csv`` holds the same rows).  Atomic.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.album.cd import CdLayout, msf
from filmscore.engraving.style import (
    BAND,
    build_paperwork,
    column_widths,
    fonts,
    header_table_style,
    info_line,
)
from filmscore.formats.pq_list_csv import pq_rows

MUTED = "#555555"


def write_pq_pdf(layout: CdLayout, path: str | os.PathLike[str], *, image_name: str,
                 image_md5: str = "", date: str = "") -> Path:
    """Write the PQ list of ``layout`` as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    regular, bold, italic = fonts()
    page_w, page_h = letter
    margin = 0.55 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    strong = ParagraphStyle("strong", parent=base, fontName=bold)
    muted = ParagraphStyle("muted", parent=base, textColor=colors.HexColor(MUTED))
    mono = ParagraphStyle("mono", parent=base, fontName="Courier", fontSize=8.5)
    mono_bold = ParagraphStyle("monob", parent=mono, fontName="Courier-Bold")
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5,
                           textColor=colors.HexColor(MUTED))

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list = [
        Paragraph(escape(layout.title or "Untitled"), title_style),
        info_line([("PQ list", ""), ("Artist", layout.performer or "—"),
                   ("UPC/EAN", layout.catalog or "none"), ("Date", date or "—")], meta),
        info_line([("Image", image_name), ("MD5", image_md5 or "—")], meta),
        info_line([("Audio", "44.1 kHz, 16-bit, stereo PCM"), ("Pre-emphasis", "no"),
                   ("Copy", "permitted"), ("Tracks", str(len(layout.tracks))),
                   ("Total time", msf(layout.disc_frames))], meta),
        Spacer(1, 0.14 * inch)]
    columns = ("Track", "Index", "Start", "Length", "ISRC", "Title", "Cue")
    widths = column_widths([0.6, 0.6, 0.85, 0.85, 1.25, 2.55], page_w, margin)
    rows: list[list] = [[p(h, head) for h in columns]]
    style = header_table_style()
    for row in pq_rows(layout):
        lead_out = row["track"] == "LO"
        pause = row["index"] == "00"
        text_style = muted if pause else (strong if lead_out else base)
        rows.append([p(row["track"], text_style), p(row["index"], text_style),
                     p(row["start"], mono_bold if not pause else mono),
                     p(row["length"], mono), p(row["isrc"] or ("" if pause or lead_out
                                                               else "—"), mono),
                     p(row["title"], text_style), p(row["cue"], muted)])
        if lead_out:
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                          colors.HexColor(BAND)))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 0.15 * inch), Paragraph(
        f"<font name='{italic}'>Times are disc times in minutes, seconds and frames "
        "(75 frames a second): the 2-second pause before track 1 is included, so track 1 "
        "starts at 00:02:00 and the lead-out's start is the disc's total time. The CUE "
        f"sheet beside the image gives the same points in the image, {msf(layout.pregap_frames)} "
        "earlier. Index 00 is the pause before a track; index 01 its start. Length of an "
        "index 01 row: the track up to the next pause or track.</font>", small)]
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{layout.title} — PQ list",
                           running_right=f"UPC/EAN {layout.catalog or 'none'}",
                           title=f"{layout.title} — PQ list", subject="CD PQ list")
