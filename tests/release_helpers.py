"""Release plans built by hand, with mastered audio generated in code (soundfile), for the
tests of the release files (CD, digital, vinyl, liner notes)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import soundfile as sf

from filmscore.album.plan import PlanTrack, ReleasePlan, medium_rules

SUBTYPES = {16: "PCM_16", 24: "PCM_24"}


def tone(frames: int, sample_rate: int, *, seed: int, hz: float = 440.0,
         bass: bool = False, level: float = 0.25) -> np.ndarray:
    """A stereo test signal: a tone (and a 60 Hz bass when ``bass``) with a little noise,
    a distinct first and last sample so that a track's edges can be found in an image."""
    t = np.arange(frames) / sample_rate
    rng = np.random.default_rng(seed)
    mono = level * np.sin(2 * np.pi * hz * t) + 0.01 * rng.standard_normal(frames)
    if bass:
        mono = 0.2 * mono + 0.6 * np.sin(2 * np.pi * 60 * t)
    data = np.stack([mono, 0.8 * mono], axis=1)
    data[0] = (0.5, -0.5)
    data[-1] = (-0.25, 0.25)
    return data


def write_audio(path: Path, seconds: float, *, sample_rate: int = 44100, bits: int = 16,
                seed: int = 1, channels: int = 2, **kw) -> Path:
    frames = int(round(seconds * sample_rate))
    data = tone(frames, sample_rate, seed=seed, **kw)[:, :channels]
    sf.write(str(path), data, sample_rate, subtype=SUBTYPES[bits], format="WAV")
    return path


def plan(tmp: Path, medium: str, lengths: list[float], *, gaps: list[str] | None = None,
         isrcs: list[str] | None = None, titles: list[str] | None = None,
         sides: list[str] | None = None, catalog: str = "036000291452",
         sample_rate: int | None = None, bits: int | None = None, mastered: bool = True,
         settings: dict | None = None, bass: list[bool] | None = None,
         credits: dict | None = None, title: str = "Popeye the Sailor") -> ReleasePlan:
    """A plan of ``len(lengths)`` tracks on ``medium`` with mastered files in ``tmp``."""
    rules = medium_rules(medium, settings)
    sample_rate = sample_rate or rules.sample_rate
    bits = bits or rules.bits
    tracks = []
    for i, seconds in enumerate(lengths):
        path = None
        if mastered:
            path = write_audio(tmp / f"m{i + 1}.wav", seconds, sample_rate=sample_rate,
                               bits=bits, seed=i + 1, hz=220.0 * (i + 1),
                               bass=bool(bass and bass[i]))
        tracks.append(PlanTrack(
            position=i + 1, side=(sides[i] if sides else ""), key=f"1M{i + 1}",
            title=(titles[i] if titles else f"Track {i + 1}"), cue=f"1M{i + 1}",
            kind="cue", isrc=(isrcs[i] if isrcs else f"USRC1760{i + 1:04d}"), pinned="",
            gap_seconds=Fraction(gaps[i] if gaps else ("0" if i == 0 else "2")),
            audio=path, frames=int(round(seconds * sample_rate)), sample_rate=sample_rate,
            channels=2, loudness_lufs=-16.0, true_peak_dbtp=-1.5,
            mastered={"frames": int(round(seconds * sample_rate)),
                      "sample_rate": sample_rate, "bits": bits, "gain_db": 1.0,
                      "loudness_lufs": -14.2 - i * 0.5, "true_peak_dbtp": -1.1}
            if mastered else {}, mastered_audio=path))
    return ReleasePlan(
        album_number=1, title=title, artist="The Fleischer Studio Orchestra",
        label_name="Thimble Theatre Records", catalog=catalog, medium=rules,
        settings=dict(settings or {}),
        credits=credits if credits is not None else {
            "composer": ["Sammy Timberg"], "conductor": ["Lou Fleischer"],
            "orchestra": ["The Fleischer Studio Orchestra"],
            "orchestrator": ["Winston Sharples", "Sammy Lerner"],
            "recording_engineer": ["Max Fleischer"], "music_editor": ["Dave Fleischer"]},
        film_title="Popeye the Sailor Meets Sindbad", composer="Sammy Timberg",
        tracks=tuple(tracks))
