"""Project folders: init (all or nothing, refusals) and open, on SQLite and PostgreSQL."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from filmscore import store
from filmscore.errors import ConflictError, NotFoundError, StoreError, TimecodeError
from filmscore.model import Project
from filmscore.project import init_project, is_project, open_project
from filmscore.store import transaction


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(store.DB_ENV, raising=False)


def test_init_makes_a_sqlite_project(tmp_path: Path) -> None:
    folder = tmp_path / "films" / "night-train"
    info = init_project(folder, title="Night Train", fps="23.98")
    assert info.rate.name == "23.976" and info.db_label == "filmscore.db"
    assert (folder / "filmscore.db").is_file() and (folder / "media").is_dir()
    settings = tomllib.loads((folder / "filmscore.toml").read_text())
    assert settings["project"] == {"id": info.project_id, "title": "Night Train"}
    assert "database" not in settings  # the default needs no URL
    assert is_project(folder)
    with open_project(folder) as ctx:
        assert (ctx.title, ctx.rate.name, ctx.film_gauge) == ("Night Train", "23.976", "35mm4p")
        assert ctx.project_id == info.project_id
        assert ctx.media.root == folder / "media"
        with ctx.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        digest = ctx.media.put(b"cut", ".edl")
        assert ctx.media.has(digest)


def test_init_into_an_empty_existing_folder(tmp_path: Path) -> None:
    info = init_project(tmp_path, title='Quote "this"\\', fps="25", gauge="16mm")
    with open_project(tmp_path) as ctx:
        assert ctx.title == 'Quote "this"\\' and ctx.film_gauge == "16mm"
        assert ctx.project_id == info.project_id


def test_init_refuses_an_existing_project(tmp_path: Path) -> None:
    init_project(tmp_path / "p", title="One", fps="24")
    before = sorted(p.name for p in (tmp_path / "p").iterdir())
    with pytest.raises(ConflictError, match="already holds a filmscore project"):
        init_project(tmp_path / "p", title="Two", fps="25")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == before
    with open_project(tmp_path / "p") as ctx:
        assert ctx.title == "One"


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConflictError, match="not empty and holds no filmscore project"):
        init_project(tmp_path, title="X", fps="24")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_unknown_fps_makes_nothing(tmp_path: Path) -> None:
    with pytest.raises(TimecodeError, match="unknown frame rate") as caught:
        init_project(tmp_path / "p", title="X", fps="23.5")
    assert caught.value.field == "fps"
    assert not (tmp_path / "p").exists()
    with pytest.raises(TimecodeError, match="gauge"):
        init_project(tmp_path / "p", title="X", fps="24", gauge="70mm")
    assert not (tmp_path / "p").exists()


def test_failed_init_removes_what_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          ) -> None:
    def broken_migrate(engine: object, revision: str = "head") -> None:
        raise StoreError("disk on fire")

    monkeypatch.setattr(store, "migrate", broken_migrate)
    with pytest.raises(StoreError, match="disk on fire"):
        init_project(tmp_path / "new", title="X", fps="24")
    assert not (tmp_path / "new").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError):
        init_project(tmp_path / "empty", title="X", fps="24")
    assert list((tmp_path / "empty").iterdir()) == []


def test_open_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such folder"):
        open_project(tmp_path / "nowhere")
    with pytest.raises(NotFoundError, match="is not a filmscore project"):
        open_project(tmp_path)


def test_project_in_postgresql(tmp_path: Path, pg_database: str) -> None:
    info = init_project(tmp_path / "p", title="Big Film", fps="24", db=pg_database)
    assert not (tmp_path / "p" / "filmscore.db").exists()
    assert info.db_label.startswith("postgresql")
    settings = tomllib.loads((tmp_path / "p" / "filmscore.toml").read_text())
    assert settings["database"]["url"] == pg_database
    with open_project(tmp_path / "p") as ctx:  # the URL comes from filmscore.toml
        assert ctx.engine.dialect.name == "postgresql"
        assert (ctx.title, ctx.rate.name) == ("Big Film", "24")
    # a second project may share the database: each folder knows its own id
    other = init_project(tmp_path / "q", title="Sequel", fps="25", db=pg_database)
    assert other.project_id != info.project_id
    with open_project(tmp_path / "q") as ctx:
        assert ctx.title == "Sequel"
        with transaction(ctx.engine) as s:
            assert len(s.scalars(select(Project)).all()) == 2


def test_db_option_and_env_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init_project(tmp_path / "p", title="Film", fps="24")
    elsewhere = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv(store.DB_ENV, elsewhere)
    with pytest.raises(StoreError, match="holds no filmscore tables"):
        open_project(tmp_path / "p")
    monkeypatch.delenv(store.DB_ENV)
    with pytest.raises(StoreError, match="holds no filmscore tables"):
        open_project(tmp_path / "p", db=elsewhere)


def test_open_refuses_a_newer_schema(tmp_path: Path) -> None:
    info = init_project(tmp_path / "p", title="Film", fps="24")
    with open_project(tmp_path / "p") as ctx:
        with ctx.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'zzzz'")
    with pytest.raises(StoreError, match="newer filmscore"):
        open_project(tmp_path / "p")
    assert info.project_id == 1
