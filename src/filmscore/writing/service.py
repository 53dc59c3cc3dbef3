"""The writing stage in the project (thin service functions over the database and the
media store): each cue's music versions (import a MIDI or MusicXML file, check it against the
cue, keep it losslessly, read it back); the score's library of themes and motifs (add, list,
transform, export, and the concordance of where each appears in the cues' music); director
review (notes at timecodes, approval or changes, status history); and mockups of the cues
(which music, which tempo map, where the files go; quick audio previews of themes)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import func, select

from filmscore import children
from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.fileio import inside, safe_name
from filmscore.formats import reader_for, writer_for
from filmscore.model import MusicVersion, ReviewNote, StatusEvent
from filmscore.model import Theme as ThemeRow
from filmscore.recording.revisions import flag_takes_in
from filmscore.spotting.cues import parse_cue_status, require_one_or_all
from filmscore.store import transaction
from filmscore.sync.service import cue_row, cue_sync, cues_having
from filmscore.sync.tempomap import Segment, TempoMap
from filmscore.timecode import format_label, parse_label
from filmscore.writing.check import MusicCheck, check_music
from filmscore.writing.mockup import MockupJob, render_mockup
from filmscore.writing.music import Music, music_from_dict, music_to_dict, require_notes

# --- versions -----------------------------------------------------------------

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
        flag_takes_in(session, row)  # takes from an older music version are out of date
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


# --- library ------------------------------------------------------------------

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
    doubled_by: tuple[str, ...] = ()  # the parts playing it with ``part``
    onset: Fraction = Fraction(0)  # quarter notes from bar 1 beat 1 of the cue's music
    end: Fraction = Fraction(0)
    end_bar: int = 0  # the bar its last note sounds in
    timecode: str = ""  # of its first note, on the cue's tempo map ("" without one)
    verdict: str = ""  # "confirmed" / "rejected" (+ " (on vN)" when given on an older
    verdict_by: str = ""  # version of the music), "" when the composer has not said
    #: the theme's head heard alone (``themesearch.Weights.head_cost``): shown by the wide
    #: reading (and when confirmed), not by the report's
    head: bool = False
    #: other themes matching the same notes less well (``themesearch.heard_as``: one
    #: theme per passage), not shown as occurrences of their own
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeReport:
    matches: list[ReportRow]
    by_cue: dict[str, list[str]]
    hidden: int = 0  # rejected occurrences left out
    lost: tuple = ()  # verdicts (concordance.StoredVerdict) no occurrence matches now
    themes: tuple[str, ...] = ()  # every theme searched for, found or not

    def by_theme(self) -> dict[str, list[ReportRow]]:
        grouped: dict[str, list[ReportRow]] = {}
        for row in self.matches:
            grouped.setdefault(row.theme, []).append(row)
        return grouped

    def heard_within(self, theme: str) -> list[ReportRow]:
        """The occurrences of other themes whose notes ``theme`` matches less well
        (``concordance.heard_within``)."""
        from filmscore.writing.concordance import heard_within

        return heard_within(self.matches, theme)


@dataclass(frozen=True)
class _Searched:
    rows: list[ReportRow]  # every occurrence, without verdicts
    pieces: dict[str, Music]  # cue -> its latest music
    versions: dict[str, int]  # cue -> that music's version number
    themes: dict[str, Music]
    stands_for: dict[str, str]  # theme -> what it stands for


#: the confidence the report searches down to: what a composer may widen the report to
#: (``min_score``) and confirm; the report shows from ``themesearch.MIN_SCORE`` by default,
#: from ``themesearch.WIDE_SCORE`` (this floor) when asked for the wide reading
SEARCH_FLOOR = 0.5


def _search(pctx, *, heads: bool) -> _Searched:
    """Every occurrence of every theme in the latest music of the cues, down to
    ``SEARCH_FLOOR``; with ``heads``, a theme's head heard alone too (the wide reading's
    ``themesearch.WIDE_WEIGHTS``: a search that costs about a third more)."""
    from filmscore.sync.service import all_cue_syncs
    from filmscore.writing.concordance import end_bar, timecode_of
    from filmscore.writing.themesearch import (
        DEFAULT_WEIGHTS,
        WIDE_WEIGHTS,
        build_index,
        concordance,
        is_head,
    )

    listed = list_themes(pctx)
    themes = {t.name: t.music for t in listed}
    if not themes:
        raise NotFoundError("the project has no themes yet: 'filmscore themes add NAME "
                            "--notes \"4/4 c4 d e f\"'")
    pieces, versions, maps = {}, {}, {}
    for cs in all_cue_syncs(pctx):
        number = str(cs.cue.number)
        if list_versions(pctx, number):
            summary, pieces[number] = _notes_of(pctx, number, timed=cs.tempo_map is not None)
            versions[number] = summary.number
            maps[number] = _timing(pctx, cs, pieces[number])
    if not pieces:
        raise NotFoundError("no cue has music yet: 'filmscore music import CUE FILE.mid'")
    found = concordance(build_index(pieces), themes, min_score=SEARCH_FLOOR,
                        weights=WIDE_WEIGHTS if heads else DEFAULT_WEIGHTS)
    rows = [ReportRow(name, m.piece, m.bar, _beat(m.beat), m.part,
                      m.transform + (f" {m.transposition:+d}" if m.transposition else ""),
                      m.score, m.doubled_by, m.onset, m.end,
                      end_bar(m.end, pieces[m.piece].meter),
                      timecode_of(m.onset, maps[m.piece]), head=is_head(m.transform))
            for name, matches in found.by_theme.items() for m in matches]
    rows.sort(key=lambda r: (list(pieces).index(r.cue), r.onset, r.theme))
    return _Searched(rows, pieces, versions, themes, {t.name: t.stands_for for t in listed})


def _notes_of(pctx, number: str, *, timed: bool) -> tuple[VersionSummary, Music]:
    """A cue's latest music for the theme index: a MusicXML file through the notes-only
    reader (``formats.musicxml_notes``, the same notes as ``read_music`` and about ten
    times faster; it drops unpitched percussion, which the index leaves out anyway);
    the full reader when the music's own tempos are needed (``timed`` false: the cue has
    no tempo map to time the occurrences on) or for a MIDI file."""
    from filmscore.formats.musicxml_notes import read_notes

    summary, path = version_file(pctx, number, None)
    if timed and summary.format == "musicxml":
        return summary, require_notes(read_notes(path, ties="notation"), source=str(path))
    return summary, read_music_file(path)


def _timing(pctx, cs, music: Music) -> TempoMap | None:
    """The map the report times a cue's occurrences on: the cue's tempo map, else the
    music's own tempos with its bar 1 on the cue's start (a file's own start is wherever
    its sequencer put it), else none (no timecode: a guessed tempo would mislead)."""
    if cs.tempo_map is not None:
        return cs.tempo_map
    if music.tempo_map is None:
        return None
    return TempoMap(pctx.rate, cs.cue.start_frame, music.tempo_map.segments)


def _stored_verdicts(pctx) -> list:
    """The project's verdicts, oldest first (``concordance.StoredVerdict``)."""
    from filmscore.model import Cue, ThemeVerdict
    from filmscore.writing.concordance import StoredVerdict

    with transaction(pctx.engine) as session:
        found = session.execute(
            select(ThemeVerdict, ThemeRow.name, Cue.number)
            .join(ThemeRow, ThemeRow.id == ThemeVerdict.theme_id)
            .join(Cue, Cue.id == ThemeVerdict.cue_id)
            .where(ThemeRow.project_id == pctx.project_id)
            .order_by(ThemeVerdict.updated_at, ThemeVerdict.id)).all()
        return [StoredVerdict(name, str(cue), v.part, Fraction(v.onset), v.bar, v.beat,
                              v.verdict, v.author, v.music_version)
                for v, name, cue in found]


def _applied(searched: _Searched, verdicts: list) -> tuple[dict, list]:
    """``concordance.apply_verdicts`` on the searched occurrences: (occurrence index ->
    its verdict, the verdicts no occurrence matches)."""
    from filmscore.writing.concordance import apply_verdicts

    meters = {cue: music.meter for cue, music in searched.pieces.items()}
    return apply_verdicts(searched.rows, verdicts, meters)


def _judged(searched: _Searched, verdicts: list) -> tuple[list[ReportRow], list]:
    """The occurrences with the composer's verdicts on them, and the verdicts lost."""
    from filmscore.writing.concordance import verdict_text

    given, lost = _applied(searched, verdicts)
    rows = [replace(r, verdict=verdict_text(given[i], searched.versions.get(r.cue)),
                    verdict_by=given[i].author) if i in given else r
            for i, r in enumerate(searched.rows)]
    return rows, lost


def theme_report(pctx, *, include_rejected: bool = False, min_score: float | None = None,
                 wide: bool = False, pdf: str | os.PathLike[str] | None = None
                 ) -> ThemeReport:
    """Where each theme (variants included) appears in the latest music of every cue, with
    the composer's verdicts; rejected occurrences are left out unless ``include_rejected``;
    occurrences below ``min_score`` (``themesearch.MIN_SCORE`` by default;
    ``themesearch.WIDE_SCORE`` with ``wide``, the wide reading) are left out unless the
    composer confirmed them, and so is a theme's head heard alone (where the whole theme
    is not heard) unless ``wide``.  With ``pdf``, the same report is also written there
    (``formats.themereport_pdf``: a page or more per theme, its notes engraved at the
    top, then each occurrence's bars)."""
    if wide:
        from filmscore.writing.themesearch import WIDE_SCORE

        if min_score is not None:
            raise InputError("--wide and --min-score together", field="--wide",
                             value=f"--min-score {min_score:g}",
                             valid=f"one of them (--wide is --min-score {WIDE_SCORE:g})")
        min_score = WIDE_SCORE
    floor = _min_score(min_score)  # a bad value is refused before the cues are read
    verdicts = _stored_verdicts(pctx)
    searched = _search(pctx, heads=wide)
    judged = _judged(searched, verdicts)
    if not wide and judged[1]:
        # a verdict on no occurrence of the report's search: it may be on a head the
        # composer confirmed from the wide reading
        searched = _search(pctx, heads=True)
        judged = _judged(searched, verdicts)
    report = _report(searched, judged, include_rejected, floor, heads=wide)
    if pdf is not None:
        from filmscore.formats.themereport_pdf import write_theme_report_pdf
        from filmscore.writing.concordance import excerpt

        excerpts = [excerpt(searched.pieces[r.cue], r.part, r.onset, r.end)
                    for r in report.matches]
        write_theme_report_pdf(report, searched.themes, excerpts, Path(pdf),
                               title=pctx.title, stands_for=searched.stands_for)
    return report


def _min_score(min_score: float | None) -> float:
    from filmscore.writing.themesearch import MIN_SCORE

    if min_score is None:
        return MIN_SCORE
    if not SEARCH_FLOOR <= min_score <= 1:
        raise InputError("a confidence out of range", field="min-score",
                         value=f"{min_score:g}", valid=f"{SEARCH_FLOOR:g} to 1")
    return min_score


def _report(searched: _Searched, judged: tuple[list[ReportRow], list],
            include_rejected: bool, floor: float, *, heads: bool) -> ThemeReport:
    rows, lost = judged
    rows = [r for r in rows if (r.score >= floor and (heads or not r.head))
            or r.verdict.startswith("confirmed")]
    rows = _one_theme_per_passage(rows)
    shown = [r for r in rows if include_rejected or not r.verdict.startswith("rejected")]
    kept = [r for r in rows if not r.verdict.startswith("rejected")]
    by_cue = {cue: sorted({r.theme for r in kept if r.cue == cue}) for cue in searched.pieces}
    return ThemeReport(shown, by_cue, len(rows) - len(shown), tuple(lost),
                       tuple(searched.themes))


def _one_theme_per_passage(rows: list[ReportRow]) -> list[ReportRow]:
    """The rows left when a passage two themes match is named by the better one
    (``themesearch.heard_as``; a confirmed occurrence is always kept, a rejected one
    neither hides nor is hidden), each with the themes it hides in ``also``."""
    from filmscore.writing.themesearch import Place, heard_as

    live = [i for i, r in enumerate(rows) if not r.verdict.startswith("rejected")]
    places = [Place.of(rows[i].theme, rows[i].cue, rows[i],
                       rows[i].verdict.startswith("confirmed")) for i in live]
    hidden = dict(zip(live, heard_as(places), strict=True))
    also: dict[int, list[str]] = {}
    for i, by in hidden.items():
        if by is not None and rows[i].theme not in also.setdefault(live[by], []):
            also[live[by]].append(rows[i].theme)
    return [replace(r, also=tuple(also.get(i, ()))) for i, r in enumerate(rows)
            if hidden.get(i) is None]


def _beat(beat) -> str:
    whole = int(beat)
    return str(whole) if beat == whole else f"{float(beat):g}"


def set_verdict(pctx, theme: str, cue: str, bar: int, verdict: str, *,
                beat: str | None = None, part: str | None = None, author: str = "",
                note: str = "") -> ReportRow:
    """Confirm or reject the occurrence of ``theme`` in ``cue`` at ``bar`` (and ``beat``,
    in ``part`` when the bar holds several); a verdict already on it is replaced."""
    from filmscore.model import ThemeVerdict
    from filmscore.model.writing import VERDICTS
    from filmscore.store import locked
    from filmscore.writing.concordance import StoredVerdict, apply_verdicts

    if verdict not in VERDICTS:
        raise InputError("not a verdict", field="verdict", value=verdict,
                         valid=", ".join(VERDICTS))
    get_theme(pctx, theme)  # an unknown theme is refused with the project's themes
    searched = _search(pctx, heads=True)  # a head the wide reading shows may be judged
    number = str(cue_sync(pctx, cue).cue.number)
    if number not in searched.pieces:
        raise NotFoundError(f"cue {number} has no music yet: 'filmscore music import "
                            f"{number} FILE.mid'")
    here = [r for r in searched.rows if r.theme == theme and r.cue == number]
    chosen = [r for r in here if r.bar == bar and (beat is None or r.beat == beat)
              and (part is None or r.part == part or part in r.doubled_by)]
    where = ", ".join(f"{r.bar}|{r.beat} ({r.part})" for r in here) or "none"
    if not chosen:
        asked = f"{bar}|{beat}" if beat else f"bar {bar}"
        raise NotFoundError(f"no occurrence of theme {theme!r} in cue {number} at {asked}"
                            + (f" in {part}" if part else "") + f" (it is found at: {where})")
    if len(chosen) > 1:  # one the report shows by default, the others under it: that one
        shown = [r for r in chosen if r.score >= _min_score(None) and not r.head]
        chosen = shown if len(shown) == 1 else chosen
    if len(chosen) > 1:
        raise InputError(f"theme {theme!r} is found more than once in bar {bar} of cue "
                         f"{number}: name the beat (BAR|BEAT) or the part (--part)",
                         field="bar", value=str(bar),
                         valid=", ".join(f"{r.bar}|{r.beat} --part '{r.part}'"
                                         for r in chosen))
    row = chosen[0]
    meter = searched.pieces[number].meter
    with transaction(pctx.engine) as session:
        # the theme's row under the write lock, first: two verdicts on one theme queue
        theme_row = _find(locked(session, select(ThemeRow).where(
            ThemeRow.project_id == pctx.project_id, ThemeRow.name == theme)), theme)
        cue_id = cue_row(session, pctx.project_id, number).id
        held = list(session.scalars(select(ThemeVerdict).where(
            ThemeVerdict.theme_id == theme_row.id, ThemeVerdict.cue_id == cue_id)
            .order_by(ThemeVerdict.updated_at, ThemeVerdict.id)).all())
        stored = [StoredVerdict(theme, number, v.part, Fraction(v.onset), v.bar, v.beat,
                                v.verdict) for v in held]
        given, _ = apply_verdicts([row], stored, {number: meter})
        same = [v for v in held if v.part == row.part and Fraction(v.onset) == row.onset]
        target = same[0] if same else (held[stored.index(given[0])] if 0 in given else None)
        if target is None:
            target = ThemeVerdict(theme_id=theme_row.id, cue_id=cue_id)
            session.add(target)
        target.part, target.onset = row.part, str(row.onset)
        target.bar, target.beat = row.bar, row.beat
        target.music_version = searched.versions[number]
        target.verdict, target.author, target.note = verdict, author, note
        session.flush()
    return replace(row, verdict=verdict, verdict_by=author)


def verdict_listing(pctx) -> list[tuple[object, ReportRow | None]]:
    """Every verdict (``concordance.StoredVerdict``, oldest first) with the occurrence it
    now stands on (None: no occurrence of the latest search matches it)."""
    searched = _search(pctx, heads=True)
    verdicts = _stored_verdicts(pctx)
    given, _ = _applied(searched, verdicts)
    on = {id(v): searched.rows[i] for i, v in given.items()}
    return [(v, on.get(id(v))) for v in verdicts]


# --- review -------------------------------------------------------------------

@dataclass(frozen=True)
class Note:
    timecode: str
    author: str
    text: str
    music_version: int | None
    at: datetime | None


@dataclass(frozen=True)
class Step:
    status: str
    author: str
    note: str
    at: datetime | None


def add_note(pctx, number: str, timecode: str, text: str, *, author: str = "") -> Note:
    """A note at a timecode inside the cue, on the latest music version."""
    frame = parse_label(timecode, pctx.rate, field="timecode")
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        if not row.start_frame <= frame < row.end_frame:
            raise ValidationError(f"the note is outside cue {row.number}", field="timecode",
                                  value=timecode,
                                  valid=f"{format_label(row.start_frame, pctx.rate)} to "
                                        f"{format_label(row.end_frame - 1, pctx.rate)}")
        if not text.strip():
            raise ValidationError("an empty note", field="text", valid="what to change")
        version = row.music_versions[-1].number if row.music_versions else None
        session.add(ReviewNote(cue_id=row.id, music_version=version, frame=frame,
                               author=author, text=text.strip()))
        return Note(format_label(frame, pctx.rate), author, text.strip(), version, None)


def set_status(pctx, number: str, status: str, *, author: str = "", note: str = "") -> Step:
    """Move a cue to a status (approved, changes requested, mockup sent, ...), recorded."""
    status = parse_cue_status(status)
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        row.status = status
        session.add(StatusEvent(cue_id=row.id, status=status, author=author, note=note))
        return Step(status, author, note, None)


def history(pctx, number: str) -> tuple[list[Step], list[Note]]:
    """The cue's status steps (spotted first) and its review notes, oldest first."""
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        events = session.scalars(select(StatusEvent).where(StatusEvent.cue_id == row.id)
                                 .order_by(StatusEvent.created_at, StatusEvent.id)).all()
        notes = session.scalars(select(ReviewNote).where(ReviewNote.cue_id == row.id)
                                .order_by(ReviewNote.frame, ReviewNote.id)).all()
        steps = [Step("spotted", "", "", row.created_at)]
        steps += [Step(e.status, e.author, e.note, e.created_at) for e in events]
        return steps, [Note(format_label(n.frame, pctx.rate), n.author, n.text,
                            n.music_version, n.created_at) for n in notes]


# --- mockups ------------------------------------------------------------------

def _cue_job(pctx, number: str, *, soundfont: str, lufs: float, version: int | None,
             click_in_mix: bool) -> MockupJob:
    cs = cue_sync(pctx, number)
    summary, music = load_version(pctx, number, version)
    tmap = cs.tempo_map or music.tempo_map
    if tmap is None:
        raise NotFoundError(f"cue {cs.cue.number} has neither a tempo map nor tempos in its "
                            f"music: 'filmscore tempo set {cs.cue.number} --tempo 120'")
    out = inside(pctx.directory / "mockups", safe_name(cs.cue.number, fallback="cue"))
    out.mkdir(parents=True, exist_ok=True)
    return MockupJob(music, out, tmap, {
        "soundfont": soundfont, "loudness_lufs": lufs, "click_in_mix": click_in_mix,
        "instrumentation": cs.cue.instrumentation or None,
        "name": f"{cs.cue.number}_v{summary.number}"})


def _sweep_mockups(pctx) -> None:
    """Remove what a killed mockup run left in any cue's folder: a killed ``--all``
    leaves its scratch in the folders of the cues it was rendering, which the next run
    (of one cue, perhaps another) would not otherwise visit."""
    root = Path(pctx.directory) / "mockups"
    try:
        folders = [e.path for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:  # no mockups yet
        return
    for folder in folders:
        children.sweep(folder)


def render_cue_mockups(pctx, number: str | None, *, all_cues: bool = False,
                       soundfont: str = "fluidr3", lufs: float = -23.0,
                       version: int | None = None, click_in_mix: bool = False,
                       progress=None, workers: int = 2) -> list:
    """Render one cue's mockup, or every cue with music (in parallel, with a progress bar
    when ``progress`` is a Rich console), with a SoundFont of ``SOUNDFONTS`` (or a path);
    ``click_in_mix`` puts the click in the review mix.  Every cue is one background job
    (``filmscore.jobs``: ``workers`` local processes on SQLite, the queue on PostgreSQL)."""
    from filmscore.writing.mockup import soundfont_path

    require_one_or_all(number, all_cues, "mockups")
    soundfont_path(soundfont)  # a missing SoundFont is refused before any work
    _sweep_mockups(pctx)
    if number is not None:
        numbers = [number]
    else:
        numbers = cues_with_music(pctx)
        if version is not None:
            raise InputError("--version names one cue's version", field="version",
                             value=str(version), valid="no --version with --all")
    if number is not None:
        job = _cue_job(pctx, number, soundfont=soundfont, lufs=lufs, version=version,
                       click_in_mix=click_in_mix)
        return [(number, render_mockup(job.music, job.out_dir, tempo_map=job.tempo_map,
                                       **job.options))]
    from filmscore import jobs

    for n in numbers:  # a cue that cannot be rendered is refused before any work
        _cue_job(pctx, n, soundfont=soundfont, lufs=lufs, version=version,
                 click_in_mix=click_in_mix)
    if Path(soundfont).suffix:  # a file: the same for a worker in another folder
        soundfont = str(Path(soundfont).resolve())
    options = {"soundfont": soundfont, "lufs": lufs, "click_in_mix": click_in_mix}
    if progress is None:
        return jobs.run(pctx, "mockup", numbers, options, workers=workers)
    from rich.progress import Progress

    with Progress(console=progress, transient=True) as bar:
        task = bar.add_task("mockups", total=len(numbers))
        return jobs.run(pctx, "mockup", numbers, options, workers=workers,
                        progress=lambda st: bar.update(task, completed=st.fraction * len(
                            numbers)))


def preview_wav(music: Music, path: Path, *, rate, tempo_bpm: Fraction = Fraction(100)
                ) -> Path:
    """A quick audio preview of a theme (draft SoundFont, no click), at its own tempo or
    ``tempo_bpm``."""
    bars = int((music.end / (music.meter.numerator * music.meter.beat_quarters)).__ceil__())
    tmap = music.tempo_map or TempoMap(rate, 0, (Segment(max(bars, 1), music.meter,
                                                         tempo_bpm),))
    with children.scratch_folder(prefix="filmscore-preview-") as work:
        result = render_mockup(music, Path(work), tempo_map=tmap, soundfont="draft",
                               click=False, name="preview")
        from filmscore.fileio import atomic_path

        with atomic_path(path) as tmp:
            shutil.copyfile(result.mix, tmp)
    return Path(path)


#: the folder inside the project where the web app keeps renders it made on demand
WEB_CACHE = "web-cache"


def theme_preview(pctx, name: str) -> Path:
    """The theme's audio preview, rendered once into ``<project>/web-cache/themes/`` (named
    by a hash of its music: a changed theme renders again)."""
    import hashlib
    import json

    theme = get_theme(pctx, name)
    digest = hashlib.sha256(json.dumps(music_to_dict(theme.music), sort_keys=True,
                                       default=str).encode()).hexdigest()[:16]
    path = Path(pctx.directory) / WEB_CACHE / "themes" / f"{digest}.wav"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        preview_wav(theme.music, path, rate=pctx.rate)
    return path


def theme_usage(pctx, *, wide: bool = False) -> dict[str, list[ReportRow]]:
    """Where each theme appears (``theme_report`` by theme; ``wide``: its wide reading,
    down to ``themesearch.WIDE_SCORE``); empty lists when the project has no themes or no
    cue has music yet."""
    usage: dict[str, list[ReportRow]] = {t.name: [] for t in list_themes(pctx)}
    if not usage or not cues_with_music(pctx):
        return usage
    for row in theme_report(pctx, wide=wide).matches:
        usage.setdefault(row.theme, []).append(row)
    return usage
