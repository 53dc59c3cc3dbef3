"""The fixes proposed for a flagged cue (pure): cut or insert whole bars where the picture
lost or gained a bar's worth, a small re-solve of the tempo keeping the bars, moving the
cue's start when it moved whole, keeping it; every hit's frames off exact."""

from __future__ import annotations

from fractions import Fraction

from filmscore.conform.changes import Flag, Hit
from filmscore.conform.fix import Edit, propose
from filmscore.sync.tempomap import Meter, Position, Segment, TempoMap

# 24 fps, 120 BPM in 4/4: a beat is 12 frames, a bar 48; bar 1 at frame 100 (the cue's
# start), 16 bars.  Hits on the downbeats of bars 3, 9 and 13.
START = 100
OLD = (196, 484, 676)
TMAP = TempoMap.constant("24", START, Fraction(120), 16)


def _flag(new: tuple[int | None, ...], *, old=OLD, start=START, new_start=START) -> Flag:
    hits = tuple(Hit(i + 1, "hard", f"hit {i + 1}", o, n, None, None)
                 for i, (o, n) in enumerate(zip(old, new, strict=True)))
    return Flag("1M1", "cut_into", start, start + 768, new_start, new_start + 720, hits)


def _by_kind(found):
    return {p.kind: p for p in found}


def test_a_bar_of_picture_cut_between_two_hits_proposes_cutting_that_bar():
    # the picture lost 48 frames (one bar) at old frame 300, in bar 5 (frames 292-339)
    flag = _flag((196, 436, 628))
    found = propose(flag, TMAP, cue_start_new=START, cue_end_new=820,
                    edits=[Edit(300, -48)])
    best = found[0]
    assert best.kind == "cut_bars"
    assert best.hits_off == ((1, 0), (2, 0), (3, 0))
    assert best.detail["edits"] == [{"kind": "cut", "bar": 5, "bars": 1, "beats": 0,
                                     "old_bars": [5, 5],
                                     "text": "Cut bar 5 (1 bar of 4/4)"}]
    new = TempoMap.from_dict(best.detail["tempo_map"])
    assert new.bar_count == 15 and new.start_frame == START
    assert best.description == "Cut bar 5 (1 bar of 4/4) (15 bars, was 16)"
    # each hit's frame after the fix, exactly: the music of old bar 9 is now bar 8
    assert [(h["frame"], h["music_frame"]) for h in best.detail["hits"]] == [
        (196, 196), (436, 436), (628, 628)]
    assert new.frame_at(new.seconds_of(Position(8, 1))) == 436
    kinds = _by_kind(found)
    assert kinds["keep"].hits_off == ((1, 0), (2, -48), (3, -48))
    assert kinds["keep"].worst_off == 48
    # sorted by the worst hit, then by how much of the music changes
    assert [p.worst_off for p in found] == sorted(p.worst_off for p in found)


def test_without_the_change_points_the_bar_is_cut_between_the_hits():
    found = propose(_flag((196, 436, 628)), TMAP, cue_start_new=START, cue_end_new=820)
    best = found[0]
    assert best.kind == "cut_bars" and best.worst_off == 0
    (edit,) = best.detail["edits"]
    assert 3 < edit["bar"] < 9  # strictly between the hits' bars: no hit is cut


def test_a_bar_of_picture_added_proposes_inserting_a_bar():
    found = propose(_flag((196, 532, 724)), TMAP, cue_start_new=START, cue_end_new=868,
                    edits=[Edit(300, 48)])
    best = found[0]
    assert best.kind == "insert_bars"
    assert best.hits_off == ((1, 0), (2, 0), (3, 0))
    (edit,) = best.detail["edits"]
    assert edit["bar"] == 6 and edit["new_bars"] == [6, 6]
    assert TempoMap.from_dict(best.detail["tempo_map"]).bar_count == 17


def test_half_a_bar_cut_proposes_cutting_two_beats_at_the_bar_line():
    found = propose(_flag((196, 460, 652)), TMAP, cue_start_new=START, cue_end_new=820,
                    edits=[Edit(300, -24)])
    cut = next(p for p in found if p.kind == "cut_bars")
    assert cut.worst_off == 0
    (edit,) = cut.detail["edits"]
    assert (edit["bar"], edit["bars"], edit["beats"]) == (5, 0, 2)
    new = TempoMap.from_dict(cut.detail["tempo_map"])
    assert new.bar_count == 16  # bar 5 became a bar of 2/4
    assert [b.meter for b in new.bars()][4] == Meter(2, 4)


def test_a_few_frames_are_taken_up_by_a_small_tempo_change_keeping_the_bars():
    # 3 frames less between hit 1 and hit 2: too little for a beat (12 frames)
    found = propose(_flag((196, 481, 673)), TMAP, cue_start_new=START, cue_end_new=817)
    kinds = _by_kind(found)
    assert "cut_bars" not in kinds and "insert_bars" not in kinds
    resolved = kinds["resolve_tempo"]
    assert resolved.worst_off <= 1
    assert found[0] is resolved
    new = TempoMap.from_dict(resolved.detail["tempo_map"])
    assert new.bar_count == 16 and {b.meter for b in new.bars()} == {Meter(4, 4)}
    assert 0 < resolved.detail["max_change_percent"] < 2
    # exactly where the music puts each hit now
    for hit, (_, off) in zip(resolved.detail["hits"], resolved.hits_off, strict=True):
        assert hit["frame"] - hit["music_frame"] == off
    bar9 = new.frame_at(new.seconds_of(Position(9, 1)))
    assert abs(bar9 - 481) <= 1


def test_hits_moved_differently_get_a_tempo_change_per_stretch_landing_exactly():
    found = propose(_flag((196, 478, 676)), TMAP, cue_start_new=START, cue_end_new=820)
    resolved = _by_kind(found)["resolve_tempo"]
    assert resolved.hits_off == ((1, 0), (2, 0), (3, 0))
    new = TempoMap.from_dict(resolved.detail["tempo_map"])
    assert new.bar_count == 16
    # bars 3-8 a little faster (6 frames over 288), bars 9-12 a little slower
    assert new.frame_at(new.seconds_of((3, 1))) == 196
    assert new.frame_at(new.seconds_of((9, 1))) == 478
    assert new.frame_at(new.seconds_of((13, 1))) == 676
    assert resolved.detail["bars"][0] == 3


def test_a_cue_that_moved_whole_is_moved_by_its_start():
    # the picture before the cue grew by 10 frames, but the cue's start was left
    found = propose(_flag((206, 494, 686)), TMAP, cue_start_new=START, cue_end_new=868,
                    weights={1: 3.0})
    best = found[0]
    assert best.kind == "move_start"
    assert best.hits_off == ((1, 0), (2, 0), (3, 0))
    assert best.detail["shift_frames"] == 10 and best.detail["start_frame"] == 110
    assert TempoMap.from_dict(best.detail["tempo_map"]).start_frame == 110
    assert "moved" not in _by_kind(found)["keep"].description


def test_move_start_lands_the_heaviest_hits():
    # hit 1 (weight 5) wants +4, hits 2 and 3 (weight 1) want 0
    found = propose(_flag((200, 484, 676)), TMAP, cue_start_new=START, cue_end_new=868,
                    weights={1: 5.0, 2: 1.0, 3: 1.0})
    moved = _by_kind(found)["move_start"]
    assert moved.detail["shift_frames"] == 4
    assert moved.hits_off == ((1, 0), (2, -4), (3, -4))
    assert "hit 1" in moved.description


def test_the_music_moves_with_the_cue_start_an_apply_moved():
    # the apply moved the cue and its bar 1 by -30 frames; hits moved as well: nothing off
    tmap = TempoMap.constant("24", START - 30, Fraction(120), 16)
    found = propose(_flag(tuple(o - 30 for o in OLD), new_start=START - 30), tmap,
                    cue_start_new=START - 30, cue_end_new=START + 690)
    assert [p.kind for p in found] == ["keep"]
    assert found[0].hits_off == ((1, 0), (2, 0), (3, 0))


def test_a_hit_cut_out_of_the_picture_is_not_counted():
    found = propose(_flag((196, None, 628)), TMAP, cue_start_new=START, cue_end_new=820,
                    edits=[Edit(300, -48)])
    assert found[0].hits_off[1] == (2, None)
    assert found[0].worst_off == 0


def test_a_ramp_split_at_bar_lines_keeps_every_beat():
    ramp = TempoMap("24", START, (Segment(4, Meter(), Fraction(120), Fraction(90)),
                                  Segment(12, Meter(), Fraction(90))))
    olds = [ramp.frame_at(ramp.seconds_of((bar, 1))) for bar in (3, 9, 13)]
    # hits where they were: nothing to fix
    same = propose(_flag(tuple(olds), old=tuple(olds)), ramp, cue_start_new=START,
                   cue_end_new=900)
    assert [p.kind for p in same] == ["keep"] and same[0].worst_off == 0
    moved = [o - 64 if i else o for i, o in enumerate(olds)]  # a bar at 90 BPM: 64 frames
    found = propose(_flag(tuple(moved), old=tuple(olds)), ramp, cue_start_new=START,
                    cue_end_new=900, edits=[Edit(olds[0] + 200, -64)])
    cut = next(p for p in found if p.kind == "cut_bars")
    assert cut.worst_off == 0
    new = TempoMap.from_dict(cut.detail["tempo_map"])
    assert new.bar_count == 15  # the ramp cut into one-bar ramps landed bar 13 exactly
    assert new.segments[0] == Segment(1, Meter(), Fraction(120), ramp.segments[0].tempo_at(
        Fraction(4)))  # the ramp's first bar, as it was
