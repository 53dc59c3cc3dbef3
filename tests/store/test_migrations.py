"""Migrations: empty to head, head equals the model, each revision from its predecessor."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from filmscore import store
from filmscore.errors import StoreError
from filmscore.model import Base, utcnow


def _revisions() -> list[Any]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(store.alembic_config())
    return list(reversed(list(script.walk_revisions())))


def _tables(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _sample_value(column: dict[str, Any], position: int) -> Any:
    kind = column["type"]
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer) and column["name"] == "rating":
        return 1  # a rating on its scale (album candidates: 0 to 5)
    if isinstance(kind, sa.Integer):
        return position + 1  # later columns larger: end after start, out after in
    if isinstance(kind, sa.Float | sa.Numeric):
        return 1.0
    if isinstance(kind, sa.DateTime):
        return utcnow()
    return f"x{position}"


def _insert_sample_rows(engine: Engine) -> dict[str, int]:
    """Put one row in every table that takes a generic one (parents first); row counts."""
    inspector = sa.inspect(engine)
    meta = sa.MetaData()
    meta.reflect(engine)
    counts: dict[str, int] = {}
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        columns = inspector.get_columns(table.name)
        row: dict[str, Any] = {}
        for position, column in enumerate(columns):
            if column.get("nullable") and column["name"] != "id":
                continue
            row[column["name"]] = _sample_value(column, position)
        for fk in inspector.get_foreign_keys(table.name):
            for name in fk["constrained_columns"]:
                row[name] = 1  # the parent's sample row
        row["id"] = 1
        try:
            with engine.begin() as conn:
                conn.execute(table.insert().values(**row))
        except sa.exc.DBAPIError:
            continue  # not possible generically; a revision's own test covers it
        counts[table.name] = 1
    return counts


def _counts(engine: Engine, tables: set[str]) -> dict[str, int]:
    meta = sa.MetaData()
    meta.reflect(engine, only=sorted(tables))
    with engine.connect() as conn:
        return {name: conn.scalar(sa.select(sa.func.count()).select_from(meta.tables[name]))
                for name in tables}


def test_there_is_a_linear_history() -> None:
    revisions = _revisions()
    assert revisions, "no migrations found inside the package"
    assert revisions[0].down_revision is None
    for older, newer in zip(revisions, revisions[1:], strict=False):
        assert newer.down_revision == older.revision
    script = ScriptDirectory.from_config(store.alembic_config())
    assert script.get_heads() == [revisions[-1].revision]


def test_upgrade_empty_to_head(db_url: str) -> None:
    engine = store.open_engine(db_url)
    try:
        assert store.current_revision(engine) is None
        store.migrate(engine)
        assert store.current_revision(engine) == _revisions()[-1].revision
        assert _tables(engine) == set(Base.metadata.tables)
        store.migrate(engine)  # a second time does nothing
        assert store.current_revision(engine) == _revisions()[-1].revision
    finally:
        engine.dispose()


def test_migrated_schema_equals_the_model(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []


@pytest.mark.parametrize("revision", [r.revision for r in _revisions()])
def test_upgrade_from_the_previous_revision(db_url: str, revision: str) -> None:
    script = ScriptDirectory.from_config(store.alembic_config())
    previous = script.get_revision(revision).down_revision
    engine = store.open_engine(db_url)
    try:
        if previous is not None:
            store.migrate(engine, previous)
        assert store.current_revision(engine) == previous
        inserted = _insert_sample_rows(engine)
        store.migrate(engine, revision)
        assert store.current_revision(engine) == revision
        kept = {t: n for t, n in inserted.items() if t in _tables(engine)}
        assert _counts(engine, set(kept)) == kept, "rows were lost by the migration"
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(db_engine: Engine) -> None:
    store.downgrade(db_engine, "base")
    assert store.current_revision(db_engine) is None
    assert _tables(db_engine) == set()
    store.migrate(db_engine)
    assert _tables(db_engine) == set(Base.metadata.tables)


def test_head_takes_the_sample_rows(db_engine: Engine) -> None:
    """The generic sample rows fit the current schema (so the upgrade test has data)."""
    inserted = _insert_sample_rows(db_engine)
    assert set(inserted) == set(Base.metadata.tables)


def test_unknown_revision_is_a_store_error(db_url: str) -> None:
    engine = store.open_engine(db_url)
    try:
        with pytest.raises(StoreError, match="nosuchrevision"):
            store.migrate(engine, "nosuchrevision")
    finally:
        engine.dispose()
