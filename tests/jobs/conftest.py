"""A small project for the job tests: two cues with music and tempo maps, on SQLite or on a
fresh PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscore import store
from jobs_helpers import make_project


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(store.DB_ENV, raising=False)
    monkeypatch.delenv("FILMSCORE_PROJECT", raising=False)


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "film", None)


@pytest.fixture
def pg_project(tmp_path: Path, pg_database: str) -> Path:
    return make_project(tmp_path / "film", pg_database)
