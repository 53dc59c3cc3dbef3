"""Albums (the ``albums`` and ``album_tracks`` tables): an edition's title, artist, label,
catalog number and credits; its settings for each medium; its tracks on each medium, set
by hand or proposed by the sequencer; an expanded edition made from a previous one; and
the album seen as a whole with its timings (:func:`album_view`).

**Settings** (``Album.settings[medium]``, checked in :mod:`filmscore.album.settings`;
the timed view is :mod:`filmscore.album.view`, both re-exported here) override the medium's rules
(:data:`filmscore.album.vocabulary.MEDIA`) and choose how it is sequenced and mastered:
``max_seconds``, ``max_tracks``, ``sides``, ``gap_seconds``, ``pregap_seconds``,
``min_track_seconds`` (rules; times stored as exact text: "4797", "1320"), ``order``
(film or listening), ``pins`` ({key: first|last}), ``theme_weight``, ``allow_repeats``
(sequencing), ``target_lufs``, ``ceiling_dbtp``, ``mode`` (track or album: mastering), and
for an expanded edition ``keep`` (the previous edition's keys on that medium, in order).

**Tracks.** :func:`set_tracks` stores a medium's tracks from candidate keys in order;
:func:`propose` builds the solver's items from the candidates and stores what
:func:`filmscore.album.sequence.solve` (or ``greedy``) chose.  Both keep the ISRC of a
key that stays (its mastered audio only on an expanded edition's kept tracks: a new
track list is mastered again); the gap before a track is the medium's (none before the
first track of a side); a vinyl track list given without sides is split into the
medium's sides as evenly as the order allows.  A candidate rated 0 is never proposed;
one without audio (an edit not rendered) is left out with a warning.

**Expanded edition.** :func:`expand` makes a new album from a previous one: on every
medium the previous album has, its tracks are kept (same keys, same order, their ISRCs
and their mastered audio, marked ``kept_from`` in ``mastered``), stored as the medium's
``keep`` setting; :func:`propose` then makes them required and in that order
(``Options.keep_order``) and adds the cues the previous album left out where they fit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select

from filmscore.album.codes import check_isrc, check_upc_ean
from filmscore.album.plan import medium_rules
from filmscore.album.settings import (
    SETTINGS,
    album_row,
    check_medium,
    check_setting,
    clock,
    parse_seconds,
    pin,
    set_settings,
)
from filmscore.album.view import AlbumView, MediumView, TrackView, album_view
from filmscore.album.vocabulary import (
    CREDIT_ROLES,
    MEDIUM_NAMES,
    SIDE_LETTERS,
    Medium,
)
from filmscore.errors import FilmscoreWarning, InputError, NotFoundError, ValidationError
from filmscore.model import Album, AlbumCandidate, AlbumTrack, Project
from filmscore.store import transaction

# -- albums --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlbumInfo:
    number: int
    title: str
    artist: str
    label_name: str
    catalog: str
    previous: int | None  # the number of the edition it expands
    settings: dict
    credits: dict
    notes: str
    tracks: dict[str, int]  # medium -> how many tracks


def album_info(db, row: Album) -> AlbumInfo:
    counts = dict(db.execute(select(AlbumTrack.medium, func.count(AlbumTrack.id))
                             .where(AlbumTrack.album_id == row.id)
                             .group_by(AlbumTrack.medium)).all())
    previous = db.get(Album, row.previous_id).number if row.previous_id else None
    return AlbumInfo(row.number, row.title, row.artist, row.label_name, row.catalog,
                     previous, dict(row.settings or {}), dict(row.credits or {}),
                     row.notes or "", {m: counts[m] for m in MEDIUM_NAMES if m in counts})


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in str(text or "").replace(";", ",").split(",") if n.strip()]


def default_credits(pctx) -> dict[str, list[str]]:
    """The credits the project already knows: the composer and the orchestrators (the
    project's columns), the roster as the orchestra (in score order of their own
    instrument, then by name), and the team's music editors, engineers and contractors
    (users by role)."""
    from filmscore.musicians.service import list_musicians
    from filmscore.orchestration.instruments import get_instrument
    from filmscore.users import list_users

    with transaction(pctx.engine) as db:
        project = db.get(Project, pctx.project_id)
        composer, orchestrator = project.composer, project.orchestrator
    out: dict[str, list[str]] = {}
    if _split_names(composer):
        out["composer"] = _split_names(composer)
    if _split_names(orchestrator):
        out["orchestrator"] = _split_names(orchestrator)
    roster = sorted(list_musicians(pctx), key=lambda m: (get_instrument(m.own).score_order,
                                                         m.name))
    if roster:
        out["orchestra"] = [m.name for m in roster]
    users = [u for u in list_users(pctx) if u.active]
    for role, credit in (("music editor", "music_editor"),
                         ("engineer", "recording_engineer"), ("contractor", "contractor")):
        names = [u.name for u in users if u.role == role]
        if names:
            out[credit] = names
    return {role: out[role] for role in CREDIT_ROLES if role in out}


def _check_credits(credits: dict | None) -> dict[str, list[str]]:
    out = {}
    for role, names in (credits or {}).items():
        if role not in CREDIT_ROLES:
            raise InputError("unknown credit", field="credits", value=role,
                             valid=", ".join(CREDIT_ROLES))
        if isinstance(names, str):
            names = _split_names(names)
        out[role] = [" ".join(str(n).split()) for n in names if str(n).strip()]
    return out


def new_album(pctx, *, title: str, artist: str = "", label_name: str = "",
              catalog: str = "", previous: int | None = None,
              credits: dict | None = None) -> AlbumInfo:
    """A new album (edition), numbered from 1; its credits are the project's
    (:func:`default_credits`) with ``credits`` ({role: [names]}) over them; ``catalog``
    a UPC-A or EAN-13 with its check digit; ``previous`` the number of the edition it
    follows (see :func:`expand` to keep its tracks)."""
    title = " ".join(str(title).split())
    if not title:
        raise InputError("an album needs a title", field="title", value=title,
                         valid="e.g. 'Popeye: Original Motion Picture Soundtrack'")
    code = check_upc_ean(catalog, "catalog")
    chosen = {**default_credits(pctx), **_check_credits(credits)}
    chosen = {role: chosen[role] for role in CREDIT_ROLES if chosen.get(role)}
    with transaction(pctx.engine) as db:
        prev_id = album_row(db, pctx.project_id, previous).id if previous is not None \
            else None
        number = (db.scalar(select(func.max(Album.number)).where(
            Album.project_id == pctx.project_id)) or 0) + 1
        row = Album(project_id=pctx.project_id, number=number, title=title,
                    artist=" ".join(str(artist).split()), label_name=label_name.strip(),
                    catalog=code, previous_id=prev_id, settings={}, credits=chosen, notes="")
        db.add(row)
        db.flush()
        return album_info(db, row)


def albums(pctx) -> list[AlbumInfo]:
    """Every album of the project, by number."""
    with transaction(pctx.engine) as db:
        return [album_info(db, r) for r in db.scalars(select(Album).where(
            Album.project_id == pctx.project_id).order_by(Album.number))]


def get_album(pctx, album: int) -> AlbumInfo:
    with transaction(pctx.engine) as db:
        return album_info(db, album_row(db, pctx.project_id, album))


def set_album(pctx, album: int, *, title: str | None = None, artist: str | None = None,
              label_name: str | None = None, catalog: str | None = None,
              notes: str | None = None) -> AlbumInfo:
    """Change an album's title, artist, label, catalog number (checked) or notes."""
    code = check_upc_ean(catalog, "catalog") if catalog is not None else None
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        if title is not None:
            if not title.strip():
                raise InputError("an album needs a title", field="title", value=title)
            row.title = " ".join(title.split())
        if artist is not None:
            row.artist = " ".join(artist.split())
        if label_name is not None:
            row.label_name = label_name.strip()
        if code is not None:
            row.catalog = code
        if notes is not None:
            row.notes = notes
        db.flush()
        return album_info(db, row)


def set_credits(pctx, album: int, role: str, names: list[str] | str) -> AlbumInfo:
    """Set the names credited in ``role`` (an empty list removes the credit)."""
    chosen = _check_credits({role: names})
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        credits = dict(row.credits or {})
        if chosen[role]:
            credits[role] = chosen[role]
        else:
            credits.pop(role, None)
        row.credits = {r: credits[r] for r in CREDIT_ROLES if r in credits}
        db.flush()
        return album_info(db, row)


# -- tracks --------------------------------------------------------------------------------


def split_sides(lengths: list[Fraction], gap: Fraction, sides: int) -> list[int]:
    """Each track's side (0-based) when tracks in this order are split into ``sides``
    contiguous sides as evenly as possible (the longest side as short as it can be);
    no gap before the first track of a side."""
    n = len(lengths)
    if sides <= 1 or n == 0:
        return [0] * n

    def span(a: int, b: int) -> Fraction:  # tracks a..b-1 on one side
        return sum(lengths[a:b], Fraction(0)) + gap * max(b - a - 1, 0)

    # best[k][i]: the shortest longest side for the first i tracks on k sides
    inf = None
    best: list[list] = [[inf] * (n + 1) for _ in range(sides + 1)]
    cut: list[list[int]] = [[0] * (n + 1) for _ in range(sides + 1)]
    best[0][0] = Fraction(0)
    for k in range(1, sides + 1):
        for i in range(n + 1):
            for j in range(i + 1):
                if best[k - 1][j] is None:
                    continue
                worst = max(best[k - 1][j], span(j, i))
                if best[k][i] is None or worst < best[k][i]:
                    best[k][i], cut[k][i] = worst, j
    out = [0] * n
    i = n
    for k in range(sides, 0, -1):
        j = cut[k][i]
        for t in range(j, i):
            out[t] = k - 1
        i = j
    return out


def _rules(row: Album, medium: str) -> tuple[Medium, dict]:
    settings = dict((row.settings or {}).get(medium, {}))
    return medium_rules(medium, settings), settings


def _candidates_by_key(db, project_id: int, keys: list[str]) -> dict[str, AlbumCandidate]:
    rows = {r.key: r for r in db.scalars(select(AlbumCandidate).where(
        AlbumCandidate.project_id == project_id, AlbumCandidate.key.in_(keys)))}
    missing = [k for k in keys if k not in rows]
    if missing:
        raise NotFoundError("no such candidate: " + ", ".join(missing)
                            + " (see 'filmscore album candidates')")
    return rows


def _check_fit(rules: Medium, keys: list[str], rows: dict[str, AlbumCandidate],
               sides: list[str]) -> None:
    """Refuse a track list the medium cannot hold: a track too short, too many tracks,
    more music than a disc or a side holds."""
    short = [k for k in keys if rows[k].frames and Fraction(rows[k].frames,
                                                               rows[k].sample_rate)
             < rules.min_track_seconds]
    if short:
        k = short[0]
        length = clock(Fraction(rows[k].frames, rows[k].sample_rate))
        raise ValidationError(f"a track on {rules.title} lasts at least "
                              f"{clock(rules.min_track_seconds)}", field="tracks",
                              value=f"{k} ({length})",
                              valid="a longer track, or leave it off")
    if rules.max_tracks is not None and len(keys) > rules.max_tracks:
        raise ValidationError(f"{rules.title} holds at most {rules.max_tracks} tracks",
                              field="tracks", value=str(len(keys)),
                              valid=f"{rules.max_tracks} tracks or fewer")
    if rules.max_seconds is None:
        return
    totals: dict[str, Fraction] = {}
    for key, side in zip(keys, sides, strict=True):
        seconds = Fraction(rows[key].frames, rows[key].sample_rate or 1)
        totals[side] = totals.get(side, Fraction(0)) + seconds + (
            rules.gap_seconds if side in totals else 0)
    for side, total in totals.items():
        total += rules.pregap_seconds  # a CD's capacity is disc time, the pregap counted
        if total > rules.max_seconds:
            where = f"side {side}" if side else rules.title
            raise ValidationError(f"{where} holds at most {clock(rules.max_seconds)} of "
                                  "music" + (f" ({clock(rules.pregap_seconds)} before track "
                                             "1 counted)" if rules.pregap_seconds else ""),
                                  field="tracks", value=clock(total),
                                  valid="fewer or shorter tracks, or a larger "
                                        "max_seconds setting")


def _store(db, row: Album, medium: str, placed: list[tuple[str, str, Fraction, str]],
           rows: dict[str, AlbumCandidate], isrcs: dict[str, str]) -> None:
    """Replace the medium's tracks: (key, side, gap, pinned) in order; the ISRC and
    mastered audio of a key that stays are kept unless ``isrcs`` gives one."""
    old = {db.get(AlbumCandidate, t.candidate_id).key: t for t in db.scalars(
        select(AlbumTrack).where(AlbumTrack.album_id == row.id, AlbumTrack.medium == medium))}
    for track in old.values():
        db.delete(track)
    db.flush()
    keep = set((row.settings or {}).get(medium, {}).get("keep", []))
    for position, (key, side, gap, pinned) in enumerate(placed, 1):
        before = old.get(key)
        mastered = dict(before.mastered or {}) if before is not None and (
            key in keep or (before.mastered or {}).get("kept_from")) else {}
        db.add(AlbumTrack(album_id=row.id, medium=medium, position=position, side=side,
                          candidate_id=rows[key].id, pinned=pinned,
                          isrc=isrcs.get(key, before.isrc if before is not None else ""),
                          gap_seconds=str(gap), mastered=mastered))
    db.flush()


def _isrc_map(keys: list[str], isrcs) -> dict[str, str]:
    if isrcs is None:
        return {}
    if not isinstance(isrcs, dict):
        isrcs = dict(zip(keys, isrcs, strict=False))
    out = {k: check_isrc(v, f"isrc[{k}]") for k, v in isrcs.items() if v is not None}
    seen: dict[str, str] = {}
    for k, code in out.items():
        if code and code in seen:
            raise ValidationError("an ISRC names one recording", field=f"isrc[{k}]",
                                  value=code, valid=f"another code than {seen[code]}'s")
        seen[code] = k
    return out


def set_tracks(pctx, album: int, medium: str, keys: list[str], sides: list[str] | None = None,
               isrcs: list[str] | dict[str, str] | None = None) -> list:
    """Set ``medium``'s tracks to candidates ``keys`` in order (vinyl: on ``sides``,
    one letter a track, else split evenly), with ``isrcs`` (a list along ``keys`` or
    {key: isrc}; a key that stays keeps its own otherwise).  Refused when the medium
    cannot hold them (see :func:`album_view` for the timings)."""
    check_medium(medium)
    keys = [str(k).strip() for k in keys]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValidationError("a candidate is on a medium once", field="tracks",
                              value=", ".join(dupes), valid="each key once")
    codes = _isrc_map(keys, isrcs)
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        rules, settings = _rules(row, medium)
        rows = _candidates_by_key(db, pctx.project_id, keys)
        if rules.sides > 1:
            if sides is None:
                lengths = [Fraction(rows[k].frames, rows[k].sample_rate or 1) for k in keys]
                letters = [SIDE_LETTERS[i] for i in split_sides(lengths, rules.gap_seconds,
                                                                rules.sides)]
            else:
                letters = [str(s).strip().upper() for s in sides]
                allowed = SIDE_LETTERS[:rules.sides]
                bad = [s for s in letters if s not in allowed]
                if len(letters) != len(keys) or bad or letters != sorted(letters):
                    raise InputError("one side letter a track, in order", field="sides",
                                     value=" ".join(letters),
                                     valid=f"{len(keys)} letters of {', '.join(allowed)} "
                                           "in order")
        else:
            if sides is not None and any(str(s).strip() for s in sides):
                raise InputError(f"{rules.title} has no sides", field="sides",
                                 value=" ".join(map(str, sides)), valid="no sides")
            letters = [""] * len(keys)
        _check_fit(rules, keys, rows, letters)
        pins = settings.get("pins", {})
        placed = []
        for i, key in enumerate(keys):
            first_of_side = i == 0 or letters[i] != letters[i - 1]
            placed.append((key, letters[i], Fraction(0) if first_of_side
                           else rules.gap_seconds, pins.get(key, "")))
        _store(db, row, medium, placed, rows, codes)
    return album_view(pctx, album).media[medium].tracks


def set_isrc(pctx, album: int, medium: str, key: str, isrc: str) -> None:
    """Give track ``key`` on ``medium`` its ISRC ("" removes it)."""
    code = check_isrc(isrc, "isrc")
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        tracks = {db.get(AlbumCandidate, t.candidate_id).key: t for t in db.scalars(
            select(AlbumTrack).where(AlbumTrack.album_id == row.id,
                                     AlbumTrack.medium == check_medium(medium)))}
        if key not in tracks:
            raise NotFoundError(f"{key!r} is not a track of album {album} on {medium} "
                                "(tracks: " + (", ".join(tracks) or "none") + ")")
        for other, track in tracks.items():
            if code and other != key and track.isrc == code:
                raise ValidationError("an ISRC names one recording", field="isrc",
                                      value=code, valid=f"another code than {other}'s")
        tracks[key].isrc = code


def assign_isrcs(pctx, album: int, medium: str, prefix: str, first: int) -> list[str]:
    """Give every track of ``medium`` without an ISRC the next code of the series
    ``prefix`` (CC-XXX-YY) from designation ``first``, in track order; returns them."""
    from filmscore.album.codes import isrc_series

    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        tracks = list(db.scalars(select(AlbumTrack).where(
            AlbumTrack.album_id == row.id, AlbumTrack.medium == check_medium(medium))
            .order_by(AlbumTrack.position)))
        bare = [t for t in tracks if not t.isrc]
        codes = isrc_series(prefix, first, len(bare))
        taken = {t.isrc for t in tracks if t.isrc}
        clash = sorted(taken & set(codes))
        if clash:
            raise ValidationError("an ISRC of the series is taken already", field="isrc",
                                  value=clash[0], valid="another first number")
        for track, code in zip(bare, codes, strict=True):
            track.isrc = code
        return codes


# -- proposing -----------------------------------------------------------------------------


def _items(pctx, album: int, medium: str, settings: dict):
    """The solver's items from the candidates (with audio, rated above 0)."""
    from filmscore.album.candidates import candidates
    from filmscore.album.sequence import Item

    found = candidates(pctx)
    keys = {c.key for c in found}
    pins = dict(settings.get("pins", {}))
    keep = list(settings.get("keep", []))
    unknown = [k for k in [*pins, *keep] if k not in keys]
    if unknown:
        raise NotFoundError(f"album {album} on {medium} pins or keeps candidates that "
                            "are not there: " + ", ".join(unknown))
    silent = [c.key for c in found if not c.has_audio and c.rating > 0]
    if silent:
        warnings.warn(FilmscoreWarning("left out, no audio yet (render the edits, refresh "
                                       "the candidates): " + ", ".join(silent)),
                      stacklevel=3)
    items = []
    for order, c in enumerate(found):
        if not c.has_audio or (c.rating <= 0 and c.key not in pins and c.key not in keep):
            continue
        items.append(Item(key=c.key, seconds=c.seconds, rating=c.rating,
                          themes=frozenset(c.themes), film_order=order,
                          loudness_lufs=c.loudness_lufs, bass_share=c.bass_share,
                          tempo_bpm=c.tempo_bpm, cues=frozenset(c.cues),
                          pinned=pins.get(c.key, ""), required=c.key in keep))
    return items


def propose(pctx, album: int, medium: str, *, order: str | None = None,
            method: str = "cpsat"):
    """Choose and order ``medium``'s tracks from the candidates with the sequencer
    (``method`` "cpsat": :func:`filmscore.album.sequence.solve`; "greedy": the
    baseline), store them (ISRCs of keys that stay kept) and return the
    :class:`~filmscore.album.sequence.Sequence`.  ``order`` (film or listening)
    defaults to the medium's setting, else film order."""
    from filmscore.album.sequence import Options, greedy, solve

    check_medium(medium)
    if method not in ("cpsat", "greedy"):
        raise InputError("unknown sequencing method", field="method", value=method,
                         valid="cpsat, greedy")
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        settings = dict((row.settings or {}).get(medium, {}))
    order = order or settings.get("order", "film")
    check_setting(medium, "order", order)
    items = _items(pctx, album, medium, settings)
    if not items:
        raise NotFoundError("no candidate to propose from: 'filmscore album candidates "
                            "refresh' makes them from the mixed cues")
    weight = float(settings.get("theme_weight", 1.0))
    repeats = bool(settings.get("allow_repeats", False))
    keep = tuple(settings.get("keep", ()))
    options = Options(order=order, theme_weight=weight, allow_repeats=repeats,
                      keep_order=keep, value=settings.get("value", "minutes"))
    if method == "cpsat":
        found = solve(items, medium_rules(medium, settings), options)
    else:
        found = greedy(items, medium_rules(medium, settings), options)
    pinned = {i.key: i.pinned for i in items}
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, album)
        keys = [p.key for p in found.tracks]
        rows = _candidates_by_key(db, pctx.project_id, keys)
        # the pause before the first track of the medium is the medium's pregap (a rule
        # of the medium, not a gap of the track): stored as 0, as set_tracks does
        _store(db, row, medium, [(p.key, p.side, 0 if n == 0 else p.gap_seconds,
                                  pinned.get(p.key, ""))
                                 for n, p in enumerate(found.tracks)], rows, {})
    return found


# -- an expanded edition -------------------------------------------------------------------


def expand(pctx, previous: int, *, title: str, artist: str | None = None,
           catalog: str = "") -> AlbumInfo:
    """A new album expanding album ``previous``: the same artist, label and credits, and
    on every medium the previous album has, its tracks kept (keys and order, ISRCs,
    mastered audio) as the ``keep`` setting with its other settings; then ``propose``
    adds the cues it left out where they fit."""
    with transaction(pctx.engine) as db:
        old = album_row(db, pctx.project_id, previous)
        old_tracks = list(db.scalars(select(AlbumTrack).where(AlbumTrack.album_id == old.id)
                                     .order_by(AlbumTrack.medium, AlbumTrack.position)))
        kept: dict[str, list] = {}
        for t in old_tracks:
            kept.setdefault(t.medium, []).append((db.get(AlbumCandidate, t.candidate_id).key,
                                                  t))
        info = dict(artist=old.artist if artist is None else artist,
                    label_name=old.label_name, credits=dict(old.credits or {}),
                    settings={m: dict(s) for m, s in (old.settings or {}).items()})
    if not kept:
        raise ValidationError(f"album {previous} has no tracks to keep", field="previous",
                              value=str(previous), valid="an album with tracks "
                                                         "(set or propose them first)")
    made = new_album(pctx, title=title, artist=info["artist"], label_name=info["label_name"],
                     catalog=catalog, previous=previous, credits=info["credits"])
    with transaction(pctx.engine) as db:
        row = album_row(db, pctx.project_id, made.number)
        settings = info["settings"]
        for medium, tracks in kept.items():
            settings.setdefault(medium, {})["keep"] = [k for k, _ in tracks]
        row.settings = settings
        db.flush()
        for medium, tracks in kept.items():
            for _key, t in tracks:
                mastered = dict(t.mastered or {})
                if mastered:
                    mastered.setdefault("kept_from", previous)
                db.add(AlbumTrack(album_id=row.id, medium=medium, position=t.position,
                                  side=t.side, candidate_id=t.candidate_id, pinned=t.pinned,
                                  isrc=t.isrc, gap_seconds=t.gap_seconds, mastered=mastered))
        db.flush()
        return album_info(db, row)


#: the album service's public names (settings and the view live in their own modules)
__all__ = [
    "SETTINGS", "AlbumInfo", "AlbumView", "MediumView", "TrackView", "album_info",
    "album_view", "albums", "assign_isrcs", "check_medium", "default_credits", "expand",
    "get_album", "new_album", "parse_seconds", "pin", "propose", "set_album", "set_credits",
    "set_isrc", "set_settings", "set_tracks", "split_sides",
]
