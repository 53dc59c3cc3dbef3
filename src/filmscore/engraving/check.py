"""The engraving check: the copying rules measured on any MusicXML, ours or an outside file.

:func:`check_musicxml` checks one document, :func:`check_files` several and
:func:`check_folder` every MusicXML file under a folder (a cue's parts and score as the
copying stage writes them, or the demo's ``parts/`` and ``scores/``); each returns an
:class:`EngravingReport`: the findings (rule, part, bar, what is wrong), the counts per
rule, the tuplets counted per part, and the pages and seconds it took.  The rules and
what each flags are :data:`~filmscore.engraving.findings.RULES`; how each is decided is
in the docstrings of :mod:`~filmscore.engraving.check_accidentals` (redundant and
missing accidentals, courtesy accidentals), :mod:`~filmscore.engraving.check_rhythm`
(rest grouping, tuplets), :mod:`~filmscore.engraving.check_marks` (rehearsal marks,
crowded bars, final barline) and :mod:`~filmscore.engraving.check_layout` (overlapping
and stacked marks and bar numbers, measured on the pages verovio lays out as
:mod:`~filmscore.engraving.engrave` does).

A document with one part is checked as a part (letter paper, bar numbers at system
starts), one with several as a score (tabloid, every bar numbered), unless ``kind`` says.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from filmscore.engraving.check_accidentals import accidental_findings
from filmscore.engraving.check_layout import layout_findings, read_page, render_pages
from filmscore.engraving.check_marks import (
    barline_findings,
    crowding_findings,
    rehearsal_findings,
)
from filmscore.engraving.check_rhythm import rest_findings, tuplet_findings, tuplet_groups
from filmscore.engraving.check_xml import read_score
from filmscore.engraving.engrave import KINDS, read_musicxml_bytes
from filmscore.engraving.findings import RULES, Finding
from filmscore.errors import FilmscoreError, InputError

__all__ = ["RULES", "CheckOptions", "DocumentCheck", "EngravingReport", "Finding",
           "check_files", "check_folder", "check_musicxml", "musicxml_files"]

SUFFIXES = (".musicxml", ".xml", ".mxl")


#: whose page layout the layout rules measure
ENGRAVERS = ("filmscore", "verovio")


@dataclass(frozen=True)
class CheckOptions:
    """How strict the check is; the defaults are issue 9's copying rules."""

    kind: str | None = None  # "part", "score"; None: by the number of parts
    letters_every: int = 8  # rehearsal marks at least this many bars apart (0: any)
    max_texts: int = 2  # text directions allowed in one bar of one staff
    tuplets: bool = False  # tuplets are findings (else only counted)
    layout: bool = True  # engrave and measure the pages (overlaps, bar numbers)
    engraver: str = "filmscore"  # whose layout: ours, as the PDF prints ("filmscore"), or
    # plain verovio on the file as it is ("verovio": what another tool would draw)

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise InputError("unknown kind of document", field="kind", value=self.kind,
                             valid="part, score, or auto")
        if self.letters_every < 0:
            raise InputError("rehearsal spacing cannot be negative", field="letters_every",
                             value=self.letters_every, valid="0 (off) or a number of bars")
        if self.engraver not in ENGRAVERS:
            raise InputError("unknown engraver", field="engraver", value=self.engraver,
                             valid=", ".join(ENGRAVERS))
        if self.max_texts < 0:
            raise InputError("texts per bar cannot be negative", field="max_texts",
                             value=self.max_texts, valid="0 or more")


@dataclass(frozen=True)
class DocumentCheck:
    """One checked document: what it is, its pages and the time the check took."""

    source: str
    kind: str
    parts: int
    bars: int
    pages: int
    seconds: float
    tuplets: tuple[tuple[str, int, tuple[str, ...]], ...] = ()  # (part, count, bars)


@dataclass(frozen=True)
class EngravingReport:
    """Findings of the engraving check over one or more documents."""

    documents: tuple[DocumentCheck, ...] = ()
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = field(default_factory=lambda: tuple(RULES))

    @property
    def counts(self) -> dict[str, int]:
        """Findings per rule, every rule checked listed (0 included), in RULES' order."""
        found = Counter(f.rule for f in self.findings)
        return {rule: found[rule] for rule in self.rules}

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.documents)

    @property
    def seconds(self) -> float:
        return sum(d.seconds for d in self.documents)

    def of_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def merged(self, other: EngravingReport) -> EngravingReport:
        rules = self.rules + tuple(r for r in other.rules if r not in self.rules)
        return EngravingReport(self.documents + other.documents,
                               self.findings + other.findings, rules)

    def summary(self, *, limit: int | None = 40) -> list[str]:
        """The report as lines: each document, the counts per rule, then each finding."""
        lines = []
        for doc in self.documents:
            n = sum(1 for f in self.findings if f.source == doc.source)
            tuplets = sum(count for _, count, _ in doc.tuplets)
            extra = (f", {tuplets} tuplet{'s' * (tuplets != 1)}"
                     if tuplets and "tuplets" not in self.rules else "")
            lines.append(f"{doc.source}: {doc.kind}, {doc.parts} part{'s' * (doc.parts != 1)}"
                         f", {doc.bars} bars, {doc.pages} page{'s' * (doc.pages != 1)}, "
                         f"{n} finding{'s' * (n != 1)}{extra}")
        per_page = self.seconds / self.pages if self.pages else 0.0
        lines.append(f"checked {len(self.documents)} file{'s' * (len(self.documents) != 1)}"
                     f", {self.pages} pages in {self.seconds:.1f} s ({per_page:.2f} s a page)")
        lines.append("per rule: " + ", ".join(f"{rule} {n}" for rule, n in self.counts.items()))
        shown = self.findings if limit is None else self.findings[:limit]
        lines += [f"  {f.line()}" for f in shown]
        if len(shown) < len(self.findings):
            lines.append(f"  ... and {len(self.findings) - len(shown)} more (--limit 0: all)")
        n = len(self.findings)
        lines.append(f"{n} finding{'s' * (n != 1)}" if n else "no findings: engraved to the rules")
        return lines


def _label(source: bytes | str | os.PathLike[str]) -> str:
    if isinstance(source, bytes):
        return "<MusicXML bytes>"
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return "<MusicXML text>"
    return Path(source).name


def check_musicxml(source: bytes | str | os.PathLike[str], *, name: str | None = None,
                   options: CheckOptions | None = None) -> EngravingReport:
    """Check one MusicXML document (bytes, text or a path; ``.mxl`` too)."""
    options = options or CheckOptions()
    started = time.perf_counter()
    label = name or _label(source)
    data = read_musicxml_bytes(source)
    score = read_score(data, source=label)
    kind = options.kind or ("part" if len(score.parts) == 1 else "score")
    findings = accidental_findings(score) + rest_findings(score)
    findings += rehearsal_findings(score, letters_every=options.letters_every)
    findings += crowding_findings(score, max_texts=options.max_texts)
    findings += barline_findings(score)
    if options.tuplets:
        findings += tuplet_findings(score)
    pages = 0
    if options.layout:
        svgs = render_pages(data, kind, source=label, engraver=options.engraver)
        pages = len(svgs)
        single = score.parts[0].name if len(score.parts) == 1 else None
        findings += layout_findings([read_page(svg, i + 1) for i, svg in enumerate(svgs)],
                                    kind=kind, part_of_staff=score.staff_parts,
                                    single_part=single)
    order = {rule: i for i, rule in enumerate(RULES)}
    findings = sorted((replace(f, source=label) for f in findings),
                      key=lambda f: order.get(f.rule, len(order)))
    tuplets = []
    for part in score.parts:
        groups = tuplet_groups(part)
        if groups:
            tuplets.append((part.name, sum(c for _, c in groups), tuple(b for b, _ in groups)))
    rules = tuple(r for r in RULES if r != "tuplets" or options.tuplets)
    rules = tuple(r for r in rules if options.layout or r not in (
        "overlapping_marks", "stacked_rehearsal", "mark_off_page", "missing_bar_number"))
    doc = DocumentCheck(label, kind, len(score.parts), max(len(p.bars) for p in score.parts),
                        pages, time.perf_counter() - started, tuple(tuplets))
    return EngravingReport((doc,), tuple(findings), rules)


def musicxml_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Every MusicXML file under ``folder`` (sub-folders too), sorted."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", source=str(root), valid="a folder of MusicXML files")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith("."))


#: MusicXML a worker process is worth starting for: it costs about a second to start and
#: import the checker, a megabyte takes 3 to 6 seconds to check (a cue's parts together
#: are about 0.2 MB: checked in this process)
BYTES_PER_WORKER = 1_000_000


def _size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size * 8 if path.suffix.lower() == ".mxl" else size  # about 8x compressed


def _check_one(task: tuple[Path, str, CheckOptions]) -> tuple[str, object]:
    """One file's check in a worker process; a refusal comes back as (class, message)."""
    path, name, options = task
    try:
        return "ok", check_musicxml(path, name=name, options=options)
    except FilmscoreError as exc:
        return type(exc).__name__, str(exc)


def check_files(paths: Iterable[str | os.PathLike[str]], *,
                options: CheckOptions | None = None, root: Path | None = None,
                workers: int = 2) -> EngravingReport:
    """Check each file (named by its path under ``root``, else by its file name), in up
    to ``workers`` processes when there is enough to check (``BYTES_PER_WORKER`` each);
    the report lists them in the order given."""
    options = options or CheckOptions()
    tasks = [(Path(p), str(Path(p).relative_to(root)) if root is not None else Path(p).name,
              options) for p in paths]
    size = sum(_size(path) for path, _, _ in tasks)
    workers = max(1, min(workers, len(tasks), size // BYTES_PER_WORKER))
    report = EngravingReport(rules=())
    if workers == 1:
        for path, name, _ in tasks:
            report = report.merged(check_musicxml(path, name=name, options=options))
    else:
        from filmscore.engraving.engrave import raise_named
        from filmscore.parallel import process_pool

        with process_pool(workers) as pool:
            chunk = max(1, len(tasks) // (4 * workers))
            for status, value in pool.map(_check_one, tasks, chunksize=chunk):
                if status != "ok":
                    raise_named(status, str(value))
                report = report.merged(value)
    if not report.documents:
        raise InputError("no MusicXML file to check",
                         valid="a .musicxml, .xml or .mxl file or a folder holding some")
    return report


def check_folder(folder: str | os.PathLike[str], *, options: CheckOptions | None = None,
                 workers: int = 2) -> EngravingReport:
    """Check every MusicXML file under ``folder`` (e.g. the demo's ``parts/``)."""
    files = musicxml_files(folder)
    if not files:
        raise InputError("the folder holds no MusicXML file", source=str(folder),
                         valid="a folder with .musicxml, .xml or .mxl files")
    return check_files(files, options=options, root=Path(folder), workers=workers)
