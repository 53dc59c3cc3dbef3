"""The theme report as a PDF (US Letter portrait) for the composer: a page (or more) per
theme, the theme's own notes engraved at the top, then every occurrence, in cue and time
order, as a line of what it is (cue, bar|beat to the bar it ends in, timecode, part and
the parts doubling it, how it was transformed, confidence, the composer's verdict) over
the matched bars engraved: the whole bars from its first note to its last, of the part
carrying it (both parts where the line passes from one to another), in sounding pitch.

Engraved with what the project's parts and scores use: the music written as MusicXML by
``formats.musicxml.write_music`` (the short score: clefs by range, in C), laid out by
verovio (one system or more, the page height fitted to the music) and its SVG placed on
our own SVG page, which ``engraving.svgpdf`` writes as PDF (glyphs as vector paths, real
text).  A rejected occurrence (shown with ``--all``) prints in grey.  Every page has the
film's title, "theme report" and "page N of M" at its foot; a theme whose occurrences do
not fit on one page continues on the next, its name repeated with "(continued)".

What it loses: it is for reading; the notes of the other parts in those bars, dynamics
and articulations of the cue's music beyond what ``write_music`` writes, and the cue's
own meter changes (the excerpt is barred in the music's meter, as the search counts
bars).  Writing is atomic.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping, Sequence
from html import escape as _html_escape
from pathlib import Path

from filmscore.engraving.svgpdf import svg_pages_to_pdf

PAPER_MM = (215.9, 279.4)  # US Letter, as the project's other paperwork
_W, _H = 2159, 2794  # the page in tenths of a millimetre (our SVG's units)
_LEFT, _RIGHT, _TOP, _BOTTOM = 150, 150, 140, 170
_STAFF_MM = 6.0  # staff height of the excerpts: a part's size, for reading
_VEROVIO_STAFF_MM = 7.2  # verovio's staff at scale 100
_GREY = "#808080"
_STANDS_FOR_CHARS = 135  # Times italic at 34 units: about this many fill the text column
_ROOT = re.compile(r'<svg viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _esc(text: str) -> str:
    return _html_escape(text, quote=True)


def _text(x: float, y: float, text: str, *, size: float = 32, weight: str = "normal",
          style: str = "normal", anchor: str = "start", fill: str = "black") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="Times, serif" font-size="{size}" '
            f'font-weight="{weight}" font-style="{style}" text-anchor="{anchor}" '
            f'fill="{fill}">{_esc(text)}</text>')


class _Engraver:
    """MusicXML of a Music, laid out by verovio as one SVG as wide as the text column."""

    def __init__(self, scratch: Path) -> None:
        from filmscore.engraving.engrave import _toolkit

        self.tk = _toolkit()
        self.scratch = scratch
        self.count = 0
        width = _W - _LEFT - _RIGHT
        # the toolkit is the process's one (engrave._toolkit): options another layout set
        # (the layout check's bounding boxes draw <g> inside <text>) must not carry over
        self.tk.resetOptions()
        self.tk.setOptions({
            "pageWidth": width, "pageHeight": 60000, "adjustPageHeight": True,
            "scale": round(100 * _STAFF_MM / _VEROVIO_STAFF_MM), "scaleToPageSize": True,
            "svgViewBox": True, "header": "none", "footer": "none", "breaks": "auto",
            "pageMarginTop": 30, "pageMarginBottom": 10, "pageMarginLeft": 0,
            "pageMarginRight": 0, "mnumInterval": 1, "smuflTextFont": "none",
            "svgRemoveXlink": True, "svgFormatRaw": True, "justifyVertically": False,
        })

    def svg(self, music, first_bar: int = 1) -> tuple[str, float, float]:
        """(SVG, its viewBox width, height) of ``music``, bars numbered from
        ``first_bar``."""
        from filmscore.errors import ToolError
        from filmscore.formats.musicxml import write_music

        self.count += 1
        path = write_music(music, self.scratch / f"excerpt{self.count}.musicxml")
        data = path.read_text(encoding="utf-8")
        if first_bar != 1:
            # number the bars as in the cue (MusicXML's measure numbers are verovio's)
            data = re.sub(r'(<measure\b[^>]*\bnumber=")(\d+)(")',
                          lambda m: f"{m.group(1)}{int(m.group(2)) + first_bar - 1}"
                                    f"{m.group(3)}", data)
        if not self.tk.loadData(data):
            raise ToolError("verovio cannot lay out an excerpt of the theme report")
        svg = self.tk.renderToSVG(1)
        root = _ROOT.search(svg, 0, 400)
        if root is None:
            raise ToolError("verovio wrote an excerpt without a viewBox; cannot place it")
        return svg, float(root.group(1)), float(root.group(2))


def _place(svg: str, vb_w: float, vb_h: float, x: float, y: float, width: float) -> tuple[
        str, float]:
    """verovio's SVG as a nested viewport at (x, y), ``width`` wide: (markup, height)."""
    height = width * vb_h / vb_w
    body = svg[svg.index("<svg"):]
    body = _ROOT.sub(f'<svg x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                     f'height="{height:.1f}" viewBox="0 0 {vb_w:g} {vb_h:g}"', body, count=1)
    return body, height


def _describe(row) -> tuple[str, str]:
    """The occurrence's heading: (bold part, the rest)."""
    span = f"bar {row.bar}|{row.beat}"
    if row.end_bar and row.end_bar != row.bar:
        span += f" to {row.end_bar}"
    # (SVG collapses runs of spaces: the fields are set apart by middle dots)
    head = " · ".join([f"Cue {row.cue}", span] + ([row.timecode] if row.timecode else []))
    rest = [row.part + (f" (doubled by {', '.join(row.doubled_by)})" if row.doubled_by
                        else ""),
            row.transform, f"confidence {row.score:.2f}"]
    if row.also:
        from filmscore.writing.concordance import also_words

        rest.append(also_words(row))
    if row.verdict:
        from filmscore.writing.concordance import verdict_words

        words = verdict_words(row.verdict, row.verdict_by)
        kind, _, more = words.partition(" ")
        rest.append(" ".join(x for x in (kind.upper(), more) if x))
    return head, " · ".join(rest)


def write_theme_report_pdf(report, themes: Mapping, excerpts: Sequence, path:
                           str | os.PathLike[str], *, title: str = "",
                           stands_for: Mapping[str, str] | None = None) -> Path:
    """Write ``report`` (``writing.service.ThemeReport``; ``themes``: name -> Music;
    ``excerpts``: the Music of each of ``report.matches``, from
    ``writing.concordance.excerpt``; ``stands_for``: name -> what the theme stands for,
    printed beside its name) to ``path``."""
    from filmscore import children

    width = _W - _LEFT - _RIGHT
    pages: list[list[str]] = []
    grouped: dict[str, list[int]] = {}
    for index, row in enumerate(report.matches):
        grouped.setdefault(row.theme, []).append(index)
    with children.scratch_folder(prefix="filmscore-themereport-") as work:
        engraver = _Engraver(Path(work))
        for theme, music in themes.items():
            indices = grouped.get(theme, [])
            page: list[str] = []
            y = _TOP + 60
            what = (stands_for or {}).get(theme, "")
            page.append(_text(_LEFT, y, theme, size=60, weight="bold"))
            kinds = [report.matches[i].verdict.split(" ")[0] for i in indices]
            cues = list(dict.fromkeys(report.matches[i].cue for i in indices))
            where = (f" in {', '.join(cues[:8])}" + (f" and {len(cues) - 8} more cues"
                                                      if len(cues) > 8 else "")) if cues else ""
            count = (f"{len(indices)} occurrence{'s' if len(indices) != 1 else ''}{where}"
                     + "".join(f", {kinds.count(k)} {k}" for k in ("confirmed", "rejected")
                               if kinds.count(k)))
            page.append(_text(_W - _RIGHT, y, count, size=30, anchor="end"))
            # what it stands for on lines of its own, under the name and the count (on
            # the name's line a long one ran into the count)
            for line in textwrap.wrap(what, _STANDS_FOR_CHARS):
                y += 46
                page.append(_text(_LEFT, y, line, size=34, style="italic"))
            y += 30
            svg, vb_w, vb_h = engraver.svg(music)
            placed, height = _place(svg, vb_w, vb_h, _LEFT, y, width)
            page.append(placed)
            y += height + 20
            page.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_W - _RIGHT}" y2="{y:.1f}" '
                        f'stroke="black" stroke-width="3"/>')
            y += 30
            if not indices:
                from filmscore.writing.concordance import within_words

                said = (within_words(report.heard_within(theme))
                        or "Not found in the latest music of any cue.")
                for line in textwrap.wrap(said, _STANDS_FOR_CHARS):
                    y += 46
                    page.append(_text(_LEFT, y + 4, line, size=34, style="italic"))
            for i in indices:
                row = report.matches[i]
                svg, vb_w, vb_h = engraver.svg(excerpts[i], first_bar=max(row.bar, 1))
                height = width * vb_h / vb_w
                if y + 60 + height > _H - _BOTTOM and y > _TOP + 400:
                    pages.append(page)
                    page = [_text(_LEFT, _TOP + 40, f"{theme} (continued)", size=40,
                                  weight="bold")]
                    y = _TOP + 80
                fill = _GREY if row.verdict.startswith("rejected") else "black"
                head, rest = _describe(row)
                page.append(f'<text x="{_LEFT}" y="{y + 40:.1f}" font-family="Times, serif" '
                            f'font-size="30" fill="{fill}"><tspan font-size="36" '
                            f'font-weight="bold">{_esc(head)}</tspan><tspan>{_esc(" · " + rest)}'
                            f'</tspan></text>')
                y += 50
                placed, height = _place(svg, vb_w, vb_h, _LEFT, y, width)
                page.append(placed)
                y += height + 30
            pages.append(page)
    total = len(pages)
    footer = f"{title + ' — ' if title else ''}theme report"
    svgs = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAPER_MM[0]}mm" '
            f'height="{PAPER_MM[1]}mm" viewBox="0 0 {_W} {_H}">' + "".join(page)
            + _text(_W / 2, _H - 80, f"{footer} — page {n} of {total}", size=28,
                    anchor="middle")
            + "</svg>" for n, page in enumerate(pages, 1)]
    return svg_pages_to_pdf(svgs, Path(path), width_mm=PAPER_MM[0], height_mm=PAPER_MM[1],
                            title=f"Theme report{' — ' + title if title else ''}")
