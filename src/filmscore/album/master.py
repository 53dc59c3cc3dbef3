"""Mastering, pure: gain to a loudness target (per track, or one gain for the album), a
true-peak limiter with look-ahead, sample-rate conversion (soxr) and TPDF dither, each
file streamed in blocks (a 10-minute track never sits in memory).

A track goes through two passes over its file:

1. **measure** (``analyse``): the EBU Mode meter (``mixing.ebu_meter``) gives its
   integrated loudness, true peak, loudness range and its 400 ms gating blocks (so that
   an album's loudness can be gated over all its tracks' blocks together);
2. **render** (``render``): gain -> sample-rate conversion (``soxr.ResampleStream``,
   'VHQ', when the release rate differs: 48 kHz -> 44.1 kHz for CD; the length made
   exactly ``round(frames * out / in)``) -> the limiter -> quantisation to the release's
   bits (16 bits with TPDF dither, 24 bits plain rounding) -> a Broadcast WAV
   (``formats.bwf.BwfWriter``, written to a temporary name) -> the meter again, on
   exactly the samples written.

**The limiter** (``TruePeakLimiter``) works on the signal at the release rate.  For every
sample it finds the peak of the 4x-oversampled signal around it (the true-peak meter's
own interpolator, ``mixing.meter._interpolator``) and the gain (dB) that brings it to the
threshold; the gain curve is the minimum of that over the next ``lookahead`` samples
(3 ms), released at a constant ``release_db_per_s`` (a slew limit, computed as a running
minimum), then smoothed by a moving average as long as the look-ahead (the attack: a
ramp over 3 ms that reaches the needed gain exactly when the peak arrives; the average of
values none above the need cannot exceed it).  The audio is delayed by the look-ahead
(the output is as long as the input: the delay is taken off the start and the end
flushed).  The threshold sits ``margin_db`` under the ceiling, and the result is
measured: when its true peak is still above the ceiling the pass is made again with a
larger margin.

**Gain**: track mode puts each track's integrated loudness on the target; album mode
measures the album's integrated loudness over all the tracks' blocks and gives every
track the same gain, so their relative levels stay.  When the limiter, or the
conversion (what lay above the release's Nyquist frequency is gone), takes the loudness
off the target by more than 0.05 LU, the gain is corrected by the difference and the
render repeated (at most ``MAX_PASSES`` times); the gain is not raised once the limiter
takes more than ``MAX_LIMITING_DB`` (6 dB): the track is left under the target, which
the report shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from filmscore.errors import InputError, ParseError
from filmscore.mixing.ebu_meter import EbuMeasured, EbuMeter
from filmscore.mixing.meter import _interpolator, gated_loudness

BLOCK_FRAMES = 65536
LOOKAHEAD_MS = 3.0
RELEASE_DB_PER_S = 30.0
MARGIN_DB = 0.05
MAX_PASSES = 4
#: the gain is not raised towards the target past this much limiting (dB)
MAX_LIMITING_DB = 6.0
#: rates soxr is asked to convert between (the release rates and what mixes come in)
RATES = (44100, 48000, 88200, 96000, 176400, 192000)
BITS = (16, 24)


@dataclass(frozen=True)
class Analysis:
    """What the first pass measured of a source file."""

    path: Path
    sample_rate: int
    channels: int
    frames: int
    measured: EbuMeasured
    #: the weighted mean squares of its 400 ms gating blocks, every 100 ms
    block_powers: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class Mastered:
    """What mastering did to one track: the file written and the numbers for the
    mastering report (``limiter_db``: the largest gain reduction, <= 0)."""

    path: Path
    frames: int
    sample_rate: int
    bits: int
    gain_db: float
    limiter_db: float
    loudness_before_lufs: float
    true_peak_before_dbtp: float
    loudness_lufs: float
    true_peak_dbtp: float
    loudness_range_lu: float
    passes: int
    #: the 400 ms gating blocks of what was written (an album's loudness after)
    block_powers: np.ndarray | None = field(default=None, repr=False, compare=False)


def _open(path: Path):
    import soundfile

    try:
        return soundfile.SoundFile(str(path))
    except (RuntimeError, OSError) as exc:
        raise ParseError(f"not a readable audio file: {exc}", source=str(path)) from None


def _blocks(handle, frames: int = BLOCK_FRAMES):
    while True:
        block = handle.read(frames=frames, dtype="float64", always_2d=True)
        if not block.shape[0]:
            return
        yield block


def analyse(path: str | Path) -> Analysis:
    """First pass: the EBU Mode readings of ``path`` and its gating blocks."""
    path = Path(path)
    with _open(path) as handle:
        meter = EbuMeter(handle.samplerate, handle.channels)
        for block in _blocks(handle):
            meter.feed(block)
        return Analysis(path, handle.samplerate, handle.channels, meter.frames,
                        meter.result(), meter.block_powers())


def album_loudness(analyses: Sequence[Analysis]) -> float:
    """Integrated loudness of an album: BS.1770 gating over all its tracks' blocks."""
    if not analyses:
        return -math.inf
    return gated_loudness(np.concatenate([a.block_powers for a in analyses]))


def check_rate(sample_rate: int, release_rate: int, source: str = "") -> None:
    """InputError when soxr is not asked to convert ``sample_rate`` (naming both)."""
    for rate, what in ((sample_rate, "audio"), (release_rate, "release")):
        if rate not in RATES:
            raise InputError(f"cannot master {what} at this sample rate", source=source or None,
                             field="sample_rate", value=str(rate),
                             valid=", ".join(f"{r} Hz" for r in RATES))


# --- the limiter ----------------------------------------------------------------------


class TruePeakLimiter:
    """A look-ahead limiter on the 4x-oversampled peak (see the module's text), fed
    block by block; what comes out is delayed, :meth:`flush` gives the rest, and the
    output is exactly as long as the input."""

    def __init__(self, sample_rate: int, channels: int, threshold_dbtp: float, *,
                 lookahead_ms: float = LOOKAHEAD_MS,
                 release_db_per_s: float = RELEASE_DB_PER_S) -> None:
        self.channels = channels
        self.threshold_db = threshold_dbtp
        self.factor, self._phases = _interpolator(sample_rate)
        self.taps = self._phases.shape[1]
        self.delay = (self.taps - 1) // 2  # the interpolator's centre, in input samples
        self.look = max(2, int(round(lookahead_ms * sample_rate / 1000)))
        self.release = release_db_per_s / sample_rate
        self.reduction_db = 0.0  # the largest gain reduction so far (<= 0)
        # the input kept: global index of buf[0]; zeros before the start
        self._pad = 2 * self.look + self.taps
        self._buf = np.zeros((self._pad, channels))
        self._first = -self._pad
        # next output index: the gain is computed from before the start (where the
        # ramp down to a peak on the first sample must begin); those outputs are dropped
        self._out = -(self.look - 1)
        self._end: int | None = None  # the input's length, once flushed
        self._r_tail = np.zeros(self.look - 1)  # released gain (dB) before _out
        self._taken = 0  # input samples fed

    def _envelope(self, seg: np.ndarray) -> np.ndarray:
        """Peak of the oversampled signal at and just after each sample of ``seg``
        (index m covers m, m + 1/4, m + 1/2, m + 3/4); NaN-free, 0 where not computed."""
        n = seg.shape[0]
        env = np.abs(seg).max(axis=1)
        if self.factor == 1 or n < self.taps:
            return env
        over = np.zeros(n)
        for c in range(self.channels):
            line = np.ascontiguousarray(seg[:, c])
            for h in self._phases:
                y = np.abs(np.convolve(line, h, "valid"))  # y[i] ~ seg(i + delay + p/4)
                over[self.delay:self.delay + y.size] = np.maximum(
                    over[self.delay:self.delay + y.size], y)
        return np.maximum(env, over)

    def feed(self, block: np.ndarray) -> np.ndarray:
        data = np.asarray(block, dtype=np.float64)
        if data.ndim == 1:
            data = data[:, None]
        self._taken += data.shape[0]
        self._buf = np.concatenate([self._buf, data])
        return self._emit()

    def flush(self) -> np.ndarray:
        self._end = self._taken
        self._buf = np.concatenate([self._buf, np.zeros((self.look + self.taps + 1,
                                                         self.channels))])
        return self._emit()

    def _emit(self) -> np.ndarray:
        from scipy.ndimage import minimum_filter1d

        last = self._first + self._buf.shape[0]  # one past the last input held
        # outputs [o, o2) need the envelope up to o2 + look - 1, i.e. inputs up to
        # o2 + look - 1 + delay + 1
        o, o2 = self._out, last - self.look - self.delay - 1
        if self._end is not None:
            o2 = min(o2, self._end)
        if o2 <= o:
            return np.zeros((0, self.channels))
        # segment of input from g0: the gain from o - look + 1 needs inputs from there
        # minus the interpolator's reach back
        g0 = max(self._first, o - self.look + 1 - self.taps)
        seg = self._buf[g0 - self._first:]
        env = self._envelope(seg)
        with np.errstate(divide="ignore"):
            need = np.minimum(0.0, self.threshold_db - 20 * np.log10(np.maximum(env, 1e-12)))
        # look-ahead minimum: ahead[n] = min(need[n .. n + look - 1])
        ahead = minimum_filter1d(need, self.look, origin=-(self.look // 2), mode="nearest")
        # the new released gains for [o, o2): r[n] = min(ahead[n], r[n-1] + release)
        a = ahead[o - g0:o2 - g0]
        start = self._r_tail[-1] if self._r_tail.size else 0.0
        idx = np.arange(1, a.size + 1) * self.release
        released = np.minimum.accumulate(np.concatenate([[start], a - idx]))[1:] + idx
        released = np.minimum(released, 0.0)
        both = np.concatenate([self._r_tail, released])
        sums = np.cumsum(np.concatenate([[0.0], both]))
        smooth = (sums[self.look:] - sums[:-self.look]) / self.look  # mean of look values
        gain_db = smooth[-released.size:] if released.size else smooth[:0]
        self.reduction_db = min(self.reduction_db, float(gain_db.min()))
        out = self._buf[o - self._first:o2 - self._first] * (10 ** (gain_db / 20))[:, None]
        self._r_tail = both[-(self.look - 1):]
        self._out = o2
        if o < 0:
            out = out[-o:]
        # drop what no later output needs
        keep_from = max(self._first, o2 - self.look - self.taps - 2)
        self._buf = self._buf[keep_from - self._first:]
        self._first = keep_from
        return out


# --- quantisation ---------------------------------------------------------------------


def tpdf(shape, rng: np.random.Generator) -> np.ndarray:
    """Triangular dither in LSB: the sum of two independent uniform values, -1 to +1."""
    return rng.random(shape) - rng.random(shape)


def quantise(block: np.ndarray, bits: int, rng: np.random.Generator | None = None
             ) -> np.ndarray:
    """Float samples (1.0 = full scale) to ``bits``-bit integers: 16 bits with TPDF
    dither (``rng``), 24 bits rounded; clipped to the integer range."""
    if bits not in BITS:
        raise InputError("unsupported bit depth", field="bits", value=str(bits),
                         valid=", ".join(map(str, BITS)))
    scale = float(2 ** (bits - 1))
    values = np.asarray(block, dtype=np.float64) * scale
    if bits == 16:
        values = values + tpdf(values.shape, rng or np.random.default_rng())
    out = np.floor(values + 0.5)
    np.clip(out, -scale, scale - 1, out=out)
    return out.astype(np.int16 if bits == 16 else np.int32)


# --- one track ------------------------------------------------------------------------


def _render_once(analysis: Analysis, out: Path, *, gain_db: float, sample_rate: int,
                 bits: int, threshold_dbtp: float, seed: int, bext,
                 progress: Callable[[int], None] | None) -> tuple[EbuMeter, float, int]:
    import soxr

    from filmscore.formats.bwf import BwfWriter

    channels = analysis.channels
    gain = 10 ** (gain_db / 20)
    convert = analysis.sample_rate != sample_rate
    stream = (soxr.ResampleStream(analysis.sample_rate, sample_rate, channels,
                                  dtype="float64", quality="VHQ") if convert else None)
    expected = (analysis.frames * sample_rate * 2 + analysis.sample_rate) \
        // (2 * analysis.sample_rate)
    limiter = TruePeakLimiter(sample_rate, channels, threshold_dbtp)
    meter = EbuMeter(sample_rate, channels)
    rng = np.random.default_rng(seed)
    scale = float(2 ** (bits - 1))
    written = 0

    def put(block: np.ndarray, writer) -> None:
        nonlocal written
        block = block[:max(0, expected - written)]
        if not block.shape[0]:
            return
        ints = quantise(block, bits, rng)
        writer.write(ints)
        meter.feed(ints / scale)
        written += block.shape[0]

    with _open(analysis.path) as handle, BwfWriter(out, sample_rate, channels, bits=bits,
                                                   bext=bext) as writer:
        done = 0
        for block in _blocks(handle):
            block = block * gain
            if stream is not None:
                block = stream.resample_chunk(block, last=False)
            put(limiter.feed(block), writer)
            done += block.shape[0]
            if progress is not None:
                progress(handle.tell())
        if stream is not None:
            tail = stream.resample_chunk(np.zeros((0, channels)), last=True)
            put(limiter.feed(tail), writer)
        put(limiter.flush(), writer)
        if written < expected:  # soxr rounds its length: pad the last samples
            pad = np.zeros((expected - written, channels))
            put(pad, writer)
    return meter, limiter.reduction_db, written


def render(analysis: Analysis, out: str | Path, *, gain_db: float, sample_rate: int,
           bits: int, ceiling_dbtp: float, seed: int = 0, bext=None,
           target_lufs: float | None = None,
           progress: Callable[[int], None] | None = None) -> Mastered:
    """Second pass: ``analysis.path`` with ``gain_db``, at ``sample_rate`` and ``bits``,
    its true peak at most ``ceiling_dbtp``, written to ``out`` (atomically).  With
    ``target_lufs`` the gain is corrected until the result is on it (within 0.05 LU).
    Raises InputError when the ceiling cannot be met."""
    out = Path(out)
    check_rate(analysis.sample_rate, sample_rate, str(analysis.path))
    if bits not in BITS:
        raise InputError("unsupported bit depth", field="bits", value=str(bits),
                         valid=", ".join(map(str, BITS)))
    margin, gain, passes = MARGIN_DB, gain_db, 0
    for _ in range(MAX_PASSES):
        passes += 1
        meter, reduction, frames = _render_once(
            analysis, out, gain_db=gain, sample_rate=sample_rate, bits=bits,
            threshold_dbtp=ceiling_dbtp - margin, seed=seed, bext=bext, progress=progress)
        measured = meter.result()
        over = measured.true_peak_dbtp - ceiling_dbtp
        short = (target_lufs - measured.integrated_lufs
                 if target_lufs is not None and math.isfinite(measured.integrated_lufs)
                 else 0.0)
        if over > 0:
            margin += over + 0.05
        elif abs(short) > 0.05 and not (short > 0 and reduction < -MAX_LIMITING_DB):
            # the limiter took some off, or the conversion did (what lay above the new
            # Nyquist frequency is gone); but more gain into a limiter already taking
            # MAX_LIMITING_DB would only crush the music: left short, and reported
            gain += short
        else:
            break
    else:
        if measured.true_peak_dbtp > ceiling_dbtp:
            raise InputError("the limiter could not keep the true peak under the ceiling",
                             source=str(analysis.path), field="true_peak_dbtp",
                             value=f"{measured.true_peak_dbtp:.2f} dBTP",
                             valid=f"at most {ceiling_dbtp:.1f} dBTP")
    return Mastered(out, frames, sample_rate, bits, gain, reduction,
                    analysis.measured.integrated_lufs, analysis.measured.true_peak_dbtp,
                    measured.integrated_lufs, measured.true_peak_dbtp,
                    measured.loudness_range_lu, passes, meter.block_powers())


def gains(analyses: Sequence[Analysis], target_lufs: float, mode: str) -> list[float]:
    """The gain (dB) of each track: to the target one by one (``track``), or one gain
    that puts the album's loudness on the target (``album``).  A silent track (no
    loudness) gets 0 dB in track mode."""
    from filmscore.album.vocabulary import MASTER_MODES

    if mode not in MASTER_MODES:
        raise InputError("unknown mastering mode", field="mode", value=mode,
                         valid=", ".join(MASTER_MODES))
    if mode == "album":
        loud = album_loudness(analyses)
        common = target_lufs - loud if math.isfinite(loud) else 0.0
        return [common] * len(analyses)
    return [target_lufs - a.measured.integrated_lufs
            if math.isfinite(a.measured.integrated_lufs) else 0.0 for a in analyses]


def master_files(sources: Sequence[str | Path], outs: Sequence[str | Path], *,
                 target_lufs: float, ceiling_dbtp: float, sample_rate: int, bits: int,
                 mode: str = "track", bexts: Sequence | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Mastered]:
    """Master ``sources`` into ``outs`` (one each, in order): measure all, choose the
    gains (``gains``), render each.  In album mode the common gain is corrected when the
    album's loudness after is off the target, and the tracks rendered again."""
    analyses = [analyse(s) for s in sources]
    for a in analyses:
        check_rate(a.sample_rate, sample_rate, str(a.path))
    chosen = gains(analyses, target_lufs, mode)
    results: list[Mastered] = []
    for _ in range(MAX_PASSES):
        results = []
        for i, (analysis, out, gain) in enumerate(zip(analyses, outs, chosen, strict=True)):
            results.append(render(analysis, out, gain_db=gain, sample_rate=sample_rate,
                                  bits=bits, ceiling_dbtp=ceiling_dbtp, seed=i,
                                  bext=bexts[i] if bexts else None,
                                  target_lufs=target_lufs if mode == "track" else None))
            if progress is not None:
                progress(i + 1, len(analyses))
        if mode != "album":
            break
        after = _album_after(results)
        short = target_lufs - after
        crushed = any(r.limiter_db < -MAX_LIMITING_DB for r in results)
        if not (math.isfinite(after) and abs(short) > 0.05) or (short > 0 and crushed):
            break
        chosen = [g + short for g in chosen]
    return results


def _album_after(results: Sequence[Mastered]) -> float:
    powers = [r.block_powers for r in results if r.block_powers is not None]
    return gated_loudness(np.concatenate(powers)) if powers else -math.inf
