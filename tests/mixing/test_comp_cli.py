"""`filmscore comp` in-process: propose, set, show, render and list a cue's comp from takes
logged with `filmscore take`, and bad edit lists refused in one line."""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.formats.bwf import Bext, BwfWriter
from jobs_helpers import fs

SR = 48000


def _take(path, start: int, frames: int, value: int) -> str:
    with BwfWriter(path, SR, 2, bext=Bext(time_reference=start)) as out:
        out.write(np.full((frames, 2), value, dtype=np.int32))
    return str(path)


def test_comp_commands(tmp_path):
    p = tmp_path / "film"
    fs("init", p, "--title", "Comp Film", "--fps", "24")
    fs("-p", p, "cue", "add", "1M1", "--start", "00:00:01:00", "--end", "00:00:10:00")
    fs("-p", p, "tempo", "set", "1M1", "--segments", "8x4/4@240")
    fs("-p", p, "take", "1M1", "--circle", "--audio",
       "strings=" + _take(tmp_path / "t1.wav", SR // 2, 10 * SR, 1000))
    fs("-p", p, "take", "1M1", "--kind", "pickup", "--bars", "5-8", "--circle", "--audio",
       "strings=" + _take(tmp_path / "t2.wav", 4 * SR, 7 * SR, 2000))
    out = fs("-p", p, "comp", "propose", "1M1", "--by", "ed")
    assert "1M1 comp v1 (proposed by ed; 20 ms crossfades; tempo map v1); not rendered" in out
    assert "edit list: 1-8=1" in out
    out = fs("-p", p, "comp", "set", "1M1", "1-4=1", "5-8=2", "--crossfade-ms", "10",
             "--note", "horns from the pickup")
    assert "edit list: 1-4=1 5-8=2" in out and "notes: horns from the pickup" in out
    # the edit on bar 5's downbeat: 5 s on the film, 4 s (192000 samples) into the cue
    assert "00:00:05:00" in out and "192000" in out and "191760-192240" in out
    out = fs("-p", p, "comp", "render", "1M1")
    assert "1M1 comp v2: 1 stem, 10.000 s (480000 samples)" in out
    assert "strings" in out
    out = fs("-p", p, "comp", "1M1")
    assert "rendered: strings" in out
    assert "v1" in fs("-p", p, "comp", "show", "1M1", "--version", "1")
    listed = fs("-p", p, "comp", "list")
    assert "1-8=1" in listed and "1-4=1 5-8=2" in listed and "proposed" in listed
    bad = CliRunner().invoke(app, ["-p", str(p), "comp", "set", "1M1", "1-3=1", "6-8=2"])
    assert bad.exit_code == 2
    assert bad.output.strip() == (
        "filmscore: error: field edits: bars 4-5 are not covered; valid: segments covering "
        "bars 1-8 once each, each take within its own bars")
    none = CliRunner().invoke(app, ["-p", str(p), "comp", "render", "1M1", "--version", "9"])
    assert none.exit_code == 3 and "no comp v9 of cue 1M1 (versions: 1, 2)" in none.output
