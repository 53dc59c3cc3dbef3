"""The timeline's layout (pure): to scale, overlapping cues in lanes, a ruler with room
for its labels, and a two-hour film of a hundred cues readable reel by reel."""

from __future__ import annotations

import pytest

from filmscore.errors import InputError
from filmscore.overview.timeline import RULER_LABEL_PX, TimelineCue, lanes_for, layout, ruler_step
from filmscore.timecode import get_rate

RATE = get_rate("24")


def test_overlapping_cues_go_to_separate_lanes():
    assert lanes_for([(0, 10), (5, 15), (10, 20), (16, 30), (12, 14)]) == [0, 1, 0, 1, 2]


def test_the_ruler_leaves_room_for_its_timecodes():
    for scale in (0.05, 0.5, 1, 7, 100):
        assert ruler_step(scale) * scale >= RULER_LABEL_PX or ruler_step(scale) == 3600


def test_to_scale_with_sync_points_at_their_frames():
    cue = TimelineCue("1M1", "Main Title", 240, 1680, ((480, "hard", "door"),))
    tl = layout([cue], RATE, film=(0, 2400), width_px=1000)
    assert tl.width_px == 1000
    (bar,) = tl.cues
    assert (bar.x, bar.width) == (100.0, 600.0)
    assert tl.syncs[0].x == 200.0 and tl.syncs[0].kind == "hard"
    assert tl.ruler[0].label == "00:00:00:00" and tl.ruler[1].x - tl.ruler[0].x >= 96
    with pytest.raises(InputError, match="zoom"):
        layout([cue], RATE, zoom=3)


def test_a_two_hour_film_of_a_hundred_cues_stays_readable_by_reel():
    reel_frames = 24 * 60 * 20  # six reels of 20 minutes
    reels = tuple((n, f"R{n}", (n - 1) * reel_frames, reel_frames) for n in range(1, 7))
    cues = []
    for i in range(100):
        reel = i // 17 + 1
        start = (reel - 1) * reel_frames + (i % 17) * 24 * 70
        cues.append(TimelineCue(f"{reel}M{i % 17 + 1}", "cue", start, start + 24 * 45,
                                tuple((start + 24 * k, "hard", "") for k in (5, 20, 30))))
    whole = layout(cues, get_rate("24"), film=(0, 6 * reel_frames), reels=reels)
    assert len(whole.cues) == 100 and whole.lanes == 1
    one = layout(cues, RATE, film=(0, 6 * reel_frames), reels=reels, reel=2)
    assert len(one.cues) == 17
    assert all(c.label for c in one.cues)  # every cue's number on its bar
    assert one.reel_numbers == (1, 2, 3, 4, 5, 6)
    zoomed = layout(cues, RATE, film=(0, 6 * reel_frames), reels=reels, zoom=16)
    assert all(c.label.startswith(c.key) for c in zoomed.cues)
    steps = [b.x - a.x for a, b in zip(zoomed.ruler, zoomed.ruler[1:], strict=False)]
    assert min(steps) >= RULER_LABEL_PX


def test_without_reels_in_the_picture_the_cue_numbers_make_the_reels():
    from filmscore.overview.timeline import reels_from_cues

    cues = [TimelineCue("1M1", "a", 100, 200, reel=1), TimelineCue("1M2", "b", 300, 420, reel=1),
            TimelineCue("2M1", "c", 500, 600, reel=2)]
    assert reels_from_cues(cues) == ((1, "cues 1M", 100, 320), (2, "cues 2M", 500, 100))
    tl = layout(cues, RATE, reels=reels_from_cues(cues), reel=2)
    assert [c.key for c in tl.cues] == ["2M1"]
