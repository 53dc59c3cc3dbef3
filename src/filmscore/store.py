"""Database engine, one transaction per command, migrations and backup; the media store.

A project's database is SQLite (``<project>/filmscore.db``, WAL journal) or PostgreSQL
(``postgresql://...``, driven by psycopg 3).  Every command runs in one
:func:`transaction`: it commits once at the end or writes nothing.  Database errors leave
this module as filmscore errors: a stale version or a taken name is a ConflictError, a
broken CHECK rule a ValidationError, anything else a StoreError naming the database
(without its password).

Media (picture files, audio) live in a content-addressed :class:`MediaStore`: a file is
named by the SHA-256 of its bytes, written to a temporary name, fsync'd, then linked into
place; a stored file is never overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import String, create_engine, event, inspect, select
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from filmscore import children
from filmscore.errors import ConflictError, NotFoundError, StoreError, ValidationError

#: file name of a project's SQLite database, inside the project folder
DB_FILENAME = "filmscore.db"
#: file name of a project's settings, inside the project folder
CONFIG_FILENAME = "filmscore.toml"
#: environment variable naming the database when ``--db`` is not given
DB_ENV = "FILMSCORE_DB"
#: milliseconds a SQLite writer waits for another writer before giving up
SQLITE_BUSY_TIMEOUT_MS = 10_000

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# --- engine ----------------------------------------------------------------------------


def database_url(project_dir: str | os.PathLike[str], db: str | None = None) -> str:
    """The database URL of a project: ``db`` if given, then env ``FILMSCORE_DB``, then
    the ``db`` key of ``<project>/filmscore.toml``, else ``sqlite:///<project>/filmscore.db``.
    """
    if db:
        return db
    env = os.environ.get(DB_ENV)
    if env:
        return env
    config = Path(project_dir) / CONFIG_FILENAME
    if config.is_file():
        try:
            settings = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StoreError(f"{config}: cannot read project settings: {exc}") from exc
        url = settings.get("database", {}).get("url")
        if url:
            return str(url)
    return f"sqlite:///{Path(project_dir).resolve() / DB_FILENAME}"


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL; ``postgresql://`` and ``postgres://`` use psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {_safe_text(str(url))!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "postgresql+psycopg"):
        raise StoreError(f"not a database filmscore uses: {safe_url(parsed)}; valid: "
                         "sqlite:///<path of a file>, postgresql://user@host/name")
    if parsed.drivername == "sqlite" and parsed.database in (None, "", ":memory:"):
        # an in-memory database is gone when the command ends: the project with it
        raise StoreError(f"{safe_url(parsed)} names no file (SQLite would keep the project "
                         "in memory and lose it); valid: sqlite:///<path of a file>")
    return parsed


def safe_url(url: str | URL | Engine) -> str:
    """A URL fit for a message: the password hidden."""
    if isinstance(url, Engine):
        url = url.url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _safe_text(str(url))


def _safe_text(text: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text)


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def open_engine(url: str | URL) -> Engine:
    """An engine for ``url``, checked by connecting once.

    SQLite gets the WAL journal, foreign keys and a busy timeout on every connection;
    ``postgresql://`` URLs are driven by psycopg 3.  A database that cannot be reached
    raises StoreError naming the URL (password hidden).
    """
    parsed = normalize_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed)
            event.listen(engine, "connect", _sqlite_on_connect)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot use database {safe_url(parsed)}: {exc}") from exc
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open database {safe_url(parsed)}: {_first_line(exc.orig)}") from exc
    return engine


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return _safe_text(text.splitlines()[0]) if text else type(exc).__name__


# --- migrations ------------------------------------------------------------------------


def alembic_config(connection: Any = None) -> Any:
    """An Alembic Config for the migrations inside the package (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (all migrations: ``head``), in one transaction.

    On SQLite, foreign keys are switched off while the migration runs (batch migrations
    drop and re-create tables, which would otherwise cascade deletes) and checked after.
    """
    _run_alembic(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the database to ``revision`` (``base``: no tables at all)."""
    _run_alembic(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: a migration's file name: its revision (four digits), an underscore, what it does
_MIGRATION_FILE = re.compile(r"(\d{4})_\w+\.py")


def schema_head() -> str:
    """The revision of the newest migration, read from the file names (``0011_conform.py``
    is revision ``0011``): a folder listing, where Alembic would import itself (about
    0.3 s of CPU) and every migration script.  tests/store holds it equal to Alembic's
    head, and every script's revision equal to its file name's."""
    revisions = [m.group(1) for p in (MIGRATIONS_DIR / "versions").iterdir()
                 if (m := _MIGRATION_FILE.fullmatch(p.name))]
    return max(revisions)


def stored_revision(engine: Engine) -> str | None:
    """The revision in the database's ``alembic_version`` table by one plain query, or
    None when there is no such table or not exactly one row in it (Alembic then decides,
    see :func:`current_revision`)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:  # no table yet (or no access): the slow path says what is wrong
        return None
    return rows[0][0] if len(rows) == 1 else None


def _run_alembic(engine: Engine, action: str, revision: str) -> None:
    from alembic import command
    from alembic.util.exc import CommandError

    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
                conn.commit()
                # an explicit BEGIN makes SQLite's DDL part of the one transaction too
                conn.exec_driver_sql("BEGIN")
            try:
                getattr(command, action)(alembic_config(conn), revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            f"{action} to {revision} of {safe_url(engine)} would break "
                            f"{len(broken)} foreign key(s), first in table {broken[0][0]}")
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                if sqlite:
                    conn.exec_driver_sql("PRAGMA foreign_keys = ON")
    except CommandError as exc:
        raise StoreError(f"cannot {action} {safe_url(engine)} to {revision}: {exc}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot {action} {safe_url(engine)} to {revision}: "
            f"{_first_line(getattr(exc, 'orig', None) or exc)}") from exc


# --- transactions ----------------------------------------------------------------------


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A Session for one command: commits once at the end, or on any exception rolls
    everything back and re-raises (database errors as filmscore errors).

    Objects stay readable after the block (``expire_on_commit=False``).
    """
    session = Session(engine, expire_on_commit=False)
    event.listen(session, "before_flush", _remember_flushed)
    try:
        yield session
        session.commit()
    except BaseException as exc:
        error = _translate(exc, session, engine) if isinstance(exc, Exception) else None
        with contextlib.suppress(SQLAlchemyError):
            session.rollback()
        if error is not None:
            raise error from exc
        raise
    finally:
        session.close()


def locked(session: Session, statement: Any) -> list[Any]:
    """The rows ``statement`` selects, read under the write lock held to the end of the
    transaction, so that an edit's check (the values it read) and its write are one step
    and two edits of one record queue instead of failing on each other's version.

    Call it first in a transaction.  PostgreSQL: ``SELECT ... FOR UPDATE`` (the rows are
    read as committed once the lock is had).  SQLite locks the whole database for writing
    with ``BEGIN IMMEDIATE``, waiting up to the busy timeout; pysqlite issues no BEGIN
    before a SELECT, so the explicit one is the transaction the session commits."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    return list(session.scalars(statement.with_for_update()).all())


def refuse_stale(what: str, stale: dict[str, tuple[Any, Any, Any]],
                 show: Any = None) -> None:
    """ConflictError when a field an edit changes was changed by someone else since it
    was read: ``stale`` maps a field to (the value read, the value now, the value wanted).
    Nothing happens for an empty ``stale``.  ``show`` formats a value (a frame as a
    timecode)."""
    if not stale:
        return
    show = show or (lambda _field, value: repr(value) if isinstance(value, str) else str(value))
    parts = [f"{field} was {show(field, read)} when you read it, is {show(field, now)} now, "
             f"you wanted {show(field, wanted)}"
             for field, (read, now, wanted) in stale.items()]
    raise ConflictError(f"{what} was changed by someone else since you read it: "
                        + "; ".join(parts) + "; nothing was saved: reload and make your "
                        "change again")


@dataclass(frozen=True)
class _Pending:
    """What a flush was about to write, noted before it ran: a failed flush expires
    every object, so the names needed for an error message are kept here."""

    table: str | None
    cls: type
    label: str
    versioned: bool
    values: dict[str, Any]


def _remember_flushed(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        _check_lengths(obj)
    session.info["flushing"] = [
        _Pending(getattr(obj, "__tablename__", None), type(obj), _label(obj),
                 inspect(obj).mapper.version_id_col is not None, dict(inspect(obj).dict))
        for obj in (*session.new, *session.dirty, *session.deleted)
    ]


_LENGTHS: dict[type, tuple[tuple[str, int], ...]] = {}


def _check_lengths(obj: Any) -> None:
    """ValidationError when a text is longer than its column (``String(200)``): PostgreSQL
    refuses it with its own words, SQLite stores it whole; both say this instead, before
    the database sees it, naming the record and the field."""
    kind = type(obj)
    if kind not in _LENGTHS:
        _LENGTHS[kind] = tuple(
            (attr.key, attr.columns[0].type.length)
            for attr in inspect(kind).column_attrs
            if isinstance(attr.columns[0].type, String) and attr.columns[0].type.length)
    state = obj.__dict__  # the loaded attributes (what inspect(obj).dict is, cheaper)
    for key, length in _LENGTHS[kind]:
        value = state.get(key)
        if isinstance(value, str) and len(value) > length:
            label = _label(obj)
            label = label if len(label) <= 60 else label[:57] + "..."
            raise ValidationError(f"{label}: the {key.replace('_', ' ')} is "
                                  f"{len(value):,} characters long", field=key, value=value,
                                  valid=f"at most {length:,} characters")


def _label(obj: Any) -> str:
    try:
        return str(obj.label)
    except Exception:  # noqa: BLE001 - a message must not fail
        return f"a record in {getattr(obj, '__tablename__', 'the database')}"


def _translate(exc: Exception, session: Session, engine: Engine) -> Exception | None:
    """The filmscore error for a database exception, or None to re-raise it unchanged."""
    candidates: list[_Pending] = session.info.get("flushing", [])
    if isinstance(exc, StaleDataError):
        match = re.search(r"table '(\w+)'", str(exc))
        table = match.group(1) if match else None
        stale = [p for p in candidates if p.table == table and p.versioned]
        if len(stale) == 1:
            what = stale[0].label
        elif stale:
            what = "one of " + ", ".join(p.label for p in stale[:5])
        else:
            what = f"a record in {table or 'the database'}"
        return ConflictError(f"{what} was changed or deleted by someone else since you "
                             "read it; reload and try again")
    if isinstance(exc, IntegrityError):
        return _integrity_error(exc, candidates, engine)
    if isinstance(exc, OperationalError):
        return StoreError(f"database {safe_url(engine)}: {_first_line(exc.orig)}")
    if isinstance(exc, SQLAlchemyError):
        detail = _first_line(getattr(exc, "orig", None) or exc)
        return StoreError(f"database {safe_url(engine)}: {detail}")
    return None


def _integrity_error(exc: IntegrityError, candidates: list[_Pending],
                     engine: Engine) -> Exception:
    orig = exc.orig
    text = str(orig)
    diag = getattr(orig, "diag", None)
    sqlstate = getattr(orig, "sqlstate", None)
    unique = sqlstate == "23505" or text.startswith("UNIQUE constraint failed")
    check = sqlstate == "23514" or text.startswith("CHECK constraint failed")
    if check:
        name = getattr(diag, "constraint_name", None) or text.split(":", 1)[-1].strip()
        return _check_error(name, candidates)
    if not unique:
        return StoreError(f"database {safe_url(engine)}: {_first_line(orig)}")
    table, columns = _unique_columns(text, diag, engine)
    duplicate = _find_duplicate(table, columns, candidates, engine)
    if duplicate is not None:
        return ConflictError(f"{duplicate.label} already exists; choose another "
                             f"{columns[-1] if columns else 'name'}")
    detail = getattr(diag, "message_detail", None) or text
    return ConflictError(f"{table or 'record'} already exists: {_first_line(detail)}")


def _check_error(name: str, candidates: list[_Pending]) -> ValidationError:
    """A check constraint's refusal in words: the record and the rule, not the schema's
    name for it (``ck_markers_end_after_frame`` reads "marker at frame 10: end after
    frame").  Adapters check their values before the database; this is the last net."""
    tables = sorted({p.table for p in candidates if p.table}, key=len, reverse=True)
    table = next((t for t in tables if name.startswith(f"ck_{t}_")), None)
    rule = name.removeprefix(f"ck_{table}_" if table else "ck_").replace("_", " ")
    mine = [p for p in candidates if p.table == table] if table else []
    what = mine[0].label if len(mine) == 1 else f"a record in {table or 'the database'}"
    return ValidationError(f"{what} breaks the rule: {rule}", field=table)


def _unique_columns(text: str, diag: Any, engine: Engine) -> tuple[str | None, list[str]]:
    if text.startswith("UNIQUE constraint failed:"):
        pairs = [p.strip().split(".", 1) for p in text.split(":", 1)[1].split(",")]
        return pairs[0][0], [p[-1] for p in pairs]
    table = getattr(diag, "table_name", None)
    name = getattr(diag, "constraint_name", None)
    if table and name:
        for uc in inspect(engine).get_unique_constraints(table):
            if uc["name"] == name:
                return table, list(uc["column_names"])
        match = re.search(r"Key \(([^)]*)\)", getattr(diag, "message_detail", "") or "")
        if match:
            return table, [c.strip() for c in match.group(1).split(",")]
    return table, []


def _find_duplicate(table: str | None, columns: list[str], candidates: list[_Pending],
                    engine: Engine) -> _Pending | None:
    """The record of this flush whose values a unique constraint refused, if findable."""
    mine = [p for p in candidates if p.table == table]
    if not mine or not columns:
        return None
    if len(mine) == 1:
        return mine[0]
    keys = [tuple(p.values.get(c) for c in columns) for p in mine]
    seen: set[tuple[Any, ...]] = set()
    for pending, key in zip(mine, keys, strict=True):
        if key in seen:
            return pending
        seen.add(key)
    try:
        with Session(engine) as probe:
            for pending, key in zip(mine, keys, strict=True):
                where = [getattr(pending.cls, c) == v for c, v in zip(columns, key, strict=True)]
                if probe.scalar(select(pending.cls.id).where(*where).limit(1)) is not None:
                    return pending
    except (SQLAlchemyError, AttributeError):
        return None
    return None


# --- backup ----------------------------------------------------------------------------


def backup(source: Engine | str | URL, dest: str | os.PathLike[str]) -> Path:
    """Copy a SQLite database, consistently while in use, to the file ``dest``.

    Written to a temporary name and renamed, so ``dest`` is never half a database.
    PostgreSQL databases are backed up with ``pg_dump``, not here.
    """
    engine = source if isinstance(source, Engine) else open_engine(source)
    try:
        if engine.dialect.name != "sqlite":
            raise StoreError(f"backup copies SQLite databases only; for {safe_url(engine)} "
                             "use pg_dump")
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = children.make_scratch_file(prefix=f".{dest.name}.", suffix=".tmp",
                                             dir=dest.parent)
        os.close(fd)
        try:
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                target = sqlite3.connect(tmp)
                try:
                    raw.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            _fsync_file(tmp)
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise StoreError(f"cannot back up {safe_url(engine)} to {dest}: {exc}") from exc
    finally:
        if engine is not source:
            engine.dispose()
    return dest


# --- media store -----------------------------------------------------------------------

_HASH = re.compile(r"^[0-9a-f]{64}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,16}$")
_CHUNK = 1 << 20


def _fsync_file(path: str | os.PathLike[str]) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: str | os.PathLike[str]) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class MediaStore:
    """Files stored by the SHA-256 of their content: ``<root>/ab/abcdef....ext``.

    ``put`` writes to a temporary name in the target folder, fsyncs and links it into
    place; content already stored is left exactly as it is (never overwritten).
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        # what ``adding`` has stored so far, per thread: the web app serves requests on
        # many threads over one store (found by the load test: one journal was shared)
        self._local = threading.local()

    @property
    def _journal(self) -> list[str] | None:
        return getattr(self._local, "journal", None)

    @_journal.setter
    def _journal(self, value: list[str] | None) -> None:
        self._local.journal = value

    @contextlib.contextmanager
    def adding(self):
        """Files first stored inside this block are removed again if the block fails.

        Wrap a media put and the database transaction that refers to it, so that a
        failed import leaves the media store as it was too.  Content that was already
        stored before the block is never touched.
        """
        outer, self._journal = self._journal, []
        try:
            yield self
        except BaseException:
            for digest in self._journal:
                found = self._find(digest)
                if found is not None:
                    found.unlink(missing_ok=True)
                self._drop_empty_folder(digest)
            raise
        finally:
            added, self._journal = self._journal, outer
            if outer is not None:
                outer.extend(added)

    def __repr__(self) -> str:
        return f"MediaStore({str(self.root)!r})"

    def _drop_empty_folder(self, digest: str) -> None:
        """Remove ``digest``'s folder when nothing is left in it: a refused import said
        nothing was written, so no empty ``media/<xx>/`` may stay behind either.  A
        folder another writer has just put a file in is not empty and stays."""
        with contextlib.suppress(OSError):
            self._folder(digest).rmdir()

    # where
    def _folder(self, digest: str) -> Path:
        return self.root / digest[:2]

    @staticmethod
    def _check_hash(digest: str) -> str:
        if not isinstance(digest, str) or not _HASH.match(digest):
            raise ValidationError("not a media hash", field="hash", value=digest,
                                  valid="64 lowercase hexadecimal digits (SHA-256)")
        return digest

    def _find(self, digest: str) -> Path | None:
        folder = self._folder(self._check_hash(digest))
        plain = folder / digest
        if plain.is_file():
            return plain
        for found in sorted(folder.glob(f"{digest}.*")):
            if found.is_file() and _SUFFIX.match(found.suffix):
                return found
        return None

    def has(self, digest: str) -> bool:
        """Whether content with this hash is stored."""
        return self._find(digest) is not None

    def path(self, digest: str) -> Path:
        """The stored file of a hash; NotFoundError when it is not stored."""
        found = self._find(digest)
        if found is None:
            raise NotFoundError(f"media {digest} is not in the media store {self.root}")
        return found

    def open(self, digest: str) -> IO[bytes]:
        """The stored file, open for reading bytes (use as a context manager)."""
        return self.path(digest).open("rb")

    # write
    def put(self, data: bytes | str | os.PathLike[str], suffix: str | None = None) -> str:
        """Store bytes or a file's content; return its SHA-256 hex digest.

        ``suffix`` (e.g. ``".mov"``) defaults to the file's own suffix.  Content already
        stored keeps its file (and suffix) untouched.
        """
        source: Path | None = None
        if isinstance(data, bytes | bytearray | memoryview):
            digest = hashlib.sha256(data).hexdigest()
        else:
            source = Path(data)
            if suffix is None:
                suffix = source.suffix
            digest = self._hash_file(source)
        suffix = self._check_suffix(suffix or "")
        if self.has(digest):
            return digest
        folder = self._folder(digest)
        final = folder / f"{digest}{suffix}"
        made_folder = not folder.exists()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = children.make_scratch_file(prefix=f".{digest[:16]}.", suffix=".tmp",
                                                 dir=folder)
        except OSError as exc:
            raise StoreError(f"cannot write to the media store {self.root}: {exc}") from exc
        try:
            with os.fdopen(fd, "wb") as out:
                if source is None:
                    out.write(data)  # type: ignore[arg-type]
                else:
                    copied = hashlib.sha256()
                    with source.open("rb") as src:
                        while chunk := src.read(_CHUNK):
                            copied.update(chunk)
                            out.write(chunk)
                    if copied.hexdigest() != digest:
                        raise StoreError(f"{source} changed while it was being stored; "
                                         "try again")
                out.flush()
                os.fsync(out.fileno())
            if self._place(Path(tmp), final) and self._journal is not None:
                self._journal.append(digest)
            _fsync_dir(folder)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            if made_folder:
                self._drop_empty_folder(digest)
            if isinstance(exc, OSError):
                raise StoreError(f"cannot store {source or 'data'} in the media store "
                                 f"{self.root}: {exc}") from exc
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return digest

    def _place(self, tmp: Path, final: Path) -> bool:
        """Link the finished temporary file to its name; an existing file wins.

        True when this call created the file.
        """
        try:
            os.link(tmp, final)
        except FileExistsError:
            return False
        except OSError:
            # file systems without hard links: rename, unless someone got there first
            if final.exists():
                return False
            os.replace(tmp, final)
        return True

    @staticmethod
    def _check_suffix(suffix: str) -> str:
        if not suffix:
            return ""
        suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
        if not _SUFFIX.match(suffix):
            raise ValidationError("not a usable file suffix", field="suffix", value=suffix,
                                  valid="a dot and 1-16 letters or digits, e.g. .mov")
        return suffix

    @staticmethod
    def _hash_file(source: Path) -> str:
        digest = hashlib.sha256()
        try:
            with source.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError as exc:
            raise NotFoundError(f"{source}: no such file") from exc
        except OSError as exc:
            raise StoreError(f"cannot read {source}: {exc}") from exc
        return digest.hexdigest()
