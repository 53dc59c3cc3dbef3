"""The album stage in the workspace, in-process: the albums and candidates page and an
album's page as every role, the view model's timings exact against the album of
``album_helpers`` (checked by hand), the transition audio exact (the tail of one file, the
gap as zeros, the head of the next), the candidate edits (CSRF, roles, bad input, a stale
form) and "propose" as a background job (with a stand-in for the album service)."""

from __future__ import annotations

import re
import sys
import types
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import delete, select

from filmscore import jobs
from filmscore.accounts import ROLES, can
from filmscore.album.board import album_board, album_list, candidate_board
from filmscore.album.clock import against, cd_address, clock, gap_text
from filmscore.album.layout import layout_medium
from filmscore.album.plan import PlanTrack, ReleasePlan, medium_rules
from filmscore.album.sequence import Placed, Sequence
from filmscore.album.transition import join, render_transition
from filmscore.errors import InputError
from filmscore.formats.bwf import BwfWriter
from filmscore.model import Album, AlbumCandidate, AlbumTrack
from filmscore.project import init_project, open_project
from filmscore.store import transaction
from filmscore.web.security import api_routes, route_action
from web.album_helpers import SR, add_album, audio, mix_file
from web_helpers import jobs_on_threads, login, token, wait_batch

F = Fraction


@pytest.fixture
def web_project(web_project, tmp_path):
    add_album(web_project, tmp_path / "mixes")
    return web_project


# --- every role ---------------------------------------------------------------------------------

def test_every_role_sees_the_albums_the_candidates_and_listens(app):
    for role in ROLES:
        client = login(app, role)
        listing = client.get("/album")
        assert listing.status_code == 200
        html = listing.text
        assert 'href="/album/1"' in html and "5 tracks · 0:52" in html
        assert html.count('<tr id="cand-') == 6
        assert "not in the film" in html and "00:00:10:00" in html
        assert 'src="/album/candidates/1M1.wav"' in html
        assert ('action="/album/candidates/1M1"' in html) == can(role, "album")
        assert ('name="rating"' in html) == can(role, "album")
        assert 'href="/album">Album</a>' in html  # in the navigation

        page = client.get("/album/1").text
        assert 'class="medium-tab over" data-medium="cd"' in page
        assert "OVER BY 0:09" in page
        assert "<strong>Side B</strong> starts with B1 Bluto" in page
        assert "5 tracks · 0:52 on 2 sides, 0:09 apart" in page
        assert 'src="/album/1/cd/transitions/1.wav"' in page
        assert 'src="/album/1/vinyl/tracks/3.wav"' in page
        assert ('action="/album/1/cd/propose"' in page) == can(role, "album")
        for url in ("/album/candidates/1M3-alt.wav", "/album/1/digital/tracks/1.wav",
                    "/album/1/vinyl/transitions/3.wav"):
            answer = client.get(url)
            assert answer.status_code == 200, (role, url, answer.text)
            assert answer.headers["content-type"] == "audio/wav"


def test_the_album_action_is_the_composers_and_the_music_editors(app):
    assert [r for r in ROLES if can(r, "album")] == ["composer", "music editor"]
    actions = {(m, r.path): route_action(r) for r in api_routes(app)
               for m in r.methods - {"HEAD"} if r.path.startswith("/album")}
    assert actions == {
        ("GET", "/album"): "view",
        ("POST", "/album/candidates/{key}"): "album",
        ("GET", "/album/candidates/{key}.wav"): "view",
        ("GET", "/album/{number}"): "view",
        ("POST", "/album/{number}/{medium}/propose"): "album",
        ("GET", "/album/{number}/{medium}/tracks/{position}.wav"): "view",
        ("GET", "/album/{number}/{medium}/transitions/{position}.wav"): "view",
    }
    assert jobs.KINDS["album-propose"].action == "album"


# --- the view model -----------------------------------------------------------------------------

def test_the_sequences_timed_by_hand(db_url, tmp_path):
    folder = tmp_path / "film"
    init_project(folder, title="Album Film", fps="24", db=db_url)
    add_album(folder, tmp_path / "mixes", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        board = album_board(pctx, 1)
        listed = album_list(pctx)
        cands = candidate_board(pctx)
    assert (board.number, board.title, board.artist, board.catalog) == (
        1, "Popeye", "Sammy Timberg", "5012345678900")
    cd, vinyl, digital = board.media
    assert [m.name for m in board.media] == ["cd", "vinyl", "digital"]

    # CD, on frames of 1/75 s: 12 s (900 frames), a pause of 2 s (150), 7.5 s ending at
    # frame 1612.5, padded to 1613; 150; 9 s (675) to 2438; 4/3 s (100); 6 s (450) to 2988;
    # 150; 10 s (750) to 3888 frames: 51.84 s, 53.84 s of disc time against 45 s
    assert [(t.label, t.start, t.seconds, t.gap, t.end) for t in cd.tracks] == [
        ("1", F(0), F(12), F(0), F(12)),
        ("2", F(14), F(15, 2), F(2), F(43, 2)),
        ("3", F(1763, 75), F(9), F(2), F(2438, 75)),
        ("4", F(2538, 75), F(6), F(4, 3), F(2988, 75)),
        ("5", F(3138, 75), F(10), F(2), F(3888, 75))]
    assert [(t.start_text, t.length, t.gap_text, t.running, t.cd_index) for t in cd.tracks] == [
        ("0:00", "0:12", "", "0:12", "00:02:00"),
        ("0:14", "0:08", "2 s", "0:22", "00:16:00"),
        ("0:24", "0:09", "2 s", "0:33", "00:25:38"),   # frame 1763 + the pregap's 150
        ("0:34", "0:06", "4/3 s", "0:40", "00:35:63"),
        ("0:42", "0:10", "2 s", "0:52", "00:43:63")]
    # the disc's total counts the 2 s pregap (disc time, what the capacity is checked against)
    assert cd.seconds == F(3888, 75) + 2 and cd.over and cd.total_text == "0:54"
    (disc,) = cd.sides
    assert (disc.letter, disc.limit, disc.total_text, disc.limit_text, disc.difference) == (
        "", F(45), "0:54", "0:45", "over by 0:09")
    assert disc.limit_pct == round(45 * 100 / 53.84, 3)
    assert disc.over_pct == round(8.84 * 100 / 53.84, 3)
    assert cd.tracks[1].x_pct == round(14 * 100 / 53.84, 3)  # the scale: disc time
    assert [t.pinned for t in cd.tracks] == ["first", "", "", "", "last"]
    assert cd.problems == ()  # the capacity is told by ``over``, nothing else is wrong
    assert cd.limit_text == "0:45" and "at most 0:45" in cd.rules
    assert [(t.out_label, t.in_label, t.gap) for t in cd.transitions] == [
        ("1", "2", F(2)), ("2", "3", F(2)), ("3", "4", F(4, 3)), ("4", "5", F(2))]
    assert cd.rating == 5 + 4 + 3 + 2 + 5

    # vinyl: side A 12 + 2 + 7.5; side B (B1's stored gap not counted) 9 + 2 + 6 + 3 + 10
    a, b = vinyl.sides
    assert [(t.label, t.start, t.end) for t in a.tracks] == [
        ("A1", F(0), F(12)), ("A2", F(14), F(43, 2))]
    assert [(t.label, t.start, t.gap, t.stored_gap, t.end) for t in b.tracks] == [
        ("B1", F(0), F(0), F(2), F(9)), ("B2", F(11), F(2), F(2), F(17)),
        ("B3", F(20), F(3), F(3), F(30))]
    assert (a.seconds, a.difference, a.over) == (F(43, 2), "0:08 to spare", False)
    assert (b.seconds, b.total_text, b.difference, b.over) == (F(30), "0:30", "0:00 to spare",
                                                               False)
    assert not vinyl.over and vinyl.seconds == F(103, 2) and vinyl.limit_text == "0:30 a side"
    assert b.limit_pct == 100.0 and b.fill_pct == 100.0 and a.fill_pct == round(21.5 / 30 * 100, 3)
    assert [t.position for t in vinyl.tracks] == [1, 2, 3, 4, 5]
    assert [(t.out_label, t.in_label) for t in vinyl.transitions] == [
        ("A1", "A2"), ("B1", "B2"), ("B2", "B3")]  # no transition across the flip
    assert vinyl.tracks[0].cd_index == "" and vinyl.spread == "0:09"  # 8.5 s, half up
    assert cd.spread == "" and cd.measured and [t.loudness for t in cd.tracks[:2]] == [
        "-18.5", ""]

    # digital: no gaps, no limit, two tracks mastered
    assert digital.seconds == F(99, 2) and digital.total_text == "0:50"  # 49.5 s, half up
    assert digital.sides[0].limit is None and digital.sides[0].difference == ""
    assert digital.mastered == 2 and [t.mastered for t in digital.tracks][:3] == [
        True, True, False]
    assert [t.mastered for t in digital.transitions] == [True, False, False, False, False]

    # themes: the score's five, Sea Hag on no track
    assert [(u.name, u.tracks) for u in vinyl.themes] == [
        ("Popeye", ("A1", "B1", "B3")), ("Olive", ("B2",)), ("Bluto", ("B1",)),
        ("Spinach", ("A2",)), ("Sea Hag", ())]
    assert (cd.covered, cd.missing_themes) == (4, ("Sea Hag",))

    # the candidates in film order, the unused one last, and where each is
    assert [c.key for c in cands] == ["1M1", "1M2", "2M1", "2M2", "3M1", "1M3-alt"]
    by_key = {c.key: c for c in cands}
    assert by_key["2M1"].media == ("1 · CD 3", "1 · LP B1", "1 · Digital 3")
    assert by_key["1M3-alt"].media == ("1 · Digital 6",)
    assert (by_key["1M3-alt"].in_film, by_key["1M3-alt"].film_timecode) == (False, "")
    assert (by_key["1M1"].film_timecode, by_key["1M1"].length, by_key["1M1"].loudness,
            by_key["1M1"].peak) == ("00:00:10:00", "0:12", "-18.5 LUFS", "-2.2 dBTP")
    assert (by_key["1M2"].title, by_key["1M2"].shown_title, by_key["1M2"].seconds) == (
        "", "Spinach", F(15, 2))
    assert by_key["3M1"].working_title == "End Credits"
    (summary,) = listed
    assert summary.media == {"cd": (5, "0:54"), "vinyl": (5, "0:52"), "digital": (6, "0:50")}


def _plan(medium: str, tracks: list[tuple], overrides: dict | None = None) -> ReleasePlan:
    """A plan built by hand: tracks as (position, side, seconds, gap, pinned, audio)."""
    rules = medium_rules(medium, overrides)
    return ReleasePlan(1, "A", "B", "", "", rules, {}, {}, "Film", "Composer", tuple(
        PlanTrack(position=p, side=side, key=f"k{p}", title=f"T{p}", cue=None, kind="cue",
                  isrc="", pinned=pin, gap_seconds=F(gap), audio=Path("x.wav") if has else None,
                  frames=int(F(secs) * 48000), sample_rate=48000, channels=2,
                  loudness_lufs=None, true_peak_dbtp=None)
        for p, side, secs, gap, pin, has in tracks))


def test_what_breaks_a_mediums_rules_is_listed():
    cd = layout_medium(_plan("cd", [(1, "", 3, 0, "", True), (2, "", 10, 2, "first", True),
                                    (3, "", 10, 2, "", False), (4, "", 5, 2, "last", True)],
                             {"max_tracks": 3}))
    assert cd.problems == (
        "4 tracks: a CD holds at most 3",
        "track 1 'T1' lasts 3 s: a CD track lasts at least 4 s",
        "track 3 'T3' has no audio yet",
        "track 2 'T2' is pinned first but is not track 1")
    assert cd.tracks[0].short and not cd.over
    assert [t.playable for t in cd.transitions] == [True, False, False]
    lp = layout_medium(_plan("vinyl", [(1, "A", 60, 0, "", True), (2, "C", 30, 0, "", True)]))
    assert [s.letter for s in lp.sides] == ["A", "B", "C"]
    assert lp.problems == ("tracks on side C: a 12-inch LP has sides AB",)
    assert lp.sides[1].tracks == () and lp.sides[1].difference == "22:00 to spare"
    empty = layout_medium(_plan("digital", []))
    assert empty.empty and empty.total_text == "0:00" and empty.transitions == ()


def test_a_cd_is_laid_out_on_its_frames():
    # a pause: the track before padded to its frame's end, the pause to the nearest frame;
    # a segue (no pause): the next track runs on from the last sample, its index the frame
    # at or before it; the disc padded to a whole frame
    plan = _plan("cd", [(1, "", F(10001, 1000), 0, "", True), (2, "", 5, 0, "", True),
                        (3, "", 4, F(1, 100), "", True)])
    cd = layout_medium(plan)
    assert [(t.start, t.gap, t.end) for t in cd.tracks] == [
        (F(0), F(0), F(10001, 1000)),
        (F(10001, 1000), F(0), F(15001, 1000)),                  # the segue
        (F(1126, 75) + F(1, 75), F(1, 75), F(1127, 75) + 4)]     # 15.001 s: frame 1126
    assert [t.cd_index for t in cd.tracks] == ["00:02:00", "00:12:00", "00:17:02"]
    assert cd.seconds == F(1127, 75) + 4 + 2  # whole frames: nothing to pad; + the pregap
    digital = layout_medium(_plan("digital", [(1, "", F(10001, 1000), 0, "", True),
                                              (2, "", 4, F(1, 100), "", True)]))
    assert digital.seconds == F(10001, 1000) + F(1, 100) + 4  # no grid: exact


def test_times_as_text():
    assert [clock(F(x)) for x in (0, F(59, 2), 125, F(7199, 2), 3661)] == [
        "0:00", "0:30", "2:05", "60:00", "61:01"]
    assert [gap_text(x) for x in (F(2), F(3, 2), F(4, 3), F(1, 75))] == [
        "2 s", "1.5 s", "4/3 s", "1/75 s"]
    assert cd_address(F(2)) == "00:02:00" and cd_address(F(4797 + 2)) == "79:59:00"
    assert cd_address(F(2) + F(1, 75)) == "00:02:01"
    # over by less than the rounding: the total to tenths, the excess rounded up
    assert against(F(454, 10), F(45)) == ("0:45.4", "over by 0:01")
    assert against(F(4797), F(4797)) == ("79:57", "0:00 to spare")
    assert against(F(100, 3), F(45)) == ("0:33", "0:11 to spare")  # 11 2/3: rounded down


# --- the transition audio ---------------------------------------------------------------------

def _cache(project: Path) -> list[Path]:
    return sorted((project / "web-cache" / "album-transitions").glob("*.wav"))


def test_a_transition_is_the_tail_the_gap_and_the_head(app, web_project, tmp_path):
    client = login(app, "director")
    with open_project(web_project) as pctx:
        files = {c: audio(pctx.media.path(mix_file(pctx, c)["media_hash"]))
                 for c in ("1M1", "1M2", "2M1", "2M2", "3M1")}
        with transaction(pctx.engine) as db:
            masters = [pctx.media.path(t.mastered["media_hash"]) for t in db.scalars(
                select(AlbumTrack).where(AlbumTrack.medium == "digital")
                .order_by(AlbumTrack.position)) if t.mastered]

    def got(url: str) -> np.ndarray:
        answer = client.get(url)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "audio/wav"
        path = tmp_path / "got.wav"
        path.write_bytes(answer.content)
        info = sf.info(str(path))
        assert (info.samplerate, info.subtype) == (SR, "PCM_24")
        return audio(path)

    def zeros(n: int) -> np.ndarray:
        return np.zeros((n, 2), dtype=np.int32)

    six = 6 * SR
    expected = np.concatenate([files["1M1"][-six:], zeros(2 * SR), files["1M2"][:six]])
    np.testing.assert_array_equal(got("/album/1/cd/transitions/1.wav"), expected)
    assert len(expected) == 14 * SR
    # a gap of 4/3 s is 64000 samples; 2M2 lasts 6 s: all of it
    expected = np.concatenate([files["2M1"][-six:], zeros(64000), files["2M2"]])
    np.testing.assert_array_equal(got("/album/1/cd/transitions/3.wav"), expected)
    # two seconds either side
    expected = np.concatenate([files["2M2"][-2 * SR:], zeros(2 * SR), files["3M1"][:2 * SR]])
    np.testing.assert_array_equal(got("/album/1/cd/transitions/4.wav?seconds=2"), expected)
    # digital: tracks 1 and 2 are mastered, the transition plays the masters, no gap
    a, b = audio(masters[0]), audio(masters[1])
    np.testing.assert_array_equal(got("/album/1/digital/transitions/1.wav"),
                                  np.concatenate([a[-six:], b[:six]]))
    assert not np.array_equal(a, files["1M1"])
    # track 3 is not: 2 into 3 plays the mixes of both
    np.testing.assert_array_equal(got("/album/1/digital/transitions/2.wav"),
                                  np.concatenate([files["1M2"][-six:], files["2M1"][:six]]))
    # a track plays its master when it has one
    np.testing.assert_array_equal(got("/album/1/digital/tracks/1.wav"), a)
    np.testing.assert_array_equal(got("/album/1/cd/tracks/1.wav"), files["1M1"])

    # rendered once, kept in the cache
    cached = _cache(web_project)
    assert len(cached) == 5
    stamp = cached[0].stat().st_mtime_ns
    got("/album/1/cd/transitions/1.wav")
    assert _cache(web_project) == cached and cached[0].stat().st_mtime_ns == stamp

    for url, status, words in [
        ("/album/1/cd/transitions/5.wav", 404, "no transition after cd track 5"),
        ("/album/1/vinyl/transitions/2.wav", 404, "transitions after tracks: 1, 3, 4"),
        ("/album/1/cd/transitions/1.wav?seconds=0", 422, "1 to 30 seconds"),
        ("/album/1/tape/transitions/1.wav", 422, "unknown medium"),
        ("/album/7/cd/transitions/1.wav", 404, "no album 7 in this project (albums: 1)"),
        ("/album/1/cd/tracks/9.wav", 404, "no cd track 9 (tracks: 1 to 5)"),
        ("/album/candidates/nothing.wav", 404, "no album candidate 'nothing'"),
        ("/album/7", 404, "no album 7"),
    ]:
        answer = client.get(url, headers={"accept": "application/json"})
        assert answer.status_code == status, (url, answer.text)
        assert words in answer.json()["error"], (url, answer.json())
        assert "\n" not in answer.json()["error"]


def test_a_transition_needs_one_sample_rate(tmp_path):
    rng = np.random.default_rng(3)
    a = rng.integers(-2**20, 2**20, size=(48000, 2)).astype(np.int32)
    b = rng.integers(-2**20, 2**20, size=(44100, 1)).astype(np.int32)
    with BwfWriter(tmp_path / "a.wav", 48000, 2) as out:
        out.write(a)
    with BwfWriter(tmp_path / "b.wav", 44100, 1) as out:
        out.write(b)
    with pytest.raises(InputError, match=r"track 1 is at 48000 Hz and track 2 at 44100 Hz"):
        render_transition(tmp_path / "a.wav", tmp_path / "b.wav", F(2), tmp_path / "t.wav",
                          labels=("track 1", "track 2"))
    assert not (tmp_path / "t.wav").exists()
    # a mono track beside a stereo one plays on both channels
    joined = join(a[-10:], 3, b[:4])
    assert joined.shape == (17, 2)
    np.testing.assert_array_equal(joined[13:], np.repeat(b[:4], 2, axis=1))
    assert not joined[10:13].any()
    with pytest.raises(InputError, match="different channels"):
        join(a[:2], 0, np.zeros((2, 6), dtype=np.int32))
    # 16-bit masters at 44.1 kHz: copied bit for bit into a 24-bit WAV
    c = rng.integers(-2**15, 2**15, size=(3 * 44100, 2)).astype(np.int16)
    d = rng.integers(-2**15, 2**15, size=(44100, 2)).astype(np.int16)
    for name, data in (("c", c), ("d", d)):
        with BwfWriter(tmp_path / f"{name}.wav", 44100, 2, bits=16) as out:
            out.write(data)
    render_transition(tmp_path / "c.wav", tmp_path / "d.wav", F(2) + F(1, 75),
                      tmp_path / "cd.wav", seconds=2)
    got, rate = sf.read(str(tmp_path / "cd.wav"), dtype="int32", always_2d=True)
    assert rate == 44100 and sf.info(str(tmp_path / "cd.wav")).subtype == "PCM_24"
    wide = np.concatenate([c[-2 * 44100:], np.zeros((2 * 44100 + 588, 2), np.int16), d])
    np.testing.assert_array_equal(got, wide.astype(np.int32) << 16)


# --- rating and titles ------------------------------------------------------------------------

def _candidate(project: Path, key: str) -> tuple[str, int, int]:
    with open_project(project) as pctx, transaction(pctx.engine) as db:
        row = db.scalar(select(AlbumCandidate).where(AlbumCandidate.key == key))
        return row.title, row.rating, row.version


def test_the_composer_titles_and_rates_a_candidate(app, web_project):
    client = login(app, "composer")
    csrf = token(client, "/album")
    title, rating, version = _candidate(web_project, "2M1")
    answer = client.post("/album/candidates/2M1", data={
        "csrf": csrf, "version": str(version), "title": "  Bluto's   Brawl ", "rating": "4"},
        follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/album?saved=2M1#cand-2M1"
    assert _candidate(web_project, "2M1") == ("Bluto's Brawl", 4, version + 1)
    assert 'class="saved"' in client.get("/album?saved=2M1").text
    html = client.get("/album/1").text
    assert "Bluto&#39;s Brawl" in html

    # bad input: the page again (422) with the message on the row, nothing saved
    bad = client.post("/album/candidates/2M1", data={
        "csrf": csrf, "version": str(version + 1), "title": "x", "rating": "7"})
    assert bad.status_code == 422
    assert "field rating: not a rating (got &#39;7&#39;); valid: a whole number from 0 to 5" in (
        bad.text)
    assert re.search(r'<tr id="cand-2M1" data-key="2M1" class="bad">', bad.text)
    assert _candidate(web_project, "2M1") == ("Bluto's Brawl", 4, version + 1)
    long = client.post("/album/candidates/2M1", data={
        "csrf": csrf, "version": str(version + 1), "title": "y" * 301, "rating": "3"})
    assert long.status_code == 422 and "at most 300 characters" in long.text

    # a stale form: refused (409), theirs beside yours, nothing overwritten
    stale = client.post("/album/candidates/2M1", data={
        "csrf": csrf, "version": str(version), "title": "Older", "rating": "1"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text and "Back to the candidates" in stale.text
    assert 'value="Older"' in stale.text and f'name="version" value="{version + 1}"' in stale.text
    assert _candidate(web_project, "2M1") == ("Bluto's Brawl", 4, version + 1)

    # no CSRF token, another role, an unknown candidate
    assert client.post("/album/candidates/2M1", data={
        "version": str(version + 1), "rating": "2"}).status_code == 403
    director = login(app, "director")
    refused = director.post("/album/candidates/2M1", data={
        "csrf": token(director, "/album"), "version": str(version + 1), "rating": "2"},
        headers={"accept": "application/json"})
    assert refused.status_code == 403 and "director" in refused.json()["error"]
    missing = client.post("/album/candidates/9M9", data={
        "csrf": csrf, "version": "1", "rating": "2"}, headers={"accept": "application/json"})
    assert missing.status_code == 404 and "no album candidate '9M9'" in missing.json()["error"]
    assert _candidate(web_project, "2M1") == ("Bluto's Brawl", 4, version + 1)


def test_candidate_edits_of_different_fields_both_save(app, web_project):
    composer, editor = login(app, "composer"), login(app, "music editor")
    title, rating, _version = _candidate(web_project, "2M1")
    read = {"read_title": title, "read_rating": str(rating), "title": title,
            "rating": str(rating)}
    assert 'name="read_title"' in composer.get("/album").text  # the form carries them
    first = composer.post("/album/candidates/2M1", data={
        **read, "csrf": token(composer, "/album"), "title": "Bluto's Brawl"},
        follow_redirects=False)
    second = editor.post("/album/candidates/2M1", data={
        **read, "csrf": token(editor, "/album"), "rating": "5"}, follow_redirects=False)
    assert (first.status_code, second.status_code) == (303, 303)
    assert _candidate(web_project, "2M1")[:2] == ("Bluto's Brawl", 5)
    clash = editor.post("/album/candidates/2M1", data={
        **read, "csrf": token(editor, "/album"), "title": "Popeye's Punch"})
    assert clash.status_code == 409
    assert ("title was " in clash.text and "is &#34;Bluto&#39;s Brawl&#34; now, you wanted "
            "&#34;Popeye&#39;s Punch&#34;") in clash.text
    assert _candidate(web_project, "2M1")[:2] == ("Bluto's Brawl", 5)


# --- propose as a background job ----------------------------------------------------------------

@pytest.fixture
def fake_service(monkeypatch):
    """``filmscore.album.service.propose`` stood in for (its real one is the album
    service's), and the jobs run on threads of this process (a spawned worker would not
    see the stand-in); the calls it got are listed."""
    calls = []

    def propose(pctx, album_number, medium, *, order="film"):
        calls.append((album_number, medium, order))
        with transaction(pctx.engine) as db:
            album = db.scalar(select(Album).where(Album.number == album_number))
            db.execute(delete(AlbumTrack).where(AlbumTrack.album_id == album.id,
                                                AlbumTrack.medium == medium))
            cands = db.scalars(select(AlbumCandidate).where(AlbumCandidate.kind == "cue")
                               .order_by(AlbumCandidate.film_frame)).all()
            if order == "listening":
                cands = list(reversed(cands))
            at, placed = F(0), []
            for n, cand in enumerate(cands, 1):
                gap = F(0) if n == 1 else F(2)
                db.add(AlbumTrack(album_id=album.id, medium=medium, position=n,
                                  candidate_id=cand.id, gap_seconds=str(gap)))
                at += gap
                placed.append(Placed(cand.key, n, "", at, gap))
                at += F(cand.frames, cand.sample_rate)
        return Sequence(medium, tuple(placed), at, rating=sum(c.rating for c in cands),
                        themes=frozenset(t for c in cands for t in c.themes),
                        status="optimal", left_out=("1M3-alt",))

    module = types.ModuleType("filmscore.album.service")
    module.propose = propose
    monkeypatch.setitem(sys.modules, "filmscore.album.service", module)
    jobs_on_threads(monkeypatch)
    return calls


def test_propose_is_a_background_job(app, web_project, fake_service):
    client = login(app, "music editor")
    csrf = token(client, "/album/1")
    answer = client.post("/album/1/cd/propose", data={"csrf": csrf, "order": "listening"},
                         follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert re.fullmatch(r"/album/1\?batch=[0-9a-f]{16}#cd", location)
    batch = location.split("batch=")[1].split("#")[0]
    status = wait_batch(app.state.pctx, batch)
    (job,) = status.jobs
    assert (job.kind, job.cue, job.state, job.error) == ("album-propose", "album 1 cd",
                                                         "done", "")
    assert fake_service == [(1, "cd", "listening")]
    # the job's result is the Sequence, back from its JSON (a frozenset of themes too)
    assert isinstance(job.result, Sequence) and job.result.status == "optimal"
    assert job.result.themes == frozenset({"Popeye", "Spinach", "Bluto", "Olive"})
    assert job.result.seconds == F(12 + 2 + 15 / 2 + 2 + 9 + 2 + 6 + 2 + 10)
    page = client.get(location.split("#")[0]).text
    assert f'data-batch="{batch}"' in page and "album-propose album 1 cd: done" in page
    # the page shows the new sequence: End Credits first, gaps of 2 s
    cd = album_board(app.state.pctx, 1).media[0]
    assert [t.key for t in cd.tracks] == ["3M1", "2M2", "2M1", "1M2", "1M1"]
    assert cd.total_text == "0:55" and cd.over  # the pregap counted

    # a JSON client gets the batch (202); a bad order or medium starts nothing
    again = client.post("/album/1/vinyl/propose", data={"csrf": csrf},
                        headers={"accept": "application/json"})
    assert again.status_code == 202 and again.json()["jobs"][0]["cue"] == "album 1 vinyl"
    wait_batch(app.state.pctx, again.json()["batch"])
    assert fake_service[-1] == (1, "vinyl", "film")
    bad = client.post("/album/1/cd/propose", data={"csrf": csrf, "order": "random"})
    assert bad.status_code == 422
    assert "field order: unknown order (got &#39;random&#39;); valid: film, listening" in bad.text
    wrong = client.post("/album/1/tape/propose", data={"csrf": csrf},
                        headers={"accept": "application/json"})
    assert wrong.status_code == 422 and "unknown medium" in wrong.json()["error"]
    gone = client.post("/album/4/cd/propose", data={"csrf": csrf},
                       headers={"accept": "application/json"})
    assert gone.status_code == 404
    assert len(fake_service) == 2
    # no CSRF; a role without "album"
    assert client.post("/album/1/cd/propose", data={"order": "film"}).status_code == 403
    engineer = login(app, "engineer")
    refused = engineer.post("/album/1/cd/propose", data={
        "csrf": token(engineer, "/album/1"), "order": "film"},
        headers={"accept": "application/json"})
    assert refused.status_code == 403 and "engineer" in refused.json()["error"]
    assert len(fake_service) == 2
    # every album's every medium is what "all" means for the kind
    assert jobs.KINDS["album-propose"].cues(app.state.pctx) == [
        "album 1 cd", "album 1 vinyl", "album 1 digital"]
    assert jobs.album_of_target("album 12 vinyl") == (12, "vinyl")
    with pytest.raises(InputError, match="not an album job"):
        jobs.album_of_target("1M1")


def test_an_album_without_tracks_asks_for_a_proposal(tmp_path):
    from filmscore.accounts import ROLES as roles
    from filmscore.users import add_user
    from filmscore.web.app import create_app
    from web_helpers import PASSWORD

    folder = tmp_path / "film"
    init_project(folder, title="Empty", fps="24")
    add_album(folder, tmp_path / "mixes", sequences={})
    with open_project(folder) as pctx:
        for role in roles:
            add_user(pctx, f"{role} user", role, PASSWORD)
    application = create_app(folder)
    try:
        html = login(application, "composer").get("/album/1").text
        assert html.count("not sequenced yet") == 3
        assert "No sequence for the CD yet: propose one below." in html
        assert html.count("<summary>6 candidates not on the") == 3
        director = login(application, "director").get("/album/1").text
        assert "No sequence for the CD yet." in director and "propose" not in director.lower()
    finally:
        application.state.pctx.close()
