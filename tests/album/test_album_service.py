"""The album service on SQLite and PostgreSQL: albums with a checked catalog number and
the project's credits, settings per medium, tracks set by hand (ISRCs checked and kept,
vinyl split into even sides, what a medium cannot hold refused), tracks proposed by the
sequencer (pins, ISRCs kept for keys that stay), the timed view, and an expanded edition
that keeps the previous album's tracks and their ISRCs."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select

from album_helpers import SR, album_project, scored_cue
from filmscore.album.candidates import refresh_candidates, set_candidate
from filmscore.album.sequence import Sequence
from filmscore.album.service import (
    album_view,
    albums,
    assign_isrcs,
    default_credits,
    expand,
    get_album,
    new_album,
    parse_seconds,
    pin,
    propose,
    set_album,
    set_credits,
    set_isrc,
    set_settings,
    set_tracks,
    split_sides,
)
from filmscore.errors import InputError, NotFoundError, ValidationError
from filmscore.model import AlbumTrack
from filmscore.musicians.roster import make_musician
from filmscore.musicians.service import add_musician
from filmscore.store import transaction
from filmscore.users import add_user

# (cue, start frame, bars at 120 bpm): each mix is the bars plus a second of ring-out
CUES = [("1M1", 24, 4), ("1M2", 24 * 30, 3), ("1M3", 24 * 60, 2), ("2M1", 24 * 90, 5)]


def seconds(key: str) -> int:
    return {c: 2 * bars + 1 for c, _, bars in CUES}[key]


def _project(folder, db_url):
    with album_project(folder / "p", db_url) as ctx:
        for n, (cue, start, bars) in enumerate(CUES, 1):
            scored_cue(ctx, cue, start_frame=start, bars=bars, tmp=folder, seed=n)
        refresh_candidates(ctx, themes=False)
        yield ctx


@pytest.fixture
def pctx(db_url, tmp_path):
    yield from _project(tmp_path, db_url)


@pytest.fixture
def lite(tmp_path):
    """The same project on SQLite only: for checks of input that never reach the
    database's own rules."""
    yield from _project(tmp_path, None)


def test_new_albums_with_credits_and_a_checked_catalog(pctx):
    add_musician(pctx, make_musician("Vera Violin", ["violin"]))
    add_musician(pctx, make_musician("Flo Flute", ["flute", "piccolo"]))
    add_user(pctx, "Mo Editor", "music editor", "a long password 1")
    add_user(pctx, "Eng Ineer", "engineer", "a long password 2")
    credits = default_credits(pctx)
    assert credits == {"composer": ["Ann Composer"], "orchestrator": ["Otto Orchestrator"],
                       "orchestra": ["Flo Flute", "Vera Violin"],  # score order: flute first
                       "recording_engineer": ["Eng Ineer"], "music_editor": ["Mo Editor"]}
    one = new_album(pctx, title="Album Film  (Original Score)", artist="Ann Composer",
                    catalog="0 36000 29145 2", credits={"conductor": ["Ann Composer"],
                                                        "orchestra": "The Stage Orchestra"})
    assert (one.number, one.title, one.catalog) == (1, "Album Film (Original Score)",
                                                   "036000291452")
    assert one.credits["conductor"] == ["Ann Composer"]
    assert one.credits["orchestra"] == ["The Stage Orchestra"]
    assert list(one.credits)[:3] == ["composer", "conductor", "orchestrator"]  # liner order
    two = new_album(pctx, title="Deluxe", previous=1)
    assert (two.number, two.previous) == (2, 1)
    assert [a.number for a in albums(pctx)] == [1, 2]
    assert set_album(pctx, 1, catalog="4006381333931", label_name="Label").catalog == \
        "4006381333931"
    assert "orchestra" not in set_credits(pctx, 1, "orchestra", []).credits
    assert set_credits(pctx, 1, "producer", "A. Producer, B. Producer").credits[
        "producer"] == ["A. Producer", "B. Producer"]
    for bad, words in (("036000291453", "the UPC-A check digit is wrong"),
                       ("1234", "not a UPC-A or EAN-13")):
        with pytest.raises(InputError, match=words) as caught:
            new_album(pctx, title="Bad", catalog=bad)
        assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match="unknown credit"):
        set_credits(pctx, 1, "caterer", ["Someone"])
    with pytest.raises(NotFoundError, match=r"no album 9 in this project \(albums: 1, 2\)"):
        new_album(pctx, title="Orphan", previous=9)
    assert len(albums(pctx)) == 2


def test_settings_per_medium(lite):
    pctx = lite
    new_album(pctx, title="A")
    assert set_settings(pctx, 1, "cd", max_seconds="60:00", order="listening",
                        target_lufs=-11, mode="album") == {
        "max_seconds": "3600", "order": "listening", "target_lufs": -11.0, "mode": "album"}
    assert set_settings(pctx, 1, "cd", max_seconds=None) == {
        "order": "listening", "target_lufs": -11.0, "mode": "album"}
    assert set_settings(pctx, 1, "vinyl", sides=4, max_seconds="20:30")["max_seconds"] == \
        "1230"
    assert pin(pctx, 1, "cd", "1M1", "first")["pins"] == {"1M1": "first"}
    assert pin(pctx, 1, "cd", "2M1", "last")["pins"] == {"1M1": "first", "2M1": "last"}
    with pytest.raises(ValidationError, match="1M1 is pinned first already"):
        pin(pctx, 1, "cd", "1M2", "first")
    assert parse_seconds("1:02:03", "x") == 3723 and parse_seconds("4/3", "x") == \
        Fraction(4, 3)
    for medium, change, words in (
            ("tape", {"order": "film"}, "unknown medium"),
            ("cd", {"order": "random"}, "unknown order"),
            ("cd", {"sides": 2}, "not a number of sides"),
            ("cd", {"max_seconds": "79:5x"}, "not a time in seconds"),
            ("cd", {"ceiling_dbtp": 1}, "not a ceiling dbtp"),
            ("cd", {"mode": "loud"}, "unknown mastering mode"),
            ("cd", {"colour": "red"}, "unknown album setting")):
        with pytest.raises(InputError, match=words) as caught:
            set_settings(pctx, 1, medium, **change)
        assert "\n" not in str(caught.value)


def test_tracks_set_by_hand(pctx, tmp_path):
    new_album(pctx, title="A")
    tracks = set_tracks(pctx, 1, "cd", ["1M2", "1M1", "2M1"],
                        isrcs=["us-s1z-26-00001", "", "USS1Z2600003"])
    assert [(t.position, t.key, t.isrc) for t in tracks] == [
        (1, "1M2", "USS1Z2600001"), (2, "1M1", ""), (3, "2M1", "USS1Z2600003")]
    # the gaps and start times, exact: 2 s between CD tracks, none before track 1
    assert [t.gap_seconds for t in tracks] == [0, 2, 2]
    assert [t.start for t in tracks] == [0, 7 + 2, 7 + 2 + 9 + 2]
    view = album_view(pctx, 1).media["cd"]
    assert view.seconds == 7 + 2 + 9 + 2 + 11 and view.problems == ()
    # ISRCs stay with their keys when the tracks change
    again = set_tracks(pctx, 1, "cd", ["2M1", "1M2"])
    assert [(t.key, t.isrc) for t in again] == [("2M1", "USS1Z2600003"),
                                                ("1M2", "USS1Z2600001")]
    set_isrc(pctx, 1, "cd", "2M1", "GB-AAA-26-00009")
    assert assign_isrcs(pctx, 1, "cd", "US-S1Z-26", 10) == []
    set_isrc(pctx, 1, "cd", "2M1", "")
    assert assign_isrcs(pctx, 1, "cd", "US-S1Z-26", 10) == ["USS1Z2600010"]
    with pytest.raises(InputError, match="field isrc: an ISRC's year is two digits"):
        set_isrc(pctx, 1, "cd", "1M2", "US-S1Z-2X-00001")
    with pytest.raises(ValidationError, match="an ISRC names one recording"):
        set_tracks(pctx, 1, "cd", ["1M1", "1M2"], isrcs=["USS1Z2600001", "USS1Z2600001"])
    with pytest.raises(NotFoundError, match="'1M3' is not a track of album 1 on cd"):
        set_isrc(pctx, 1, "cd", "1M3", "USS1Z2600002")
    # vinyl: split into two sides as evenly as the order allows
    sides = set_tracks(pctx, 1, "vinyl", ["1M1", "1M2", "1M3", "2M1"])
    assert [t.side for t in sides] == ["A", "A", "B", "B"]  # 9+2+7 = 18 | 5+2+11 = 18
    assert [t.gap_seconds for t in sides] == [0, 2, 0, 2]
    assert album_view(pctx, 1).media["vinyl"].side_seconds == {"A": 18, "B": 18}
    assert [t.side for t in set_tracks(pctx, 1, "vinyl", ["1M1", "2M1"], sides="AA")] == \
        ["A", "A"]


def test_what_a_medium_cannot_hold_is_refused(lite, tmp_path):
    pctx = lite
    scored_cue(pctx, "3M1", start_frame=24 * 200, bars=1, tmp=tmp_path, tempo=Fraction(240))
    refresh_candidates(pctx, themes=False)
    new_album(pctx, title="A")
    with pytest.raises(ValidationError, match=r"a track on CD lasts at least 0:04 .*3M1 "
                                              r"\(0:02\)"):
        set_tracks(pctx, 1, "cd", ["1M1", "3M1"])
    assert [t.key for t in set_tracks(pctx, 1, "digital", ["1M1", "3M1"])] == ["1M1", "3M1"]
    set_settings(pctx, 1, "cd", max_seconds=15, max_tracks=3)
    with pytest.raises(ValidationError, match=r"CD holds at most 0:15 of music \(0:02 "
                       r"before track 1 counted\) \(got '0:20'\)"):  # the pregap counts
        set_tracks(pctx, 1, "cd", ["1M1", "1M2"])
    with pytest.raises(ValidationError, match="CD holds at most 3 tracks"):
        set_tracks(pctx, 1, "cd", ["1M3", "1M2", "1M1", "2M1"])
    set_settings(pctx, 1, "vinyl", max_seconds=12)
    with pytest.raises(ValidationError, match="side A holds at most 0:12"):
        set_tracks(pctx, 1, "vinyl", ["1M1", "1M2"], sides=["A", "A"])
    with pytest.raises(InputError, match="one side letter a track, in order"):
        set_tracks(pctx, 1, "vinyl", ["1M1", "1M2"], sides=["B", "A"])
    with pytest.raises(InputError, match="CD has no sides"):
        set_tracks(pctx, 1, "cd", ["1M1"], sides=["A"])
    with pytest.raises(NotFoundError, match="no such candidate: 9M9"):
        set_tracks(pctx, 1, "cd", ["9M9"])
    with pytest.raises(ValidationError, match="a candidate is on a medium once"):
        set_tracks(pctx, 1, "cd", ["1M1", "1M1"])
    with pytest.raises(InputError, match="unknown medium"):
        set_tracks(pctx, 1, "cassette", ["1M1"])
    with pytest.raises(InputError, match="unknown medium"):
        propose(pctx, 1, "cassette")


def test_propose_stores_the_sequence(pctx):
    new_album(pctx, title="A")
    set_candidate(pctx, "1M3", rating=0)  # never proposed
    pin(pctx, 1, "cd", "2M1", "first")
    set_tracks(pctx, 1, "cd", ["1M1"], isrcs=["USS1Z2600001"])
    assert album_view(pctx, 1).media["cd"].problems == ()
    set_tracks(pctx, 1, "cd", ["1M1", "2M1"])
    assert album_view(pctx, 1).media["cd"].problems == ("track 2 (2M1) is pinned first",)
    set_tracks(pctx, 1, "cd", ["1M1"])
    found = propose(pctx, 1, "cd", method="greedy")
    assert isinstance(found, Sequence)
    assert [p.key for p in found.tracks] == ["2M1", "1M1", "1M2"]
    assert "1M3" not in [p.key for p in found.tracks]
    view = album_view(pctx, 1).media["cd"]
    assert [(t.key, t.pinned, t.isrc) for t in view.tracks] == [
        ("2M1", "first", ""), ("1M1", "", "USS1Z2600001"), ("1M2", "", "")]
    with transaction(pctx.engine) as db:
        gaps = [t.gap_seconds for t in db.scalars(select(AlbumTrack).order_by(
            AlbumTrack.position))]
    assert gaps == ["0", "2", "2"]  # exact text
    # the solver (placeholder or CP-SAT) is called the same way
    assert [p.key for p in propose(pctx, 1, "cd").tracks][0] == "2M1"
    with pytest.raises(InputError, match="unknown sequencing method"):
        propose(pctx, 1, "cd", method="random")
    with pytest.raises(InputError, match="unknown order"):
        propose(pctx, 1, "cd", order="alphabetical")


def test_an_expanded_edition_keeps_the_tracks_and_their_isrcs(pctx):
    new_album(pctx, title="Original", catalog="036000291452")
    set_tracks(pctx, 1, "cd", ["1M1", "2M1"], isrcs=["USS1Z2600001", "USS1Z2600002"])
    with transaction(pctx.engine) as db:  # as mastering leaves it
        for t in db.scalars(select(AlbumTrack)):
            t.mastered = {"media_hash": f"m{t.position}", "frames": 1, "sample_rate": SR}
    set_tracks(pctx, 1, "digital", ["1M2"], isrcs=["USS1Z2600003"])
    deluxe = expand(pctx, 1, title="Original (Deluxe Edition)")
    assert (deluxe.number, deluxe.previous, deluxe.tracks) == (2, 1, {"cd": 2, "digital": 1})
    assert deluxe.settings["cd"]["keep"] == ["1M1", "2M1"]
    assert deluxe.credits == get_album(pctx, 1).credits and deluxe.catalog == ""
    found = propose(pctx, 2, "cd")
    keys = [p.key for p in found.tracks]
    assert set(keys) == {"1M1", "1M2", "1M3", "2M1"}  # the left-out cues added
    assert keys.index("1M1") < keys.index("2M1")  # in the previous album's order
    view = album_view(pctx, 2).media["cd"]
    kept = {t.key: t for t in view.tracks if t.kept}
    assert {k: t.isrc for k, t in kept.items()} == {"1M1": "USS1Z2600001",
                                                    "2M1": "USS1Z2600002"}
    with transaction(pctx.engine) as db:
        mastered = {t.position: t.mastered for t in db.scalars(select(AlbumTrack).where(
            AlbumTrack.album_id == 2, AlbumTrack.medium == "cd"))}
    assert sorted(m["media_hash"] for m in mastered.values() if m) == ["m1", "m2"]
    assert all(m["kept_from"] == 1 for m in mastered.values() if m)
    # the first album is untouched
    assert [t.key for t in album_view(pctx, 1).media["cd"].tracks] == ["1M1", "2M1"]
    with pytest.raises(ValidationError, match="album 3 has no tracks to keep"):
        new_album(pctx, title="Empty")
        expand(pctx, 3, title="Nothing")


def test_split_sides_is_as_even_as_the_order_allows():
    f = [Fraction(n) for n in (300, 240, 400, 200, 500, 100)]
    assert split_sides(f, Fraction(2), 2) == [0, 0, 0, 1, 1, 1]  # 944 | 804
    assert split_sides(f, Fraction(0), 3) == [0, 0, 1, 1, 2, 2]
    assert split_sides([], Fraction(2), 2) == []
