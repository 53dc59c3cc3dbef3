"""The 'EBU Mode' loudness meter (EBU Tech 3341 and Tech 3342), fed block by block:
momentary and short-term loudness as time series and their maxima, integrated loudness,
the loudness range, true peak and sample peak.

Every channel is K-weighted once (``meter.k_weighting``), squared, weighted
(``meter.CHANNEL_WEIGHTS``: L R C 1.0, Ls Rs 1.41, LFE left out) and summed to one power
per sample; the powers are summed over **10 ms steps** (a tenth of the 100 ms hop,
``(rate + 5) // 10`` samples; step *i* starts at sample ``round(i * hop / 10)``, so a
window of 40 or 300 steps is always exactly 4 or 30 hops long).  From the steps:

- **momentary** loudness M: the mean power over the last 400 ms (40 steps), every 10 ms;
  **short-term** S: over the last 3 s (300 steps), every 10 ms.  The maxima are taken over
  every 10 ms step: Tech 3341's cases 10 and 13 (a single 3 s or 0.4 s burst at an
  offset no update grid can assume) need it; at the 100 ms a meter may display, a 0.4 s
  burst midway between two updates reads up to 0.6 dB low (libebur128's authors found
  the same: its max-momentary test needs a 100 Hz update).  The **series** (what a meter
  shows, and what the loudness range is computed from) are every 100 ms: value *k* of the
  momentary series is the window ending at ``(k + 4) * hop`` samples, of the short-term
  series at ``(k + 30) * hop``; no value before its window is full.
- **integrated** loudness I: BS.1770-4 gating over the momentary values at 100 ms
  (400 ms blocks overlapping by 75 %): the same blocks, and the same number within
  rounding, as ``meter.LoudnessMeter``.
- **loudness range** LRA per Tech 3342: the short-term values every 100 ms (an overlap
  of 2.9 s, the minimum v3 of 3342 asks for), those above the absolute gate of -70 LUFS,
  then above the relative gate 20 LU under their power mean, and the difference between
  the 95th and the 10th percentile of what is left (the nearest-rank percentiles of the
  EBU's reference code: sorted values at ``round((n - 1) * p)``).  0 LU when nothing
  passes the gates.
- **true peak** and sample peak: ``meter.PeakMeter`` (4x oversampled, BS.1770-4 Annex 2).

Memory: the last 299 steps, and two floats per 100 ms for the series (160 bytes a
second: 1 MB for a 100-minute score).  Samples are float in full-scale units, shape
(n, channels).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import signal

from filmscore.mixing.meter import (
    PeakMeter,
    _block,
    _weights,
    db,
    gated_loudness,
    k_weighting,
)

#: 10 ms steps in a 100 ms hop
STEPS_PER_HOP = 10
MOMENTARY_HOPS = 4  # 400 ms
SHORT_TERM_HOPS = 30  # 3 s
LRA_ABSOLUTE_GATE_LUFS = -70.0
LRA_RELATIVE_GATE_LU = -20.0
LRA_LOW_PERCENTILE = 0.10
LRA_HIGH_PERCENTILE = 0.95


def lufs(power: float | np.ndarray) -> float | np.ndarray:
    """Loudness (LUFS) of a weighted mean square: -0.691 + 10 log10 (-inf for 0)."""
    with np.errstate(divide="ignore"):
        out = -0.691 + 10 * np.log10(power)
    return float(out) if np.ndim(out) == 0 else out


def loudness_range(short_term_lufs) -> float:
    """EBU Tech 3342 loudness range (LU) of short-term loudness values (3 s windows,
    taken at least every 100 ms): gated at -70 LUFS absolute and 20 LU under the power
    mean of what passed, then the 95th percentile less the 10th (nearest rank)."""
    values = np.asarray(short_term_lufs, dtype=np.float64)
    values = values[values > LRA_ABSOLUTE_GATE_LUFS]
    if not values.size:
        return 0.0
    relative = 10 * math.log10(float(np.mean(10 ** (values / 10)))) + LRA_RELATIVE_GATE_LU
    kept = np.sort(values[values >= relative])
    n = kept.size
    low = kept[int(math.floor((n - 1) * LRA_LOW_PERCENTILE + 0.5))]
    high = kept[int(math.floor((n - 1) * LRA_HIGH_PERCENTILE + 0.5))]
    return float(high - low)


@dataclass(frozen=True)
class EbuMeasured:
    """What :class:`EbuMeter` measured (-inf for a loudness that never had a full window
    or passed no gate; NaN for a true peak not measured)."""

    integrated_lufs: float
    momentary_max_lufs: float
    short_term_max_lufs: float
    loudness_range_lu: float
    true_peak_dbtp: float
    sample_peak_dbfs: float
    frames: int


class EbuMeter:
    """'EBU Mode' meter (see the module's text), fed block by block.

        meter = EbuMeter(48000, 2)
        for block in blocks:              # float (n, 2), any n
            meter.feed(block)
        meter.result()                    # EbuMeasured: I, M max, S max, LRA, TP
        meter.short_term_lufs()           # the S series, every 100 ms
    """

    def __init__(self, sample_rate: int, channels: int,
                 weights: tuple[float, ...] | None = None, *, true_peak: bool = True) -> None:
        self.sample_rate, self.channels = sample_rate, channels
        self.weights = _weights(channels, weights)
        self._sos = k_weighting(sample_rate)
        self._zi = np.zeros((self._sos.shape[0], 2, channels))
        self.hop = (sample_rate + 5) // 10
        self.peaks = PeakMeter(sample_rate, channels, true_peak=true_peak)
        self.frames = 0
        self._step = 0  # index of the step being filled
        self._partial = 0.0  # its power so far
        self._recent = np.zeros(0)  # the last closed steps (at most 299)
        self._momentary_max = 0.0
        self._short_max = 0.0
        self._since = [0.0, 0.0, False, False]  # maxima since reset_maxima(), and seen
        self._momentary: list[float] = []  # power, every 100 ms
        self._short: list[float] = []

    def _boundary(self, step: np.ndarray | int):
        """First sample of ``step``: round(step * hop / 10), half up, in integers."""
        return (2 * np.asarray(step, dtype=np.int64) * self.hop + STEPS_PER_HOP) \
            // (2 * STEPS_PER_HOP)

    def feed(self, block: np.ndarray) -> None:
        data = _block(block, self.channels)
        n = data.shape[0]
        if not n:
            return
        self.peaks.feed(data)
        weighted, self._zi = signal.sosfilt(self._sos, data, axis=0, zi=self._zi)
        power = (weighted * weighted) @ self.weights
        start, end = self.frames, self.frames + n
        self.frames = end
        # the steps that close in this block: boundaries b_j with start < b_j <= end
        last = (end * STEPS_PER_HOP) // self.hop + 2
        js = np.arange(self._step + 1, last + 1)
        bounds = self._boundary(js)
        js, bounds = js[bounds <= end], bounds[bounds <= end]
        running = np.concatenate([[0.0], np.cumsum(power)])
        if not js.size:
            self._partial += running[-1]
            return
        at = bounds - start
        sums = np.diff(running[at], prepend=0.0)
        sums[0] += self._partial
        self._partial = running[-1] - running[at[-1]]
        self._close(sums, first_index=self._step)
        self._step = int(js[-1])

    def _close(self, sums: np.ndarray, first_index: int) -> None:
        """Steps ``first_index ..`` closed with powers ``sums``: update the maxima and
        the 100 ms series."""
        keep = STEPS_PER_HOP * SHORT_TERM_HOPS - 1
        steps = np.concatenate([self._recent, sums])
        before = self._recent.size
        running = np.concatenate([[0.0], np.cumsum(steps)])
        index = np.arange(first_index, first_index + sums.size)  # global step index
        ends = np.arange(before, before + sums.size) + 1  # in ``running``
        for hops, best, series in ((MOMENTARY_HOPS, "_momentary_max", self._momentary),
                                   (SHORT_TERM_HOPS, "_short_max", self._short)):
            width = hops * STEPS_PER_HOP
            full = index + 1 >= width  # windows that are complete
            if not full.any():
                continue
            e = ends[full]
            mean = (running[e] - running[e - width]) / (hops * self.hop)
            mean = np.maximum(mean, 0.0)  # rounding of the differences
            top = float(mean.max())
            setattr(self, best, max(getattr(self, best), top))
            slot = 0 if hops == MOMENTARY_HOPS else 1
            self._since[slot] = max(self._since[slot], top)
            self._since[slot + 2] = True
            on_hop = (index[full] + 1) % STEPS_PER_HOP == 0
            series.extend(mean[on_hop].tolist())
        self._recent = steps[-keep:]

    # --- readings ----------------------------------------------------------------------

    def momentary_lufs(self) -> np.ndarray:
        """Momentary loudness every 100 ms (value k: the 400 ms ending at (k + 4) hops)."""
        return lufs(np.asarray(self._momentary, dtype=np.float64))

    def short_term_lufs(self) -> np.ndarray:
        """Short-term loudness every 100 ms (value k: the 3 s ending at (k + 30) hops)."""
        return lufs(np.asarray(self._short, dtype=np.float64))

    def block_powers(self) -> np.ndarray:
        """The weighted mean squares of the 400 ms gating blocks, every 100 ms (what
        ``meter.gated_loudness`` takes: an album's loudness gates all its tracks')."""
        return np.asarray(self._momentary, dtype=np.float64)

    @property
    def momentary_max_lufs(self) -> float:
        return lufs(self._momentary_max) if self._momentary else -math.inf

    @property
    def short_term_max_lufs(self) -> float:
        return lufs(self._short_max) if self._short else -math.inf

    def reset_maxima(self) -> tuple[float, float]:
        """The momentary and short-term maxima (LUFS) since the last call (or the start),
        and start anew: a meter's 'reset max' button (the overall maxima stay)."""
        m, s, seen_m, seen_s = self._since
        self._since = [0.0, 0.0, False, False]
        return (lufs(m) if seen_m else -math.inf), (lufs(s) if seen_s else -math.inf)

    def integrated(self) -> float:
        """Integrated loudness (LUFS), BS.1770-4 gating."""
        return gated_loudness(self._momentary)

    def loudness_range(self) -> float:
        """Loudness range (LU), EBU Tech 3342."""
        return loudness_range(self.short_term_lufs())

    def result(self) -> EbuMeasured:
        true = self.peaks.true_peak_dbtp if self.peaks.true_peak_on else math.nan
        return EbuMeasured(self.integrated(), self.momentary_max_lufs,
                           self.short_term_max_lufs, self.loudness_range(), true,
                           db(self.peaks.sample_peak), self.frames)


def measure_ebu_file(path, *, block_frames: int = 65536,
                     weights: tuple[float, ...] | None = None,
                     true_peak: bool = True) -> EbuMeasured:
    """EBU Mode readings of an audio file, read in blocks (soundfile)."""
    import soundfile

    from filmscore.errors import ParseError

    try:
        handle = soundfile.SoundFile(str(path))
    except (RuntimeError, OSError) as exc:
        raise ParseError(f"not a readable audio file: {exc}", source=str(path)) from None
    with handle:
        meter = EbuMeter(handle.samplerate, handle.channels, weights, true_peak=true_peak)
        while True:
            block = handle.read(frames=block_frames, dtype="float64", always_2d=True)
            if not block.shape[0]:
                break
            meter.feed(block)
    return meter.result()
