"""The overlay plan: streamer geometry, colours by sync kind, clipping, bar|beat, flutters."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.errors import InputError
from filmscore.sync.streamers import (
    COLORS,
    OverlayPlan,
    Punch,
    Streamer,
    TextTrack,
    beat_track,
    plan_overlays,
    streamer_x,
)
from filmscore.timecode import get_rate, parse_label

R24 = get_rate("24")


def test_streamer_x_sweeps_from_left_edge_to_right_edge():
    s = Streamer(end_frame=172, length_frames=72)
    assert s.start_frame == 100
    assert s.x(99, 320) is None
    assert s.x(100, 320) == 0
    assert s.x(172, 320) == 319  # touches the right edge on the sync frame
    assert s.x(173, 320) is None
    xs = [s.x(n, 320) for n in range(100, 173)]
    assert xs == sorted(xs)
    # exact: round half up of step * 319 / 72
    for step, x in enumerate(xs):
        assert x == (Fraction(step * 319, 72) + Fraction(1, 2)).__floor__()


def test_streamer_x_on_a_plan_picks_the_soonest_and_stays_inside_the_clip():
    plan = OverlayPlan(first_frame=10, frame_count=50, rate=R24,
                       streamers=(Streamer(60, 40, "red"), Streamer(30, 24)))
    assert streamer_x(plan, 20, 100) == Streamer(30, 24).x(20, 100)
    assert streamer_x(plan, 40, 100) == Streamer(60, 40).x(40, 100)
    assert streamer_x(plan, 9, 100) is None  # before the clip
    assert streamer_x(plan, 60, 100) is None  # frame 60 is after the clip's last (59)
    assert streamer_x(Streamer(30, 24), 30, 100) == 99


def test_plan_colours_by_kind_and_lengths_at_each_rate():
    plan = plan_overlays(first_frame=0, frame_count=1000, rate="24",
                         sync_points=[(200, "hard", None), (400, "downbeat", None),
                                      (600, "soft hit", None), (900, "end", None),
                                      (700, "hit", "Orange")],
                         count_in_frames=[100, 112, 124, 136], downbeat_frame=148)
    colours = {s.end_frame: s.color for s in plan.streamers}
    # streamers into the sync points and the first downbeat only: count-in clicks flash
    assert colours == {148: "green", 200: "green", 400: "green", 600: "green", 900: "red",
                       700: "orange"}
    assert {s.length_frames for s in plan.streamers} == {72}
    assert [(p.frame, p.color) for p in plan.punches] == [
        (100, "yellow"), (112, "yellow"), (124, "yellow"), (136, "yellow"), (148, "white"),
        (200, "white"), (400, "white"), (600, "white"), (700, "orange"), (900, "white")]
    same = plan_overlays(first_frame=0, frame_count=1000, rate="24",
                         sync_points=[(148, "hard", None)], downbeat_frame=148)
    assert [s.end_frame for s in same.streamers] == [148]  # a hit on bar 1: one streamer
    ntsc = plan_overlays(first_frame=0, frame_count=1000, rate="29.97df",
                         sync_points=[(500, "hard", None)], streamer_seconds=2)
    assert ntsc.streamers[0].length_frames == 60  # 2 s * 29.97 = 59.94 -> 60
    assert plan_overlays(first_frame=0, frame_count=10, rate="23.976", streamer_seconds=4,
                         sync_points=[(5, "hard", None)]).streamers[0].length_frames == 96


def test_plan_clips_streamers_at_the_clip_start_keeping_their_position():
    plan = plan_overlays(first_frame=1000, frame_count=100, rate=R24,
                         sync_points=[(1030, "hard", None), (900, "hard", None),
                                      (1200, "hard", None), (1099, "end", None)])
    assert [s.end_frame for s in plan.streamers] == [1030, 1099]  # 900 and 1200 are out
    partial = plan.streamers[0]
    assert partial.start_frame == 958  # begun before the clip
    assert streamer_x(plan, 1000, 1440) == partial.x(1000, 1440) == 839  # 42/72 across
    assert [p.frame for p in plan.punches] == [1030, 1099]


def test_plan_refuses_bad_colours_lengths_and_punches():
    with pytest.raises(InputError) as info:
        plan_overlays(first_frame=0, frame_count=10, rate=R24,
                      sync_points=[(5, "hard", "purple")])
    message = str(info.value)
    assert "purple" in message and all(name in message for name in COLORS)
    with pytest.raises(InputError, match="streamer length"):
        plan_overlays(first_frame=0, frame_count=10, rate=R24, sync_points=[],
                      streamer_seconds=6)
    with pytest.raises(InputError, match="1, 2 or 3"):
        Punch(5, frames=4)
    with pytest.raises(InputError, match="sync point kind"):
        plan_overlays(first_frame=0, frame_count=10, rate=R24,
                      sync_points=[(5, "bang", None)])


def test_beat_track_spans_each_beat_to_the_next():
    beats = [(100, 1, 1), (112, 1, 2), (124, 1, 3), (136, 1, 4), (148, 2, 1)]
    track = beat_track(beats, 105, 200)
    assert track.label == "bar|beat"
    assert track.spans == ((105, 112, "1|1"), (112, 124, "1|2"), (124, 136, "1|3"),
                           (136, 148, "1|4"), (148, 160, "2|1"))
    assert track.text_at(111) == "1|1" and track.text_at(112) == "1|2"
    assert track.text_at(160) is None
    assert beat_track([(10, 3, 2)], 0, 50).spans == ((10, 50, "3|2"),)
    assert TextTrack("x", ()).text_at(0) is None


def test_plan_flutters_on_downbeats_inside_the_clip():
    beats = [(f, 1 + i // 4, 1 + i % 4) for i, f in enumerate(range(0, 240, 12))]
    plan = plan_overlays(first_frame=10, frame_count=200, rate=R24, sync_points=[],
                         bar_frames=beats, flutters=True, cue_label="1M5")
    assert [f.frame for f in plan.flutters] == [48, 96, 144, 192]
    assert plan.texts[0].text_at(50) == "2|1"
    assert plan.cue_label == "1M5" and plan.show_timecode
    assert plan_overlays(first_frame=10, frame_count=200, rate=R24, sync_points=[],
                         bar_frames=beats).flutters == ()


def test_plan_timecode_labels_follow_the_rate():
    df = get_rate("29.97df")
    first = parse_label("00:00:59;28", df)
    plan = plan_overlays(first_frame=first, frame_count=10, rate=df, sync_points=[])
    assert [plan.timecode_at(first + i) for i in range(4)] == [
        "00:00:59;28", "00:00:59;29", "00:01:00;02", "00:01:00;03"]


def test_count_in_never_puts_several_streamers_on_screen():
    # a bar of count-in at 120 BPM (12 frames a beat), bar 1 at 148, a hit a bar later
    plan = plan_overlays(first_frame=0, frame_count=400, rate=R24,
                         sync_points=[(196, "hard", None)],
                         count_in_frames=[100, 112, 124, 136], downbeat_frame=148)
    most = max(sum(s.x(f, 720) is not None for s in plan.streamers) for f in range(400))
    assert most == 2  # bar 1 and the hit, 48 frames apart under 3 s streamers
