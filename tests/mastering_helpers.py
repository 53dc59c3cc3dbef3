"""An album built directly in the tables (albums, album_candidates, album_tracks) over
cues and mixes generated in code (delivery_helpers), for the mastering tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from sqlalchemy import select

from delivery_helpers import add_cue, add_mix
from filmscore.model import Album, AlbumCandidate, AlbumTrack, Cue
from filmscore.store import transaction


def add_album(pctx, tmp: Path, *, cues: int = 2, seconds: float = 5.0,
              media: tuple[str, ...] = ("cd",), settings: dict | None = None,
              quieter_db: float = 6.0) -> list[str]:
    """Album 1 with ``cues`` tracks on each of ``media``, each track a cue's stereo mix
    (48 kHz 24-bit noise; each cue ``quieter_db`` under the one before); the candidate
    keys."""
    frames = int(seconds * 48000)
    keys = []
    for i in range(cues):
        number = f"1M{i + 1}"
        add_cue(pctx, number, 100 + 200 * i, 100 + 200 * i + 24 * int(seconds))
        samples = add_mix(pctx, number, 1, frames, seed=i + 1, tmp=tmp)
        scaled = (samples["mix"] * 10 ** (-quieter_db * i / 20)).astype(np.int32)
        path = tmp / f"{number}-album.wav"
        sf.write(str(path), scaled.astype(np.float64) / 2**23, 48000, subtype="PCM_24")
        digest = pctx.media.put(path)
        with transaction(pctx.engine) as db:
            cue = db.scalars(select(Cue).where(Cue.number == number)).one()
            db.add(AlbumCandidate(project_id=pctx.project_id, key=number, kind="cue",
                                  cue_id=cue.id, title=f"Track {i + 1}", media_hash=digest,
                                  frames=frames, sample_rate=48000, channels=2))
        keys.append(number)
    with transaction(pctx.engine) as db:
        album = Album(project_id=pctx.project_id, number=1, title="Fit Film (Original "
                      "Soundtrack)", artist="A. Composer", settings=settings or {})
        db.add(album)
        db.flush()
        for medium in media:
            for position, key in enumerate(keys, start=1):
                cand = db.scalars(select(AlbumCandidate).where(
                    AlbumCandidate.key == key)).one()
                db.add(AlbumTrack(album_id=album.id, medium=medium, position=position,
                                  side="A" if medium == "vinyl" else "",
                                  candidate_id=cand.id, gap_seconds="2"))
    return keys


def set_candidate_audio(pctx, key: str, path: Path, *, channels: int, rate: int) -> None:
    digest = pctx.media.put(path)
    with transaction(pctx.engine) as db:
        cand = db.scalars(select(AlbumCandidate).where(AlbumCandidate.key == key)).one()
        cand.media_hash, cand.channels, cand.sample_rate = digest, channels, rate
