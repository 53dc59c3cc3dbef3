"""The release files of an album, per medium, written into ``<out>/<medium>/`` all at once
(a temporary folder beside it, moved into place when everything is written; an existing
folder is replaced only when asked):

- ``cd``: the disc image ``<title>.wav`` (44.1 kHz 16-bit) and its CUE sheet, the PQ
  list (PDF, CSV), the liner notes (PDF), the cover;
- ``digital``: ``01 Title.flac`` ... tagged (title, album, artists, composer, track and
  disc, ISRC, date, label, catalog number, barcode, cover), on request ``mp3/`` and
  ``aac/`` beside them; the liner notes, the cover;
- ``vinyl``: the premasters ``A1 Title.wav`` ..., the side list (PDF, CSV) for the
  cutting engineer, the liner notes, the cover.

``write_release(plan, out_dir, ...)`` does the work over a ``ReleasePlan`` (tested with
plans built by hand); ``release(pctx, album, medium, out_dir, ...)`` reads the plan from
the database.  The release date is the medium's ``release_date`` setting (else today),
the label's catalog number its ``catalog_number`` setting.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore import children
from filmscore.album.codes import check_isrc, check_upc_ean
from filmscore.album.plan import ReleasePlan
from filmscore.album.release_audio import TrackAudio, mastered_audio
from filmscore.album.vocabulary import LOSSY_FORMATS, MEDIUM_NAMES
from filmscore.errors import ConflictError, InputError
from filmscore.fileio import inside, make_folder, safe_name, write_atomic


@dataclass(frozen=True)
class Released:
    medium: str
    folder: Path
    files: tuple[str, ...]  # relative to the folder
    tracks: int
    seconds: Fraction  # the music and its gaps


@dataclass(frozen=True)
class _Context:
    plan: ReleasePlan
    date: str
    cover: bytes
    cover_mime: str
    catalog_number: str
    lossy: tuple[str, ...]


def _safe(name: str, fallback: str) -> str:
    return safe_name(name, fallback=fallback)


def _liner(ctx: _Context, audio: list[TrackAudio], folder: Path) -> list[str]:
    from filmscore.formats.liner_notes_pdf import LinerTrack, write_liner_notes_pdf

    tracks, on_side = [], {}
    for i, a in enumerate(audio, 1):
        side = a.track.side
        on_side[side] = on_side.get(side, 0) + 1
        tracks.append(LinerTrack(f"{side}{on_side[side]}" if side else str(i), side,
                                 a.track.title, a.track.cue,
                                 Fraction(a.frames, a.sample_rate)))
    write_liner_notes_pdf(ctx.plan, tracks, folder / "liner_notes.pdf", cover=ctx.cover,
                          date=ctx.date, catalog_number=ctx.catalog_number)
    suffix = ".png" if ctx.cover_mime == "image/png" else ".jpg"
    write_atomic(folder / f"cover{suffix}", ctx.cover)
    return ["liner_notes.pdf", f"cover{suffix}"]


def _write_cd(ctx: _Context, folder: Path) -> list[str]:
    from filmscore.album.cd import cd_layout
    from filmscore.formats.cd_cue import write_cd_image, write_cue
    from filmscore.formats.pq_list_csv import write_pq_csv
    from filmscore.formats.pq_list_pdf import write_pq_pdf

    layout = cd_layout(ctx.plan, date=ctx.date)
    stem = _safe(ctx.plan.title, "album")
    image = f"{stem}.wav"
    digest = write_cd_image(layout, inside(folder, image))
    write_cue(layout, inside(folder, f"{stem}.cue"), image)
    write_pq_pdf(layout, folder / "pq_list.pdf", image_name=image, image_md5=digest,
                 date=ctx.date)
    write_pq_csv(layout, folder / "pq_list.csv")
    audio = mastered_audio(ctx.plan)
    return [image, f"{stem}.cue", "pq_list.pdf", "pq_list.csv", *_liner(ctx, audio, folder)]


def _tags(ctx: _Context, item: TrackAudio, number: int, total: int):
    from filmscore.formats.release_tags import ReleaseTags

    plan, track = ctx.plan, item.track
    return ReleaseTags(
        title=track.title, album=plan.title, artist=plan.artist or plan.composer,
        album_artist=plan.artist or plan.composer, composer=plan.composer, track=number,
        track_total=total, isrc=check_isrc(track.isrc, field=f"track {track.position} isrc")
        if track.isrc.strip() else "", date=ctx.date, label=plan.label_name,
        catalog_number=ctx.catalog_number,
        barcode=check_upc_ean(plan.catalog) if plan.catalog.strip() else "",
        cover=ctx.cover, cover_mime=ctx.cover_mime)


def _write_digital(ctx: _Context, folder: Path) -> list[str]:
    from filmscore.formats.release_tags import (
        LOSSY_ENCODINGS,
        safe_file_name,
        write_flac,
        write_lossy,
    )

    medium = ctx.plan.medium
    audio = mastered_audio(ctx.plan, sample_rate=medium.sample_rate, bits=medium.bits)
    tags = [_tags(ctx, item, n, len(audio)) for n, item in enumerate(audio, 1)]
    files = []
    for n, (item, tag) in enumerate(zip(audio, tags, strict=True), 1):
        name = safe_file_name(n, item.track.title, ".flac")
        write_flac(item.path, inside(folder, name), tag)
        files.append(name)
    for kind in ctx.lossy:
        suffix = LOSSY_ENCODINGS[kind][0]
        sub = make_folder(folder / kind)
        for n, (item, tag) in enumerate(zip(audio, tags, strict=True), 1):
            name = safe_file_name(n, item.track.title, suffix)
            write_lossy(item.path, inside(sub, name), kind, tag)
            files.append(f"{kind}/{name}")
    return files + _liner(ctx, audio, folder)


def _write_vinyl(ctx: _Context, folder: Path) -> list[str]:
    from filmscore.album.vinyl import side_sheet
    from filmscore.formats.release_tags import safe_file_name
    from filmscore.formats.side_list_csv import write_side_csv
    from filmscore.formats.side_list_pdf import write_side_pdf

    medium = ctx.plan.medium
    audio = mastered_audio(ctx.plan, sample_rate=medium.sample_rate, bits=medium.bits)
    sheet = side_sheet(ctx.plan)
    names: dict[str, str] = {}
    for side in sheet.sides:
        for track in side.tracks:
            name = track.label + safe_file_name(0, track.title, ".wav")[2:]
            _copy(track.source, inside(folder, name))
            names[track.label] = name
    write_side_pdf(sheet, folder / "side_list.pdf", files=names, date=ctx.date)
    write_side_csv(sheet, folder / "side_list.csv", files=names)
    return [*names.values(), "side_list.pdf", "side_list.csv",
            *_liner(ctx, audio, folder)]


def _copy(source: Path, target: Path) -> None:
    from filmscore.fileio import atomic_path

    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)


#: the writer of each medium (a table, not an if-ladder)
WRITERS: dict[str, Callable[[_Context, Path], list[str]]] = {
    "cd": _write_cd, "digital": _write_digital, "vinyl": _write_vinyl}


def _check_lossy(lossy) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(lossy or ()))
    for kind in kinds:
        if kind not in LOSSY_FORMATS:
            raise InputError("unknown lossy format", field="lossy", value=kind,
                             valid=", ".join(LOSSY_FORMATS))
    return kinds


def write_release(plan: ReleasePlan, out_dir: str | os.PathLike[str], *,
                  lossy: tuple[str, ...] = (), cover: str | os.PathLike[str] | None = None,
                  force: bool = False, date: str = "") -> Released:
    """Write the release files of ``plan`` into ``<out_dir>/<medium>/`` (see the module's
    docstring); ConflictError when that folder exists and ``force`` is not given."""
    from filmscore.album.cover import load_cover, render_cover

    medium = plan.medium.name
    if medium not in WRITERS:
        raise InputError("unknown medium", field="medium", value=medium,
                         valid=", ".join(WRITERS))
    kinds = _check_lossy(lossy)
    if kinds and medium != "digital":
        raise InputError("MP3 and AAC are made for the digital release only",
                         field="lossy", value=",".join(kinds), valid="--medium digital or all")
    out = make_folder(out_dir)
    final = out / medium
    if final.exists() and not force:
        raise ConflictError(f"{final} exists already: choose another --out, or --force to "
                            "replace it")
    mastered_audio(plan)  # every track mastered, before anything is made
    if cover is not None:
        image, mime = load_cover(cover)
    else:
        image, mime = render_cover(plan.title, plan.film_title, plan.composer), "image/png"
    ctx = _Context(plan, date or str(plan.settings.get("release_date") or "")
                   or _dt.date.today().isoformat(), image, mime,
                   str(plan.settings.get("catalog_number") or ""),
                   kinds)
    work = Path(children.make_scratch_folder(prefix=f".{medium}.", suffix=".part", dir=out))
    try:
        files = WRITERS[medium](ctx, work)
        os.chmod(work, 0o777 & ~_umask())
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{medium}.", suffix=".old", dir=out))
            os.replace(final, old / medium)
            os.replace(work, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, final)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return Released(medium, final, tuple(files), len(plan.tracks), plan.seconds)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _album_exists(pctx, number: int) -> None:
    from filmscore.album.plan import album_row
    from filmscore.store import transaction

    with transaction(pctx.engine) as session:
        album_row(session, pctx.project_id, number)


def release(pctx, album: int, medium: str, out_dir: str | os.PathLike[str], *,
            lossy: tuple[str, ...] = (), cover: str | os.PathLike[str] | None = None,
            force: bool = False) -> list[Released]:
    """Write album ``album``'s release files for ``medium`` (``cd``, ``vinyl``,
    ``digital``, or ``all``: every medium the album has tracks on) into
    ``<out_dir>/<medium>/``.  Every plan is checked (tracks mastered, codes, rules) before
    any folder is written."""
    from filmscore.album.plan import release_plan

    if medium != "all" and medium not in MEDIUM_NAMES:
        raise InputError("unknown medium", field="medium", value=medium,
                         valid=", ".join((*MEDIUM_NAMES, "all")))
    kinds = _check_lossy(lossy)
    if kinds and medium not in ("digital", "all"):
        raise InputError("MP3 and AAC are made for the digital release only",
                         field="lossy", value=",".join(kinds), valid="--medium digital or all")
    _album_exists(pctx, album)
    names = MEDIUM_NAMES if medium == "all" else (medium,)
    plans = [release_plan(pctx, album, name) for name in names]
    if medium == "all":
        plans = [p for p in plans if p.tracks]
        if not plans:
            raise InputError(f"album {album} has no tracks on any medium", field="album",
                             value=str(album), valid="an album sequenced for cd, vinyl or "
                                                     "digital")
    for plan in plans:
        mastered_audio(plan)
        if not force and (Path(out_dir) / plan.medium.name).exists():
            raise ConflictError(f"{Path(out_dir) / plan.medium.name} exists already: choose "
                                "another --out, or --force to replace it")
    return [write_release(plan, out_dir, lossy=kinds if plan.medium.name == "digital"
                          else (), cover=cover, force=force) for plan in plans]
