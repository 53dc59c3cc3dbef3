"""filmscore.timecode against OpenTimelineIO's opentime (0.18).

OTIO rates are floats: we pass ``float(rate.fps)`` (30000/1001, not 29.97) and the
drop-frame flag explicitly.  Where OTIO and filmscore disagree, the test says who is
right and pins the disagreement exactly, so an OTIO upgrade that changes it shows up.

Disagreements found (OTIO 0.18.1):

1. ``to_timecode`` at 29.97 NDF, 47.952 and 59.94 NDF wraps the clock early, at
   ``round(rate * 3600) * 24`` frames (2,589,408 / 4,143,048 / 5,178,816) instead of a
   full day of labels (nominal * 86,400 frames).  The last 2,592 / 4,152 / 5,184 frames of
   the label day get labels from 00:00:00:00 again.  filmscore is right: a non-drop label
   counts ``nominal`` frames per labelled second, so 23:59:59:29 is a real NDF label
   (OTIO's own ``from_timecode`` maps it to frame 2,591,999).  Integer rates, 23.976
   (OTIO rounds it to 24) and the drop-frame rates agree everywhere, also past 24 hours.
2. ``from_timecode`` accepts labels filmscore refuses: dropped drop-frame labels
   (00:01:00;00 becomes frame 1798, an alias of 00:00:59;28), hours 24 or more (frames
   past a day), minutes or seconds of 60, and mismatched separators (it reads fixed
   character positions).  filmscore is right to refuse them: SMPTE 12M defines none of
   them, and silently aliasing a dropped label onto another frame hides a typo.
3. Separator conventions: OTIO decides drop-frame from ';' alone ('.' and ':' mean
   non-drop); filmscore takes drop-frame from the rate and also accepts '.'/',' before
   DF frames (as some decks print).  Not a contradiction on any label OTIO itself writes.
4. OTIO's ``from_timecode`` refuses decimal spellings (29.97, 23.976, 47.952, 59.94)
   that its ``to_timecode`` accepts; only the exact quotients work.  OTIO-internal; our
   ``get_rate`` accepts both.  Neither library has a 23.976 or 47.952 drop-frame.
"""

from __future__ import annotations

import random

import pytest
from opentimelineio import opentime

from filmscore.errors import TimecodeError
from filmscore.timecode import RATES, format_label, get_rate, parse_label

SAMPLES_PER_RATE = 50_000
RATE_NAMES = list(RATES)


def otio_label(frame: int, name: str) -> str:
    rate = RATES[name]
    fps = float(rate.fps)
    return opentime.to_timecode(opentime.RationalTime(frame, fps), fps, rate.drop_frame)


def otio_frame(label: str, name: str) -> int:
    value = opentime.from_timecode(label, float(RATES[name].fps)).value
    assert value == int(value)
    return int(value)


def otio_day(name: str) -> int:
    """Where OTIO's to_timecode wraps: round(rate*3600)*24, with 23.976 taken as 24."""
    rate = RATES[name]
    fps = 24.0 if (not rate.drop_frame and round(float(rate.fps)) == 24) else float(rate.fps)
    return round(fps * 3600) * 24


# Rates where OTIO's day is shorter than the label day (disagreement 1).
EARLY_WRAP = {"29.97": 2589408, "47.952": 4143048, "59.94": 5178816}


def test_otio_day_lengths():
    for name, rate in RATES.items():
        if name in EARLY_WRAP:
            assert otio_day(name) == EARLY_WRAP[name] < rate.frames_per_day
        else:
            assert otio_day(name) == rate.frames_per_day


@pytest.mark.parametrize("name", RATE_NAMES)
def test_agrees_with_otio_on_random_frames(name):
    rate = RATES[name]
    rng = random.Random(f"otio-{name}")
    day = rate.frames_per_day
    frames = [rng.randrange(day) for _ in range(SAMPLES_PER_RATE)]
    # plus the edges: the start and end of every ten minutes of hour 0, and the day's end
    frames += [f for t in range(0, 7) for f in range(t * rate.frames_per_10min - 5,
                                                       t * rate.frames_per_10min + 6) if f >= 0]
    frames += range(day - 6000, day)
    wrapped = 0
    for frame in frames:
        ours = format_label(frame, name)
        # label -> frame: OTIO reads every label filmscore writes as the same frame
        assert otio_frame(ours, name) == frame, (frame, ours)
        theirs = otio_label(frame, name)
        if frame < otio_day(name):
            assert theirs == ours, (frame, ours, theirs)
        else:
            # Disagreement 1: OTIO restarts the clock early; we are right (see top).
            assert name in EARLY_WRAP
            assert theirs == format_label(frame - otio_day(name), name), (frame, theirs)
            assert theirs != ours
            wrapped += 1
    if name in EARLY_WRAP:
        assert wrapped >= day - otio_day(name)  # every frame of the stretch was checked
    else:
        assert wrapped == 0


@pytest.mark.parametrize("name", RATE_NAMES)
def test_past_24_hours(name):
    """Frame counts past a day: both libraries wrap the label; at the early-wrap rates
    OTIO wraps at its shorter day (disagreement 1)."""
    rate = RATES[name]
    rng = random.Random(f"past-{name}")
    frames = [rate.frames_per_day, rate.frames_per_day + 1, 3 * rate.frames_per_day + 777]
    frames += [rng.randrange(rate.frames_per_day, 10 * rate.frames_per_day) for _ in range(200)]
    for frame in frames:
        ours = format_label(frame, name)
        assert ours == format_label(frame % rate.frames_per_day, name)
        theirs = otio_label(frame, name)
        if name in EARLY_WRAP:
            assert theirs == format_label(frame % otio_day(name), name)
        else:
            assert theirs == ours


@pytest.mark.parametrize(("name", "label", "frame"), [
    ("29.97", "23:59:59:29", 2591999),
    ("47.952", "23:59:59:47", 4147199),
    ("59.94", "23:59:59:59", 5183999),
])
def test_otio_early_wrap_is_self_inconsistent(name, label, frame):
    """OTIO reads the last NDF label of the day as the frame we give it, but writes that
    frame as a label early in the day: its to_timecode is wrong, not ours."""
    assert parse_label(label, name) == frame
    assert format_label(frame, name) == label
    assert otio_frame(label, name) == frame
    assert otio_label(frame, name) == format_label(frame - EARLY_WRAP[name], name)
    assert otio_label(frame, name) != label


@pytest.mark.parametrize(("name", "frame", "label"), [
    ("29.97df", 1800, "00:01:00;02"),
    ("29.97df", 17982, "00:10:00;00"),
    ("29.97df", 107892, "01:00:00;00"),
    ("29.97df", 15000, "00:08:20;16"),
    ("59.94df", 3600, "00:01:00;04"),
    ("59.94df", 215784, "01:00:00;00"),
    ("59.94df", 2589408, "12:00:00;00"),
    ("23.976", 86400, "01:00:00:00"),
    ("47.952", 172800, "01:00:00:00"),
])
def test_fixed_values_agree(name, frame, label):
    assert format_label(frame, name) == otio_label(frame, name) == label
    assert parse_label(label, name) == otio_frame(label, name) == frame


def test_otio_infers_drop_frame_from_rate():
    """With drop_frame=None OTIO treats 30000/1001 and 60000/1001 as DF: non-drop must be
    asked for explicitly (we do), or 29.97 NDF labels come out drop-frame."""
    fps = 30000 / 1001
    assert opentime.to_timecode(opentime.RationalTime(1800, fps), fps, None) == "00:01:00;02"
    assert opentime.to_timecode(opentime.RationalTime(1800, fps), fps, False) == "00:01:00:00"
    assert format_label(1800, "29.97") == "00:01:00:00"


@pytest.mark.parametrize("name", ["23.976", "47.952", "24", "25", "30", "48", "50", "60"])
def test_no_drop_frame_at_other_rates(name):
    """Agreement: OTIO refuses drop-frame at 23.976 and 47.952 (and integer rates), and
    filmscore has no such rate."""
    fps = float(RATES[name].fps)
    with pytest.raises(ValueError, match="not valid for drop frame"):
        opentime.to_timecode(opentime.RationalTime(100, fps), fps, True)
    with pytest.raises(ValueError, match="drop frame"):
        opentime.from_timecode("00:00:01;00", fps)
    with pytest.raises(TimecodeError):
        get_rate(name + "df")
    with pytest.raises(TimecodeError):
        parse_label("00:00:01;00", name)


@pytest.mark.parametrize("spelling", [29.97, 23.976, 47.952, 59.94])
def test_otio_from_timecode_refuses_decimal_rates(spelling):
    """Disagreement 4 (OTIO-internal): to_timecode takes 29.97, from_timecode does not."""
    opentime.to_timecode(opentime.RationalTime(100, spelling), spelling, False)
    with pytest.raises(ValueError, match="does not support this rate"):
        opentime.from_timecode("00:00:01:00", spelling)
    assert abs(float(get_rate(spelling).fps) - spelling) < 0.01


@pytest.mark.parametrize(("name", "label", "otio_reads"), [
    # dropped DF labels: OTIO aliases them onto the frames before
    ("29.97df", "00:01:00;00", 1798),
    ("29.97df", "00:01:00;01", 1799),
    ("59.94df", "00:01:00;00", 3596),
    ("59.94df", "00:01:00;03", 3599),
    # hours past 23: OTIO counts on past the day
    ("24", "24:00:00:00", 2073600),
    ("29.97df", "24:00:00;00", 2589408),
    ("24", "99:00:00:00", 8553600),
    # minutes / seconds of 60
    ("24", "00:60:00:00", 86400),
    ("29.97df", "00:00:60;00", 1800),
    # mismatched separators: OTIO reads fixed positions
    ("29.97df", "00:01;00:02", 1800),
    ("24", "00;01:00:02", None),  # ';' anywhere means DF to OTIO: refused at 24
])
def test_otio_accepts_labels_we_refuse(name, label, otio_reads):
    """Disagreement 2: we are right to refuse; none of these labels exists in SMPTE 12M."""
    with pytest.raises(TimecodeError):
        parse_label(label, name)
    if otio_reads is None:
        with pytest.raises(ValueError):
            otio_frame(label, name)
    else:
        assert otio_frame(label, name) == otio_reads
        # the frame it picked already has another (legal) label
        assert format_label(otio_reads, name) != label


def test_separator_conventions():
    """Disagreement 3: '.' before frames is DF to filmscore (at a DF rate) and NDF to OTIO;
    OTIO has no DF flag beside the rate, so ':' at 30000/1001 means NDF to it."""
    fps = 30000 / 1001
    assert parse_label("00:01:00.02", "29.97df") == 1800
    assert opentime.from_timecode("00:01:00.02", fps).value == 1802
    assert parse_label("00:01:00:02", "29.97") == 1802
    assert opentime.from_timecode("00:01:00:02", fps).value == 1802
    with pytest.raises(TimecodeError):
        parse_label("00:01:00.02", "29.97")
    with pytest.raises(TimecodeError):
        parse_label("00:01:00:02", "29.97df")


def test_negative_frames_refused_by_both():
    with pytest.raises(ValueError):
        opentime.to_timecode(opentime.RationalTime(-1, 24), 24, False)
    with pytest.raises(TimecodeError):
        format_label(-1, "24")
