"""`filmscore picture ...` as a user meets it: import cuts of every kind, list, refuse bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
EDL = DATA / "edl"
VIDEO = DATA / "video"
CLIP24 = VIDEO / "popeye_24.mkv"  # 120 frames at 24 fps, one cut at frame 57
SRT = VIDEO / "popeye_part1.eng.srt"


def _one_event_edl(path: Path, frames: int) -> Path:
    """A 24 fps EDL of one event of ``frames`` frames from 01:00:00:00."""
    secs, ff = divmod(frames, 24)
    out = f"01:00:{secs:02d}:{ff:02d}"
    src = f"00:00:{secs:02d}:{ff:02d}"
    path.write_text("TITLE: REF TEST\nFCM: NON-DROP FRAME\n\n"
                    f"001  AX       V     C        00:00:00:00 {src} 01:00:00:00 {out}\n"
                    "* FROM CLIP NAME: popeye_24.mkv\n")
    return path


def _versions(listing: str) -> list[list[str]]:
    """Rows of `picture list` as cells."""
    return [[c.strip() for c in line.strip("│").split("│")]
            for line in listing.splitlines() if re.match(r"│v\d", line)]


def test_edl_import_and_second_version(cli, project24):
    out = cli.ok("-p", project24, "picture", "import", EDL / "pycmx" / "INS4_R1_010417.edl")
    assert out.startswith("v1 INS4_R1_010417: edl INS4_R1_010417.edl, 287 events, "
                          "01:00:00:00 to 01:19:18:13")
    rows = _versions(cli.ok("-p", project24, "picture", "list"))
    assert rows == [["v1", "INS4_R1_010417", "edl", "INS4_R1_010417.edl", "287",
                     "01:00:00:00", "19:18+13"]]
    out = cli.ok("-p", project24, "picture", "import", EDL / "pycmx" / "INS4_R1_010417.edl",
                 "--name", "Recut", "--note", "director's cut")
    assert out.startswith("v2 Recut:")
    rows = _versions(cli.ok("-p", project24, "picture", "list"))
    assert [r[0] for r in rows] == ["v1", "v2"] and rows[1][1] == "Recut"
    assert "v1 INS4_R1_010417" in cli.ok("-p", project24, "picture", "show", "v1")
    assert cli.ok("-p", project24, "picture", "show").startswith("v2 Recut")
    assert "current v2 Recut" in cli.ok("-p", project24, "info")
    cli.fails(cli.run("-p", project24, "picture", "show", "v9"), "v9")
    cli.fails(cli.run("-p", project24, "picture", "show", "latest"), "'latest'", "v1, v2")


def test_fcp_xml_at_its_own_rate(cli, tmp_path):
    xml = EDL / "otio" / "premiere_example.xml"
    assert "<timebase>30</timebase>" in xml.read_text()  # the file states 30 fps, NTSC off
    cli.ok("init", tmp_path / "p30", "--title", "Premiere", "--fps", "30")
    out = cli.ok("-p", tmp_path / "p30", "picture", "import", xml)
    assert out.startswith("v1 ") and "fcp7xml premiere_example.xml" in out
    assert "markers: marker" in out
    marks = cli.ok("-p", tmp_path / "p30", "picture", "markers", "--kind", "marker")
    assert re.search(r"\d\d:\d\d:\d\d:\d\d\s*│ marker", marks)


def test_video_with_shot_detection(cli, project24):
    out = cli.ok("-p", project24, "picture", "import", CLIP24)
    assert out.startswith("v1 popeye_24: video popeye_24.mkv, 1 events, 00:00:00:00 to "
                          "00:00:05:00")
    assert "markers: shot 1" in out
    shots = cli.ok("-p", project24, "picture", "markers", "--kind", "shot")
    assert "00:00:02:09" in shots  # frame 57
    out = cli.ok("-p", project24, "picture", "import", CLIP24, "--no-shots")
    assert out.startswith("v2 ") and "markers" not in out


def test_edl_with_reference_video_and_subtitles(cli, project24, tmp_path):
    edl = _one_event_edl(tmp_path / "ref.edl", 120)
    out = cli.ok("-p", project24, "picture", "import", edl, "--video", CLIP24,
                 "--subtitles", SRT)
    assert out.startswith("v1 REF TEST: edl ref.edl, 1 events, 01:00:00:00 to 01:00:05:00")
    assert "markers: dialogue 14, shot 1" in out
    marks = cli.ok("-p", project24, "picture", "markers")
    assert re.search(r"01:00:02:09\s*│ shot", marks)  # record TC of the clip's frame 57
    # subtitles count from the start of the cut; bracketed text is shown as written
    assert re.search(r"01:00:00:00\s*│ dialogue │ \[barking and roaring\]", marks)
    assert re.search(r"01:00:13:00\s*│ dialogue │ I'm Sinbad the sailor", marks)
    _, media = cli.snapshot(project24)
    assert any(m.endswith(".mkv") for m in media) and any(m.endswith(".edl") for m in media)


def test_reference_video_of_the_wrong_length(cli, project24, tmp_path):
    edl = _one_event_edl(tmp_path / "short.edl", 100)
    before = cli.snapshot(project24)
    cli.fails(cli.run("-p", project24, "picture", "import", edl, "--video", CLIP24),
              "popeye_24.mkv", "120 frames", "short.edl", "100")
    assert cli.snapshot(project24) == before


def _malformed(tmp_path: Path) -> Path:
    """screening_example.edl with event 002's source out mistyped."""
    lines = (EDL / "otio" / "screening_example.edl").read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("002"))
    lines[index] = "002  ZZ100_50 V C 01:00:06:13 01:00:0X:15 00:59:54:18 00:59:56:20"
    path = tmp_path / "malformed.edl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.not_looked("broken videos are its inputs on purpose")
@pytest.mark.parametrize("case", ["malformed", "25fps", "xml30", "video2997", "fake_mov",
                                  "suffix", "missing", "bad_srt", "missing_video"])
def test_bad_input_changes_nothing(cli, project24, tmp_path, case):
    cli.ok("-p", project24, "picture", "import", EDL / "otio" / "screening_example.edl")
    cli.ok("-p", project24, "cue", "add", "1M1", "--start", "00:59:54:00", "--end",
           "00:59:56:00")
    before = cli.snapshot(project24)
    assert before[0]["picture_versions"] and before[1]
    if case == "malformed":
        path = _malformed(tmp_path)
        line = 1 + next(i for i, text in enumerate(path.read_text().splitlines())
                        if text.startswith("002"))
        args, needles = [path], ["malformed.edl", f"line {line}", "01:00:0X:15", "NNN REEL"]
    elif case == "25fps":  # an EDL does not state its rate: frame 24 betrays 25 fps
        args, needles = [EDL / "otio" / "25fps.edl"], ["25fps.edl", "line 13",
                                                       "'01:00:01:24'", "frames 00 to 23"]
    elif case == "xml30":
        args, needles = [EDL / "otio" / "premiere_example.xml"], [
            "premiere_example.xml", "30 fps", "24"]
    elif case == "video2997":
        args, needles = [VIDEO / "popeye_2997.mov"], ["popeye_2997.mov", "29.97", "24"]
    elif case == "fake_mov":
        path = tmp_path / "notes.mov"
        path.write_text("these are notes, not a movie\n")
        args, needles = [path], ["notes.mov", "not a video file"]
    elif case == "suffix":
        path = tmp_path / "cut.docx"
        path.write_text("x")
        args, needles = [path], ["cut.docx", "'.docx'", ".edl", ".xml", ".otio"]
    elif case == "missing":
        args, needles = [tmp_path / "gone.edl"], ["gone.edl", "No such file"]
    elif case == "bad_srt":
        srt = tmp_path / "bad.srt"
        srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nhello\n\n"
                       "2\n00:00:0X,000 --> 00:00:04,000\nbye\n")
        args = [_one_event_edl(tmp_path / "ok.edl", 120), "--subtitles", srt]
        needles = ["bad.srt", "line 5"]
    else:
        args = [_one_event_edl(tmp_path / "ok.edl", 120), "--video", tmp_path / "gone.mp4"]
        needles = ["gone.mp4", "no such file"]
    cli.fails(cli.run("-p", project24, "picture", "import", *args), *needles)
    assert cli.snapshot(project24) == before
    assert "picture versions: 1" in cli.ok("-p", project24, "info")


def test_mixed_rate_avid_edl_imports_with_a_one_line_warning(cli, project24):
    out = cli.ok("-p", project24, "picture", "import", EDL / "pycmx" / "INS4_R3_DX_092117.edl")
    assert "475 events" in out and "03:00:00:00 to 03:20:30:15" in out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "events 135, 137" in warnings[0]
    assert "17:52:28:26" in warnings[0]
