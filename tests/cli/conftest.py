"""Helpers for the CLI tests: run `filmscore` in-process, make projects, snapshot them.

``cli.run(*args)`` runs the command with Typer's CliRunner and returns the result (stdout
and stderr apart); ``cli.ok(*args)`` asserts success and returns stdout; ``cli.fails(result,
*needles)`` asserts a refused command: exit != 0, no traceback, one line on stderr starting
``filmscore: error:`` and naming each needle.  ``cli.snapshot(dir)`` is every row of every
table and every file under media/, to show that a refused command changed nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from typer.testing import CliRunner

from filmscore import store
from filmscore.cli import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EDL = DATA / "edl"
VIDEO = DATA / "video"
PTULSCONV = DATA / "spotting" / "ptulsconv"
DEMO_SPOTTING = ROOT / "demo" / "popeye1936" / "spotting.csv"

#: a one-event EDL covering 01:00:00:00-01:04:00:00 at 24 fps (the demo reel's span)
SPAN_EDL = """TITLE: POPEYE REEL 1
FCM: NON-DROP FRAME

001  PART1    V     C        00:00:00:00 00:04:00:00 01:00:00:00 01:04:00:00
* FROM CLIP NAME: reel1.mov
"""

class Cli:
    """`filmscore` in-process: ``run`` gives the result, ``ok`` asserts success."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def run(self, *args: object, env: dict[str, str] | None = None):
        return self.runner.invoke(app, [str(a) for a in args], env=env)

    def ok(self, *args: object, env: dict[str, str] | None = None) -> str:
        """Run; assert exit 0 and no traceback; return stdout."""
        result = self.run(*args, env=env)
        assert result.exit_code == 0, (args, result.exit_code, result.stdout, result.stderr,
                                       result.exception)
        assert "Traceback" not in result.stdout + result.stderr
        return result.stdout

    @staticmethod
    def fails(result, *needles: str) -> str:
        """Assert a refused command: exit != 0, one line on stderr naming every needle."""
        # 1-6: a FilmscoreError (see filmscore.errors); 70 would be an internal error
        assert result.exit_code in range(1, 7), (result.exit_code, result.stdout,
                                                 result.stderr)
        assert isinstance(result.exception, SystemExit), result.exception
        text = result.stderr
        assert "Traceback" not in text + result.stdout
        lines = text.strip("\n").splitlines()
        assert len(lines) == 1, text
        line = lines[0]
        assert line.startswith("filmscore: error: "), line
        for needle in needles:
            assert needle in line, (needle, line)
        return line

    snapshot = staticmethod(lambda project: snapshot(project))


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    """`filmscore` run in-process, in tmp_path, without project/database env set."""
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return Cli()


def snapshot(project: Path) -> tuple[dict[str, list[tuple]], list[str]]:
    """Every row of every table of the project's database, and the files under media/."""
    engine = store.open_engine(store.database_url(project))
    try:
        meta = MetaData()
        meta.reflect(engine)
        tables = {}
        with engine.connect() as conn:
            for name, table in sorted(meta.tables.items()):
                rows = conn.execute(select(table)).all()
                tables[name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    media = sorted(str(p.relative_to(project)) for p in (project / "media").rglob("*"))
    return tables, media


@pytest.fixture
def project24(cli: Cli, tmp_path: Path) -> Path:
    """An empty 24 fps project."""
    cli.ok("init", tmp_path / "p24", "--title", "Test Film", "--fps", "24")
    return tmp_path / "p24"


@pytest.fixture
def span_edl(tmp_path: Path) -> Path:
    path = tmp_path / "span.edl"
    path.write_text(SPAN_EDL)
    return path
