"""Frame rates, SMPTE timecode and feet+frames: pure and exact (Fractions, integer frames).

Picture time is an integer frame count at a rational rate.  A timecode label is only a
name for a frame; ``label_to_frame`` and ``frame_to_label`` convert between the two for
every rate in ``RATES``, drop-frame included.  Seconds are ``Fraction``; samples are
integers at a sample rate (rounded half up only where a frame does not fall on a sample).

Drop-frame (29.97 DF, 59.94 DF) skips labels ;00 and ;01 (;00-;03 at 59.94) of every
minute except each tenth; those labels are illegal and refused.  23.976 and 47.952 have
no drop-frame: their labels are those of 24 and 48.

Labels count from 00:00:00:00 = frame 0 and wrap after 24 hours (frame counts do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from filmscore.errors import TimecodeError


@dataclass(frozen=True)
class Rate:
    """A picture frame rate: exact frames per second, the label base and drop-frame flag."""

    name: str
    fps: Fraction
    nominal: int
    drop_frame: bool = False

    @property
    def drop_count(self) -> int:
        """Labels skipped at each dropping minute (2 at 29.97 DF, 4 at 59.94 DF, else 0)."""
        return self.nominal // 15 if self.drop_frame else 0

    @property
    def frames_per_day(self) -> int:
        return self.frames_per_10min * 6 * 24

    @property
    def frames_per_10min(self) -> int:
        return self.nominal * 600 - 9 * self.drop_count

    @property
    def separator(self) -> str:
        """Separator before the frames field when displayed: ';' for drop-frame, ':' else."""
        return ";" if self.drop_frame else ":"

    def __str__(self) -> str:
        return self.name


#: The rates filmscore knows, by name.  Vocabulary as data: add a rate here, nowhere else.
RATES: dict[str, Rate] = {
    r.name: r
    for r in (
        Rate("23.976", Fraction(24000, 1001), 24),
        Rate("24", Fraction(24), 24),
        Rate("25", Fraction(25), 25),
        Rate("29.97df", Fraction(30000, 1001), 30, drop_frame=True),
        Rate("29.97", Fraction(30000, 1001), 30),
        Rate("30", Fraction(30), 30),
        Rate("47.952", Fraction(48000, 1001), 48),
        Rate("48", Fraction(48), 48),
        Rate("50", Fraction(50), 50),
        Rate("59.94df", Fraction(60000, 1001), 60, drop_frame=True),
        Rate("59.94", Fraction(60000, 1001), 60),
        Rate("60", Fraction(60), 60),
    )
}

_ALIASES = {
    "23.98": "23.976",
    "23.97": "23.976",
    "24000/1001": "23.976",
    "29.97ndf": "29.97",
    "29.97 ndf": "29.97",
    "29.97 df": "29.97df",
    "29.97d": "29.97df",
    "30000/1001": "29.97",
    "47.95": "47.952",
    "48000/1001": "47.952",
    "59.94ndf": "59.94",
    "59.94 ndf": "59.94",
    "59.94 df": "59.94df",
    "60000/1001": "59.94",
    "24/1": "24",
    "25/1": "25",
    "30/1": "30",
    "48/1": "48",
    "50/1": "50",
    "60/1": "60",
}

VALID_RATE_NAMES = ", ".join(RATES)


def get_rate(name: str | Rate | Fraction | int | float, *, field: str = "rate") -> Rate:
    """Look up a rate by name ('23.976', '29.97df', ...), alias, or exact fps value.

    A Fraction or int picks the non-drop rate of that speed; floats are matched to the
    nearest known rate within 0.01 fps (ffprobe and EDLs often give 23.98 or 29.97).
    """
    if isinstance(name, Rate):
        return name
    if isinstance(name, (Fraction, int)) and not isinstance(name, bool):
        for rate in RATES.values():
            if rate.fps == name and not rate.drop_frame:
                return rate
        raise TimecodeError("unknown frame rate", field=field, value=str(name),
                            valid=VALID_RATE_NAMES)
    if isinstance(name, float):
        for rate in RATES.values():
            if not rate.drop_frame and abs(float(rate.fps) - name) < 0.01:
                return rate
        raise TimecodeError("unknown frame rate", field=field, value=str(name),
                            valid=VALID_RATE_NAMES)
    key = str(name).strip().lower().replace("fps", "").strip()
    key = _ALIASES.get(key, key)
    if key in RATES:
        return RATES[key]
    raise TimecodeError("unknown frame rate", field=field, value=str(name),
                        valid=VALID_RATE_NAMES)


# --- timecode labels ---------------------------------------------------------------

_LABEL = re.compile(r"^\s*(\d{1,2})([:;.,])(\d{2})([:;.,])(\d{2})([:;.,])(\d{2,3})\s*$")


def _minutes_dropped(total_minutes: int, rate: Rate) -> int:
    return rate.drop_count * (total_minutes - total_minutes // 10)


def parse_label(label: str, rate: Rate | str, *, field: str = "timecode") -> int:
    """Parse 'HH:MM:SS:FF' (or 'HH:MM:SS;FF' at a drop-frame rate) to a frame number.

    Drop-frame labels take ';' (or '.' / ',') before the frames; non-drop labels take
    ':' throughout.  Illegal labels (a dropped label, a frame number beyond the rate,
    minutes or seconds over 59, mismatched separators) raise TimecodeError.
    """
    rate = get_rate(rate)
    match = _LABEL.match(label) if isinstance(label, str) else None
    if not match:
        raise TimecodeError("not a timecode", field=field, value=label,
                            valid=f"HH:MM:SS{rate.separator}FF")
    hh, s1, mm, s2, ss, s3, ff = match.groups()
    h, m, s, f = int(hh), int(mm), int(ss), int(ff)
    if s1 != s2:
        raise TimecodeError("mismatched timecode separators", field=field, value=label,
                            valid=f"HH:MM:SS{rate.separator}FF")
    if rate.drop_frame:
        if s3 == ":" or s1 not in ":;" + s3:
            raise TimecodeError(f"a {rate.name} (drop-frame) timecode needs ';' before frames",
                                field=field, value=label, valid="HH:MM:SS;FF")
    elif s1 != ":" or s3 != ":":
        raise TimecodeError(f"a {rate.name} (non-drop) timecode uses ':' only",
                            field=field, value=label, valid="HH:MM:SS:FF")
    if m > 59 or s > 59 or h > 23:
        raise TimecodeError("hours over 23, or minutes or seconds over 59", field=field,
                            value=label, valid="00:00:00:00 to 23:59:59")
    if f >= rate.nominal:
        raise TimecodeError(f"frame number {f} is beyond {rate.name} fps", field=field,
                            value=label, valid=f"frames 00 to {rate.nominal - 1:02d}")
    if rate.drop_frame and s == 0 and m % 10 != 0 and f < rate.drop_count:
        raise TimecodeError(
            f"label dropped at {rate.name}: frames 00 to {rate.drop_count - 1:02d} do not exist "
            "at the start of a minute not divisible by ten", field=field, value=label,
            valid=f"{hh}:{mm}:00;{rate.drop_count:02d}")
    total_minutes = h * 60 + m
    frames = (total_minutes * 60 + s) * rate.nominal + f
    return frames - _minutes_dropped(total_minutes, rate)


def format_label(frame: int, rate: Rate | str) -> str:
    """Frame number -> timecode label ('01:00:00:00'; ';' before frames at drop-frame).

    Negative frame numbers are refused; labels wrap after 24 hours.
    """
    rate = get_rate(rate)
    if not isinstance(frame, int) or isinstance(frame, bool):
        raise TimecodeError("frame number must be an integer", field="frame", value=repr(frame))
    if frame < 0:
        raise TimecodeError("negative frame number has no timecode", field="frame",
                            value=str(frame), valid="0 or more")
    frame %= rate.frames_per_day
    if rate.drop_frame:
        d = rate.drop_count
        tens, rem = divmod(frame, rate.frames_per_10min)
        frame += 9 * d * tens
        if rem > d:
            frame += d * ((rem - d) // (rate.nominal * 60 - d))
    f = frame % rate.nominal
    total_seconds = frame // rate.nominal
    s = total_seconds % 60
    m = (total_seconds // 60) % 60
    h = total_seconds // 3600
    return f"{h:02d}:{m:02d}:{s:02d}{rate.separator}{f:02d}"


def is_valid_label(label: str, rate: Rate | str) -> bool:
    """True if ``label`` parses at ``rate``."""
    try:
        parse_label(label, rate)
    except TimecodeError:
        return False
    return True


# --- seconds and samples -------------------------------------------------------------


def frame_to_seconds(frame: int, rate: Rate | str) -> Fraction:
    """Exact time of the start of a frame, in seconds, counted from frame 0."""
    return Fraction(frame) / get_rate(rate).fps


def seconds_to_frame(seconds: Fraction | int | str, rate: Rate | str) -> int:
    """The frame that is showing at ``seconds`` (floor), exactly.  Floats are refused."""
    if isinstance(seconds, float):
        raise TimecodeError("seconds must be exact (Fraction, int or '1001/24000')",
                            field="seconds", value=repr(seconds))
    seconds = Fraction(seconds)
    return (seconds * get_rate(rate).fps).__floor__()


def frame_to_samples(frame: int, rate: Rate | str, sample_rate: int = 48000) -> int:
    """Sample index at the start of a frame (rounded half up to the nearest sample)."""
    exact = Fraction(frame) * sample_rate / get_rate(rate).fps
    return (exact + Fraction(1, 2)).__floor__()


def samples_to_frame(samples: int, rate: Rate | str, sample_rate: int = 48000) -> int:
    """The frame showing at a sample index: the last frame whose start sample
    (``frame_to_samples``, rounded half up) is at or before it, so that
    ``samples_to_frame(frame_to_samples(f)) == f`` at every rate and sample rate."""
    # last f with floor(f*k + 1/2) <= samples, i.e. f < (samples + 1/2) / k: ceil(x) - 1
    x = (Fraction(samples) + Fraction(1, 2)) * get_rate(rate).fps / sample_rate
    return x.__ceil__() - 1


def label_to_seconds(label: str, rate: Rate | str) -> Fraction:
    return frame_to_seconds(parse_label(label, rate), rate)


def format_duration(frames: int, rate: Rate | str) -> str:
    """A length as M:SS (rounded down to whole seconds) + frames, e.g. '1:23+12'."""
    rate = get_rate(rate)
    if frames < 0:
        return "-" + format_duration(-frames, rate)
    secs = Fraction(frames) / rate.fps
    whole = secs.__floor__()
    rest = frames - (Fraction(whole) * rate.fps).__ceil__()
    return f"{whole // 60}:{whole % 60:02d}+{max(rest, 0):02d}"


# --- feet + frames ---------------------------------------------------------------------


@dataclass(frozen=True)
class FilmGauge:
    """A film gauge and pulldown: frames per foot, possibly in a repeating cycle."""

    name: str
    cycle: tuple[int, ...]  # frames in each foot of the repeating cycle

    @property
    def frames_per_cycle(self) -> int:
        return sum(self.cycle)


#: 35 mm 4-perf: 16 frames a foot.  35 mm 3-perf: 64 perfs a foot, 3 perfs a frame, so
#: feet hold 21, 21 and 22 frames in a 3-foot cycle.  16 mm: 40 frames a foot.
GAUGES: dict[str, FilmGauge] = {
    g.name: g
    for g in (
        FilmGauge("35mm4p", (16,)),
        FilmGauge("35mm3p", (21, 21, 22)),
        FilmGauge("16mm", (40,)),
    )
}


def _gauge(gauge: str | FilmGauge) -> FilmGauge:
    if isinstance(gauge, FilmGauge):
        return gauge
    if gauge in GAUGES:
        return GAUGES[gauge]
    raise TimecodeError("unknown film gauge", field="gauge", value=gauge,
                        valid=", ".join(GAUGES))


def frame_to_feet(frame: int, gauge: str | FilmGauge = "35mm4p") -> tuple[int, int]:
    """Frame number -> (feet, frames) footage, counting from 0+00."""
    g = _gauge(gauge)
    if frame < 0:
        raise TimecodeError("negative frame number has no footage", field="frame",
                            value=str(frame), valid="0 or more")
    cycles, rem = divmod(frame, g.frames_per_cycle)
    feet = cycles * len(g.cycle)
    for length in g.cycle:
        if rem < length:
            break
        rem -= length
        feet += 1
    return feet, rem


def feet_to_frame(feet: int, frames: int, gauge: str | FilmGauge = "35mm4p") -> int:
    """(feet, frames) footage -> frame number; frames beyond that foot's length are refused."""
    g = _gauge(gauge)
    if feet < 0 or frames < 0:
        raise TimecodeError("negative footage", field="footage", value=f"{feet}+{frames:02d}",
                            valid="0+00 or more")
    cycles, foot_in_cycle = divmod(feet, len(g.cycle))
    length = g.cycle[foot_in_cycle]
    if frames >= length:
        raise TimecodeError(f"foot {feet} of {g.name} has {length} frames",
                            field="footage", value=f"{feet}+{frames:02d}",
                            valid=f"+00 to +{length - 1:02d}")
    return cycles * g.frames_per_cycle + sum(g.cycle[:foot_in_cycle]) + frames


def format_feet(frame: int, gauge: str | FilmGauge = "35mm4p") -> str:
    feet, frames = frame_to_feet(frame, gauge)
    return f"{feet}+{frames:02d}"


_FEET = re.compile(r"^\s*(\d+)\s*\+\s*(\d{1,2})\s*$")


def parse_feet(text: str, gauge: str | FilmGauge = "35mm4p") -> int:
    """Parse '123+08' footage to a frame number."""
    match = _FEET.match(text) if isinstance(text, str) else None
    if not match:
        raise TimecodeError("not a feet+frames value", field="footage", value=text,
                            valid="FEET+FF, e.g. 90+08")
    return feet_to_frame(int(match.group(1)), int(match.group(2)), gauge)
