"""Tests for the Pro Tools session text adapter, on ptulsconv's real example exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.formats.protools_text import (
    parse_protools_text,
    read_protools_text,
    split_tags,
    to_cues,
)
from filmscore.spotting.cues import film_total, reel_totals, validate_cues
from filmscore.timecode import format_label, parse_label

DATA = Path(__file__).parent.parent / "data" / "spotting" / "ptulsconv"
CHARADE = DATA / "Charade.txt"
ROBIN = DATA / "Robin Hood Spotting.txt"
ROBIN_DF = DATA / "Robin Hood SpottingDF.txt"


@pytest.mark.parametrize("path", [CHARADE, ROBIN, ROBIN_DF], ids=lambda p: p.name)
def test_real_exports_parse(path):
    session = read_protools_text(path)
    assert session.tracks and session.markers
    assert session.tracks[0].clips or session.tracks[1].clips
    for track in session.tracks:
        for clip in track.clips:
            assert clip.end >= clip.start >= session.session_start
            assert clip.line is not None


def test_header_values():
    charade = read_protools_text(CHARADE)
    assert charade.name == "Charade" and charade.rate.name == "25"
    assert charade.session_start == parse_label("00:59:00:00", "25")
    assert [t.name for t in charade.tracks][:3] == ["Scenes", "PETER", "REGGIE"]
    assert charade.tracks[1].tags["Actor"] == "Cary Grant"
    robin_df = read_protools_text(ROBIN_DF)
    assert robin_df.rate.name == "29.97df" and robin_df.rate.drop_frame
    assert read_protools_text(ROBIN).rate.name == "29.97"


def test_drop_frame_and_non_drop_give_the_same_events():
    ndf, df = read_protools_text(ROBIN), read_protools_text(ROBIN_DF)
    assert ndf.session_start == parse_label("01:00:00:00", "29.97")
    assert df.session_start == parse_label("01:00:00;00", "29.97df")

    def events(session):
        return {t.name: [(c.raw_name, c.start - session.session_start,
                          c.end - session.session_start) for c in t.clips]
                for t in session.tracks}

    ndf_events, df_events = events(ndf), events(df)
    assert set(ndf_events) <= set(df_events)
    assert sum(len(v) for v in ndf_events.values()) == 91
    for name, clips in ndf_events.items():
        assert df_events[name] == clips, name
    # one event by hand: Robin's first line
    first_ndf = ndf.track("Robin").clips[0]
    first_df = df.track("Robin").clips[0]
    assert format_label(first_ndf.start, ndf.rate) == "01:05:06:18"
    assert format_label(first_df.start, df.rate) == "01:05:06;28"
    assert first_ndf.start - ndf.session_start == first_df.start - df.session_start == 9198
    assert [m.frame - ndf.session_start for m in ndf.markers] == \
           [m.frame - df.session_start for m in df.markers] == [0]


def test_tags_are_split():
    session = read_protools_text(CHARADE)
    scene = session.track("Scenes").clips[0]
    assert scene.name == "" and scene.tags == {"Sc": "Logos"} and scene.mode == "@"
    line = session.track("PETER").clips[5]
    assert line.name == "(adlib response to REGGIE)"
    assert line.tags == {"R": "Added/Replaces sync", "ADLIB": "ADLIB", "QN": "P106"}
    assert split_tags("1M1 Main Title $CUE=1M1 [flag]") == (
        "1M1 Main Title", {"CUE": "1M1", "flag": "flag"}, "")
    assert split_tags("broken {tag") == ("broken {tag", {}, "")


def test_charade_scenes_as_cues():
    session = read_protools_text(CHARADE)
    cues = to_cues(session, cue_tracks=["Scenes"], sync_tracks=None, markers_as="ignore")
    assert len(cues) == 29
    first, last = cues[0], cues[-1]
    assert (str(first.number), first.title) == ("1M1", "Logos")
    assert format_label(first.start_frame, session.rate) == "01:00:00:00"
    assert format_label(first.end_frame, session.rate) == "01:00:17:21"
    assert str(last.number) == "3M5"
    assert last.title == "142 Int. Reggie's Room - Night"
    assert format_label(last.start_frame, session.rate) == "01:40:54:18"
    assert format_label(last.end_frame, session.rate) == "01:41:46:15"
    # reels come from the $Reel=R2 / $Reel=R3 markers: 12, 12 and 5 scenes
    assert [tuple(t)[:2] for t in reel_totals(cues, session.rate)] == [(1, 12), (2, 12), (3, 5)]
    assert str(cues[12].number) == "2M1"
    assert format_label(cues[12].start_frame, session.rate) == "01:18:50:20"
    assert film_total(cues, session.rate).total_frames == \
        parse_label("01:41:46:15", "25") - parse_label("01:00:00:00", "25")
    assert cues[14].title == "77 Ext. Esplanade des Champs-Elysées"
    validate_cues(cues, picture_start=session.session_start, picture_end=None,
                  rate=session.rate)
    by_hour = to_cues(session, cue_tracks=["Scenes"], reels="hour")
    assert [str(c.number) for c in by_hour][-1] == "1M29"


def test_charade_dialogue_as_sync_points():
    session = read_protools_text(CHARADE)
    cues = to_cues(session, cue_tracks=["Scenes"], sync_tracks=["PETER", "REGGIE"],
                   markers_as="sync")
    # 20 lines; the title marker also carries $Reel=R1, so it is not a sync point
    assert sum(len(c.sync_points) for c in cues) == 20
    pool = next(c for c in cues if c.title.startswith("8A Swimming Pool"))
    (hit,) = [s for s in pool.sync_points if "belong to you" in s.description]
    assert format_label(hit.frame, session.rate) == "01:05:10:16"
    assert hit.kind == "hard" and hit.weight == 1.0
    assert all(not any("Reel" in s.description for s in c.sync_points) for c in cues)
    validate_cues(cues, picture_start=None, picture_end=None, rate=session.rate)


# --- synthetic exports -------------------------------------------------------------------

COLUMNS = ("CHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \t"
           "END TIME      \tDURATION      \tSTATE")
MARKER_COLUMNS = ("#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \t"
                  "NAME                             \tCOMMENTS")


def export(fmt, start, tracks, markers=(), newline="\n"):
    lines = ["SESSION NAME:\tTest", "SAMPLE RATE:\t48000.000000", "BIT DEPTH:\t24-bit",
             f"SESSION START TIMECODE:\t{start}", f"TIMECODE FORMAT:\t{fmt}",
             "# OF AUDIO TRACKS:\t2", "# OF AUDIO CLIPS:\t0", "# OF AUDIO FILES:\t0", "", "",
             "T R A C K  L I S T I N G"]
    for name, clips in tracks:
        lines += [f"TRACK NAME:\t{name}", "COMMENTS:\t", "USER DELAY:\t0 Samples", "STATE: ",
                  COLUMNS]
        for i, (clip, a, b) in enumerate(clips, start=1):
            lines.append(f"1       \t{i}       \t{clip}\t   {a}\t   {b}\t   00:00:00:00\tUnmuted")
        lines += ["", ""]
    if markers:
        lines += ["M A R K E R S  L I S T I N G", MARKER_COLUMNS]
        for i, (loc, name) in enumerate(markers, start=1):
            lines.append(f"{i}   \t{loc}  \t0                 \tSamples  \t{name}\t")
    return newline.join(lines) + newline


def test_cue_numbers_tags_and_sync_from_clips():
    text = export("24 Frame", "00:59:00:00", [
        ("Music", [("1M1 Main Title $MOOD=grand {Note=big opening} [FOO]",
                    "01:00:00:00", "01:01:00:00"),
                   ("Radio $CUE=1M4 [SOURCE] $TEMP=radio.wav", "01:00:30:00", "01:00:40:00"),
                   ("Chase", "01:02:00:00", "01:03:00:00"),
                   ("Night", "02:00:10:00", "02:00:20:00")]),
        ("Hits", [("door [soft] $WEIGHT=2", "01:00:10:00", "01:00:10:01"),
                  ("cut $SYNC=downbeat", "01:03:00:00", "01:03:00:01")]),
    ], markers=[("01:02:30:00", "explosion"), ("01:30:00:00", "$Reel=R9")],
        newline="\r\n")
    session = parse_protools_text(text, source="t.txt")
    cues = to_cues(session, cue_tracks=["Music"], sync_tracks=["Hits"], markers_as="sync",
                   reels="hour")
    assert [str(c.number) for c in cues] == ["1M1", "1M4s", "1M5", "2M1"]
    main = cues[0]
    assert (main.title, main.mood, main.notes) == ("Main Title", "grand", "big opening; [FOO]")
    assert [(s.description, s.kind, s.weight) for s in main.sync_points] == [
        ("door", "soft", 2.0)]
    radio = cues[1]
    assert radio.title == "Radio" and radio.temp_track == "radio.wav"
    chase = cues[2]
    assert [(s.description, s.kind) for s in chase.sync_points] == [
        ("explosion", "hard"), ("cut", "downbeat")]  # a hit on the cut that ends the cue
    as_cues = to_cues(session, cue_tracks=None, markers_as="cues", reels="hour")
    assert [(str(c.number), c.title) for c in as_cues] == [("1M1", "explosion")]
    assert format_label(as_cues[0].end_frame, session.rate) == "02:00:20:00"


@pytest.mark.parametrize(("fmt", "rate", "label"), [
    ("50 Frame", "50", "01:00:00:49"), ("23.976 Frame", "23.976", "01:00:00:23"),
    ("59.94 Drop Frame", "59.94df", "01:00:00;59"), ("48 Frame", "48", "01:00:00:47")])
def test_rates_ptulsconv_lacks(fmt, rate, label):
    session = parse_protools_text(export(fmt, label, [("A", [("x", label, label)])]))
    assert session.rate.name == rate
    assert session.tracks[0].clips[0].start == parse_label(label, rate)


def test_errors_name_file_line_and_value():
    bad_tc = export("25 Frame", "01:00:00:00", [("A", [("x", "01:00:00:00", "01:00:99:00")])])
    with pytest.raises(ParseError, match=r"t\.txt, line 17, field END TIME.*01:00:99:00"):
        parse_protools_text(bad_tc, source="t.txt")
    df = export("29.97 Drop Frame", "01:00:00;00", [("A", [("x", "01:01:00;00", "01:02:00;00")])])
    with pytest.raises(ParseError, match=r"line 17, field START TIME.*dropped"):
        parse_protools_text(df, source="t.txt")
    with pytest.raises(ParseError, match="unknown timecode format.*25 Frame"):
        parse_protools_text(export("26 Frame", "01:00:00:00", []), source="t.txt")
    garbled = export("25 Frame", "01:00:00:00", [("A", [("x", "01:00:00:00", "01:00:01:00")])])
    garbled = garbled.replace("USER DELAY:\t0 Samples", "USER DELAY:\tlots")
    with pytest.raises(ParseError, match=r"t\.txt, line 12.*cannot read the session export"):
        parse_protools_text(garbled, source="t.txt")
    with pytest.raises(ParseError, match="not a Pro Tools session text export"):
        parse_protools_text("hello\n", source="t.txt")
    session = parse_protools_text(export("25 Frame", "01:00:00:00", [
        ("A", [("1M1", "01:00:00:00", "01:00:01:00")]),
        ("B", [("hit", "01:00:05:00", "01:00:05:01")])]), source="t.txt")
    with pytest.raises(InputError, match="no such track.*valid: A, B"):
        to_cues(session, cue_tracks=["Music"])
    with pytest.raises(ValidationError, match="track B, line 25.*inside no cue.*01:00:05:00"):
        to_cues(session, cue_tracks=["A"], sync_tracks=["B"])
    with pytest.raises(InputError, match="markers_as"):
        to_cues(session, cue_tracks=["A"], markers_as="everything")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_protools_text(tmp_path / "none.txt")
