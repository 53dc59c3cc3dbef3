"""Tempo maps: frame-click, exact positions over long cues, ramps, free time, count-in."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmscore.errors import InputError
from filmscore.sync.tempomap import (
    Meter,
    Position,
    Segment,
    TempoMap,
    bpm_from_frameclick,
    format_bpm,
    format_frameclick,
    frameclick_from_bpm,
    frameclick_within,
    parse_meter,
    parse_position,
    parse_tempo,
)
from filmscore.timecode import get_rate


@pytest.mark.parametrize(("click", "bpm"), [((12, 0), F(120)), ((24, 0), F(60)),
                                            ((12, 2), F(5760, 49)), ((8, 0), F(180))])
def test_frameclick_at_24(click, bpm):
    assert bpm_from_frameclick(*click, "24") == bpm


def test_frameclick_values_from_the_issue():
    assert bpm_from_frameclick(12, 0, "24") == 120
    assert format_bpm(bpm_from_frameclick(12, 2, "24")) == "117.55"
    assert bpm_from_frameclick(24, 0, "24") == 60
    assert frameclick_from_bpm(F(120), "24") == (12, 0, True)
    assert frameclick_from_bpm(bpm_from_frameclick(12, 2, "24"), "24") == (12, 2, True)
    assert format_frameclick(F(121), "24") == "~11-7"
    # at 29.97 a frame-click is in video frames: 15-0 is 119.88 BPM
    assert format_bpm(bpm_from_frameclick(15, 0, "29.97")) == "119.88"


def test_parse_tempo_accepts_bpm_and_frameclick_exactly():
    assert parse_tempo("117.55", "24") == F(11755, 100)
    assert parse_tempo("12-2", "24") == bpm_from_frameclick(12, 2, "24")
    assert parse_tempo("1440/11", "24") == F(1440, 11)
    for bad in ("fast", "12-8", "0", "999", "-3"):
        with pytest.raises(InputError) as err:
            parse_tempo(bad, "24")
        assert bad in str(err.value)


def test_meter_and_position_parsing():
    assert parse_meter("6/8") == Meter(6, 8)
    assert Meter(6, 8).beat_quarters == F(1, 2)
    with pytest.raises(InputError):
        parse_meter("4/5")
    assert parse_position("12|3|480") == Position(12, 3, 480)
    assert str(Position(12, 3)) == "12|3"


def test_no_drift_over_an_hour_at_a_frameclick_tempo():
    rate = get_rate("23.976")
    bpm = bpm_from_frameclick(12, 2, rate)
    bars = 1800
    tmap = TempoMap.constant(rate, 86400, bpm, bars=bars)
    assert tmap.end_seconds == F(bars * 4 * 60) / bpm
    last = tmap.seconds_of((bars, 4))
    assert last == F((bars * 4 - 1) * 60) / bpm
    # frame of the last beat computed directly from integers
    exact = (F(86400) / rate.fps + last) * rate.fps
    assert tmap.frame_at(last) == (exact + F(1, 2)).__floor__()
    assert tmap.sample_at(last, sample_rate=48000, origin_seconds=F(0)) == \
        (last * 48000 + F(1, 2)).__floor__()


def test_ramp_free_time_and_meter_changes_are_laid_end_to_end():
    tmap = TempoMap("24", 0, (
        Segment(4, tempo_bpm=F(120)),
        Segment(2, Meter(3, 4), F(120), F(90)),
        Segment(1, free_frames=48),
        Segment(2, tempo_bpm=F(100)),
    ))
    bars = list(tmap.bars())
    assert [b.number for b in bars] == list(range(1, 10))
    assert bars[4].seconds == 8  # 4 bars of 4 at 120
    # a ramp over 6 beats from 0.5 s to 2/3 s a beat lasts 6 * (1/2 + 2/3) / 2 = 3.5 s
    assert bars[6].seconds == F(23, 2) and bars[6].free
    assert bars[7].seconds == F(27, 2)  # free time lasted 48 frames = 2 s
    assert tmap.end_seconds == F(27, 2) + F(8 * 60, 100)
    beats = list(tmap.beats())
    assert all(not (F(23, 2) <= b.seconds < F(27, 2)) for b in beats)  # silent in free time
    times = [b.seconds for b in beats]
    assert times == sorted(times)


def test_count_in_and_pickup_number_like_a_click_track():
    tmap = TempoMap.constant("24", 1000, F(120), bars=2, count_in_bars=1, pickup_beats=1)
    lead = [(b.bar, b.beat, b.count_in) for b in tmap.beats() if b.seconds < 0]
    assert lead == [(0, 1, True), (0, 2, True), (0, 3, True), (0, 4, False)]
    assert tmap.first_beat_seconds == -2
    assert tmap.position_at(F(-1, 2)) == Position(0, 4)


@st.composite
def maps(draw):
    segs = []
    for _ in range(draw(st.integers(1, 4))):
        meter = Meter(draw(st.integers(2, 7)), draw(st.sampled_from([4, 8])))
        tempo = F(draw(st.integers(400, 2000)), 10)
        end = draw(st.none() | st.integers(400, 2000).map(lambda v: F(v, 10)))
        segs.append(Segment(draw(st.integers(1, 8)), meter, tempo, end))
    rate = get_rate(draw(st.sampled_from(["23.976", "24", "25", "29.97df"])))
    return TempoMap(rate, draw(st.integers(0, 400000)), tuple(segs))


@settings(max_examples=150, deadline=None)
@given(maps(), st.data())
def test_every_position_round_trips_through_exact_seconds(tmap, data):
    bar = data.draw(st.integers(1, tmap.bar_count))
    meter = next(b.meter for b in tmap.bars() if b.number == bar)
    pos = Position(bar, data.draw(st.integers(1, meter.numerator)),
                   data.draw(st.integers(0, meter.ticks_per_beat - 1)))
    seconds = tmap.seconds_of(pos)
    assert isinstance(seconds, F)
    assert tmap.position_at(seconds) == pos


def test_round_trip_through_storage():
    tmap = TempoMap("29.97df", 107892, (Segment(3, Meter(6, 8), F(11755, 100), F(90)),
                                        Segment(1, free_frames=12)), count_in_bars=2)
    assert TempoMap.from_dict(tmap.to_dict()) == tmap


def test_bad_maps_are_refused_with_what_is_valid():
    with pytest.raises(InputError, match="first segment cannot be free"):
        TempoMap("24", 0, (Segment(1, free_frames=10),))
    with pytest.raises(InputError, match="pickup"):
        TempoMap.constant("24", 0, F(120), bars=1, pickup_beats=4)
    with pytest.raises(InputError, match="no such beat"):
        TempoMap.constant("24", 0, F(120), bars=1).seconds_of((1, 5))


def test_segment_notation_round_trips():
    from filmscore.sync.notation import format_segments, parse_segments

    segs = parse_segments("8x4/4@120, 2x3/4@12-2>90, 1xfree:48", "24")
    assert segs[1].tempo_bpm == bpm_from_frameclick(12, 2, "24") and segs[1].end_tempo_bpm == 90
    assert segs[2].free_frames == 48
    assert parse_segments(format_segments(segs, "24"), "24") == segs
    with pytest.raises(InputError, match="segment 2"):
        parse_segments("8x4/4@120, 2 bars", "24")


def test_positions_past_the_end_keep_the_final_tempo_also_after_a_ramp_or_free_time():
    ramp = TempoMap("24", 0, (Segment(2, Meter(), F(120), F(90)),))
    assert ramp.position_at(ramp.seconds_of((4, 1))) == Position(4, 1)
    free = TempoMap("24", 0, (Segment(1, tempo_bpm=F(60)), Segment(1, free_frames=24)))
    # the free bar's 4 beats fill 24 frames (1 s): 240 BPM, and so it goes on past the end
    assert next(b for b in free.bars() if b.free).tempo_bpm == 240
    assert free.seconds_of((3, 1)) == F(5) and free.seconds_of((3, 2)) == F(21, 4)
    assert free.position_at(F(21, 4)) == Position(3, 2)


def test_beats_stop_at_the_limit_in_the_count_in_too():
    tmap = TempoMap.constant("24", 1000, F(120), bars=2, count_in_bars=1)
    assert [b.seconds for b in tmap.beats(until_seconds=F(-1))] == [-2, F(-3, 2)]


def test_subdivision_is_stored_and_old_maps_read_as_solved_on_the_beat():
    tmap = TempoMap.constant("24", 100, F(120), 4)
    assert "subdivision" not in tmap.to_dict()  # maps stored before it look the same
    assert TempoMap.from_dict(tmap.to_dict()).subdivision == 1
    eighths = TempoMap.constant("24", 100, F(120), 4, subdivision=2)
    assert eighths.to_dict()["subdivision"] == 2
    assert TempoMap.from_dict(eighths.to_dict()) == eighths
    with pytest.raises(InputError, match="subdivision"):
        TempoMap.constant("24", 100, F(120), 4, subdivision=0)


def test_frameclick_within_an_interval():
    assert frameclick_within(F(110), F(112), F(111), "24") == F(1440, 13)
    assert frameclick_within(F(11070, 100), F(11080, 100), F(1440, 13), "24") == F(1440, 13)
    assert frameclick_within(F(120), F(120), F(120), "24") == 120
    assert frameclick_within(F(11000, 100), F(11001, 100), F(110), "24") is None
