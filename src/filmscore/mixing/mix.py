"""A cue's mix from its stems (pure: files in, files out; no database).

**Routing.**  Every input stem (mono, stereo, or already in the layout's channels) is
routed into the layout (``mixing.vocabulary.LAYOUTS``) by a gain matrix, its ``gain_db``
applied; the percussion stem in 5.1 also feeds the LFE through a low pass.

- *Stereo: constant-power pan law, -3 dB at the centre.*  A source at position ``x``
  (-1 hard left, 0 centre, +1 hard right) goes to L with ``cos((x + 1) pi / 4)`` and to
  R with ``sin((x + 1) pi / 4)``: the two gains' squares add up to 1 wherever it is, and
  at the centre each is 0.7071 (-3 dB).  A mono stem sits at ``pan``; a stereo stem keeps
  its width: its left channel sits at ``-1 + pan`` and its right at ``+1 + pan``
  (clamped to -1..+1), so with pan 0 it is passed through unchanged, and panned right its
  left channel moves toward the centre while its right stays hard right.
- *5.1 (L R C LFE Ls Rs): a simple film-music placement* (``PLACEMENT_51``).  Each source
  channel is placed between L and R by the same law, with its stem's share of centre and
  surrounds: the centre gets ``centre`` x (1 - |x| / 2) (music is kept light in the
  dialogue channel; a hard-panned source sends half as much as a central one), the
  surrounds get ``room`` x the L/R law again (the room: the hall's reverb and width).  The
  gains are then scaled so that their squares add up to 1: a stem is as loud in 5.1 as
  in stereo.  ``pan`` moves the source as in stereo.  **LFE**: only the percussion stem
  feeds it, its channels averaged and low-passed at ``LFE_CUTOFF_HZ`` (4th-order
  Butterworth, run with carried state), at ``LFE_GAIN_DB`` (the LFE is played 10 dB hotter
  in the theatre); every other stem leaves it silent.
- A stem already in the layout's channel count is passed through (gain only, no pan).
  Any other channel count is refused, naming the file.

**Stems add up to the mix.**  The delivered stems are written in the mix's layout (a
5.1 mix has 6-channel stems) as 24-bit integers, each stem's float samples times the
master gain rounded to the nearest integer (``numpy.rint``: ties to even; no dither:
the sources are 24-bit recordings whose own noise is far above the rounding's), and the
mix is the integer **sum** of those integers, so the stems add up to the mix exactly
(not merely within one least significant bit).

**Never clipped.**  A first pass streams the routed stems and measures the true peak of
their sum (``meter.PeakMeter``, 4x oversampled) and each routed stem's sample peak; the
master gain (0 dB, or lower) is set so that the mix's true peak and every stem's sample
peak stay at or under the ceiling (default -1 dBTP), less ``CEILING_MARGIN_DB`` for the
rounding; the second pass writes the files (``formats.bwf.BwfWriter``: atomic) and
measures each file as written: loudness per BS.1770-4 and sample peak on the integers
written; the true peaks (mix and stems) are those of the first pass plus the master gain
(oversampling is linear: the written integers differ from the scaled signal by the
rounding alone, at most half a least significant bit per stem, about 1e-6 of full scale
after the interpolator: the tests check it against the meter run on the files), so the
costly oversampling runs once.

Every source is read in blocks (soundfile), never whole.  A source may start late or
early (``Source.offset``: its sample 0 is at that sample of the mix; negative cuts its
head); the mix is as long as the longest source, and shorter ones are padded with
silence, so every delivered file has the same length.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import signal

from filmscore.errors import InputError, ParseError
from filmscore.fileio import inside, safe_name
from filmscore.formats.bwf import Bext, BwfWriter
from filmscore.mixing.meter import Measured, Meter, PeakMeter, db
from filmscore.mixing.vocabulary import DEFAULT_CEILING_DBTP, LAYOUTS, STEM_NAMES

PCM24_FULL = 2**23  # 1.0 full scale in 24-bit integers
PCM24_MAX = 2**23 - 1
BLOCK_FRAMES = 65536
CEILING_MARGIN_DB = 0.001  # room for the rounding of up to 7 stems (< 1e-5 dB at -1 dBFS)
LFE_CUTOFF_HZ = 120.0
LFE_GAIN_DB = -10.0
LFE_STEM = "percussion"
GAIN_RANGE_DB = (-144.0, 24.0)

#: 5.1 placement per stem: (centre, room) amplitudes relative to the front pair, before
#: the row is scaled to unit power.  Strings and choir a little wider and wetter, the
#: winds and brass a little more present, electronics the widest (no centre).
PLACEMENT_51: dict[str, tuple[float, float]] = {
    "strings": (0.25, 0.45),
    "woodwinds": (0.35, 0.3),
    "brass": (0.3, 0.35),
    "percussion": (0.25, 0.35),
    "harp_keys": (0.3, 0.3),
    "choir": (0.3, 0.45),
    "electronics": (0.0, 0.6),
}
DEFAULT_PLACEMENT_51 = (0.3, 0.35)


@dataclass(frozen=True)
class StemSetting:
    """A stem's gain (dB) and pan (-1 left .. +1 right)."""

    gain_db: float = 0.0
    pan: float = 0.0

    def to_dict(self) -> dict:
        return {"gain_db": self.gain_db, "pan": self.pan}


def check_setting(stem: str, value: object) -> StemSetting:
    """A stem's setting from ``{"gain_db": g, "pan": p}`` (or a StemSetting); InputError
    naming the stem and the field when out of range."""
    if isinstance(value, StemSetting):
        gain, pan = value.gain_db, value.pan
    elif isinstance(value, Mapping):
        unknown = set(value) - {"gain_db", "pan"}
        if unknown:
            raise InputError(f"unknown setting of stem {stem}", field=f"{stem}",
                             value=", ".join(sorted(map(str, unknown))), valid="gain_db, pan")
        gain, pan = value.get("gain_db", 0.0), value.get("pan", 0.0)
    else:
        raise InputError(f"the setting of stem {stem} is not a mapping", field=stem,
                         value=repr(value), valid='{"gain_db": dB, "pan": -1..1}')
    try:
        gain, pan = float(gain), float(pan)
    except (TypeError, ValueError):
        raise InputError(f"stem {stem}: gain and pan must be numbers", field=stem,
                         value=f"gain_db={gain!r}, pan={pan!r}",
                         valid="numbers") from None
    low, high = GAIN_RANGE_DB
    if not (math.isfinite(gain) and low <= gain <= high):
        raise InputError(f"gain of stem {stem} out of range", field=f"{stem}.gain_db",
                         value=str(gain), valid=f"{low:g} to {high:g} dB")
    if not (math.isfinite(pan) and -1 <= pan <= 1):
        raise InputError(f"pan of stem {stem} out of range", field=f"{stem}.pan",
                         value=str(pan), valid="-1 (left) to 1 (right), 0 centre")
    return StemSetting(gain, pan)


def check_layout(layout: str) -> tuple[str, ...]:
    if layout not in LAYOUTS:
        raise InputError("unknown channel layout", field="layout", value=str(layout),
                         valid=", ".join(LAYOUTS))
    return LAYOUTS[layout]


def pan_law(x: float) -> tuple[float, float]:
    """(left, right) gains of a source at ``x`` (-1..1): constant power, -3 dB centre."""
    angle = (min(1.0, max(-1.0, x)) + 1) * math.pi / 4
    return math.cos(angle), math.sin(angle)


def _positions(channels: int, pan: float) -> list[float]:
    if channels == 1:
        return [pan]
    return [max(-1.0, min(1.0, -1 + pan)), max(-1.0, min(1.0, 1 + pan))]


def routing_matrix(stem: str, channels: int, layout: str, setting: StemSetting,
                   source: str | None = None) -> np.ndarray:
    """The (in channels, out channels) gain matrix of a stem (gain included; the LFE
    feed is separate: :class:`Router`).  InputError for a channel count it cannot route."""
    labels = check_layout(layout)
    out = len(labels)
    gain = 10 ** (setting.gain_db / 20)
    if channels == out and channels > 2:  # already in the layout (a stereo stem pans)
        return np.eye(out) * gain
    if channels not in (1, 2):
        raise InputError(f"stem {stem} has a channel count that does not fit the "
                         f"{layout} layout", source=source, field="channels",
                         value=f"{channels} channels",
                         valid="1 (mono) or 2 (stereo)" + (
                             f", or {out} ({' '.join(labels)})" if out > 2 else ""))
    matrix = np.zeros((channels, out))
    for row, x in enumerate(_positions(channels, setting.pan)):
        left, right = pan_law(x)
        if layout == "stereo":
            matrix[row] = (left, right)
        else:  # 5.1: L R C LFE Ls Rs
            centre, room = PLACEMENT_51.get(stem, DEFAULT_PLACEMENT_51)
            gains = np.array([left, right, centre * (1 - abs(x) / 2), 0.0,
                              room * left, room * right])
            matrix[row] = gains / math.sqrt(float(np.sum(gains ** 2)))
    return matrix * gain


class Router:
    """One stem's routing into the layout, block by block (the LFE filter keeps its
    state between blocks)."""

    def __init__(self, stem: str, channels: int, layout: str, setting: StemSetting,
                 sample_rate: int, source: str | None = None) -> None:
        self.stem, self.layout = stem, layout
        self.out_channels = len(check_layout(layout))
        self.matrix = routing_matrix(stem, channels, layout, setting, source)
        self._lfe = None
        if layout == "5.1" and stem == LFE_STEM and channels != self.out_channels:
            self._lfe = signal.butter(4, LFE_CUTOFF_HZ, fs=sample_rate, output="sos")
            self._zi = np.zeros((self._lfe.shape[0], 2))
            self._lfe_gain = 10 ** ((setting.gain_db + LFE_GAIN_DB) / 20)
            self._lfe_at = check_layout(layout).index("LFE")

    def route(self, block: np.ndarray) -> np.ndarray:
        out = block @ self.matrix
        if self._lfe is not None and block.shape[0]:
            low, self._zi = signal.sosfilt(self._lfe, block.mean(axis=1), zi=self._zi)
            out[:, self._lfe_at] += low * self._lfe_gain
        return out


@dataclass(frozen=True)
class Source:
    """An input file of a stem: its sample 0 lands on sample ``offset`` of the mix
    (negative: the first ``-offset`` samples are cut)."""

    path: Path
    offset: int = 0


@dataclass(frozen=True)
class MixedFile:
    """A file the mix wrote: the stem (or "mix"), where, and what was measured on it."""

    stem: str
    path: Path
    frames: int
    channels: int
    loudness_lufs: float
    true_peak_dbtp: float
    sample_peak_dbfs: float


@dataclass(frozen=True)
class MixResult:
    layout: str
    sample_rate: int
    frames: int
    master_gain_db: float
    ceiling_dbtp: float
    stems: tuple[MixedFile, ...]  # in STEM_NAMES order
    mix: MixedFile
    settings: dict = field(default_factory=dict)  # stem -> {"gain_db", "pan"}

    @property
    def files(self) -> tuple[MixedFile, ...]:
        return (*self.stems, self.mix)


class _Reader:
    """A source read block by block from mix sample 0, with its offset and the silence
    after its end."""

    def __init__(self, stem: str, source: Source, sample_rate: int) -> None:
        import soundfile

        self.path = Path(source.path)
        try:
            self.handle = soundfile.SoundFile(str(self.path))
        except (RuntimeError, OSError) as exc:
            raise ParseError(f"stem {stem}: not a readable audio file ({exc})",
                             source=str(self.path)) from None
        if self.handle.samplerate != sample_rate:
            self.handle.close()
            raise InputError(f"stem {stem} is at another sample rate", source=str(self.path),
                             field="sample_rate", value=f"{self.handle.samplerate} Hz",
                             valid=f"{sample_rate} Hz (the project's)")
        self.channels = self.handle.channels
        self.offset = source.offset
        self.start = max(0, source.offset)  # first mix sample it covers
        self.skip = max(0, -source.offset)  # samples cut from its head
        self.end = self.start + max(0, self.handle.frames - self.skip)

    def read(self, start: int, n: int) -> np.ndarray:
        """Mix samples ``start`` .. ``start + n`` of this source (float, full scale 1)."""
        out = np.zeros((n, self.channels))
        a, b = max(start, self.start), min(start + n, self.end)
        if b > a:
            self.handle.seek(self.skip + a - self.start)
            out[a - start:b - start] = self.handle.read(frames=b - a, dtype="float64",
                                                        always_2d=True)
        return out

    def close(self) -> None:
        self.handle.close()


def _open(sources: Mapping[str, Sequence[Source]], sample_rate: int
          ) -> dict[str, list[_Reader]]:
    readers: dict[str, list[_Reader]] = {}
    try:
        for stem, items in sources.items():
            readers[stem] = []
            for source in items:
                readers[stem].append(_Reader(stem, source, sample_rate))
    except BaseException:
        _close(readers)
        raise
    return readers


def _close(readers: Mapping[str, list[_Reader]]) -> None:
    for items in readers.values():
        for r in items:
            r.close()


def _routers(readers, layout, settings, sample_rate) -> dict[str, list[Router]]:
    return {stem: [Router(stem, r.channels, layout, settings.get(stem, StemSetting()),
                          sample_rate, str(r.path)) for r in items]
            for stem, items in readers.items()}


def _blocks(readers, routers, frames: int, block_frames: int):
    """(start, {stem: routed float block}) over the whole mix."""
    for start in range(0, frames, block_frames):
        n = min(block_frames, frames - start)
        yield start, {stem: sum(router.route(reader.read(start, n)) for reader, router in
                                zip(readers[stem], routers[stem], strict=True))
                      for stem in readers}


def _measured(stem: str, path: Path, meter: Meter, channels: int, true_peak: float
              ) -> MixedFile:
    m: Measured = meter.result()
    return MixedFile(stem, path, m.frames, channels, m.loudness_lufs, true_peak,
                     m.sample_peak_dbfs)


def mix_stems(sources: Mapping[str, Sequence[Source]], out_dir: str | os.PathLike[str], *,
              layout: str = "stereo", settings: Mapping[str, object] | None = None,
              sample_rate: int = 48000, ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
              names: Mapping[str, str] | None = None,
              bext: Mapping[str, Bext] | None = None,
              block_frames: int = BLOCK_FRAMES, measure_stems: bool = True) -> MixResult:
    """Mix ``sources`` (stem name -> its files) into ``out_dir``: one file per stem in
    the layout and the mix (``names``: stem or "mix" -> file name; default
    ``STEM.wav`` and ``mix.wav``; ``bext``: the bext chunk of each).
    ``measure_stems=False`` measures only the mix's loudness and true peak (the stems get
    their sample peaks; loudness and true peak NaN): several times faster.  See the module's
    text for the routing, the sum property and the ceiling."""
    labels = check_layout(layout)
    channels = len(labels)
    if not sources:
        raise InputError("nothing to mix", field="stems", value="none",
                         valid="at least one stem")
    if not (math.isfinite(ceiling_dbtp) and -60 <= ceiling_dbtp <= 0):
        raise InputError("true-peak ceiling out of range", field="ceiling_dbtp",
                         value=str(ceiling_dbtp), valid="-60 to 0 dBTP (-1 is usual)")
    empty = sorted(stem for stem, items in sources.items() if not items)
    if empty:
        raise InputError("a stem has no file", field="stems", value=", ".join(empty),
                         valid="one or more files per stem")
    chosen = {stem: check_setting(stem, value) for stem, value in (settings or {}).items()}
    unknown = sorted(set(chosen) - set(sources))
    if unknown:
        raise InputError("a setting names a stem that is not in the mix",
                         field="settings", value=", ".join(unknown),
                         valid=", ".join(s for s in STEM_NAMES if s in sources) or "none")
    order = [s for s in STEM_NAMES if s in sources] + sorted(set(sources) - set(STEM_NAMES))
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError("no such folder", source=str(out), valid="an existing folder")
    names = dict(names or {})
    bexts = dict(bext or {})
    readers = _open({s: sources[s] for s in order}, sample_rate)
    try:
        routers = _routers(readers, layout, chosen, sample_rate)  # refuses channel counts
        frames = max((r.end for items in readers.values() for r in items), default=0)
        if frames <= 0:
            raise InputError("the stems hold no audio", field="stems",
                             value=", ".join(order), valid="stems with samples")
        # pass 1: the sum's true peak and each stem's (sample and true) peak, before the
        # master gain
        mix_peak = PeakMeter(sample_rate, channels)
        stem_peaks = {s: PeakMeter(sample_rate, channels, true_peak=measure_stems)
                      for s in order}
        for _, blocks in _blocks(readers, routers, frames, block_frames):
            mix_peak.feed(sum(blocks.values()))
            for stem, block in blocks.items():
                stem_peaks[stem].feed(block)
        stem_peak = max(p.sample_peak for p in stem_peaks.values())
        top = max(mix_peak.true_peak, stem_peak)
        master_db = min(0.0, ceiling_dbtp - CEILING_MARGIN_DB - db(top)) if top > 0 else 0.0
        master = 10 ** (master_db / 20) * PCM24_FULL
        # pass 2: quantise each stem, sum the integers, write and measure every file
        routers = _routers(readers, layout, chosen, sample_rate)  # fresh filter state
        written = []
        writers = {}
        meters = {}
        try:
            for stem in [*order, "mix"]:
                path = inside(out, safe_name(names.get(stem, f"{stem}.wav"), fallback="stem.wav"))
                writers[stem] = BwfWriter(path, sample_rate, channels, bits=24,
                                          bext=bexts.get(stem))
                meters[stem] = Meter(sample_rate, channels, true_peak=False,
                                     loudness=measure_stems or stem == "mix")
            for _, blocks in _blocks(readers, routers, frames, block_frames):
                total = None
                for stem in order:
                    ints = np.rint(blocks[stem] * master).astype(np.int64)
                    np.clip(ints, -PCM24_FULL, PCM24_MAX, out=ints)  # no-op: under ceiling
                    writers[stem].write(ints.astype(np.int32))
                    meters[stem].feed(ints / PCM24_FULL)
                    total = ints if total is None else total + ints
                if int(np.max(np.abs(total), initial=0)) > PCM24_MAX:  # cannot happen
                    raise InputError("the mix would clip", field="master_gain_db",
                                     value=f"{master_db:.3f} dB", valid="a lower ceiling")
                writers["mix"].write(total.astype(np.int32))
                meters["mix"].feed(total / PCM24_FULL)
            peaks = {**stem_peaks, "mix": mix_peak}
            for stem in [*order, "mix"]:
                path = writers.pop(stem).close()
                true = (peaks[stem].true_peak_dbtp + master_db if peaks[stem].true_peak_on
                        else math.nan)
                written.append(_measured(stem, path, meters[stem], channels, true))
        except BaseException:  # nothing half-written: drop what is open and what is done
            for w in writers.values():
                w.abort()
            for f in written:
                f.path.unlink(missing_ok=True)
            raise
    finally:
        _close(readers)
    return MixResult(layout, sample_rate, frames, master_db, ceiling_dbtp,
                     tuple(written[:-1]), written[-1],
                     {s: chosen.get(s, StemSetting()).to_dict() for s in order})
