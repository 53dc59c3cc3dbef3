"""Following the picture (pure): change lists built by hand, every cue and sync point
moved with its shot, and each flag with its hits' frames off exactly."""

from __future__ import annotations

from fractions import Fraction

from filmscore.conform.changes import Change, ChangeList, Span
from filmscore.conform.follow import CueIn, SyncIn, follow, follow_cue
from filmscore.sync.tempomap import TempoMap

H = 86400  # 01:00:00:00 at 24 fps


def cl(*spans: Span, changes: tuple[Change, ...] = ()) -> ChangeList:
    return ChangeList(old_name="v1", new_name="v2", rate_name="24", changes=changes,
                      spans=spans, old_version=1, new_version=2, project="Test #1")


def test_a_trim_before_a_cue_moves_it_whole():
    # shot A (H..H+100) loses 10 frames off its tail; everything after moves up 10 frames
    changes = cl(Span(H, H + 90, H, "A"), Span(H + 100, H + 1000, H + 90, "B"))
    tmap = TempoMap.constant("24", H + 200, Fraction(120), bars=8)
    cue = CueIn("1M1", H + 200, H + 400, (SyncIn(H + 236, "hard", 7, "door"),
                                          SyncIn(H + 300, "soft", 8)), tmap, id=1)
    out = follow_cue(changes, cue)
    assert (out.new_start, out.new_end) == (H + 190, H + 390)
    assert [s.stored_frame for s in out.syncs] == [H + 226, H + 290]
    assert out.tempo_map.start_frame == H + 190
    assert out.flag.reason == "moved" and out.flag.worst_off == 0
    assert [(h.sync_id, h.old_frame, h.new_frame, h.music_frame, h.off_frames)
            for h in out.flag.hits] == [(7, H + 236, H + 226, H + 226, 0),
                                        (8, H + 300, H + 290, H + 290, 0)]
    assert out.syncs[0].position == "1|4"  # 36 frames at 120 BPM: 3 beats in
    assert out.flag.note == "moved -10 frames"


def test_an_untouched_cue_is_not_flagged():
    changes = cl(Span(H, H + 90, H, "A"), Span(H + 100, H + 1000, H + 90, "B"))
    out = follow_cue(changes, CueIn("1M0", H + 10, H + 50, (SyncIn(H + 20),)))
    assert out.flag is None and not out.changed
    assert (out.new_start, out.new_end) == (H + 10, H + 50)


def test_a_deletion_inside_a_cue_cuts_into_it_with_each_hit_off_exactly():
    # 30 frames (H+250..H+280) removed inside the cue H+200..H+500; a constant 120 BPM map
    changes = cl(Span(H, H + 250, H, "A"), Span(H + 280, H + 1000, H + 250, "B"))
    tmap = TempoMap.constant("24", H + 200, Fraction(120), bars=12)
    cue = CueIn("1M2", H + 200, H + 500,
                (SyncIn(H + 212, "hard", 1), SyncIn(H + 260, "hard", 2),
                 SyncIn(H + 320, "downbeat", 3), SyncIn(H + 499, "end", 4)), tmap, id=2)
    out = follow_cue(changes, cue)
    assert (out.new_start, out.new_end) == (H + 200, H + 470)
    assert out.flag.reason == "cut_into"
    assert [(h.old_frame, h.new_frame, h.music_frame, h.off_frames) for h in out.flag.hits] == [
        (H + 212, H + 212, H + 212, 0),
        (H + 260, None, H + 260, None),  # its picture went with the deletion
        (H + 320, H + 290, H + 320, -30),
        (H + 499, H + 469, H + 499, -30)]
    # the hit cut out is kept where the music has it, inside the cue
    assert [s.stored_frame for s in out.syncs] == [H + 212, H + 260, H + 290, H + 469]
    assert out.flag.worst_off == 30
    assert out.tempo_map.start_frame == H + 200
    assert "30 frames removed from the cue (300 -> 270)" in out.flag.note
    assert "1 sync point cut out" in out.flag.note


def test_a_cut_head_moves_the_start_with_the_first_frame_that_survives():
    # the cue's first 24 frames are cut out, and 48 frames before it: start follows H+224
    changes = cl(Span(H, H + 152, H, "A"), Span(H + 224, H + 1000, H + 152, "B"))
    tmap = TempoMap.constant("24", H + 200, Fraction(120), bars=12)
    cue = CueIn("1M3", H + 200, H + 400, (SyncIn(H + 260, "hard", 1),), tmap)
    out = follow_cue(changes, cue)
    assert (out.new_start, out.new_end) == (H + 152, H + 328)
    # the music starts 48 frames earlier; the hit moved 72: it is 24 frames early now
    assert out.flag.hits[0].music_frame == H + 212
    assert out.flag.hits[0].new_frame == H + 188
    assert out.flag.hits[0].off_frames == -24
    assert out.flag.reason == "cut_into"


def test_a_cue_whose_picture_is_gone_is_deleted():
    changes = cl(Span(H, H + 100, H, "A"), Span(H + 300, H + 1000, H + 100, "C"))
    tmap = TempoMap.constant("24", H + 120, Fraction(120), bars=4)
    cue = CueIn("1M4", H + 120, H + 280, (SyncIn(H + 150, "hard", 9),), tmap, id=4)
    out = follow_cue(changes, cue)
    assert out.flag.reason == "deleted" and out.deleted
    assert out.flag.new_start is None and out.flag.new_end is None
    assert out.flag.hits[0].new_frame is None and out.flag.hits[0].off_frames is None
    # kept whole at the cut where its picture was (B went: C now starts at H+100)
    assert (out.new_start, out.new_end) == (H + 100, H + 260)
    assert out.syncs[0].stored_frame == H + 130 and out.tempo_map.start_frame == H + 100
    # ... and inside the new picture when that cut is near its end
    out = follow_cue(changes, cue, picture=(H, H + 200))
    assert (out.new_start, out.new_end) == (H + 40, H + 200)


def test_an_insert_between_two_hits_moves_them_apart():
    # 12 frames inserted at H+300 (between the hits), 12 frames trimmed off the shot the
    # cue ends in (H+380..H+392): the cue keeps its length but its second hit is late
    changes = cl(Span(H, H + 300, H, "A"), Span(H + 300, H + 380, H + 312, "B"),
                 Span(H + 392, H + 1000, H + 392, "C"))
    cue = CueIn("1M5", H + 200, H + 450,
                (SyncIn(H + 250, "hard", 1, "punch"), SyncIn(H + 350, "hard", 2, "fall")))
    out = follow_cue(changes, cue)
    assert (out.new_start, out.new_end) == (H + 200, H + 450)
    assert out.flag.reason == "hits_moved"
    assert [h.off_frames for h in out.flag.hits] == [0, 12]
    assert [h.new_frame for h in out.flag.hits] == [H + 250, H + 362]
    assert out.flag.note == "length kept (250 frames) but 1 of 2 sync points moved"


def test_a_cue_without_a_tempo_map_measures_its_hits_from_its_start():
    changes = cl(Span(H, H + 250, H + 24, "A"), Span(H + 280, H + 1000, H + 274, "B"))
    cue = CueIn("1M6", H + 200, H + 500, (SyncIn(H + 240), SyncIn(H + 300)))
    out = follow_cue(changes, cue)
    assert out.tempo_map is None
    assert [(h.music_frame, h.new_frame, h.off_frames) for h in out.flag.hits] == [
        (H + 264, H + 264, 0), (H + 324, H + 294, -30)]
    assert out.syncs[0].position == ""


def test_spans_split_per_shot_with_one_delta_are_one_piece():
    changes = cl(Span(H, H + 100, H + 5, "A"), Span(H + 100, H + 300, H + 105, "B"))
    out = follow_cue(changes, CueIn("1M7", H + 50, H + 250, (SyncIn(H + 150),)))
    assert out.flag.reason == "moved"
    assert (out.new_start, out.new_end) == (H + 55, H + 255)


def test_follow_keeps_the_order_given():
    changes = cl(Span(H, H + 1000, H + 1, "A"))
    outs = follow(changes, [CueIn("1M2", H + 500, H + 600), CueIn("1M1", H, H + 100)])
    assert [o.cue.cue for o in outs] == ["1M2", "1M1"]
    assert [o.new_start for o in outs] == [H + 501, H + 1]


def test_two_shots_swapped_inside_a_cue():
    # shots X (H+100..H+200) and Y (H+200..H+300) swap places under the cue
    changes = cl(Span(H, H + 100, H, "W"), Span(H + 100, H + 200, H + 200, "X"),
                 Span(H + 200, H + 300, H + 100, "Y"), Span(H + 300, H + 900, H + 300, "Z"))
    out = follow_cue(changes, CueIn("2M1", H + 100, H + 300,
                                    (SyncIn(H + 150, id=1), SyncIn(H + 250, id=2))))
    assert (out.new_start, out.new_end) == (H + 100, H + 300)
    assert out.flag.reason == "hits_moved"
    assert [(h.new_frame, h.music_frame, h.off_frames) for h in out.flag.hits] == [
        (H + 250, H + 150, 100), (H + 150, H + 250, -100)]
    assert out.flag.note.startswith("the picture under the cue was re-ordered")


def test_a_shot_replaced_inside_a_cue_keeps_its_hits():
    # H+200..H+260 replaced by other material of the same length: no hit in it
    changes = cl(Span(H, H + 200, H, "A"), Span(H + 260, H + 900, H + 260, "C"),
                 changes=(Change("replace", "B", "B", H + 200, H + 260, H + 200, H + 260),))
    out = follow_cue(changes, CueIn("2M2", H + 100, H + 400, (SyncIn(H + 300),)))
    assert (out.new_start, out.new_end) == (H + 100, H + 400) and not out.changed
    assert out.flag.reason == "cut_into" and out.flag.worst_off == 0
    assert "its length (300 frames) and its sync points did not" in out.flag.note
