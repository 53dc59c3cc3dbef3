"""Loudness of review audio: ITU-R BS.1770 integrated loudness (pyloudnorm), normalising
under a sample-peak ceiling, and 24-bit quantisation with TPDF dither (pure numpy).

Samples are float arrays in full-scale units (1.0 = 0 dBFS), shape (n,) or (n, channels).
``integrated_lufs`` is pyloudnorm's BS.1770-4 meter (K-weighting, 400 ms blocks, absolute
gate -70 LUFS, relative gate -10 LU); checked in the tests against EBU Tech 3341's first
case.  The ceiling is on *sample* peaks, not true peak (no oversampling): a true-peak
meter can read up to about 0.5 dB higher on bright material, so -1 dBFS sample peak is
"true-peak-ish".  soundfile clips on write and has no dither (FIELD-NOTES), hence
``to_pcm24``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from filmscore.errors import InputError

PCM24_MAX = 2**23 - 1
MIN_SECONDS = 0.4  # one BS.1770 gating block


def _as_2d(samples: np.ndarray) -> np.ndarray:
    data = np.asarray(samples, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] > 5:
        raise InputError("samples must be (frames,) or (frames, channels)", field="samples",
                         value=f"shape {np.shape(samples)}", valid="1 to 5 channels")
    return data


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770-4 via pyloudnorm); -inf for silence."""
    import pyloudnorm

    data = _as_2d(samples)
    if data.shape[0] < MIN_SECONDS * rate:
        raise InputError("too short to measure loudness", field="samples",
                         value=f"{data.shape[0] / rate:.3f} s",
                         valid=f"at least {MIN_SECONDS} s (one BS.1770 block)")
    with np.errstate(divide="ignore"):
        value = pyloudnorm.Meter(rate).integrated_loudness(data if data.shape[1] > 1
                                                           else data[:, 0])
    return float(value)


def peak_dbfs(samples: np.ndarray) -> float:
    """Sample peak in dBFS (-inf for silence)."""
    peak = float(np.max(np.abs(samples))) if np.size(samples) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


@dataclass(frozen=True)
class Normalised:
    """The result of :func:`normalise`: samples, the gain applied, loudness and peak after,
    and whether the peak ceiling held the gain below the loudness target."""

    samples: np.ndarray
    gain_db: float
    loudness_lufs: float
    peak_dbfs: float
    peak_limited: bool


def normalise(samples: np.ndarray, rate: int, target_lufs: float,
              peak_ceiling_dbfs: float = -1.0) -> Normalised:
    """Scale ``samples`` to ``target_lufs`` integrated, unless that would put a sample
    peak above ``peak_ceiling_dbfs``: then the gain stops at the ceiling (no limiter, no
    compression: the level is lowered, the dynamics kept) and the loudness reached is
    reported.  InputError for silence (nothing to normalise)."""
    if not -70 < target_lufs <= 0:
        raise InputError("loudness target out of range", field="loudness_lufs",
                         value=str(target_lufs), valid="-70 to 0 LUFS (-23 is EBU R128)")
    if peak_ceiling_dbfs > 0:
        raise InputError("peak ceiling above full scale", field="peak_ceiling_dbfs",
                         value=str(peak_ceiling_dbfs), valid="0 dBFS or below (-1 is usual)")
    data = np.asarray(samples)
    if not np.issubdtype(data.dtype, np.floating):
        data = data.astype(np.float64)
    before = integrated_lufs(data, rate)
    peak = peak_dbfs(data)
    if not math.isfinite(before):
        raise InputError("the audio is silent (below the -70 LUFS gate)", field="samples",
                         valid="audio with sound in it")
    gain_db = target_lufs - before
    limited = peak + gain_db > peak_ceiling_dbfs
    if limited:
        gain_db = peak_ceiling_dbfs - peak
    out = data * data.dtype.type(10 ** (gain_db / 20))
    return Normalised(out, gain_db, before + gain_db, peak + gain_db, limited)


def to_pcm24(samples: np.ndarray, dither: bool = True, *,
             rng: np.random.Generator | None = None) -> np.ndarray:
    """Float samples (1.0 = full scale) -> 24-bit integers in int32 (-2**23 .. 2**23-1),
    with TPDF dither of +-1 LSB (the difference of two uniform 1-LSB noises) before rounding
    when ``dither``; values past full scale are clipped (normalise first)."""
    data = np.asarray(samples)
    out = np.empty(data.shape, dtype=np.int32)
    flat_in, flat_out = data.reshape(-1), out.reshape(-1)
    rng = rng or np.random.default_rng()
    step = 1 << 18  # chunks that stay in cache
    for lo in range(0, flat_in.size, step):
        chunk = flat_in[lo:lo + step].astype(np.float64) * (PCM24_MAX + 1)
        if dither:  # u1 - u2, both uniform on [0, 1): triangular on (-1, 1) LSB
            noise = rng.random((2, chunk.size), dtype=np.float32)
            chunk += noise[0]
            chunk -= noise[1]
        np.rint(chunk, out=chunk)
        np.clip(chunk, -PCM24_MAX - 1, PCM24_MAX, out=chunk)
        flat_out[lo:lo + step] = chunk
    return out


def from_pcm24(samples: np.ndarray) -> np.ndarray:
    """24-bit integers (int32) -> float samples (1.0 = full scale)."""
    return np.asarray(samples, dtype=np.float64) / (PCM24_MAX + 1)
