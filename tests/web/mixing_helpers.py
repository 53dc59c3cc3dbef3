"""A project to comp in the web tests: cue 1M1 (16 bars of 4/4 at 120 BPM from 00:00:10:00,
two seconds a bar) with four takes whose stems (strings mono, brass stereo) are Broadcast
WAVs placed on the film by their bext TimeReference:

- take 1: complete, not circled, recorded to the cue's first tempo map (flagged);
- take 2: a breakdown of bars 1-5;
- take 3: complete, circled;
- take 4: a circled pickup of bars 9-16.

Each take is a quiet sine at its own pitch, so that a cut is heard."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

SR = 48000
FPS = 24
CUE_START_FRAME = 10 * FPS
CUE_START = 10 * SR  # samples since midnight
BAR = 2 * SR  # 120 BPM in 4/4
BARS = 16


def _write(folder: Path, take: int, start: int, frames: int) -> dict[str, Path]:
    from filmscore.formats.bwf import Bext, BwfWriter

    out = {}
    pitch = 220.0 * (1 + take / 4)
    for stem, channels in (("strings", 1), ("brass", 2)):
        path = folder / f"take{take}_{stem}.wav"
        with BwfWriter(path, SR, channels, bext=Bext(time_reference=start)) as writer:
            for a in range(0, frames, 65536):
                n = min(65536, frames - a)
                t = (np.arange(a, a + n) + start) / SR
                wave = (0.2 * (2 ** 23) * np.sin(2 * np.pi * pitch * t)).astype(np.int32)
                writer.write(np.repeat(wave[:, None], channels, axis=1))
        out[stem] = path
    return out


def add_comp_takes(project_dir: Path, scratch: Path, *, comp: bool = True,
                   db: str | None = None) -> None:
    """Give the project cue 1M1, its tempo map, the four takes and (``comp``) a comp v2
    with two edits: ``1-8=3 9-12=4 13-16=1`` (v1 is the proposal)."""
    from filmscore.mixing.comps import propose_comp, set_comp
    from filmscore.model import Cue
    from filmscore.project import open_project
    from filmscore.recording.takes import log_take
    from filmscore.store import transaction
    from filmscore.sync.service import set_tempo_map
    from filmscore.sync.tempomap import TempoMap

    scratch.mkdir(parents=True, exist_ok=True)
    end = CUE_START_FRAME + (BARS * 2 + 3) * FPS
    with open_project(project_dir, db=db) as pctx:
        with transaction(pctx.engine) as db:
            db.add(Cue(project_id=pctx.project_id, number="1M1", reel=1, seq=1,
                       title="Main Title", start_frame=CUE_START_FRAME, end_frame=end))
        tmap = TempoMap.constant("24", CUE_START_FRAME, Fraction(120), bars=BARS)
        set_tempo_map(pctx, "1M1", tmap)
        whole = BARS * BAR + 3 * SR  # a bar's count-in, the cue, a ring-out
        log_take(pctx, "1M1", audio=_write(scratch, 1, CUE_START - SR, whole))
        set_tempo_map(pctx, "1M1", tmap, note="the same map again: version 2")
        log_take(pctx, "1M1", kind="breakdown", bars="1-5",
                 audio=_write(scratch, 2, CUE_START - SR, 5 * BAR + SR))
        log_take(pctx, "1M1", circled=True, audio=_write(scratch, 3, CUE_START - SR, whole))
        log_take(pctx, "1M1", kind="pickup", bars="9-16", circled=True,
                 audio=_write(scratch, 4, CUE_START + 7 * BAR, 9 * BAR + 2 * SR))
        if comp:
            propose_comp(pctx, "1M1", author="music editor user")
            set_comp(pctx, "1M1", ["1-8=3", "9-12=4", "13-16=1"],
                     notes="the pickup's horns; take 1's ending", author="music editor user")
