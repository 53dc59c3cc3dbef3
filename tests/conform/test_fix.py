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


# --- cues shaped like the demo's (popeye1936, picture v2, change list 1): one steady
# 4/4 segment, bar 1 on the cue's first hit, the flag's hits as the apply stored them.

def _demo_flag(cue: str, old_start: int, old_end: int, new_start: int, new_end: int,
               hits) -> Flag:
    made = tuple(Hit(sync_id, kind, f"{kind} {sync_id}", old, new, None, None)
                 for sync_id, kind, old, new in hits)
    return Flag(cue, "cut_into", old_start, old_end, new_start, new_end, made)


# 1M3: 12 frames of picture deleted at old frame 88501 (a hard cut there went with them);
# the hits before are on time, every hit after is 12 frames late for the music
_1M3_OLD = (88248, 88267, 88407, 88422, 88501, 88589, 88620, 88834, 88972, 89004, 89082,
            89129, 89210, 89248, 89276)
_1M3_KINDS = ("downbeat", "soft", "hard", "downbeat", "hard", "soft", "downbeat", "hard",
              "hard", "downbeat", "downbeat", "soft", "hard", "downbeat", "end")
_1M3 = _demo_flag("1M3", 88248, 89280, 88248, 89268, [
    (25 + i, kind, old, None if old == 88501 else old if old < 88501 else old - 12)
    for i, (old, kind) in enumerate(zip(_1M3_OLD, _1M3_KINDS, strict=True))])
_1M3_MAP = TempoMap.constant("24", 88248, Fraction(10640, 107), 18)


def test_demo_1m3_half_a_second_cut_is_a_tempo_change_over_the_bars_between_the_hits():
    found = propose(_1M3, _1M3_MAP, cue_start_new=88248, cue_end_new=89268,
                    edits=[Edit(88501, -12)])
    assert [(p.kind, p.worst_off) for p in found] == [
        ("resolve_tempo", 0), ("cut_bars", 2), ("keep", 12), ("move_start", 12)]
    resolved, cut = found[0], found[1]
    # the 12 frames are taken up from the bar of the last hit before the cut (bar 4, the
    # hit 14 ticks after its downbeat) to the bar of the first hit after (6|4): 7.7% faster
    assert resolved.hits_off == tuple((25 + i, None if i == 4 else 0) for i in range(15))
    assert resolved.detail["bars"] == [4, 6]
    assert resolved.detail["max_change_percent"] == 7.73
    new = TempoMap.from_dict(resolved.detail["tempo_map"])
    assert new.bar_count == 18 and [s.bars for s in new.segments] == [3, 3, 12]
    assert new.segments[0].tempo_bpm == new.segments[2].tempo_bpm == Fraction(10640, 107)
    # the hard cut that went with the picture (at the change) does not hold the bars:
    # the first beat of bar 5 is cut, every hit after lands 2 frames late
    assert cut.hits_off == tuple((25 + i, None if i == 4 else 0 if i < 4 else 2)
                                 for i in range(15))
    assert cut.detail["edits"] == [{"kind": "cut", "bar": 5, "bars": 0, "beats": 1,
                                    "old_bars": [5, 5],
                                    "text": "Cut the first beat of bar 5 (it becomes a "
                                            "bar of 3/4)"}]
    assert [b.meter for b in TempoMap.from_dict(cut.detail["tempo_map"]).bars()][4] == Meter(
        3, 4)


# 1M7: 24 frames inserted at old frame 90736, 16 frames after the cue's first hit (bar 1's
# downbeat); the apply moved the cue (and bar 1) 116 frames earlier; every hit after is
# 24 frames early for the music.  No bar line between the two hits: beats go in bar 1.
_1M7_OLD = (90720, 90736, 90760, 90796, 90816, 90853, 90961, 90992, 91025, 91055, 91166,
            91182, 91290)
_1M7_KINDS = ("downbeat", "hard", "soft", "hard", "downbeat", "downbeat", "downbeat", "soft",
              "hard", "soft", "downbeat", "hard", "hard")
_1M7 = _demo_flag("1M7", 90720, 91312, 90604, 91220, [
    (67 + i, kind, old, 90604 if i == 0 else old - 92)
    for i, (old, kind) in enumerate(zip(_1M7_OLD, _1M7_KINDS, strict=True))])
_1M7_MAP = TempoMap.constant("24", 90604, Fraction(76320, 569), 14)


def test_demo_1m7_frames_added_inside_the_first_bar_insert_beats_in_it():
    found = propose(_1M7, _1M7_MAP, cue_start_new=90604, cue_end_new=91220,
                    edits=[Edit(90736, 24)])
    assert [(p.kind, p.worst_off) for p in found] == [
        ("insert_bars", 3), ("keep", 24), ("move_start", 24)]
    ins = found[0]
    assert ins.hits_off == ((67, 0),) + tuple((68 + i, 3) for i in range(12))
    assert ins.detail["edits"] == [{
        "kind": "insert", "bar": 1, "bars": 0, "beats": 2, "after_beat": 1,
        "new_bars": [1, 1], "text": "Insert 2 beats at 134.13 BPM after beat 1 of bar 1 "
                                    "(it becomes a bar of 6/4)"}]
    new = TempoMap.from_dict(ins.detail["tempo_map"])
    assert new.bar_count == 14 and [b.meter for b in new.bars()][:2] == [Meter(6, 4),
                                                                        Meter(4, 4)]
    # a tempo change cannot stretch 16 frames to 40 by 15% at most: none proposed
    assert "resolve_tempo" not in _by_kind(found)


# 1M9: a shot moved from the end of the cue to before it (the picture re-ordered): the
# first three hits are 207 frames late, the other four 109 early; only keep and a move
_1M9 = _demo_flag("1M9", 91576, 91806, 91398, 91714, [
    (87, "hard", 91584, 91613), (88, "hard", 91616, 91645), (89, "soft", 91628, 91657),
    (90, "hard", 91685, 91398), (91, "downbeat", 91706, 91419), (92, "hard", 91800, 91513),
    (93, "end", 91804, 91517)])
_1M9_MAP = TempoMap.constant("24", 91398, Fraction(160), 7)


def test_demo_1m9_a_re_ordered_picture_is_kept_or_moved():
    found = propose(_1M9, _1M9_MAP, cue_start_new=91398, cue_end_new=91714,
                    edits=[Edit(91685, -316)])
    assert [(p.kind, p.worst_off) for p in found] == [("keep", 207), ("move_start", 316)]
    assert found[0].hits_off == ((87, 207), (88, 207), (89, 207), (90, -109), (91, -109),
                                 (92, -109), (93, -109))
    assert found[1].detail["shift_frames"] == -109


def test_a_tempo_change_per_stretch_spreads_over_the_bars_of_the_hits_around_it():
    # 6 frames less between the downbeat of bar 3 and beat 3 of bar 5 (the hit at 6|1
    # follows it), then 6 frames more by 13|1: each stretch runs from the bar of the hit
    # before it to the bar of its hit, but bar 5 stays (scaled, the 2 beats after its
    # hit would put the hit at 6|1 more than half a frame off)
    old = (196, 316, 340, 676)
    found = propose(_flag((196, 310, 334, 676), old=old), TMAP, cue_start_new=START,
                    cue_end_new=820)
    resolved = found[0]
    assert resolved.kind == "resolve_tempo"
    assert resolved.hits_off == ((1, 0), (2, 0), (3, 0), (4, 0))
    assert resolved.detail["bars"] == [3, 12]
    assert resolved.detail["max_change_percent"] == 6.67
    new = TempoMap.from_dict(resolved.detail["tempo_map"])
    assert [(s.bars, s.tempo_bpm) for s in new.segments] == [
        (2, 120), (2, 128), (1, 120), (7, Fraction(2240, 19)), (4, 120)]
    assert new.frame_at(new.seconds_of((13, 1))) == 676
