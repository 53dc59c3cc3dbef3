"""`filmscore cue|sync|spotting ...` as a user meets it: the spotting session, imports,
exports, and every refusal in one line with nothing written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
PTULSCONV = ROOT / "tests" / "data" / "spotting" / "ptulsconv"
DEMO_CSV = ROOT / "demo" / "popeye1936" / "spotting.csv"
FILMSCORE_ERROR_CODES = {1, 2, 3, 4, 5, 6}


@pytest.fixture
def spot(cli, project24, span_edl) -> Path:
    """A 24 fps project with a picture 01:00:00:00-01:04:00:00 and two cues."""
    cli.ok("-p", project24, "picture", "import", span_edl)
    cli.ok("-p", project24, "cue", "add", "1M1", "--start", "01:00:10:00", "--end",
           "01:00:20:00", "--title", "Main Title", "--notes", "big open")
    cli.ok("-p", project24, "cue", "add", "1M2", "--start", "01:00:40:00", "--end",
           "01:00:50:00", "-t", "Chase")
    return project24


def _rows(listing: str) -> list[list[str]]:
    """The cue rows of a spotting list table, as cells."""
    return [[c.strip() for c in line.strip("│").split("│")]
            for line in listing.splitlines() if re.match(r"│\d+M\d+", line)]


def _sync_rows(detail: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")]
            for line in detail.splitlines() if re.match(r"│\d+ *│", line)]


def _pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- the session ------------------------------------------------------------------------


def test_cue_add_edit_list_show_remove(cli, spot):
    p = ("-p", spot)
    out = cli.ok(*p, "cue", "add", "1M3", "--start", "01:01:00:00", "--end", "01:01:30:12",
                 "--mood", "tense", "--temp-track", "temp.wav", "--temp-in", "00:00:01:00")
    assert out.strip() == "Added 1M3, 01:01:00:00 to 01:01:30:12 (0:30+12)."
    rows = _rows(cli.ok(*p, "cue", "list"))
    assert [r[:5] for r in rows] == [
        ["1M1", "Main Title", "01:00:10:00", "01:00:20:00", "0:10+00"],
        ["1M2", "Chase", "01:00:40:00", "01:00:50:00", "0:10+00"],
        ["1M3", "", "01:01:00:00", "01:01:30:12", "0:30+12"]]
    listing = cli.ok(*p, "cue", "list")
    assert re.search(r"│film\s*│\s*3 │ 0:50\+12 │", listing)
    assert cli.ok(*p, "spotting", "list") == listing

    out = cli.ok(*p, "cue", "edit", "1M3", "--title", "The Storm", "--notes", "rain on tin")
    assert out.strip() == "Changed 1M3 The Storm, 01:01:00:00 to 01:01:30:12."
    show = cli.ok(*p, "cue", "show", "1M3")
    assert show.startswith("1M3 The Storm: 01:01:00:00 to 01:01:30:12 (0:30+12)")
    assert "notes: rain on tin" in show and "mood: tense" in show
    assert "temp: temp.wav 00:00:01:00" in show

    out = cli.ok(*p, "cue", "edit", "1M3", "--number", "1M4")
    assert "Changed 1M4 The Storm" in out
    assert [r[0] for r in _rows(cli.ok(*p, "cue", "list"))] == ["1M1", "1M2", "1M4"]
    cli.fails(cli.run(*p, "cue", "show", "1M3"), "no cue 1M3", "1M1, 1M2, 1M4")

    assert cli.ok(*p, "cue", "remove", "1M4").strip() == "Removed 1M4 The Storm."
    assert [r[0] for r in _rows(cli.ok(*p, "cue", "list"))] == ["1M1", "1M2"]
    assert "cues: 2, sync points: 0" in cli.ok(*p, "info")


def test_sync_points_and_move(cli, spot):
    p = ("-p", spot)
    assert cli.ok(*p, "sync", "add", "1M1", "01:00:12:00", "-d", "door slams").strip() == \
        "1M1: 1 sync points."
    cli.ok(*p, "sync", "add", "1M1", "01:00:15:12", "--kind", "soft", "--weight", "0.5",
           "-d", "she turns")
    cli.ok(*p, "sync", "add", "1M1", "01:00:20:00", "--kind", "end")  # on the out: allowed
    rows = _sync_rows(cli.ok(*p, "sync", "list", "1M1"))
    assert rows == [["1", "01:00:12:00", "+0:02+00", "hard", "1", "door slams"],
                    ["2", "01:00:15:12", "+0:05+12", "soft", "0.5", "she turns"],
                    ["3", "01:00:20:00", "+0:10+00", "end", "1", ""]]
    assert "3 (1 hard)" in cli.ok(*p, "cue", "list")

    out = cli.ok(*p, "cue", "move", "1M1", "--start", "01:00:02:00")
    assert out.strip() == "Moved 1M1 to 01:00:02:00-01:00:12:00."
    rows = _sync_rows(cli.ok(*p, "sync", "list", "1M1"))
    assert [r[1:3] for r in rows] == [["01:00:04:00", "+0:02+00"],
                                      ["01:00:07:12", "+0:05+12"],
                                      ["01:00:12:00", "+0:10+00"]]
    cli.ok(*p, "cue", "move", "1M1", "--start", "01:00:00:00", "--end", "01:00:30:00")
    assert cli.ok(*p, "cue", "show", "1M1").startswith(
        "1M1 Main Title: 01:00:00:00 to 01:00:30:00 (0:30+00)")

    assert cli.ok(*p, "sync", "remove", "1M1", "2").strip() == \
        "Removed soft hit at 01:00:05:12."
    assert [r[5] for r in _sync_rows(cli.ok(*p, "sync", "list", "1M1"))] == ["door slams", ""]
    cli.fails(cli.run(*p, "sync", "remove", "1M1", "5"), "field index", "'5'", "1 to 2")
    before = cli.snapshot(spot)
    line = cli.fails(cli.run(*p, "sync", "add", "1M1", "01:00:02:00", "--kind", "downbeat"),
                     "already has a sync point on that frame", "number 1, hard 'door slams'",
                     "'01:00:02:00'", "sync remove 1M1 1")
    assert "field sync" in line and cli.snapshot(spot) == before
    cli.fails(cli.run(*p, "sync", "remove", "1M2", "1"), "1M2 has no sync points")
    cli.ok(*p, "cue", "remove", "1M1")
    assert "cues: 1, sync points: 0" in cli.ok(*p, "info")


def test_renumber_after_insert(cli, spot):
    p = ("-p", spot)
    cli.ok(*p, "cue", "add", "1M1A", "--start", "01:00:25:00", "--end", "01:00:30:00")
    cli.ok(*p, "cue", "add", "1M2A", "--start", "01:01:00:00", "--end", "01:01:05:00")
    cli.ok(*p, "sync", "add", "1M2", "01:00:45:00")
    before = cli.snapshot(spot)
    out = cli.ok(*p, "cue", "renumber", "--dry-run")
    assert out.splitlines() == ["1M1A -> 1M2", "1M2 -> 1M3", "1M2A -> 1M4",
                                "3 cue numbers would change."]
    assert cli.snapshot(spot) == before
    out = cli.ok(*p, "cue", "renumber")
    assert out.splitlines()[-1] == "3 cue numbers changed."
    rows = _rows(cli.ok(*p, "cue", "list"))
    assert [(r[0], r[2]) for r in rows] == [("1M1", "01:00:10:00"), ("1M2", "01:00:25:00"),
                                           ("1M3", "01:00:40:00"), ("1M4", "01:01:00:00")]
    assert rows[2][1] == "Chase" and rows[2][5] == "1 (1 hard)"  # the sync point followed
    assert cli.ok(*p, "cue", "renumber").strip() == "0 cue numbers changed."


def test_overlap_allowed_on_request(cli, spot):
    p = ("-p", spot)
    before = cli.snapshot(spot)
    cli.fails(cli.run(*p, "cue", "add", "1M3", "--start", "01:00:45:00", "--end",
                      "01:00:55:00"), "field start", "overlaps cue 1M2", "'01:00:45:00'",
              "01:00:50:00 or later")
    assert cli.snapshot(spot) == before
    cli.ok(*p, "cue", "add", "1M3", "--start", "01:00:45:00", "--end", "01:00:55:00",
           "--allow-overlap")
    # an overlap allowed once does not block later, unrelated changes
    cli.ok(*p, "cue", "add", "1M4", "--start", "01:02:00:00", "--end", "01:02:10:00")
    cli.ok(*p, "cue", "edit", "1M1", "--title", "Retitled")
    cli.ok(*p, "cue", "move", "1M4", "--start", "01:03:00:00")
    cli.ok(*p, "spotting", "import", _csv(spot.parent / "more.csv",
                                          "cue,1M5,More,01:03:30:00,01:03:40:00"))
    # ... but a new overlap still needs the flag
    cli.fails(cli.run(*p, "cue", "move", "1M4", "--start", "01:00:52:00"), "overlaps")
    source = cli.ok(*p, "cue", "add", "1M6s", "--start", "01:00:11:00", "--end",
                    "01:00:13:00", "-t", "Radio")
    assert "1M6s Radio" in source  # source music may overlap score
    assert [r[0] for r in _rows(cli.ok(*p, "cue", "list"))] == [
        "1M1", "1M6s", "1M2", "1M3", "1M4", "1M5"]


# --- spotting lists in and out --------------------------------------------------------------


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("type,cue,title,start,end,sync_kind,weight,description\n"
                    + "".join(r + "\n" for r in rows))
    return path


def test_demo_spotting_csv_round_trip(cli, project24, span_edl, tmp_path):
    p = ("-p", project24)
    cli.ok(*p, "picture", "import", span_edl)
    out = cli.ok(*p, "spotting", "import", DEMO_CSV)
    n_cues = sum(1 for line in DEMO_CSV.read_text().splitlines() if line.startswith("cue,"))
    n_sync = sum(1 for line in DEMO_CSV.read_text().splitlines() if line.startswith("sync,"))
    assert out.strip() == f"Imported {n_cues} cues and {n_sync} sync points from spotting.csv."
    listing = cli.ok(*p, "cue", "list")
    rows = _rows(listing)
    assert len(rows) == n_cues >= 8
    assert rows[0][:4] == ["1M1", "Lions at the Gate", "01:00:00:00", "01:00:12:09"]
    assert f"cues: {n_cues}, sync points: {n_sync}" in cli.ok(*p, "info")

    cli.ok(*p, "spotting", "export", tmp_path / "list.csv")
    cli.ok(*p, "spotting", "import", tmp_path / "list.csv", "--replace")
    assert cli.ok(*p, "cue", "list") == listing
    cli.ok(*p, "spotting", "export", tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "list.csv").read_bytes()
    # without --replace the same list collides with itself, and names the file
    before = cli.snapshot(project24)
    cli.fails(cli.run(*p, "spotting", "import", tmp_path / "list.csv"), "list.csv",
              "used twice", "'1M1'")
    assert cli.snapshot(project24) == before

    assert cli.ok(*p, "spotting", "export", tmp_path / "list.pdf").strip() == \
        f"Wrote {tmp_path / 'list.pdf'}."
    text = _pdftext(tmp_path / "list.pdf")
    assert "Test Film" in text and "v1 POPEYE REEL 1" in text
    for row in rows:
        assert re.search(rf"(?m)^\s*{row[0]}\s", text), row[0]
    film = re.search(r"│film\s*│\s*(\d+) │\s*(\S+) │", listing)
    assert film and film.group(1) == str(n_cues)
    assert film.group(2) in text  # the film's music total, as in `cue list`
    assert re.search(rf"{n_cues} cues, {re.escape(film.group(2))}", text)


def test_protools_charade(cli, tmp_path):
    cli.ok("init", tmp_path / "charade", "--title", "Charade", "--fps", "25")
    p = ("-p", tmp_path / "charade")
    before = cli.snapshot(tmp_path / "charade")
    line = cli.fails(cli.run(*p, "spotting", "import", PTULSCONV / "Charade.txt"),
                     "Charade.txt", "--cue-track", "Scenes, PETER, REGGIE")
    assert "valid:" in line
    cli.fails(cli.run(*p, "spotting", "import", PTULSCONV / "Charade.txt", "--cue-track",
                      "Music"), "no such track", "'Music'", "Scenes")
    assert cli.snapshot(tmp_path / "charade") == before
    out = cli.ok(*p, "spotting", "import", PTULSCONV / "Charade.txt", "--cue-track", "Scenes")
    assert out.strip() == "Imported 29 cues and 0 sync points from Charade.txt."
    rows = _rows(cli.ok(*p, "cue", "list"))
    assert len(rows) == 29
    assert rows[0][:4] == ["1M1", "Logos", "01:00:00:00", "01:00:17:21"]
    assert rows[-1][:4] == ["3M5", "142 Int. Reggie's Room - Night", "01:40:54:18",
                            "01:41:46:15"]


def test_a_list_with_no_cue_is_refused_and_replace_keeps_the_list(cli, spot, tmp_path):
    """A CSV with only its header (an empty project's export, a spreadsheet saved before
    its rows were pasted) or a session track with no clips imports nothing: refused, so
    that `--replace` cannot silently empty the cue list."""
    before = cli.snapshot(spot)
    listing = cli.ok("-p", spot, "cue", "list")
    header_only = _csv(tmp_path / "empty.csv", "", ",,,,,,,")
    for extra in ((), ("--replace",)):
        cli.fails(cli.run("-p", spot, "spotting", "import", header_only, *extra),
                  "empty.csv", "no cues in the file", "at least one row of type cue")
    assert cli.snapshot(spot) == before
    assert cli.ok("-p", spot, "cue", "list") == listing
    # the Pro Tools session of Charade (25 fps) with its one SYLVIE clip taken out
    charade = tmp_path / "charade"
    cli.ok("init", charade, "--title", "Charade", "--fps", "25")
    cli.ok("-p", charade, "spotting", "import", PTULSCONV / "Charade.txt", "--cue-track",
           "Scenes")
    text = (PTULSCONV / "Charade.txt").read_text(encoding="utf-8")
    clip = text.index("\n1       \t1", text.index("TRACK NAME:\tSYLVIE"))
    session = tmp_path / "Charade no Sylvie.txt"
    session.write_text(text[:clip + 1] + text[text.index("\n", clip + 1) + 1:],
                       encoding="utf-8")
    before = cli.snapshot(charade)
    cli.fails(cli.run("-p", charade, "spotting", "import", session, "--cue-track", "SYLVIE",
                      "--replace"), "Charade no Sylvie.txt", "no clips on the track(s) SYLVIE",
              "--cue-track with clips")
    assert cli.snapshot(charade) == before
    assert len(_rows(cli.ok("-p", charade, "cue", "list"))) == 29


def test_protools_drop_frame(cli, tmp_path):
    session = PTULSCONV / "Robin Hood SpottingDF.txt"
    cli.ok("init", tmp_path / "ndf", "--title", "Robin", "--fps", "29.97")
    cli.fails(cli.run("-p", tmp_path / "ndf", "spotting", "import", session, "--cue-track",
                      "Scenes"), "SpottingDF.txt", "TIMECODE FORMAT", "'29.97df'")
    cli.ok("init", tmp_path / "df", "--title", "Robin", "--fps", "29.97df")
    p = ("-p", tmp_path / "df")
    cli.ok(*p, "spotting", "import", session, "--cue-track", "Scenes")
    rows = _rows(cli.ok(*p, "cue", "list"))
    assert len(rows) == 6
    assert rows[0][1:4] == ["MT Main Titles", "01:00:08;00", "01:01:35;27"]
    assert rows[-1][2:4] == ["01:06:24;23", "01:09:16;12"]
    cli.fails(cli.run(*p, "cue", "add", "2M1", "--start", "01:11:00;00", "--end",
                      "01:11:05;00"), "field start", "'01:11:00;00'")  # a dropped label
    cli.ok(*p, "cue", "add", "2M1", "--start", "01:11:00;02", "--end", "01:11:05;00")


# --- refusals: one line, exit != 0, nothing written -------------------------------------------

BAD_COMMANDS = {
    "outside picture": (["cue", "add", "1M3", "--start", "01:03:55:00", "--end",
                         "01:04:05:00"], ["field end", "after the picture", "'01:04:05:00'",
                                          "01:04:00:00 or earlier"]),
    "before picture": (["cue", "add", "1M3", "--start", "00:59:00:00", "--end",
                        "01:00:05:00"], ["field start", "'00:59:00:00'", "01:00:00:00"]),
    "overlap": (["cue", "add", "1M3", "--start", "01:00:15:00", "--end", "01:00:30:00"],
                ["field start", "overlaps cue 1M1", "'01:00:15:00'"]),
    "duplicate number": (["cue", "add", "1M2", "--start", "01:02:00:00", "--end",
                          "01:02:10:00"], ["field cue", "1M2", "used twice"]),
    "end before start": (["cue", "add", "1M3", "--start", "01:02:00:00", "--end",
                          "01:01:00:00"], ["field end", "'01:01:00:00'", "after 01:02:00:00"]),
    "bad timecode": (["cue", "add", "1M3", "--start", "01:02:00:00", "--end",
                      "01:00:00:30"], ["field end", "'01:00:00:30'", "frames 00 to 23"]),
    "bad cue number": (["cue", "add", "M13", "--start", "01:02:00:00", "--end",
                        "01:02:10:00"], ["field cue", "'M13'", "1M1, 2M3A"]),
    "edit to taken number": (["cue", "edit", "1M1", "--number", "1M2"], ["1M2", "used twice"]),
    "edit bad end": (["cue", "edit", "1M1", "--end", "01:00:05:00"], ["field end",
                                                                    "'01:00:05:00'"]),
    "move into overlap": (["cue", "move", "1M2", "--start", "01:00:15:00"],
                          ["overlaps", "'01:00:15:00'"]),
    "move out of picture": (["cue", "move", "1M2", "--start", "01:03:55:00"],
                            ["after the picture", "'01:04:05:00'"]),
    "sync outside cue": (["sync", "add", "1M1", "01:00:30:00"],
                         ["field sync", "1M1", "outside the cue", "'01:00:30:00'",
                          "01:00:10:00 to 01:00:20:00"]),
    "sync kind": (["sync", "add", "1M1", "01:00:12:00", "--kind", "loud"],
                  ["sync_kind", "'loud'", "hard, soft, downbeat, end"]),
    "sync weight": (["sync", "add", "1M1", "01:00:12:00", "--weight", "-1"],
                    ["field weight", "-1"]),
    "sync bad timecode": (["sync", "add", "1M1", "01:00:12:24"], ["field at",
                                                                   "'01:00:12:24'"]),
    "unknown cue edit": (["cue", "edit", "1M9", "-t", "x"], ["no cue 1M9", "1M1, 1M2"]),
    "unknown cue remove": (["cue", "remove", "1M9"], ["no cue 1M9"]),
    "unknown cue move": (["cue", "move", "1M9", "--start", "01:00:00:00"], ["no cue 1M9"]),
    "unknown cue sync": (["sync", "add", "1M9", "01:00:12:00"], ["no cue 1M9"]),
    "bad status": (["cue", "edit", "1M1", "--status", "done"], ["field status", "'done'",
                                                                "approved"]),
    "export suffix": (["spotting", "export", "list.docx"], ["list.docx", ".csv", ".pdf"]),
}


@pytest.mark.parametrize("case", BAD_COMMANDS, ids=lambda c: c.replace(" ", "_"))
def test_refused_command_changes_nothing(cli, spot, case):
    args, needles = BAD_COMMANDS[case]
    before = cli.snapshot(spot)
    cli.fails(cli.run("-p", spot, *args), *needles)
    assert cli.snapshot(spot) == before


def test_drop_frame_label_illegal_at_24_and_df(cli, spot, tmp_path):
    cli.fails(cli.run("-p", spot, "cue", "add", "1M3", "--start", "01:02:00;00", "--end",
                      "01:02:10:00"), "field start", "'01:02:00;00'")
    cli.ok("init", tmp_path / "df", "--title", "DF", "--fps", "29.97df")
    before = cli.snapshot(tmp_path / "df")
    cli.fails(cli.run("-p", tmp_path / "df", "cue", "add", "1M1", "--start", "00:01:00;00",
                      "--end", "00:01:10;00"), "field start", "'00:01:00;00'")
    assert cli.snapshot(tmp_path / "df") == before


CSV_CASES = {
    "cell count": (["cue,1M3,Ok,01:01:00:00,01:01:10:00",
                    "cue,1M4,Bad,01:02:00:00,01:02:10:00,,,,extra"], ["line 3", "cells",
                                                                      "'extra'"]),
    "missing end": (["cue,1M3,Ok,01:01:00:00,01:01:10:00", "cue,1M4,Bad,01:02:00:00"],
                    ["line 3", "field end", "timecode is required"]),
    "bad timecode": (["cue,1M3,Ok,01:01:00:00,01:01:10:00",
                      "sync,1M3,,01:01:02:25,,hard,1,"], ["line 3", "field start",
                                                          "'01:01:02:25'"]),
    "row type": (["cue,1M3,Ok,01:01:00:00,01:01:10:00", "hit,1M3,,01:01:02:00,,,,"],
                 ["line 3", "field type", "'hit'"]),
    "sync kind": (["cue,1M3,Ok,01:01:00:00,01:01:10:00", "sync,1M3,,01:01:02:00,,bang,1,"],
                  ["line 3", "'bang'", "hard"]),
    "sync outside": (["cue,1M3,Ok,01:01:00:00,01:01:10:00", "sync,1M3,,01:01:20:00,,hard,1,"],
                     ["line 3", "outside cue 1M3", "'01:01:20:00'"]),
    "end before start": (["cue,1M3,Ok,01:01:00:00,01:00:50:00"], ["line 2", "field end",
                                                                 "'01:00:50:00'"]),
    "twice in file": (["cue,1M3,A,01:01:00:00,01:01:10:00",
                       "cue,1M3,B,01:01:20:00,01:01:30:00"], ["line 3", "1M3", "line 2"]),
    "taken in project": (["cue,1M3,A,01:01:00:00,01:01:10:00",
                          "cue,1M1,B,01:01:20:00,01:01:30:00"], ["bad.csv", "1M1",
                                                                 "used twice"]),
    "outside picture": (["cue,1M3,A,01:03:50:00,01:04:10:00"], ["bad.csv", "after the picture",
                                                               "'01:04:10:00'"]),
    "overlap": (["cue,1M3,A,01:00:45:00,01:00:55:00"], ["bad.csv", "overlaps", "1M2"]),
    "cue number": (["cue,Main,A,01:01:00:00,01:01:10:00"], ["line 2", "field cue", "'Main'"]),
}


@pytest.mark.parametrize("case", CSV_CASES, ids=lambda c: c.replace(" ", "_"))
def test_bad_csv_changes_nothing(cli, spot, tmp_path, case):
    rows, needles = CSV_CASES[case]
    path = _csv(tmp_path / "bad.csv", *rows)
    before = cli.snapshot(spot)
    cli.fails(cli.run("-p", spot, "spotting", "import", path), *needles)
    if "line 2" in needles or "line 3" in needles:  # the file itself is bad: --replace too
        cli.fails(cli.run("-p", spot, "spotting", "import", path, "--replace"), *needles)
    assert cli.snapshot(spot) == before


# --- fuzz: whatever a user types, one line and an exit code, never a traceback -------------

_text = st.one_of(
    st.text(max_size=14),
    st.from_regex(r"\A\d{1,3}[MmS]\d{0,4}[A-Za-z]?s?\Z"),
    st.from_regex(r"\A-?\d{1,3}[:;.]\d{1,3}[:;.]\d{1,3}[:;.]\d{1,3}\Z"),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=_text, start=_text, end=_text)
def test_cue_add_never_shows_a_traceback(cli, spot, number, start, end):
    result = cli.run("-p", spot, "cue", "add", f"--start={start}", f"--end={end}", "--",
                     number)
    assert result.exit_code == 0 or result.exit_code in FILMSCORE_ERROR_CODES, (
        result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), result.stderr
