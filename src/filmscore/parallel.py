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
``filmscore.children``), ignore Ctrl-C (the parent stops them: no worker traceback), and
are killed, not waited for, when the ``with`` block of the pool ends by an exception
(an interrupt, an error): their work would be thrown away, and they would go on writing.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from filmscore import children


def _prepare(parent: int, modules: tuple[str, ...]) -> None:
    children.die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in modules:
        importlib.import_module(name)


class _Pool(ProcessPoolExecutor):
    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            children.kill_pool(self)
            self.shutdown(wait=True, cancel_futures=True)
            return False
        return super().__exit__(exc_type, exc, tb)


def process_pool(workers: int, *, imports: Iterable[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each importing ``imports`` first.  Use it
    in one thread (a worker's parent-death signal follows the thread that started it)."""
    modules = tuple(dict.fromkeys(m for m in imports if m and m != "__main__"))
    pool = _Pool(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                 initializer=_prepare, initargs=(os.getpid(), modules))
    children.track_pool(pool)
    return pool
