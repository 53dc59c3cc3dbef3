"""`filmscore master`, in-process: the per-track table, every medium, and the errors
(one line, an exit code, no traceback)."""

from __future__ import annotations

from typer.testing import CliRunner

from delivery_helpers import project
from filmscore.album.plan import release_plan
from filmscore.cli import app
from mastering_helpers import add_album


def run(p, *args):
    return CliRunner().invoke(app, ["-p", str(p), *args])


def test_master_prints_a_table_per_medium(tmp_path):
    p = tmp_path / "p"
    pctx = project(p)
    add_album(pctx, tmp_path, cues=2, seconds=3, media=("cd", "vinyl", "digital"))
    result = run(p, "master", "1", "--medium", "cd")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Album 1, cd: track mode, target -12 LUFS, ceiling -1 dBTP, 44100 Hz 16-bit" in out
    for word in ("before", "gain", "limiting", "after", "true peak", "Track 1", "Track 2",
                 "-12.0 LUFS"):
        assert word in out, word
    assert all(t.mastered["bits"] == 16 for t in release_plan(pctx, 1, "cd").tracks)
    result = run(p, "master", "1", "--medium", "all", "--mode", "album", "--target", "-15")
    assert result.exit_code == 0, result.output
    for medium in ("cd", "vinyl", "digital"):
        assert f"Album 1, {medium}: album mode, target -15 LUFS" in result.output
    assert release_plan(pctx, 1, "vinyl").tracks[0].mastered["target_lufs"] == -15.0
    assert "1 A" in result.output  # vinyl tracks show their side


def test_master_errors_are_one_line(tmp_path):
    p = tmp_path / "p"
    pctx = project(p)
    add_album(pctx, tmp_path, cues=1, seconds=1)
    for args, code, words in (
            (["master", "1", "--medium", "tape"], 2, "unknown medium"),
            (["master", "1", "--medium", "cd", "--mode", "loud"], 2, "unknown mastering mode"),
            (["master", "1", "--medium", "vinyl"], 3, "no tracks on vinyl"),
            (["master", "7", "--medium", "cd"], 3, "no album 7"),
            (["master", "1", "--medium", "cd", "--target", "5"], 2, "target")):
        result = run(p, *args)
        assert result.exit_code == code, (args, result.output)
        assert words in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_a_track_the_limiter_cannot_bring_to_the_target_is_named(tmp_path):
    import numpy as np
    import soundfile as sf

    from mastering_helpers import set_candidate_audio

    p = tmp_path / "p"
    pctx = project(p)
    keys = add_album(pctx, tmp_path, cues=1, seconds=2)
    t = np.arange(2 * 48000) / 48000
    data = (0.05 * np.sin(2 * np.pi * 220 * t))[:, None].repeat(2, axis=1)
    data[::6000] = 0.9
    spiky = tmp_path / "spiky.wav"
    sf.write(str(spiky), data, 48000, subtype="PCM_24")
    set_candidate_audio(pctx, keys[0], spiky, channels=2, rate=48000)
    result = run(p, "master", "1", "--medium", "cd", "--target", "-8")
    assert result.exit_code == 0, result.output
    assert "Track 1 is " in result.output and "LU under the target" in result.output
