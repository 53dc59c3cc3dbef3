"""Master an album for a medium (thin service over ``album.master``): read the release
plan, master each track's audio to the medium's rate, bits, loudness target and
true-peak ceiling, store the files in the media store and record what was done on the
album's tracks (``AlbumTrack.mastered``).

``master_album(pctx, album, medium)`` takes the mode (``track`` or ``album``) and the
target from the album's settings for the medium (``Album.settings[medium]["mode"]``,
``["target_lufs"]``), or from the medium's rules (``album.vocabulary.MEDIA``), unless
given.  The files are rendered in a scratch folder; they go into the media store and the
tracks' ``mastered`` are written in one step (``MediaStore.adding`` around the
transaction): a failure leaves neither.  ``mastered`` holds ``{media_hash, frames,
sample_rate, bits, gain_db, limiter_db, loudness_lufs, true_peak_dbtp,
loudness_range_lu, loudness_before_lufs, true_peak_before_dbtp, mode, target_lufs,
ceiling_dbtp}``.

Refused with a clear error: a track without audio, audio that is not stereo (the
album's media are stereo), audio at a rate soxr is not asked to convert, an album with
no tracks on the medium.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from filmscore import children
from filmscore.album.master import RATES, Mastered, master_files
from filmscore.album.plan import album_row, release_plan
from filmscore.album.vocabulary import MASTER_MODES
from filmscore.errors import InputError, NotFoundError
from filmscore.model import Album, AlbumTrack
from filmscore.store import transaction

#: the channels an album track is released in
RELEASE_CHANNELS = 2


@dataclass(frozen=True)
class MasteredTrack:
    """One line of the mastering report."""

    position: int
    side: str
    key: str
    title: str
    gain_db: float
    limiter_db: float
    loudness_before_lufs: float
    true_peak_before_dbtp: float
    loudness_lufs: float
    true_peak_dbtp: float
    loudness_range_lu: float
    frames: int
    sample_rate: int
    bits: int
    media_hash: str


@dataclass(frozen=True)
class MasteringReport:
    album: int
    medium: str
    mode: str
    target_lufs: float
    ceiling_dbtp: float
    sample_rate: int
    bits: int
    tracks: tuple[MasteredTrack, ...]


def _album(pctx, number: int, db=None) -> Album:
    """The album row (``plan.album_row``: NotFoundError naming the albums there are)."""
    if db is None:
        with transaction(pctx.engine) as session:
            return album_row(session, pctx.project_id, number)
    return album_row(db, pctx.project_id, number)


def _finite(value: float) -> float | None:
    return round(float(value), 4) if math.isfinite(value) else None


def _check_audio(track, medium: str) -> Path:
    """The track's audio file, checked (InputError naming the track otherwise)."""
    import soundfile

    label = f"{medium} track {track.position} ({track.key})"
    if track.audio is None:
        raise InputError(f"{label} has no audio yet", field="audio", value="none",
                         valid="a candidate with its audio made")
    try:
        info = soundfile.info(str(track.audio))
    except (RuntimeError, OSError) as exc:
        raise InputError(f"{label}: its audio cannot be read ({exc})",
                         source=str(track.audio), field="audio") from None
    if info.channels != RELEASE_CHANNELS:
        raise InputError(f"{label}: the album is released in stereo", source=str(track.audio),
                         field="channels", value=str(info.channels),
                         valid=f"{RELEASE_CHANNELS} channels (mix the cue in stereo)")
    if info.samplerate not in RATES:
        raise InputError(f"{label}: audio at a rate that cannot be converted",
                         source=str(track.audio), field="sample_rate",
                         value=f"{info.samplerate} Hz",
                         valid=", ".join(f"{r} Hz" for r in RATES))
    return Path(track.audio)


def master_album(pctx, album: int, medium: str, *, mode: str | None = None,
                 target_lufs: float | None = None,
                 progress: Callable[[int, int], None] | None = None) -> MasteringReport:
    """Master album ``album``'s tracks on ``medium`` (see the module's text)."""
    from filmscore.formats.bwf import Bext

    _album(pctx, album)
    plan = release_plan(pctx, album, medium)
    if not plan.tracks:
        raise NotFoundError(f"album {album} has no tracks on {medium}: sequence it first "
                            "(filmscore album)")
    chosen_mode = mode or str(plan.settings.get("mode") or "track")
    if chosen_mode not in MASTER_MODES:
        raise InputError("unknown mastering mode", field="mode", value=chosen_mode,
                         valid=", ".join(MASTER_MODES))
    target = float(target_lufs) if target_lufs is not None else plan.medium.target_lufs
    if not -70.0 < target <= 0.0:
        raise InputError("loudness target out of range", field="target_lufs",
                         value=f"{target:g}", valid="-70 to 0 LUFS")
    rules = plan.medium
    sources = [_check_audio(t, medium) for t in plan.tracks]
    bexts = [Bext(description=f"{plan.title or f'Album {album}'}: {rules.title} track "
                              f"{t.position} {t.title}",
                  originator_reference=f"album {album} {medium} {t.position}",
                  coding_history=f"A=PCM,F={rules.sample_rate},W={rules.bits},M=stereo,"
                                 f"T=filmscore master {chosen_mode} {target:g} LUFS")
             for t in plan.tracks]
    with children.scratch_folder(prefix="filmscore-master-") as tmp:
        outs = [Path(tmp) / f"{medium}-{t.position:02d}.wav" for t in plan.tracks]
        results: list[Mastered] = master_files(
            sources, outs, target_lufs=target, ceiling_dbtp=rules.ceiling_dbtp,
            sample_rate=rules.sample_rate, bits=rules.bits, mode=chosen_mode, bexts=bexts,
            progress=progress)
        with pctx.media.adding():
            hashes = [pctx.media.put(r.path, ".wav") for r in results]
            with transaction(pctx.engine) as db:
                row = _album(pctx, album, db)
                rows = {t.position: t for t in db.scalars(
                    select(AlbumTrack).where(AlbumTrack.album_id == row.id,
                                             AlbumTrack.medium == medium))}
                for track, result, digest in zip(plan.tracks, results, hashes, strict=True):
                    rows[track.position].mastered = {
                        "media_hash": digest, "frames": result.frames,
                        "sample_rate": result.sample_rate, "bits": result.bits,
                        "gain_db": round(result.gain_db, 4),
                        "limiter_db": round(result.limiter_db, 4),
                        "loudness_lufs": _finite(result.loudness_lufs),
                        "true_peak_dbtp": _finite(result.true_peak_dbtp),
                        "loudness_range_lu": _finite(result.loudness_range_lu),
                        "loudness_before_lufs": _finite(result.loudness_before_lufs),
                        "true_peak_before_dbtp": _finite(result.true_peak_before_dbtp),
                        "mode": chosen_mode, "target_lufs": target,
                        "ceiling_dbtp": rules.ceiling_dbtp}
    lines = tuple(MasteredTrack(t.position, t.side, t.key, t.title, r.gain_db, r.limiter_db,
                                r.loudness_before_lufs, r.true_peak_before_dbtp,
                                r.loudness_lufs, r.true_peak_dbtp, r.loudness_range_lu,
                                r.frames, r.sample_rate, r.bits, digest)
                  for t, r, digest in zip(plan.tracks, results, hashes, strict=True))
    return MasteringReport(album, medium, chosen_mode, target, rules.ceiling_dbtp,
                           rules.sample_rate, rules.bits, lines)


def media_with_tracks(pctx, album: int) -> list[str]:
    """The media album ``album`` has tracks on, in ``MEDIA`` order."""
    from filmscore.album.vocabulary import MEDIUM_NAMES

    with transaction(pctx.engine) as db:
        row = _album(pctx, album, db)
        have = set(db.scalars(select(AlbumTrack.medium).where(AlbumTrack.album_id == row.id)))
    return [m for m in MEDIUM_NAMES if m in have]
