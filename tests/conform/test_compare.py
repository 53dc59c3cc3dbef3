"""Comparing two cuts into a change list: the real changelist EDLs (expected changes
derived by hand from the two files), cuts made in code with known edits (every frame's
new place checked against an oracle that looks its source frame up), whole reels, VFX
versions, a rate conversion, and the bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from changelist_helpers import (
    HOUR24,
    Seg,
    check_map,
    film,
    rows,
    shots,
    trim_head,
    trim_tail,
)
from filmscore.conform.compare import compare_cuts
from filmscore.conform.shots import convert_frame, split_version
from filmscore.errors import InputError
from filmscore.spotting.cut import CutEvent, make_cut
from filmscore.spotting.picture import read_picture
from filmscore.timecode import get_rate, parse_label

DATA = Path(__file__).resolve().parents[1] / "data" / "edl" / "changelist"
S = HOUR24  # 01:00:00:00 at 24 fps


# --- the real EDLs -----------------------------------------------------------------------

def test_the_changelist_edls_by_hand() -> None:
    # The two EDLs are at 25 fps: every event of v1 has equal source and record lengths
    # at 25 and seven do not at 24 (event 3: 18:43:04:00-18:43:06:10 is 60 frames at 25,
    # 58 at 24, while its record 01:00:15:20-01:00:18:05 is 60 at 25, 57 at 24).  Both
    # say TITLE: Demo_edit_v1.edl, so the change list names them by their files.
    rate = get_rate("25")
    old = read_picture(DATA / "Demo_edit_v1.edl", rate=rate)
    new = read_picture(DATA / "Demo_edit_v2.edl", rate=rate)

    def tc(label: str) -> int:
        return parse_label(label, rate)

    changes = compare_cuts(old, new)
    assert (changes.old_name, changes.new_name) == ("Demo_edit_v1.edl", "Demo_edit_v2.edl")
    assert changes.rate_name == "25"
    # Event by event, v1 -> v2 (record 01:00:00:00 on):
    # 1  A040C004 same source, same record: unchanged.
    # 2  B018C003 source in 18:15:13:00 unchanged; record out 01:00:15:20 -> 15:22: the
    #    shot plays 2 frames longer, its source frames 18:15:20:14 and :15 are new: its
    #    tail extended by 2 at new 01:00:15:20-15:22 (the v2 line states the source out
    #    as 20:12, 187 frames for a 191-frame record: the picture is its record, so the
    #    source is read as source in + record length; the warning says so).
    # 3  B018C008 source in 18:43:04:00 unchanged, record 15:20-18:05 -> 15:22-18:05:
    #    the shot starts 2 frames later in the cut with the same first frame, and ends at
    #    the same place: its first 58 frames moved 2 later (delta +2) and its last two
    #    (old 01:00:18:03 and 18:04) are gone: tail trimmed by 2 (again the stated source
    #    out, 06:12, disagrees with the record length 58; the record wins).
    # 4-6 B018C008, same sources and records: unchanged (delta 0 again from 18:05).
    # 7  B001C001 -> B001C002 at the same source timecode and record 27:14-34:02 (163
    #    frames): another camera roll, same length, same place: a replace.
    # 8  A002C019 unchanged.
    # 9  B001C005 source 07:25:31:16-32:14 -> 31:12-32:10, same record 38:14-39:12 (23
    #    frames): slipped 4 frames earlier in its source.  Matched by source, the shared
    #    frames 31:16-32:09 (19) sit at record 38:14 in v1 and 38:18 in v2 (delta +4); the
    #    4 frames 31:12-31:15 are new at its head (38:14-38:18, head extended by 4) and
    #    the 4 frames 32:10-32:13 are gone from its tail (old 39:08-39:12, tail trimmed).
    # 10 B001C005 (another part of the roll, source 10:22) unchanged.
    # 11 B001C009 source out 40:11 -> 40:14, record out 43:13 -> 43:16: tail extended
    #    by 3 at new 43:13-43:16.
    # 12 B001C013 (43:13-51:08, 195 frames) is not in v2: deleted; v2 ends at 43:16.
    assert rows(changes) == [
        ("trim_tail", "B018C003_220611_RYX1", tc("01:00:15:20"), tc("01:00:15:20"),
         tc("01:00:15:20"), tc("01:00:15:22"), 0, 2),
        ("trim_tail", "B018C008_220611_RYX1", tc("01:00:18:03"), tc("01:00:18:05"),
         tc("01:00:18:05"), tc("01:00:18:05"), 2, -2),
        ("replace", "B001C002_220528_RYX1", tc("01:00:27:14"), tc("01:00:34:02"),
         tc("01:00:27:14"), tc("01:00:34:02"), 0, 0),
        ("trim_head", "B001C005_220528_RYX1", tc("01:00:38:14"), tc("01:00:38:14"),
         tc("01:00:38:14"), tc("01:00:38:18"), 4, 4),
        ("trim_tail", "B001C005_220528_RYX1", tc("01:00:39:08"), tc("01:00:39:12"),
         tc("01:00:39:12"), tc("01:00:39:12"), 4, -4),
        ("trim_tail", "B001C009_220528_RYX1", tc("01:00:43:13"), tc("01:00:43:13"),
         tc("01:00:43:13"), tc("01:00:43:16"), 0, 3),
        ("delete", "B001C013_220528_RYX1", tc("01:00:43:13"), tc("01:00:51:08"), None, None,
         0, -195),
    ]
    assert changes.changes[2].note.startswith("replaces B001C001_220528_RYX1")
    assert "closes up at 01:00:43:16" in changes.changes[-1].note
    assert len(changes.warnings) == 1 and "events 2 (B018C003" in changes.warnings[0]
    # the map, at chosen frames: before the first change, inside B018C008's moved head,
    # its cut-off tail, the replaced shot, the slipped shot's kept and cut-off frames,
    # and the deleted last shot
    for label, there in [("01:00:00:00", "01:00:00:00"), ("01:00:15:19", "01:00:15:19"),
                         ("01:00:15:20", "01:00:15:22"), ("01:00:18:02", "01:00:18:04"),
                         ("01:00:18:03", None), ("01:00:18:05", "01:00:18:05"),
                         ("01:00:27:13", "01:00:27:13"), ("01:00:27:14", None),
                         ("01:00:34:02", "01:00:34:02"), ("01:00:38:14", "01:00:38:18"),
                         ("01:00:39:07", "01:00:39:11"), ("01:00:39:08", None),
                         ("01:00:39:12", "01:00:39:12"), ("01:00:43:12", "01:00:43:12"),
                         ("01:00:43:13", None), ("01:00:51:07", None)]:
        assert changes.map_frame(tc(label)) == (None if there is None else tc(there)), label
    assert changes.delta_at(tc("01:00:16:00")) == 2
    assert [(s.old_in - tc("01:00:00:00"), s.old_out - tc("01:00:00:00"), s.delta)
            for s in changes.spans] == [(0, 395, 0), (395, 453, 2), (455, 689, 0),
                                        (852, 964, 0), (964, 983, 4), (987, 1088, 0)]


def test_the_edls_compared_the_other_way() -> None:
    rate = get_rate("25")
    old = read_picture(DATA / "Demo_edit_v2.edl", rate=rate)
    new = read_picture(DATA / "Demo_edit_v1.edl", rate=rate)
    changes = compare_cuts(old, new)
    kinds = [(c.kind, c.frames) for c in changes.changes]
    assert kinds == [("trim_tail", -2), ("trim_tail", 2), ("replace", 0), ("trim_head", -4),
                     ("trim_tail", 4), ("trim_tail", -3), ("insert", 195)]
    for span in changes.spans:
        for f in (span.old_in, span.old_out - 1):
            assert changes.map_frame(f) == f + span.delta


# --- cuts made in code ---------------------------------------------------------------------
# Shots A001..A008 of 96, 120, 72, 150, 60, 200, 84 and 110 frames, end to end from
# 01:00:00:00 (S): they start at S + 0, 96, 216, 288, 438, 498, 698, 782 and end at S + 892.


def _compare(old_segs, new_segs, **kwargs):
    old, new = film(old_segs, name="v1"), film(new_segs, name="v2")
    changes = compare_cuts(old, new, **kwargs)
    check_map(old, new, changes)
    return changes


def test_nothing_changed() -> None:
    changes = _compare(shots(), shots())
    assert changes.changes == ()
    # healing: the eight shots are one span
    assert [(s.old_in, s.old_out, s.delta) for s in changes.spans] == [(S, S + 892, 0)]
    assert changes.spans[0].clip == "A001C001 .. A008C001"


def test_trim_at_the_head() -> None:
    new = shots()
    new[1] = trim_head(new[1], 10)  # A002 starts 10 frames later in its source
    # its first 10 frames (old S+96..106) are gone; the rest of the cut closes up by 10
    assert rows(_compare(shots(), new)) == [
        ("trim_head", "A002C001", S + 96, S + 106, S + 96, S + 96, -10, -10)]


def test_trims_at_the_tail_and_extensions() -> None:
    new = shots()
    new[3] = trim_tail(new[3], 12)  # A004 (S+288..438) loses its last 12 frames
    new[5] = trim_tail(new[5], -8)  # A006 (S+498..698) gains 8 at its tail
    new[6] = trim_head(new[6], -6)  # A007 (S+698..782) gains 6 at its head
    changes = _compare(shots(), new)
    assert rows(changes) == [
        # old S+426..438 gone; A004 ends at S+426 in the new cut
        ("trim_tail", "A004C001", S + 426, S + 438, S + 426, S + 426, 0, -12),
        # A005 and A006 are 12 earlier; A006's tail gains new S+686..694 (old S+698)
        ("trim_tail", "A006C001", S + 698, S + 698, S + 686, S + 694, -12, 8),
        # A007's 6 new head frames follow at S+694..700; its old frames now start at
        # S+700: 2 frames later than before (-12 + 8 + 6)
        ("trim_head", "A007C001", S + 698, S + 698, S + 694, S + 700, 2, 6),
    ]
    assert [c.note for c in changes.changes] == [
        "tail trimmed 12 frames", "tail extended 8 frames", "head extended 6 frames"]
    assert changes.delta_at(S + 500) == -12 and changes.delta_at(S + 800) == 2


def test_a_deletion() -> None:
    new = shots()
    del new[4]  # A005, S+438..498
    changes = _compare(shots(), new)
    assert rows(changes) == [("delete", "A005C001", S + 438, S + 498, None, None, 0, -60)]
    assert changes.changes[0].note == "closes up at 01:00:18:06 in the new cut"  # S+438
    assert changes.map_frame(S + 437) == S + 437 and changes.map_frame(S + 498) == S + 438


def test_an_insertion() -> None:
    new = shots()
    new.insert(3, Seg("B001C001", 5000, 50))  # a new shot after A003 (old end S+288)
    changes = _compare(shots(), new)
    assert rows(changes) == [("insert", "B001C001", None, None, S + 288, S + 338, 0, 50)]
    assert changes.changes[0].note == "goes in at 01:00:12:00 in the old cut"
    assert changes.delta_at(S + 288) == 50 and changes.delta_at(S + 287) == 0


def test_an_insertion_inside_a_shot_goes_in_where_it_splits_it() -> None:
    """A long shot split by new material (the demo's second cut does it inside a whole
    film part): the note names the frame it goes in at, not the end of the shot."""
    old = shots()
    a004 = old[3]  # 150 frames from S+288
    new = old[:3] + [Seg(a004.reel, a004.src_in, 40), Seg("N001C001", 700, 24),
                     Seg(a004.reel, a004.src_in + 40, 110)] + old[4:]
    changes = _compare(old, new)
    assert rows(changes) == [("insert", "N001C001", None, None, S + 328, S + 352, 0, 24)]
    assert changes.changes[0].note == "goes in at 01:00:13:16 in the old cut"  # S+328


def test_a_move_is_not_a_delete_and_an_insert() -> None:
    new = shots()
    a003 = new.pop(2)
    new.insert(5, a003)  # A003 (72 frames) moved after A006: A004..A006 (410) come first
    changes = _compare(shots(), new)
    assert rows(changes) == [("move", "A003C001", S + 216, S + 288, S + 626, S + 698, 410, 0)]
    assert changes.changes[0].note == "moved 0:17+02 later (410 frames)"
    # the shots it jumped are 72 frames earlier; they stay (more frames kept in order)
    assert changes.delta_at(S + 300) == -72


def test_a_replacement() -> None:
    new = shots()
    new[6] = Seg("C001C001", 7000, 84)  # A007's 84 frames replaced by another shot's 84
    changes = _compare(shots(), new)
    assert rows(changes) == [("replace", "C001C001", S + 698, S + 782, S + 698, S + 782, 0, 0)]
    assert changes.changes[0].note == "replaces A007C001; 84 frames"
    assert changes.map_frame(S + 700) is None and changes.map_frame(S + 782) == S + 782


def test_a_replacement_of_another_length_is_a_delete_and_an_insert() -> None:
    new = shots()
    new[6] = Seg("C001C001", 7000, 90)
    assert rows(_compare(shots(), new)) == [
        ("delete", "A007C001", S + 698, S + 782, None, None, 0, -84),
        ("insert", "C001C001", None, None, S + 698, S + 788, 0, 90)]


def test_frames_cut_out_of_the_middle_of_a_shot() -> None:
    new = shots()
    a004 = new[3]  # S+288..438
    new[3:4] = [trim_tail(a004, 100), Seg(a004.reel, a004.src_in + 70, 80)]
    changes = _compare(shots(), new)  # its frames 50..69 are gone: old S+338..358
    assert rows(changes) == [("delete", "A004C001", S + 338, S + 358, None, None, 0, -20)]
    assert changes.changes[0].note == ("inside the shot (20 frames); closes up at 01:00:14:02 "
                                       "in the new cut")  # S+338


def test_a_cutaway_over_the_middle_of_a_shot_is_a_replace() -> None:
    new = shots()
    a004 = new[3]
    new[3:4] = [trim_tail(a004, 100), Seg("C001C001", 900, 20),
                Seg(a004.reel, a004.src_in + 70, 80)]
    assert rows(_compare(shots(), new)) == [
        ("replace", "C001C001", S + 338, S + 358, S + 338, S + 358, 0, 0)]


def test_a_slip_is_a_head_and_a_tail_trim() -> None:
    new = shots()
    new[3] = Seg("A004C001", new[3].src_in - 5, 150)  # same length, 5 frames earlier
    assert rows(_compare(shots(), new)) == [
        ("trim_head", "A004C001", S + 288, S + 288, S + 288, S + 293, 5, 5),
        ("trim_tail", "A004C001", S + 433, S + 438, S + 438, S + 438, 5, -5)]


def test_a_vfx_version_is_the_same_shot() -> None:
    old = shots()
    old[2] = Seg("SH010_comp_v11", 1001, 72)
    new = list(old)
    new[2] = Seg("SH010_comp_v12", 1001, 72)  # v12 of the comp, same frames
    changes = _compare(old, new)
    assert changes.changes == ()
    assert [(s.old_in, s.old_out, s.delta) for s in changes.spans] == [(S, S + 892, 0)]
    new[2] = Seg("SH010_comp_v12", 1001, 80)  # v12 delivered 8 frames longer
    changes = _compare(old, new)
    assert rows(changes) == [("trim_tail", "SH010_comp", S + 288, S + 288, S + 288, S + 296,
                              0, 8)]
    assert changes.changes[0].note == "tail extended 8 frames; VFX v11 -> v12"


def test_a_through_edit_heals() -> None:
    new = shots()
    a004 = new[3]
    new[3:4] = [trim_tail(a004, 50), Seg(a004.reel, a004.src_in + 100, 50)]
    changes = _compare(shots(), new)  # A004 cut in two where nothing changed
    assert changes.changes == ()
    assert len(changes.spans) == 1


def test_the_same_shot_used_twice() -> None:
    old = shots()
    old.append(Seg("A002C001", old[1].src_in, 40))  # a flashback: A002's first 40 again
    changes = compare_cuts(film(old), film(shots()))  # the flashback is cut: the first
    assert changes.map_frame(S + 100) == S + 100  # use stays
    assert changes.map_frame(S + 900) is None
    assert rows(changes) == [("delete", "A002C001", S + 892, S + 932, None, None, 0, -40)]


def test_several_edits_at_once() -> None:
    # the demo's kind of re-cut: trim a shot, drop one, move one, extend one
    new = shots()
    new[0] = trim_tail(new[0], 16)   # A001 loses 16 at its tail (old S+80..96)
    a008 = new.pop(7)
    new.insert(1, a008)              # A008 (110) moved right after A001
    del new[5]                       # A005 dropped (old S+438..498)
    new[4] = trim_head(new[4], -24)  # A004 gains 24 at its head
    # new order: A001 (80) A008 (110) A002 (120) A003 (72) A004 (24+150) A006 A007
    changes = _compare(shots(), new)
    assert rows(changes) == [
        ("trim_tail", "A001C001", S + 80, S + 96, S + 80, S + 80, 0, -16),
        ("move", "A008C001", S + 782, S + 892, S + 80, S + 190, -702, 0),
        ("trim_head", "A004C001", S + 288, S + 288, S + 382, S + 406, 118, 24),
        ("delete", "A005C001", S + 438, S + 498, None, None, 0, -60),
    ]
    assert "closes up at 01:00:23:04" in changes.changes[3].note  # S+556


def test_many_edits_random_but_checked() -> None:
    import random

    rng = random.Random(14)
    for _ in range(25):
        old = shots([rng.randrange(24, 240) for _ in range(20)])
        new = list(old)
        for _ in range(rng.randrange(1, 6)):
            k = rng.randrange(len(new))
            move = rng.choice(["head", "tail", "del", "ins", "move", "repl"])
            if move == "head":
                new[k] = trim_head(new[k], rng.randrange(-12, 12))
            elif move == "tail":
                new[k] = trim_tail(new[k], rng.randrange(-12, 12))
            elif move == "del" and len(new) > 2:
                del new[k]
            elif move == "ins":
                new.insert(k, Seg(f"N{rng.randrange(10**6)}", 0, rng.randrange(12, 99)))
            elif move == "move":
                new.insert(rng.randrange(len(new)), new.pop(k))
            else:
                new[k] = Seg(f"R{rng.randrange(10**6)}", 0, new[k].length)
        new = [s for s in new if s.length > 0]
        changes = _compare(old, new)  # the map agrees with the oracle at every frame
        assert {c.kind for c in changes.changes} <= {"insert", "delete", "trim_head",
                                                      "trim_tail", "move", "replace"}


# --- whole reels --------------------------------------------------------------------------
# Reel 1 (A 100, B 80, C 120) at 01:00:00:00, reel 2 (D 90, E 110) at 02:00:00:00, reel 3
# (F 70, G 130, H 60) at 03:00:00:00.

H = HOUR24


def _reels() -> dict[int, list[Seg]]:
    segs = shots((100, 80, 120, 90, 110, 70, 130, 60), prefix="R")
    return {1: segs[:3], 2: segs[3:5], 3: segs[5:]}


def _compare_reels(new: dict[int, list[Seg]]):
    old_cut, new_cut = film(_reels(), name="v1"), film(new, name="v2")
    assert [r.name for r in old_cut.reels] == ["R1", "R2", "R3"]
    changes = compare_cuts(old_cut, new_cut)
    check_map(old_cut, new_cut, changes)
    return changes


def test_a_reel_removed() -> None:
    reels = _reels()
    del reels[2]  # reel 3 stays at 03:00:00:00
    changes = _compare_reels(reels)
    assert rows(changes) == [("delete", "R004C001", 2 * H, 2 * H + 200, None, None, 0, -200)]
    assert changes.changes[0].note.startswith("2 shots: R004C001, R005C001")
    assert changes.delta_at(3 * H) == 0


def test_a_reel_removed_and_the_next_renumbered() -> None:
    reels = _reels()
    reels[2] = reels.pop(3)  # reel 3 becomes reel 2, at 02:00:00:00
    changes = _compare_reels(reels)
    assert rows(changes) == [("delete", "R004C001", 2 * H, 2 * H + 200, None, None, 0, -200)]
    assert changes.delta_at(3 * H + 10) == -H


def test_a_reel_added() -> None:
    reels = _reels()
    reels[4] = shots((150, 90), prefix="X")
    changes = _compare_reels(reels)
    assert rows(changes) == [("insert", "X001C001", None, None, 4 * H, 4 * H + 240, 0, 240)]
    reels = _reels()
    reels[4], reels[3], reels[2] = reels[3], reels[2], shots((150, 90), prefix="X")
    changes = _compare_reels(reels)  # a new reel 2; old reels 2 and 3 one hour later
    assert rows(changes) == [("insert", "X001C001", None, None, 2 * H, 2 * H + 240, 0, 240)]
    assert changes.delta_at(2 * H) == H and changes.delta_at(3 * H) == H


def test_reels_swapped() -> None:
    reels = _reels()
    reels[2], reels[3] = reels[3], reels[2]
    changes = _compare_reels(reels)
    # reel 3 (260 frames) comes before reel 2 (200) now: the lighter one is the move
    assert rows(changes) == [("move", "R004C001", 2 * H, 2 * H + 200, 3 * H, 3 * H + 200,
                              H, 0)]
    assert changes.changes[0].note == "moved 1:00:00+00 later (86400 frames); 2 shots: " \
                                      "R004C001, R005C001"
    assert changes.delta_at(3 * H) == -H


# --- rates ------------------------------------------------------------------------------


def test_another_rate_is_refused_unless_converted() -> None:
    segs = [Seg("A001C001", 24 * 100, 24 * 4), Seg("A002C001", 24 * 200, 24 * 3),
            Seg("A003C001", 24 * 300, 24 * 5)]
    old = film(segs, name="v1", rate="24")
    # the same shots at 25 fps, the second dropped: every in and out on a whole second
    at25 = [Seg(s.reel, s.src_in // 24 * 25, s.length // 24 * 25) for s in segs]
    new = film([at25[0], at25[2]], name="v2", rate="25")
    with pytest.raises(InputError) as caught:
        compare_cuts(old, new)
    message = str(caught.value)
    assert "different frame rates: v1 at 24 fps, v2 at 25 fps" in message
    assert "valid: a new cut at 24 fps like the old one, or ask for a conversion" in message
    assert "\n" not in message
    changes = compare_cuts(old, new, convert=True)
    assert rows(changes) == [("delete", "A002C001", S + 96, S + 168, None, None, 0, -72)]
    assert "converted from 25 to 24 fps by timecode seconds" in changes.warnings[0]


def test_conversion_by_timecode_seconds() -> None:
    r24, r25, r2997 = get_rate("24"), get_rate("25"), get_rate("29.97df")
    assert convert_frame(parse_label("01:00:10:00", r25), r25, r24) == parse_label(
        "01:00:10:00", r24)
    # 12/25 s is 11.52 frames at 24: 12; 13/25 s is 12.48: 12 (the nearest frame)
    assert convert_frame(parse_label("01:00:10:12", r25), r25, r24) == parse_label(
        "01:00:10:12", r24)
    assert convert_frame(parse_label("01:00:10:13", r25), r25, r24) == parse_label(
        "01:00:10:12", r24)
    assert convert_frame(parse_label("00:00:00:01", r24), r24, get_rate("48")) == 2
    # a drop-frame target: a dropped label is the first label of its minute
    assert convert_frame(parse_label("00:01:00:00", r24), r24, r2997) == parse_label(
        "00:01:00;02", r2997)
    # 23.976 and 24 name frames alike: nothing moves
    assert convert_frame(123456, get_rate("23.976"), r24) == 123456


def test_a_drop_frame_cut_against_its_non_drop_twin_needs_no_conversion() -> None:
    old = film(shots(), rate="29.97", name="v1")
    new = film(shots(), rate="29.97df", name="v2")
    assert compare_cuts(old, new).changes == ()


# --- bad input -----------------------------------------------------------------------------


def test_cuts_that_share_nothing() -> None:
    old = film(shots(), name="v1")
    new = film(shots(prefix="Z"), name="v2")
    with pytest.raises(InputError) as caught:
        compare_cuts(old, new)
    assert str(caught.value).startswith("field shots: the cuts share nothing: no shot of v2 ")
    # the same reels at other source timecodes share nothing either
    moved = [Seg(s.reel, s.src_in + 5000, s.length) for s in shots()]
    with pytest.raises(InputError, match="share nothing"):
        compare_cuts(old, film(moved, name="v3"))


def test_a_cut_without_picture() -> None:
    old = film(shots(), name="v1")
    sound = make_cut(name="sound", rate="24", events=[CutEvent(
        1, "dx", "A1", 0, 100, S, S + 100, track="A1")])
    with pytest.raises(InputError, match="the cut sound has no picture events"):
        compare_cuts(old, sound)


def test_aux_reels_are_named_by_their_clips() -> None:
    # Premiere and Resolve write AX for every reel: the clip name is the shot's name
    old = [Seg("AX", 3000, 100, "interview_take3.mov"), Seg("AX", 3000, 50, "street.mov")]
    new = [Seg("AX", 3000, 50, "street.mov"), Seg("AX", 3000, 100, "interview_take3.mov")]
    changes = compare_cuts(film(old), film(new))
    assert rows(changes) == [("move", "street", S + 100, S + 150, S, S + 50, -100, 0)]


def test_black_never_matches() -> None:
    old = [Seg("BL", 0, 48), *shots()]
    new = [Seg("BL", 0, 24), *shots()]
    changes = _compare(old, new)
    assert [c.kind for c in changes.changes] == ["delete", "insert"]


def test_versions_and_project_are_carried() -> None:
    changes = compare_cuts(film(shots(), name="v1"), film(shots(), name="v2"),
                           old_version=3, new_version=4, project="Popeye #1")
    assert (changes.old_version, changes.new_version, changes.project) == (3, 4, "Popeye #1")


def test_split_version() -> None:
    assert split_version("SH010_comp_v011.exr") == ("SH010_comp", 11)
    assert split_version("sh010.V3") == ("sh010", 3)
    assert split_version("A040C004_220611_ABCD.mov") == ("A040C004_220611_ABCD", None)
