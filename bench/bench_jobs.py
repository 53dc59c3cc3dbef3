"""Background jobs: the demo's renders (every cue's mockup, parts, conductor's score and
streamer video) done by one `filmscore worker` process against three, on PostgreSQL
(procrastinate).

The demo project is built on a fresh PostgreSQL database (``FILMSCORE_DB`` set for
``filmscore demo``), or ``--project DIR`` names one built so already.  For each count the
workers are started and left to register (idle), then the four batches are queued at once
and timed from the first ``submit`` to the last job done; the workers are then stopped.
Nothing else is measured: no peer, the "peer" column is the single worker.

    .venv/bin/python bench/bench_jobs.py [--project DIR] [--workers 1,3] [--quick]

On a 2-core machine three worker processes cannot be three times as fast: FluidSynth,
verovio and ffmpeg each keep a core busy, so the gain is bounded by the cores (about 2x),
less the overlap with everything else the machine runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from _common import Result

ROOT = Path(__file__).resolve().parents[1]
FILMSCORE = Path(sys.executable).parent / "filmscore"
PG_SCRIPT = ROOT / "scripts" / "pg-test-server"


def _server() -> tuple[str, Path | None]:
    given = os.environ.get("FILMSCORE_TEST_PG")
    if given:
        return given, None
    folder = Path(tempfile.mkdtemp(prefix="filmscore-bench-pg-"))
    url = subprocess.run([str(PG_SCRIPT), "start", str(folder)], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    return url, folder


def _fresh_database(server: str) -> str:
    name = f"filmscore_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def build_demo(db: str, out: Path) -> Path:
    """The demo project on ``db``; its folder."""
    env = {**os.environ, "FILMSCORE_DB": db}
    subprocess.run([str(FILMSCORE), "demo", str(out)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return next(p.parent for p in out.rglob("filmscore.toml"))


def _workers(project: Path, count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([str(FILMSCORE), "-p", str(project), "worker"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def _registered(info: str) -> int:
    with psycopg.connect(info, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass('procrastinate_workers')").fetchone()[0]:
            return 0
        return conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone()[0]


def time_renders(project: Path, count: int, *, quick: bool = False) -> tuple[float, int]:
    """Seconds for ``count`` worker processes to do the demo's renders; how many jobs."""
    from filmscore import jobs, jobs_queue
    from filmscore.project import open_project

    with open_project(project) as pctx, tempfile.TemporaryDirectory() as scratch:
        info = jobs_queue.conninfo(pctx.engine)
        jobs_queue.ensure_schema(info)
        procs = _workers(project, count)
        try:
            deadline = time.monotonic() + 120
            while _registered(info) < count:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{count} workers did not start")
                time.sleep(0.2)
            start = time.perf_counter()
            batches = [jobs.submit(pctx, "mockup", None, {"soundfont": "draft" if quick
                                                          else "fluidr3"})]
            if not quick:
                batches += [
                    jobs.submit(pctx, "copy", None, {"out": Path(scratch) / "parts",
                                                     "parts": True, "score": False}),
                    jobs.submit(pctx, "copy", None, {"out": Path(scratch) / "scores",
                                                     "parts": False, "score": True}),
                    jobs.submit(pctx, "streamers", None, {})]
            while True:
                states = [jobs.batch_status(pctx, b) for b in batches]
                if all(s.finished for s in states):
                    break
                time.sleep(0.2)
            seconds = time.perf_counter() - start
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
        failed = [j for s in states for j in s.jobs if j.state != "done"]
        if failed:
            raise RuntimeError(f"jobs failed: {failed[:3]}")
        return seconds, sum(len(s.jobs) for s in states)


def run(quick: bool = False, project: Path | None = None,
        counts: tuple[int, ...] = (1, 3)) -> list[Result]:
    keep = None
    server_dir = None
    try:
        if project is None:
            server, server_dir = _server()
            keep = Path(tempfile.mkdtemp(prefix="filmscore-bench-jobs-"))
            project = build_demo(_fresh_database(server), keep / "demo")
        times = {n: time_renders(project, n, quick=quick) for n in counts}
    finally:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
        if server_dir is not None:
            subprocess.run([str(PG_SCRIPT), "destroy", str(server_dir)], check=False)
    one, many = min(counts), max(counts)
    (t1, n_jobs), (tn, _) = times[one], times[many]
    what = "mockups (draft)" if quick else "mockups, parts, scores, streamers"
    return [Result("jobs", f"demo renders: {n_jobs} jobs ({what})",
                   f"{many} worker processes", tn, f"{one} worker process", t1,
                   note=f"{os.cpu_count()} cores; speed-up {t1 / tn:.2f}x")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a demo project built on PostgreSQL")
    parser.add_argument("--workers", default="1,3", help="worker counts, e.g. 1,3")
    parser.add_argument("--quick", action="store_true", help="draft mockups only")
    args = parser.parse_args()
    counts = tuple(int(n) for n in args.workers.split(","))
    for row in run(args.quick, args.project, counts):
        print(f"{row.case}: {row.ours} {row.ours_s:.1f} s, {row.peer} {row.peer_s:.1f} s "
              f"({row.note})")


if __name__ == "__main__":
    main()
