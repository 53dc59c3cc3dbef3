"""A small project with cues and mixes whose files are generated in code, for the tests
of fitting the music to the film and of the delivery to the dub (tests/mixing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import select

from filmscore.formats.bwf import BwfWriter
from filmscore.mixing.vocabulary import LAYOUTS
from filmscore.model import Cue, Mix
from filmscore.project import init_project, open_project
from filmscore.store import transaction


def project(folder: Path, fps: str = "24", db: str | None = None):
    init_project(folder, title="Fit Film", fps=fps, db=db)
    return open_project(folder, db=db)


def add_cue(pctx, number: str, start_frame: int, end_frame: int, title: str = "") -> None:
    reel = int(number.split("M")[0])
    with transaction(pctx.engine) as db:
        seq = len(db.scalars(select(Cue)).all()) + 1
        db.add(Cue(project_id=pctx.project_id, number=number, reel=reel, seq=seq,
                   title=title or f"Cue {number}", start_frame=start_frame,
                   end_frame=end_frame))


def signal(frames: int, channels: int, seed: int) -> np.ndarray:
    """Distinct 24-bit noise (well under full scale: sums never clip)."""
    rng = np.random.default_rng(seed)
    return rng.integers(-2**21, 2**21, size=(frames, channels)).astype(np.int64)


def add_mix(pctx, cue: str, number: int, frames: int, *, layout: str = "stereo",
            stems: tuple[str, ...] = ("strings", "brass"), seed: int = 1,
            loudness: tuple[float, float] | None = None, tmp: Path) -> dict[str, np.ndarray]:
    """A mix row of ``cue`` with generated stem files and the mix (the stems' sum) put in
    the media store; the samples by stem."""
    channels = len(LAYOUTS[layout])
    samples = {stem: signal(frames, channels, seed * 100 + i) for i, stem in enumerate(stems)}
    samples["mix"] = sum(samples[s] for s in stems) // 2
    files = []
    for stem, data in samples.items():
        path = tmp / f"{cue}-{number}-{stem}.wav"
        with BwfWriter(path, 48000, channels) as out:
            for at in range(0, frames, 50000):
                out.write(data[at:at + 50000].astype(np.int32))
        digest = pctx.media.put(path)
        files.append({"stem": stem, "media_hash": digest, "frames": frames,
                      "channels": channels})
    with transaction(pctx.engine) as db:
        row = db.scalars(select(Cue).where(Cue.number == cue)).one()
        db.add(Mix(cue_id=row.id, number=number, layout=layout, files=files,
                   loudness_lufs=loudness[0] if loudness else None,
                   true_peak_dbtp=loudness[1] if loudness else None))
    return samples
