"""`filmscore conform compare|apply|show|list|import` as a music editor meets it, on
SQLite and PostgreSQL: the change list printed and stored, applied with the cues moved
and flagged, shown again, listed; refusals in one line with nothing changed."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conform_follow_helpers import EXPECTED, TITLE, film, foreign_csv
from filmscore.cli import app
from filmscore.project import open_project
from filmscore.spotting.service import list_cues


@pytest.fixture
def project(db_url, tmp_path, monkeypatch):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "film"
    with film(folder, db=db_url):
        pass
    return folder


def run(project, *args):
    return CliRunner().invoke(app, ["-p", str(project), *map(str, args)])


def ok(project, *args) -> str:
    result = run(project, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def refused(project, *args) -> str:
    result = run(project, *args)
    assert result.exit_code in range(1, 7), (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), result.stderr
    return lines[0]


def frames(project) -> dict:
    with open_project(project) as ctx:
        return {str(c.number): (c.start_frame, c.end_frame, [s.frame for s in c.sync_points])
                for c in list_cues(ctx)}


def cells(text: str, first: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")]
            for line in text.splitlines() if re.match(rf"│\s*{first}", line)]


def test_compare_apply_show_list(project, tmp_path, monkeypatch):
    out = ok(project, "conform", "compare", "v1", "2", "--csv", tmp_path / "cl.csv",
             "--note", "reel 1 recut")
    assert "Stored change list 1: v1 -> v2" in out
    assert f"Wrote {tmp_path / 'cl.csv'}" in out and (tmp_path / "cl.csv").exists()
    assert frames(project) != EXPECTED  # compared only

    out = ok(project, "conform", "apply", "1", "--by", "ed")
    assert "Applied change list 1 (v1 -> v2): 4 of 4 cues moved, 2 to fix." in out
    assert frames(project) == EXPECTED
    flagged = {r[0]: r[1:4] for r in cells(out, r"1M\d")
               if r[1] in ("moved", "cut_into", "hits_moved", "deleted")}
    assert flagged["1M2"] == ["cut_into", "open", "01:00:16:16"]
    assert flagged["1M1"][:2] == ["moved", "kept"] and flagged["1M3"][:2] == ["deleted", "open"]
    hits = [r for r in cells(out, "1M2") if r[1] in ("hard", "downbeat", "soft")]
    assert [(r[3], r[4], r[5], r[6]) for r in hits] == [
        ("01:00:17:12", "01:00:16:12", "01:00:16:12", "+0"),
        ("01:00:25:00", "01:00:22:00", "01:00:24:00", "-48"),
        ("01:00:28:18", "01:00:25:18", "01:00:27:18", "-48")]

    show = ok(project, "conform", "show", "1")
    assert show.startswith("Change list 1: v1 Cut 1 -> v2 Cut 2, reel 1 recut; applied ")
    assert "Flagged cues" in show and "-48" in show

    listing = ok(project, "conform", "list")
    row = cells(listing, "1")[0]
    assert (row[1], row[4] != "no", row[5], row[6]) == ("v1 -> v2", True, "2 of 4",
                                                        "reel 1 recut")
    assert "The cues follow picture v2." in listing


def test_refusals_change_nothing(project, tmp_path, monkeypatch):
    ok(project, "conform", "compare", "1", "2")
    ok(project, "conform", "apply", "1")
    after = frames(project)
    line = refused(project, "conform", "apply", "1")
    assert "change list 1 was applied already" in line
    line = refused(project, "conform", "apply", "5")
    assert "no change list 5 in this project (change lists: 1;" in line
    line = refused(project, "conform", "compare", "1", "x2")
    assert "field new" in line and "x2" in line
    line = refused(project, "conform", "compare", "2", "2")
    assert "compare two different picture versions" in line
    path = foreign_csv(tmp_path / "other.csv", "Other Film #3")
    line = refused(project, "conform", "import", path)
    assert str(path) in line and "Other Film #3" in line and f"{TITLE} #1" in line
    assert frames(project) == after
    assert len(cells(ok(project, "conform", "list"), r"\d")) == 1

