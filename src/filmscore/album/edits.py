"""An album edit's cut plan (pure): a cue truncated, or a suite of cues joined, cut at bar
lines of each cue's tempo map, every position made an exact sample, every join an
equal-power crossfade; and the render of the plan block by block.

**Segments.** An edit is a list of segments in album order, each a stretch of one cue's
mix: ``{"cue": "1M3", "mix": 2 or None (the latest), "from": "1", "to": "24"}``.  A
truncation is one segment, a suite several (of one cue or of several).  Positions are
written as the comps write them (:mod:`filmscore.mixing.comp`):

- ``from`` is where the segment starts: ``"9"`` the downbeat of bar 9, ``"9.3"`` beat 3
  of bar 9; ``"start"`` the mix's first sample (whatever comes before bar 1 included).
- ``to`` is where it stops: a bar alone is *through the end of that bar* (``"24"`` stops
  on the downbeat of bar 25), a bar and beat *up to that beat* (``"24.3"``); ``"end"``
  the mix's last sample (the ring-out after the last bar included).

**Samples.** Sample 0 of a mix is the cue's start on the film (``cue_start_sample``, the
contract of :mod:`filmscore.mixing.placing`); a position's sample in the mix is its film
sample (the tempo map's exact time times the rate, rounded half up once:
:func:`filmscore.mixing.comp.film_sample`) less the cue's start sample, so an album edit
cuts a mix exactly where a comp of the same cue would.  The edit's length is the sum of
its segments' lengths, ``to - from`` each, exactly.

**Joins.** Each join is an equal-power crossfade of ``L`` samples (``crossfade_ms`` times
the rate, half up; :data:`~filmscore.album.vocabulary.DEFAULT_EDIT_CROSSFADE_MS` unless
chosen) centred on the join: it starts ``L // 2`` samples before the join, where the
outgoing segment plays on past its ``to`` and the incoming one has begun before its
``from``; the outgoing gain is ``cos`` and the incoming ``sin`` of ``pi/2 (i + 1/2) / L``,
so ``g_out**2 + g_in**2 == 1`` at every sample.  0 ms is a butt splice.

**Edges.** The edit fades in over ``fade_in_ms`` and out over ``fade_out_ms`` (sin and cos
of the same quarter wave).  When not chosen: no fade where the edit begins at the mix's
first sample (``start``) or ends at its last (``end``), else :data:`EDGE_FADE_MS`, a
declick; a truncation that stops inside the music wants a longer fade out (``3000``).

Every bad input is refused in one line naming the segment and the bar: a position
outside the cue's tempo map, a ``to`` not after its ``from``, a cue with no tempo map, a
segment shorter than its fades, mixes of different rates or channel counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from filmscore.album.vocabulary import DEFAULT_EDIT_CROSSFADE_MS
from filmscore.errors import InputError, ValidationError
from filmscore.limits import is_digits
from filmscore.mixing.comp import BarBeat, fade_samples, film_sample, parse_point
from filmscore.sync.tempomap import TempoMap

#: the declick at an edge of an edit that cuts into the music, unless a fade is chosen
EDGE_FADE_MS = 10
#: the keywords a position may be instead of a bar
START, END = "start", "end"
#: 24-bit full scale
PCM24_MAX = 2**23 - 1


@dataclass(frozen=True)
class EditSegment:
    """A segment as written: a stretch of one cue's mix."""

    cue: str
    start: str  # "9", "9.3" or "start"
    to: str  # "24", "24.3" or "end"
    mix: int | None = None  # None: the cue's latest mix

    @property
    def label(self) -> str:
        return f"{self.cue} {self.start}-{self.to}"

    def to_dict(self) -> dict:
        return {"cue": self.cue, "mix": self.mix, "from": self.start, "to": self.to}


@dataclass(frozen=True)
class CueAudio:
    """What the plan needs of a segment's cue and mix: its tempo map (None: it has none),
    where its mix's sample 0 is on the film, and the mix file's length and format."""

    cue: str
    tempo_map: TempoMap | None
    cue_start_sample: int
    frames: int
    sample_rate: int
    channels: int
    mix: int | None = None  # the mix version (for messages and the render's record)


@dataclass(frozen=True)
class CutSegment:
    """A segment placed: mix samples ``[first, last)`` play at edit samples
    ``[at, at + last - first)``."""

    index: int  # from 1, as written
    cue: str
    mix: int | None
    start: str
    to: str
    first: int
    last: int
    at: int

    @property
    def frames(self) -> int:
        return self.last - self.first

    @property
    def label(self) -> str:
        return f"segment {self.index} ({self.cue} {self.start}-{self.to})"


@dataclass(frozen=True)
class Join:
    """A join: the incoming segment starts at edit sample ``at``; the crossfade covers
    edit samples ``[fade_start, fade_end)``."""

    at: int
    fade_start: int
    fade_end: int
    out_index: int
    in_index: int


@dataclass(frozen=True)
class EditPlan:
    """Everything a render needs, in samples."""

    sample_rate: int
    channels: int
    segments: tuple[CutSegment, ...]
    joins: tuple[Join, ...]
    fade: int  # crossfade length at every join
    fade_in: int
    fade_out: int
    frames: int  # the edit's length

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.frames, self.sample_rate)

    def span(self, i: int) -> tuple[int, int]:
        """Edit samples ``[a, b)`` where segment ``i`` (0-based) sounds, fades included."""
        a = self.joins[i - 1].fade_start if i else 0
        b = self.joins[i].fade_end if i < len(self.joins) else self.frames
        return a, b

    def gains(self, i: int, start: int, count: int) -> np.ndarray:
        """The gain of segment ``i`` (0-based) at edit samples ``start .. start+count``:
        1, the crossfades' sin (in) and cos (out), the edge fades, 0 where it is silent."""
        k = np.arange(start, start + count, dtype=np.int64)
        g = np.ones(count, dtype=np.float64)
        a, b = self.span(i)
        g[(k < a) | (k >= b)] = 0.0
        if i and self.fade:
            j = self.joins[i - 1]
            inside = (k >= j.fade_start) & (k < j.fade_end)
            g[inside] = np.sin((k[inside] - j.fade_start + 0.5) * (math.pi / 2 / self.fade))
        if i < len(self.joins) and self.fade:
            j = self.joins[i]
            inside = (k >= j.fade_start) & (k < j.fade_end)
            g[inside] = np.cos((k[inside] - j.fade_start + 0.5) * (math.pi / 2 / self.fade))
        if i == 0 and self.fade_in:
            inside = (k >= 0) & (k < self.fade_in)
            g[inside] *= np.sin((k[inside] + 0.5) * (math.pi / 2 / self.fade_in))
        if i == len(self.segments) - 1 and self.fade_out:
            top = self.frames - self.fade_out
            inside = (k >= top) & (k < self.frames)
            g[inside] *= np.cos((k[inside] - top + 0.5) * (math.pi / 2 / self.fade_out))
        return g


# -- the written form --------------------------------------------------------------------


def edit_segment(item: EditSegment | Mapping | str, *, index: int = 1) -> EditSegment:
    """A segment from ``{"cue", "mix", "from", "to"}`` or ``"CUE:FROM-TO"`` /
    ``"CUE@MIX:FROM-TO"`` (``"1M3:1-24"``, ``"1M5@2:9.3-end"``)."""
    if isinstance(item, EditSegment):
        seg = item
    elif isinstance(item, Mapping):
        try:
            mix = item.get("mix")
            seg = EditSegment(str(item["cue"]).strip(), str(item["from"]).strip(),
                              str(item["to"]).strip(), None if mix in (None, "") else int(mix))
        except (KeyError, TypeError, ValueError):
            raise InputError("not a segment", field=f"segments[{index}]", value=str(dict(item)),
                             valid='{"cue": "1M3", "mix": null, "from": "1", "to": "24"}'
                             ) from None
    else:
        seg = _parse_text(str(item), index)
    _position(seg.start, f"segments[{index}].from", seg, START)
    _position(seg.to, f"segments[{index}].to", seg, END)
    if seg.mix is not None and seg.mix < 1:
        raise InputError("a mix version is 1 or more", field=f"segments[{index}].mix",
                         value=str(seg.mix), valid="1, 2, 3 ... or none (the latest)")
    return seg


def _parse_text(text: str, index: int) -> EditSegment:
    cue_part, sep, span = text.strip().rpartition(":")
    start, dash, to = span.partition("-")
    cue, at, mix = cue_part.partition("@")
    if not sep or not dash or not cue.strip() or not start.strip() or not to.strip() or (
            at and not is_digits(mix.strip())):
        raise InputError("not a segment", field=f"segments[{index}]", value=text,
                         valid="CUE:FROM-TO or CUE@MIX:FROM-TO, e.g. 1M3:1-24, "
                               "1M5@2:9.3-end")
    return EditSegment(cue.strip(), start.strip().lower(), to.strip().lower(),
                       int(mix) if at else None)


def _position(text: str, field: str, seg: EditSegment, keyword: str) -> BarBeat | None:
    """The written position (None for the keyword), or InputError naming the segment."""
    if text.lower() == keyword:
        return None
    try:
        return parse_point(text, field=field)
    except InputError:
        raise InputError(f"{seg.label}: not a position", field=field, value=text,
                         valid=f"BAR or BAR.BEAT from 1 (e.g. 12 or 12.3) or '{keyword}'"
                         ) from None


# -- planning ----------------------------------------------------------------------------


def _bar_check(tmap: TempoMap, point: BarBeat, *, what: str, field: str, value: str,
               end: bool) -> None:
    bars = list(tmap.bars())
    n = len(bars)
    if end and point == BarBeat(n + 1, 1):
        return
    if not 1 <= point.bar <= n:
        bar = point.bar - 1 if end and point.beat == 1 else point.bar
        raise ValidationError(f"{what}: no bar {bar} in the cue's tempo map", field=field,
                              value=value, valid=f"bars 1 to {n}")
    beats = bars[point.bar - 1].meter.numerator
    if not 1 <= point.beat <= beats:
        raise ValidationError(f"{what}: no beat {point.beat} in bar {point.bar}", field=field,
                              value=value, valid=f"beats 1 to {beats} in bar {point.bar}")


def _sample(audio: CueAudio, text: str, *, is_end: bool, what: str, field: str) -> int:
    keyword = END if is_end else START
    if text.lower() == keyword:
        return audio.frames if is_end else 0
    point = parse_point(text, field=field)
    if is_end and "." not in text:
        point = BarBeat(point.bar + 1, 1)  # a bar alone: through its end
    if audio.tempo_map is None:
        raise ValidationError(f"{what}: cue {audio.cue} has no tempo map to find bar "
                              f"{parse_point(text).bar} in", field=field, value=text,
                              valid=f"'{keyword}', or a tempo map for the cue first "
                                    "('filmscore tempo set')")
    _bar_check(audio.tempo_map, point, what=what, field=field, value=text, end=is_end)
    return film_sample(audio.tempo_map, point, audio.sample_rate) - audio.cue_start_sample


def plan_edit(segments: Sequence[EditSegment | Mapping | str],
              audio: Sequence[CueAudio], *,
              crossfade_ms: float | Fraction | str = DEFAULT_EDIT_CROSSFADE_MS,
              fade_in_ms: float | Fraction | str | None = None,
              fade_out_ms: float | Fraction | str | None = None) -> EditPlan:
    """Place every segment (``audio[i]`` is segment ``i``'s cue and mix) exactly in
    samples, with the joins' crossfades and the edge fades (see the module's text)."""
    if not segments:
        raise InputError("an album edit needs a segment", field="segments",
                         valid="CUE:FROM-TO ..., e.g. 1M3:1-24")
    if len(audio) != len(segments):
        raise InputError("one cue's audio per segment", field="segments",
                         value=f"{len(segments)} segments, {len(audio)} mixes")
    written = [edit_segment(s, index=i) for i, s in enumerate(segments, 1)]
    first_audio = audio[0]
    rate, channels = first_audio.sample_rate, first_audio.channels
    cut: list[CutSegment] = []
    at = 0
    for i, (seg, cue) in enumerate(zip(written, audio, strict=True), 1):
        what = f"segment {i} ({seg.label})"
        if (cue.sample_rate, cue.channels) != (rate, channels):
            raise ValidationError(
                f"{what}: cue {cue.cue}'s mix is {cue.channels} channels at "
                f"{cue.sample_rate} Hz, the edit's first segment {channels} at {rate} Hz",
                field=f"segments[{i}].mix", value=str(cue.mix or "latest"),
                valid=f"a mix of {channels} channels at {rate} Hz")
        first = _sample(cue, seg.start, is_end=False, what=what, field=f"segments[{i}].from")
        last = _sample(cue, seg.to, is_end=True, what=what, field=f"segments[{i}].to")
        if last <= first:
            raise ValidationError(f"{what}: 'to' is not after 'from'",
                                  field=f"segments[{i}].to", value=seg.to,
                                  valid=f"a position after {seg.start}")
        if first < 0 or last > cue.frames:
            where = (f"starts {-first} samples before the start" if first < 0
                     else f"ends {last - cue.frames} samples after the end")
            raise ValidationError(f"{what} {where} of cue {cue.cue}'s mix "
                                  f"({cue.frames} samples)", field=f"segments[{i}]",
                                  value=f"{seg.start}-{seg.to}",
                                  valid="bars the mix holds")
        cut.append(CutSegment(i, seg.cue, seg.mix if seg.mix is not None else cue.mix,
                              seg.start, seg.to, first, last, at))
        at += last - first
    fade = fade_samples(crossfade_ms, rate)
    half = fade // 2
    joins = tuple(Join(b.at, b.at - half, b.at - half + fade, a.index, b.index)
                  for a, b in zip(cut, cut[1:], strict=False))
    edge_in = EDGE_FADE_MS if written[0].start.lower() != START else 0
    edge_out = EDGE_FADE_MS if written[-1].to.lower() != END else 0
    fade_in = _fade("fade_in_ms", edge_in if fade_in_ms is None else fade_in_ms, rate)
    fade_out = _fade("fade_out_ms", edge_out if fade_out_ms is None else fade_out_ms, rate)
    plan = EditPlan(rate, channels, tuple(cut), joins, fade, fade_in, fade_out, at)
    _check_fades(plan, crossfade_ms)
    return plan


def _fade(field: str, ms, rate: int) -> int:
    try:
        return fade_samples(ms, rate)
    except InputError:
        raise InputError("not a fade length", field=field, value=str(ms),
                         valid="0 (none) or more milliseconds") from None


def _check_fades(plan: EditPlan, crossfade_ms) -> None:
    """Each segment must hold its fades: the crossfades at its joins and the edge fades
    must not overlap inside it."""
    n = len(plan.segments)
    for i, seg in enumerate(plan.segments):
        room_from = plan.joins[i - 1].fade_end if i else plan.fade_in
        room_to = plan.joins[i].fade_start if i < n - 1 else plan.frames - plan.fade_out
        if room_to < room_from:
            ms = lambda s: f"{float(Fraction(s * 1000, plan.sample_rate)):g} ms"  # noqa: E731
            raise ValidationError(
                f"{seg.label} is {ms(seg.frames)} long, shorter than its fades",
                field="crossfade_ms" if n > 1 else "fade_in_ms + fade_out_ms",
                value=str(crossfade_ms) if n > 1 else
                f"{ms(plan.fade_in)} + {ms(plan.fade_out)}",
                valid="longer segments or shorter fades")


# -- rendering ---------------------------------------------------------------------------


#: read(segment index (0-based), first mix sample, count) -> (count, channels) int64 of
#: 24-bit samples, silence outside the file
Reader = Callable[[int, int, int], np.ndarray]


@dataclass
class Clipped:
    """How many output samples (per channel) the crossfades pushed past full scale."""

    samples: int = 0


def render_blocks(plan: EditPlan, read: Reader, *, block_frames: int = 65536,
                  clipped: Clipped | None = None) -> Iterator[np.ndarray]:
    """The edit's samples, block by block, as int64 24-bit values: each segment's mix
    samples times its gains, summed, rounded; a sample played at gain 1 alone comes out
    bit for bit.  Samples past full scale (correlated music under an equal-power
    crossfade can rise by up to 3 dB) are clipped and counted in ``clipped``."""
    counts = clipped if clipped is not None else Clipped()
    spans = [plan.span(i) for i in range(len(plan.segments))]
    for start in range(0, plan.frames, block_frames):
        count = min(block_frames, plan.frames - start)
        out = np.zeros((count, plan.channels), dtype=np.float64)
        for i, seg in enumerate(plan.segments):
            a, b = max(spans[i][0], start), min(spans[i][1], start + count)
            if b <= a:
                continue
            samples = read(i, a - seg.at + seg.first, b - a)
            # float64 holds 24-bit sums exactly: at gain 1 the samples come back as read
            out[a - start:b - start] += samples * plan.gains(i, a, b - a)[:, None]
        block = np.rint(out).astype(np.int64)
        over = (block > PCM24_MAX) | (block < -PCM24_MAX - 1)
        if over.any():
            counts.samples += int(over.sum())
            block = np.clip(block, -PCM24_MAX - 1, PCM24_MAX)
        yield block
