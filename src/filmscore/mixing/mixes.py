"""A cue's mixes (thin service over the ``mixes`` table): mix a comp's stems in stereo or
5.1, list the versions, find their files, note them.

``mix_cue`` reads the cue's comp (the latest, or the one asked for) and its rendered
stems (``comp_stem_paths``: stem name -> a 24-bit Broadcast WAV whose sample 0 is the
cue's start), maps their names to the mix's stems (``mixing.stems``), renders the
electronics stem from the composer's prerecorded parts when the comp has none, and calls
the pure mixer (``mixing.mix.mix_stems``) in a scratch folder.  The files go into the
media store and the ``Mix`` row is written in one step (``MediaStore.adding`` around the
transaction): a failure leaves neither a row nor files.  Every call makes a new version
(numbered from 1 per cue).

A mix's ``files``: ``[{stem, media_hash, frames, channels, loudness_lufs,
true_peak_dbtp, sample_peak_dbfs, sources}]`` in stem order, the mix itself last under
stem ``"mix"``; ``sources`` names the comp stems (or "render" for the electronics) that
went into a stem.  Loudness is None for a silent file (no block above the gate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from filmscore import children
from filmscore.errors import InputError, NotFoundError
from filmscore.formats.bwf import Bext, time_reference
from filmscore.mixing.comps import comp_stem_paths
from filmscore.mixing.mix import DEFAULT_CEILING_DBTP, Source, check_layout, mix_stems
from filmscore.mixing.placing import cue_start_sample
from filmscore.mixing.stems import ELECTRONICS, group_stems, render_electronics, stem_of
from filmscore.mixing.vocabulary import MIX_CODE, STEM_BY_NAME
from filmscore.model import Comp, Cue, Mix, MusicVersion
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.timecode import frame_to_seconds

MIX = "mix"


@dataclass(frozen=True)
class MixFile:
    stem: str  # a stem name, or "mix"
    media_hash: str
    frames: int
    channels: int
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class MixSpec:
    """A version of a cue's mix."""

    cue: str
    number: int
    comp_number: int | None
    layout: str
    settings: dict  # stem -> {"gain_db": g, "pan": p}
    master_gain_db: float
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    files: tuple[MixFile, ...]
    notes: str
    author: str
    created_at: datetime | None = None

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(f.stem for f in self.files if f.stem != MIX)

    def line(self) -> str:
        """'1M1 mix v2 (5.1, comp v1): -23.4 LUFS, -1.0 dBTP, master -2.3 dB, 4 stems'."""
        loud = f"{self.loudness_lufs:.1f} LUFS" if self.loudness_lufs is not None \
            else "silent"
        peak = f"{self.true_peak_dbtp:.1f} dBTP" if self.true_peak_dbtp is not None else ""
        comp = f", comp v{self.comp_number}" if self.comp_number is not None else ""
        n = len(self.stems)
        return (f"{self.cue} mix v{self.number} ({self.layout}{comp}): {loud}, {peak}, "
                f"master {self.master_gain_db:+.2f} dB, {n} stem{'s' if n != 1 else ''}")


def _finite(value: float) -> float | None:
    return round(float(value), 4) if value is not None and math.isfinite(value) else None


def _spec(row: Mix, cue_number: str) -> MixSpec:
    files = tuple(MixFile(f["stem"], f["media_hash"], int(f.get("frames", 0)),
                          int(f.get("channels", 0)), f.get("loudness_lufs"),
                          f.get("true_peak_dbtp"), f.get("sample_peak_dbfs"),
                          tuple(f.get("sources", ()))) for f in row.files or [])
    return MixSpec(cue_number, row.number, row.comp_number, row.layout, dict(row.settings or {}),
                   row.master_gain_db, row.loudness_lufs, row.true_peak_dbtp, files,
                   row.notes or "", row.author or "", row.created_at)


# --- the comp's stems ---------------------------------------------------------------------


def _comp_row(db, cue: Cue, number: int | None) -> Comp:
    query = select(Comp).where(Comp.cue_id == cue.id)
    if number is not None:
        row = db.scalars(query.where(Comp.number == number)).first()
        if row is None:
            have = db.scalars(select(Comp.number).where(Comp.cue_id == cue.id)
                              .order_by(Comp.number)).all()
            raise NotFoundError(f"cue {cue.number} has no comp v{number} (it has: "
                                + (", ".join(f"v{n}" for n in have) or "none") + ")")
        return row
    row = db.scalars(query.order_by(Comp.number.desc())).first()
    if row is None:
        raise NotFoundError(f"cue {cue.number} has no comp yet; make one first "
                            f"('filmscore comp propose {cue.number}')")
    return row


def check_comp_files(pctx, label: str, files: list[dict]) -> dict[str, Path]:
    """Stem -> stored file of a comp's ``files``; InputError when it has none or a
    stem's file is not in the media store (naming the stem)."""
    if not files:
        raise InputError(f"{label} is not rendered yet (filmscore comp render)",
                         field="files", value="none", valid="rendered stems")
    paths = {}
    for item in files:
        stem, digest = item.get("stem"), item.get("media_hash")
        try:
            paths[stem] = pctx.media.path(digest)
        except (NotFoundError, InputError):
            raise InputError(f"{label}: the file of stem {stem} is missing from the media "
                             "store", field=f"files.{stem}", value=str(digest),
                             valid="a stored file (render the comp again)") from None
    return paths


# --- mixing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CueInput:
    number: str
    start_frame: int
    comp_number: int
    comp_files: list
    music_hash: str | None
    tempo_map: object | None
    instrumentation: str


def _read_cue(pctx, cue: str, comp: int | None) -> _CueInput:
    from filmscore.sync.tempomap import TempoMap

    with transaction(pctx.engine) as db:
        row = cue_row(db, pctx.project_id, cue)
        chosen = _comp_row(db, row, comp)
        version = db.scalars(select(MusicVersion).where(MusicVersion.cue_id == row.id)
                             .order_by(MusicVersion.number.desc())).first()
        tmap = TempoMap.from_dict(row.tempo_map.data) if row.tempo_map is not None else None
        return _CueInput(row.number, row.start_frame, chosen.number, list(chosen.files or []),
                         version.media_hash if version is not None else None, tmap,
                         row.instrumentation or "")


def _settings(settings: Mapping[str, object] | None) -> dict[str, object]:
    """Settings keyed by mix stem (aliases such as "harp" or "voices" accepted)."""
    out: dict[str, object] = {}
    for name, value in (settings or {}).items():
        out[stem_of(name)] = value
    return out


def _electronics(pctx, info: _CueInput, folder: Path, soundfont: str):
    if info.music_hash is None or info.tempo_map is None:
        return None
    from filmscore.writing.service import read_music_file

    try:
        path = pctx.media.path(info.music_hash)
    except NotFoundError:
        return None
    music = read_music_file(path)
    return render_electronics(music, info.tempo_map,
                              cue_start_sample=cue_start_sample(pctx, info.start_frame),
                              sample_rate=pctx.sample_rate, out_dir=folder,
                              instrumentation=info.instrumentation, soundfont=soundfont)


def mix_cue(pctx, cue: str, *, layout: str = "stereo",
            settings: Mapping[str, object] | None = None, comp: int | None = None,
            ceiling_dbtp: float = DEFAULT_CEILING_DBTP, notes: str = "", author: str = "",
            soundfont: str = "fluidr3", measure_stems: bool = True) -> MixSpec:
    """Mix the stems of ``cue``'s comp (the latest, or number ``comp``) in ``layout``
    with per-stem ``settings`` ({stem: {"gain_db": g, "pan": p}}), under a true-peak
    ``ceiling_dbtp``; a new mix version (see the module's text).  ``measure_stems=False``
    measures the mix only (the stems' loudness and true peak are then None): faster."""
    check_layout(layout)
    chosen = _settings(settings)
    info = _read_cue(pctx, cue, comp)
    # checked here first so that a missing or unrendered file is named by its stem
    check_comp_files(pctx, f"cue {info.number} comp v{info.comp_number}", info.comp_files)
    paths = comp_stem_paths(pctx, info.number, info.comp_number)
    grouped = group_stems(list(paths))  # refuses an unknown stem name
    with children.scratch_folder(prefix="filmscore-mix-") as tmp:
        folder = Path(tmp)
        sources = {stem: [Source(paths[name]) for name in names]
                   for stem, names in grouped.items()}
        origins = {stem: list(names) for stem, names in grouped.items()}
        if ELECTRONICS not in grouped:
            rendered = _electronics(pctx, info, folder, soundfont)
            if rendered is not None:
                sources[ELECTRONICS] = [Source(rendered.path, rendered.offset)]
                origins[ELECTRONICS] = ["render: " + ", ".join(rendered.parts)]
        missing = sorted(set(chosen) - set(sources))
        if missing:
            raise InputError(f"cue {info.number} comp v{info.comp_number} has no such stem",
                             field="settings", value=", ".join(missing),
                             valid=", ".join(sources) or "none")
        start = frame_to_seconds(info.start_frame, pctx.rate)
        stamp = time_reference(start, pctx.sample_rate)
        names, bexts = {}, {}
        for stem in [*sources, MIX]:
            code = STEM_BY_NAME[stem].code if stem in STEM_BY_NAME else MIX_CODE
            names[stem] = f"{info.number}_{code}.wav"
            bexts[stem] = Bext(time_reference=stamp,
                               description=f"{info.number} {layout} "
                                           f"{'mix' if stem == MIX else stem} "
                                           f"from comp v{info.comp_number}",
                               originator_reference=f"{info.number} {code}",
                               coding_history=f"A=PCM,F={pctx.sample_rate},W=24,"
                                              f"T=filmscore mix {layout}")
        out = folder / "out"
        out.mkdir()
        result = mix_stems(sources, out, layout=layout, settings=chosen,
                           sample_rate=pctx.sample_rate, ceiling_dbtp=ceiling_dbtp,
                           names=names, bext=bexts, measure_stems=measure_stems)
        with pctx.media.adding():
            files = [{"stem": f.stem, "media_hash": pctx.media.put(f.path, ".wav"),
                      "frames": f.frames, "channels": f.channels,
                      "loudness_lufs": _finite(f.loudness_lufs),
                      "true_peak_dbtp": _finite(f.true_peak_dbtp),
                      "sample_peak_dbfs": _finite(f.sample_peak_dbfs),
                      "sources": origins.get(f.stem, list(sources) if f.stem == MIX else [])}
                     for f in result.files]
            with transaction(pctx.engine) as db:
                row_cue = cue_row(db, pctx.project_id, info.number)
                last = db.scalar(select(func.max(Mix.number)).where(Mix.cue_id == row_cue.id))
                row = Mix(cue_id=row_cue.id, number=(last or 0) + 1,
                          comp_number=info.comp_number, layout=layout,
                          settings=result.settings,
                          master_gain_db=round(result.master_gain_db, 4),
                          loudness_lufs=_finite(result.mix.loudness_lufs),
                          true_peak_dbtp=_finite(result.mix.true_peak_dbtp),
                          files=files, notes=notes or "", author=author or "")
                db.add(row)
                db.flush()
                return _spec(row, row_cue.number)


# --- reading and notes ----------------------------------------------------------------------


def mixes(pctx, cue: str | None = None) -> list[MixSpec]:
    """Every mix version (of one cue), cue by cue in picture order, by number."""
    with transaction(pctx.engine) as db:
        query = (select(Mix, Cue.number).join(Cue, Mix.cue_id == Cue.id)
                 .where(Cue.project_id == pctx.project_id))
        if cue is not None:
            query = query.where(Mix.cue_id == cue_row(db, pctx.project_id, cue).id)
        rows = db.execute(query.order_by(Cue.start_frame, Cue.number, Mix.number)).all()
        return [_spec(row, number) for row, number in rows]


def _mix_row(db, pctx, cue: str, number: int | None) -> tuple[Mix, str]:
    row_cue = cue_row(db, pctx.project_id, cue)
    query = select(Mix).where(Mix.cue_id == row_cue.id)
    row = (db.scalars(query.where(Mix.number == number)).first() if number is not None
           else db.scalars(query.order_by(Mix.number.desc())).first())
    if row is None:
        have = db.scalars(select(Mix.number).where(Mix.cue_id == row_cue.id)
                          .order_by(Mix.number)).all()
        what = f"mix v{number}" if number is not None else "mix"
        raise NotFoundError(f"cue {row_cue.number} has no {what} (it has: "
                            + (", ".join(f"v{n}" for n in have) or "none") + ")")
    return row, row_cue.number


def get_mix(pctx, cue: str, number: int | None = None) -> MixSpec:
    """One mix version (the latest when ``number`` is None)."""
    with transaction(pctx.engine) as db:
        return _spec(*_mix_row(db, pctx, cue, number))


def mix_paths(pctx, cue: str, number: int | None = None) -> dict[str, Path]:
    """Stem name -> file of a mix (the latest when ``number`` is None), the mix itself
    under "mix" (last)."""
    spec = get_mix(pctx, cue, number)
    return {f.stem: pctx.media.path(f.media_hash) for f in spec.files}


def note_mix(pctx, cue: str, number: int, text: str, *, append: bool = False) -> MixSpec:
    """Set (or add to) the notes of mix ``number`` of ``cue``."""
    with transaction(pctx.engine) as db:
        row, cue_number = _mix_row(db, pctx, cue, number)
        row.notes = f"{row.notes}; {text}" if append and row.notes else text
        db.flush()
        return _spec(row, cue_number)
