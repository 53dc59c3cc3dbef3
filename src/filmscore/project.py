"""Project folders: create one (database, media store, settings) and open one.

A project folder holds::

    filmscore.toml     settings: the project id, and the database URL when not the default
    filmscore.db       the SQLite database (WAL journal), unless the database is elsewhere
    media/             the media store: source files by content hash

The database is ``--db`` when given, else env ``FILMSCORE_DB``, else the URL in
``filmscore.toml``, else ``filmscore.db`` (see :func:`filmscore.store.database_url`).
A PostgreSQL URL given at creation is written to ``filmscore.toml`` as given; put the
password in ``~/.pgpass`` or ``PGPASSWORD`` rather than in the URL, so that it is not
stored in the folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.engine import Engine

from filmscore import children, store
from filmscore.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    StoreError,
    TimecodeError,
)
from filmscore.limits import check_path, path_possible
from filmscore.model import Project
from filmscore.store import CONFIG_FILENAME, DB_FILENAME, MediaStore
from filmscore.timecode import GAUGES, Rate, get_rate

MEDIA_DIRNAME = "media"


@dataclass(frozen=True)
class ProjectInfo:
    """What :func:`init_project` made."""

    directory: Path
    project_id: int
    title: str
    rate: Rate
    db_url: str  # password hidden
    db_label: str  # short: "filmscore.db" or the URL without password


@dataclass
class ProjectContext:
    """An open project: its engine, media store, id and rate.  ``close()`` when done."""

    directory: Path
    engine: Engine
    media: MediaStore
    project_id: int
    title: str
    rate: Rate
    film_gauge: str
    db_url: str  # password hidden
    db_label: str
    sample_rate: int = 48000
    _closed: bool = field(default=False, repr=False)

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True

    def __enter__(self) -> ProjectContext:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def is_project(directory: str | os.PathLike[str]) -> bool:
    """Whether a folder holds a filmscore project (its ``filmscore.toml``).  A path no
    folder can have (a name longer than a filesystem takes) holds none."""
    if not path_possible(directory):
        return False
    try:
        return (Path(directory) / CONFIG_FILENAME).is_file()
    except OSError:  # the whole path too long (ENAMETOOLONG), a folder we may not read
        return False


def _default_url(directory: Path) -> str:
    return f"sqlite:///{directory.resolve() / DB_FILENAME}"


def _label(url: str, directory: Path) -> str:
    return DB_FILENAME if url == _default_url(directory) else store.safe_url(url)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _write_settings(directory: Path, project_id: int, title: str, url: str | None) -> None:
    lines = ["# filmscore project settings", "", "[project]", f"id = {project_id}",
             f"title = {_toml_string(title)}", ""]
    if url is not None:
        lines += ["[database]", f"url = {_toml_string(url)}", ""]
    fd, tmp = children.make_scratch_file(prefix=f".{CONFIG_FILENAME}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(lines))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, directory / CONFIG_FILENAME)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_project_id(directory: Path) -> int | None:
    import tomllib

    path = directory / CONFIG_FILENAME
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"{path}: cannot read project settings: {exc}") from exc
    value = settings.get("project", {}).get("id")
    return value if isinstance(value, int) else None


def init_project(directory: str | os.PathLike[str], *, title: str, fps: str | Rate,
                 db: str | None = None, gauge: str = "35mm4p") -> ProjectInfo:
    """Make a project folder with its database, media store and settings; all or nothing.

    Refuses a folder that already holds a project, and a non-empty folder (ConflictError).
    An unknown ``fps`` raises TimecodeError, before anything is made.
    """
    rate = get_rate(fps, field="fps")
    if not title.strip():
        raise InputError("a project needs a title (it heads every report, sheet and part)",
                         field="title", value=title, valid="the film's title")
    if gauge not in GAUGES:
        raise TimecodeError("unknown film gauge", field="gauge", value=gauge,
                            valid=", ".join(GAUGES))
    folder = Path(directory)
    check_path(folder, "no folder can have this name", field="directory")
    if is_project(folder):
        raise ConflictError(f"{folder} already holds a filmscore project; open it, or choose "
                            "another folder")
    existed = folder.exists()
    if existed and not folder.is_dir():
        raise ConflictError(f"{folder} is a file, not a folder; choose another name")
    if existed and any(folder.iterdir()):
        raise ConflictError(f"{folder} is not empty and holds no filmscore project; choose "
                            "a new or empty folder")
    url = db or os.environ.get(store.DB_ENV) or _default_url(folder)
    engine: Engine | None = None
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / MEDIA_DIRNAME).mkdir()
        except OSError as exc:
            raise InputError(f"cannot make the project folder: {exc.strerror or exc}",
                             source=str(folder), valid="a new or empty folder in a folder "
                             "you may write to") from None
        engine = store.open_engine(url)
        store.migrate(engine)
        with store.transaction(engine) as session:
            row = Project(title=title, rate_name=rate.name, film_gauge=gauge)
            session.add(row)
            session.flush()
            project_id = row.id
            stored_url = None if url == _default_url(folder) else url
            try:
                _write_settings(folder, project_id, title, stored_url)
            except OSError as exc:
                raise StoreError(f"cannot write {folder / CONFIG_FILENAME}: {exc}") from exc
    except BaseException:
        if engine is not None:
            engine.dispose()
        _undo(folder, existed)
        raise
    engine.dispose()
    return ProjectInfo(directory=folder, project_id=project_id, title=title, rate=rate,
                       db_url=store.safe_url(url), db_label=_label(url, folder))


def _undo(folder: Path, existed: bool) -> None:
    """Remove what init_project made (a PostgreSQL database keeps its migrated tables)."""
    if not existed:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for name in (CONFIG_FILENAME, DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    shutil.rmtree(folder / MEDIA_DIRNAME, ignore_errors=True)


def open_project(directory: str | os.PathLike[str], db: str | None = None) -> ProjectContext:
    """Open a project folder; NotFoundError when it is not one.

    A database at an older schema is migrated to the current one (one transaction).
    """
    folder = Path(directory)
    try:
        here = path_possible(folder) and folder.is_dir()
    except OSError:  # the whole path longer than the system takes (ENAMETOOLONG)
        here = False
    if not here:
        raise NotFoundError(f"{folder}: no such folder; make a project with 'filmscore init'")
    if not is_project(folder):
        raise NotFoundError(f"{folder} is not a filmscore project (no {CONFIG_FILENAME}); "
                            "make one with 'filmscore init'")
    project_id = _read_project_id(folder)
    url = store.database_url(folder, db)
    engine = store.open_engine(url)
    try:
        _bring_up_to_date(engine, url)
        with store.transaction(engine) as session:
            query = select(Project).order_by(Project.id)
            if project_id is not None:
                query = query.where(Project.id == project_id)
            row = session.scalars(query.limit(1)).first()
            if row is None:
                raise NotFoundError(f"{folder}: project {project_id or ''} is not in the "
                                    f"database {store.safe_url(url)}".replace("  ", " "))
            return ProjectContext(
                directory=folder, engine=engine, media=MediaStore(folder / MEDIA_DIRNAME),
                project_id=row.id, title=row.title, rate=row.rate, film_gauge=row.film_gauge,
                sample_rate=row.sample_rate, db_url=store.safe_url(url),
                db_label=_label(url, folder))
    except BaseException:
        engine.dispose()
        raise


def _bring_up_to_date(engine: Engine, url: str) -> None:
    # A database at the current schema, every command's case, costs one plain query:
    # Alembic and the migration scripts are loaded only for an older, newer or unknown one.
    if store.stored_revision(engine) == store.schema_head():
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(store.alembic_config())
    current = store.current_revision(engine)
    if current is None:
        raise StoreError(f"the database {store.safe_url(url)} holds no filmscore tables")
    known = {r.revision for r in script.walk_revisions()}
    if current not in known:
        raise StoreError(f"the database {store.safe_url(url)} is at schema {current}, made by "
                         "a newer filmscore; upgrade filmscore")
    if current != script.get_current_head():
        store.migrate(engine)
