"""What a candidate's audio measures (one streamed pass over the file): its length and
format, integrated loudness and true peak (BS.1770, :class:`filmscore.mixing.meter.Meter`,
the meter ``measure_file`` uses), and its bass share, the energy under :data:`BASS_HZ`
over the whole energy (a 4th-order Butterworth low pass, its state carried from block to
block); and the mean tempo of a tempo map."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from filmscore.sync.tempomap import TempoMap

#: the bass share counts the energy below this frequency
BASS_HZ = 150


@dataclass(frozen=True)
class AudioFacts:
    frames: int
    sample_rate: int
    channels: int
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    bass_share: float | None


def _finite(value: float) -> float | None:
    return round(float(value), 3) if value is not None and math.isfinite(value) else None


def measure_audio(path: str | Path, *, block_frames: int = 65536) -> AudioFacts:
    """Length, loudness (BS.1770), true peak and bass share of an audio file, in one
    streamed pass."""
    import soundfile
    from scipy import signal

    from filmscore.errors import ParseError
    from filmscore.mixing.meter import CHANNEL_WEIGHTS, Meter

    try:
        handle = soundfile.SoundFile(str(path))
    except (RuntimeError, OSError) as exc:
        raise ParseError(f"not a readable audio file: {exc}", source=str(path)) from None
    with handle:
        rate, channels = handle.samplerate, handle.channels
        # a layout without BS.1770 weights (4 channels...) is measured as equal channels
        weights = None if channels in CHANNEL_WEIGHTS else (1.0,) * channels
        meter = Meter(rate, channels, weights)
        sos = signal.butter(4, BASS_HZ, "low", fs=rate, output="sos")
        zi = np.zeros((sos.shape[0], 2, channels))
        low = total = 0.0
        while True:
            block = handle.read(frames=block_frames, dtype="float64", always_2d=True)
            if not block.shape[0]:
                break
            meter.feed(block)
            filtered, zi = signal.sosfilt(sos, block, axis=0, zi=zi)
            low += float(np.sum(filtered * filtered))
            total += float(np.sum(block * block))
    result = meter.result()
    share = min(1.0, low / total) if total > 0 else None
    return AudioFacts(result.frames, rate, channels, _finite(result.loudness_lufs),
                      _finite(result.true_peak_dbtp),
                      round(share, 4) if share is not None else None)


def mean_tempo(tmap: TempoMap | None) -> float | None:
    """Beats per minute over the clicked bars (free time left out)."""
    if tmap is None:
        return None
    beats, seconds = 0, Fraction(0)
    for seg in tmap.segments:
        if seg.is_free:
            continue
        beats += seg.beats
        seconds += seg.duration(tmap.rate)
    return round(float(beats * 60 / seconds), 3) if seconds else None
