"""The CLI's long work goes through the job layer (SQLite: the local pool) and prints what
it printed before: parts and scores of every cue, streamers of every cue."""

from __future__ import annotations

from pathlib import Path

from jobs_helpers import fs

CLIP = Path(__file__).resolve().parents[1] / "data" / "video" / "popeye_24.mkv"


def test_parts_and_scores_of_every_cue(sqlite_project: Path, tmp_path: Path) -> None:
    fs("-p", sqlite_project, "orchestrate", "--all", "--ensemble", "chamber")
    out = fs("-p", sqlite_project, "parts", "--all", "--out", tmp_path / "parts")
    for cue in ("1M1", "1M2"):
        assert f"{cue}: " in out and "parts" in out and "tacet sheets" in out
        assert list((tmp_path / "parts" / cue).glob(f"{cue} *.pdf"))
    out = fs("-p", sqlite_project, "score", "--all", "--out", tmp_path / "scores")
    assert out.index("1M1: score") < out.index("1M2: score")
    assert (tmp_path / "scores" / "1M2" / "1M2 score.pdf").is_file()
    listing = fs("-p", sqlite_project, "jobs")
    assert listing.count("copy") == 4 and listing.count("done") == 4


def test_streamers_of_every_cue(tmp_path: Path) -> None:
    project = tmp_path / "film"
    fs("init", project, "--title", "Streamers", "--fps", "24")
    fs("-p", project, "picture", "import", CLIP, "--no-shots")
    for number, start, end in (("1M1", "00:00:00:12", "00:00:02:00"),
                               ("1M2", "00:00:02:12", "00:00:04:12")):
        fs("-p", project, "cue", "add", number, "--start", start, "--end", end)
        fs("-p", project, "tempo", "set", number, "--tempo", "120")
    out = fs("-p", project, "streamers", "--all", "--handles", "0")
    for cue in ("1M1", "1M2"):
        assert f"{cue}: {project / 'streamers' / (cue + '.mp4')}" in out
        assert (project / "streamers" / f"{cue}.mp4").stat().st_size > 1000
    assert fs("-p", project, "jobs").count("streamers") == 2
