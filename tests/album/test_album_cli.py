"""`filmscore album` in-process: album edits made, shown and rendered; the candidates
refreshed, rated and added to; an album made, its CD and vinyl tracks set and proposed
with ISRCs and pins, shown with its timings; an expanded edition; bad input refused in
one line with exit status 2."""

from __future__ import annotations

from typer.testing import CliRunner

from album_helpers import album_project, scored_cue
from filmscore.cli import app
from jobs_helpers import fs


def fail(*args) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output.strip()


def test_album_commands(tmp_path):
    p = tmp_path / "film"
    with album_project(p) as pctx:
        scored_cue(pctx, "1M1", start_frame=24, bars=4, tmp=tmp_path, seed=1,
                   title="Main Title", pickup_s=0.5)
        scored_cue(pctx, "1M2", start_frame=24 * 30, bars=3, tmp=tmp_path, seed=2)
        scored_cue(pctx, "2M1", start_frame=24 * 60, bars=5, tmp=tmp_path, seed=3)
        scored_cue(pctx, "2M1", tmp=tmp_path, seed=4, mix_only=True)
    # album edits
    out = fs("-p", p, "album", "edit", "truncate", "1M1", "--from", "1", "--to", "2",
             "--fade-out", "500", "--title", "Main Title (Album Edit)", "--render")
    assert "1M1-edit (truncation, Main Title (Album Edit)): 1M1 1-2; 0:04;" in out
    assert "rendered" in out
    out = fs("-p", p, "album", "edit", "suite", "suite-a", "1M1:3-4", "2M1@1:1-end",
             "--title", "A Suite", "--crossfade", "20")
    assert "suite-a (suite, A Suite): 1M1 3-4 + 2M1@1 1-end; 0:15; crossfade 20 ms; " \
           "not rendered" in out  # 2 bars of 1M1, then 2M1's whole mix (11 s)
    out = fs("-p", p, "album", "edit", "show", "suite-a")
    # bar 3 of 1M1: 0.5 s pickup + 4 s = sample 216000; the join at 4 s into the suite
    assert "216000-408000" in out and "191520-192480" in out and "1 > 2" in out
    listed = fs("-p", p, "album", "edit", "list")
    assert "suite-a" in listed and "1M1-edit" in listed
    out = fs("-p", p, "album", "edit", "render", "--all")
    assert "suite-a" in out and "rendered" in out
    assert "every album edit is rendered" in fs("-p", p, "album", "edit", "render", "--all")
    # candidates
    out = fs("-p", p, "album", "candidates", "refresh", "--no-themes")
    assert "5 candidates" in out and "made: 1M1, 1M2, 2M1, 1M1-edit, suite-a" in out
    out = fs("-p", p, "album", "candidates", "set", "1M1", "--rating", "5", "--title",
             "Popeye Main Title")
    assert "Popeye Main Title" in out and "*****" in out
    out = fs("-p", p, "album", "candidates", "add", "2M1", "--kind", "alternate", "--mix",
             "1", "--rating", "2")
    assert "2M1-alt" in out and "alternate" in out
    listed = fs("-p", p, "album", "candidates")
    assert "6 candidates" in listed and "Popeye Main Title" in listed and "0:09" in listed
    assert "2M1-alt" in fs("-p", p, "album", "candidates", "--kind", "alternate")
    fs("-p", p, "album", "candidates", "remove", "2M1-alt")
    # an album
    out = fs("-p", p, "album", "new", "--title", "Album Film", "--artist", "Ann Composer",
             "--catalog", "036000291452", "--credit", "conductor=Ann Composer")
    assert "album 1: Album Film (036000291452)" in out
    assert "Conducted by Ann Composer" in out and "Music composed by Ann Composer" in out
    out = fs("-p", p, "album", "set", "1", "--medium", "cd", "--tracks", "1M1,1M2",
             "--tracks", "2M1", "--isrc", "1M1=US-S1Z-26-00001")
    assert "CD: 3 tracks, 0:31.50 of 79:57" in out  # 9.5 + 2 + 7 + 2 + 11 s
    assert "US-S1Z-26-00001" in out
    out = fs("-p", p, "album", "set", "1", "--medium", "cd", "--assign-isrc", "US-S1Z-26:2")
    assert "ISRCs given: USS1Z2600002, USS1Z2600003" in out
    out = fs("-p", p, "album", "set", "1", "--medium", "cd", "--pin", "2M1=first",
             "--setting", "max_seconds=60:00", "--setting", "order=film")
    assert "CD: 3 tracks, 0:31.50 of 60:00" in out
    out = fs("-p", p, "album", "propose", "1", "--medium", "cd", "--greedy")
    assert "cd: " in out and "(greedy)" in out
    cd = out[out.index("CD:"):]
    assert cd.index("2M1") < cd.index("1M1") and "first" in cd
    assert "US-S1Z-26-00001" in cd  # the ISRC stays with 1M1
    out = fs("-p", p, "album", "propose", "1", "--medium", "all")
    assert "12-inch LP" in out and "Digital" in out and "sides: A" in out
    out = fs("-p", p, "album", "show", "1", "--medium", "vinyl")
    assert "12-inch LP" in out and "CD:" not in out
    assert "Album Film" in fs("-p", p, "album", "list")
    # an expanded edition keeps the tracks and their ISRCs
    fs("-p", p, "album", "set", "1", "--medium", "digital", "--tracks", "1M1")
    out = fs("-p", p, "album", "expand", "1", "--title", "Album Film (Deluxe)")
    assert "album 2: Album Film (Deluxe), expanding album 1" in out
    assert "expands album 1" in out and "kept" in out
    deluxe = out[out.index("CD:"):]
    assert "US-S1Z-26-00001" in deluxe
    # bad input: one line, exit 2
    for args, words in (
            (["album", "edit", "truncate", "1M1", "--from", "1", "--to", "9"],
             "segment 1 (1M1 1-9): no bar 9 in the cue's tempo map"),
            (["album", "edit", "suite", "s", "1M1:3-2"], "'to' is not after 'from'"),
            (["album", "new", "--title", "X", "--catalog", "036000291453"],
             "the UPC-A check digit is wrong"),
            (["album", "set", "1", "--medium", "cd", "--isrc", "1M1=US-S1Z-2X-00001"],
             "year is two digits"),
            (["album", "propose", "1", "--medium", "tape"], "unknown medium"),
            (["album", "set", "1", "--tracks", "1M1"], "are per medium"),
            (["album", "candidates", "set", "1M1", "--rating", "7"], "rating"),
            (["album", "set", "1", "--medium", "cd", "--setting", "pins=x"],
             "pins are set one by one")):
        code, text = fail("-p", p, *args)
        assert code == 2, (args, text)
        assert text.startswith("filmscore: error:") and "\n" not in text and words in text, \
            text
    code, text = fail("-p", p, "album", "show", "7")
    assert code == 3 and "no album 7 in this project (albums: 1, 2)" in text
