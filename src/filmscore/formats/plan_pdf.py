"""The session plan as a printable PDF (US Letter landscape) for the composer, the
contractor and the music editor.

Page 1 has the film's title, then one block per session in time order: a band with the
session's name, day and times, kind, items, music, players called and paid player-hours;
the entries in recording order (#, cue, title, part, bars, length, group, difficulty,
players); and the chairs called.  Then the totals: sessions, music and paid player-hours.
The look is ``engraving.style``'s; every page has "page N of M" and a running head.  What
it loses: nothing a reader needs; there is no reader (it is a report).  Writing is atomic.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import (
    BAND,
    HEADER_BG,
    RULE,
    build_paperwork,
    column_widths,
    fonts,
    info_line,
)
from filmscore.formats.plan_csv import bars_text, chairs_text
from filmscore.timecode import Rate, format_duration, get_rate


def write_plan_pdf(sessions: Sequence, path: str | os.PathLike[str], *, rate: Rate | str,
                   title: str = "", date: str | None = None, **_meta: object) -> Path:
    """Write the planned sessions (``recording.planning.session_plan``) as a PDF."""
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
    regular, bold, _italic = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    band = ParagraphStyle("band", parent=base, fontName=bold, fontSize=10, leading=13)
    title_style = ParagraphStyle("title", parent=base, fontName=bold, fontSize=18,
                                 leading=22)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    planned = [s for s in sessions if s.entries]
    hours = sum(s.player_hours for s in planned)
    music = sum(s.duration_frames for s in planned)
    story: list = [Paragraph(escape(title or "Session plan"), title_style)]
    story.append(info_line([("Session plan", ""), ("Sessions", str(len(planned))),
                            ("Music", format_duration(music, rate)),
                            ("Paid player-hours", f"{hours:,.1f}"), ("Date", date)], meta))
    story.append(Spacer(1, 0.15 * inch))
    widths = column_widths([0.3, 0.7, 2.2, 0.9, 0.8, 0.75, 1.2, 0.85], page_w, margin)
    for ps in planned:
        spec = ps.session
        start = spec.local_start
        count = len(ps.entries)
        rows: list[list] = [[p(
            f"{spec.name}   {start:%a %d %b %Y %H:%M}-{spec.local_end:%H:%M}   {spec.kind}"
            f"{'   ' + spec.stage if spec.stage else ''}   ·   {count} "
            f"item{'s' if count != 1 else ''}, "
            f"{format_duration(ps.duration_frames, rate)} of music, {ps.players} players, "
            f"{ps.player_hours:,.1f} player-hours", band)] + [""] * 8]
        rows.append([p(h, head) for h in ("#", "Cue", "Title", "Part", "Bars", "Length",
                                          "Group", "Difficulty", "Players")])
        for e in ps.entries:
            rows.append([p(str(e.position)), p(e.cue, ParagraphStyle(
                "cue", parent=base, fontName=bold)), p(e.title), p(e.part),
                p(bars_text(e.bar_from, e.bar_to)), p(format_duration(e.duration_frames,
                                                                      rate)),
                p(e.group), p(str(e.difficulty)), p(str(e.players))])
        rows.append([p("Called: " + chairs_text(ps.chairs), small)] + [""] * 8)
        last = len(rows) - 1
        table = Table(rows, colWidths=widths, repeatRows=2)
        table.setStyle(TableStyle([
            ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BAND)),
            ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor(HEADER_BG)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("SPAN", (0, last), (-1, last)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(KeepTogether([table]) if len(rows) < 25 else table)
        story.append(Spacer(1, 0.18 * inch))
    if not planned:
        story.append(p("No plan yet: make one with 'filmscore plan make --days ...'."))
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{title} — session plan",
                           running_right=f"{rate.name} fps · {date}",
                           title=f"{title} — session plan")
