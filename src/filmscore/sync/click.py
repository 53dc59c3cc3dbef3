"""Click tracks: the clicks of a tempo map as events, and as 24-bit audio, sample-exact.

``click_events`` lists every click of a map in time order: accented downbeats, plain
beats, softer subdivisions, count-in clicks, and (for a cue without a count-in) warning
clicks, a different sound on the N beats before the music starts, the usual cue for an
orchestra.  Free time has no clicks.  Times are exact ``Fraction`` seconds from bar 1.

``render_click`` turns events into mono samples: each click is a short synthesized
sound (see ``CLICK_SOUNDS``, a data table) whose *first* sample is the event's exact time
rounded to the nearest sample (``TempoMap.sample_at``), so a click never drifts however
long the cue.  The sounds start at a non-zero sample (a cosine under a linear attack), so
an onset detector finds the exact sample.  Output is bounded (``MAX_RENDER_SECONDS``).
Samples are 24-bit integers held in ``int32`` (range -2**23 .. 2**23 - 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from filmscore.errors import InputError
from filmscore.sync.tempomap import TempoMap

LEVELS = ("accent", "beat", "sub", "warning", "count")
FULL_SCALE = 2**23 - 1  # 24-bit
MAX_RENDER_SECONDS = 3600  # one hour: a cue is minutes long; a runaway is refused
SAMPLE_RATES = (44100, 48000, 88200, 96000, 176400, 192000)


@dataclass(frozen=True)
class ClickEvent:
    """One click: when (seconds from bar 1), which sound, and where in the music."""

    seconds: Fraction
    level: str  # one of LEVELS
    bar: int
    beat: int
    sub: int = 0


@dataclass(frozen=True)
class ClickSound:
    """A click: a sine of ``freq_hz`` (or noise when 0) with a linear attack of
    ``attack_ms`` and an exponential decay (time constant ``decay_ms``), ``length_ms``
    long in all, at ``gain_db`` below full scale."""

    freq_hz: float
    gain_db: float
    attack_ms: float = 1.5
    decay_ms: float = 8.0
    length_ms: float = 30.0


#: The click sounds by level.  Vocabulary as data: change a sound here, nowhere else.
CLICK_SOUNDS: dict[str, ClickSound] = {
    "accent": ClickSound(1500.0, -6.0),
    "beat": ClickSound(1000.0, -8.0),
    "sub": ClickSound(800.0, -16.0, length_ms=20.0, decay_ms=5.0),
    "warning": ClickSound(2500.0, -8.0),
    "count": ClickSound(1200.0, -8.0),
}


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise InputError("not a click level", field="level", value=level,
                         valid=", ".join(LEVELS))


def click_events(tmap: TempoMap, *, subdivision: int = 1, count_in: bool = True,
                 warning_beats: int = 0, until_seconds: Fraction | None = None
                 ) -> list[ClickEvent]:
    """Every click of ``tmap`` in time order.

    Downbeats are ``accent``, other beats ``beat``, subdivisions ``sub``; count-in beats
    are ``count`` (their subdivisions ``sub``); pickup beats are plain beats.  When no
    count-in is played (``count_in`` false or the map has none), ``warning_beats`` warning
    clicks are played on the beats just before the first music click (before the pickup
    when there is one, else before bar 1), at the first segment's tempo.  A count-in and
    warning clicks together are refused: the count-in is the warning.
    """
    if warning_beats < 0 or warning_beats > 64:
        raise InputError("warning clicks out of range", field="warning_beats",
                         value=str(warning_beats), valid="0 to 64 beats (2 or 4 is usual)")
    plays_count_in = count_in and tmap.count_in_bars > 0
    if warning_beats and plays_count_in:
        raise InputError("warning clicks are for a cue without a count-in",
                         field="warning_beats", value=str(warning_beats),
                         valid="0 with a count-in, or turn the count-in off")
    events: list[ClickEvent] = []
    if warning_beats:
        first = tmap.segments[0]
        s0 = first.beat_seconds(tmap.rate)
        for j in range(tmap.pickup_beats + warning_beats, tmap.pickup_beats, -1):
            t = -s0 * j
            if until_seconds is not None and t >= until_seconds:
                break
            bars_back, beat_index = divmod(-j, first.meter.numerator)
            events.append(ClickEvent(t, "warning", 1 + bars_back, beat_index + 1))
    for beat in tmap.beats(subdivision=subdivision, count_in=count_in,
                           until_seconds=until_seconds):
        if until_seconds is not None and beat.seconds >= until_seconds:
            continue  # tempomap.beats checks the limit after the count-in only
        if beat.sub:
            level = "sub"
        elif beat.count_in:
            level = "count"
        elif beat.downbeat and beat.bar >= 1:
            level = "accent"
        else:
            level = "beat"
        events.append(ClickEvent(beat.seconds, level, beat.bar, beat.beat, beat.sub))
    return events


_WAVE_CACHE: dict[tuple[ClickSound, int], np.ndarray] = {}


def click_wave(sound: ClickSound, sample_rate: int) -> np.ndarray:
    """The samples of one click (int32, 24-bit scale); its first sample is non-zero."""
    key = (sound, sample_rate)
    cached = _WAVE_CACHE.get(key)
    if cached is not None:
        return cached
    n = max(1, round(sound.length_ms * sample_rate / 1000))
    attack = max(1, round(sound.attack_ms * sample_rate / 1000))
    t = np.arange(n) / sample_rate
    if sound.freq_hz > 0:
        tone = np.cos(2 * np.pi * sound.freq_hz * t)
    else:
        tone = np.random.default_rng(1936).uniform(-1.0, 1.0, n)
        tone[0] = 1.0
    envelope = np.minimum((np.arange(n) + 1) / attack, 1.0)
    envelope *= np.exp(-np.maximum(t - attack / sample_rate, 0) * 1000 / sound.decay_ms)
    fade = min(n, max(1, sample_rate // 1000))  # last millisecond to zero: no step
    envelope[n - fade:] *= np.linspace(1.0, 0.0, fade + 1)[1:]
    amplitude = FULL_SCALE * 10 ** (sound.gain_db / 20)
    wave = np.round(tone * envelope * amplitude).astype(np.int32)
    wave.flags.writeable = False
    if len(_WAVE_CACHE) < 64:
        _WAVE_CACHE[key] = wave
    return wave


def render_click(events: Iterable[ClickEvent], *, sample_rate: int = 48000,
                 origin_seconds: Fraction, length_seconds: Fraction,
                 sounds: Mapping[str, ClickSound] | None = None,
                 tmap: TempoMap | None = None) -> np.ndarray:
    """Mono 24-bit samples (int32) of ``events``, sample 0 at ``origin_seconds`` (from
    bar 1), ``length_seconds`` long (at most ``MAX_RENDER_SECONDS``).

    A click's first sample is its time rounded half up to a sample (``sample_at`` of
    ``tmap``, or of the same formula when no map is given).  Clicks before the origin
    keep only their tail; clicks past the end are cut.  Overlapping clicks add and clip.
    ``sounds`` replaces some or all of ``CLICK_SOUNDS``.
    """
    if sample_rate not in SAMPLE_RATES:
        raise InputError("unsupported sample rate", field="sample_rate",
                         value=str(sample_rate), valid=", ".join(map(str, SAMPLE_RATES)))
    length_seconds = Fraction(length_seconds)
    if not 0 < length_seconds <= MAX_RENDER_SECONDS:
        raise InputError("click length out of range", field="length_seconds",
                         value=f"{float(length_seconds):.3f} s",
                         valid=f"more than 0 and at most {MAX_RENDER_SECONDS} s")
    table = dict(CLICK_SOUNDS)
    if sounds:
        for level in sounds:
            _check_level(level)
        table.update(sounds)
    origin = Fraction(origin_seconds)
    n_out = math.ceil(length_seconds * sample_rate)
    out = np.zeros(n_out, dtype=np.int32)
    overlaps = False
    last_end = -1
    for event in events:
        wave = click_wave(table[event.level], sample_rate)
        if tmap is not None:
            start = tmap.sample_at(event.seconds, sample_rate=sample_rate,
                                   origin_seconds=origin)
        else:
            start = ((event.seconds - origin) * sample_rate + Fraction(1, 2)).__floor__()
        lo, hi = max(start, 0), min(start + len(wave), n_out)
        if lo >= hi:
            continue
        overlaps = overlaps or lo < last_end
        last_end = max(last_end, hi)
        out[lo:hi] += wave[lo - start:hi - start]
    if overlaps:
        np.clip(out, -FULL_SCALE - 1, FULL_SCALE, out=out)
    return out


def click_window(tmap: TempoMap, events: Iterable[ClickEvent], *,
                 tail_seconds: Fraction = Fraction(1)) -> tuple[Fraction, Fraction]:
    """(origin_seconds, length_seconds) for a click file of ``tmap``: it starts at the
    start of the frame at or before the first click (so it can be spotted to that frame's
    timecode) and ends ``tail_seconds`` after the end of the last bar (or last click)."""
    times = [e.seconds for e in events]
    first = min(times, default=Fraction(0))
    last = max([tmap.end_seconds, *times])
    frame = (tmap.absolute_seconds(first) * tmap.rate.fps).__floor__()
    origin = tmap.seconds_of_frame(frame)
    return origin, last + Fraction(tail_seconds) - origin
