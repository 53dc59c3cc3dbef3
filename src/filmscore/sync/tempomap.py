"""Tempo maps: meters, tempos (BPM or frame-click), ramps, free time, count-in; exact times.

A cue's tempo map is a list of segments laid end to end from bar 1 beat 1, which sits at
the start of frame ``start_frame``.  Every time is an exact ``Fraction`` of seconds,
counted from bar 1 beat 1 (count-in and pickup beats are negative).  Frames and samples
are derived from those times by exact rounding, so nothing drifts over an hour.

Beats are the meter's beats (quarters in 4/4, eighths in 7/8).  Tempos are beats per
minute of that beat.  Ticks are ``TICKS_PER_QUARTER`` per quarter note.  ``subdivision``
is the grid the map was solved on (2: the hits land on eighths in 4/4); the click sheet
measures each hit from that grid.

A ramp (accelerando or ritardando) changes the *length of the beat* linearly over the
segment, from 60/tempo_bpm to 60/end_tempo_bpm seconds: the beat length after x beats is
s(x) = s0 + (s1 - s0) x / N, so the time of beat x is s0 x + (s1 - s0) x^2 / (2N), exact
for every beat and tick.  (A ramp linear in BPM would put beats at logarithms: not exact.)

A free-time segment (no click: a fermata, a senza misura passage) lasts ``free_frames``
frames and counts as ``bars`` bars of its meter for bar numbering.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property

from filmscore.errors import InputError, ValidationError
from filmscore.timecode import Rate, frame_to_seconds, get_rate

TICKS_PER_QUARTER = 960
VALID_DENOMINATORS = (1, 2, 4, 8, 16, 32)
MAX_SUBDIVISION = 16


# --- meters and tempos -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Meter:
    """A time signature: ``numerator`` beats of a 1/``denominator`` note."""

    numerator: int = 4
    denominator: int = 4

    def __post_init__(self) -> None:
        if not (1 <= self.numerator <= 64) or self.denominator not in VALID_DENOMINATORS:
            raise InputError("not a meter", field="meter",
                             value=f"{self.numerator}/{self.denominator}",
                             valid="N/D with N 1-64 and D one of 1, 2, 4, 8, 16, 32")

    @property
    def beat_quarters(self) -> Fraction:
        """Length of one beat in quarter notes (1 in 4/4, 1/2 in 6/8)."""
        return Fraction(4, self.denominator)

    @property
    def ticks_per_beat(self) -> int:
        return int(TICKS_PER_QUARTER * self.beat_quarters)

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


_METER = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")


def parse_meter(text: str, *, field: str = "meter") -> Meter:
    match = _METER.match(text) if isinstance(text, str) else None
    if not match:
        raise InputError("not a meter", field=field, value=text, valid="e.g. 4/4, 3/4, 6/8")
    try:
        return Meter(int(match.group(1)), int(match.group(2)))
    except InputError as error:
        error.field = field
        raise error.located() from None


def bpm_from_frameclick(frames: int, eighths: int, rate: Rate | str) -> Fraction:
    """Tempo of a frame-click: a beat every ``frames`` + ``eighths``/8 frames at ``rate``.

    At 24 fps, 12-0 is 120 BPM, 12-2 (12.25 frames) 117.55 BPM, 24-0 60 BPM.
    """
    rate = get_rate(rate)
    if frames < 0 or not 0 <= eighths <= 7 or (frames == 0 and eighths == 0):
        raise InputError("not a frame-click", field="tempo", value=f"{frames}-{eighths}",
                         valid="FRAMES-EIGHTHS with eighths 0-7, e.g. 12-2")
    return 60 * rate.fps / (frames + Fraction(eighths, 8))


def frameclick_from_bpm(bpm: Fraction, rate: Rate | str) -> tuple[int, int, bool]:
    """The nearest frame-click to a tempo: (frames, eighths, exact)."""
    rate = get_rate(rate)
    eighths_total = Fraction(480) * rate.fps / Fraction(bpm)  # beat length in eighth-frames
    nearest = int((eighths_total + Fraction(1, 2)).__floor__())
    frames, eighths = divmod(nearest, 8)
    return frames, eighths, Fraction(nearest) == eighths_total


def frameclick_within(low_bpm: Fraction, high_bpm: Fraction, near_bpm: Fraction,
                      rate: Rate | str) -> Fraction | None:
    """The exact frame-click tempo (to the eighth of a frame) in [low, high] nearest
    ``near_bpm``, or None when the interval holds none.  At 24 fps, 13-0 (1440/13 BPM,
    110.77) for an interval around 110.7-110.8."""
    rate = get_rate(rate)
    k = Fraction(480) * rate.fps  # BPM = k / n, n eighth-frames per beat
    n_low, n_high = max(1, math.ceil(k / Fraction(high_bpm))), math.floor(k / Fraction(low_bpm))
    if n_low > n_high:
        return None
    target = k / Fraction(near_bpm)
    options = {min(max(n, n_low), n_high) for n in (math.floor(target), math.ceil(target))}
    return min((k / n for n in options), key=lambda bpm: (abs(bpm - near_bpm), bpm))


def format_frameclick(bpm: Fraction, rate: Rate | str) -> str:
    """'12-2' (or '~12-2' when the tempo is not exactly a frame-click)."""
    frames, eighths, exact = frameclick_from_bpm(bpm, rate)
    return f"{'' if exact else '~'}{frames}-{eighths}"


def format_bpm(bpm: Fraction) -> str:
    """A tempo for people: two decimals, trailing zeros dropped (117.55, 120)."""
    text = f"{float(bpm):.2f}".rstrip("0").rstrip(".")
    return text


_FRAMECLICK = re.compile(r"^\s*(\d{1,3})\s*-\s*([0-7])\s*$")
_DECIMAL = re.compile(r"^\s*\d{1,3}(\.\d{1,6})?\s*$|^\s*\d{1,6}\s*/\s*\d{1,6}\s*$")


def parse_tempo(text: str | Fraction | int, rate: Rate | str, *, field: str = "tempo"
                ) -> Fraction:
    """'120', '117.55', '1440/11' (BPM, exact) or '12-2' (frame-click at ``rate``)."""
    if isinstance(text, (Fraction, int)) and not isinstance(text, bool):
        value = Fraction(text)
    else:
        match = _FRAMECLICK.match(text) if isinstance(text, str) else None
        if match:
            return bpm_from_frameclick(int(match.group(1)), int(match.group(2)), rate)
        if not isinstance(text, str) or not _DECIMAL.match(text):
            raise InputError("not a tempo", field=field, value=str(text),
                             valid="BPM such as 120 or 117.55, or a frame-click such as 12-2")
        value = Fraction(text.replace(" ", ""))
    if not Fraction(10) <= value <= Fraction(400):
        raise InputError("tempo out of range", field=field, value=str(text),
                         valid="10 to 400 BPM")
    return value


# --- segments and the map -----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """``bars`` bars of one meter at one tempo, or a ramp, or free time."""

    bars: int
    meter: Meter = field(default_factory=Meter)
    tempo_bpm: Fraction = Fraction(120)
    end_tempo_bpm: Fraction | None = None  # a ramp to this tempo over the segment
    free_frames: int | None = None  # free time: no click, lasts this many frames

    def __post_init__(self) -> None:
        if self.bars < 1:
            raise InputError("a segment needs at least one bar", field="bars",
                             value=str(self.bars), valid="1 or more")
        object.__setattr__(self, "tempo_bpm", Fraction(self.tempo_bpm))
        if self.tempo_bpm <= 0:
            raise InputError("tempo must be positive", field="tempo",
                             value=str(self.tempo_bpm), valid="more than 0 BPM")
        if self.end_tempo_bpm is not None:
            object.__setattr__(self, "end_tempo_bpm", Fraction(self.end_tempo_bpm))
            if self.end_tempo_bpm <= 0:
                raise InputError("end tempo must be positive", field="end_tempo",
                                 value=str(self.end_tempo_bpm), valid="more than 0 BPM")
        if self.free_frames is not None and self.free_frames < 1:
            raise InputError("free time needs a length", field="free_frames",
                             value=str(self.free_frames), valid="1 frame or more")

    @property
    def beats(self) -> int:
        return self.bars * self.meter.numerator

    @property
    def is_free(self) -> bool:
        return self.free_frames is not None

    @property
    def is_ramp(self) -> bool:
        return self.end_tempo_bpm is not None and self.end_tempo_bpm != self.tempo_bpm

    def beat_seconds(self, rate: Rate) -> Fraction:
        """Length of the first beat (the beat length at the segment's start)."""
        return Fraction(60) / self.tempo_bpm

    def time_at(self, x: Fraction, rate: Rate) -> Fraction:
        """Seconds from the segment start to beat position ``x`` (0 <= x <= beats)."""
        if self.is_free:
            return self.duration(rate) * Fraction(x) / self.beats
        s0 = Fraction(60) / self.tempo_bpm
        if not self.is_ramp:
            return s0 * x
        s1 = Fraction(60) / self.end_tempo_bpm  # type: ignore[operator]
        return s0 * x + (s1 - s0) * x * x / (2 * self.beats)

    def tempo_at(self, x: Fraction, rate: Rate | None = None) -> Fraction:
        """Instantaneous tempo (BPM) after ``x`` beats of the segment.

        In free time there is no click: the tempo given is the one that fills the
        passage with its bars' beats (with ``rate``; else the nominal tempo)."""
        if self.is_free and rate is not None:
            return Fraction(60 * self.beats) / self.duration(rate)
        if not self.is_ramp:
            return self.tempo_bpm
        s0 = Fraction(60) / self.tempo_bpm
        s1 = Fraction(60) / self.end_tempo_bpm  # type: ignore[operator]
        return Fraction(60) / (s0 + (s1 - s0) * Fraction(x) / self.beats)

    def duration(self, rate: Rate) -> Fraction:
        if self.is_free:
            return Fraction(self.free_frames) / rate.fps  # type: ignore[arg-type]
        return self.time_at(Fraction(self.beats), rate)

    def to_dict(self) -> dict:
        out: dict = {"bars": self.bars, "meter": str(self.meter), "tempo": str(self.tempo_bpm)}
        if self.end_tempo_bpm is not None:
            out["end_tempo"] = str(self.end_tempo_bpm)
        if self.free_frames is not None:
            out["free_frames"] = self.free_frames
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Segment:
        return cls(
            bars=int(data["bars"]),
            meter=parse_meter(data.get("meter", "4/4")),
            tempo_bpm=Fraction(data.get("tempo", "120")),
            end_tempo_bpm=Fraction(data["end_tempo"]) if data.get("end_tempo") else None,
            free_frames=int(data["free_frames"]) if data.get("free_frames") else None,
        )


@dataclass(frozen=True)
class Position:
    """A musical position: bar (1-based; 0 and below are pickup/count-in), beat (1-based),
    tick within the beat."""

    bar: int
    beat: int
    tick: int = 0

    def __str__(self) -> str:
        return f"{self.bar}|{self.beat}|{self.tick:03d}" if self.tick else f"{self.bar}|{self.beat}"


_POSITION = re.compile(r"^\s*(-?\d{1,5})\s*[|.:]\s*(\d{1,3})(?:\s*[|.:]\s*(\d{1,4}))?\s*$")


def parse_position(text: str, *, field: str = "position") -> Position:
    match = _POSITION.match(text) if isinstance(text, str) else None
    if not match:
        raise InputError("not a bar|beat position", field=field, value=text,
                         valid="BAR|BEAT or BAR|BEAT|TICK, e.g. 12|3 or 12|3|480")
    return Position(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


@dataclass(frozen=True)
class Beat:
    """One beat (or subdivision) of the map, as the click plays it."""

    bar: int
    beat: int
    sub: int  # 0 on the beat, 1.. for subdivisions
    seconds: Fraction  # from bar 1 beat 1
    meter: Meter
    tempo_bpm: Fraction
    count_in: bool = False

    @property
    def downbeat(self) -> bool:
        return self.beat == 1 and self.sub == 0

    @property
    def position(self) -> Position:
        return Position(self.bar, self.beat)


@dataclass(frozen=True)
class Bar:
    number: int
    seconds: Fraction  # start, from bar 1 beat 1
    meter: Meter
    tempo_bpm: Fraction  # at the bar's start
    free: bool = False


@dataclass(frozen=True)
class _Placed:
    segment: Segment
    first_bar: int
    start: Fraction  # seconds from bar 1 beat 1


@dataclass(frozen=True)
class TempoMap:
    """A cue's tempo map: segments from bar 1 beat 1 at the start of ``start_frame``."""

    rate: Rate
    start_frame: int
    segments: tuple[Segment, ...]
    count_in_bars: int = 0  # whole bars of clicks before bar 1 (first segment's meter/tempo)
    pickup_beats: int = 0  # beats of music before bar 1: the end of bar 0
    subdivision: int = 1  # the grid the hits were solved on: 1/N of a beat (2: eighths)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", get_rate(self.rate))
        object.__setattr__(self, "segments", tuple(self.segments))
        if not self.segments:
            raise InputError("a tempo map needs at least one segment", field="segments",
                             valid="one or more bars of a meter and tempo")
        if self.segments[0].is_free:
            raise InputError("the first segment cannot be free time: bar 1 needs a click",
                             field="segments", valid="start with a clicked segment")
        if self.count_in_bars < 0 or self.pickup_beats < 0:
            raise InputError("count-in and pickup cannot be negative", field="count_in",
                             value=f"{self.count_in_bars} bars, {self.pickup_beats} beats",
                             valid="0 or more")
        if not isinstance(self.subdivision, int) or not 1 <= self.subdivision <= MAX_SUBDIVISION:
            raise InputError("subdivision out of range", field="subdivision",
                             value=str(self.subdivision),
                             valid=f"1 (beats), 2 (eighths in 4/4) ... {MAX_SUBDIVISION}")
        if self.pickup_beats >= self.segments[0].meter.numerator:
            raise InputError("a pickup is shorter than a bar", field="pickup",
                             value=str(self.pickup_beats),
                             valid=f"0 to {self.segments[0].meter.numerator - 1} beats")

    # -- construction helpers ------------------------------------------------------------

    @classmethod
    def constant(cls, rate: Rate | str, start_frame: int, tempo_bpm: Fraction, bars: int,
                 meter: Meter | None = None, **kw) -> TempoMap:
        return cls(get_rate(rate), start_frame,
                   (Segment(bars=bars, meter=meter or Meter(), tempo_bpm=tempo_bpm),), **kw)

    def with_segments(self, segments: Sequence[Segment]) -> TempoMap:
        return replace(self, segments=tuple(segments))

    # -- layout ----------------------------------------------------------------------------

    @cached_property
    def _placed(self) -> tuple[_Placed, ...]:
        placed, bar, start = [], 1, Fraction(0)
        for seg in self.segments:
            placed.append(_Placed(seg, bar, start))
            bar += seg.bars
            start += seg.duration(self.rate)
        return tuple(placed)

    @property
    def bar_count(self) -> int:
        return sum(s.bars for s in self.segments)

    @property
    def end_seconds(self) -> Fraction:
        """Time of the end of the last bar, from bar 1 beat 1."""
        last = self._placed[-1]
        return last.start + last.segment.duration(self.rate)

    @property
    def start_seconds(self) -> Fraction:
        """Absolute time of bar 1 beat 1 (from frame 0)."""
        return frame_to_seconds(self.start_frame, self.rate)

    @property
    def lead_beats(self) -> int:
        """Clicks before bar 1: whole count-in bars, the pickup (if any) inside the last."""
        return max(self.count_in_bars * self.segments[0].meter.numerator, self.pickup_beats)

    @property
    def first_beat_seconds(self) -> Fraction:
        """Time of the first click, count-in included (negative when there is one)."""
        return -self.segments[0].beat_seconds(self.rate) * self.lead_beats

    def _segment_of_bar(self, bar: int) -> _Placed:
        for placed in reversed(self._placed):
            if bar >= placed.first_bar:
                return placed
        return self._placed[0]

    def seconds_of(self, position: Position | tuple[int, int] | tuple[int, int, int]
                   ) -> Fraction:
        """Exact time of a position, from bar 1 beat 1 (bars <= 0: pickup and count-in,
        at the first segment's starting tempo)."""
        pos = position if isinstance(position, Position) else Position(*position)
        placed = self._segment_of_bar(pos.bar)
        seg = placed.segment
        if not 1 <= pos.beat <= seg.meter.numerator:
            raise InputError("no such beat in that bar", field="beat",
                             value=f"{pos.bar}|{pos.beat}",
                             valid=f"beats 1 to {seg.meter.numerator} in {seg.meter}")
        if not 0 <= pos.tick < seg.meter.ticks_per_beat:
            raise InputError("tick out of range", field="tick", value=str(pos.tick),
                             valid=f"0 to {seg.meter.ticks_per_beat - 1}")
        x = (Fraction(pos.bar - placed.first_bar) * seg.meter.numerator + pos.beat - 1
             + Fraction(pos.tick, seg.meter.ticks_per_beat))
        if pos.bar < 1:
            return seg.beat_seconds(self.rate) * x
        if pos.bar >= placed.first_bar + seg.bars and placed is self._placed[-1]:
            # past the end: keep the final tempo going
            over = x - seg.beats
            return placed.start + seg.duration(self.rate) + over * Fraction(60) / seg.tempo_at(
                Fraction(seg.beats), self.rate)
        return placed.start + seg.time_at(x, self.rate)

    def position_at(self, seconds: Fraction) -> Position:
        """The position sounding at ``seconds`` from bar 1 (floor to the tick)."""
        seconds = Fraction(seconds)
        if seconds < 0:
            first = self.segments[0]
            ticks = (seconds / first.beat_seconds(self.rate) * first.meter.ticks_per_beat)
            return self._from_ticks(1, first, ticks.__floor__())
        for placed in reversed(self._placed):
            if seconds >= placed.start:
                break
        seg = placed.segment
        local = seconds - placed.start
        tpb = seg.meter.ticks_per_beat
        duration = seg.duration(self.rate)
        if local >= duration:  # past the end of the map: the final tempo goes on
            over = (local - duration) * seg.tempo_at(Fraction(seg.beats), self.rate) / 60
            ticks = seg.beats * tpb + (over * tpb).__floor__()
            return self._from_ticks(placed.first_bar, seg, ticks)
        if seg.is_free:
            return self._from_ticks(placed.first_bar, seg,
                                    (local / duration * seg.beats * tpb).__floor__())
        if not seg.is_ramp:
            return self._from_ticks(placed.first_bar, seg,
                                    (local / seg.beat_seconds(self.rate) * tpb).__floor__())
        # ramp: the time is increasing in x; bisect on whole ticks, exactly
        lo, hi = 0, seg.beats * tpb
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if seg.time_at(Fraction(mid, tpb), self.rate) <= local:
                lo = mid
            else:
                hi = mid - 1
        return self._from_ticks(placed.first_bar, seg, lo)

    @staticmethod
    def _from_ticks(first_bar: int, seg: Segment, ticks: int) -> Position:
        tpb = seg.meter.ticks_per_beat
        beats, tick = divmod(ticks, tpb)
        bars, beat = divmod(beats, seg.meter.numerator)
        return Position(first_bar + bars, beat + 1, tick)

    # -- frames and samples ---------------------------------------------------------------

    def absolute_seconds(self, seconds: Fraction) -> Fraction:
        return self.start_seconds + seconds

    def frame_at(self, seconds: Fraction) -> int:
        """The frame whose start is nearest to ``seconds`` (from bar 1; half up)."""
        return (self.absolute_seconds(seconds) * self.rate.fps + Fraction(1, 2)).__floor__()

    def frames_off(self, frame: int, seconds: Fraction) -> Fraction:
        """How far (in frames, signed) a time lies from the start of ``frame``."""
        return self.absolute_seconds(seconds) * self.rate.fps - frame

    def seconds_of_frame(self, frame: int) -> Fraction:
        """Time of the start of an absolute frame, from bar 1 beat 1."""
        return frame_to_seconds(frame, self.rate) - self.start_seconds

    def sample_at(self, seconds: Fraction, *, sample_rate: int, origin_seconds: Fraction
                  ) -> int:
        """Sample index of ``seconds`` (from bar 1) in a file starting at ``origin_seconds``
        (also from bar 1), rounded half up."""
        return ((seconds - origin_seconds) * sample_rate + Fraction(1, 2)).__floor__()

    # -- iteration ------------------------------------------------------------------------

    def bars(self) -> Iterator[Bar]:
        for placed in self._placed:
            seg = placed.segment
            for i in range(seg.bars):
                x = Fraction(i * seg.meter.numerator)
                yield Bar(placed.first_bar + i, placed.start + seg.time_at(x, self.rate),
                          seg.meter, seg.tempo_at(x, self.rate), seg.is_free)

    def beats(self, *, subdivision: int = 1, count_in: bool = True,
              until_seconds: Fraction | None = None) -> Iterator[Beat]:
        """Every click in time order: count-in, pickup, then each beat of each clicked bar
        (free time has none), with ``subdivision`` - 1 extra clicks per beat."""
        if subdivision < 1:
            raise InputError("subdivision must be 1 or more", field="subdivision",
                             value=str(subdivision), valid="1 (beats), 2 (eighths in 4/4), ...")
        first = self.segments[0]
        s0 = first.beat_seconds(self.rate)
        lead = self.lead_beats if count_in else self.pickup_beats
        for j in range(lead, 0, -1):
            bars_back, beat_index = divmod(-j, first.meter.numerator)
            for sub in range(subdivision):
                t = s0 * (Fraction(sub, subdivision) - j)
                if until_seconds is not None and t >= until_seconds:
                    return
                yield Beat(1 + bars_back, beat_index + 1, sub, t, first.meter, first.tempo_bpm,
                           count_in=j > self.pickup_beats)
        for placed in self._placed:
            seg = placed.segment
            if seg.is_free:
                continue
            for b in range(seg.beats):
                bar, beat = divmod(b, seg.meter.numerator)
                for sub in range(subdivision):
                    x = b + Fraction(sub, subdivision)
                    t = placed.start + seg.time_at(x, self.rate)
                    if until_seconds is not None and t >= until_seconds:
                        return
                    yield Beat(placed.first_bar + bar, beat + 1, sub, t, seg.meter,
                               seg.tempo_at(x))

    # -- storage --------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The map as stored: ``subdivision`` only when it is not 1 (maps stored before it
        existed read back as solved on the beat)."""
        out = {
            "rate": self.rate.name,
            "start_frame": self.start_frame,
            "count_in_bars": self.count_in_bars,
            "pickup_beats": self.pickup_beats,
            "segments": [s.to_dict() for s in self.segments],
        }
        if self.subdivision != 1:
            out["subdivision"] = self.subdivision
        return out

    @classmethod
    def from_dict(cls, data: dict) -> TempoMap:
        try:
            return cls(
                rate=get_rate(data["rate"]),
                start_frame=int(data["start_frame"]),
                segments=tuple(Segment.from_dict(s) for s in data["segments"]),
                count_in_bars=int(data.get("count_in_bars", 0)),
                pickup_beats=int(data.get("pickup_beats", 0)),
                subdivision=int(data.get("subdivision", 1)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"stored tempo map is damaged: {exc}",
                                  field="tempo_map") from None
