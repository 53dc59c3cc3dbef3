"""Tests for the spotting list's pure core (cue numbers, checks, numbering, totals)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore.errors import InputError, ValidationError
from filmscore.spotting.cues import (
    SYNC_KINDS,
    CueNumber,
    CueSpec,
    SyncSpec,
    film_total,
    next_cue_number,
    parse_cue_number,
    parse_sync_kind,
    reel_totals,
    renumber,
    validate_cues,
)
from filmscore.timecode import parse_label

R24 = "24"


def cue(number: str, start: str, end: str, *syncs: SyncSpec, rate: str = R24) -> CueSpec:
    return CueSpec(parse_cue_number(number), f"cue {number}", parse_label(start, rate),
                   parse_label(end, rate), sync_points=tuple(syncs))


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("1M1", CueNumber(1, 1), "1M1"),
        ("2M3A", CueNumber(2, 3, "A"), "2M3A"),
        ("1M4s", CueNumber(1, 4, "", True), "1M4s"),
        ("1S4", CueNumber(1, 4, "", True), "1M4s"),
        ("1m4", CueNumber(1, 4), "1M4"),
        ("2m3a", CueNumber(2, 3, "A"), "2M3A"),
        ("2M3As", CueNumber(2, 3, "A", True), "2M3As"),
        ("2M3S", CueNumber(2, 3, "S"), "2M3S"),  # uppercase S is an insert letter
        (" 01M02 ", CueNumber(1, 2), "1M2"),
        ("10M112", CueNumber(10, 112), "10M112"),
    ],
)
def test_parse_cue_number(text, expected, canonical):
    number = parse_cue_number(text)
    assert number == expected
    assert str(number) == canonical
    assert parse_cue_number(canonical) == number


@pytest.mark.parametrize("text", ["", "M1", "1M", "1X1", "1M1AB", "1M1ss", "123M1", "1M-1",
                                  "1 M 1", None, 5])
def test_parse_cue_number_refuses(text):
    with pytest.raises(InputError) as info:
        parse_cue_number(text, field="cue")
    message = str(info.value)
    assert "field cue" in message
    assert "1M1" in message  # says what would be valid


def test_cue_number_order():
    texts = ["2M1", "1M10", "1M2", "1M2A", "1M2B", "1M3s", "1M1"]
    ordered = sorted(parse_cue_number(t) for t in texts)
    assert [str(n) for n in ordered] == ["1M1", "1M2", "1M2A", "1M2B", "1M3s", "1M10", "2M1"]
    assert parse_cue_number("1M4s") != parse_cue_number("1M4")
    assert parse_cue_number("1M4s").slot == parse_cue_number("1M4").slot


@given(st.integers(0, 99), st.integers(0, 999), st.sampled_from(["", *"ABCDXYZ"]),
       st.booleans())
def test_cue_number_round_trip(reel, number, insert, source):
    n = CueNumber(reel, number, insert, source)
    assert parse_cue_number(str(n)) == n


def test_sync_kinds():
    assert set(SYNC_KINDS) == {"hard", "soft", "downbeat", "end"}
    assert all(k.description for k in SYNC_KINDS.values())
    assert parse_sync_kind("Hard Hit") == "hard"
    assert parse_sync_kind(" SOFT ") == "soft"
    assert parse_sync_kind("downbeat") == "downbeat"
    with pytest.raises(InputError, match="hard, soft, downbeat, end"):
        parse_sync_kind("thud")


def test_validate_accepts_good_list():
    cues = [
        cue("1M1", "01:00:10:00", "01:01:00:00",
            SyncSpec(parse_label("01:00:20:00", R24), "door", "hard"),
            SyncSpec(parse_label("01:01:00:00", R24), "cut", "end")),
        cue("1M2", "01:01:00:00", "01:02:00:00"),
        cue("1M3s", "01:01:30:00", "01:03:00:00"),  # source may overlap score
    ]
    validate_cues(cues, picture_start=parse_label("01:00:00:00", R24),
                  picture_end=parse_label("01:10:00:00", R24), rate=R24)
    validate_cues(cues, picture_start=None, picture_end=None, rate=R24)


def _fails(cues, match, **kw):
    kw.setdefault("picture_start", parse_label("01:00:00:00", R24))
    kw.setdefault("picture_end", parse_label("01:10:00:00", R24))
    with pytest.raises(ValidationError, match=match) as info:
        validate_cues(cues, rate=R24, **kw)
    return str(info.value)


def test_validate_end_before_start():
    msg = _fails([cue("1M1", "01:00:10:00", "01:00:10:00")], "1M1 ends at or before")
    assert "01:00:10:00" in msg and "field end" in msg


def test_validate_outside_picture():
    msg = _fails([cue("1M1", "00:59:59:00", "01:00:10:00")], "starts before the picture")
    assert "00:59:59:00" in msg and "01:00:00:00 or later" in msg
    msg = _fails([cue("1M2", "01:09:00:00", "01:10:00:01")], "ends after the picture")
    assert "01:10:00:01" in msg and "01:10:00:00 or earlier" in msg


def test_validate_sync_outside_cue():
    bad = cue("1M1", "01:00:10:00", "01:00:20:00",
              SyncSpec(parse_label("01:00:25:00", R24), "door"))
    msg = _fails([bad], "sync point 'door' of cue 1M1 is outside")
    assert "01:00:25:00" in msg and "01:00:10:00 to 01:00:20:00" in msg


def test_validate_duplicates_and_overlap():
    _fails([cue("1M1", "01:00:10:00", "01:00:20:00"), cue("1M1", "01:00:30:00", "01:00:40:00")],
           "1M1 is used twice")
    _fails([cue("1M4", "01:00:10:00", "01:00:20:00"), cue("1M4s", "01:00:30:00", "01:00:40:00")],
           "used twice")
    # insert S and source s: one name for a cue's files on a Mac's or Windows' disk
    msg = _fails([cue("1M4s", "01:00:10:00", "01:00:20:00"),
                  cue("1M4S", "01:00:30:00", "01:00:40:00")], "differ only in case")
    assert "1M4s and 1M4S" in msg and "another insert letter than S" in msg
    msg = _fails([cue("1M1", "01:00:10:00", "01:00:20:00"),
                  cue("1M2", "01:00:19:00", "01:00:40:00")], "1M2 overlaps cue 1M1")
    assert "01:00:20:00 or later" in msg
    validate_cues([cue("1M1", "01:00:10:00", "01:00:20:00"),
                   cue("1M2", "01:00:19:00", "01:00:40:00")],
                  picture_start=None, picture_end=None, allow_overlap=True, rate=R24)


def test_validate_drop_frame_messages():
    rate = "29.97df"
    bad = CueSpec(CueNumber(1, 1), "x", parse_label("01:00:10;00", rate),
                  parse_label("01:00:05;00", rate))
    with pytest.raises(ValidationError, match="01:00:10;00"):
        validate_cues([bad], picture_start=None, picture_end=None, rate=rate)


def test_next_cue_number():
    existing = [parse_cue_number(t) for t in ["1M1", "1M2", "1M3s", "2M1"]]
    assert str(next_cue_number(existing, 1)) == "1M4"
    assert str(next_cue_number(existing, 2)) == "2M2"
    assert str(next_cue_number(existing, 3)) == "3M1"
    assert str(next_cue_number(existing[:3], 2, continue_across_reels=True)) == "2M4"
    two_three = CueNumber(2, 3)
    assert str(next_cue_number([two_three], 2, after=two_three)) == "2M3A"
    existing = [two_three, CueNumber(2, 3, "A")]
    assert str(next_cue_number(existing, 2, after=two_three)) == "2M3B"
    assert str(next_cue_number(existing, 2, after=CueNumber(2, 3, "A"))) == "2M3B"
    with pytest.raises(ValidationError, match="renumber"):
        next_cue_number([CueNumber(2, 3, "Z")], 2, after=CueNumber(2, 3, "Z"))
    with pytest.raises(InputError):
        next_cue_number([], 1, after=two_three)


def test_renumber():
    cues = [
        cue("1M1", "01:00:10:00", "01:00:20:00"),
        cue("1M1A", "01:00:30:00", "01:00:40:00"),
        cue("1M3s", "01:00:45:00", "01:00:50:00"),
        cue("1M2", "01:00:55:00", "01:01:00:00"),
        cue("2M1", "02:00:10:00", "02:00:20:00"),
        cue("2M1A", "02:00:30:00", "02:00:40:00"),
    ]
    assert renumber(cues) == {"1M1": "1M1", "1M1A": "1M2", "1M3s": "1M3s", "1M2": "1M4",
                              "2M1": "2M1", "2M1A": "2M2"}
    assert renumber(cues, per_reel=False)["2M1A"] == "2M6"
    with pytest.raises(ValidationError):
        renumber([cues[0], cues[0]])


def test_totals():
    cues = [
        cue("1M1", "01:00:10:00", "01:00:20:00"),
        cue("1M2s", "01:00:30:00", "01:01:00:00"),
        cue("2M1", "02:00:00:00", "02:00:01:12"),
    ]
    totals = reel_totals(cues, R24)
    assert [tuple(t) for t in totals] == [(1, 2, 40 * 24), (2, 1, 36)]
    assert totals[0].score_frames == 240 and totals[0].source_frames == 720
    assert totals[0].score_count == 1 and totals[0].source_count == 1
    film = film_total(cues, R24)
    assert film.reel is None and film.count == 3 and film.total_frames == 996
    assert film.duration == "0:41+12"
    assert film.seconds == 41.5


def test_validate_refuses_two_sync_points_on_one_frame():
    at = parse_label("01:00:12:00", R24)
    twice = cue("1M1", "01:00:10:00", "01:00:20:00", SyncSpec(at, "door", "hard"),
                SyncSpec(at, "cut", "downbeat"))
    msg = _fails([twice], "cue 1M1 has two sync points on one frame")
    assert "hard 'door'" in msg and "downbeat 'cut'" in msg and "01:00:12:00" in msg
    assert "one sync point a frame" in msg
    validate_cues([cue("1M1", "01:00:10:00", "01:00:20:00", SyncSpec(at, "door"),
                       SyncSpec(at + 1, "cut"))], picture_start=None, picture_end=None,
                  rate=R24)  # a frame apart is fine
