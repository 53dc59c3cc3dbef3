"""The vinyl side list as a printable PDF for the cutting engineer (US Letter landscape,
like the other paperwork): the album, artist, label, UPC/EAN and the premasters' format at
the head; per side a table of its tracks (start, length, running time from the side's
start, loudness, true peak, bass share, the premaster file, notes) closed by the side's
total against its maximum and the side's notes; then a space for the lacquer and cutting
notes (lathe, level, EQ, pitch, lacquer numbers, matrix) to be filled in by hand.

The look (fonts, colours, running head, page N of M) is ``engraving.style``'s.  What it
loses: everything is for reading (``side_list.csv`` holds the same rows).  Atomic.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.album.vinyl import SideSheet, clock
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

WARN = "#a33b1f"
MUTED = "#555555"
CUTTING_FIELDS = ("Lathe / cutter head", "Lacquer numbers", "Level / EQ / limiter",
                  "Pitch (lines per inch), groove depth", "Matrix / run-out etching",
                  "Notes")


def write_side_pdf(sheet: SideSheet, path: str | os.PathLike[str], *,
                   files: dict[str, str] | None = None, date: str = "") -> Path:
    """Write the side list as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    files = files or {}
    regular, bold, italic = fonts()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    strong = ParagraphStyle("strong", parent=base, fontName=bold)
    right = ParagraphStyle("right", parent=base, alignment=2)
    right_strong = ParagraphStyle("rights", parent=strong, alignment=2)
    warn = ParagraphStyle("warn", parent=base, textColor=colors.HexColor(WARN))
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5,
                           textColor=colors.HexColor(MUTED))
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    side_style = ParagraphStyle("side", parent=base, fontName=bold, fontSize=12,
                                leading=15)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    tracks = sum(len(s.tracks) for s in sheet.sides)
    story: list = [
        Paragraph(escape(sheet.title or "Untitled"), title_style),
        info_line([("Vinyl side list", ""), ("Artist", sheet.artist or "—"),
                   ("Label", sheet.label or "—"), ("UPC/EAN", sheet.catalog or "none"),
                   ("Date", date or "—")], meta),
        info_line([("Premasters", f"{sheet.sample_rate / 1000:g} kHz, {sheet.bits}-bit "
                                  "WAV, one file per track"),
                   ("Sides", str(len(sheet.sides))), ("Tracks", str(tracks))], meta)]
    for note in sheet.notes:
        story.append(p(f"Note: {note}", warn))
    columns = ("Track", "Title", "Cue", "Start", "Length", "Running", "LUFS", "dBTP",
               "Bass", "Premaster file", "Notes")
    widths = column_widths([0.6, 1.9, 0.55, 0.65, 0.7, 0.75, 0.55, 0.55, 0.55, 1.5],
                           page_w, margin)
    for side in sheet.sides:
        over = side.max_seconds is not None and side.total > side.max_seconds
        limit = f" of {clock(side.max_seconds, False)} max" if side.max_seconds else ""
        heading = Paragraph(f"Side {escape(side.letter)} <font color='"
                            f"{WARN if over else MUTED}'>· {clock(side.total)}"
                            f"{escape(limit)}</font>", side_style)
        rows: list[list] = [[p(h, head) for h in columns]]
        style = header_table_style()
        for t in side.tracks:
            rows.append([p(t.label, strong), p(t.title), p(t.cue or "—", small),
                         p(clock(t.start), right), p(clock(t.length), right),
                         p(clock(t.end), right),
                         p("—" if t.loudness_lufs is None else f"{t.loudness_lufs:.1f}",
                           right),
                         p("—" if t.true_peak_dbtp is None else f"{t.true_peak_dbtp:.1f}",
                           right),
                         p(f"{t.bass_share:.0%}", right), p(files.get(t.label, ""), small),
                         [p(n, warn) for n in t.notes] or p("")])
        spare = (f"{clock(side.max_seconds - side.total)} to spare of "
                 f"{clock(side.max_seconds, False)}" if side.max_seconds else "")
        rows.append([p("Total", strong), p(""), p(""), p(""),
                     p(clock(side.total), right_strong), p(""), p(""), p(""), p(""), p(""),
                     [p(n, warn) for n in side.notes] or p(spare, small)])
        style += [("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(BAND))]
        table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
        table.setStyle(TableStyle(style))
        story += [Spacer(1, 0.16 * inch), heading, Spacer(1, 3), table]
    story.append(Spacer(1, 0.12 * inch))
    story.append(Paragraph(
        f"<font name='{italic}'>Start and Running are times from the side's start (M:SS.s); "
        "the gap before a track on a side is silence in the cut (the band between tracks), "
        "not in the premaster files. LUFS: integrated loudness; dBTP: true peak; Bass: the "
        "part of the track's energy below 150 Hz. Bass-heavy and loud music belongs early on "
        "a side, where the groove runs at its largest radius.</font>", small))
    fields = [[p(name, strong), ""] for name in CUTTING_FIELDS]
    cutting = Table([[p("Lacquer and cutting notes", head), ""]] + fields
                    + [["", ""], ["", ""]],
                    colWidths=[2.4 * inch, page_w - 2 * margin - 2.4 * inch],
                    rowHeights=[None] + [0.32 * inch] * (len(fields) + 2))
    cutting.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor(RULE)),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    story += [Spacer(1, 0.2 * inch), KeepTogether([cutting])]
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{sheet.title} — vinyl side list",
                           running_right=f"UPC/EAN {sheet.catalog or 'none'}",
                           title=f"{sheet.title} — vinyl side list",
                           subject="vinyl side list for the cutting engineer")
