"""The PostgreSQL job queue (procrastinate): jobs kept in the project's own database, served
by ``filmscore worker`` on any number of machines, retried, and recovered when a worker dies.

- **Schema.**  procrastinate's tables (``procrastinate_jobs``, ``procrastinate_workers``,
  ...) are made in the project's database the first time a job is queued or a worker
  starts (:func:`ensure_schema`, under an advisory lock so that two workers starting
  together do not both make them).  They are procrastinate's, not ours: our ``jobs`` table
  keeps the state and progress the CLI and the page show.
- **One task**, ``filmscore.job(job_id, project_dir)``: it runs ``jobs.execute`` for our job
  row against the worker's own database.  A worker needs the project folder at the same
  path (a shared disk): that is where the media and the output go.
- **A batch has its own queue** (``fs-<batch>``): ``filmscore worker`` listens to
  every queue, and the worker processes a CLI command starts for its batch listen only to
  that batch's queue, so a command never does someone else's work.
- **Retries.**  A job whose task raises (the database went away) is retried up to
  ``MAX_ATTEMPTS`` times.  A job whose worker was killed (SIGKILL, the machine lost) stays
  "doing" in procrastinate's table; every worker sends a heartbeat every
  ``HEARTBEAT_SECONDS``, and every worker (and a waiting CLI command) looks every
  ``RECOVER_EVERY_SECONDS`` for jobs whose worker has sent none for ``STALLED_SECONDS``
  (``job_manager.get_stalled_jobs``) and puts them back in the queue (``retry_job``);
  another worker then does the job again from the start.  Nothing half-written is left in
  place: every kind writes to a temporary name and renames.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence

import psycopg
from sqlalchemy.engine import make_url

from filmscore.errors import StoreError

#: seconds between two heartbeats of a worker
HEARTBEAT_SECONDS = 2.0
#: a worker silent this long is taken for dead, and its jobs are queued again
STALLED_SECONDS = 10.0
#: seconds between two looks for the jobs of dead workers
RECOVER_EVERY_SECONDS = 3.0
#: tries of one job whose task raised (a lost database connection)
MAX_ATTEMPTS = 3
TASK_NAME = "filmscore.job"
_LOCK_KEY = 0x66696C6D  # "film": the advisory lock around making the schema

log = logging.getLogger("filmscore.jobs")


def conninfo(url) -> str:
    """A libpq URL (password kept) from a SQLAlchemy URL or engine."""
    url = getattr(url, "url", url)
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def queue_of(batch: str) -> str:
    return f"fs-{batch}"  # a LISTEN channel name holds 63 bytes at most


def ensure_schema(info: str) -> None:
    """Make procrastinate's tables in the database unless they are there."""
    from procrastinate.schema import SchemaManager

    try:
        with psycopg.connect(info, autocommit=True) as conn:
            if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0]:
                return
            conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
            try:
                if not conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0]:
                    with conn.transaction():
                        conn.execute(SchemaManager.get_schema())
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    except psycopg.Error as exc:
        raise StoreError(f"cannot make the job queue's tables: {exc}".splitlines()[0]) from exc


def make_app(info: str):
    """The procrastinate App on the database ``info``, with the one filmscore task."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=info))

    @app.task(name=TASK_NAME, retry=procrastinate.RetryStrategy(
        max_attempts=MAX_ATTEMPTS, wait=1))
    def job(job_id: int, project_dir: str) -> str:
        from filmscore.jobs import execute

        return execute(project_dir, info, job_id)

    return app


def defer(pctx, batch: str, job_ids: Sequence[int]) -> None:
    """Put jobs in the queue, one task each, on the batch's own queue."""
    info = conninfo(pctx.engine)
    ensure_schema(info)
    app = make_app(info)
    with app.open():
        deferrer = app.configure_task(TASK_NAME, queue=queue_of(batch))
        deferrer.batch_defer(*({"job_id": i, "project_dir": str(pctx.directory.resolve())}
                               for i in job_ids))


async def _recover(app) -> int:
    """Queue again the jobs of workers that stopped sending heartbeats; how many."""
    manager = app.job_manager
    count = 0
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS):
        try:
            await manager.retry_job(job)
        except Exception as exc:  # noqa: BLE001 - another worker retried it first
            log.debug("job %s not retried: %s", job.id, exc)
            continue
        job_id = (job.task_kwargs or {}).get("job_id")
        if job_id is not None:
            await app.connector.execute_query_async(
                "UPDATE jobs SET state = 'queued', error = %(why)s WHERE id = %(id)s "
                "AND state = 'running'", id=job_id,
                why=f"its worker stopped answering; queued again (procrastinate job {job.id})")
        log.warning("job %s (procrastinate %s) of a dead worker queued again", job_id, job.id)
        count += 1
    return count


async def _serve(info: str, *, queues: list[str] | None, concurrency: int, wait: bool,
                 name: str | None) -> None:
    app = make_app(info)
    async with app.open_async():
        async def recover_forever() -> None:
            while True:
                with contextlib.suppress(Exception):
                    await _recover(app)
                await asyncio.sleep(RECOVER_EVERY_SECONDS)

        keeper = asyncio.create_task(recover_forever()) if wait else None
        try:
            await app.run_worker_async(
                queues=queues, concurrency=concurrency, wait=wait, name=name,
                update_heartbeat_interval=HEARTBEAT_SECONDS,
                stalled_worker_timeout=STALLED_SECONDS, delete_jobs="successful",
                fetch_job_polling_interval=1.0)
        finally:
            if keeper is not None:
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper


def serve(info: str, *, queues: list[str] | None = None, concurrency: int = 1,
          wait: bool = True, name: str | None = None) -> None:
    """Run a worker on the database ``info``: every queue (or ``queues``), ``concurrency``
    jobs at once (threads: use more processes rather than more threads for CPU-bound
    renders), until stopped (SIGINT/SIGTERM finish the running jobs first) or, with
    ``wait=False``, until the queues are empty."""
    ensure_schema(info)
    _run_to_end(_serve(info, queues=queues, concurrency=concurrency, wait=wait, name=name))


def recover_stalled(info: str) -> int:
    """Queue again the jobs of dead workers (what every worker does on its own)."""
    async def once() -> int:
        app = make_app(info)
        async with app.open_async():
            return await _recover(app)

    return _run_to_end(once())


def _run_to_end(coroutine):
    """``asyncio.run``, also from a thread whose event loop is running (a caller inside
    an async framework, or Playwright's sync API in the same thread, where asyncio.run
    refuses): there the coroutine runs on its own loop in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="filmscore-queue") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _todo(info: str, queue: str) -> int:
    with psycopg.connect(info, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = %s "
                            "AND status = 'todo'", (queue,)).fetchone()[0]


def serve_batch(pctx, batch: str, *, workers: int = 2,
                progress: Callable | None = None, poll_seconds: float = 0.5) -> None:
    """Wait for a batch, helping with ``workers`` worker processes of its own that serve
    only the batch's queue (any ``filmscore worker`` running takes its jobs too)."""
    from filmscore.jobs import batch_status

    info = conninfo(pctx.engine)
    queue = queue_of(batch)
    spawn = multiprocessing.get_context("spawn")
    helpers: list = []
    last_recover = time.monotonic()
    try:
        while True:
            status = batch_status(pctx, batch)
            if progress is not None:
                progress(status)
            if status.finished:
                return
            helpers = [p for p in helpers if p.is_alive()]
            if not helpers and _todo(info, queue):
                for n in range(workers):
                    proc = spawn.Process(target=_serve_for, args=(os.getpid(), info), kwargs={
                        "queues": [queue], "wait": False, "name": f"batch-{batch[:8]}-{n}"})
                    proc.start()
                    helpers.append(proc)
            if time.monotonic() - last_recover > RECOVER_EVERY_SECONDS:
                recover_stalled(info)
                last_recover = time.monotonic()
            time.sleep(poll_seconds)
    finally:
        for proc in helpers:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=30)


def _serve_for(parent: int, info: str, **options) -> None:
    """``serve`` in a helper of ``serve_batch``: it dies with the command that started it
    (a kill -9 of the command gives it no chance to stop its helpers)."""
    from filmscore.children import die_with_parent

    die_with_parent(parent)
    serve(info, **options)


def live_workers(info: str) -> int:
    """Workers whose last heartbeat is recent (0 before the queue's tables exist)."""
    with psycopg.connect(info, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass('procrastinate_workers')").fetchone()[0]:
            return 0
        return conn.execute("SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat "
                            "> now() - make_interval(secs => %s)",
                            (STALLED_SECONDS,)).fetchone()[0]
