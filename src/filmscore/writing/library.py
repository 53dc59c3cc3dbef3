"""The score's library of themes and motifs in the project: add, list, transform, export,
and the concordance of where each appears in the cues' music."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.formats import writer_for
from filmscore.model import Theme as ThemeRow
from filmscore.store import transaction
from filmscore.writing.music import Music, music_from_dict, music_to_dict


@dataclass(frozen=True)
class ThemeInfo:
    name: str
    stands_for: str
    kind: str
    parent: str | None
    transformation: str
    notes: str
    music: Music


def _info(row: ThemeRow, parents: dict[int, str]) -> ThemeInfo:
    return ThemeInfo(row.name, row.stands_for, row.kind,
                     parents.get(row.parent_id) if row.parent_id else None,
                     row.transformation, row.notes, music_from_dict(row.music))


def _rows(session, project_id: int) -> list[ThemeRow]:
    return list(session.scalars(select(ThemeRow).where(ThemeRow.project_id == project_id)
                                .order_by(ThemeRow.id)).all())


def _find(rows: list[ThemeRow], name: str) -> ThemeRow:
    for row in rows:
        if row.name == name:
            return row
    known = ", ".join(r.name for r in rows) or "none yet"
    raise NotFoundError(f"no theme {name!r} in this project (themes: {known})")


def theme_music(source: str | Path, *, notes_string: bool = False) -> Music:
    """A theme's music from a MIDI/MusicXML file, or from a compact note string."""
    from filmscore.writing.themes import Theme as ThemeValue

    if notes_string:
        from filmscore.formats.notestring import parse_notestring

        music = parse_notestring(str(source))
    else:
        from filmscore.writing.versions import read_music_file

        music = read_music_file(Path(source))
    ThemeValue(name="check", stands_for="", kind="theme", music=music)  # >= 3 notes, one line
    return music


def add_theme(pctx, name: str, music: Music, *, stands_for: str = "", kind: str = "theme",
              parent: str | None = None, transformation: str = "", notes: str = ""
              ) -> ThemeInfo:
    """Add a theme (or a variant of ``parent``) to the project's library."""
    from filmscore.writing.themes import Theme as ThemeValue

    if not name.strip():
        raise InputError("a theme needs a name", field="name", valid="e.g. 'Popeye'")
    value = ThemeValue(name=name, stands_for=stands_for, kind=kind, music=music,
                       parent=parent, transformation=transformation, notes=notes)
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
        if any(r.name == name for r in rows):
            raise ConflictError(f"theme {name!r} already exists; choose another name")
        parent_row = _find(rows, parent) if parent else None
        row = ThemeRow(project_id=pctx.project_id, name=name, stands_for=stands_for,
                       kind=kind, parent_id=parent_row.id if parent_row else None,
                       transformation=transformation, notes=notes,
                       music=music_to_dict(value.music))
        session.add(row)
        session.flush()
        return _info(row, {r.id: r.name for r in rows})


def list_themes(pctx) -> list[ThemeInfo]:
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
        parents = {r.id: r.name for r in rows}
        return [_info(r, parents) for r in rows]


def get_theme(pctx, name: str) -> ThemeInfo:
    with transaction(pctx.engine) as session:
        rows = _rows(session, pctx.project_id)
        return _info(_find(rows, name), {r.id: r.name for r in rows})


def export_theme(pctx, name: str, path: Path) -> Path:
    """Write a theme as MusicXML or MIDI (by suffix)."""
    theme = get_theme(pctx, name)
    path = Path(path)
    writer_for("music", path)(theme.music, path)
    return path
