"""Fitting the music to the film, as pure computation: the gain of every sample of a use
of a cue (its fades, and the crossfade of a segue), and the film's music mixed, block by
block, from the uses' audio.

Time is in integer samples.  A use of a cue is heard over ``[start, end)`` on the film's
timeline (``Placed.start_sample`` / ``end_sample``: after the head and tail trims).

Fades, exact to the sample.  A fade of ``n`` samples has a curve ``f`` on [0, 1]:
``linear`` is ``f(x) = x``, ``equal_power`` is ``f(x) = sin(x·π/2)``.  The gain of the
sample ``t`` samples after the use's start is ``f(t / n)`` while ``t < n`` (the first
sample heard is silent, sample ``n`` is at full level); the gain of the sample ``r``
samples before the use's end (``r = end - position``, 1 for the last sample heard) is
``f(r / n)`` while ``r <= n``.  Both fades multiply where they meet.

Segues: where the next use of the same layer starts before this one ends (``b.start <
a.end``), the two are crossfaded over exactly their overlap ``n = a.end - b.start``,
equal power whatever the fade shape chosen: the outgoing use's fade-out and the incoming
use's fade-in there are the overlap (their own ``fade_out`` / ``fade_in`` on that side
are replaced), so at the ``k``-th sample of the overlap the gains are ``cos(k·π/2n)``
and ``sin(k·π/2n)``, whose squares add up to one. A use inside another, or three uses
sounding at once, is refused (:func:`check_segues`): no crossfade would be right. Segues
are between uses of one layer: source music (a radio, a band in the scene) plays over
the score without a crossfade, as the dub hears them (``Segment.layer``: "score" or
"source").

Outside the uses the film is silent.  The samples are 24-bit integers; a sample of a use
at gain exactly 1 and alone comes out bit for bit; elsewhere the sum is rounded once
(half to even, ``numpy.rint``, of the float64 sum, in which 24-bit samples and their sums
are exact) and kept within 24 bits (clipped samples are counted).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from filmscore.errors import InputError, ValidationError

#: fade curves by name (the names are ``mixing.vocabulary.FADE_SHAPE_NAMES``, for the
#: command line's help without numpy): the gain at x in [0, 1] of a fade's length
FADE_SHAPES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "equal_power": lambda x: np.sin(x * (math.pi / 2)),
    "linear": lambda x: x,
}
BLOCK = 1 << 16  # samples per block rendered
FULL = 2**23 - 1


def fade_shape(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The curve of a fade shape by name (``equal_power``, ``linear``)."""
    key = name.replace("-", "_").replace(" ", "_")
    if key not in FADE_SHAPES:
        raise InputError("unknown fade shape", field="fades", value=name,
                         valid=", ".join(FADE_SHAPES))
    return FADE_SHAPES[key]


@dataclass(frozen=True)
class Segment:
    """One use of a cue to render: heard over ``[start, end)`` of the timeline, its
    audio's sample 0 at ``origin`` (the cue's start, so ``start - origin`` is the head
    trim), fading in over ``fade_in`` samples with ``in_shape``, out over ``fade_out``."""

    name: str  # "1M3 use 1", for messages
    start: int
    end: int
    origin: int
    fade_in: int = 0
    fade_out: int = 0
    in_shape: str = "equal_power"
    out_shape: str = "equal_power"
    layer: str = "score"  # segues only within a layer: source music overlaps the score

    def unity(self, a: int, b: int) -> bool:
        """Whether every sample of ``[a, b)`` is at gain 1 (no fade reaches it)."""
        return ((not self.fade_in or a >= self.start + self.fade_in)
                and (not self.fade_out or b <= self.end - self.fade_out))

    def gains(self, a: int, b: int) -> np.ndarray:
        """The gain of each timeline sample in ``[a, b)`` (within ``[start, end)``)."""
        position = np.arange(a, b, dtype=np.int64)
        gain = np.ones(b - a)
        if self.fade_in:
            t = position - self.start
            inside = t < self.fade_in
            if inside.any():
                gain[inside] *= fade_shape(self.in_shape)(t[inside] / self.fade_in)
        if self.fade_out:
            r = self.end - position
            inside = r <= self.fade_out
            if inside.any():
                gain[inside] *= fade_shape(self.out_shape)(r[inside] / self.fade_out)
        return gain


def _layers(segments: list[Segment]) -> list[list[Segment]]:
    layers: dict[str, list[Segment]] = {}
    for seg in segments:
        layers.setdefault(seg.layer, []).append(seg)
    return [sorted(items, key=lambda s: (s.start, s.end)) for items in layers.values()]


def check_segues(segments: list[Segment]) -> None:
    """Refuse, within a layer, a use inside another and three uses sounding at once
    (names them)."""
    for ordered in _layers(segments):
        _check_layer(ordered)


def _check_layer(ordered: list[Segment]) -> None:
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.start >= a.end:
                break
            if b.end <= a.end:
                raise ValidationError(f"{b.name} lies inside {a.name}: a segue needs the "
                                      "next cue to go on after the first ends",
                                      field="placement", value=f"{b.start}-{b.end}",
                                      valid=f"an end after sample {a.end}")
        if i + 2 < len(ordered) and ordered[i + 2].start < a.end:
            raise ValidationError(f"{a.name}, {ordered[i + 1].name} and {ordered[i + 2].name}"
                                  " sound at once: only two cues can segue",
                                  field="placement", value=ordered[i + 2].start,
                                  valid=f"a start at or after sample {a.end}")


def with_segues(segments: list[Segment]) -> list[Segment]:
    """The segments with every segue's overlap made an equal-power crossfade (see the
    module's docstring); checked with :func:`check_segues` first."""
    check_segues(segments)
    done: list[Segment] = []
    for out in _layers(segments):
        for i in range(len(out) - 1):
            a, b = out[i], out[i + 1]
            overlap = a.end - b.start
            if overlap > 0:
                out[i] = _replace(a, fade_out=overlap, out_shape="equal_power")
                out[i + 1] = _replace(b, fade_in=overlap, in_shape="equal_power")
        done.extend(out)
    return sorted(done, key=lambda s: (s.start, s.end))


def _replace(seg: Segment, **changes) -> Segment:
    from dataclasses import replace

    return replace(seg, **changes)


#: read(segment_index, first_sample_of_its_audio, count) -> (count, channels) int32
Reader = Callable[[int, int, int], np.ndarray]


@dataclass
class Rendered:
    """What :func:`render_blocks` counted as it went."""

    frames: int = 0
    clipped: int = 0


def render_blocks(segments: list[Segment], start: int, end: int, channels: int,
                  read: Reader, *, block: int = BLOCK,
                  counts: Rendered | None = None) -> Iterator[np.ndarray]:
    """The timeline ``[start, end)`` mixed from ``segments``, as (n, channels) int32
    blocks of 24-bit samples, silence between them; ``read`` fetches a segment's audio
    (sample 0 at its ``origin``).  The sum is taken in float64, where 24-bit samples and
    their sums are exact, and rounded once; so a sample at gain 1 from one segment alone
    comes out bit for bit."""
    counts = counts if counts is not None else Rendered()
    at = start
    while at < end:
        stop = min(end, at + block)
        out = np.zeros((stop - at, channels), dtype=np.float64)
        for index, seg in enumerate(segments):
            a, b = max(at, seg.start), min(stop, seg.end)
            if a >= b:
                continue
            audio = read(index, a - seg.origin, b - a)
            span = slice(a - at, b - at)
            if seg.unity(a, b):
                out[span] += audio
            else:
                out[span] += audio * seg.gains(a, b)[:, None]
        samples = np.rint(out)
        over = (samples > FULL) | (samples < -FULL - 1)
        if over.any():
            counts.clipped += int(over.sum())
            np.clip(samples, -FULL - 1, FULL, out=samples)
        counts.frames += stop - at
        yield samples.astype(np.int32)
        at = stop
