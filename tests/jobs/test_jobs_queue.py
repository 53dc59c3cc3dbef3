"""The PostgreSQL queue (procrastinate): jobs queued in the project's database, served by
two `filmscore worker` processes, and a worker SIGKILLed mid-job: its job is queued again
and done by the other worker, and no half-written file is ever in place."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from filmscore import jobs, jobs_queue
from filmscore.project import init_project, open_project
from jobs_helpers import fs

TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def pg_bare(tmp_path: Path, pg_database: str) -> Path:
    init_project(tmp_path / "film", title="Queue", fps="24", db=pg_database)
    return tmp_path / "film"


def _worker(project: Path, name: str) -> subprocess.Popen:
    """A `filmscore worker` in its own process, knowing the test kinds."""
    code = ("import sys; import jobs_helpers; from filmscore.cli import main; "
            f"sys.argv = ['filmscore', '-p', {str(project)!r}, 'worker']; main()")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get(
        "PYTHONPATH", "")])}
    env.pop("FILMSCORE_DB", None)
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _stop(*procs: subprocess.Popen) -> str:
    out = []
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            out.append(proc.communicate(timeout=30)[0] or "")
        except subprocess.TimeoutExpired:
            proc.kill()
            out.append(proc.communicate()[0] or "")
    return "\n".join(out)


def _wait(pctx, batch: str, until, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while True:
        status = jobs.batch_status(pctx, batch)
        if until(status):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.1)


def test_two_workers_share_a_batch(pg_bare: Path) -> None:
    with open_project(pg_bare) as pctx:
        assert jobs.is_queue(pctx)
        batch = jobs.submit(pctx, "slow-write", ["A", "B", "C", "D"],
                            {"chunks": 4, "pause": 0.25})
        assert jobs.batch_status(pctx, batch).counts["queued"] == 4
        workers = [_worker(pg_bare, "one"), _worker(pg_bare, "two")]
        try:
            status = _wait(pctx, batch, lambda s: s.finished)
            assert jobs.live_workers(pctx) == 2
        finally:
            log = _stop(*workers)
        assert jobs.live_workers(pctx) == 0  # stopped workers unregister
        assert status.counts["done"] == 4, (status, log)
        assert len({j.worker for j in status.jobs}) == 2, (status, log)  # both worked
        for cue in "ABCD":
            assert (pg_bare / "out" / f"{cue}.bin").stat().st_size == 4 * 65536


def test_a_worker_killed_mid_job_loses_nothing(pg_bare: Path) -> None:
    out = pg_bare / "out"
    with open_project(pg_bare) as pctx:
        batch = jobs.submit(pctx, "slow-write", ["K"], {"chunks": 16, "pause": 0.25})
        first = _worker(pg_bare, "first")
        try:
            running = _wait(pctx, batch, lambda s: s.jobs[0].done >= 3)
        except BaseException:
            _stop(first)
            raise
        # mid-write: a temporary file beside the target, nothing at the target's name
        assert list(out.glob(".K.*.part.bin")) and not (out / "K.bin").exists()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert not (out / "K.bin").exists()  # no half-written file in place
        assert jobs.batch_status(pctx, batch).jobs[0].state == "running"
        second = _worker(pg_bare, "second")
        try:
            status = _wait(pctx, batch, lambda s: s.finished, seconds=120)
        finally:
            log = _stop(second)
        (job,) = status.jobs
        assert job.state == "done" and job.attempts == 2, (job, log)
        assert job.worker != running.jobs[0].worker
        data = (out / "K.bin").read_bytes()
        assert len(data) == 16 * 65536 and data[-1] == 15  # whole, written again
        assert jobs_queue.recover_stalled(jobs_queue.conninfo(pctx.engine)) == 0

        # and from a thread whose event loop is running (an async caller; Playwright's
        # sync API in the same thread), where asyncio.run alone refuses
        async def inside() -> int:
            return jobs_queue.recover_stalled(jobs_queue.conninfo(pctx.engine))

        # (in a thread of its own: this thread may already run Playwright's loop, when a
        # browser test ran before in this process, and asyncio.run refuses there)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            assert pool.submit(asyncio.run, inside()).result() == 0


def test_mockup_all_on_postgresql_goes_through_the_queue(pg_project: Path) -> None:
    out = fs("-p", pg_project, "mockup", "--all", "--draft")
    for cue in ("1M1", "1M2"):
        assert f"{cue}: {pg_project / 'mockups' / cue / (cue + '_v1_mix.wav')}" in out
    listing = fs("-p", pg_project, "jobs")
    assert listing.count("mockup") == 2 and listing.count("done") == 2


def test_a_worker_killed_mid_mockup_loses_nothing(pg_project: Path) -> None:
    """The same with a real render: the worker is killed as soon as its mockup job runs;
    every file at its final name is whole, and the retried job renders the cue."""
    import soundfile

    folder = pg_project / "mockups" / "1M1"
    with open_project(pg_project) as pctx:
        batch = jobs.submit(pctx, "mockup", ["1M1"], {"soundfont": "fluidr3"})
        first = _worker(pg_project, "first")
        try:
            _wait(pctx, batch, lambda s: s.jobs[0].state == "running")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        assert jobs.batch_status(pctx, batch).jobs[0].state == "running"  # killed mid-render
        for path in folder.glob("[!.]*.wav") if folder.exists() else ():
            soundfile.info(str(path))  # whatever is in place is a whole file
        second = _worker(pg_project, "second")
        try:
            status = _wait(pctx, batch, lambda s: s.finished, seconds=120)
        finally:
            log = _stop(second)
        (job,) = status.jobs
        assert job.state == "done", (job, log)
        assert job.attempts == 2 and not job.worker.endswith(f":{first.pid}"), job
        mix = soundfile.info(str(folder / "1M1_v1_mix.wav"))
        assert mix.samplerate == 48000 and mix.duration > 8
