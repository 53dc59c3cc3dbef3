"""Tests for filmscore.timecode: rates, SMPTE labels, seconds/samples, feet+frames.

The drop-frame rule is checked against an independent "next label" function (count
labels like a clock, skipping the dropped ones) rather than against the module's own
arithmetic.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from filmscore.errors import InputError, TimecodeError
from filmscore.timecode import (
    GAUGES,
    RATES,
    feet_to_frame,
    format_feet,
    format_label,
    frame_to_feet,
    frame_to_samples,
    frame_to_seconds,
    get_rate,
    is_valid_label,
    label_to_seconds,
    parse_feet,
    parse_label,
    samples_to_frame,
    seconds_to_frame,
)

RATE_NAMES = list(RATES)
DF_RATE_NAMES = [name for name, rate in RATES.items() if rate.drop_frame]
SAMPLE_RATES = (48000, 44100, 96000)
PROPERTY = settings(max_examples=200, deadline=None)


# --- an independent model of labels ---------------------------------------------------


def split(label: str) -> tuple[int, int, int, int]:
    return tuple(int(x) for x in re.split(r"[:;]", label))  # type: ignore[return-value]


def join(h: int, m: int, s: int, f: int, rate_name: str) -> str:
    sep = ";" if RATES[rate_name].drop_frame else ":"
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{f:02d}"


def is_dropped(m: int, s: int, f: int, rate_name: str) -> bool:
    """SMPTE 12M: at 29.97 DF labels ;00-;01 (;00-;03 at 59.94 DF) of every minute not
    divisible by ten do not exist."""
    rate = RATES[rate_name]
    if not rate.drop_frame:
        return False
    dropped = {30: 2, 60: 4}[rate.nominal]
    return s == 0 and m % 10 != 0 and f < dropped


def next_label(label: str, rate_name: str) -> str:
    """The label after ``label``: a clock of nominal frames, skipping dropped labels."""
    h, m, s, f = split(label)
    nominal = RATES[rate_name].nominal
    while True:
        f += 1
        if f == nominal:
            f, s = 0, s + 1
        if s == 60:
            s, m = 0, m + 1
        if m == 60:
            m, h = 0, h + 1
        if h == 24:
            h = 0
        if not is_dropped(m, s, f, rate_name):
            return join(h, m, s, f, rate_name)


@st.composite
def rate_and_frame(draw, rate_names=RATE_NAMES):
    """A rate and a frame in its 24 hours, biased toward minute and ten-minute edges."""
    name = draw(st.sampled_from(rate_names))
    rate = RATES[name]
    day = rate.frames_per_day
    edge = draw(st.booleans())
    if edge:
        minute = draw(st.integers(0, 24 * 60 - 1))
        start = parse_label(join(minute // 60, minute % 60, 0, 0, name), name) if (
            not is_dropped(minute % 60, 0, 0, name)) else parse_label(
            join(minute // 60, minute % 60, 0, rate.drop_count, name), name)
        frame = min(max(start + draw(st.integers(-6, 6)), 0), day - 1)
    else:
        frame = draw(st.integers(0, day - 1))
    return name, frame


# --- 1. fixed values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "frame", "label"),
    [
        ("29.97df", 0, "00:00:00;00"),
        ("29.97df", 1799, "00:00:59;29"),
        ("29.97df", 1800, "00:01:00;02"),
        ("29.97df", 15000, "00:08:20;16"),
        ("29.97df", 17981, "00:09:59;29"),
        ("29.97df", 17982, "00:10:00;00"),
        ("29.97df", 17983, "00:10:00;01"),
        ("29.97df", 107892, "01:00:00;00"),
        ("29.97df", 2589407, "23:59:59;29"),
        ("59.94df", 3599, "00:00:59;59"),
        ("59.94df", 3600, "00:01:00;04"),
        ("59.94df", 35964, "00:10:00;00"),
        ("59.94df", 215784, "01:00:00;00"),
        ("59.94df", 5178815, "23:59:59;59"),
        ("29.97", 1800, "00:01:00:00"),
        ("29.97", 107892, "00:59:56:12"),
        ("29.97", 2591999, "23:59:59:29"),
        ("23.976", 86400, "01:00:00:00"),
        ("24", 86400, "01:00:00:00"),
        ("25", 90000, "01:00:00:00"),
        ("47.952", 172800, "01:00:00:00"),
        ("59.94", 215999, "00:59:59:59"),
    ],
)
def test_fixed_labels(rate, frame, label):
    assert format_label(frame, rate) == label
    assert parse_label(label, rate) == frame


def test_23976_hour_is_86400_frames_and_3603_6_seconds():
    assert parse_label("01:00:00:00", "23.976") == 86400
    seconds = label_to_seconds("01:00:00:00", "23.976")
    assert isinstance(seconds, Fraction)
    assert seconds == Fraction(36036, 10) == Fraction(18018, 5)
    assert frame_to_samples(86400, "23.976", 48000) == 3603.6 * 48000 == 172972800
    # 23.976 labels are those of 24: same frame for every label
    assert format_label(123456, "23.976") == format_label(123456, "24")


def test_24_hour_is_86400_frames_and_3600_seconds():
    assert parse_label("01:00:00:00", "24") == 86400
    assert label_to_seconds("01:00:00:00", "24") == Fraction(3600)
    assert frame_to_seconds(86400, "24") == 3600


def test_day_lengths_and_wrap():
    assert RATES["29.97df"].frames_per_day == 2589408
    assert RATES["59.94df"].frames_per_day == 5178816
    assert RATES["29.97"].frames_per_day == 30 * 86400
    assert RATES["23.976"].frames_per_day == 24 * 86400
    for name, rate in RATES.items():
        day = rate.frames_per_day
        assert format_label(day, name) == join(0, 0, 0, 0, name)
        assert format_label(day + 12345, name) == format_label(12345, name)
        assert format_label(day - 1, name) == join(23, 59, 59, rate.nominal - 1, name)


def test_display_separator():
    assert format_label(1800, "29.97df") == "00:01:00;02"
    assert format_label(3600, "59.94df") == "00:01:00;04"
    for name, rate in RATES.items():
        label = format_label(123457, name)
        assert label[8] == (";" if rate.drop_frame else ":")
        assert label[:8].count(":") == 2 and ";" not in label[:8]


def test_rates_are_exact():
    assert RATES["23.976"].fps == Fraction(24000, 1001)
    assert RATES["29.97"].fps == RATES["29.97df"].fps == Fraction(30000, 1001)
    assert RATES["47.952"].fps == Fraction(48000, 1001)
    assert RATES["59.94"].fps == RATES["59.94df"].fps == Fraction(60000, 1001)
    assert not any(RATES[n].drop_frame for n in ("23.976", "47.952", "24", "30", "60"))


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("23.98", "23.976"),
        ("24000/1001", "23.976"),
        ("29.97 DF", "29.97df"),
        ("29.97NDF", "29.97"),
        ("59.94 df", "59.94df"),
        (" 25fps ", "25"),
        (Fraction(30000, 1001), "29.97"),
        (24000 / 1001, "23.976"),
        (48000 / 1001, "47.952"),
        (60000 / 1001, "59.94"),
        (24, "24"),
    ],
)
def test_rate_aliases(given_name, expected):
    assert get_rate(given_name) is RATES[expected]


# --- 1b. refused labels and rates -----------------------------------------------------


def assert_refused(label, rate, valid):
    with pytest.raises(TimecodeError) as info:
        parse_label(label, rate)
    message = str(info.value)
    assert isinstance(info.value, InputError)
    assert label in message, message
    assert f"valid: {valid}" in message, message
    assert not is_valid_label(label, rate)
    return message


@pytest.mark.parametrize(
    ("label", "rate", "valid"),
    [
        ("00:01:00;00", "29.97df", "00:01:00;02"),
        ("00:01:00;01", "29.97df", "00:01:00;02"),
        ("23:59:00;01", "29.97df", "23:59:00;02"),
        ("00:01:00;00", "59.94df", "00:01:00;04"),
        ("00:01:00;01", "59.94df", "00:01:00;04"),
        ("00:01:00;02", "59.94df", "00:01:00;04"),
        ("00:01:00;03", "59.94df", "00:01:00;04"),
        ("07:09:00;03", "59.94df", "07:09:00;04"),
    ],
)
def test_dropped_labels_refused(label, rate, valid):
    message = assert_refused(label, rate, valid)
    assert "dropped" in message


@pytest.mark.parametrize(
    ("label", "rate"),
    [
        ("00:10:00;00", "29.97df"),
        ("00:10:00;01", "29.97df"),
        ("00:01:00;02", "29.97df"),
        ("00:01:01;00", "29.97df"),
        ("00:10:00;00", "59.94df"),
        ("00:10:00;03", "59.94df"),
        ("00:01:00;04", "59.94df"),
        ("00:01:00:00", "29.97"),
        ("00:01:00:00", "59.94"),
    ],
)
def test_legal_labels_near_drops_accepted(label, rate):
    assert is_valid_label(label, rate)
    assert format_label(parse_label(label, rate), rate) == label


@pytest.mark.parametrize(
    ("label", "rate", "valid"),
    [
        ("00:01;00:02", "29.97df", "HH:MM:SS;FF"),  # mismatched separators
        ("00:01;00:02", "24", "HH:MM:SS:FF"),
        ("00:01:00;02", "29.97", "HH:MM:SS:FF"),  # ';' at a non-drop rate
        ("00:00:00;00", "24", "HH:MM:SS:FF"),
        ("01:00:00;00", "23.976", "HH:MM:SS:FF"),
        ("00:01:00:02", "29.97df", "HH:MM:SS;FF"),  # ':' before frames at a DF rate
        ("00:10:00:00", "59.94df", "HH:MM:SS;FF"),
        ("00:00:00:24", "24", "frames 00 to 23"),  # frames >= rate
        ("00:00:00;30", "29.97df", "frames 00 to 29"),
        ("00:00:00:60", "60", "frames 00 to 59"),
        ("00:00:00:25", "25", "frames 00 to 24"),
        ("00:60:00:00", "24", "00:00:00:00 to 23:59:59"),  # minutes 60
        ("00:00:60;00", "29.97df", "00:00:00:00 to 23:59:59"),
        ("24:00:00:00", "24", "00:00:00:00 to 23:59:59"),
        ("garbage", "24", "HH:MM:SS:FF"),
        ("1:2:3:4", "29.97df", "HH:MM:SS;FF"),
        ("", "25", "HH:MM:SS:FF"),
    ],
)
def test_bad_labels_refused(label, rate, valid):
    assert_refused(label, rate, valid)


@pytest.mark.parametrize("bad", ["23.976df", "24df", "31", "29.9", "ntsc", Fraction(31),
                                 31.5, 0])
def test_unknown_rate_lists_valid_rates(bad):
    with pytest.raises(TimecodeError) as info:
        get_rate(bad)
    message = str(info.value)
    assert str(bad) in message
    for name in RATES:
        assert name in message
    with pytest.raises(TimecodeError):
        parse_label("00:00:00:00", bad)
    with pytest.raises(TimecodeError):
        format_label(0, bad)


def test_bad_frames_refused():
    with pytest.raises(TimecodeError, match="negative"):
        format_label(-1, "24")
    with pytest.raises(TimecodeError, match="integer"):
        format_label(1.0, "24")  # type: ignore[arg-type]
    with pytest.raises(TimecodeError, match="exact"):
        seconds_to_frame(1.5, "24")  # type: ignore[arg-type]


# --- 2. properties ----------------------------------------------------------------------


@PROPERTY
@given(rate_and_frame())
def test_frame_label_frame(case):
    name, frame = case
    label = format_label(frame, name)
    assert parse_label(label, name) == frame
    h, m, s, f = split(label)
    assert h < 24 and m < 60 and s < 60 and f < RATES[name].nominal
    assert not is_dropped(m, s, f, name)


@PROPERTY
@given(st.sampled_from(RATE_NAMES), st.integers(0, 23), st.integers(0, 59),
       st.integers(0, 59), st.integers(0, 59))
def test_label_frame_label(name, h, m, s, f):
    f %= RATES[name].nominal
    label = join(h, m, s, f, name)
    if is_dropped(m, s, f, name):
        with pytest.raises(TimecodeError, match="dropped"):
            parse_label(label, name)
        return
    frame = parse_label(label, name)
    assert 0 <= frame < RATES[name].frames_per_day
    assert format_label(frame, name) == label


@PROPERTY
@given(rate_and_frame())
def test_consecutive_frames_give_consecutive_labels(case):
    name, frame = case
    assume(frame + 1 < RATES[name].frames_per_day)
    here, there = format_label(frame, name), format_label(frame + 1, name)
    assert split(here) < split(there)
    assert there == next_label(here, name)


@PROPERTY
@given(st.sampled_from(RATE_NAMES), st.data())
def test_labels_strictly_increasing(name, data):
    day = RATES[name].frames_per_day
    a = data.draw(st.integers(0, day - 2))
    b = data.draw(st.integers(a + 1, day - 1))
    assert split(format_label(a, name)) < split(format_label(b, name))


@pytest.mark.parametrize("name", DF_RATE_NAMES)
def test_drop_frame_exhaustive_first_hour_and_end_of_day(name):
    """Every frame of hour 0 and of the last ten minutes of the day, both directions,
    against the independent clock (24 full hours would take ~30 s: too slow)."""
    rate = RATES[name]
    hour = rate.frames_per_10min * 6
    day = rate.frames_per_day
    for start, stop in ((0, hour + 1), (day - rate.frames_per_10min, day)):
        label = format_label(start, name)
        assert parse_label(label, name) == start
        for frame in range(start + 1, stop):
            label = next_label(label, name)
            assert format_label(frame, name) == label
            assert parse_label(label, name) == frame
    assert next_label(format_label(day - 1, name), name) == format_label(day, name)


@pytest.mark.parametrize("name", DF_RATE_NAMES)
def test_drop_frame_every_minute_of_the_day(name):
    """Around every minute boundary of all 24 hours: the labels either side."""
    rate = RATES[name]
    for minute in range(24 * 60):
        h, m = divmod(minute, 60)
        first = rate.drop_count if m % 10 else 0
        start = parse_label(join(h, m, 0, first, name), name)
        if start:
            assert format_label(start - 1, name) == join(*divmod(minute - 1, 60), 59,
                                                         rate.nominal - 1, name)
        assert format_label(start, name) == join(h, m, 0, first, name)
        # labels before it: nominal frames a minute, less drop_count at 9 minutes in 10
        assert start == minute * 60 * rate.nominal + first - rate.drop_count * (
            minute - minute // 10)


# --- seconds and samples ----------------------------------------------------------------


@PROPERTY
@given(rate_and_frame())
def test_frames_seconds_exact(case):
    name, frame = case
    seconds = frame_to_seconds(frame, name)
    assert isinstance(seconds, Fraction)
    assert seconds == Fraction(frame) / RATES[name].fps
    assert seconds_to_frame(seconds, name) == frame
    assert seconds_to_frame(seconds - Fraction(1, 10**9), name) == frame - 1
    next_start = frame_to_seconds(frame + 1, name)
    assert seconds_to_frame(next_start - Fraction(1, 10**9), name) == frame
    assert seconds_to_frame(str(seconds), name) == frame


@PROPERTY
@given(rate_and_frame(), st.sampled_from(SAMPLE_RATES))
def test_frames_samples_consistent(case, sample_rate):
    name, frame = case
    exact = frame_to_seconds(frame, name) * sample_rate
    sample = frame_to_samples(frame, name, sample_rate)
    assert abs(sample - exact) <= Fraction(1, 2)
    if exact - exact.__floor__() == Fraction(1, 2):
        assert sample == exact.__ceil__()  # half up
    assert samples_to_frame(sample, name, sample_rate) == frame
    next_sample = frame_to_samples(frame + 1, name, sample_rate)
    assert next_sample > sample
    assert samples_to_frame(next_sample - 1, name, sample_rate) == frame


@pytest.mark.parametrize("name", RATE_NAMES)
@pytest.mark.parametrize("sample_rate", SAMPLE_RATES)
def test_samples_round_trip_first_frames(name, sample_rate):
    """Every one of the first 3,000 frames: sample -> frame undoes frame -> sample."""
    for frame in range(3000):
        sample = frame_to_samples(frame, name, sample_rate)
        assert samples_to_frame(sample, name, sample_rate) == frame, (frame, sample)


def test_samples_fixed():
    assert frame_to_samples(1, "24", 48000) == 2000
    assert frame_to_samples(1, "23.976", 48000) == 2002
    assert frame_to_samples(1, "29.97df", 48000) == 1602  # 1601.6
    assert frame_to_samples(2, "29.97df", 48000) == 3203  # 3203.2
    assert samples_to_frame(3203, "29.97df", 48000) == 2
    assert samples_to_frame(3202, "29.97df", 48000) == 1
    assert frame_to_samples(1, "24", 44100) == 1838  # 1837.5 rounds half up
    assert samples_to_frame(1837, "24", 44100) == 0
    assert samples_to_frame(1838, "24", 44100) == 1


# --- 4. feet + frames --------------------------------------------------------------------


def three_perf_model(frame: int) -> tuple[int, int]:
    """35 mm 3-perf from perforations: 64 perfs a foot, 3 a frame; a frame belongs to the
    foot that holds its last perforation (so feet hold 21, 21, 22 frames)."""
    foot = (3 * frame + 2) // 64
    first = -((2 - 64 * foot) // 3)  # ceil((64 * foot - 2) / 3)
    return foot, frame - max(first, 0)


@pytest.mark.parametrize(
    ("gauge", "frame", "footage"),
    [
        ("35mm4p", 0, "0+00"),
        ("35mm4p", 15, "0+15"),
        ("35mm4p", 16, "1+00"),
        ("35mm4p", 1448, "90+08"),
        ("35mm3p", 20, "0+20"),
        ("35mm3p", 21, "1+00"),
        ("35mm3p", 41, "1+20"),
        ("35mm3p", 42, "2+00"),
        ("35mm3p", 63, "2+21"),
        ("35mm3p", 64, "3+00"),
        ("35mm3p", 127, "5+21"),
        ("35mm3p", 128, "6+00"),
        ("16mm", 39, "0+39"),
        ("16mm", 40, "1+00"),
        ("16mm", 3608, "90+08"),
    ],
)
def test_feet_fixed(gauge, frame, footage):
    assert format_feet(frame, gauge) == footage
    assert parse_feet(footage, gauge) == frame


def test_feet_default_gauge_is_4_perf():
    assert parse_feet("90+08") == 1448
    assert frame_to_feet(1448) == (90, 8)


def test_three_perf_cycle_lengths():
    lengths = [sum(1 for f in range(64 * 10) if frame_to_feet(f, "35mm3p")[0] == foot)
               for foot in range(9)]
    assert lengths == [21, 21, 22] * 3


@PROPERTY
@given(st.sampled_from(list(GAUGES)), st.integers(0, 10**8))
def test_feet_round_trip(gauge, frame):
    feet, frames = frame_to_feet(frame, gauge)
    g = GAUGES[gauge]
    assert 0 <= frames < g.cycle[feet % len(g.cycle)]
    assert feet_to_frame(feet, frames, gauge) == frame
    assert parse_feet(format_feet(frame, gauge), gauge) == frame
    after = frame_to_feet(frame + 1, gauge)
    assert after in ((feet, frames + 1), (feet + 1, 0))
    if gauge == "35mm3p":
        assert (feet, frames) == three_perf_model(frame)
    else:
        assert (feet, frames) == divmod(frame, g.cycle[0])


@pytest.mark.parametrize(
    ("footage", "gauge", "valid"),
    [
        ("1+21", "35mm3p", "+00 to +20"),
        ("0+21", "35mm3p", "+00 to +20"),
        ("4+21", "35mm3p", "+00 to +20"),
        ("2+22", "35mm3p", "+00 to +21"),
        ("1+16", "35mm4p", "+00 to +15"),
        ("0+40", "16mm", "+00 to +39"),
    ],
)
def test_illegal_footage_refused(footage, gauge, valid):
    with pytest.raises(TimecodeError) as info:
        parse_feet(footage, gauge)
    message = str(info.value)
    assert footage in message
    assert f"valid: {valid}" in message
    feet = int(footage.split("+")[0])
    assert f"foot {feet} of {gauge} has" in message


@pytest.mark.parametrize("bad", ["", "12", "+08", "1+", "a+01", "1+123", "-1+00"])
def test_bad_footage_text_refused(bad):
    with pytest.raises(TimecodeError, match="valid: FEET\\+FF"):
        parse_feet(bad, "35mm4p")


def test_bad_feet_values_refused():
    with pytest.raises(TimecodeError, match="negative"):
        frame_to_feet(-1, "35mm3p")
    with pytest.raises(TimecodeError, match="negative"):
        feet_to_frame(-1, 0, "35mm3p")
    with pytest.raises(TimecodeError) as info:
        format_feet(0, "65mm")
    assert all(name in str(info.value) for name in GAUGES)
