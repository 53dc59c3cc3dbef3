"""Printable call list of a session (US Letter portrait) and the musicians' costs (US
Letter landscape), in the look of our other sheets (``engraving.style``).

Call list: the session's name large, the film, then date, call time, end, stage, kind, the
number of players and the orchestra manager (or a warning when one is required and none is
booked); one row per musician in score order: chair, seat, musician, instrument, doubles,
role, the cues they are on, contact.  Costs: per session, one row per musician (scale,
premium, overtime, doubling, pension, H&W, cartage, total) and the session's total on a
band; then the cost per cue and the score's total.  What they lose: nothing needed to call
or pay the players (the CSVs carry the same figures).  Writing is atomic.
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
from filmscore.musicians.calls import CallList
from filmscore.musicians.costs import ScoreCost
from filmscore.musicians.roster import instruments_text
from filmscore.recording.sessions import zone


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    regular, bold, italic = fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    return {
        "base": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=bold),
        "right": ParagraphStyle("right", parent=base, alignment=2),
        "right_bold": ParagraphStyle("rightb", parent=base, fontName=bold, alignment=2),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "small_bold": ParagraphStyle("smallb", parent=base, fontName=bold, fontSize=7.5,
                                     leading=9),
        "head": ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white),
        "head_right": ParagraphStyle("headr", parent=base, fontName=bold, alignment=2,
                                     fontSize=7.5, textColor=colors.white),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=20, leading=24),
        "film": ParagraphStyle("film", parent=base, fontSize=11, leading=14),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=12),
        "warn": ParagraphStyle("warn", parent=base, fontName=bold, fontSize=9, leading=12,
                               textColor=colors.HexColor("#a33a1a")),
        "section": ParagraphStyle("section", parent=base, fontName=bold, fontSize=12,
                                  leading=15, spaceBefore=8, spaceAfter=4),
        "grey": ParagraphStyle("grey", parent=base, textColor=colors.HexColor("#777777")),
        "italic": ParagraphStyle("italic", parent=base, fontName=italic, fontSize=8,
                                 textColor=colors.HexColor("#555555")),
    }


def _build(story: list, path, *, page: tuple[float, float], running: str, right: str,
           title: str) -> Path:
    from reportlab.lib.units import inch

    return build_paperwork(story, path, page_w=page[0], page_h=page[1], margin=0.5 * inch,
                           running_left=running, running_right=right, title=title)


def write_calllist_pdf(calls: CallList, path: str | os.PathLike[str], *, film_title: str,
                       tz=None, date: str | None = None) -> Path:
    """Write a session's call list as a PDF at ``path`` (atomically); times in ``tz``
    (default: this machine's zone)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    st = _styles()
    date = date or _dt.date.today().isoformat()
    # times on the stage's clock unless ``tz`` (a tzinfo) asks for another
    where = tz if tz is not None else zone(calls.tz or None)
    start, end = calls.starts_at.astimezone(where), calls.ends_at.astimezone(where)

    def p(text: str, style: str = "base") -> Paragraph:
        return Paragraph(escape(text), st[style])

    story: list = [Paragraph(escape(calls.session), st["title"]),
                   p(f"{film_title} · call list", "film")]
    story.append(info_line([("Date", f"{start:%A %d %B %Y}"), ("Call", f"{start:%H:%M}"),
                            ("Ends", f"{end:%H:%M} {start:%Z}".strip()),
                            ("Stage", calls.stage or "-"), ("Kind", calls.kind)], st["meta"]))
    manager = calls.orchestra_manager or ("required, none booked"
                                          if calls.orchestra_manager_required else "none")
    story.append(info_line([("Players", str(calls.players)), ("Orchestra manager", manager),
                            ("Printed", date)], st["meta"]))
    for warning in calls.warnings:
        story.append(p(f"Warning: {warning}.", "warn"))
    if calls.notes:
        story.append(p(calls.notes, "italic"))
    story.append(Spacer(1, 0.12 * inch))
    page_w = letter[0]
    widths = column_widths([1.05, 0.5, 1.35, 1.05, 1.0, 0.95, 0.7], page_w, 0.5 * inch)
    rows: list[list] = [[p(h, "head") for h in ("Chair", "Seat", "Musician", "Instrument",
                                                "Doubles", "Role", "Cues", "Contact")]]
    style = header_table_style()
    previous = None
    for r in calls.rows:
        # the chair on every row (a section runs over pages), bold where it starts
        rows.append([p(r.chair, "bold" if r.chair != previous else "grey"),
                     p(str(r.seat) if r.chair else ""), p(r.musician),
                     p(r.instrument_text), p(r.doubles_text, "small"),
                     p("" if r.role == "player" else r.role, "small_bold"),
                     p(" ".join(r.cues), "small"), p(r.contact, "small")])
        if r.role != "player":
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                          colors.HexColor(BAND)))
        previous = r.chair
    if not calls.rows:
        rows.append([p("Nobody is booked in this session yet."), "", "", "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    return _build(story, path, page=letter, running=f"{film_title} — call list {calls.session}",
                  right=f"{start:%Y-%m-%d %H:%M} · {calls.stage}".rstrip(" ·"),
                  title=f"{film_title} — call list {calls.session}")


def write_costs_pdf(cost: ScoreCost, path: str | os.PathLike[str], *, film_title: str,
                    card_name: str = "", date: str | None = None) -> Path:
    """Write the musicians' costs (per session and musician, per cue, total) as a PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    st = _styles()
    date = date or _dt.date.today().isoformat()
    page = landscape(letter)
    cur = cost.currency

    def p(text: str, style: str = "base") -> Paragraph:
        return Paragraph(escape(text), st[style])

    scope = (f"session {cost.sessions[0].name}" if len(cost.sessions) == 1 else
             f"{len(cost.sessions)} sessions")
    story: list = [Paragraph("Musicians' costs", st["title"]),
                   p(f"{film_title} · {scope}", "film"),
                   info_line([("Total", f"{cur} {cost.total:,}"),
                              ("Rate card", card_name or "-"), ("Printed", date)], st["meta"]),
                   Spacer(1, 0.1 * inch)]
    money = ("Scale", "Premium", "Overtime", "Doubling", "Pension", "H&W", "Cartage", "Total")
    widths = column_widths([1.0, 1.4, 0.8, 0.9] + [0.72] * 7, page[0], 0.5 * inch)
    for session in cost.sessions:
        rows: list[list] = [[p(h, "head") for h in ("Chair", "Musician", "Role", "Doubles")]
                            + [p(h, "head_right") for h in money]]
        style = header_table_style()
        for line in session.lines:
            figures = (line.scale, line.premium, line.overtime, line.doubling, line.pension,
                       line.health_welfare, line.cartage, line.total)
            rows.append([p(line.chair), p(line.musician),
                         p("" if line.role == "player" else line.role, "small"),
                         p(instruments_text(line.doubles) if line.doubles else "", "small")]
                        + [p(f"{v:,}", "right") for v in figures])
        rows.append([p(f"{session.name}: {session.players} players"
                       + (f", {session.overtime_units} overtime unit(s)"
                          if session.overtime_units else ""), "bold"), "", "", ""]
                    + [""] * 7 + [p(f"{session.total:,}", "right_bold")])
        last = len(rows) - 1
        style += [("BACKGROUND", (0, last), (-1, last), colors.HexColor(BAND)),
                  ("SPAN", (0, last), (3, last))]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(style))
        story += [p(f"Session {session.name}", "section"), table]
        if session.orchestra_manager_required and not session.orchestra_manager_booked:
            story.append(p("An orchestra manager is required and none is booked: the line "
                           "'(orchestra manager to book)' prices one.", "warn"))
    cue_rows: list[list] = [[p("Cue", "head"), p(f"Cost ({cur})", "head_right")]]
    for cue in cost.cues_in_order():
        cue_rows.append([p(cue), p(f"{cost.per_cue[cue]:,}", "right")])
    cue_rows.append([p("Score total", "bold"), p(f"{cost.total:,}", "right_bold")])
    style = header_table_style() + [("BACKGROUND", (0, len(cue_rows) - 1), (-1, len(cue_rows)
                                                                            - 1),
                                     colors.HexColor(BAND))]
    table = Table(cue_rows, colWidths=[2.0 * inch, 1.4 * inch], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    story.append(KeepTogether([p("Per cue (by each player's minutes on it)", "section"),
                               table]))
    return _build(story, path, page=page, running=f"{film_title} — musicians' costs",
                  right=f"{cur} · {date}", title=f"{film_title} — musicians' costs")
