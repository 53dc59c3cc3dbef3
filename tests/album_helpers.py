"""A small project for the album tests: cues with tempo maps and mixes whose files are
generated in code (noise, or a tone to tell bass from treble), placed on a 24 fps film."""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import numpy as np
import soundfile as sf
from sqlalchemy import func, select

from filmscore.formats.bwf import BwfWriter
from filmscore.model import Cue, CueTempoMap, Mix, Project
from filmscore.project import init_project, open_project
from filmscore.store import transaction
from filmscore.sync.tempomap import TempoMap

SR = 48000
FPS = 24
BAR_SECONDS = 2  # a 4/4 bar at 120 bpm


@contextmanager
def album_project(folder: Path, db: str | None = None, *, composer: str = "Ann Composer",
                  orchestrator: str = "Otto Orchestrator"):
    init_project(folder, title="Album Film", fps=str(FPS), db=db)
    with open_project(folder, db=db) as pctx:
        with transaction(pctx.engine) as session:
            project = session.get(Project, pctx.project_id)
            project.composer, project.orchestrator = composer, orchestrator
        yield pctx


def _signal(frames: int, channels: int, seed: int, freq: float | None,
            level: float) -> np.ndarray:
    if freq is None:
        rng = np.random.default_rng(seed)
        data = rng.normal(0, level / 3, size=(frames, channels))
    else:
        t = np.arange(frames) / SR
        data = np.repeat((level * np.sin(2 * np.pi * freq * t))[:, None], channels, axis=1)
    return np.clip(np.rint(data * 2**23), -2**23, 2**23 - 1).astype(np.int64)


def scored_cue(pctx, number: str, *, start_frame: int = 24, bars: int = 4, tmp: Path,
               seed: int = 1, tempo: Fraction = Fraction(120), pickup_s: float = 0.0,
               ringout_s: float = 1.0, freq: float | None = None, level: float = 0.25,
               mix_only: bool = False, title: str | None = None, channels: int = 2,
               status: str | None = None) -> int:
    """A cue (with a constant 4/4 tempo map whose bar 1 is ``pickup_s`` after the cue's
    start) and a new mix version of it; returns the mix number."""
    with transaction(pctx.engine) as db:
        cue = db.scalars(select(Cue).where(Cue.project_id == pctx.project_id,
                                           Cue.number == number)).first()
        if cue is None:
            if mix_only:
                raise AssertionError(f"no cue {number}")
            seq = db.scalar(select(func.count(Cue.id))) + 1
            pickup_frames = round(pickup_s * FPS)
            bar_s = Fraction(240) / tempo
            length = round((pickup_s + float(bar_s * bars) + ringout_s) * FPS)
            cue = Cue(project_id=pctx.project_id, number=number,
                      reel=int(number.split("M")[0]), seq=seq, title=title or f"Cue {number}",
                      start_frame=start_frame, end_frame=start_frame + length,
                      status=status or "mixed")
            db.add(cue)
            db.flush()
            tmap = TempoMap.constant(str(FPS), start_frame + pickup_frames, tempo, bars=bars)
            db.add(CueTempoMap(cue_id=cue.id, data=tmap.to_dict()))
            db.flush()
        tmap = TempoMap.from_dict(cue.tempo_map.data)
        seconds = (Fraction(tmap.start_frame - cue.start_frame, FPS) + tmap.end_seconds
                   + Fraction(str(ringout_s)))
        frames = int(seconds * SR)
        number_now = (db.scalar(select(func.max(Mix.number)).where(Mix.cue_id == cue.id))
                      or 0) + 1
        data = _signal(frames, channels, seed, freq, level)
        path = tmp / f"{number}-mix{number_now}-{seed}.wav"
        with BwfWriter(path, SR, channels) as out:
            for at in range(0, frames, 65536):
                out.write(data[at:at + 65536].astype(np.int32))
        digest = pctx.media.put(path)
        db.add(Mix(cue_id=cue.id, number=number_now, layout="stereo" if channels == 2
                   else "5.1", files=[{"stem": "mix", "media_hash": digest, "frames": frames,
                                       "channels": channels}]))
        return number_now


def mix_samples(pctx, cue: str, number: int | None = None) -> np.ndarray:
    """The 24-bit samples of a cue's mix file (the latest when ``number`` is None)."""
    from filmscore.mixing.mixes import mix_paths

    data, _ = sf.read(mix_paths(pctx, cue, number)["mix"], dtype="int32", always_2d=True)
    return data.astype(np.int64) >> 8
