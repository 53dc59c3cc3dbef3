"""Every report the project can give, made on demand into a folder, and the files of the
project folder that may be handed out (never the database, its settings or a dot-file,
never a path leaving the folder).

``REPORTS`` is the table (vocabulary as data): a kind, its title, its formats, what one
report is of (the film, a cue, a session) and who reads it.  ``available_reports(pctx)``
lists the reports the project's data can make now; ``write_report`` makes one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filmscore.errors import InputError, NotFoundError
from filmscore.limits import path_possible
from filmscore.store import CONFIG_FILENAME, DB_FILENAME

MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
               "zip": "application/zip"}
#: files of the project folder never handed out (dot-files are refused as well)
PRIVATE_FILES = (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm",
                 f"{DB_FILENAME}-journal", CONFIG_FILENAME)
#: the kinds of project files listed for download (any other file is still served by path)
LISTED_SUFFIXES = (".pdf", ".csv", ".wav", ".mp4", ".mov", ".mid", ".musicxml", ".zip",
                   ".otio", ".xml")
#: project files a browser may show in the page (played, viewed); any other file is sent
#: as an attachment, so that no HTML or SVG in the folder ever runs as this site's page
INLINE_SUFFIXES = (".pdf", ".wav", ".mp3", ".flac", ".ogg", ".mp4", ".mov", ".m4v", ".webm",
                   ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class ReportKind:
    kind: str
    title: str
    formats: tuple[str, ...]
    per: str  # "film", "cue" or "session"
    readers: str


REPORTS: dict[str, ReportKind] = {r.kind: r for r in (
    ReportKind("spotting", "Spotting list", ("pdf", "csv"), "film",
               "composer, music editor, director"),
    ReportKind("clicksheet", "Click sheet", ("pdf", "csv"), "cue", "composer, music editor"),
    ReportKind("themes", "Theme report", ("csv",), "film", "composer"),
    ReportKind("parts", "Parts and score", ("zip",), "cue", "orchestrator, copyist"),
    ReportKind("plan", "Session plan", ("pdf", "csv"), "film", "contractor, music editor"),
    ReportKind("calls", "Call list", ("pdf", "csv"), "session", "contractor"),
    ReportKind("costs", "Musicians' costs", ("pdf", "csv"), "film", "contractor, producer"),
    ReportKind("cuesheet", "Cue sheet of the take log", ("pdf", "csv"), "film",
               "music editor, engineer"),
)}


@dataclass(frozen=True)
class Report:
    """One report that can be made now: ``name`` ('clicksheet.pdf') and ``of`` (its cue
    or session, '' for the film) say which."""

    kind: str
    fmt: str
    of: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}.{self.fmt}"

    @property
    def title(self) -> str:
        return REPORTS[self.kind].title + (f" {self.of}" if self.of else "")

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]

    def filename(self, film: str) -> str:
        """A download's file name: 'popeye-clicksheet-1M1.pdf'."""
        from filmscore.fileio import safe_name

        stem = "-".join(x for x in (film, self.kind, self.of) if x)
        return safe_name(re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_"), fallback="report",
                         suffix="." + self.fmt)


def parse_report(name: str, of: str = "") -> Report:
    """The report named ``name`` ('spotting.pdf'), of the cue or session ``of``."""
    kind, _, fmt = name.partition(".")
    spec = REPORTS.get(kind)
    if spec is None or fmt not in spec.formats:
        raise InputError("no such report", field="report", value=name,
                         valid=", ".join(f"{k}.{f}" for k, r in REPORTS.items()
                                         for f in r.formats))
    if (spec.per == "film") != (not of):
        raise InputError(f"the {spec.title.lower()} is made per {spec.per}", field="of",
                         value=of, valid="a " + spec.per if spec.per != "film" else "nothing")
    return Report(kind, fmt, of)


def by_subject(reports: list[Report], kind: str) -> list[tuple[str, list[Report]]]:
    """The reports of ``kind`` as (of, its formats), in the order given."""
    out: dict[str, list[Report]] = {}
    for r in reports:
        if r.kind == kind:
            out.setdefault(r.of, []).append(r)
    return list(out.items())


def _film(kind: str) -> list[Report]:
    return [Report(kind, f) for f in REPORTS[kind].formats]


def _each(kind: str, subjects) -> list[Report]:
    return [Report(kind, f, s) for s in subjects for f in REPORTS[kind].formats]


def available_reports(pctx) -> list[Report]:
    """Every report the project's data can make now, in the order a score is made."""
    from filmscore.orchestration.service import orchestrated_cues
    from filmscore.recording.planning import session_plan
    from filmscore.recording.sessions import list_sessions
    from filmscore.spotting.service import list_cues
    from filmscore.sync.service import cues_with_maps
    from filmscore.writing.service import cues_with_music, list_themes

    out: list[Report] = []
    if list_cues(pctx):
        out += _film("spotting")
    out += _each("clicksheet", cues_with_maps(pctx))
    if list_themes(pctx) and cues_with_music(pctx):
        out += _film("themes")
    out += _each("parts", orchestrated_cues(pctx))
    if session_plan(pctx):
        out += _film("plan")
    sessions = [s.name for s in list_sessions(pctx)]
    out += _each("calls", sessions)
    if sessions:
        out += _film("costs")
        out += _film("cuesheet")
    return out


def _spotting(pctx, report: Report, path: Path) -> None:
    from filmscore.spotting.exchange import write_spotting
    from filmscore.spotting.service import list_cues

    write_spotting(list_cues(pctx), path, pctx)


def _clicksheet(pctx, report: Report, path: Path) -> None:
    from filmscore.sync.service import write_sheet

    write_sheet(pctx, report.of, path)


def _themes(pctx, report: Report, path: Path) -> None:
    from filmscore.formats import writer_for
    from filmscore.writing.service import theme_report

    writer_for("themereport", path)(theme_report(pctx), path)


def _parts(pctx, report: Report, path: Path) -> None:
    from filmscore.orchestration.service import copy_cue

    work = path.parent / "parts"
    copy_cue(pctx, report.of, work, workers=1)
    shutil.make_archive(str(path.with_suffix("")), "zip", root_dir=work)


def _plan(pctx, report: Report, path: Path) -> None:
    from filmscore.formats import writer_for
    from filmscore.recording.planning import session_plan

    writer_for("plan", path)(session_plan(pctx), path, rate=pctx.rate, title=pctx.title)


def _calls(pctx, report: Report, path: Path) -> None:
    from filmscore.formats.calllist_csv import write_calllist_csv
    from filmscore.formats.calllist_pdf import write_calllist_pdf
    from filmscore.musicians.timelog import session_call_list
    from filmscore.recording.sessions import zone

    calls = session_call_list(pctx, report.of)
    tz = zone(calls.tz or None)
    if report.fmt == "pdf":
        write_calllist_pdf(calls, path, film_title=pctx.title, tz=tz)
    else:
        write_calllist_csv(calls, path, tz=tz)


def _costs(pctx, report: Report, path: Path) -> None:
    from filmscore.formats.calllist_csv import write_costs_csv
    from filmscore.formats.calllist_pdf import write_costs_pdf
    from filmscore.musicians.service import project_ratecard
    from filmscore.musicians.timelog import project_costs

    cost = project_costs(pctx)
    if report.fmt == "pdf":
        write_costs_pdf(cost, path, film_title=pctx.title, card_name=project_ratecard(pctx).name)
    else:
        write_costs_csv(cost, path)


def _cuesheet(pctx, report: Report, path: Path) -> None:
    from filmscore.recording.takes import write_take_sheet

    write_take_sheet(pctx, **{report.fmt: path})


WRITERS: dict[str, Callable[..., None]] = {
    "spotting": _spotting, "clicksheet": _clicksheet, "themes": _themes, "parts": _parts,
    "plan": _plan, "calls": _calls, "costs": _costs, "cuesheet": _cuesheet,
}


def write_report(pctx, report: Report, folder: str | os.PathLike[str]) -> Path:
    """Make ``report`` in ``folder`` (a scratch folder the caller owns); return the file."""
    from filmscore.fileio import inside

    path = inside(folder, report.filename(Path(pctx.directory).name))
    WRITERS[report.kind](pctx, report, path)
    if not path.is_file():
        raise NotFoundError(f"the {report.title.lower()} could not be made: nothing to "
                            f"report yet")
    return path


def make_report(pctx, name: str, of: str = "") -> tuple[Report, Path]:
    """The report ``name`` of ``of`` made in a new scratch folder (nothing left behind
    when it fails): the caller sends the file, then removes its folder (``path.parent``)."""
    import tempfile

    report = parse_report(name, of)
    folder = tempfile.mkdtemp(prefix="filmscore-report-")
    try:
        return report, write_report(pctx, report, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


# --- files of the project folder ----------------------------------------------------------


def _refused(relative: str, why: str) -> InputError:
    return InputError(f"not a file this app hands out: {why}", field="path", value=relative,
                      valid="a file inside the project folder (not its database, settings "
                            "or dot-files)")


def project_file(root: str | os.PathLike[str], relative: str, *,
                 private: tuple[str, ...] = ()) -> Path:
    """The file ``relative`` of the project folder ``root``, refused when the path is
    absolute, leaves the folder (``..``, a link pointing out), names a dot-file, the
    database or its settings (``PRIVATE_FILES`` and ``private``); NotFoundError when it
    is not there."""
    base = Path(root).resolve()
    if not relative or not path_possible(relative) or "\\" in relative:
        raise _refused(relative, "an empty or malformed path")
    given = Path(relative)
    if given.is_absolute() or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        raise _refused(relative, "an absolute path")
    if any(part in ("..", ".") or part.startswith(".") for part in given.parts):
        raise _refused(relative, "a path leaving the folder or a dot-file")
    target = (base / given).resolve()
    if base not in target.parents:
        raise _refused(relative, "a link pointing outside the project folder")
    hidden = {(base / name).resolve() for name in (*PRIVATE_FILES, *private)}
    if target in hidden or any(p.name.startswith(".") for p in target.relative_to(base).parents
                               if p.name) or target.name.startswith("."):
        raise _refused(relative, "the project's database, settings or a dot-file")
    if not target.is_file():
        raise NotFoundError(f"no file {relative} in the project folder")
    return target


def project_files(root: str | os.PathLike[str], *, limit: int = 500) -> list[str]:
    """The reports, scores, parts and media of the project folder a page may link to
    (relative paths, sorted; not the content-addressed media store, not dot-files)."""
    base = Path(root).resolve()
    out: list[str] = []
    for folder, dirs, files in os.walk(base):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (here == base and d == "media"))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(LISTED_SUFFIXES):
                continue
            path = here / name
            if path.is_symlink() and base not in path.resolve().parents:
                continue
            out.append(path.relative_to(base).as_posix())
            if len(out) >= limit:
                return out
    return out
