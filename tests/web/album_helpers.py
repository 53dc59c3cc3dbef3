"""An album to look at in the web tests, built directly in the album tables over cues and
mixes made by ``tests/delivery_helpers.py`` (a candidate's audio is its cue's stored mix
file), with timings chosen to be checked by hand.

Candidates (48 kHz stereo, 24-bit): ``1M1`` "Main Title" 12 s (pinned first on the CD),
``1M2`` "Spinach" 7.5 s, ``2M1`` "Bluto" 9 s, ``2M2`` "Olive" 6 s, ``3M1`` "End Credits"
10 s (pinned last), ``1M3-alt`` an unused cue of 5 s on no album.  The score's themes are
Popeye, Olive, Bluto, Spinach and Sea Hag (on no candidate).

Album 1, "Popeye":

- CD with a capacity of 45 s (an album setting): 1M1, 2 s, 1M2, 2 s, 2M1, 4/3 s, 2M2,
  2 s, 3M1: 51 5/6 s, over by 6 5/6 s;
- vinyl with 30 s a side: side A 1M1, 2 s, 1M2 (21.5 s); side B 2M1, 2 s, 2M2, 3 s, 3M1
  (30 s exactly: full, not over);
- digital: the five and the unused cue, no gaps (49.5 s); tracks 1 and 2 mastered (the
  mix at half level, stored as its own file).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from sqlalchemy import select

from delivery_helpers import add_cue, add_mix
from filmscore.formats.bwf import BwfWriter
from filmscore.model import (
    Album,
    AlbumCandidate,
    AlbumTrack,
    Cue,
    Mix,
    Theme,
)
from filmscore.project import open_project
from filmscore.store import transaction

SR = 48000
FPS = 24
#: key -> (cue, title, seconds, rating, themes, film start frame, kind)
CANDIDATES = {
    "1M1": ("1M1", "Main Title", Fraction(12), 5, ["Popeye"], 10 * FPS, "cue"),
    "1M2": ("1M2", "Spinach", Fraction(15, 2), 4, ["Spinach"], 60 * FPS, "cue"),
    "2M1": ("2M1", "Bluto", Fraction(9), 3, ["Bluto", "Popeye"], 120 * FPS, "cue"),
    "2M2": ("2M2", "Olive", Fraction(6), 2, ["Olive"], 180 * FPS, "cue"),
    "3M1": ("3M1", "End Credits", Fraction(10), 5, ["Popeye"], 300 * FPS, "cue"),
    "1M3-alt": ("1M3", "Sea Shanty", Fraction(5), 1, [], 90 * FPS, "unused"),
}
THEMES = ("Popeye", "Olive", "Bluto", "Spinach", "Sea Hag")
#: medium -> [(key, side, gap seconds as stored, pinned)]
SEQUENCES = {
    "cd": [("1M1", "", "0", "first"), ("1M2", "", "2", ""), ("2M1", "", "2", ""),
           ("2M2", "", "4/3", ""), ("3M1", "", "2", "last")],
    "vinyl": [("1M1", "A", "0", ""), ("1M2", "A", "2", ""), ("2M1", "B", "2", ""),
              ("2M2", "B", "2", ""), ("3M1", "B", "3", "")],
    "digital": [("1M1", "", "0", ""), ("1M2", "", "0", ""), ("2M1", "", "0", ""),
                ("2M2", "", "0", ""), ("3M1", "", "0", ""), ("1M3-alt", "", "0", "")],
}
SETTINGS = {"cd": {"max_seconds": "45"}, "vinyl": {"max_seconds": "30"}}


def mix_file(pctx, cue: str) -> dict:
    """The stored mix file of ``cue``'s latest mix (``{stem, media_hash, frames, ...}``)."""
    with transaction(pctx.engine) as db:
        row = db.scalars(select(Mix).join(Cue, Mix.cue_id == Cue.id)
                         .where(Cue.number == cue).order_by(Mix.number.desc())).first()
        return next(f for f in row.files if f["stem"] == "mix")


def _master(pctx, source: Path, tmp: Path, name: str) -> dict:
    """A 'master' of ``source``: its samples at half level, stored as its own file."""
    import soundfile as sf

    data, rate = sf.read(str(source), dtype="int32", always_2d=True)
    half = (data >> 8) // 2
    path = tmp / f"{name}-master.wav"
    with BwfWriter(path, rate, data.shape[1]) as out:
        out.write(half)
    return {"media_hash": pctx.media.put(path), "frames": len(half), "sample_rate": rate,
            "bits": 24, "gain_db": -6.02, "loudness_lufs": -20.0, "true_peak_dbtp": -7.0}


def add_album(project_dir: Path, scratch: Path, *, sequences: dict | None = None,
              db: str | None = None) -> None:
    """Give the project the cues, mixes, themes, candidates and album 1 described above
    (``sequences``: the tracks per medium, ``SEQUENCES`` unless given; ``{}``: an album
    without tracks; ``db``: the project's database when it is not the folder's)."""
    scratch.mkdir(parents=True, exist_ok=True)
    sequences = SEQUENCES if sequences is None else sequences
    with open_project(project_dir, db=db) as pctx:
        cues = {}
        for i, (key, (cue, title, seconds, *_rest)) in enumerate(CANDIDATES.items()):
            start = CANDIDATES[key][5]
            if cue not in cues:
                add_cue(pctx, cue, start, start + int(seconds * FPS) + FPS, title=title)
            add_mix(pctx, cue, 1, int(seconds * SR), stems=("strings",), seed=i + 1,
                    tmp=scratch)
            cues[key] = mix_file(pctx, cue)
        with transaction(pctx.engine) as db:
            db.add_all(Theme(project_id=pctx.project_id, name=name, music={})
                       for name in THEMES)
            ids = {r.number: r.id for r in db.scalars(select(Cue))}
            rows = {}
            for key, (cue, title, _s, rating, themes, frame, kind) in CANDIDATES.items():
                f = cues[key]
                rows[key] = AlbumCandidate(
                    project_id=pctx.project_id, key=key, kind=kind, cue_id=ids[cue],
                    title="" if key == "1M2" else f"{title} (album)" if key == "3M1" else title,
                    rating=rating, themes=themes, film_frame=frame,
                    media_hash=f["media_hash"], frames=f["frames"], sample_rate=SR,
                    channels=f["channels"], loudness_lufs=-18.5 if key == "1M1" else None,
                    true_peak_dbtp=-2.25 if key == "1M1" else None)
            db.add_all(rows.values())
            album = Album(project_id=pctx.project_id, number=1, title="Popeye",
                          artist="Sammy Timberg", catalog="5012345678900",
                          settings=SETTINGS)
            db.add(album)
            db.flush()
            for medium, tracks in sequences.items():
                for n, (key, side, gap, pinned) in enumerate(tracks, 1):
                    mastered = {}
                    if medium == "digital" and n <= 2:
                        mastered = _master(pctx, pctx.media.path(cues[key]["media_hash"]),
                                           scratch, key)
                    db.add(AlbumTrack(album_id=album.id, medium=medium, position=n,
                                      side=side, candidate_id=rows[key].id, pinned=pinned,
                                      gap_seconds=gap, mastered=mastered))


def audio(path: Path) -> np.ndarray:
    """A file's samples as soundfile reads them (int32, left-justified)."""
    import soundfile as sf

    data, _rate = sf.read(str(path), dtype="int32", always_2d=True)
    return data
