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
    return write_theme_file(get_theme(pctx, name).music, Path(path), rate=pctx.rate)


def derive_theme(pctx, name: str, op: str, args: dict[str, str], *,
                 save_as: str | None = None, export: Path | None = None):
    """Apply a transformation to a theme; save the result as a variant, export it."""
    from filmscore.writing.transform import apply_transformation

    theme = get_theme(pctx, name)
    result = apply_transformation(op, theme.music, args)
    if save_as:
        add_theme(pctx, save_as, result.music, stands_for=theme.stands_for, kind=theme.kind,
                  parent=theme.name, transformation=result.description)
    if export is not None:
        write_theme_file(result.music, Path(export), rate=pctx.rate)
    return result


def write_theme_file(music: Music, path: Path, *, rate) -> Path:
    """MusicXML or MIDI by suffix, or a .wav audio preview (a quick FluidSynth render)."""
    path = Path(path)
    if path.suffix.lower() == ".wav":
        from filmscore.writing.mockups import preview_wav

        return preview_wav(music, path, rate=rate)
    writer_for("music", path)(music, path)
    return path


@dataclass(frozen=True)
class ReportRow:
    theme: str
    cue: str
    bar: int
    beat: str
    part: str
    transform: str
    score: float


@dataclass(frozen=True)
class ThemeReport:
    matches: list[ReportRow]
    by_cue: dict[str, list[str]]


def theme_report(pctx) -> ThemeReport:
    """Where each theme (variants included) appears in the latest music of every cue."""
    from filmscore.sync.cuemaps import all_cue_syncs
    from filmscore.writing.themesearch import build_index, concordance
    from filmscore.writing.versions import list_versions, load_version

    themes = {t.name: t.music for t in list_themes(pctx)}
    if not themes:
        raise NotFoundError("the project has no themes yet: 'filmscore themes add NAME "
                            "--notes \"4/4 c4 d e f\"'")
    pieces = {}
    for cs in all_cue_syncs(pctx):
        number = str(cs.cue.number)
        if list_versions(pctx, number):
            pieces[number] = load_version(pctx, number)[1]
    if not pieces:
        raise NotFoundError("no cue has music yet: 'filmscore music import CUE FILE.mid'")
    found = concordance(build_index(pieces), themes)
    rows = [ReportRow(name, m.piece, m.bar, _beat(m.beat), m.part,
                      m.transform + (f" {m.transposition:+d}" if m.transposition else ""),
                      m.score)
            for name, matches in found.by_theme.items() for m in matches]
    rows.sort(key=lambda r: (list(pieces).index(r.cue), r.bar, r.beat, r.theme))
    by_cue = {cue: sorted({o.theme for o in found.by_piece.get(cue, ())}) for cue in pieces}
    return ThemeReport(rows, by_cue)


def _beat(beat) -> str:
    whole = int(beat)
    return str(whole) if beat == whole else f"{float(beat):g}"
