"""The cheap schema check on opening a project: the head read from the migrations' file
names, the revision read by one plain query, and Alembic still doing the rest."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from filmscore import store
from filmscore.project import init_project, open_project


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(store.alembic_config())


def test_the_head_from_the_file_names_is_alembics_head() -> None:
    assert store.schema_head() == _script().get_current_head()


def test_every_migration_is_named_by_its_revision() -> None:
    scripts = list(_script().walk_revisions())
    assert scripts
    for script in scripts:
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
        assert len(script.revision) == 4 and script.revision.isdigit(), script.revision


def test_stored_revision(db_url: str) -> None:
    engine = store.open_engine(db_url)
    try:
        assert store.stored_revision(engine) is None  # no alembic_version table yet
        store.migrate(engine)
        assert store.stored_revision(engine) == store.schema_head()
        assert store.stored_revision(engine) == store.current_revision(engine)
    finally:
        engine.dispose()


def test_opening_an_older_schema_still_migrates_it(tmp_path: Path, db_url: str) -> None:
    init_project(tmp_path / "p", title="Old", fps="24", db=db_url)
    previous = _script().get_revision(store.schema_head()).down_revision
    engine = store.open_engine(db_url)
    try:
        store.downgrade(engine, previous)
        assert store.stored_revision(engine) == previous
    finally:
        engine.dispose()
    with open_project(tmp_path / "p", db=db_url) as pctx:
        assert store.current_revision(pctx.engine) == store.schema_head()
        assert pctx.title == "Old"
