"""Background jobs: long work (mockups, parts, scores, streamers, comps, mixes) as one job per
cue (a delivery: one job for the whole film; an album's sequence: one per medium), run by
a local process pool on SQLite and by a procrastinate queue on PostgreSQL.

One layer for the CLI and the web app:

- :func:`submit` records a batch of jobs (one row per cue in the ``jobs`` table, with its
  state and progress) and, on PostgreSQL, puts them in the queue (``jobs_queue``), where
  any ``filmscore worker`` on any machine that sees the project folder takes them.
- :func:`start` is :func:`submit` for the web page: on SQLite the batch then runs in a
  local process pool on a background thread of the server.
- :func:`run` is :func:`submit` and wait, for the CLI: on SQLite the local process pool
  runs it in the foreground; on PostgreSQL ``workers`` worker processes started for the
  batch serve its own queue beside any running ``filmscore worker``; either way the
  command returns each cue's result, in order, and raises the first job's error.
- :func:`batch_status`, :func:`recent_jobs`: the rows, for ``filmscore jobs`` and the page.

A job runs one *kind* (:data:`KINDS`, data: the name, the action a web user needs, the
cues it applies to and the library function doing one cue) and returns that function's
own result (a dataclass of paths and numbers, kept as JSON in the row).  Every kind writes
its files to a temporary name and renames them, so a job killed mid-render leaves no
half-written file in place and can simply be run again.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from filmscore import errors
from filmscore.errors import FilmscoreError, InputError, NotFoundError
from filmscore.limits import is_digits
from filmscore.model import Job, utcnow
from filmscore.parallel import process_pool
from filmscore.store import transaction

#: seconds between two progress writes of one running job
PROGRESS_EVERY_SECONDS = 0.5


# --- kinds of work ------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """A kind of long work: ``run(pctx, cue, options, report)`` does one cue and returns
    its result; ``cues(pctx)`` lists the cues "all" means; ``action`` is what a web user
    must be allowed (``filmscore.accounts``)."""

    name: str
    title: str
    action: str
    run: Callable[..., Any]
    cues: Callable[[Any], list[str]]


def _mockup(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.writing.service import render_cue_mockups

    ((_, result),) = render_cue_mockups(pctx, cue, **options)
    return result


def _copy(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.orchestration.service import copy_cue

    options = dict(options)
    out = Path(options.pop("out"))
    return copy_cue(pctx, cue, out, workers=1, **options)


def _streamers(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.sync.service import render_streamers

    opts = {k: Fraction(v) if k in ("streamer_seconds", "handles_seconds") else v
            for k, v in options.items()}
    return render_streamers(pctx, cue, progress=report, **opts)


def _comp(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.mixing.comps import render_comp

    spec = render_comp(pctx, cue, options.get("number"), convert=bool(options.get("convert")),
                       silence_missing=bool(options.get("silence_missing")), report=report)
    return dataclasses.replace(spec, created_at=None)  # a datetime is no JSON value


def _comped(pctx) -> list[str]:
    from filmscore.mixing.comps import comps

    return list(dict.fromkeys(c.cue for c in comps(pctx)))


def _mix(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.mixing.mixes import mix_cue

    opts = dict(options)
    if "ceiling_dbtp" in opts:
        opts["ceiling_dbtp"] = float(opts["ceiling_dbtp"])
    spec = mix_cue(pctx, cue, **opts)
    return dataclasses.replace(spec, created_at=None)  # a datetime is no JSON value


#: the one "cue" of a delivery job: the delivery is one folder for the whole film
FILM = "film"


def _deliver(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.mixing.deliver import deliver

    opts = dict(options)
    out = opts.pop("out", None)
    return deliver(pctx, Path(out) if out else None, progress=report, **opts)


def _film(pctx) -> list[str]:
    return [FILM]


def album_target(album: int, medium: str) -> str:
    """The "cue" of an album job: one album's one medium, ``"album 1 cd"``."""
    return f"album {int(album)} {medium}"


def album_of_target(target: str) -> tuple[int, str]:
    """``"album 1 cd"`` -> ``(1, "cd")``."""
    parts = str(target).split()
    if len(parts) != 3 or parts[0] != "album" or not is_digits(parts[1]):
        raise InputError("not an album job", field="cue", value=target,
                         valid="album NUMBER MEDIUM, e.g. album 1 cd")
    return int(parts[1]), parts[2]


def _album_propose(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.album.service import propose

    album, medium = album_of_target(cue)
    return propose(pctx, album, medium, order=options.get("order", "film"))


def _album_media(pctx) -> list[str]:
    from filmscore.album.vocabulary import MEDIUM_NAMES
    from filmscore.model import Album

    with transaction(pctx.engine) as session:
        numbers = session.scalars(select(Album.number).where(
            Album.project_id == pctx.project_id).order_by(Album.number)).all()
    return [album_target(n, m) for n in numbers for m in MEDIUM_NAMES]


def _conform_fix(pctx, cue: str, options: dict, report) -> Any:
    from filmscore.conform.fixing import fix

    # the page counts the proposals from 0 (the index stored as ConformFlag.chosen);
    # fixing.fix from 1, as the CLI lists them
    return fix(pctx, int(options["change_list"]), cue, int(options["choice"]) + 1,
               author=str(options.get("author", "")))


def _flagged(pctx) -> list[str]:
    """The cues a change list flagged that are still to fix (what a fix applies to)."""
    from filmscore.model import ChangeList, ConformFlag, Cue

    with transaction(pctx.engine) as session:
        return list(dict.fromkeys(session.scalars(
            select(Cue.number).join(ConformFlag, ConformFlag.cue_id == Cue.id)
            .join(ChangeList, ConformFlag.change_list_id == ChangeList.id)
            .where(ChangeList.project_id == pctx.project_id, ConformFlag.status == "open")
            .order_by(Cue.start_frame, Cue.number))))


def _music_cues(pctx) -> list[str]:
    from filmscore.writing.service import cues_with_music

    return cues_with_music(pctx)


def _orchestrated(pctx) -> list[str]:
    from filmscore.orchestration.service import orchestrated_cues

    return orchestrated_cues(pctx)


def _mapped(pctx) -> list[str]:
    from filmscore.sync.service import cues_with_maps

    return cues_with_maps(pctx)


#: every kind of background work, by name (plugins and tests may add theirs)
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("mockup", "mockups", "write", _mockup, _music_cues),
    Kind("copy", "parts and scores", "copy", _copy, _orchestrated),
    Kind("streamers", "streamer videos", "tempo", _streamers, _mapped),
    Kind("comp", "comp renders", "mix", _comp, _comped),
    Kind("mix", "mixes", "mix", _mix, _comped),
    Kind("deliver", "the delivery to the dub", "mix", _deliver, _film),
    Kind("album-propose", "album sequences", "album", _album_propose, _album_media),
    Kind("conform-fix", "conform fixes", "conform", _conform_fix, _flagged),
)}


def register_kind(kind: Kind) -> None:
    """Add a kind of work (a worker must import the module that registers it)."""
    KINDS[kind.name] = kind


def get_kind(name: str) -> Kind:
    if name not in KINDS:
        raise InputError("unknown kind of job", field="kind", value=name,
                         valid=", ".join(KINDS))
    return KINDS[name]


# --- results as JSON ------------------------------------------------------------------------

def encode(value: Any) -> Any:
    """A result as JSON values: paths, fractions, tuples and filmscore dataclasses tagged so
    that :func:`decode` gives them back."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {"$dc": f"{cls.__module__}:{cls.__qualname__}",
                **{f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, Fraction):
        return {"$frac": str(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"$set": [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$path" in value:
        return Path(value["$path"])
    if "$frac" in value:
        return Fraction(value["$frac"])
    if "$tuple" in value:
        return tuple(decode(v) for v in value["$tuple"])
    if "$set" in value:
        return frozenset(decode(v) for v in value["$set"])
    if "$dc" in value:
        module, _, name = value["$dc"].partition(":")
        if module.split(".")[0] != "filmscore":
            return {k: decode(v) for k, v in value.items() if k != "$dc"}
        cls = importlib.import_module(module)
        for part in name.split("."):
            cls = getattr(cls, part)
        return cls(**{k: decode(v) for k, v in value.items() if k != "$dc"})
    return {k: decode(v) for k, v in value.items()}


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def error_of(text: str) -> FilmscoreError:
    """The error a failed job recorded, as a filmscore error of the same class."""
    name, _, message = text.partition(": ")
    return errors.named_error(name, message) or errors.ToolError(f"a job failed: {text}")


# --- status -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobStatus:
    """One job as the CLI and the page show it."""

    id: int
    batch: str
    kind: str
    cue: str
    state: str
    done: int
    total: int
    attempts: int
    worker: str
    error: str
    result: Any
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_json(self) -> dict:
        return {"id": self.id, "batch": self.batch, "kind": self.kind, "cue": self.cue,
                "state": self.state, "done": self.done, "total": self.total,
                "attempts": self.attempts, "worker": self.worker, "error": self.error,
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "finished_at": self.finished_at.isoformat() if self.finished_at else None}


@dataclass(frozen=True)
class BatchStatus:
    """A batch: its jobs in the order they were submitted, and how far it is."""

    batch: str
    jobs: tuple[JobStatus, ...]

    @property
    def counts(self) -> dict[str, int]:
        out = {"queued": 0, "running": 0, "done": 0, "failed": 0}
        for job in self.jobs:
            out[job.state] += 1
        return out

    @property
    def finished(self) -> bool:
        return all(j.finished for j in self.jobs)

    @property
    def fraction(self) -> float:
        """How much of the batch is done, 0 to 1 (a running job counts by its progress)."""
        if not self.jobs:
            return 1.0
        part = sum(1.0 if j.finished else (j.done / j.total if j.total and j.state ==
                                           "running" else 0.0) for j in self.jobs)
        return part / len(self.jobs)

    def as_json(self) -> dict:
        return {"batch": self.batch, "counts": self.counts, "finished": self.finished,
                "fraction": round(self.fraction, 4), "jobs": [j.as_json() for j in self.jobs]}


def _status(row: Job) -> JobStatus:
    result = decode(json.loads(row.result)) if row.result else None
    return JobStatus(row.id, row.batch, row.kind, row.cue, row.state, row.done, row.total,
                     row.attempts, row.worker, row.error, result, row.created_at,
                     row.started_at, row.finished_at)


def batch_status(pctx, batch: str) -> BatchStatus:
    """The jobs of a batch; NotFoundError when there is none of that name."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(Job).where(Job.project_id == pctx.project_id,
                                                 Job.batch == batch).order_by(Job.id)).all()
        if not rows:
            raise NotFoundError(f"no batch of jobs {batch!r} in this project; see "
                                "'filmscore jobs'")
        return BatchStatus(batch, tuple(_status(r) for r in rows))


def recent_jobs(pctx, limit: int = 50) -> list[JobStatus]:
    """The project's latest jobs, newest first."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(Job).where(Job.project_id == pctx.project_id)
                               .order_by(Job.id.desc()).limit(limit)).all()
        return [_status(r) for r in rows]


# --- submitting --------------------------------------------------------------------------------

def is_queue(pctx) -> bool:
    """Whether the project's jobs go to the PostgreSQL queue (else the local pool)."""
    return pctx.engine.dialect.name == "postgresql"


def live_workers(pctx) -> int | None:
    """How many workers serve the project's queue now (None on SQLite: no workers)."""
    if not is_queue(pctx):
        return None
    from filmscore.jobs_queue import conninfo
    from filmscore.jobs_queue import live_workers as count

    return count(conninfo(pctx.engine))


def _plain(options: dict) -> dict:
    out = {}
    for key, value in options.items():
        if isinstance(value, Path):
            value = str(value.resolve())
        elif isinstance(value, Fraction):
            value = str(value)
        out[key] = value
    return out


def submit(pctx, kind: str, cues: Sequence[str] | None = None, options: dict | None = None,
           *, started_by: str = "") -> str:
    """Record one job per cue (every cue the kind applies to when ``cues`` is None) and,
    on PostgreSQL, queue them; returns the batch's name."""
    spec = get_kind(kind)
    numbers = list(cues) if cues is not None else spec.cues(pctx)
    opts = json.dumps(_plain(options or {}))
    batch = uuid.uuid4().hex[:16]
    with transaction(pctx.engine) as session:
        rows = [Job(project_id=pctx.project_id, batch=batch, kind=kind, cue=str(n),
                    options=opts, started_by=started_by) for n in numbers]
        session.add_all(rows)
        session.flush()
        ids = [r.id for r in rows]
    if is_queue(pctx) and ids:
        from filmscore.jobs_queue import defer

        defer(pctx, batch, ids)
    return batch


def start(pctx, kind: str, cues: Sequence[str] | None = None, options: dict | None = None,
          *, started_by: str = "", workers: int = 2) -> str:
    """Submit a batch and let it run in the background (web): on PostgreSQL the workers
    take it; on SQLite a local process pool on a thread of this process runs it."""
    spec = get_kind(kind)
    cues = list(cues) if cues is not None else spec.cues(pctx)
    if not cues:
        raise NotFoundError(f"no cue to make {spec.title} of yet")
    batch = submit(pctx, kind, cues, options, started_by=started_by)
    if not is_queue(pctx):
        url = pctx.engine.url.render_as_string(hide_password=False)
        thread = threading.Thread(target=_run_local_quietly,
                                  args=(pctx.directory, url, batch, workers),
                                  name=f"filmscore-jobs-{batch[:8]}", daemon=True)
        thread.start()
    return batch


def run(pctx, kind: str, cues: Sequence[str] | None = None, options: dict | None = None,
        *, workers: int = 2, progress: Callable[[BatchStatus], None] | None = None,
        started_by: str = "") -> list[tuple[str, Any]]:
    """Submit a batch and wait for it (CLI): ``(cue, result)`` in the cues' order;
    ``progress(batch_status)`` as it goes.  The first failed job's error is raised once
    every job has ended (the finished cues' files stay)."""
    if workers < 1:
        raise InputError("workers must be 1 or more", field="workers", value=str(workers),
                         valid="1 or more (one per core)")
    if cues is not None and not list(cues):
        return []
    batch = submit(pctx, kind, cues, options, started_by=started_by)
    if is_queue(pctx):
        from filmscore.jobs_queue import serve_batch

        serve_batch(pctx, batch, workers=workers, progress=progress)
    else:
        run_local(pctx.directory, pctx.engine.url.render_as_string(hide_password=False),
                  batch, workers=workers, progress=progress)
    status = batch_status(pctx, batch)
    failed = [j for j in status.jobs if j.state == "failed"]
    if failed:
        raise error_of(failed[0].error)
    return [(j.cue, j.result) for j in status.jobs]


# --- doing one job (in whichever process runs it) ----------------------------------------------

def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(project_dir: str | os.PathLike[str], db: str | None, job_id: int) -> str:
    """Do one job: mark it running, run its kind, record the result or the error.
    Returns the final state.  A job already done is not done again."""
    from filmscore.project import open_project

    with open_project(project_dir, db=db) as pctx:
        with transaction(pctx.engine) as session:
            row = session.get(Job, job_id)
            if row is None:
                raise NotFoundError(f"job {job_id} is not in the database {pctx.db_label}")
            if row.state == "done":
                return "done"
            row.state, row.attempts, row.worker = "running", row.attempts + 1, worker_name()
            row.started_at, row.done, row.error = utcnow(), 0, ""
            kind, cue, options = row.kind, row.cue, json.loads(row.options)
        last = [0.0]

        def report(done: int, total: int, *_: Any) -> None:
            now = time.monotonic()
            if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
                return
            last[0] = now
            with transaction(pctx.engine) as session:
                session.execute(update(Job).where(Job.id == job_id)
                                .values(done=done, total=total))

        try:
            result = get_kind(kind).run(pctx, cue, options, report)
        except Exception as exc:  # noqa: BLE001 - recorded on the job, raised by run()
            text = _error_text(exc)
            if not isinstance(exc, FilmscoreError):
                text += "\n" + traceback.format_exc(limit=-3)
            _finish(pctx, job_id, "failed", error=text)
            return "failed"
        _finish(pctx, job_id, "done", result=json.dumps(encode(result)))
        return "done"


def _finish(pctx, job_id: int, state: str, *, result: str = "", error: str = "") -> None:
    with transaction(pctx.engine) as session:
        row = session.get(Job, job_id)
        row.state, row.result, row.error, row.finished_at = state, result, error, utcnow()
        if state == "done" and row.total:
            row.done = row.total


# --- the local process pool (SQLite) -----------------------------------------------------------

def _ids(pctx, batch: str, states: tuple[str, ...]) -> list[int]:
    with transaction(pctx.engine) as session:
        return list(session.scalars(select(Job.id).where(
            Job.project_id == pctx.project_id, Job.batch == batch,
            Job.state.in_(states)).order_by(Job.id)))


def run_local(project_dir, db: str, batch: str, *, workers: int = 2,
              progress: Callable[[BatchStatus], None] | None = None) -> None:
    """Run a batch's queued jobs in a pool of ``workers`` processes.  When a process dies
    (killed, out of memory) the pool breaks: the jobs that were running are marked failed
    with that reason, and those not yet started run in a new pool."""
    from filmscore.project import open_project

    with open_project(project_dir, db=db) as pctx:
        try:
            _run_pools(pctx, project_dir, db, batch, workers, progress)
        except KeyboardInterrupt:  # the command was stopped: its workers are killed
            for job_id in _ids(pctx, batch, ("queued", "running")):
                _finish(pctx, job_id, "failed", error="interrupted: the command was stopped")
            raise


def _run_pools(pctx, project_dir, db: str, batch: str, workers: int,
               progress: Callable[[BatchStatus], None] | None) -> None:
    while ids := _ids(pctx, batch, ("queued",)):
        kinds_from = {k.run.__module__ for k in KINDS.values()}
        with process_pool(min(workers, len(ids)), imports=kinds_from) as pool:
            futures = {pool.submit(execute, str(project_dir), db, i): i for i in ids}
            for future in as_completed(futures):
                try:
                    future.result()
                except Exception as exc:  # noqa: BLE001 - a process died: on the job
                    job_id = futures[future]
                    if job_id in _ids(pctx, batch, ("running",)):
                        _finish(pctx, job_id, "failed", error=_error_text(exc))
                if progress is not None:
                    progress(batch_status(pctx, batch))
        if _ids(pctx, batch, ("queued",)) == ids:
            break  # nothing started: do not loop


def _run_local_quietly(project_dir, db: str, batch: str, workers: int) -> None:
    try:
        run_local(project_dir, db, batch, workers=workers)
    except Exception:  # noqa: BLE001 - a background thread: the jobs' rows say what failed
        traceback.print_exc()
