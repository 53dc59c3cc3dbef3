"""Printable spotting list (PDF, US Letter landscape) as music editors hand it out.

Letter landscape was chosen because the US studio paperwork it replaces is Letter; A4
printers scale it down by 3% without clipping (the margins are 0.5 in).  Each page
carries "page N of M" and the table's column header; the first page has the full header
(title, picture version, date, rate) and no running head, later pages a running head.
Each cue shows number (never broken: the column is as wide as the longest), title, in,
out and length (M:SS+FF, seconds and 35 mm feet+frames), its notes (feel,
instrumentation, temp track) and its sync points, one line each (timecode, offset from
the cue's start as M:SS+FF and feet+frames, kind, description).  A cue's lines may break
across pages between sync points (never between the cue and its first one), so pages
fill.  Totals per reel and for the film follow (count and length; score and source
apart).

The look (fonts, colours, running head, page numbers) is ``engraving.style``'s.  What
it loses:
everything is for reading; there is no reader.  Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable
from fractions import Fraction
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
from filmscore.spotting.cues import SYNC_KINDS, CueSpec, MusicTotal, film_total, reel_totals
from filmscore.timecode import Rate, format_duration, format_feet, format_label, get_rate


def _seconds(frames: int, rate: Rate) -> str:
    return f"{float(Fraction(frames) / rate.fps):.2f} s"


def _total_text(total: MusicTotal, rate: Rate) -> str:
    def part(count: int, frames: int, what: str) -> str:
        noun = "cue" if count == 1 else "cues"
        return f"{what} {count} {noun}, {format_duration(frames, rate)}"

    return (f"{total.count} {'cue' if total.count == 1 else 'cues'}, "
            f"{format_duration(total.total_frames, rate)} ({_seconds(total.total_frames, rate)})"
            f"  —  {part(total.score_count, total.score_frames, 'score')}; "
            f"{part(total.source_count, total.source_frames, 'source')}")


def write_spotting_pdf(
    cues: Iterable[CueSpec],
    path: str | os.PathLike[str],
    *,
    rate: Rate | str,
    title: str,
    picture_name: str = "",
    subtitle: str = "",
    date: str | None = None,
) -> None:
    """Write the spotting list of ``cues`` as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    rate = get_rate(rate)
    cues = sorted(cues, key=lambda c: (c.number.reel, c.start_frame, c.number))
    regular, bold, _italic = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch

    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    cue_no = ParagraphStyle("cueno", parent=base, fontName=bold, fontSize=10, leading=12,
                            splitLongWords=0)  # "1M11s" is never broken
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)
    total_style = ParagraphStyle("total", parent=base, fontName=bold)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list = [Paragraph(escape(title), title_style)]
    if subtitle:
        story.append(p(subtitle, meta))
    info = [("Spotting list", ""), ("Picture", picture_name or "—"), ("Date", date),
            ("Rate", f"{rate.name} fps{' drop-frame' if rate.drop_frame else ''}")]
    story.append(info_line(info, meta))
    story.append(Spacer(1, 0.15 * inch))

    numbers = [str(c.number) for c in cues] or ["1M1"]
    number_w = max(0.62 * inch, max(stringWidth(n, bold, 10) for n in numbers) + 14)
    # columns as wide as their longest text (timecodes, offsets and footages never wrap)
    tc_w = stringWidth("00:00:00:00", regular, base.fontSize) + 14
    widths = column_widths([number_w / inch, 1.35, tc_w / inch, tc_w / inch, 0.84], page_w,
                           margin)

    def fits(texts) -> float:
        return max(stringWidth(t, regular, small.fontSize) for t in texts) + 5

    spans = [(s.frame - c.start_frame) for c in cues for s in c.sync_points] or [0]
    sync_widths = [fits(["00:00:00:00"]),
                   fits([f"+{format_duration(o, rate)}" for o in spans]),
                   fits([f"{format_feet(o)} ft" for o in spans]), 0.8 * inch]
    sync_widths.append(widths[5] - 12 - sum(sync_widths))
    rows: list[list] = [[p(h, head) for h in ("Cue", "Title", "In", "Out", "Length",
                                                 "Notes and sync points")]]
    style = [c for c in header_table_style() if c[0] != "LINEBELOW"]
    style.append(("LINEBELOW", (0, 0), (-1, 0), 0.4, colors.HexColor(RULE)))
    totals = {t.reel: t for t in reel_totals(cues, rate)}
    for i, cue in enumerate(cues):
        notes: list = []
        if cue.notes:
            notes.append(p(cue.notes))
        details = []
        if cue.mood:
            details.append(f"<b>Feel:</b> {escape(cue.mood)}")
        if cue.instrumentation:
            details.append(f"<b>Instr.:</b> {escape(cue.instrumentation)}")
        if cue.temp_track:
            temp = escape(cue.temp_track)
            if cue.temp_in is not None:
                temp += f" from {format_label(cue.temp_in, rate)}"
            if cue.temp_out is not None:
                temp += f" to {format_label(cue.temp_out, rate)}"
            details.append(f"<b>Temp:</b> {temp}")
        if details:
            notes.append(Paragraph(" · ".join(details), base))
        number = (Paragraph(escape(str(cue.number)), cue_no) if not cue.is_source else
                  Paragraph(f"{escape(str(cue.number))}<br/><font size=7>source</font>",
                            cue_no))
        rows.append([
            number, p(cue.title), p(format_label(cue.start_frame, rate)),
            p(format_label(cue.end_frame, rate)),
            Paragraph(f"{format_duration(cue.length_frames, rate)}<br/><font size=7>"
                      f"{_seconds(cue.length_frames, rate)} · "
                      f"{format_feet(cue.length_frames)} ft</font>", base),
            notes or p(""),
        ])
        first = len(rows) - 1
        for sync in sorted(cue.sync_points, key=lambda s: s.frame):
            offset = sync.frame - cue.start_frame
            kind = SYNC_KINDS[sync.kind].label if sync.kind in SYNC_KINDS else sync.kind
            if sync.weight != 1:
                kind += f" ×{sync.weight:g}"
            line = Table([[p(format_label(sync.frame, rate), small),
                           p(f"+{format_duration(offset, rate)}", small),
                           p(f"{format_feet(offset)} ft", small), p(kind, small),
                           p(sync.description, small)]], colWidths=sync_widths)
            line.setStyle(TableStyle([
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            rows.append(["", "", "", "", "", line])
            style += [("TOPPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 1),
                      ("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 1)]
        last = len(rows) - 1
        # a cue's rows split across pages between sync points, never after its first line
        style += [("NOSPLIT", (0, first), (-1, min(first + 1, last))),
                  ("LINEBELOW", (0, last), (-1, last), 0.4, colors.HexColor(RULE))]
        last_of_reel = i + 1 == len(cues) or cues[i + 1].number.reel != cue.number.reel
        if last_of_reel:
            total = totals[cue.number.reel]
            rows.append([p(f"Reel {cue.number.reel}", total_style),
                         p(_total_text(total, rate), total_style), "", "", "", ""])
            r = len(rows) - 1
            style += [("SPAN", (1, r), (5, r)),
                      ("BACKGROUND", (0, r), (-1, r), colors.HexColor(BAND))]
    if not cues:
        rows.append([p("No cues spotted."), "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    story.append(Spacer(1, 0.2 * inch))
    film = film_total(cues, rate)
    summary = [[p("Reel", head), p("Music", head)]]
    for total in totals.values():
        summary.append([p(f"Reel {total.reel}"), p(_total_text(total, rate))])
    summary.append([p("Film", total_style), p(_total_text(film, rate), total_style)])
    summary_table = Table(summary, colWidths=[1.0 * inch, 6.5 * inch], hAlign="LEFT")
    summary_table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(BAND)),
    ]))
    story.append(Paragraph("Music totals", ParagraphStyle("h2", parent=base, fontName=bold,
                                                          fontSize=11, leading=14)))
    story.append(Spacer(1, 4))
    story.append(summary_table)

    running = f"{title} — spotting list" + (f" — {picture_name}" if picture_name else "")

    build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                    running_left=running,
                    running_right=f"{rate.name} fps · {date}",
                    title=f"{title} — spotting list", subject=picture_name or "")


