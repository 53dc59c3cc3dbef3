"""An album seen as a whole, for the CLI and the web page: per medium its tracks in order
with their gaps and start times, the side breaks and lengths, the running time, and what
the medium's rules refuse (:func:`album_view`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select

from filmscore.album.plan import medium_rules
from filmscore.album.settings import album_row, clock
from filmscore.album.vocabulary import MEDIUM_NAMES, Medium
from filmscore.model import AlbumCandidate, AlbumTrack
from filmscore.store import transaction


@dataclass(frozen=True)
class TrackView:
    position: int
    side: str
    key: str
    title: str  # the album title, else the working title
    kind: str
    cue: str | None
    seconds: Fraction
    gap_seconds: Fraction  # silence before it
    start: Fraction  # from the start of its side (or of track 1)
    isrc: str
    pinned: str
    rating: int
    loudness_lufs: float | None
    themes: tuple[str, ...]
    kept: bool  # kept from the previous edition


@dataclass(frozen=True)
class MediumView:
    medium: str
    rules: Medium  # with the album's overrides
    settings: dict
    tracks: tuple[TrackView, ...]
    side_seconds: dict[str, Fraction]  # music and gaps per side ("" without sides)
    seconds: Fraction  # running time: music and gaps, every side
    problems: tuple[str, ...] = ()  # what the medium's rules refuse, one line each

    @property
    def themes(self) -> frozenset[str]:
        return frozenset(t for track in self.tracks for t in track.themes)


@dataclass(frozen=True)
class AlbumView:
    """An album for the CLI and the web page: per medium its tracks in order with their
    gaps and start times, the side breaks and lengths, the running time and what breaks
    the rules."""

    number: int
    title: str
    artist: str
    label_name: str
    catalog: str
    previous: int | None
    credits: dict
    media: dict[str, MediumView] = field(default_factory=dict)


def album_view(pctx, album: int) -> AlbumView:
    """The album with every medium it has tracks (or settings) on, timed."""
    from filmscore.album.candidates import candidates

    by_key = {c.key: c for c in candidates(pctx)}
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        from filmscore.album.service import album_info

        info = album_info(db, row)
        tracks = db.scalars(select(AlbumTrack).where(AlbumTrack.album_id == row.id)
                            .order_by(AlbumTrack.medium, AlbumTrack.position)).all()
        keys = {t.candidate_id: db.get(AlbumCandidate, t.candidate_id).key for t in tracks}
    media = {}
    for medium in MEDIUM_NAMES:
        mine = [t for t in tracks if t.medium == medium]
        if not mine and medium not in info.settings:
            continue
        settings = dict(info.settings.get(medium, {}))
        rules = medium_rules(medium, settings)
        keep = set(settings.get("keep", []))
        views, sides, starts = [], {}, {}
        for t in mine:
            c = by_key[keys[t.candidate_id]]
            gap = Fraction(t.gap_seconds or "0")
            start = starts.get(t.side, Fraction(0)) + gap
            views.append(TrackView(t.position, t.side, c.key, c.display_title, c.kind, c.cue,
                                   c.seconds, gap, start, t.isrc, t.pinned, c.rating,
                                   c.loudness_lufs, c.themes, c.key in keep))
            starts[t.side] = start + c.seconds
        sides = dict(starts)
        problems = _problems(rules, views, sides)
        media[medium] = MediumView(medium, rules, settings, tuple(views), sides,
                                   sum(sides.values(), Fraction(0)), problems)
    return AlbumView(info.number, info.title, info.artist, info.label_name, info.catalog,
                     info.previous, info.credits, media)


def _problems(rules: Medium, tracks: list[TrackView], sides: dict[str, Fraction]
              ) -> tuple[str, ...]:
    out = []
    if rules.max_tracks is not None and len(tracks) > rules.max_tracks:
        out.append(f"{len(tracks)} tracks, {rules.title} holds {rules.max_tracks}")
    for t in tracks:
        if t.seconds < rules.min_track_seconds:
            out.append(f"track {t.position} ({t.key}) lasts {clock(t.seconds)}, under "
                       f"{clock(rules.min_track_seconds)}")
        if not t.seconds:
            out.append(f"track {t.position} ({t.key}) has no audio yet")
    for t in tracks:
        if (t.pinned == "first" and t is not tracks[0]) or (
                t.pinned == "last" and t is not tracks[-1]):
            out.append(f"track {t.position} ({t.key}) is pinned {t.pinned}")
    if rules.max_seconds is not None:
        for side, total in sides.items():
            total += rules.pregap_seconds  # a CD's capacity is disc time, the pregap counted
            if total > rules.max_seconds:
                where = f"side {side}" if side else rules.title
                out.append(f"{where} runs {clock(total)}, over {clock(rules.max_seconds)}")
    return tuple(out)
