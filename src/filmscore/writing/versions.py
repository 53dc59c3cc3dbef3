"""Each cue's music versions (v1, v2, ...): import a MIDI or MusicXML file, check it against
the cue, keep it losslessly, and read it back.  Thin service functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select

from filmscore.errors import NotFoundError
from filmscore.formats import reader_for
from filmscore.model import MusicVersion, StatusEvent
from filmscore.store import transaction
from filmscore.sync.cuemaps import cue_row, cue_sync, cues_having
from filmscore.writing.check import MusicCheck, check_music
from filmscore.writing.music import Music, require_notes

#: file suffix -> the format name stored with a version
FORMAT_OF_SUFFIX = {".mid": "midi", ".midi": "midi", ".musicxml": "musicxml",
                    ".xml": "musicxml", ".mxl": "musicxml"}


@dataclass(frozen=True)
class VersionSummary:
    cue: str
    number: int
    source_name: str
    format: str
    author: str
    reason: str
    created_at: datetime | None
    note_count: int
    length_quarters: Fraction
    check: dict

    @property
    def label(self) -> str:
        return f"{self.cue} v{self.number}"


def read_music_file(path: Path) -> Music:
    """Read MIDI or MusicXML (by suffix, through the format registry); refuse no notes."""
    path = Path(path)
    return require_notes(reader_for("music", path)(path), source=str(path))


def _summary(cue_number: str, v: MusicVersion) -> VersionSummary:
    return VersionSummary(cue_number, v.number, v.source_name, v.format, v.author, v.reason,
                          v.created_at, v.note_count, Fraction(v.length_quarters),
                          dict(v.check or {}))


def import_version(pctx, number: str, path: Path, *, author: str = "", reason: str = ""
                   ) -> tuple[VersionSummary, MusicCheck]:
    """Import a file as the cue's next music version, checked against the cue."""
    path = Path(path)
    music = read_music_file(path)
    cs = cue_sync(pctx, number)
    check = check_music(music, cs.cue, cs.tempo_map, rate=pctx.rate)
    fmt = FORMAT_OF_SUFFIX.get(path.suffix.lower(), "midi")
    with pctx.media.adding(), transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        digest = pctx.media.put(path, path.suffix.lower())
        latest = session.scalar(select(func.max(MusicVersion.number))
                                .where(MusicVersion.cue_id == row.id)) or 0
        version = MusicVersion(number=latest + 1, media_hash=digest, source_name=path.name,
                               format=fmt, author=author, reason=reason,
                               note_count=music.note_count, length_quarters=str(music.end),
                               check=check.to_dict())
        row.music_versions.append(version)
        if row.status == "spotted":
            row.status = "sketched"
            session.add(StatusEvent(cue_id=row.id, status="sketched", author=author,
                                    note=f"music v{version.number} imported"))
        session.flush()
        return _summary(row.number, version), check


def list_versions(pctx, number: str) -> list[VersionSummary]:
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        return [_summary(row.number, v) for v in row.music_versions]


def cues_with_music(pctx) -> list[str]:
    """Numbers of the cues that have a music version, in picture order."""
    return cues_having(pctx, MusicVersion)


def version_file(pctx, number: str, version: int | None = None) -> tuple[VersionSummary, Path]:
    """A version (default: the latest) and its stored file."""
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        if not row.music_versions:
            raise NotFoundError(f"cue {row.number} has no music yet: import some with "
                                f"'filmscore music import {row.number} FILE.mid'")
        if version is None:
            chosen = row.music_versions[-1]
        else:
            chosen = next((v for v in row.music_versions if v.number == version), None)
            if chosen is None:
                raise NotFoundError(f"cue {row.number} has no music v{version} (it has "
                                    f"v1 to v{row.music_versions[-1].number})")
        return _summary(row.number, chosen), pctx.media.path(chosen.media_hash)


def load_version(pctx, number: str, version: int | None = None) -> tuple[VersionSummary, Music]:
    summary, path = version_file(pctx, number, version)
    return summary, read_music_file(path)
