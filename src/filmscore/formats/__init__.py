"""The format registry: which adapter reads or writes which kind of file, by suffix.

A table, not an if-ladder.  Built-in adapters are listed below as ``"module:function"``
strings and imported on first use, so importing this package imports no adapter (and no
cycle).  Plugins call :func:`register`, or declare an entry point in the group
``filmscore.formats`` whose object is a callable taking no argument that calls
:func:`register`.

    >>> reader_for("cut", "reel1.edl")          # doctest: +SKIP
    <function read_cut ...>
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmscore.errors import ParseError

Adapter = Callable[..., Any] | str


@dataclass
class FormatEntry:
    """One registered format: a kind of content ('cut', 'subtitles', ...) and its suffixes."""

    kind: str
    name: str
    suffixes: tuple[str, ...]
    reader: Adapter | None = None
    writer: Adapter | None = None


_REGISTRY: list[FormatEntry] = []
_PLUGINS_LOADED = False
ENTRY_POINT_GROUP = "filmscore.formats"

VIDEO_SUFFIXES = (".mkv", ".mov", ".mp4", ".mxf", ".webm", ".avi", ".m4v")


def _norm_suffix(suffix: str) -> str:
    suffix = suffix.strip().lower()
    return suffix if suffix.startswith(".") else "." + suffix


def register(
    kind: str,
    suffixes: tuple[str, ...],
    reader: Adapter | None = None,
    writer: Adapter | None = None,
    name: str | None = None,
) -> FormatEntry:
    """Register a reader and/or writer of ``kind`` for files ending in ``suffixes``.

    ``reader``/``writer`` are callables or ``"package.module:function"`` strings resolved
    on first use.  A later registration of the same kind and suffix takes precedence.
    """
    entry = FormatEntry(
        kind=kind,
        name=name or f"{kind}{'/'.join(suffixes)}",
        suffixes=tuple(_norm_suffix(s) for s in suffixes),
        reader=reader,
        writer=writer,
    )
    _REGISTRY.insert(0, entry)
    return entry


def formats(kind: str | None = None) -> list[FormatEntry]:
    """Registered formats (of one kind, if given), most recent first."""
    _load_plugins()
    return [e for e in _REGISTRY if kind is None or e.kind == kind]


def _resolve(adapter: Adapter) -> Callable[..., Any]:
    if callable(adapter):
        return adapter
    module_name, _, attr = adapter.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    _PLUGINS_LOADED = True
    # imported here, not with the package: importlib.metadata brings email and more, which
    # a process reading one file (an engraving worker) has no use for
    from importlib import metadata

    try:
        points = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception:  # a broken environment must not stop the built-in formats
        return
    for point in points:
        hook = point.load()
        if callable(hook):
            hook()


def _lookup(kind: str, path: str | Path, role: str) -> Callable[..., Any]:
    _load_plugins()
    suffix = Path(path).suffix.lower()
    candidates = [e for e in _REGISTRY if e.kind == kind and getattr(e, role) is not None]
    for entry in candidates:
        if suffix in entry.suffixes:
            return _resolve(getattr(entry, role))
    valid = sorted({s for e in candidates for s in e.suffixes})
    if not candidates:
        kinds = sorted({e.kind for e in _REGISTRY if getattr(e, role) is not None})
        raise ParseError(f"no {role} for files of kind {kind!r}", source=str(path),
                         value=kind, valid=", ".join(kinds))
    raise ParseError(f"cannot {'read' if role == 'reader' else 'write'} a {kind} from a "
                     f"{suffix or 'suffix-less'} file", source=str(path),
                     value=suffix or str(Path(path).name), valid=", ".join(valid))


def reader_for(kind: str, path: str | Path) -> Callable[..., Any]:
    """The function that reads ``path`` as ``kind``; ParseError listing the valid suffixes."""
    return _lookup(kind, path, "reader")


def writer_for(kind: str, path: str | Path) -> Callable[..., Any]:
    """The function that writes ``kind`` to ``path``; ParseError listing the valid suffixes."""
    return _lookup(kind, path, "writer")


# --- built-in formats (resolved lazily) ------------------------------------------------

register("cut", VIDEO_SUFFIXES, reader="filmscore.formats.video:read_cut", name="video")
register("cut", (".otio", ".otioz"), reader="filmscore.formats.otio_cut:read_cut",
         writer="filmscore.formats.otio_cut:write_otio", name="otio")
register("cut", (".xml",), reader="filmscore.formats.otio_cut:read_cut", name="fcp_xml")
register("cut", (".edl",), reader="filmscore.formats.otio_cut:read_cut",
         writer="filmscore.formats.otio_cut:write_edl", name="cmx_3600")
register("subtitles", (".srt",), reader="filmscore.formats.subtitles:read_srt", name="srt")
register("spotting", (".csv",), reader="filmscore.formats.spotting_csv:read_spotting_csv",
         writer="filmscore.formats.spotting_csv:write_spotting_csv", name="spotting_csv")
register("spotting", (".txt",), reader="filmscore.formats.protools_text:read_session_for_spotting",
         name="protools_text")
register("click", (".wav",), reader="filmscore.formats.click_wav:read_click_wav",
         writer="filmscore.formats.click_wav:write_click_wav", name="click_wav")
register("tempo", (".mid", ".midi"), reader="filmscore.formats.midi_tempo:read_tempo_midi",
         writer="filmscore.formats.midi_tempo:write_tempo_midi", name="smf_tempo")
register("clicksheet", (".csv",), writer="filmscore.formats.clicksheet_csv:write_clicksheet_csv",
         name="clicksheet_csv")
register("clicksheet", (".pdf",), writer="filmscore.formats.clicksheet_pdf:write_clicksheet_pdf",
         name="clicksheet_pdf")
register("music", (".mid", ".midi"), reader="filmscore.formats.midi_music:read_music",
         writer="filmscore.formats.midi_music:write_music", name="smf_music")
register("music", (".musicxml", ".xml", ".mxl"), reader="filmscore.formats.musicxml:read_music",
         writer="filmscore.formats.musicxml:write_music", name="musicxml")
register("spotting", (".pdf",), writer="filmscore.formats.spotting_pdf:write_spotting_pdf",
         name="spotting_pdf")
# issue 10, musicians: the roster, a session's call list, the musicians' costs
register("roster", (".csv",), reader="filmscore.formats.roster_csv:read_roster_csv",
         writer="filmscore.formats.roster_csv:write_roster_csv", name="roster_csv")
register("calllist", (".csv",), writer="filmscore.formats.calllist_csv:write_calllist_csv",
         name="calllist_csv")
register("calllist", (".pdf",), writer="filmscore.formats.calllist_pdf:write_calllist_pdf",
         name="calllist_pdf")
register("costs", (".csv",), writer="filmscore.formats.calllist_csv:write_costs_csv",
         name="costs_csv")
register("costs", (".pdf",), writer="filmscore.formats.calllist_pdf:write_costs_pdf",
         name="costs_pdf")
# issue 10, recording: the music editor's cue sheet, takes' iXML
register("cuesheet", (".csv",), writer="filmscore.formats.cuesheet_csv:write_cuesheet_csv",
         name="cuesheet_csv")
register("cuesheet", (".pdf",), writer="filmscore.formats.cuesheet_pdf:write_cuesheet_pdf",
         name="cuesheet_pdf")
register("take", (".wav", ".bwf"), reader="filmscore.formats.ixml:read_ixml",
         writer="filmscore.formats.ixml:write_ixml", name="ixml")
# issue 10, recording: the session plan
register("plan", (".csv",), writer="filmscore.formats.plan_csv:write_plan_csv",
         name="plan_csv")
register("plan", (".pdf",), writer="filmscore.formats.plan_pdf:write_plan_pdf",
         name="plan_pdf")
# issue 11, the web workspace's downloads: the theme report
register("themereport", (".csv",),
         writer="filmscore.formats.themereport_csv:write_theme_report_csv",
         name="themereport_csv")
# issue 12: the performing-rights (PRO) cue sheet (not the music editor's "cuesheet")
register("pro_cuesheet", (".csv",),
         writer="filmscore.formats.pro_cuesheet_csv:write_pro_cuesheet_csv",
         reader="filmscore.formats.pro_cuesheet_csv:read_pro_cuesheet_csv",
         name="pro_cuesheet_csv")
register("pro_cuesheet", (".pdf",),
         writer="filmscore.formats.pro_cuesheet_pdf:write_pro_cuesheet_pdf",
         name="pro_cuesheet_pdf")
register("pro_cuesheet", (".xml",),
         writer="filmscore.formats.pro_cuesheet_ddex:write_pro_cuesheet_ddex",
         reader="filmscore.formats.pro_cuesheet_ddex:read_pro_cuesheet_ddex",
         name="pro_cuesheet_ddex")
# the delivery to the dub: its report (over a mixing.timeline.Delivery) and the music
# timeline (over the OTIO timeline of formats.dub_timeline.dub_timeline)
register("delivery", (".csv",), writer="filmscore.formats.delivery_csv:write_delivery_csv",
         name="delivery_csv")
register("delivery", (".pdf",), writer="filmscore.formats.delivery_pdf:write_delivery_pdf",
         name="delivery_pdf")
register("dub_timeline", (".otio",), writer="filmscore.formats.dub_timeline:write_dub_otio",
         name="dub_otio")
register("dub_timeline", (".aaf",), writer="filmscore.formats.dub_timeline:write_dub_aaf",
         name="dub_aaf")
# issue 13, the album's release files: the CD's CUE sheet and PQ list (over an
# album.cd.CdLayout), the vinyl side list (over an album.vinyl.SideSheet)
register("cd_cue", (".cue",), writer="filmscore.formats.cd_cue:write_cue", name="cd_cue")
register("pq_list", (".csv",), writer="filmscore.formats.pq_list_csv:write_pq_csv",
         name="pq_list_csv")
register("pq_list", (".pdf",), writer="filmscore.formats.pq_list_pdf:write_pq_pdf",
         name="pq_list_pdf")
register("side_list", (".csv",), writer="filmscore.formats.side_list_csv:write_side_csv",
         name="side_list_csv")
register("side_list", (".pdf",), writer="filmscore.formats.side_list_pdf:write_side_pdf",
         name="side_list_pdf")
# issue 14, conform: the change list between two cuts (a conform.changes.ChangeList): CSV
# (read back), the change EDL (the new cut with the changes as comments), the reports
register("changelist", (".csv",), reader="filmscore.formats.changelist_csv:read_changelist_csv",
         writer="filmscore.formats.changelist_csv:write_changelist_csv", name="changelist_csv")
register("changelist", (".edl",),
         writer="filmscore.formats.changelist_edl:write_changelist_edl", name="changelist_edl")
register("changelist", (".pdf",),
         writer="filmscore.formats.changelist_pdf:write_changelist_pdf", name="changelist_pdf")
register("changelist", (".html", ".htm"),
         writer="filmscore.formats.changelist_html:write_changelist_html",
         name="changelist_html")

__all__ = ["FormatEntry", "register", "formats", "reader_for", "writer_for", "VIDEO_SUFFIXES"]
