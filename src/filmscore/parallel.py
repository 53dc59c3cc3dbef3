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
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor


def _prepare(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)


def process_pool(workers: int, *, imports: Iterable[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each importing ``imports`` first."""
    modules = tuple(dict.fromkeys(m for m in imports if m and m != "__main__"))
    return ProcessPoolExecutor(max_workers=max(1, workers),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_prepare if modules else None,
                               initargs=(modules,) if modules else ())
