"""The store: URLs, engines, one transaction per command, conflicts, backup, media."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from filmscore import store
from filmscore.errors import ConflictError, NotFoundError, StoreError, ValidationError
from filmscore.model import Base, Cue, PictureVersion, Project, Reel, SyncPoint
from filmscore.store import MediaStore, transaction

# --- URLs and engines ------------------------------------------------------------------


def test_database_url_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(store.DB_ENV, raising=False)
    default = f"sqlite:///{tmp_path.resolve() / 'filmscore.db'}"
    assert store.database_url(tmp_path) == default
    (tmp_path / "filmscore.toml").write_text('[database]\nurl = "sqlite:////x/from-toml.db"\n')
    assert store.database_url(tmp_path) == "sqlite:////x/from-toml.db"
    monkeypatch.setenv(store.DB_ENV, "postgresql://me@db/film")
    assert store.database_url(tmp_path) == "postgresql://me@db/film"
    assert store.database_url(tmp_path, "sqlite:////given.db") == "sqlite:////given.db"


def test_postgresql_urls_use_psycopg3() -> None:
    for given in ("postgresql://u@h/d", "postgres://u@h/d", "postgresql+psycopg://u@h/d"):
        assert store.normalize_url(given).drivername == "postgresql+psycopg"
    assert store.normalize_url("sqlite:///x.db").drivername == "sqlite"


def test_a_database_filmscore_does_not_use_is_refused() -> None:
    """Another backend (it would end in a missing driver: an internal error before), and
    an SQLite URL with no file (the project kept in memory, lost when the command ends:
    `init --db sqlite:///` said "Made project")."""
    for given, needle in (("mysql://u:pw@h/d", "not a database filmscore uses"),
                          ("postgresql+asyncpg://u@h/d", "not a database filmscore uses"),
                          ("sqlite://", "names no file"), ("sqlite:///", "names no file"),
                          ("sqlite:///:memory:", "names no file")):
        with pytest.raises(StoreError, match=needle) as caught:
            store.normalize_url(given)
        assert "pw" not in str(caught.value) and "\n" not in str(caught.value)


def test_unreachable_database_names_url_without_password() -> None:
    with pytest.raises(StoreError) as caught:
        store.open_engine("postgresql://scorer:s3cret@127.0.0.1:1/film")
    message = str(caught.value)
    assert "scorer:***@127.0.0.1:1/film" in message
    assert "s3cret" not in message


def test_sqlite_in_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        store.open_engine(f"sqlite:///{tmp_path}/no/such/folder/x.db")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = store.open_engine(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        store.migrate(engine)
        with engine.connect() as conn:  # migrations switch foreign keys back on
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
    raw = sqlite3.connect(tmp_path / "f.db")  # WAL is a property of the file
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


# --- transactions ----------------------------------------------------------------------


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(sa.select(t)))
                for t in Base.metadata.sorted_tables}


def _seed(engine: Engine) -> int:
    with transaction(engine) as s:
        p = Project(title="Film", rate_name="24")
        cue = Cue(project=p, number="1M3", reel=1, seq=3, start_frame=10, end_frame=100)
        cue.sync_points = [SyncPoint(frame=50)]
        s.add(p)
        s.flush()
        return cue.id


class Boom(Exception):
    pass


def test_failed_command_leaves_database_as_it_was(db_engine: Engine) -> None:
    _seed(db_engine)
    before = _dump(db_engine)
    with pytest.raises(Boom):
        with transaction(db_engine) as s:
            p = s.scalars(sa.select(Project)).one()
            p.title = "Renamed"
            s.add(Cue(project=p, number="1M4", reel=1, seq=4, start_frame=200, end_frame=300))
            pv = PictureVersion(project=p, number=1, source_kind="edl", rate_name="24")
            pv.reels = [Reel(number=1, start_frame=0, duration_frames=10)]
            s.add(pv)
            s.flush()  # the rows are in the database, inside the transaction
            s.delete(s.scalars(sa.select(SyncPoint)).one())
            s.flush()
            raise Boom("midway")
    assert _dump(db_engine) == before


def test_database_error_midway_writes_nothing(db_engine: Engine) -> None:
    _seed(db_engine)
    before = _dump(db_engine)
    with pytest.raises(ConflictError):
        with transaction(db_engine) as s:
            p = s.scalars(sa.select(Project)).one()
            s.add(Cue(project=p, number="2M1", reel=2, seq=1, start_frame=200, end_frame=300))
            s.flush()
            s.add(Cue(project=p, number="1M3", reel=1, seq=3, start_frame=400, end_frame=500))
    assert _dump(db_engine) == before


def test_concurrent_edit_of_one_cue_is_a_conflict(db_engine: Engine) -> None:
    cue_id = _seed(db_engine)
    with pytest.raises(ConflictError) as caught:
        with transaction(db_engine) as mine:
            cue = mine.get(Cue, cue_id)
            assert cue is not None and cue.version == 1
            with transaction(db_engine) as theirs:
                their_cue = theirs.get(Cue, cue_id)
                their_cue.title = "Their title"
            cue.title = "My title"
    message = str(caught.value)
    assert "cue 1M3 was changed" in message and "reload and try again" in message
    with transaction(db_engine) as s:
        cue = s.get(Cue, cue_id)
        assert (cue.title, cue.version) == ("Their title", 2)


def test_edit_of_a_deleted_sync_point_is_a_conflict(db_engine: Engine) -> None:
    _seed(db_engine)
    with pytest.raises(ConflictError, match="sync point at frame .* was changed or deleted"):
        with transaction(db_engine) as mine:
            point = mine.scalars(sa.select(SyncPoint)).one()
            with transaction(db_engine) as theirs:
                theirs.delete(theirs.scalars(sa.select(SyncPoint)).one())
            point.frame = 60


def test_objects_readable_after_commit(db_engine: Engine) -> None:
    with transaction(db_engine) as s:
        p = Project(title="Film", rate_name="25")
        s.add(p)
    assert (p.title, p.rate.name) == ("Film", "25") and p.id is not None


# --- backup ----------------------------------------------------------------------------


def test_backup_sqlite(tmp_path: Path) -> None:
    engine = store.open_engine(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        store.migrate(engine)
        _seed(engine)
        dest = store.backup(engine, tmp_path / "backups" / "copy.db")
    finally:
        engine.dispose()
    raw = sqlite3.connect(dest)
    assert raw.execute("SELECT number FROM cues").fetchall() == [("1M3",)]
    raw.close()
    assert [p.name for p in dest.parent.iterdir()] == ["copy.db"]
    again = store.backup(f"sqlite:///{tmp_path / 'f.db'}", dest)  # by URL, replacing
    assert again == dest


def test_backup_refuses_postgresql(pg_database: str, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="pg_dump"):
        store.backup(pg_database, tmp_path / "x.db")


# --- media store -----------------------------------------------------------------------


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.not_looked("stores bytes under a video's suffix on purpose")
def test_media_put_bytes_and_read_back(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    data = b"picture" * 1000
    digest = media.put(data, ".MOV")
    assert digest == hashlib.sha256(data).hexdigest()
    path = media.path(digest)
    assert path == tmp_path / "media" / digest[:2] / f"{digest}.mov"
    assert media.has(digest)
    with media.open(digest) as fh:
        assert fh.read() == data


def test_media_same_content_twice_is_one_file(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    source = tmp_path / "reel1.edl"
    source.write_bytes(b"TITLE: reel 1\n")
    first = media.put(source)
    second = media.put(b"TITLE: reel 1\n", ".edl")
    third = media.put(source, ".txt")
    assert first == second == third
    assert _files(tmp_path / "media") == [media.path(first)]
    assert media.path(first).suffix == ".edl"


def test_media_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    digest = media.put(b"original", ".wav")
    path = media.path(digest)
    before = path.stat()
    media.put(b"original", ".wav")
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_media_failed_write_leaves_no_temporary_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    media = MediaStore(tmp_path / "media")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(StoreError, match="No space left"):
        media.put(b"big picture", ".mov")
    monkeypatch.undo()
    assert _files(tmp_path / "media") == []
    assert not media.has(hashlib.sha256(b"big picture").hexdigest())


def test_media_no_temporary_names_left(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    for i in range(20):
        media.put(f"clip {i % 5}".encode(), ".wav")
    names = [p.name for p in _files(tmp_path / "media")]
    assert len(names) == 5
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]


def test_media_missing_and_malformed(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    with pytest.raises(NotFoundError, match="not in the media store"):
        media.path("0" * 64)
    assert not media.has("0" * 64)
    with pytest.raises(ValidationError, match="not a media hash"):
        media.path("../../etc/passwd")
    with pytest.raises(ValidationError, match="suffix"):
        media.put(b"x", "../evil")
    with pytest.raises(NotFoundError, match="no such file"):
        media.put(tmp_path / "missing.mov")


def test_the_media_journal_is_kept_per_thread(tmp_path):
    """Two threads adding media at once (two web requests): each block keeps its own
    journal, and a failed block removes only what it stored itself."""
    import threading

    media = store.MediaStore(tmp_path / "media")
    barrier = threading.Barrier(2)
    kept: dict[str, str] = {}

    def work(name: str, fail: bool) -> None:
        try:
            with media.adding():
                digest = media.put(name.encode() * 100, ".txt")
                barrier.wait()
                kept[name] = digest
                if fail:
                    raise RuntimeError("refused")
        except RuntimeError:
            pass

    threads = [threading.Thread(target=work, args=("kept", False)),
               threading.Thread(target=work, args=("gone", True))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert media.has(kept["kept"]) and not media.has(kept["gone"])


def test_a_text_longer_than_its_column_is_refused_naming_it(tmp_path: Path) -> None:
    """Every String(n) column of every record is checked before a flush, so SQLite refuses
    what PostgreSQL would, in filmscore's words, and nothing is written."""
    engine = store.open_engine(f"sqlite:///{tmp_path / 'f.db'}")
    try:
        store.migrate(engine)
        with transaction(engine) as session:
            session.add(Project(title="Film", rate_name="24"))
        with pytest.raises(ValidationError, match=r"field title: .*the title is 201 "
                           r"characters long .*valid: at most 200 characters"):
            with transaction(engine) as session:
                session.scalars(sa.select(Project)).one().title = "x" * 201
        with transaction(engine) as session:
            assert session.scalars(sa.select(Project.title)).all() == ["Film"]
    finally:
        engine.dispose()
