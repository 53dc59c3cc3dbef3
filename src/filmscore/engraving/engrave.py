"""Engraving MusicXML parts and scores to PDF with verovio (SVG) and our SVG->PDF writer.

A job is ``(MusicXML, output PDF path, kind)`` or an :class:`EngraveJob`; the MusicXML is
bytes, text, or a path to a ``.musicxml``/``.xml``/``.mxl`` file.  Kind ``"part"`` is
set on US Letter portrait (or ``paper="9x12"``) with a 7 mm staff, kind ``"score"`` on
11x17 in (tabloid) portrait with a 4.7 mm staff: the film studios' paper.  The score
numbers every bar (``mnumInterval=1``), a part the first bar of each system; the
MusicXML's ``<measure-style><multiple-rest>`` become multi-bar rests (H-bars with the
count); every page gets a footer "``<running head> — page N/M``" (the running head is the
job's, else the MusicXML's title and, for a part, its part name).  The pages are laid
out by :func:`filmscore.engraving.layout.engraved_pages` (our system breaks, the film's
marks kept clear of each other, page 1's header drawn from the ``<credit>``s) and go to
one PDF through :mod:`filmscore.engraving.svgpdf` (glyphs as vector paths, text as
real text in FreeSerif).  Each result says which film marks the layout staggered or left
out, so that the MusicXML written beside the PDF can say the same
(:func:`filmscore.formats.musicxml_marks.apply_layout`).  Jobs run in ``workers``
processes, each with one verovio toolkit it reuses, the biggest job (the score) first so
that the parts fill the other workers; each PDF is written atomically.

Before verovio reads the MusicXML we repair what its importer gets wrong (verovio 6.4):
directions (tempo, words, rehearsal marks) in the first bar of a multi-bar rest are
dropped when they follow the ``<attributes>`` that start the rest, and the importer then
draws a second clef after the rest; we move the ``<measure-style>`` into its own
``<attributes>`` before the bar's first note.  Directions inside the other bars of a
multi-bar rest are dropped by verovio, so a multi-bar rest is split at any bar that has a
direction or an attribute change.  A ``<rehearsal>`` is engraved as bold boxed words
(verovio attaches every MusicXML rehearsal mark to its bar's left bar line and then
leaves out that bar's number), and a part's staff carries no instrument name (page 1's
header does).

What it loses (verovio 6.4): the MusicXML's own page and system breaks (ours replace
them) and its page and staff sizes (ours are fixed per kind); credits are drawn on page 1
only, by their type, in the house's sizes (verovio ignores ``font-size`` and
``enclosure`` of credits and of words: the film's timecodes are set smaller in the SVG
afterwards); the bars inside a multi-bar rest have no number of their own (the rest shows
the first one); anything verovio does not import from MusicXML (e.g. some ``<sound>``
attributes, unclosed dashes) is not engraved.  Text is set in GNU FreeSerif (a Times
clone; the font verovio asks for is Times), without kerning; see
:mod:`filmscore.engraving.svgpdf` for what the PDF writer leaves out.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as _html_escape
from pathlib import Path

from filmscore.engraving.svgpdf import svg_pages_to_pdf
from filmscore.errors import FilmscoreError, InputError, ParseError, ToolError, named_error
from filmscore.parallel import process_pool

KINDS = ("part", "score")

# physical paper, millimetres (width, height), portrait
PAPER_MM: dict[str, tuple[float, float]] = {
    "letter": (215.9, 279.4),
    "9x12": (228.6, 304.8),
    "tabloid": (279.4, 431.8),
    "a4": (210.0, 297.0),
    "a3": (297.0, 420.0),
}
DEFAULT_PAPER = {"part": "letter", "score": "tabloid"}
# verovio's staff is 7.2 mm high at scale 100 (unit 9 = half a space, in 1/10 mm)
STAFF_MM = {"part": 7.0, "score": 4.7}
_VEROVIO_STAFF_MM = 7.2

_ROOT_SVG = re.compile(r"<svg viewBox=\"0 0 (\d+) (\d+)\"")

@dataclass(frozen=True)
class EngraveJob:
    """One PDF to engrave: the MusicXML (bytes, text or path), where to write, and how."""

    source: bytes | str | os.PathLike[str]
    output: str | os.PathLike[str]
    kind: str = "part"
    running_head: str | None = None  # default: the MusicXML's title (and part name)
    paper: str | None = None  # default: letter for a part, tabloid for a score


@dataclass(frozen=True)
class EngraveResult:
    """What one job made: the PDF, its page count, and the seconds it took."""

    path: Path
    kind: str
    pages: int
    seconds: float
    running_head: str
    #: the film marks the layout moved or left out: direction id -> "staggered"/"dropped"
    marks: dict = field(default_factory=dict)


def _job(job: EngraveJob | Sequence) -> EngraveJob:
    if isinstance(job, EngraveJob):
        result = job
    else:
        if not 2 <= len(job) <= 3:
            raise InputError("an engraving job is (MusicXML, output PDF, kind)",
                             field="job", value=repr(job)[:60],
                             valid="(bytes or path, path, 'part' or 'score')")
        result = EngraveJob(*job)
    if result.kind not in KINDS:
        raise InputError("unknown kind of engraving", field="kind", value=result.kind,
                         valid=", ".join(KINDS))
    paper = result.paper or DEFAULT_PAPER[result.kind]
    if paper not in PAPER_MM:
        raise InputError("unknown paper size", field="paper", value=paper,
                         valid=", ".join(PAPER_MM))
    return result


def _name(source: bytes | str | os.PathLike[str]) -> str:
    if isinstance(source, bytes):
        return "<MusicXML bytes>"
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return "<MusicXML text>"
    return str(source)


def read_musicxml_bytes(source: bytes | str | os.PathLike[str]) -> bytes:
    """The MusicXML document of ``source``: bytes or text as given, or a file's content
    (a compressed ``.mxl`` is unzipped: its container's root file)."""
    from filmscore.formats.musicxml_input import read_musicxml_file, score_document

    if isinstance(source, bytes):
        return score_document(source, source=_name(source))
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return source.encode("utf-8")
    return read_musicxml_file(source)  # within the input limits, an .mxl bounded


def _has_content(measure) -> bool:
    """A bar that must not hide inside a multi-bar rest: a direction or an attribute change
    other than the multi-bar rest itself, or a note that is not a rest."""
    for child in measure:
        tag = child.tag
        if tag == "direction" or tag == "harmony":
            return True
        if tag == "attributes":
            if any(c.tag != "measure-style" for c in child):
                return True
        if tag == "note" and child.find("rest") is None:
            return True
        if tag == "barline" and (child.find("repeat") is not None
                                 or child.find("ending") is not None):
            return True
    return False


def _set_multirest(measure, count: int | None) -> None:
    """Give ``measure`` a multi-bar rest of ``count`` bars (None: none) in its own
    ``<attributes>`` placed before its first note (after its directions)."""
    from lxml import etree

    for attributes in measure.findall("attributes"):
        for style in attributes.findall("measure-style"):
            if style.find("multiple-rest") is not None:
                attributes.remove(style)
        if len(attributes) == 0:
            measure.remove(attributes)
    if count is None or count < 2:
        return
    attributes = etree.Element("attributes")
    style = etree.SubElement(attributes, "measure-style")
    etree.SubElement(style, "multiple-rest").text = str(count)
    first_note = measure.find("note")
    if first_note is None:
        measure.append(attributes)
    else:
        first_note.addprevious(attributes)


def repair_multirests(data: bytes) -> bytes:
    """Move each multi-bar rest's ``<measure-style>`` after its bar's directions and split
    it at bars with content (see the module docstring); bytes unchanged when there is none."""
    if b"multiple-rest" not in data:
        return data
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from None
    repair_multirests_tree(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def repair_multirests_tree(root) -> None:
    """:func:`repair_multirests` on a parsed score, in place."""
    for part in root.iter("part"):
        measures = part.findall("measure")
        i = 0
        while i < len(measures):
            node = measures[i].find("attributes/measure-style/multiple-rest")
            if node is None:
                i += 1
                continue
            try:
                count = int((node.text or "").strip())
            except ValueError:
                count = 1
            span = 1  # the first bar keeps its directions (verovio prints them on the rest)
            while span < count and i + span < len(measures) \
                    and not _has_content(measures[i + span]):
                span += 1
            _set_multirest(measures[i], span)
            rest = count - span
            if rest >= 1 and i + span < len(measures) and \
                    measures[i + span].find("attributes/measure-style/multiple-rest") is None:
                nxt = measures[i + span]
                if all(n.find("rest") is not None for n in nxt.findall("note")):
                    _set_multirest(nxt, rest)  # the remainder starts again here
            i += max(span, 1)


def _default_running_head(data: bytes, kind: str) -> str:
    def first(pattern: bytes) -> str:
        match = re.search(pattern, data, re.S)
        if not match:
            return ""
        text = re.sub(rb"<[^>]+>", b"", match.group(1)).decode("utf-8", "replace")
        return " ".join(text.split())

    title = (first(rb"<movement-title[^>]*>(.*?)</movement-title>")
             or first(rb"<work-title[^>]*>(.*?)</work-title>"))
    if kind == "part":
        name = first(rb"<part-name[^>]*>(.*?)</part-name>")
        return " — ".join(x for x in (title, name) if x)
    return " — ".join(x for x in (title, "Score") if x) if title else "Score"


def verovio_options(kind: str, paper: str | None = None) -> dict:
    """The verovio options we engrave ``kind`` with (pages in tenths of a millimetre)."""
    width_mm, height_mm = PAPER_MM[paper or DEFAULT_PAPER[kind]]
    scale = round(100 * STAFF_MM[kind] / _VEROVIO_STAFF_MM)
    margin = 120 if kind == "part" else 110  # 12 mm (at scale 100)
    return {
        "pageWidth": round(width_mm * 10), "pageHeight": round(height_mm * 10),
        "scale": scale, "scaleToPageSize": True, "svgViewBox": True,
        "pageMarginTop": margin, "pageMarginBottom": margin + 60,
        "pageMarginLeft": margin, "pageMarginRight": margin,
        "mnumInterval": 1 if kind == "score" else 0, "multiRestStyle": "default",
        "header": "encoded", "footer": "none", "breaks": "auto",
        "condense": "none", "smuflTextFont": "none",
        "justifyVertically": kind == "score", "adjustPageHeight": False,
        "minLastJustification": 0.5,
        "svgRemoveXlink": True, "svgFormatRaw": True,
    }


def _add_footer(svg: str, *, width_mm: float, height_mm: float, footer: str) -> str:
    """verovio's SVG page with ``footer`` centred 8 mm above the bottom edge, in 8 pt."""
    root = _ROOT_SVG.search(svg, 0, 400)
    if root is None:
        raise ToolError("verovio wrote an SVG page without a viewBox; cannot place it")
    vb_w, vb_h = int(root.group(1)), int(root.group(2))
    size = vb_w / width_mm * 2.8  # 8 pt
    y = vb_h - vb_h / height_mm * 8  # 8 mm above the bottom edge
    text = (f'<text x="{vb_w / 2:.0f}" y="{y:.0f}" font-family="Times, serif" '
            f'font-size="{size:.0f}" text-anchor="middle" fill="black">'
            f"{_escape(footer)}</text>")
    end = svg.rfind("</svg>")
    return svg[:end] + text + svg[end:]


def _escape(text: str) -> str:
    """XML text: & < > escaped (xml.sax.saxutils.escape's result; that module imports
    urllib.request and with it http and email, a tenth of a second in each worker)."""
    return _html_escape(text, quote=False)


_TOOLKIT = None


def _toolkit():
    global _TOOLKIT
    if _TOOLKIT is None:
        import verovio

        verovio.enableLog(False)
        _TOOLKIT = verovio.toolkit()
    return _TOOLKIT


_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_COMMENTS = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.S)


def _check_root(data: bytes, source: str) -> None:
    head = _COMMENTS.sub(b"", data[:20000])
    match = _ROOT_TAG.search(head)
    tag = match.group(1).decode("utf-8", "replace") if match else ""
    if tag != "score-partwise":
        raise ParseError("not a partwise MusicXML score", source=source, value=tag or None,
                         valid="a MusicXML <score-partwise> document")


def _engrave_one(job: EngraveJob) -> EngraveResult:
    from filmscore.engraving.layout import engraved_pages

    started = time.perf_counter()
    data = read_musicxml_bytes(job.source)
    _check_root(data, _name(job.source))
    running = job.running_head or _default_running_head(data, job.kind)
    paper = job.paper or DEFAULT_PAPER[job.kind]
    width_mm, height_mm = PAPER_MM[paper]
    try:
        layout = engraved_pages(data, job.kind, paper)
    except ParseError as error:
        raise error.located(source=_name(job.source)) from None
    pages = len(layout.pages)
    svgs = [_add_footer(svg, width_mm=width_mm, height_mm=height_mm,
                        footer=f"{running} — page {page}/{pages}")
            for page, svg in enumerate(layout.pages, 1)]
    out = Path(job.output)
    svg_pages_to_pdf(svgs, out, width_mm=width_mm, height_mm=height_mm, title=running)
    return EngraveResult(out, job.kind, pages, time.perf_counter() - started, running,
                         layout.changes)


def _worker(job: EngraveJob) -> tuple[str, object]:
    """Run one job in a worker process; errors come back as (class name, message)."""
    try:
        return "ok", _engrave_one(job)
    except FilmscoreError as exc:
        return type(exc).__name__, str(exc)
    except Exception as exc:  # noqa: BLE001 (a verovio crash must not kill the pool)
        return "ToolError", f"engraving {_name(job.source)} failed: {exc}"


def raise_named(kind: str, message: str) -> None:
    """Raise the error a worker handed back as (class name, message)."""
    raise named_error(kind, message) or ToolError(message)


def _size(job: EngraveJob) -> int:
    source = job.source
    if isinstance(source, (bytes, str)) and not (isinstance(source, str)
                                                  and not source.lstrip().startswith("<")):
        return len(source)
    try:
        return Path(source).stat().st_size * 8  # compressed files are about 8x smaller
    except OSError:
        return 0


def engrave(jobs: Iterable[EngraveJob | Sequence], *, workers: int = 2) -> list[EngraveResult]:
    """Engrave every job to its PDF (atomically), in ``workers`` processes (one verovio
    toolkit each, reused); the results come back in the jobs' order."""
    todo = [_job(j) for j in jobs]
    if not todo:
        return []
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        return [_engrave_one(job) for job in todo]
    # biggest first, so the long score does not start last
    order = sorted(range(len(todo)), key=lambda i: -_size(todo[i]))
    results: list[EngraveResult | None] = [None] * len(todo)
    with process_pool(workers) as pool:
        futures = {i: pool.submit(_worker, todo[i]) for i in order}
        for i in order:
            status, value = futures[i].result()
            if status != "ok":
                for other in futures.values():
                    other.cancel()
                raise_named(status, str(value))
            results[i] = value  # type: ignore[assignment]
    return [r for r in results if r is not None]
