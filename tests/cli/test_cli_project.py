"""`filmscore init` and `info`, and how a command finds its project (-p, env, cwd)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

EDL = Path(__file__).resolve().parents[1] / "data" / "edl"


def test_init_makes_sqlite_project(cli, tmp_path):
    out = cli.ok("init", tmp_path / "film", "--title", "The Film", "--fps", "23.976")
    assert "The Film" in out and "23.976" in out and "filmscore.db" in out
    folder = tmp_path / "film"
    assert (folder / "filmscore.db").is_file()
    assert (folder / "media").is_dir()
    assert (folder / "filmscore.toml").is_file()
    with sqlite3.connect(folder / "filmscore.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT title, rate_name FROM projects").fetchall() == [
            ("The Film", "23.976")]
    info = cli.ok("-p", folder, "info")
    assert "The Film" in info and "23.976 fps" in info and "filmscore.db" in info
    assert "picture versions: 0" in info and "cues: 0, sync points: 0" in info


def test_init_on_postgresql(cli, tmp_path, pg_database):
    folder = tmp_path / "pgfilm"
    out = cli.ok("init", folder, "--title", "PG Film", "--fps", "25", "--db", pg_database)
    assert "postgresql" in out
    assert not (folder / "filmscore.db").exists()
    assert (folder / "media").is_dir()
    assert "postgresql" in (folder / "filmscore.toml").read_text()
    info = cli.ok("-p", folder, "info")
    assert "PG Film" in info and "25 fps" in info and "postgresql" in info
    # the project works there: a picture and a cue, then a refused import changes nothing
    cli.ok("-p", folder, "picture", "import", EDL / "pycmx" / "test_25.edl")
    cli.ok("-p", folder, "cue", "add", "1M1", "--start", "00:00:10:00", "--end",
           "00:00:20:00")
    before = cli.snapshot(folder)
    assert before[0]["cues"] and before[0]["picture_versions"]
    cli.fails(cli.run("-p", folder, "cue", "add", "1M1", "--start", "00:00:30:00",
                      "--end", "00:00:40:00"), "1M1", "used twice")
    assert cli.snapshot(folder) == before
    info = cli.ok("-p", folder, "info")
    assert "picture versions: 1" in info and "cues: 1" in info


def test_unknown_fps_makes_nothing(cli, tmp_path):
    line = cli.fails(cli.run("init", tmp_path / "bad", "--title", "T", "--fps", "23.9"),
                     "'23.9'", "23.976", "24", "25", "29.97df", "59.94df", "60")
    assert "valid" in line
    assert not (tmp_path / "bad").exists()
    (tmp_path / "empty").mkdir()  # an existing empty folder stays empty
    cli.fails(cli.run("init", tmp_path / "empty", "--title", "T", "--fps", "30df"),
              "30df")
    assert list((tmp_path / "empty").iterdir()) == []


def test_init_refuses_existing_project_and_nonempty_folder(cli, tmp_path):
    cli.ok("init", tmp_path / "film", "--title", "One", "--fps", "24")
    before = cli.snapshot(tmp_path / "film")
    toml = (tmp_path / "film" / "filmscore.toml").read_text()
    cli.fails(cli.run("init", tmp_path / "film", "--title", "Two", "--fps", "25"),
              "already holds a filmscore project")
    assert (tmp_path / "film" / "filmscore.toml").read_text() == toml
    assert cli.snapshot(tmp_path / "film") == before
    assert "One" in cli.ok("-p", tmp_path / "film", "info")
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.txt").write_text("mine")
    cli.fails(cli.run("init", tmp_path / "stuff", "--title", "T"), "not empty")
    assert sorted(p.name for p in (tmp_path / "stuff").iterdir()) == ["notes.txt"]


def test_project_from_option_env_and_cwd(cli, tmp_path, monkeypatch):
    cli.ok("init", tmp_path / "a", "--title", "Film A", "--fps", "24")
    cli.ok("init", tmp_path / "b", "--title", "Film B", "--fps", "25")
    assert "at 24 fps" in cli.ok("init", tmp_path / "c", "--title", "C", "--fps", "24fps")
    assert "Film A" in cli.ok("-p", tmp_path / "a", "info")
    assert "Film B" in cli.ok("--project", tmp_path / "b", "info")
    assert "Film B" in cli.ok("info", env={"FILMSCORE_PROJECT": str(tmp_path / "b")})
    cli.ok("cue", "add", "1M1", "--start", "00:00:00:00", "--end", "00:00:02:00",
           env={"FILMSCORE_PROJECT": str(tmp_path / "b")})
    assert "1M1" in cli.ok("-p", tmp_path / "b", "cue", "list")
    assert "1M1" not in cli.ok("-p", tmp_path / "a", "cue", "list")
    # -p wins over the environment
    assert "Film A" in cli.ok("-p", tmp_path / "a", "info",
                              env={"FILMSCORE_PROJECT": str(tmp_path / "b")})
    monkeypatch.chdir(tmp_path / "a")
    assert "Film A" in cli.ok("info")


def test_not_a_project(cli, tmp_path):
    cli.fails(cli.run("-p", tmp_path / "nowhere", "info"), "nowhere", "no such folder",
              "filmscore init")
    (tmp_path / "plain").mkdir()
    cli.fails(cli.run("-p", tmp_path / "plain", "cue", "list"), "not a filmscore project")
    cli.fails(cli.run("info"), "not a filmscore project")  # the cwd is tmp_path


def test_a_folder_no_filesystem_can_have_is_one_line(cli, tmp_path):
    """A project folder whose name is longer than a filesystem takes, or whose path is
    longer than the system takes, or in a folder nothing may be made in: one line each
    (they were internal errors: ENAMETOOLONG from the first look at the folder)."""
    long = tmp_path / ("b" * 300)
    cli.fails(cli.run("init", long, "--title", "T", "--fps", "24"), "no folder can have",
              "at most 255 bytes")
    cli.fails(cli.run("init", "/proc/film", "--title", "T", "--fps", "24"),
              "/proc/film: cannot make the project folder")
    for where in (long, tmp_path.joinpath(*["b"] * 2100)):
        cli.fails(cli.run("--project", where, "cue", "list"), "no such folder")
    assert not list(tmp_path.iterdir())   # nothing was made


def test_a_title_is_not_blank_and_fits_its_column(cli, tmp_path):
    """A blank title (it heads every report) and one longer than the column holds (SQLite
    kept 100,000 characters, PostgreSQL refused it in its own words) are one line each,
    and nothing is made."""
    cli.fails(cli.run("init", tmp_path / "a", "--title", " ", "--fps", "24"),
              "field title", "needs a title")
    cli.fails(cli.run("init", tmp_path / "b", "--title", "t" * 300, "--fps", "24"),
              "field title", "300 characters long", "at most 200 characters")
    assert not list(tmp_path.iterdir())
