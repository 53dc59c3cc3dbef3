"""The album board: what the web workspace's album page shows, read from the project
(writing nothing): every candidate with where it is on the albums, the albums, and for
each medium of an album its sequence laid out by :func:`filmscore.album.layout.
layout_medium` (timings, side breaks, capacity, theme coverage); and the audio files a
candidate or a track plays."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from filmscore.album.clock import clock
from filmscore.album.layout import (
    AlbumBoard,
    AlbumSummary,
    CandidateView,
    MediumView,
    SideView,
    ThemeUse,
    TrackRow,
    Transition,
    layout_medium,
    rules_text,
)
from filmscore.album.vocabulary import CANDIDATE_KINDS, MEDIA, MEDIUM_NAMES


def _where(medium: str, position: int, side: str, side_index: int) -> str:
    title = {"vinyl": "LP"}.get(medium, MEDIA[medium].title if medium in MEDIA else medium)
    return f"{title} {side}{side_index}" if side else f"{title} {position}"


def candidate_board(pctx) -> list[CandidateView]:
    """Every candidate of the project in film order (those not in the film last), with
    where each is on the albums."""
    from sqlalchemy import select

    from filmscore.model import Album, AlbumCandidate, AlbumEdit, AlbumTrack, Cue
    from filmscore.store import transaction
    from filmscore.timecode import format_label

    with transaction(pctx.engine) as session:
        cands = session.scalars(select(AlbumCandidate).where(
            AlbumCandidate.project_id == pctx.project_id)).all()
        cues = {c.id: c for c in session.scalars(select(Cue).where(
            Cue.project_id == pctx.project_id))}
        edits = {e.id: e for e in session.scalars(select(AlbumEdit).where(
            AlbumEdit.project_id == pctx.project_id))}
        placed = session.execute(
            select(Album.number, AlbumTrack.medium, AlbumTrack.position, AlbumTrack.side,
                   AlbumTrack.candidate_id)
            .join(Album, AlbumTrack.album_id == Album.id)
            .where(Album.project_id == pctx.project_id)
            .order_by(Album.number, AlbumTrack.medium, AlbumTrack.position)).all()
        on_side: dict[tuple, int] = {}
        where: dict[int, list[tuple]] = {}
        for number, medium, position, side, cand_id in placed:
            n = on_side[(number, medium, side)] = on_side.get((number, medium, side), 0) + 1
            where.setdefault(cand_id, []).append(
                (number, MEDIUM_NAMES.index(medium) if medium in MEDIUM_NAMES else 9,
                 f"{number} · {_where(medium, position, side, n)}"))
        out = []
        order = {}
        for c in cands:
            cue = cues.get(c.cue_id) if c.cue_id is not None else None
            edit = edits.get(c.edit_id) if c.edit_id is not None else None
            working = (edit.title or edit.name) if edit is not None else (
                cue.title if cue is not None else "")
            in_film = c.film_frame is not None and c.kind not in ("unused", "draft")
            out.append(CandidateView(
                key=c.key, kind=c.kind, kind_text=CANDIDATE_KINDS.get(c.kind, ""),
                cue=cue.number if cue is not None else None, title=c.title,
                working_title=working,
                seconds=Fraction(c.frames, c.sample_rate) if c.sample_rate else Fraction(0),
                length=clock(Fraction(c.frames, c.sample_rate)) if c.sample_rate else "",
                rating=c.rating, themes=tuple(c.themes or ()),
                loudness_lufs=c.loudness_lufs, true_peak_dbtp=c.true_peak_dbtp,
                in_film=in_film,
                film_timecode=format_label(c.film_frame, pctx.rate) if in_film else "",
                media=tuple(text for *_, text in sorted(where.get(c.id, []))),
                has_audio=bool(c.media_hash), version=c.version, notes=c.notes))
            order[c.key] = (not in_film, c.film_frame is None, c.film_frame or 0, c.key)
    return sorted(out, key=lambda v: order[v.key])


def score_themes(pctx) -> list[str]:
    """The score's themes and motifs by name, in the order they were added."""
    from sqlalchemy import select

    from filmscore.model import Theme
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        return list(session.scalars(select(Theme.name).where(
            Theme.project_id == pctx.project_id).order_by(Theme.id)))


def album_list(pctx) -> list[AlbumSummary]:
    """Every album (edition) of the project, with its tracks and length per medium."""
    from sqlalchemy import select

    from filmscore.album.plan import release_plan
    from filmscore.errors import FilmscoreError
    from filmscore.model import Album
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        rows = session.scalars(select(Album).where(Album.project_id == pctx.project_id)
                               .order_by(Album.number)).all()
        ids = {r.id: r.number for r in rows}
        albums = [(r.number, r.title, r.artist, r.catalog, ids.get(r.previous_id))
                  for r in rows]
    out = []
    for number, title, artist, catalog, previous in albums:
        media = {}
        for name in MEDIUM_NAMES:
            try:
                view = layout_medium(release_plan(pctx, number, name))
            except FilmscoreError:
                continue
            if view.tracks:
                media[name] = (len(view.tracks), view.total_text)
        out.append(AlbumSummary(number, title, artist, catalog, previous, media))
    return out


def album_board(pctx, number: int, candidates: Sequence[CandidateView] | None = None
                ) -> AlbumBoard:
    """Album ``number`` with each medium's sequence laid out (``candidates``: from
    :func:`candidate_board`, read when not given).  A medium whose plan cannot be read
    (an audio file gone from the media store) carries the reason in ``error``."""
    from sqlalchemy import select

    from filmscore.album.plan import album_row, medium_rules, release_plan
    from filmscore.errors import FilmscoreError
    from filmscore.model import Album
    from filmscore.store import transaction

    check_album(pctx, number)
    with transaction(pctx.engine) as session:
        row = album_row(session, pctx.project_id, number)
        previous = (session.scalar(select(Album.number).where(Album.id == row.previous_id))
                    if row.previous_id is not None else None)
        head = (row.number, row.title, row.artist, row.label_name, row.catalog)
        settings = dict(row.settings or {})
    if candidates is None:
        candidates = candidate_board(pctx)
    by_key = {c.key: c for c in candidates}
    themes = score_themes(pctx)
    media = []
    for name in MEDIUM_NAMES:
        try:
            view = layout_medium(release_plan(pctx, number, name), by_key, themes)
        except FilmscoreError as exc:
            rules = medium_rules(name, settings.get(name))
            view = MediumView(name, rules.title, (), (), (), Fraction(0), "", "", False, (),
                              (), 0, 0, str(settings.get(name, {}).get("order", "film")),
                              rules_text(rules), 0, error=str(exc))
        media.append(view)
    return AlbumBoard(*head, previous=previous, media=tuple(media))


def check_album(pctx, number: int) -> None:
    """NotFoundError naming the albums there are when album ``number`` is not one."""
    from sqlalchemy import select

    from filmscore.errors import NotFoundError
    from filmscore.model import Album
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        numbers = list(session.scalars(select(Album.number).where(
            Album.project_id == pctx.project_id).order_by(Album.number)))
    if number not in numbers:
        # checked here, before the plan is read, to name the albums there are
        raise NotFoundError(f"no album {number} in this project (albums: "
                            f"{', '.join(map(str, numbers)) or 'none yet'})")


def candidate_audio(pctx, key: str) -> Path:
    """The audio file of candidate ``key`` in the media store."""
    from sqlalchemy import select

    from filmscore.errors import NotFoundError
    from filmscore.model import AlbumCandidate
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        row = session.scalar(select(AlbumCandidate).where(
            AlbumCandidate.project_id == pctx.project_id, AlbumCandidate.key == key))
        if row is None:
            raise NotFoundError(f"no album candidate {key!r} in this project")
        digest = row.media_hash
    if not digest:
        raise NotFoundError(f"candidate {key!r} has no audio yet")
    return pctx.media.path(digest)


def track_audio(pctx, album: int, medium: str, position: int) -> tuple[Path, bool]:
    """What track ``position`` of ``album`` on ``medium`` plays: its master when it is
    mastered, else its candidate's audio; and whether it is the master."""
    from filmscore.album.plan import release_plan
    from filmscore.errors import NotFoundError

    check_album(pctx, album)
    plan = release_plan(pctx, album, medium)
    for track in plan.tracks:
        if track.position == position:
            if track.mastered_audio is not None:
                return track.mastered_audio, True
            if track.audio is None:
                raise NotFoundError(f"{medium} track {position} {track.title!r} of album "
                                    f"{album} has no audio yet")
            return track.audio, False
    raise NotFoundError(f"album {album} has no {medium} track {position} (tracks: "
                        + (f"1 to {len(plan.tracks)})" if plan.tracks else "none yet)"))


__all__ = ["AlbumBoard", "AlbumSummary", "CandidateView", "MediumView", "SideView",
           "ThemeUse", "TrackRow", "Transition", "album_board", "album_list",
           "candidate_audio", "candidate_board", "check_album", "score_themes",
           "track_audio"]
