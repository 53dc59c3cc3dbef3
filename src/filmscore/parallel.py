"""Worker processes started clean: every process pool in filmscore comes from here.

Why not the platform's default (``fork`` on Linux): a forked child is a copy of a process
that may be running other threads (the web server's, a job runner's, a test harness's),
and it inherits whatever lock one of them held at that instant and every open file
descriptor.  Both were seen: a mockup job forked from the web app under test never
started (a lock held at the fork), and because the stuck child still held the other end
of the browser driver's pipe, the driver waited for it for ever when the run ended.
Python 3.14 stops forking by default for the same reasons.  ``spawn`` starts a new
interpreter with the parent's ``sys.path`` and its environment as it is now (a
forkserver would give the environment of the moment it started), and passes it only the
pipes it needs; it costs each worker a fresh import of what it runs (about 0.5 s), paid
once per pool.

A kind of work registered at run time (``filmscore.jobs.register_kind``) lives in a module
the new interpreter has not imported: ``imports`` names the modules each worker imports
before its first task.

Workers die with the process that started them (a parent-death signal, see
``filmscore.children``) and ignore Ctrl-C (the parent stops them: no worker traceback).
When the ``with`` block of the pool ends by an exception (an interrupt, an error), the
workers are not waited for: their work would be thrown away, and they would go on
writing.  They are sent SIGTERM, kill their programs, remove their scratch and exit (and
are killed if still running ``STOP_SECONDS`` later).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from filmscore import children

#: seconds a stopped pool's workers have to unwind their tasks before they are killed
STOP_SECONDS = 5.0


def _prepare(parent: int, modules: tuple[str, ...]) -> None:
    children.worker_setup(parent)
    for name in modules:
        importlib.import_module(name)


class _Pool(ProcessPoolExecutor):
    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return super().__exit__(exc_type, exc, tb)
        # stopped (an interrupt, an error): the workers' work would be thrown away; they
        # remove their scratch and exit, and any still running after a while is killed
        workers = children.pool_processes(self)
        # taken before shutdown(), which forgets it (the join below found nothing to wait
        # for, and the command exited while its workers were still removing their
        # scratch: their parent-death signal then killed them mid-way)
        manager = getattr(self, "_executor_manager_thread", None)
        children.stop_pool(self)
        self.shutdown(wait=False, cancel_futures=True)
        # the executor's own thread joins the workers once they have ended (they are not
        # waited for here as well: two waits on one process could signal a reused id)
        if manager is not None:
            manager.join(STOP_SECONDS)
            if manager.is_alive():
                for process in workers:
                    process.kill()
                manager.join(STOP_SECONDS)
        children.sweep_after_workers()
        return False


def process_pool(workers: int, *, imports: Iterable[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each importing ``imports`` first.  Use it
    in one thread (a worker's parent-death signal follows the thread that started it)."""
    modules = tuple(dict.fromkeys(m for m in imports if m and m != "__main__"))
    pool = _Pool(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                 initializer=_prepare, initargs=(os.getpid(), modules))
    children.track_pool(pool)
    return pool
