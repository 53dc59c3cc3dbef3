"""`filmscore worker|jobs`: serve the PostgreSQL job queue; list background jobs."""

from __future__ import annotations

import typer

from filmscore.cli.common import console, open_ctx, state, table


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("jobs")(jobs)


def worker(
    ctx: typer.Context,
    concurrency: int = typer.Option(1, "--concurrency", "-c", min=1,
                                    help="Jobs at once in this process (threads; for renders "
                                    "start more workers rather than more threads)."),
    queue: list[str] = typer.Option([], "--queue", "-q", help="Serve only this queue "
                                    "(repeatable; default: every queue)."),
    once: bool = typer.Option(False, "--once", help="Stop when the queue is empty."),
) -> None:
    """Take background jobs (mockups, parts, streamers) from the project's PostgreSQL
    queue until stopped (Ctrl-C finishes the running job first).  Start one on every
    machine that sees the project folder; jobs of a worker that dies are done again."""
    from filmscore import jobs_queue
    from filmscore.errors import InputError
    from filmscore.store import database_url, normalize_url, safe_url

    st = state(ctx)
    with open_ctx(ctx):  # a project, at the current schema
        pass
    url = database_url(st.project_dir, st.db)
    if normalize_url(url).get_backend_name() != "postgresql":
        raise InputError("the project's database is SQLite: its jobs run in a local process "
                         "pool inside the command that starts them, with no worker",
                         field="db", value=safe_url(url),
                         valid="a project on PostgreSQL (filmscore init --db postgresql://...)")
    console.print(f"filmscore worker on {safe_url(url)}, "
                  f"{'queues ' + ', '.join(queue) if queue else 'every queue'}, "
                  f"{concurrency} at once")
    jobs_queue.serve(jobs_queue.conninfo(normalize_url(url)), queues=list(queue) or None,
                     concurrency=concurrency, wait=not once)


def jobs(
    ctx: typer.Context,
    batch: str | None = typer.Argument(None, help="A batch (default: the latest jobs)."),
    limit: int = typer.Option(30, "--limit", help="How many of the latest jobs."),
) -> None:
    """Background jobs: what, which cue, state, progress, tries, worker."""
    from filmscore.jobs import batch_status, recent_jobs

    pctx = open_ctx(ctx)
    shown = batch_status(pctx, batch).jobs if batch else recent_jobs(pctx, limit)
    rows = [[str(j.id), j.batch[:8], j.kind, j.cue, j.state,
             f"{j.done}/{j.total}" if j.total else "", str(j.attempts), j.worker,
             j.error.splitlines()[0] if j.error else ""] for j in shown]
    console.print(table("Jobs", ["job", "batch", "kind", "cue", "state", "progress", "tries",
                                 "worker", "error"], rows, right=("job", "tries"),
                        wrap=("error",)))
