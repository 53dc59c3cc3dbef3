"""The album's candidates (the ``album_candidates`` table): every piece of music that could
be a track, with its length, what was measured of it, the themes it carries, its place in
the film, and the composer's rating, album title and notes.

:func:`refresh_candidates` makes and updates them from the project:

- every cue with a mix is a candidate of kind ``cue`` (its latest stereo mix, else its
  latest mix), keyed by the cue
  number; a cue whose status is *omitted* (dropped from the film) is ``unused``;
- every album edit is a candidate of kind ``edit``, keyed by the edit's name (an edit not
  rendered yet, or rendered from mixes that are no longer its own, is rendered first);
- the candidates added by hand (:func:`add_candidate`: another mix version as an
  ``album_version`` or an ``alternate``, a cue marked ``unused``, the cue's mockup as a
  ``draft``) are measured again when their audio changed.

Refreshing never touches the rating, the album title or the notes.  What is measured is
measured again only when the audio changed (its media hash): the length (frames, rate,
channels from the file), the integrated loudness and true peak
(:class:`filmscore.mixing.meter.Meter`, the meter ``measure_file`` uses, fed in the same
pass), and the bass share (the energy under 150 Hz over the whole energy: a 4th-order
Butterworth low pass over the blocks, streamed).  ``tempo_bpm`` is the mean tempo of the
cue's tempo map (its beats over its clicked length; for an edit, its first cue's);
``film_frame`` the first frame the cue is heard in the film (the music timeline's first
use; for an edit, its first segment's cue).

The themes come from the writing stage's theme report (``writing.service.theme_report``:
every theme and its variants searched in the latest music of every cue): a cue's
candidates carry the themes found in the cue; an edit only those found in the bars its
segments keep.  A project with no themes or no music gives no themes.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from filmscore.album.measure import AudioFacts, mean_tempo, measure_audio
from filmscore.album.vocabulary import CANDIDATE_KINDS, RATING_MAX, RATING_MIN
from filmscore.errors import ConflictError, FilmscoreWarning, InputError, NotFoundError
from filmscore.limits import is_digits
from filmscore.model import AlbumCandidate, AlbumEdit, AlbumTrack, Cue, Mix
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.sync.tempomap import TempoMap

#: the kinds a composer adds by hand, and the key suffix each gets by default
ADDED_KINDS = {"album_version": "album", "alternate": "alt", "unused": "", "draft": "draft",
               "cue": ""}
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


@dataclass(frozen=True)
class Candidate:
    """A candidate as the CLI, the web page and the album service see it."""

    key: str
    kind: str
    cue: str | None  # the cue it is made from (None for a suite)
    mix: int | None  # the mix version (None: the cue's latest)
    edit: str | None  # the album edit's name
    cues: tuple[str, ...]  # every cue it is made of (a suite: several)
    title: str  # the album title ("" : none given)
    working_title: str  # the cue's (or the edit's) own title
    rating: int
    themes: tuple[str, ...]
    film_frame: int | None
    media_hash: str
    frames: int
    sample_rate: int
    channels: int
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    bass_share: float | None
    tempo_bpm: float | None
    notes: str

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.frames, self.sample_rate) if self.sample_rate else Fraction(0)

    @property
    def display_title(self) -> str:
        """The album title, else the working title, else the key."""
        return self.title or self.working_title or self.key

    @property
    def has_audio(self) -> bool:
        return bool(self.media_hash)


# -- rows ----------------------------------------------------------------------------------


def _edit_cues(edit: AlbumEdit) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(s.get("cue")) for s in edit.segments or []))


def _candidate(db, row: AlbumCandidate, cues: dict[int, Cue] | None = None) -> Candidate:
    cue = None
    if row.cue_id is not None:
        cue = (cues or {}).get(row.cue_id) or db.get(Cue, row.cue_id)
    edit = db.get(AlbumEdit, row.edit_id) if row.edit_id is not None else None
    made_of = _edit_cues(edit) if edit is not None else ((cue.number,) if cue else ())
    working = (edit.title or edit.name) if edit is not None else (cue.title if cue else "")
    return Candidate(row.key, row.kind, cue.number if cue else None, row.mix_number,
                     edit.name if edit is not None else None, made_of, row.title or "",
                     working or "", row.rating, tuple(row.themes or ()), row.film_frame,
                     row.media_hash or "", row.frames or 0, row.sample_rate or 0,
                     row.channels or 0, row.loudness_lufs, row.true_peak_dbtp,
                     row.bass_share, row.tempo_bpm, row.notes or "")


def candidate_row(db, project_id: int, key: str) -> AlbumCandidate:
    row = db.scalars(select(AlbumCandidate).where(AlbumCandidate.project_id == project_id,
                                                  AlbumCandidate.key == str(key).strip())
                     ).first()
    if row is None:
        raise NotFoundError(f"no candidate {str(key).strip()!r} (see 'filmscore album "
                            "candidates'; 'album candidates refresh' makes them)")
    return row


def candidates(pctx, *, kind: str | None = None) -> list[Candidate]:
    """Every candidate (of one kind) in film order (then by key)."""
    if kind is not None and kind not in CANDIDATE_KINDS:
        raise InputError("unknown candidate kind", field="kind", value=kind,
                         valid=", ".join(CANDIDATE_KINDS))
    with transaction(pctx.engine) as db:
        query = select(AlbumCandidate).where(AlbumCandidate.project_id == pctx.project_id)
        if kind is not None:
            query = query.where(AlbumCandidate.kind == kind)
        cues = {c.id: c for c in db.scalars(select(Cue).where(
            Cue.project_id == pctx.project_id))}
        out = [_candidate(db, r, cues) for r in db.scalars(query)]
    big = 1 << 62
    return sorted(out, key=lambda c: (c.film_frame if c.film_frame is not None else big,
                                      c.key))


def get_candidate(pctx, key: str) -> Candidate:
    with transaction(pctx.engine) as db:
        return _candidate(db, candidate_row(db, pctx.project_id, key))


def check_rating(value: int, field: str = "rating") -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = -1
    if isinstance(value, bool) or rating != value or not RATING_MIN <= rating <= RATING_MAX:
        raise InputError("a rating is a whole number of stars", field=field,
                         value=str(value), valid=f"{RATING_MIN} to {RATING_MAX}")
    return rating


def set_candidate(pctx, key: str, *, rating: int | None = None, title: str | None = None,
                  notes: str | None = None, kind: str | None = None) -> Candidate:
    """Set a candidate's rating (0..5), album title, notes, or (for a cue's own
    candidate) its kind between ``cue`` and ``unused``."""
    with transaction(pctx.engine) as db:
        row = candidate_row(db, pctx.project_id, key)
        if rating is not None:
            row.rating = check_rating(rating)
        if title is not None:
            row.title = str(title).strip()
        if notes is not None:
            row.notes = str(notes)
        if kind is not None:
            if row.kind not in ("cue", "unused") or kind not in ("cue", "unused"):
                raise InputError(f"only a cue's own candidate changes kind, between cue "
                                 f"and unused ({row.key!r} is {row.kind})", field="kind",
                                 value=kind, valid="cue, unused")
            row.kind = kind
        db.flush()
        return _candidate(db, row)


def remove_candidate(pctx, key: str) -> None:
    """Remove a candidate; refused while an album has it as a track."""
    with transaction(pctx.engine) as db:
        row = candidate_row(db, pctx.project_id, key)
        used = db.scalars(select(AlbumTrack).where(AlbumTrack.candidate_id == row.id)
                          ).first()
        if used is not None:
            raise ConflictError(f"candidate {row.key!r} is a track of an album "
                                f"({used.medium} track {used.position}); take it off first")
        db.delete(row)


# -- the sources' audio ----------------------------------------------------------------------


def latest_mockup(pctx, cue: str) -> Path | None:
    """The cue's latest mockup mix (``mockups/<cue>/<cue>_v<N>_mix.wav``), if any."""
    from filmscore.fileio import safe_name

    folder = Path(pctx.directory) / "mockups" / safe_name(cue, fallback="cue")
    best, found = -1, None
    if folder.is_dir():
        for path in folder.glob(f"{cue}_v*_mix.wav"):
            number = path.name[len(cue) + 2:-len("_mix.wav")]
            if is_digits(number) and int(number) > best:
                best, found = int(number), path
    return found


def _mix_audio(db, cue: Cue, number: int | None) -> tuple[str, int | None]:
    """The mix file's hash of a cue's mix version (for None the latest stereo mix, else
    the latest: ``edit_render.album_mix``), and the version; ("", None) when none."""
    from filmscore.album.edit_render import album_mix

    query = select(Mix).where(Mix.cue_id == cue.id)
    row = (db.scalars(query.where(Mix.number == number)).first() if number is not None
           else album_mix(db, cue.id))
    if row is None:
        return "", None
    for item in row.files or []:
        if item.get("stem") == "mix":
            return item.get("media_hash", ""), row.number
    return "", row.number


@dataclass(frozen=True)
class _Source:
    """What a candidate is now, read from its source: its audio (a stored file's hash,
    or a mockup to store), and what describes it."""

    key: str
    digest: str  # "" when the audio is a file not stored yet (``path``) or none
    path: Path | None
    kind: str
    cue_id: int | None
    film_frame: int | None
    tempo_bpm: float | None
    themes: tuple[str, ...]


def _apply(row: AlbumCandidate, source: _Source, facts: AudioFacts | None,
           digest: str) -> None:
    row.kind, row.cue_id = source.kind, source.cue_id
    row.film_frame, row.tempo_bpm = source.film_frame, source.tempo_bpm
    row.themes = list(source.themes)
    if not digest:
        row.media_hash, row.frames = "", 0
        row.loudness_lufs = row.true_peak_dbtp = row.bass_share = None
    elif facts is not None:
        row.media_hash, row.frames = digest, facts.frames
        row.sample_rate, row.channels = facts.sample_rate, facts.channels
        row.loudness_lufs, row.true_peak_dbtp = facts.loudness_lufs, facts.true_peak_dbtp
        row.bass_share = facts.bass_share


def _measured(pctx, sources: list[_Source], stored: dict[str, tuple[str, int]],
              progress=None) -> dict[str, tuple[str, AudioFacts | None]]:
    """Each source's digest and, when its audio changed (or was never measured), what
    its file measures; outside any transaction (the files can be long)."""
    out: dict[str, tuple[str, AudioFacts | None]] = {}
    for n, source in enumerate(sources, 1):
        digest = source.digest
        if source.path is not None:
            digest = pctx.media.put(source.path, ".wav")
        facts = None
        if digest and (stored.get(source.key) != (digest, True)):
            facts = measure_audio(pctx.media.path(digest))
        out[source.key] = (digest, facts)
        if progress is not None:
            progress(n, len(sources), source.key)
    return out


# -- refreshing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: keys made, updated (audio measured again), rendered edits, and
    candidates whose source is gone (a mix version or mockup no longer there)."""

    made: tuple[str, ...]
    measured: tuple[str, ...]
    rendered: tuple[str, ...]
    missing: tuple[str, ...]
    candidates: tuple[Candidate, ...]


def _theme_rows(pctx) -> tuple[dict[str, list[str]], list]:
    from filmscore.writing.service import theme_report

    try:
        report = theme_report(pctx)
    except NotFoundError:  # no themes, or no music: nothing to carry
        return {}, []
    return report.by_cue, report.matches


def _edit_themes(edit: AlbumEdit, matches: list) -> list[str]:
    """The themes found in the bars an edit keeps (a segment's 'start'/'end' keep the
    bars before or after)."""
    found: set[str] = set()
    for seg in edit.segments or []:
        lo = _bar_of(seg.get("from"), 0)
        hi = _bar_of(seg.get("to"), 1 << 30)
        for m in matches:
            if m.cue == seg.get("cue") and lo <= m.bar <= hi:
                found.add(m.theme)
    return sorted(found)


def _bar_of(text, default: int) -> int:
    head = str(text).split(".")[0]
    return int(head) if is_digits(head) else default


def _film_frames(pctx) -> dict[str, int]:
    from filmscore.mixing.placing import music_timeline

    first: dict[str, int] = {}
    for p in music_timeline(pctx).placements:
        first[p.cue] = min(first.get(p.cue, p.record_in), p.record_in)
    return first


def refresh_candidates(pctx, *, render_edits: bool = True, themes: bool = True,
                       progress=None) -> Refreshed:
    """Make and update the candidates (see the module's text).  ``render_edits=False``
    leaves unrendered or stale edits as they are (their candidates without audio);
    ``progress(done, total, text)`` is called as each candidate is measured.  The files
    are measured between two short transactions (read, then write): a candidate removed
    meanwhile is skipped."""
    from filmscore.album.edit_render import album_edits, render_edit

    rendered = []
    if render_edits:
        for spec in album_edits(pctx):
            if spec.problem:
                warnings.warn(FilmscoreWarning(f"album edit {spec.name!r} cannot be "
                                               f"rendered: {spec.problem}"), stacklevel=2)
            elif not spec.rendered or spec.stale:
                try:
                    render_edit(pctx, spec.name)
                except (InputError, NotFoundError) as error:  # the others go on
                    warnings.warn(FilmscoreWarning(f"album edit {spec.name!r} not "
                                                   f"rendered: {error}"), stacklevel=2)
                    continue
                rendered.append(spec.name)
    by_cue, matches = _theme_rows(pctx) if themes else ({}, [])
    film = _film_frames(pctx)
    made, missing, sources = [], [], []
    with transaction(pctx.engine) as db:
        cues = {c.id: c for c in db.scalars(select(Cue).where(
            Cue.project_id == pctx.project_id))}
        rows = list(db.scalars(select(AlbumCandidate).where(
            AlbumCandidate.project_id == pctx.project_id)))
        keys = {r.key for r in rows}
        own = {r.cue_id for r in rows if r.kind in ("cue", "unused")
               and r.edit_id is None and r.mix_number is None}
        have_edits = {r.edit_id for r in rows if r.edit_id is not None}
        new = [AlbumCandidate(project_id=pctx.project_id, key=_free_key(cue.number, keys),
                              cue_id=cue.id, kind="cue", title="", rating=3, themes=[],
                              notes="")
               for cue in sorted(cues.values(), key=lambda c: (c.start_frame, c.number))
               if cue.id not in own and _mix_audio(db, cue, None)[0]]
        for edit in db.scalars(select(AlbumEdit).where(
                AlbumEdit.project_id == pctx.project_id).order_by(AlbumEdit.name)):
            if edit.id not in have_edits:
                new.append(AlbumCandidate(project_id=pctx.project_id, kind="edit",
                                          key=_free_key(edit.name, keys | {n.key for n in new}),
                                          edit_id=edit.id, title="", rating=3, themes=[],
                                          notes=""))
        for row in new:
            db.add(row)
            made.append(row.key)
        db.flush()
        for row in rows + new:
            source = _source(pctx, db, row, cues, by_cue, matches, film)
            if source is None:
                missing.append(row.key)
            else:
                sources.append(source)
        stored = {r.key: (r.media_hash, bool(r.frames)) for r in rows + new}
    with pctx.media.adding():  # a draft's mockup stored here goes again if writing fails
        found = _measured(pctx, sources, stored, progress)
        measured = [k for k, (_, facts) in found.items() if facts is not None]
        with transaction(pctx.engine) as db:
            by_key = {r.key: r for r in db.scalars(select(AlbumCandidate).where(
                AlbumCandidate.project_id == pctx.project_id))}
            for source in sources:
                if source.key in by_key:
                    digest, facts = found[source.key]
                    _apply(by_key[source.key], source, facts, digest)
    return Refreshed(tuple(made), tuple(measured), tuple(rendered), tuple(missing),
                     tuple(candidates(pctx)))


def _free_key(base: str, keys: set[str]) -> str:
    if base not in keys:
        return base
    n = 2
    while f"{base}-{n}" in keys:
        n += 1
    return f"{base}-{n}"


def _source(pctx, db, row: AlbumCandidate, cues: dict[int, Cue], by_cue: dict,
            matches: list, film: dict[str, int]) -> _Source | None:
    """What a candidate is now, from its source; None when the source is gone (a mix
    version or a mockup no longer there)."""
    if row.edit_id is not None:
        edit = db.get(AlbumEdit, row.edit_id)
        files = edit.files or []
        segs = edit.segments or []
        first = db.scalars(select(Cue).where(Cue.project_id == pctx.project_id,
                                             Cue.number == segs[0]["cue"])).first() \
            if segs else None
        return _Source(row.key, files[0]["media_hash"] if files else "", None, "edit",
                       first.id if first is not None and edit.kind == "truncation" else None,
                       film.get(first.number, first.start_frame) if first else None,
                       mean_tempo(_tmap(first)) if first else None,
                       tuple(_edit_themes(edit, matches)))
    cue = cues.get(row.cue_id)
    if cue is None:
        return None
    kind, digest, path = row.kind, "", None
    if kind == "draft":
        path = latest_mockup(pctx, cue.number)
        if path is None:
            return None
    else:
        digest, _ = _mix_audio(db, cue, row.mix_number)
        if not digest:
            return None
        if kind == "cue" and cue.status == "omitted":
            kind = "unused"
    return _Source(row.key, digest, path, kind, cue.id, film.get(cue.number, cue.start_frame),
                   mean_tempo(_tmap(cue)), tuple(by_cue.get(cue.number, ())))


def _tmap(cue: Cue) -> TempoMap | None:
    return TempoMap.from_dict(cue.tempo_map.data) if cue.tempo_map is not None else None


# -- adding by hand ----------------------------------------------------------------------------


def add_candidate(pctx, cue: str, *, kind: str, mix: int | None = None,
                  key: str | None = None, title: str = "", rating: int | None = None,
                  notes: str = "") -> Candidate:
    """Add a candidate made from ``cue``: an ``album_version`` or an ``alternate`` (mix
    version ``mix``: another mix, or a mix of another comp), the cue ``unused`` (its own
    candidate marked so, made if need be), a ``draft`` (its latest mockup), or the
    ``cue`` itself.  Keyed ``1M3-album``, ``1M3-alt``, ``1M3-draft`` unless ``key`` is
    given (a number is added when taken: ``1M3-alt-2``).  Measured at once."""
    if kind not in ADDED_KINDS:
        raise InputError("not a kind of candidate added by hand", field="kind", value=kind,
                         valid=", ".join(ADDED_KINDS) + " (edits come from "
                               "'filmscore album edit')")
    if kind in ("album_version", "alternate") and mix is None:
        raise InputError(f"an {kind.replace('_', ' ')} names its mix version",
                         field="mix", valid="--mix N (see 'filmscore mixes CUE')")
    if kind in ("unused", "draft", "cue") and mix is not None:
        raise InputError(f"a{'n' if kind == 'unused' else ''} {kind} candidate is made from "
                         + ("the cue's mockup" if kind == "draft" else "the cue's latest mix"),
                         field="mix", value=str(mix), valid="no --mix")
    if key is not None and not _KEY.match(key.strip()):
        raise InputError("not a candidate key", field="key", value=key,
                         valid="letters, digits, space, '.', '_' or '-', e.g. 1M3-alt")
    if rating is not None:
        rating = check_rating(rating)
    by_cue, _ = _theme_rows(pctx)
    film = _film_frames(pctx)
    with transaction(pctx.engine) as db:  # read and check; nothing written yet
        row_cue = cue_row(db, pctx.project_id, cue)
        keys = set(db.scalars(select(AlbumCandidate.key).where(
            AlbumCandidate.project_id == pctx.project_id)))
        existing = None
        if kind in ("unused", "cue"):
            existing = db.scalars(select(AlbumCandidate).where(
                AlbumCandidate.cue_id == row_cue.id, AlbumCandidate.edit_id.is_(None),
                AlbumCandidate.mix_number.is_(None),
                AlbumCandidate.kind.in_(("cue", "unused")))).first()
            if existing is None and not _mix_audio(db, row_cue, None)[0]:
                raise NotFoundError(f"cue {row_cue.number} has no mix yet: an {kind} "
                                    "candidate is its latest mix")
            wanted = existing.key if existing is not None else (
                key.strip() if key else _free_key(row_cue.number, keys))
        else:
            if kind == "draft" and latest_mockup(pctx, row_cue.number) is None:
                raise NotFoundError(f"cue {row_cue.number} has no mockup: render one "
                                    f"('filmscore mockup {row_cue.number}')")
            if mix is not None and not _mix_audio(db, row_cue, mix)[0]:
                have = db.scalars(select(Mix.number).where(Mix.cue_id == row_cue.id)
                                  .order_by(Mix.number)).all()
                raise NotFoundError(f"cue {row_cue.number} has no mix v{mix} (it has: "
                                    + (", ".join(f"v{n}" for n in have) or "none") + ")")
            wanted = key.strip() if key else _free_key(
                f"{row_cue.number}-{ADDED_KINDS[kind]}", keys)
        if existing is None and wanted in keys:
            raise ConflictError(f"candidate key {wanted!r} is taken; choose another (--key)")
        probe = AlbumCandidate(key=wanted, kind=kind, cue_id=row_cue.id, mix_number=mix)
        source = _source(pctx, db, probe, {row_cue.id: row_cue}, by_cue, [], film)
        stored = ({wanted: (existing.media_hash, bool(existing.frames))}
                  if existing is not None else {})
    if source is None:  # gone between the check and now
        raise NotFoundError(f"cue {row_cue.number}: the audio of the {kind} is gone")
    with pctx.media.adding():
        digest, facts = _measured(pctx, [source], stored)[wanted]
        with transaction(pctx.engine) as db:
            if existing is not None:
                row = candidate_row(db, pctx.project_id, wanted)
            else:
                row = AlbumCandidate(project_id=pctx.project_id, key=wanted, kind=kind,
                                     cue_id=row_cue.id, mix_number=mix, rating=3,
                                     themes=[], notes="", title="")
                db.add(row)
            if title:
                row.title = title.strip()
            if notes:
                row.notes = notes
            if rating is not None:
                row.rating = rating
            _apply(row, source, facts, digest)
            db.flush()
            return _candidate(db, row)
