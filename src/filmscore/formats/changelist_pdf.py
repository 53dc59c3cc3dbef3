"""The change list as a printable report for the music editor (PDF, US Letter landscape,
the look of ``engraving.style`` like the other paperwork).

Page 1: the project, the two cuts and their versions, the rate and date; a summary (each
kind of change: count, frames added and removed; the totals); the strip drawing (the old
cut above the new, each part coloured by what happened to it, the kept material joined
between them; holes between reels closed up to a thin gap); then the table of changes
(kind, shot, reel, old in/out, new in/out as timecodes, delta and frames, the note),
running over as many pages as it needs with its header repeated.  Warnings last.
What it loses: everything is for reading (the CSV is the list to read back).
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.conform.changes import ChangeList
from filmscore.conform.vocabulary import CHANGE_KINDS
from filmscore.engraving.style import (
    BAND,
    build_paperwork,
    fonts,
    header_table_style,
    info_line,
)
from filmscore.formats.changelist_report import COLOURS, TITLES, labels, strip, title_of, totals


def _strip_drawing(changes: ChangeList, width: float, regular: str, bold: str):
    from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    picture = strip(changes)
    left, bar_h, gap = 44.0, 16.0, 34.0
    usable = width - left - 4
    height = bar_h * 2 + gap + 30
    d = Drawing(width, height)
    old_y, new_y = height - bar_h - 2, height - 2 * bar_h - gap - 2
    for x0, x1, nx0, nx1, kind in picture.links:
        fill = colors.HexColor("#dfe4ea" if kind == "kept" else "#b9cdf2")
        d.add(Polygon([left + x0 * usable, old_y, left + x1 * usable, old_y,
                       left + nx1 * usable, new_y + bar_h, left + nx0 * usable, new_y + bar_h],
                      fillColor=fill, strokeColor=None))
    for parts, y in ((picture.old, old_y), (picture.new, new_y)):
        for x0, x1, kind in parts:
            w = max((x1 - x0) * usable, 1.2 if kind != "kept" else 0)
            d.add(Rect(left + x0 * usable, y, w, bar_h, fillColor=colors.HexColor(
                COLOURS[kind]), strokeColor=None))
    for holes, y in ((picture.old_reels, old_y), (picture.new_reels, new_y)):
        for x in holes:
            d.add(Line(left + x * usable + 1.5, y - 3, left + x * usable + 1.5, y + bar_h + 3,
                       strokeColor=colors.HexColor("#555555"), strokeWidth=0.6))
    d.add(String(0, old_y + 4, "old", fontName=bold, fontSize=9))
    d.add(String(0, new_y + 4, "new", fontName=bold, fontSize=9))
    x = left
    for kind in ("kept", "trim_head", "delete", "insert", "move", "replace"):
        name = {"kept": "unchanged", "trim_head": "trim"}.get(kind, TITLES.get(kind, kind))
        d.add(Rect(x, 2, 10, 8, fillColor=colors.HexColor(COLOURS[kind]), strokeColor=None))
        d.add(String(x + 13, 3, name.lower(), fontName=regular, fontSize=7.5))
        x += 18 + len(name) * 4.4 + 14
    return d


def _net(frames: int) -> str:
    if frames == 0:
        return "the new cut is as long as the old"
    return f"the new cut is {abs(frames)} frames {'longer' if frames > 0 else 'shorter'}"


def write_changelist_pdf(changes: ChangeList, path: str | os.PathLike[str], *,
                         title: str = "", date: str | None = None) -> Path:
    """Write the change-list report as a PDF at ``path`` (atomically)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    regular, bold, _ = fonts()
    date = date or _dt.date.today().isoformat()
    page_w, page_h = landscape(letter)
    margin = 0.5 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=8.5, leading=10.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor=colors.white)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=18, leading=22)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=14,
                        spaceBefore=6, spaceAfter=4)
    meta = ParagraphStyle("meta", parent=base, fontSize=9.5, leading=12)

    def p(text: str, style=base) -> Paragraph:
        return Paragraph(escape(text), style)

    heading = title or changes.project or "Change list"
    story: list = [p(heading, h1), p(f"Change list: {title_of(changes)}", meta)]
    story.append(info_line([("Project", changes.project or "—"),
                            ("Old cut", changes.old_name), ("New cut", changes.new_name),
                            ("Rate", f"{changes.rate_name} fps"), ("Date", date)], meta))
    story.append(Spacer(1, 8))

    # summary
    rows = [[p(h, head) for h in ("Change", "Count", "Frames added", "Frames removed",
                                  "Meaning")]]
    style = header_table_style()
    for i, total in enumerate(totals(changes), start=1):
        rows.append([p(TITLES[total.kind]), p(str(total.count)),
                     p(f"+{total.added}" if total.added else "—"),
                     p(f"−{total.removed}" if total.removed else "—"),
                     p(CHANGE_KINDS[total.kind], small)])
        style.append(("LINEBEFORE", (0, i), (0, i), 4, colors.HexColor(COLOURS[total.kind])))
    added = sum(c.frames for c in changes.changes if c.frames > 0)
    removed = -sum(c.frames for c in changes.changes if c.frames < 0)
    rows.append([p("All", head.clone("tb", textColor=colors.black)),
                 p(str(len(changes.changes))), p(f"+{added}" if added else "—"),
                 p(f"−{removed}" if removed else "—"),
                 p(_net(added - removed), small)])
    style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                  colors.HexColor(BAND)))
    summary = Table(rows, colWidths=[1.0 * inch, 0.6 * inch, 1.0 * inch, 1.1 * inch,
                                     4.6 * inch], hAlign="LEFT")
    summary.setStyle(TableStyle(style))
    story += [p("Summary", h2), summary, p("The two cuts", h2),
              _strip_drawing(changes, page_w - 2 * margin, regular, bold)]

    # the changes
    story.append(p("Changes", h2))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    with_reel = any(c.reel and c.reel != c.clip for c in changes.changes)
    cols = ["#", "Change", "Shot", *(["Reel"] if with_reel else []), "Old in", "Old out",
            "New in", "New out", "Delta", "Frames", "Note"]
    rows = [[p(h, head) for h in cols]]
    style = header_table_style()
    for n, c in enumerate(changes.changes, start=1):
        old_in, old_out = labels(changes, c.old_in, c.old_out)
        new_in, new_out = labels(changes, c.new_in, c.new_out)
        rows.append([p(str(n)), p(TITLES[c.kind]), p(c.clip, small),
                     *([p(c.reel, small)] if with_reel else []), p(old_in), p(old_out),
                     p(new_in), p(new_out), p(f"{c.delta:+d}"), p(f"{c.frames:+d}"),
                     p(c.note, small)])
        style.append(("LINEBEFORE", (0, n), (0, n), 4, colors.HexColor(COLOURS[c.kind])))
    if not changes.changes:
        rows.append([p("The cuts are the same picture: nothing to conform.")]
                    + [""] * (len(cols) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))

    def fit(texts, size: float, most: float) -> float:
        """As wide as the widest text (the header's bold words too) and the padding."""
        return min(max([stringWidth(t, regular, size) for t in texts]
                       + [stringWidth(t, bold, 8.5) for t in texts if t in cols]) + 16, most)

    tc = fit(["00:00:00:00"], base.fontSize, 2 * inch)
    widths = [fit([str(len(changes.changes))], 8.5, inch) + 4, fit(["Trim head"], 8.5, inch),
              fit([c.clip for c in changes.changes] + ["Shot"], 7.5, 1.9 * inch)]
    if with_reel:
        widths.append(fit([c.reel for c in changes.changes], 7.5, 1.5 * inch))
    widths += [tc, tc, tc, tc, fit(["Delta", *(f"{c.delta:+d}" for c in changes.changes)],
                                   8.5, inch),
               fit(["Frames", *(f"{c.frames:+d}" for c in changes.changes)], 8.5, inch)]
    widths.append(page_w - 2 * margin - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    if changes.warnings:
        story.append(p("Warnings", h2))
        story += [p(w, small) for w in changes.warnings]
    return build_paperwork(story, path, page_w=page_w, page_h=page_h, margin=margin,
                           running_left=f"{heading} — change list {title_of(changes)}",
                           running_right=f"{changes.rate_name} fps · {date}",
                           title=f"{heading} — change list", subject=title_of(changes))
