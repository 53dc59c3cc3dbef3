"""Tests for the spotting list CSV adapter: round trip, every refusal, and a fuzz test."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmscore.errors import InputError, ParseError
from filmscore.formats.spotting_csv import COLUMNS, read_spotting_csv, write_spotting_csv
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec, parse_cue_number
from filmscore.timecode import parse_label

HEADER = ",".join(COLUMNS)

GOOD = "\n".join([
    HEADER,
    "sync,1M1,,01:00:20:00,,hard,2,door slams,,,,,,",
    'cue,1M1,Main Title,01:00:12:08,01:01:30:00,,,,"Opens on the city, ""big""",grand,'
    "full orchestra,temp/holst.wav,00:00:10:00,00:01:28:00",
    "cue,1M2s,Radio,01:01:40:00,01:02:00:00,,,,source: car radio,,,,,",
    "sync,1M1,,01:01:00:00,,downbeat,,new scene,,,,,,",
    "",
    "sync,1M2s,,01:01:50:00,,soft,0.5,,,,,,,",
]) + "\n"


def write(tmp_path, text, name="list.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_read_good_file(tmp_path):
    cues = read_spotting_csv(write(tmp_path, GOOD), "24")
    assert [str(c.number) for c in cues] == ["1M1", "1M2s"]
    main = cues[0]
    assert main.title == "Main Title"
    assert main.start_frame == parse_label("01:00:12:08", "24")
    assert main.end_frame == parse_label("01:01:30:00", "24")
    assert main.notes == 'Opens on the city, "big"'
    assert main.mood == "grand" and main.instrumentation == "full orchestra"
    assert main.temp_track == "temp/holst.wav"
    assert main.temp_in == 240 and main.temp_out == 88 * 24
    assert [(s.kind, s.weight, s.description) for s in main.sync_points] == [
        ("hard", 2.0, "door slams"), ("downbeat", 1.0, "new scene")]
    assert cues[1].number.source and cues[1].sync_points[0].weight == 0.5


def test_minimal_columns_and_order(tmp_path):
    text = "start,cue,type,end\n01:00:00:00,1M1,cue,01:00:05:00\n01:00:01:00,1M1,sync,\n"
    (cue,) = read_spotting_csv(write(tmp_path, text), "25")
    assert cue.title == "" and cue.sync_points[0].kind == "hard"
    assert cue.sync_points[0].weight == 1.0


def test_bom_and_semicolons(tmp_path):
    assert len(read_spotting_csv(write(tmp_path, GOOD, encoding="utf-8-sig"), "24")) == 2
    semi = "type;cue;title;start;end\ncue;1M1;Allô, Paris;01:00:00:00;01:00:05:00\n"
    (cue,) = read_spotting_csv(write(tmp_path, semi, "semi.csv"), "24")
    assert cue.title == "Allô, Paris"


def test_drop_frame(tmp_path):
    text = "type,cue,start,end\ncue,1M1,01:00:59;29,01:01:00;02\n"
    (cue,) = read_spotting_csv(write(tmp_path, text), "29.97df")
    assert cue.length_frames == 1
    with pytest.raises(InputError, match="line 2, field start"):
        read_spotting_csv(write(tmp_path, text.replace(";", ":")), "29.97df")


def test_round_trip(tmp_path):
    rate = "29.97df"
    cues = [
        CueSpec(CueNumber(1, 1), "Main Title, \"Opening\"", 107892, 109892, notes="line1\nline2",
                mood="tense", instrumentation="strings", temp_track="a.wav", temp_in=0,
                temp_out=1800,
                sync_points=(SyncSpec(108000, "hit", "hard", 1.0),
                             SyncSpec(109000, "", "soft", 0.125))),
        CueSpec(CueNumber(1, 1, "A", True), "Radio", 109000, 110000),
        CueSpec(CueNumber(2, 3), "Chase", 200000, 210000,
                sync_points=(SyncSpec(210000, "cut", "end", 3.0),)),
    ]
    path = tmp_path / "out.csv"
    write_spotting_csv(cues, path, rate)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf" + b"type,cue,title")
    assert read_spotting_csv(path, rate) == cues
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("type,cue,start,colour\n", "unknown column 'colour'.*valid: type, cue, title"),
        ("type,cue,title\n", "lacks the column.*start"),
        ("type,cue,start,cue\n", "twice"),
        ("\ntype,cue,start\n", "line 1.*header"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:00:00\n", "line 2, field end.*ends at or before"),
        (HEADER + "\ncue,1X1,x,01:00:00:00,01:00:01:00\n", "line 2, field cue.*1M1"),
        (HEADER + "\ncue,1M1,x,1:00:00,01:00:01:00\n", "line 2, field start.*not a timecode"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:01:30\n", "field end.*beyond 24"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,\n", "field end.*required"),
        (HEADER + "\nclip,1M1,x,01:00:00:00,01:00:01:00\n", "field type.*cue or sync"),
        (HEADER + "\nsync,1M1,,01:00:00:00,,thud\n", "line 2, field sync_kind.*hard, soft"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00\nsync,1M1,,01:00:00:10,,,heavy\n",
         "line 3, field weight.*'heavy'"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00\nsync,1M1,,01:00:00:10,,,-1\n",
         "field weight"),
        (HEADER + "\nsync,1M2,,01:00:00:10\n", "line 2, field cue.*no cue row"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00\nsync,1M1,,01:00:10:00\n",
         "line 3, field start.*outside cue 1M1.*01:00:00:00 to 01:00:09:00"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00\ncue,1M1,y,01:00:10:00,01:00:19:00\n",
         "line 3, field cue.*already used on line 2"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00,hard\n",
         "line 2, field sync_kind.*not used"),
        (HEADER + "\nsync,1M1,x,01:00:00:00\n", "field title.*not used on a sync row"),
        ("type,cue,start\ncue,1M1,01:00:00:00,extra\n", "line 2.*4 cells but the header has 3"),
        ("type,cue,start,end\ncue,1M1,\"01:00:00:00,01:00:01:00\n", "CSV"),
        ("type;cue,start\n", "unknown column .type;cue."),
        ("type;cue\tstart\n", "separator"),
        (HEADER + "\ncue,1M1,x,01:00:00:00,01:00:09:00,,,,,,,,00:00:05:00,00:00:04:00\n",
         "field temp_out.*after 00:00:05:00"),
    ],
)
def test_refusals(tmp_path, text, match):
    with pytest.raises(InputError, match=match) as info:
        read_spotting_csv(write(tmp_path, text), "24")
    assert str(tmp_path / "list.csv") in str(info.value)


def test_not_utf8(tmp_path):
    path = write(tmp_path, "type,cue,start\ncue,1M1,Caf\xe9\n", encoding="latin-1")
    with pytest.raises(ParseError, match="UTF-8"):
        read_spotting_csv(path, "24")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_spotting_csv(tmp_path / "nope.csv", "24")


# --- fuzz ------------------------------------------------------------------------------

_GOOD_LINES = GOOD.splitlines()
_ALPHABET = string.printable + "ÀéΩ\ufeff\x00;\"'"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET, max_size=300))
def test_fuzz_random_text(tmp_path, text):
    _read_only_input_errors(tmp_path, text)


@st.composite
def mutated(draw):
    lines = list(_GOOD_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        action = draw(st.sampled_from(["cut", "insert", "drop", "dup", "swap"]))
        if action == "cut" and line:
            a = draw(st.integers(0, len(line)))
            b = draw(st.integers(a, len(line)))
            lines[i] = line[:a] + line[b:]
        elif action == "insert":
            a = draw(st.integers(0, len(line)))
            lines[i] = line[:a] + draw(st.text(alphabet=_ALPHABET, max_size=8)) + line[a:]
        elif action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "dup":
            lines.insert(i, line)
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated(), st.sampled_from(["24", "25", "29.97df"]))
def test_fuzz_mutated_valid_csv(tmp_path, text, rate):
    _read_only_input_errors(tmp_path, text, rate)


def _read_only_input_errors(tmp_path, text, rate="24"):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        cues = read_spotting_csv(path, rate)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for cue in cues:
        assert isinstance(cue.number, CueNumber)
        assert cue.end_frame > cue.start_frame
        assert parse_cue_number(str(cue.number)) == cue.number


def test_a_second_sync_point_on_one_frame_names_both_lines(tmp_path):
    text = GOOD + "sync,1M1,,01:00:20:00,,downbeat,,the cut,,,,,,\n"
    with pytest.raises(InputError) as info:
        read_spotting_csv(write(tmp_path, text), "24")
    message = str(info.value)
    assert "line 8" in message and "line 2" in message and "01:00:20:00" in message
    assert "second sync point of cue 1M1 on one frame" in message
