"""Printable run sheet of a session (PDF, US Letter landscape) for the stage: the
conductor, the music editor, the engineer and the librarian.

Page 1 has the header: the session's name large, the film, the day, time, stage and rate,
the number of entries and the music they add up to.  Later pages carry a running head;
every page has "page N of M" and the table's column header.  One row per plan entry in
recording order: its number, the cue (number bold, title, part and bars, where the cue
starts), its length (m:ss and m:ss+ff), the players called (count and chairs), the click
(tempos with frame-clicks, meters, count-in and pickup, the grid, the first click's and
first bar's timecodes), the free-time passages and hard hits (timecode, bar|beat, offset,
what happens), and what goes on the stands with the notes: "parts revised ..." in bold
on a shaded band, and whether prerecorded electronics play back.  The look is
``engraving.style``'s.  What it loses: exact values (it is for reading).  Writing is
atomic.
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
from filmscore.limits import is_digits
from filmscore.recording.stagepack import RunSheet, RunSheetEntry
from filmscore.timecode import format_duration, get_rate

GRID = {1: "beats", 2: "eighths", 3: "triplets", 4: "16ths"}


def _click_lines(entry: RunSheetEntry) -> list[str]:
    c = entry.click
    if c is None:
        return ["no tempo map"]
    lead = []
    if c.count_in_bars:
        lead.append(f"{c.count_in_bars} bar{'s' if c.count_in_bars != 1 else ''} count-in")
    if c.pickup_beats:
        lead.append(f"pickup {c.pickup_beats}")
    return [*c.tempos, " ".join(c.meters) + f" · on {GRID.get(c.subdivision, c.subdivision)}",
            ", ".join(lead) or "no count-in",
            f"1st click {c.first_click_timecode}",
            f"bar {entry.bars.split('-')[0] if entry.bars != 'all' else 1} at {c.bar_timecode}"]


def _shout(revised: str) -> str:
    """'parts revised 2026-12-05 (orchestration v2)' -> 'PARTS REVISED 2026-12-05 (...)'."""
    words = revised.split(" ", 2)
    if len(words) < 3:
        return revised.upper()
    return f"{words[0].upper()} {words[1].upper()} {words[2]}"


def write_runsheet_pdf(sheet: RunSheet, path: str | os.PathLike[str], *,
                       date: str | None = None) -> Path:
    """Write ``sheet`` as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    rate = get_rate(sheet.rate_name)
    regular, bold, italic = fonts()
    printed = date or _dt.date.today().isoformat()
    page_w, page_h = landscape(letter)
    margin = 0.45 * inch

    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.8, leading=9.4)
    small_bold = ParagraphStyle("smallb", parent=small, fontName=bold)
    note = ParagraphStyle("note", parent=small, fontName=italic,
                          textColor=colors.HexColor("#555555"))
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    cue_style = ParagraphStyle("cue", parent=base, fontName=bold, fontSize=11, leading=13)
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=20, leading=24)
    film_style = ParagraphStyle("film", parent=base, fontSize=11, leading=14)
    meta = ParagraphStyle("meta", parent=base, fontSize=9, leading=12)
    revised = ParagraphStyle("revised", parent=small, fontName=bold,
                             textColor=colors.HexColor("#a11d1d"))

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    def lines(texts: list[tuple[str, ParagraphStyle]]) -> list[Paragraph]:
        return [p(t, s) for t, s in texts if t]

    story: list = [p(sheet.session or "Session", title_style),
                   p(f"{sheet.film_title} · run sheet", film_style)]
    info = [("Day", sheet.date), ("Time", sheet.time), ("Stage", sheet.stage or "-"),
            ("Rate", f"{rate.name} fps{' drop-frame' if rate.drop_frame else ''}"),
            ("Entries", str(len(sheet.entries))),
            ("Music", format_duration(sheet.total_frames, rate)), ("Printed", printed)]
    story.append(info_line(info, meta))
    story.append(info_line([("Hits", "timecode bar|beat (offset = hit minus click in "
                             "frames) what happens"), ("Click", "tempo BPM (frame-click)")],
                           meta))
    story.append(Spacer(1, 0.1 * inch))

    widths = column_widths([0.42, 1.72, 0.7, 1.4, 1.6, 1.95], page_w, margin)
    rows: list[list] = [[p(h, head) for h in ("#", "Cue", "Length", "Players", "Click",
                                                "Free time · hard hits", "Stands · notes")]]
    style = header_table_style()
    for entry in sheet.entries:
        cue = [Paragraph(f"<b>{escape(entry.cue_number)}</b> {escape(entry.cue_title)}",
                         cue_style)]
        cue += lines([(entry.part, small_bold), (entry.pickup, small_bold),
                      ("whole cue" if entry.bars == "all" else
                       f"bar {entry.bars}" if is_digits(entry.bars) else f"bars {entry.bars}",
                       small),
                      (f"starts {entry.start_timecode}", small),
                      (f"{entry.group} · difficulty {entry.difficulty}", note)])
        length = lines([(entry.length_mss, cue_style), (entry.length, small)])
        players = [p(f"{entry.player_count} called", small_bold)]
        players += lines([(", ".join(entry.chairs), small)])
        click = lines([(t, small_bold if i == 0 else small)
                       for i, t in enumerate(_click_lines(entry))])
        events = lines([(f"FREE {f.text}", small_bold) for f in entry.free_time])
        events += lines([(h.text, small) for h in entry.hits])
        if not events:
            events = [p("no hard hits, no free time", note)]
        stands = lines([(s, small) for s in entry.stands])
        stands += lines([(_shout(entry.revised), revised),
                         (entry.electronics_text,
                          small_bold if entry.electronics else note)])
        rows.append([p(str(entry.position), cue_style), cue, length, players, click, events,
                     stands])
        if entry.revised:
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                          colors.HexColor(BAND)))
    if not sheet.entries:
        rows.append([p("No entries."), "", "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    running = f"{sheet.film_title} — run sheet {sheet.session}"
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=running,
                           running_right=f"{sheet.date} · {rate.name} fps",
                           title=running, subject=sheet.session)
