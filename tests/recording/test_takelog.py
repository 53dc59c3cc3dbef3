"""The take log's arithmetic: numbers, bars, staleness, what is still to record, minutes
recorded per day against the plan (pure values, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from filmscore.errors import InputError, ValidationError
from filmscore.recording.takelog import (
    CueState,
    PickupSpec,
    PlanItem,
    TakeSpec,
    check_bars,
    check_kind,
    covered_frames,
    cue_sheet,
    next_take_number,
    parse_bars,
    pickup_for,
    staleness,
    still_to_record,
    take_status,
)

D1, D2 = date(2027, 3, 1), date(2027, 3, 3)
#: 20 bars of 48 frames (2 s at 24 fps: 4/4 at 120), orchestration v2, music v3, map v1
CUE = CueState("1M2", "The Chase", 20 * 48, 20, tuple(48 * b for b in range(21)), 2, 3, 1)


def take(number, kind="complete", circled=False, bars=(None, None), **kw):
    base = dict(orchestration_number=2, music_version=3, tempo_map_version=1)
    base.update(kw)
    return TakeSpec("1M2", number, kind, circled, bars[0], bars[1], **base)


def test_next_take_number_per_cue_or_across_the_project():
    assert next_take_number("cue", [], [5, 9]) == 1
    assert next_take_number("cue", [1, 2, 4], [1, 2, 4, 9]) == 5
    assert next_take_number("project", [1, 2], [1, 2, 9]) == 10
    with pytest.raises(InputError, match="take numbering.*reel.*cue, project"):
        next_take_number("reel", [], [])


def test_bars_are_parsed_and_checked_against_the_cue():
    assert parse_bars("12-20") == (12, 20)
    assert parse_bars("12 – 20") == (12, 20)
    assert parse_bars("7") == (7, 7)
    assert parse_bars("") == (None, None)
    with pytest.raises(InputError, match="field bars.*'twelve'.*12-20"):
        parse_bars("twelve")
    with pytest.raises(ValidationError, match="out of order"):
        parse_bars("20-12")
    check_bars(CUE, 12, 20)
    with pytest.raises(ValidationError, match=r"cue 1M2 has 20 bars.*'18-24'.*1-20"):
        check_bars(CUE, 18, 24)
    check_bars(CueState("2M1"), 300, 400)  # no tempo map: the bar count is unknown
    with pytest.raises(InputError, match="unknown take type.*'insert'.*pickup"):
        check_kind("insert")


def test_a_take_from_an_older_version_is_out_of_date_with_the_reason():
    assert staleness(take(1), CUE) == ""
    assert staleness(take(1, orchestration_number=1), CUE) == (
        "played from orchestration v1; the cue is at v2")
    reason = staleness(take(1, music_version=2, tempo_map_version=None), CUE)
    assert "music version v2; the cue is at v3" in reason
    assert "played before tempo map v1" in reason
    assert staleness(take(1, flagged="part revised 2027-03-02"), CUE) == (
        "part revised 2027-03-02")
    # the revision flag (recording.revisions) already says which orchestration: once only
    flag = "parts revised 2027-03-02 (orchestration v2); this take was recorded from v1"
    assert staleness(take(1, orchestration_number=1, flagged=flag), CUE) == flag
    assert take_status(take(1, circled=True)) == "circled"
    assert take_status(take(2, "breakdown")) == "no good"
    assert take_status(take(3, "alternate")) == "kept"


def test_what_is_still_to_record():
    assert still_to_record(CUE, []) == ("the whole cue (bars 1-20)",)
    assert still_to_record(CUE, [take(1, circled=True)]) == ()
    # a circled breakdown or an alternate covers nothing; an uncircled complete nothing
    assert still_to_record(CUE, [take(1, "breakdown", True), take(2, "alternate", True),
                                 take(3)]) == ("the whole cue (bars 1-20)",)
    # a split cue: part 1 circled, then a pickup of bars 15-16
    parts = [take(1, circled=True, bars=(1, 12)), take(2, "pickup", True, (15, 16))]
    assert still_to_record(CUE, parts) == ("bars 13-14, 17-20",)
    stale = [take(1, circled=True, orchestration_number=1)]
    assert still_to_record(CUE, stale) == (
        "the whole cue (bars 1-20) (circled take 1 out of date)",)
    pickups = [PickupSpec(7, "1M2", 12, 14, "picture change"),
               PickupSpec(8, "1M2", 3, 4, "", "recorded")]
    assert still_to_record(CUE, [take(1, circled=True)], pickups) == (
        "pickup bars 12-14 (picture change)",)
    # no tempo map: only a circled complete take of the whole cue finishes it
    bare = CueState("2M1", length_frames=480)
    assert still_to_record(bare, []) == ("the whole cue",)
    bare_take = TakeSpec("2M1", 1, "complete", True, 1, 8)
    assert still_to_record(bare, [bare_take]) == ("the whole cue",)
    assert still_to_record(bare, [TakeSpec("2M1", 2, circled=True)]) == ()


def test_a_pickup_take_finds_its_pickup():
    pickups = [PickupSpec(1, "1M2", 3, 4, status="recorded"), PickupSpec(2, "1M2", 12, 14),
               PickupSpec(3, "1M2", 18, 19)]
    assert pickup_for((13, 16), pickups).id == 2
    assert pickup_for((18, 18), pickups).id == 3
    assert pickup_for((None, None), pickups).id == 2
    assert pickup_for((1, 2), pickups) is None


def test_covered_music_counts_each_bar_once():
    assert covered_frames(CUE, [take(1, circled=True)]) == 960
    assert covered_frames(CUE, [take(1, circled=True, bars=(1, 10)),
                                take(2, "pickup", True, (9, 12))]) == 12 * 48
    assert covered_frames(CUE, [take(1, bars=(1, 10))]) == 0  # not circled
    assert covered_frames(CueState("2M1", length_frames=480),
                          [TakeSpec("2M1", 1, circled=True, bar_from=1, bar_to=4)]) == 0


def test_the_cue_sheet_and_minutes_per_day_against_the_plan():
    other = CueState("1M3", "Coda", 240, None)
    takes = [take(1, "false start", day=D1, session="Day 1 AM"),
             take(2, circled=True, bars=(1, 10), day=D1, session="Day 1 AM"),
             take(3, circled=True, bars=(1, 10), day=D1, session="Day 1 PM"),
             take(4, "pickup", True, (11, 20), day=D2, session="Day 2"),
             TakeSpec("1M3", 1, circled=True, day=D2, session="Day 2"),
             TakeSpec("9M9", 1, circled=True, day=D2)]  # a cue not on the sheet
    plan = [PlanItem(D1, "Day 1 AM", "1M2", 960), PlanItem(D1, "Day 1 PM", "1M3", 240),
            PlanItem(D2, "Day 2", "1M2", 480)]
    sheet = cue_sheet([CUE, other], takes, [PickupSpec(1, "1M3", reason="re-write")], plan)
    first, second = sheet.cues
    assert [t.take.number for t in first.takes] == [1, 2, 3, 4]
    assert [t.status for t in first.takes] == ["no good", "circled", "circled", "circled"]
    assert first.circled == (2, 3, 4) and first.done
    assert second.remaining == ("pickup of the whole cue (re-write)",)
    assert [(d.day, d.sessions, d.planned_frames, d.recorded_frames) for d in sheet.days] == [
        (D1, ("Day 1 AM", "Day 1 PM"), 1200, 480),  # bars 1-10 once
        (D2, ("Day 2",), 480, 480 + 240)]
    assert sheet.planned_frames == 1680 and sheet.recorded_frames == 1200
    assert take(4, "pickup", True, (11, 20)).line() == "1M2 take 4 (pickup, bars 11-20) circled"
    assert take(5).line() == "1M2 take 5 (complete)"
