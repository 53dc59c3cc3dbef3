"""Printable click sheet (PDF, US Letter portrait) for the conductor and the music editor.

Page 1 has the header, and the film's title once: the cue number large at the top left
with the cue's title, the film, then rate, the timecode of bar 1, the count-in and
pickup, the grid the hits are measured from, the count of hard hits and of all sync
points.  Later pages carry a running head (film and cue); every page has "page N of M"
and the table's column header.  One row per bar: bar number, timecode of its downbeat,
and the meter, tempo (BPM, two decimals; "rit."/"accel." inside a ramp) and frame-click
where they change (first row, bar 1, a change), then the sync points in the bar, each on
its own line: grid position (bar|beat|sub), offset in frames from that click (hit minus
click), kind (hard hits in bold) and description.  Count-in bars print in grey, free
time on a shaded band.  The look is ``engraving.style``'s.  What it loses: exact values
(it is for reading).  Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
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
from filmscore.sync.clicksheet import ClickSheet, SheetRow, format_frames_off
from filmscore.sync.tempomap import format_bpm
from filmscore.timecode import get_rate

#: the grid a map was solved on, in words (subdivisions of a beat)
GRID_NAMES = {1: "beats", 2: "halves of a beat (eighths in 4/4)",
              3: "thirds of a beat (triplets)", 4: "quarters of a beat (sixteenths in 4/4)"}


def _lead_text(sheet: ClickSheet) -> str:
    parts = []
    if sheet.count_in_bars:
        parts.append(f"{sheet.count_in_bars} bar{'s' if sheet.count_in_bars != 1 else ''}")
    if sheet.pickup_beats:
        parts.append(f"pickup {sheet.pickup_beats} beat{'s' if sheet.pickup_beats != 1 else ''}")
    return ", ".join(parts) or "none"


def _tempo_text(row: SheetRow, previous: SheetRow | None, following: SheetRow | None
                ) -> str:
    """'103.95', 'free time', or in a ramp 'rit. 110.77' / 'accel. 96' (the tempo at the
    bar's start; the way it goes from the next bar, else from the bar before)."""
    if row.free:
        return "free time"
    text = format_bpm(row.tempo_bpm)
    if row.ramp:
        if following is not None and not following.free and following.tempo_bpm != \
                row.tempo_bpm:
            slower = following.tempo_bpm < row.tempo_bpm
        elif previous is not None and not previous.free:
            slower = row.tempo_bpm < previous.tempo_bpm
        else:
            slower = None
        text = {True: "rit. ", False: "accel. ", None: "ramp "}[slower] + text
    return text


def write_clicksheet_pdf(sheet: ClickSheet, path: str | os.PathLike[str], *,
                         film_title: str, date: str | None = None) -> Path:
    """Write ``sheet`` as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    rate = get_rate(sheet.rate_name)
    regular, bold, italic = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = letter
    margin = 0.5 * inch

    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=9.6)
    small_bold = ParagraphStyle("smallb", parent=small, fontName=bold)
    grey = ParagraphStyle("grey", parent=base, fontName=italic,
                          textColor=colors.HexColor("#777777"))
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    bar_style = ParagraphStyle("bar", parent=base, fontName=bold, fontSize=9.5, leading=11)
    cue_style = ParagraphStyle("cue", parent=base, fontName=bold, fontSize=20, leading=24)
    film_style = ParagraphStyle("film", parent=base, fontSize=11, leading=14)
    meta = ParagraphStyle("meta", parent=base, fontSize=9, leading=12)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    cue_line = (f"{escape(sheet.cue_label)}&nbsp;&nbsp;&nbsp;<font size=14>"
                f"{escape(sheet.title)}</font>" if sheet.title else escape(sheet.cue_label))
    story: list = [Paragraph(cue_line or "Click sheet", cue_style),
                   p(f"{film_title} · click sheet", film_style)]
    grid = GRID_NAMES.get(sheet.subdivision, f"1/{sheet.subdivision} of a beat")
    info = [("Rate", f"{rate.name} fps{' drop-frame' if rate.drop_frame else ''}"),
            ("Bar 1 at", sheet.start_timecode), ("Count-in", _lead_text(sheet)),
            ("Hard hits", str(sheet.hit_count)), ("Sync points", str(sheet.sync_count)),
            ("Date", date)]
    story.append(info_line(info, meta))
    story.append(info_line([("Grid", f"{grid}; each sync point at its nearest click "
                             "(bar|beat|sub, downbeats at bar lines), offset = hit minus "
                             "click in frames")], meta))
    story.append(Spacer(1, 0.12 * inch))

    widths = column_widths([0.45, 0.95, 0.6, 0.8, 0.62], page_w, margin)
    sync_w = widths[5] - 12  # the cell's padding
    inner_widths = [0.62 * inch, 0.68 * inch, 0.62 * inch]
    inner_widths.append(sync_w - sum(inner_widths))
    rows: list[list] = [[p(h, head) for h in ("Bar", "Timecode", "Meter", "Tempo", "Click",
                                                 "Sync points")]]
    style = header_table_style()
    for i, row in enumerate(sheet.rows):
        cell = grey if row.count_in else base
        meter = row.meter if row.meter_shown and not row.free else ""
        previous = sheet.rows[i - 1] if i else None
        following = sheet.rows[i + 1] if i + 1 < len(sheet.rows) else None
        tempo = _tempo_text(row, previous, following) if row.tempo_shown else ""
        click = row.frameclick if row.tempo_shown and not row.free else ""
        hits: list | Paragraph = p("")
        if row.hits:
            lines = []
            for h in row.hits:
                kind_style = small_bold if h.is_hard else small
                lines.append([p(h.label, small_bold), p(format_frames_off(h.frames_off), small),
                              p(h.kind.upper() if h.is_hard else h.kind, kind_style),
                              p(h.description, kind_style if h.is_hard else small)])
            inner = Table(lines, colWidths=inner_widths)
            inner.setStyle(TableStyle([
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            hits = inner
        rows.append([p(str(row.bar), grey if row.count_in else bar_style),
                     p(row.timecode, cell), p(meter, cell), p(tempo, cell), p(click, cell),
                     hits])
        if row.free:
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                          colors.HexColor(BAND)))
    if not sheet.rows:
        rows.append([p("No bars."), "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    running = f"{film_title} — click sheet {sheet.cue_label} {sheet.title}".rstrip()
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=running,
                           running_right=f"{rate.name} fps · {date}",
                           title=f"{film_title} — click sheet {sheet.cue_label}".rstrip(),
                           subject=sheet.title)
