"""The local process pool (SQLite): one job per cue, results in order, progress kept, a
failed job's error raised as itself, a dead process's job marked failed and the jobs not
started yet run in a new pool."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from filmscore import jobs
from filmscore.errors import InputError, NotFoundError, ToolError, ValidationError
from filmscore.project import init_project, open_project
from jobs_helpers import fs


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    init_project(tmp_path / "film", title="Pool", fps="24")
    return tmp_path / "film"


def test_run_gives_results_in_order_and_keeps_progress(bare: Path) -> None:
    seen = []
    with open_project(bare) as pctx:
        assert not jobs.is_queue(pctx)
        done = jobs.run(pctx, "slow-write", ["B", "A", "C"], {"chunks": 3, "pause": 0.05},
                        progress=lambda st: seen.append(st.counts["done"]))
        assert [cue for cue, _ in done] == ["B", "A", "C"]
        assert [r for _, r in done] == [bare / "out" / f"{c}.bin" for c in "BAC"]
        assert all((bare / "out" / f"{c}.bin").stat().st_size == 3 * 65536 for c in "BAC")
        assert seen[-1] == 3
        batch = jobs.recent_jobs(pctx)[0].batch
        status = jobs.batch_status(pctx, batch)
        assert status.finished and status.fraction == 1.0
        assert all(j.state == "done" and (j.done, j.total) == (3, 3) and j.attempts == 1
                   for j in status.jobs)
        assert status.as_json()["counts"] == {"queued": 0, "running": 0, "done": 3,
                                              "failed": 0}
        with pytest.raises(NotFoundError, match="no batch"):
            jobs.batch_status(pctx, "nothing")
    assert not list((bare / "out").glob(".*"))  # no temporary file left behind


def test_a_failed_job_raises_its_own_error(bare: Path) -> None:
    with open_project(bare) as pctx:
        with pytest.raises(ValidationError, match="no such take") as caught:
            jobs.run(pctx, "refuse", ["7"])
        assert caught.value.exit_code == 2
        (job,) = jobs.recent_jobs(pctx, 1)
        assert job.state == "failed" and job.error.startswith("ValidationError: ")
        with pytest.raises(InputError, match="unknown kind of job"):
            jobs.submit(pctx, "paint", ["1"])
        with pytest.raises(InputError, match="workers"):
            jobs.run(pctx, "slow-write", ["1"], workers=0)


def test_a_job_whose_process_died_is_marked_failed(bare: Path) -> None:
    with open_project(bare) as pctx:
        with pytest.raises(ToolError, match="a job failed"):
            jobs.run(pctx, "die", ["1", "2"], workers=1)
        # the second job, not started when the first took the pool down, ran in a new pool
        for job in jobs.recent_jobs(pctx, 2):
            assert job.state == "failed" and "BrokenProcessPool" in job.error
            assert job.attempts == 1


def test_start_runs_in_the_background(bare: Path) -> None:
    with open_project(bare) as pctx:
        batch = jobs.start(pctx, "slow-write", ["A", "B"], {"chunks": 2, "pause": 0.05})
        deadline = time.monotonic() + 60
        while not jobs.batch_status(pctx, batch).finished:
            assert time.monotonic() < deadline, jobs.batch_status(pctx, batch)
            time.sleep(0.1)
        assert jobs.batch_status(pctx, batch).counts["done"] == 2


def test_mockup_all_goes_through_the_jobs(sqlite_project: Path) -> None:
    out = fs("-p", sqlite_project, "mockup", "--all", "--draft")
    for cue in ("1M1", "1M2"):
        assert f"{cue}: {sqlite_project / 'mockups' / cue / (cue + '_v1_mix.wav')}" in out
    listing = fs("-p", sqlite_project, "jobs")
    assert listing.count("mockup") == 2 and listing.count("done") == 2
    with open_project(sqlite_project) as pctx:
        batch = jobs.recent_jobs(pctx, 1)[0].batch
    assert fs("-p", sqlite_project, "jobs", batch).count("1M") == 2
    with pytest.raises(AssertionError, match="SQLite"):
        fs("-p", sqlite_project, "worker")


def test_encode_decode_round_trip() -> None:
    from fractions import Fraction

    from filmscore.orchestration.service import CopyResult

    value = CopyResult("1M1", (Path("/a.pdf"),), (), (), None, 3, ("n",),
                       (("Horn 1/2", Path("/a.pdf")),))
    assert jobs.decode(jobs.encode(value)) == value
    assert jobs.decode(jobs.encode([Fraction(1, 3), {"x": (1, 2)}])) == [Fraction(1, 3),
                                                                         {"x": (1, 2)}]
