"""Render a comp (a :class:`~filmscore.mixing.comp.CompPlan`) to one Broadcast WAV per stem,
streaming in blocks: each take's stem is read with ``soundfile.SoundFile`` (seek + read a
block), the crossfades computed in float64 and rounded to the nearest integer, and the
result written by :class:`filmscore.formats.bwf.BwfWriter` (24-bit, the project's sample
rate, bext TimeReference = the cue's start in samples since midnight).

Every stem of every take is cut at the same comp samples (the plan's regions are made once
for all stems), so the comp's stems keep their sample alignment across every edit.

Outside a crossfade a sample is copied bit for bit from its take.  Inside one it is
``rint(out * cos + in * sin)`` (:func:`filmscore.mixing.comp.crossfade_gains`); a sum past
full scale (two correlated takes in phase can reach +3 dB) is held at full scale and a
warning names the stem and the edit.

What is refused (InputError naming the file): a take's stem at another sample rate or
another sample width than the project's (24-bit PCM), unless ``convert=True``; a stem
another take has but this one lacks (unless ``silence_missing=True``: that take is then
silent in that stem); channel counts that differ between the takes of a stem.

What conversion does (``convert=True``): each such stem is first written to a temporary
24-bit file at the project's rate, block by block: 16-bit samples are widened exactly (x 256),
other widths (32-bit, float) scaled to 24 bits and rounded to nearest (no dither), other
rates resampled with soxr (``ResampleStream``, quality VHQ, linear phase, its delay
compensated, so the take's first sample stays at its time); then it is cut like any other.
The temporary files are removed when the render ends.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from filmscore import children
from filmscore.errors import FilmscoreWarning, InputError, ParseError, ValidationError
from filmscore.fileio import UniqueNames, inside, safe_name
from filmscore.formats.bwf import Bext, BwfWriter
from filmscore.mixing.comp import CompPlan, crossfade_gains
from filmscore.mixing.vocabulary import DELIVERY_BITS, STEM_NAMES

#: frames read and written at a time
BLOCK_FRAMES = 65536
#: the sample width a take is comped at without conversion (soundfile's subtype)
TAKE_SUBTYPE = "PCM_24"
_FULL = 2 ** (DELIVERY_BITS - 1)


@dataclass(frozen=True)
class TakeStem:
    """One stem of a take as a file, and the name to call it by in messages."""

    path: Path
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.path.name


@dataclass(frozen=True)
class RenderedStem:
    """A comped stem written: its file, length in samples and channels."""

    stem: str
    path: Path
    frames: int
    channels: int


@dataclass(frozen=True)
class _Info:
    sample_rate: int
    channels: int
    frames: int
    subtype: str


def _info(take: int, stem: str, source: TakeStem) -> _Info:
    import soundfile

    try:
        info = soundfile.info(str(source.path))
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise ParseError(f"take {take} stem {stem!r}: not readable audio ({exc})",
                         source=source.label, valid="a WAV file soundfile can read") from None
    return _Info(int(info.samplerate), int(info.channels), int(info.frames), info.subtype)


def stem_order(stems) -> list[str]:
    """Stems in the dub's order (``vocabulary.STEMS``), others after them by name."""
    known = [s for s in STEM_NAMES if s in stems]
    return known + sorted(s for s in stems if s not in STEM_NAMES)


def check_audio(plan: CompPlan, audio: Mapping[int, Mapping[str, TakeStem]], *,
                sample_rate: int, convert: bool = False, silence_missing: bool = False
                ) -> dict[str, dict[int, tuple[TakeStem, _Info] | None]]:
    """Every stem of every take the comp plays, checked: {stem: {take: (file, info) or None
    (silent)}}.  Refuses (InputError naming the file) what cannot be cut as it is."""
    takes = plan.takes
    stems = stem_order({s for t in takes for s in audio.get(t, {})})
    if not stems:
        raise ValidationError("the comp's takes have no audio", field="audio",
                              valid="takes logged with their stems")
    out: dict[str, dict[int, tuple[TakeStem, _Info] | None]] = {}
    for stem in stems:
        out[stem] = {}
        channels: tuple[int, int] | None = None
        for take in takes:
            source = audio.get(take, {}).get(stem)
            if source is None:
                if not silence_missing:
                    have = ", ".join(stem_order(audio.get(take, {}))) or "none"
                    raise ValidationError(
                        f"take {take} has no {stem!r} stem (other takes of the comp do)",
                        field="audio", value=stem,
                        valid=f"its stems ({have}); or render with silence for a missing "
                              "stem (--silence-missing)")
                out[stem][take] = None
                continue
            info = _info(take, stem, source)
            if not convert and info.sample_rate != sample_rate:
                raise InputError(
                    f"take {take} stem {stem!r} is at {info.sample_rate} Hz, the project at "
                    f"{sample_rate} Hz", source=source.label, field="sample_rate",
                    value=str(info.sample_rate),
                    valid=f"{sample_rate} Hz, or render with --convert (soxr)")
            if not convert and info.subtype != TAKE_SUBTYPE:
                raise InputError(
                    f"take {take} stem {stem!r} is {info.subtype}, the project's takes are "
                    f"{DELIVERY_BITS}-bit PCM", source=source.label, field="bits",
                    value=info.subtype, valid=f"{TAKE_SUBTYPE}, or render with --convert")
            if channels is not None and info.channels != channels[1]:
                raise InputError(
                    f"take {take} stem {stem!r} has {info.channels} channel"
                    f"{'s' if info.channels != 1 else ''}, take {channels[0]}'s has "
                    f"{channels[1]}", source=source.label, field="channels",
                    value=str(info.channels), valid=f"{channels[1]} (one layout per stem)")
            channels = channels or (take, info.channels)
            out[stem][take] = (source, info)
    return out


class _Reader:
    """A take's stem read by take sample, zeros outside its audio."""

    def __init__(self, handle, frames: int, channels: int) -> None:
        self.handle, self.frames, self.channels = handle, frames, channels

    def read(self, start: int, count: int) -> np.ndarray:
        out = np.zeros((count, self.channels), dtype=np.int32)
        if self.handle is None:
            return out
        a, b = max(start, 0), min(start + count, self.frames)
        if a < b:
            self.handle.seek(a)
            got = self.handle.read(b - a, dtype="int32", always_2d=True)
            out[a - start:a - start + len(got)] = got >> (32 - DELIVERY_BITS)
        return out


def convert_stem(source: Path, target: Path, *, sample_rate: int,
                 block_frames: int = BLOCK_FRAMES) -> int:
    """Write ``source`` as 24-bit PCM at ``sample_rate`` to ``target`` (resampled with soxr
    when its rate differs); return the frames written."""
    import soundfile

    with soundfile.SoundFile(str(source)) as src:
        rate, channels = src.samplerate, src.channels
        exact16 = src.subtype == "PCM_16"
        stream = None
        if rate != sample_rate:
            import soxr

            stream = soxr.ResampleStream(rate, sample_rate, channels, dtype="float64",
                                         quality="VHQ")
        frames = 0
        with soundfile.SoundFile(str(target), "w", sample_rate, channels,
                                 subtype=TAKE_SUBTYPE, format="WAV") as out:
            done = 0
            while True:
                if stream is None and exact16:
                    block = src.read(block_frames, dtype="int16", always_2d=True)
                    if not len(block):
                        break
                    # 16 bits widened exactly: written as int32 (the 24 bits in the top)
                    out.write(block.astype(np.int32) << 16)
                    frames += len(block)
                    continue
                block = src.read(block_frames, dtype="float64", always_2d=True)
                done += len(block)
                last = done >= src.frames or not len(block)
                if stream is not None:
                    block = stream.resample_chunk(block, last=last)
                if len(block):
                    scaled = np.rint(block * _FULL)
                    np.clip(scaled, -_FULL, _FULL - 1, out=scaled)
                    out.write(scaled.astype(np.int32) << (32 - DELIVERY_BITS))
                    frames += len(block)
                if last:
                    break
    return frames


def _open_readers(stack: ExitStack, takes: Mapping[int, tuple[TakeStem, _Info] | None],
                  scratch: str, stem: str, sr: int, block_frames: int
                  ) -> tuple[dict[int, _Reader], int]:
    """A reader per take of one stem (converted first where needed), and the channels."""
    import soundfile

    channels = next(found[1].channels for found in takes.values() if found is not None)
    readers = {}
    for take, found in takes.items():
        if found is None:
            readers[take] = _Reader(None, 0, channels)
            continue
        source, info = found
        path, frames = source.path, info.frames
        if info.sample_rate != sr or info.subtype != TAKE_SUBTYPE:
            path = Path(scratch) / safe_name(f"{take}_{stem}", fallback="take", suffix=".wav")
            frames = convert_stem(source.path, path, sample_rate=sr, block_frames=block_frames)
        handle = stack.enter_context(soundfile.SoundFile(str(path)))
        readers[take] = _Reader(handle, frames, channels)
    return readers, channels


def _blocks(plan: CompPlan, readers: Mapping[int, _Reader], channels: int, start: int,
            end: int, block_frames: int):
    """Comp samples [start, end) of one stem, block by block: (samples, how many clipped)."""
    offsets = dict(plan.offsets)
    for region in plan.regions:
        a0, b0 = max(region.start, start), min(region.end, end)
        for a in range(a0, b0, block_frames):
            yield _block(region, readers, offsets, channels, a, min(block_frames, b0 - a))


def _block(region, readers, offsets, channels: int, a: int, n: int) -> tuple[np.ndarray, int]:
    """Comp samples [a, a + n) of ``region`` and how many were clipped."""
    if region.take is None:
        return np.zeros((n, channels), dtype=np.int32), 0
    x = readers[region.take].read(a + offsets[region.take], n)
    if region.into is None:
        return x, 0
    y = readers[region.into].read(a + offsets[region.into], n)
    g_out, g_in = crossfade_gains(region.fade, a - region.fade_from, n)
    mixed = np.rint(x * g_out[:, None] + y * g_in[:, None])
    over = int(np.count_nonzero((mixed < -_FULL) | (mixed > _FULL - 1)))
    np.clip(mixed, -_FULL, _FULL - 1, out=mixed)
    return mixed.astype(np.int32), over


def render_comp_stems(plan: CompPlan, audio: Mapping[int, Mapping[str, TakeStem]],
                      folder: str | Path, *, name: str = "comp", description: str = "",
                      originator_reference: str = "", convert: bool = False,
                      silence_missing: bool = False, block_frames: int = BLOCK_FRAMES,
                      report: Callable[[int, int], None] | None = None
                      ) -> list[RenderedStem]:
    """Render ``plan`` into ``folder`` as ``<name>_<stem>.wav``, one file per stem, all the
    same length (``plan.length``).  On any failure nothing of this render is left behind."""
    folder = Path(folder)
    sr = plan.sample_rate
    checked = check_audio(plan, audio, sample_rate=sr, convert=convert,
                          silence_missing=silence_missing)
    total = plan.length * len(checked)
    done = 0
    written: list[RenderedStem] = []
    names = UniqueNames()  # two stems may clean up to one name ("Violin 1", "Violin 1.")
    with children.scratch_folder(prefix="filmscore-comp-") as scratch:
        try:
            for stem, takes in checked.items():
                with ExitStack() as stack:
                    readers, channels = _open_readers(stack, takes, scratch, stem, sr,
                                                      block_frames)
                    target = inside(folder, names.name(f"{name}_{stem}", fallback="comp",
                                                       suffix=".wav"))
                    bext = Bext(time_reference=plan.cue_start_sample,
                                description=f"{description} {stem}".strip(),
                                originator_reference=originator_reference)
                    clipped = 0
                    with BwfWriter(target, sr, channels, bits=DELIVERY_BITS,
                                   bext=bext) as out:
                        for block, over in _blocks(plan, readers, channels, 0, plan.length,
                                                   block_frames):
                            out.write(block)
                            clipped += over
                            done += len(block)
                            if report is not None:
                                report(done, total)
                    if clipped:
                        warnings.warn(FilmscoreWarning(
                            f"{target.name}: {clipped} sample(s) of stem {stem!r} went past "
                            "full scale in a crossfade and were held at full scale"),
                            stacklevel=2)
                    written.append(RenderedStem(stem, target, out.frames, channels))
        except BaseException:
            for done_stem in written:
                done_stem.path.unlink(missing_ok=True)
            raise
    return written


def render_excerpt(plan: CompPlan, audio: Mapping[int, Mapping[str, TakeStem]], stem: str,
                   start: int, end: int, *, convert: bool = False,
                   silence_missing: bool = False) -> np.ndarray:
    """Comp samples ``[start, end)`` of one stem in memory ((n, channels) int32 holding
    24-bit values), e.g. a few seconds around an edit to listen across it; the same
    samples the render writes there."""
    checked = check_audio(plan, audio, sample_rate=plan.sample_rate, convert=convert,
                          silence_missing=silence_missing)
    if stem not in checked:
        raise ValidationError(f"the comp has no {stem!r} stem", field="stem", value=stem,
                              valid=", ".join(checked))
    start, end = max(start, 0), min(end, plan.length)
    with children.scratch_folder(prefix="filmscore-comp-") as scratch, \
            ExitStack() as stack:
        readers, channels = _open_readers(stack, checked[stem], scratch, stem,
                                          plan.sample_rate, BLOCK_FRAMES)
        blocks = [b for b, _ in _blocks(plan, readers, channels, start, end, BLOCK_FRAMES)]
    return np.concatenate(blocks) if blocks else np.zeros((0, channels), dtype=np.int32)
