"""Click tracks: event levels, warning clicks, free-time silence, sample-exact onsets."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from filmscore.errors import InputError
from filmscore.sync.click import (
    CLICK_SOUNDS,
    MAX_RENDER_SECONDS,
    ClickSound,
    click_events,
    click_wave,
    click_window,
    render_click,
)
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.timecode import parse_label

THRESHOLD = 1000  # of 2**23: far below every click's first sample, far above silence


def onsets(samples: np.ndarray, gap: int = 200) -> np.ndarray:
    """First sample above the threshold after at least ``gap`` quiet samples."""
    idx = np.flatnonzero(np.abs(samples) > THRESHOLD)
    if idx.size == 0:
        return idx
    return idx[np.diff(idx, prepend=-(gap + 1)) > gap]


def sync_map(rate: str, start: str) -> TempoMap:
    """Constant 120, a 3/4 bar, a ramp, free time, then 100 BPM; one bar of count-in."""
    free = 60 if rate.startswith("29.97") else 48
    return TempoMap(rate, parse_label(start, rate) + 17, (
        Segment(4, Meter(4, 4), F(120)), Segment(1, Meter(3, 4), F(120)),
        Segment(4, Meter(4, 4), F(120), F(90)), Segment(2, free_frames=free),
        Segment(2, Meter(4, 4), F(100))), count_in_bars=1)


def rendered(tmap: TempoMap, **kw):
    events = click_events(tmap, **kw)
    origin, length = click_window(tmap, events)
    samples = render_click(events, origin_seconds=origin, length_seconds=length, tmap=tmap)
    return events, origin, samples


def test_levels_of_the_clicks():
    tmap = sync_map("24", "01:00:00:00")
    events = click_events(tmap, subdivision=2)
    assert [e.level for e in events[:8]] == ["count", "sub"] * 4
    bar1 = [e for e in events if e.bar == 1]
    assert [e.level for e in bar1] == ["accent", "sub", "beat", "sub", "beat", "sub", "beat",
                                       "sub"]
    assert events[8].seconds == 0 and events[8].level == "accent"
    assert all(a.seconds < b.seconds for a, b in zip(events, events[1:], strict=False))
    free_bars = {10, 11}
    assert not [e for e in events if e.bar in free_bars]
    assert len([e for e in events if e.level == "accent"]) == 11


def test_warning_clicks_before_bar_one_and_before_a_pickup():
    tmap = TempoMap.constant("24", 1000, F(120), 4)
    events = click_events(tmap, warning_beats=2)
    assert [(e.level, e.seconds, e.bar, e.beat) for e in events[:3]] == [
        ("warning", F(-1), 0, 3), ("warning", F(-1, 2), 0, 4), ("accent", F(0), 1, 1)]
    pickup = TempoMap.constant("24", 1000, F(120), 4, pickup_beats=1)
    events = click_events(pickup, warning_beats=4)
    assert [e.level for e in events[:6]] == ["warning"] * 4 + ["beat", "accent"]
    assert events[3].seconds == F(-1) and events[4].seconds == F(-1, 2)
    # no count-in played: warning allowed even if the map has one
    counted = TempoMap.constant("24", 1000, F(120), 4, count_in_bars=1)
    assert click_events(counted, count_in=False, warning_beats=2)[0].level == "warning"
    with pytest.raises(InputError, match="without a count-in"):
        click_events(counted, warning_beats=2)


def test_until_seconds_stops_count_in_and_music():
    tmap = TempoMap.constant("24", 1000, F(120), 4, count_in_bars=1)
    assert [e.seconds for e in click_events(tmap, until_seconds=F(-1))] == [F(-2), F(-3, 2)]
    assert click_events(tmap, until_seconds=F(1))[-1].seconds == F(1, 2)


def test_click_sound_starts_on_its_first_sample():
    for sound in CLICK_SOUNDS.values():
        wave = click_wave(sound, 48000)
        assert abs(int(wave[0])) > THRESHOLD
        assert wave[-1] == 0 and np.abs(wave).max() < 2**23
    assert len(click_wave(CLICK_SOUNDS["beat"], 48000)) == 1440  # 30 ms


@pytest.mark.parametrize(("rate", "start"), [("29.97df", "01:00:00;00"), ("24", "00:59:58:00"),
                                             ("23.976", "01:00:00:00")])
def test_onsets_are_exact_samples(rate, start):
    tmap = sync_map(rate, start)
    events, origin, samples = rendered(tmap)
    found = onsets(samples)
    expected = [tmap.sample_at(e.seconds, sample_rate=48000, origin_seconds=origin)
                for e in events]
    assert len(found) == len(expected) == 4 + 4 * 4 + 3 + 4 * 4 + 2 * 4
    assert np.max(np.abs(found - np.array(expected))) <= 1
    assert list(found) == expected  # in fact exact: the first sample is the rounded time
    # the file starts on a frame, at or before the first click
    assert (tmap.absolute_seconds(origin) * tmap.rate.fps).denominator == 1


def test_free_time_is_silent():
    tmap = sync_map("29.97df", "01:00:00;00")
    events, origin, samples = rendered(tmap, subdivision=4)
    bars = {b.number: b for b in tmap.bars()}
    start = tmap.sample_at(bars[10].seconds, sample_rate=48000, origin_seconds=origin)
    end = tmap.sample_at(bars[12].seconds, sample_rate=48000, origin_seconds=origin)
    tail = len(click_wave(CLICK_SOUNDS["beat"], 48000))
    assert end - start == 96096  # 60 frames at 29.97: 2.002 s
    assert not samples[start + tail:end].any()
    assert samples[end] != 0  # bar 12 clicks again, on its sample


def test_ten_minute_cue_does_not_drift():
    tmap = TempoMap.constant("23.976", 86400 + 5, F(1440, 11), 327)  # 130.9 BPM, ~10 min
    events, origin, samples = rendered(tmap)
    assert tmap.end_seconds > 599
    found = onsets(samples)
    expected = [tmap.sample_at(e.seconds, sample_rate=48000, origin_seconds=origin)
                for e in events]
    assert found[-1] == expected[-1] and list(found) == expected
    # a float beat length summed 1,308 times would be off; the exact one is not
    assert expected[-1] == round((events[-1].seconds - origin) * 48000)


def test_clicks_outside_the_window_are_cut_and_sounds_replaceable():
    tmap = TempoMap.constant("24", 1000, F(120), 2)
    events = click_events(tmap)
    loud = ClickSound(440.0, -1.0)
    samples = render_click(events, origin_seconds=F(1, 100), length_seconds=F(1),
                           sounds={"accent": loud}, tmap=tmap)
    wave = click_wave(loud, 48000)
    assert np.array_equal(samples[:len(wave) - 480], wave[480:])  # the tail of bar 1's click
    assert len(samples) == 48000
    with pytest.raises(InputError, match="level"):
        render_click(events, origin_seconds=F(0), length_seconds=F(1), sounds={"x": loud})


def test_render_is_bounded_and_checked():
    events = click_events(TempoMap.constant("24", 1000, F(120), 2))
    with pytest.raises(InputError, match="length"):
        render_click(events, origin_seconds=F(0), length_seconds=F(MAX_RENDER_SECONDS + 1))
    with pytest.raises(InputError, match="length"):
        render_click(events, origin_seconds=F(0), length_seconds=F(0))
    with pytest.raises(InputError, match="sample rate"):
        render_click(events, sample_rate=12345, origin_seconds=F(0), length_seconds=F(1))
    with pytest.raises(InputError, match="warning"):
        click_events(TempoMap.constant("24", 1000, F(120), 2), warning_beats=-1)


def test_render_at_44100_places_clicks_exactly():
    tmap = TempoMap.constant("29.97", 999, F(5760, 49), 3)
    events = click_events(tmap, subdivision=3)
    samples = render_click(events, sample_rate=44100, origin_seconds=F(-1, 3),
                           length_seconds=F(8), tmap=tmap)
    expected = [tmap.sample_at(e.seconds, sample_rate=44100, origin_seconds=F(-1, 3))
                for e in events]
    assert list(onsets(samples, gap=100)) == expected
