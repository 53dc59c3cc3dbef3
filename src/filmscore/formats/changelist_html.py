"""The change list as a readable report in one HTML file (no outside files: the style
inline, the strip drawing as inline SVG), for a browser or an e-mail.

The same content as the PDF (``formats.changelist_pdf``): the project, the two cuts and
their versions, the rate; a summary (each kind: count, frames added and removed, totals);
the strip drawing of the old cut above the new with each part coloured by what happened
to it; the table of changes with timecodes (each row carries ``data-kind`` and the
frames in ``data-*`` attributes, for scripts); the warnings.  What it loses: everything
is for reading (the CSV is the list to read back).  Written atomically.
"""

from __future__ import annotations

import datetime as _dt
import os
from html import escape
from pathlib import Path

from filmscore.conform.changes import ChangeList
from filmscore.conform.vocabulary import CHANGE_KINDS
from filmscore.fileio import write_atomic
from filmscore.formats.changelist_report import COLOURS, TITLES, labels, strip, title_of, totals

_STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #222;
       margin: 2em; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.1em; margin-top: 1.4em; }
.meta { color: #444; }
table { border-collapse: collapse; }
th { background: #33415c; color: white; text-align: left; padding: 4px 8px; }
td { border-bottom: 1px solid #b8c0cc; padding: 3px 8px; vertical-align: top; }
td.tc, td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num { text-align: right; }
tr.all td { background: #e8ecf2; font-weight: bold; }
td.kind { border-left: 6px solid; white-space: nowrap; }
.note { font-size: 0.9em; color: #333; }
.legend span { display: inline-block; margin-right: 1.2em; font-size: 0.9em; }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; }
"""


def _svg(changes: ChangeList, width: int = 1000) -> str:
    picture = strip(changes)
    left, bar, gap = 50, 18, 40
    usable = width - left - 4
    old_y, new_y = 4, 4 + bar + gap
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{new_y + bar + 4}" viewBox="0 0 {width} {new_y + bar + 4}" '
           'role="img" aria-label="the old cut above the new">']
    for x0, x1, nx0, nx1, kind in picture.links:
        fill = "#dfe4ea" if kind == "kept" else "#b9cdf2"
        points = [(left + x0 * usable, old_y + bar), (left + x1 * usable, old_y + bar),
                  (left + nx1 * usable, new_y), (left + nx0 * usable, new_y)]
        out.append(f'<polygon fill="{fill}" points="'
                   + " ".join(f"{x:.2f},{y:.2f}" for x, y in points) + '"/>')
    for parts, y in ((picture.old, old_y), (picture.new, new_y)):
        for x0, x1, kind in parts:
            w = max((x1 - x0) * usable, 1.5 if kind != "kept" else 0)
            out.append(f'<rect class="{kind}" x="{left + x0 * usable:.2f}" y="{y}" '
                       f'width="{w:.2f}" height="{bar}" fill="{COLOURS[kind]}"/>')
    for holes, y in ((picture.old_reels, old_y), (picture.new_reels, new_y)):
        for x in holes:
            xx = left + x * usable + 2
            out.append(f'<line x1="{xx:.2f}" y1="{y - 3}" x2="{xx:.2f}" y2="{y + bar + 3}" '
                       'stroke="#555" stroke-width="1"/>')
    out.append(f'<text x="0" y="{old_y + 14}" font-weight="bold">old</text>')
    out.append(f'<text x="0" y="{new_y + 14}" font-weight="bold">new</text>')
    out.append("</svg>")
    return "\n".join(out)


def changelist_html(changes: ChangeList, *, title: str = "", date: str | None = None) -> str:
    """The report as an HTML document (text)."""
    date = date or _dt.date.today().isoformat()
    heading = title or changes.project or "Change list"
    e = escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{e(heading)} — change list</title>", f"<style>{_STYLE}</style>",
             "</head>", "<body>", f"<h1>{e(heading)}</h1>",
             f'<p class="meta">Change list: {e(title_of(changes))}<br>'
             f"<b>Project</b>: {e(changes.project or '—')} · <b>Old cut</b>: "
             f"{e(changes.old_name)} · <b>New cut</b>: {e(changes.new_name)} · "
             f"<b>Rate</b>: {e(changes.rate_name)} fps · <b>Date</b>: {e(date)}</p>",
             "<h2>Summary</h2>", '<table class="summary">',
             "<tr><th>Change</th><th>Count</th><th>Frames added</th><th>Frames removed</th>"
             "<th>Meaning</th></tr>"]
    for total in totals(changes):
        parts.append(
            f'<tr data-kind="{total.kind}"><td class="kind" style="border-left-color:'
            f'{COLOURS[total.kind]}">{TITLES[total.kind]}</td><td class="num">{total.count}'
            f'</td><td class="num">{f"+{total.added}" if total.added else "—"}</td>'
            f'<td class="num">{f"−{total.removed}" if total.removed else "—"}</td>'
            f'<td class="note">{e(CHANGE_KINDS[total.kind])}</td></tr>')
    added = sum(c.frames for c in changes.changes if c.frames > 0)
    removed = -sum(c.frames for c in changes.changes if c.frames < 0)
    parts += [f'<tr class="all"><td>All</td><td class="num">{len(changes.changes)}</td>'
              f'<td class="num">{f"+{added}" if added else "—"}</td>'
              f'<td class="num">{f"−{removed}" if removed else "—"}</td>'
              f'<td class="note">net {added - removed:+d} frames</td></tr>', "</table>",
              "<h2>The two cuts</h2>", _svg(changes), '<p class="legend">']
    for kind, name in (("kept", "unchanged"), ("trim_head", "trim"), ("delete", "delete"),
                       ("insert", "insert"), ("move", "move"), ("replace", "replace")):
        parts.append(f'<span><i style="background:{COLOURS[kind]}"></i>{name}</span>')
    parts += ["</p>", "<h2>Changes</h2>", '<table class="changes">',
              "<tr><th>#</th><th>Change</th><th>Shot</th><th>Reel</th><th>Old in</th>"
              "<th>Old out</th><th>New in</th><th>New out</th><th>Delta</th><th>Frames</th>"
              "<th>Note</th></tr>"]
    for n, c in enumerate(changes.changes, start=1):
        old_in, old_out = labels(changes, c.old_in, c.old_out)
        new_in, new_out = labels(changes, c.new_in, c.new_out)
        data = " ".join(f'data-{k.replace("_", "-")}="{"" if v is None else v}"' for k, v in
                        (("old_in", c.old_in), ("old_out", c.old_out), ("new_in", c.new_in),
                         ("new_out", c.new_out)))
        parts.append(
            f'<tr data-kind="{c.kind}" {data}><td class="num">{n}</td>'
            f'<td class="kind" style="border-left-color:{COLOURS[c.kind]}">{TITLES[c.kind]}'
            f"</td><td>{e(c.clip)}</td><td>{e(c.reel)}</td><td class=\"tc\">{old_in}</td>"
            f'<td class="tc">{old_out}</td><td class="tc">{new_in}</td>'
            f'<td class="tc">{new_out}</td><td class="num">{c.delta:+d}</td>'
            f'<td class="num">{c.frames:+d}</td><td class="note">{e(c.note)}</td></tr>')
    if not changes.changes:
        parts.append('<tr><td colspan="11">The cuts are the same picture: nothing to '
                     "conform.</td></tr>")
    parts.append("</table>")
    if changes.warnings:
        parts.append("<h2>Warnings</h2><ul>")
        parts += [f"<li>{e(w)}</li>" for w in changes.warnings]
        parts.append("</ul>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write_changelist_html(changes: ChangeList, path: str | os.PathLike[str], *,
                          title: str = "", date: str | None = None) -> Path:
    """Write the change-list report as one HTML file at ``path`` (atomically)."""
    return write_atomic(Path(path), changelist_html(changes, title=title, date=date))
