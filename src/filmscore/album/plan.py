"""An album's release plan for one medium, read from the database: the contract between
the album service (which stores albums and their tracks), mastering (album.master) and
the release files (album.release).

``release_plan(pctx, album, medium)`` gives every track in order with its title, side,
gap, ISRC, the candidate's audio file and what was measured of it, and the mastered file
when there is one.  Mastering and the release writers take a ``ReleasePlan`` and nothing
else from the database, so they are tested with plans built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from filmscore.album.vocabulary import MEDIA, MEDIUM_NAMES, Medium
from filmscore.errors import InputError, NotFoundError
from filmscore.model import Album, AlbumCandidate, AlbumEdit, AlbumTrack, Cue


@dataclass(frozen=True)
class PlanTrack:
    position: int  # from 1 on the medium (vinyl: numbered through the sides)
    side: str  # "A", "B"... on vinyl; "" otherwise
    key: str  # the candidate's key
    title: str  # the album title (the cue's working title when none was given)
    cue: str | None  # the cue number it comes from ("1M3"), None for a suite
    kind: str  # candidate kind
    isrc: str
    pinned: str
    gap_seconds: Fraction  # silence before this track
    audio: Path | None  # the candidate's audio (a 48 kHz 24-bit BWF); None: not made
    frames: int  # samples at ``sample_rate``
    sample_rate: int
    channels: int
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    #: the mastered file and what mastering did (``{media_hash, frames, sample_rate,
    #: bits, gain_db, loudness_lufs, true_peak_dbtp}``), empty until mastered
    mastered: dict = field(default_factory=dict)
    mastered_audio: Path | None = None

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.frames, self.sample_rate)


@dataclass(frozen=True)
class ReleasePlan:
    album_number: int
    title: str
    artist: str
    label_name: str
    catalog: str
    medium: Medium  # the medium's rules with the album's overrides applied
    settings: dict  # the album's settings for this medium (target_lufs, mode, order...)
    credits: dict  # {role: [names]}
    film_title: str
    composer: str
    tracks: tuple[PlanTrack, ...]

    @property
    def seconds(self) -> Fraction:
        """Music and gaps from the start of track 1 (the pregap not counted; a CD's capacity
        is disc time, ``medium.pregap_seconds`` + this)."""
        return sum((t.gap_seconds + t.seconds for t in self.tracks[1:]), Fraction(0)) + (
            self.tracks[0].seconds if self.tracks else Fraction(0))


def medium_rules(name: str, overrides: dict | None = None) -> Medium:
    """A medium's rules with an album's overrides (``max_seconds``, ``max_tracks``,
    ``sides``, ``gap_seconds``, ``target_lufs``, ``ceiling_dbtp``) applied."""
    from dataclasses import replace

    if name not in MEDIA:
        raise InputError("unknown medium", field="medium", value=name,
                         valid=", ".join(MEDIUM_NAMES))
    medium = MEDIA[name]
    changes: dict = {}
    for key, value in (overrides or {}).items():
        if key in ("max_seconds", "gap_seconds", "pregap_seconds", "min_track_seconds"):
            changes[key] = None if value is None else Fraction(str(value))
        elif key in ("max_tracks", "sides"):
            changes[key] = None if value is None else int(value)
        elif key in ("target_lufs", "ceiling_dbtp"):
            changes[key] = float(value)
    return replace(medium, **changes)


def album_row(session, project_id: int, number: int) -> Album:
    """The ``albums`` row of album ``number``; NotFoundError naming the albums there are.
    The one lookup of an album by its number (the service, mastering, the release and
    the web page all use it)."""
    row = session.scalar(select(Album).where(Album.project_id == project_id,
                                             Album.number == number))
    if row is None:
        have = session.scalars(select(Album.number).where(Album.project_id == project_id)
                               .order_by(Album.number)).all()
        raise NotFoundError(f"no album {number} in this project (albums: "
                            + (", ".join(map(str, have)) or "none; 'filmscore album new'")
                            + ")")
    return row


def release_plan(pctx, album: int, medium: str) -> ReleasePlan:
    """The album's tracks on ``medium`` in order, with their audio files."""
    from filmscore.model import Project
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        row = album_row(session, pctx.project_id, album)
        settings = dict((row.settings or {}).get(medium, {}))
        rules = medium_rules(medium, settings)
        project = session.get(Project, pctx.project_id)
        rows = session.execute(
            select(AlbumTrack, AlbumCandidate)
            .join(AlbumCandidate, AlbumTrack.candidate_id == AlbumCandidate.id)
            .where(AlbumTrack.album_id == row.id, AlbumTrack.medium == medium)
            .order_by(AlbumTrack.position)).all()
        tracks = []
        for track, cand in rows:
            cue = session.get(Cue, cand.cue_id) if cand.cue_id is not None else None
            edit = session.get(AlbumEdit, cand.edit_id) if cand.edit_id is not None else None
            title = (cand.title or (edit.title if edit is not None else "")
                     or (cue.title if cue is not None else "") or cand.key)
            mastered = dict(track.mastered or {})
            tracks.append(PlanTrack(
                position=track.position, side=track.side, key=cand.key, title=title,
                cue=cue.number if cue is not None else None, kind=cand.kind,
                isrc=track.isrc, pinned=track.pinned,
                gap_seconds=Fraction(track.gap_seconds or "0"),
                audio=pctx.media.path(cand.media_hash) if cand.media_hash else None,
                frames=cand.frames, sample_rate=cand.sample_rate, channels=cand.channels,
                loudness_lufs=cand.loudness_lufs, true_peak_dbtp=cand.true_peak_dbtp,
                mastered=mastered,
                mastered_audio=(pctx.media.path(mastered["media_hash"])
                                if mastered.get("media_hash") else None)))
        return ReleasePlan(
            album_number=row.number, title=row.title, artist=row.artist,
            label_name=row.label_name, catalog=row.catalog, medium=rules,
            settings=settings, credits=dict(row.credits or {}),
            film_title=project.title,
            # the album's composer credit when it has one, else the project's
            composer=", ".join((row.credits or {}).get("composer") or []) or project.composer,
            tracks=tuple(tracks))
