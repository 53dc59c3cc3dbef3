"""Child processes die with filmscore, and scratch left by a kill is removed by the next run.

The end-to-end tests start the real command as a process, with a mark in its environment
(``FILMSCORE_TEST_RUN``) that every process it starts inherits: the workers, FluidSynth,
ffmpeg.  They kill it with SIGKILL (nothing of it can run then: only the parent-death
signal can stop its children) or SIGTERM in the middle of its work, then look through
/proc for any marked process left, and at the files: none may change after the kill, and
the scratch the kill left is removed by the next run writing there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from filmscore import children
from jobs_helpers import fs, make_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
MARK = "FILMSCORE_TEST_RUN"
GONE_WITHIN = 10.0  # seconds: only a generous bound on a loaded machine; it takes ms


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FILMSCORE_DB", raising=False)
    monkeypatch.delenv("FILMSCORE_PROJECT", raising=False)


# --- helpers -------------------------------------------------------------------------------

class Run:
    """``filmscore ARGS`` as a process of its own, its descendants marked in /proc."""

    def __init__(self, tmp: Path, *args: object) -> None:
        self.mark = uuid.uuid4().hex
        self.tmp = tmp / "tmp"  # TMPDIR: the scratch in the temporary folder, seen here
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, MARK: self.mark, "TMPDIR": str(self.tmp),
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                              os.environ.get("PYTHONPATH", "")])}
        self.log = tmp / f"stderr-{self.mark[:8]}.txt"
        with open(self.log, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from filmscore.cli import main; main()",
                 *map(str, args)], cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=err,
                start_new_session=True)  # not in pytest's group: a Ctrl-C here hits pytest

    def marked(self) -> dict[int, str]:
        """The live processes carrying this run's mark: pid -> command name."""
        needle = f"{MARK}={self.mark}".encode()
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found[int(entry.name)] = (entry / "comm").read_text().strip()
            except OSError:  # gone meanwhile, or a zombie's environment
                continue
        return found

    def children(self) -> dict[int, str]:
        return {p: c for p, c in self.marked().items() if p != self.process.pid}

    def wait_until(self, test, what: str, seconds: float = 60.0) -> None:
        end = time.monotonic() + seconds
        while not test():
            if self.process.poll() is not None:
                raise AssertionError(f"the command ended before {what}: "
                                     + self.log.read_text(errors="replace"))
            if time.monotonic() > end:
                raise AssertionError(f"no {what} within {seconds} s")
            time.sleep(0.02)

    def kill(self, signum: int = signal.SIGKILL) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=60)

    def assert_no_children_left(self) -> None:
        end = time.monotonic() + GONE_WITHIN
        while (left := self.marked()) and time.monotonic() < end:
            time.sleep(0.02)
        assert not left, f"still running after the command was killed: {left}"


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder``: relative path -> (size, mtime in ns)."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def assert_still(folder: Path) -> None:
    """Nothing under ``folder`` changes any more (the killed run's processes are gone)."""
    before = files(folder)
    time.sleep(1.0)
    assert files(folder) == before


def scratch(folder: Path) -> list[Path]:
    """The scratch under ``folder`` whose owner has ended (what a kill leaves)."""
    return [p for p in folder.rglob("*") if children.is_stale(p.name)]


def ok(tmp: Path, *args: object) -> str:
    run = Run(tmp, *args)
    assert run.process.wait(timeout=300) == 0, run.log.read_text(errors="replace")
    assert not run.marked()
    return run.log.read_text()


# --- kill -9 in the middle of the work -------------------------------------------------------

def test_kill_mockup_all_stops_workers_and_fluidsynth(tmp_path: Path) -> None:
    project = make_project(tmp_path / "film", None, cues=2)
    run = Run(tmp_path, "-p", project, "mockup", "--all", "--draft")
    run.wait_until(lambda: "fluidsynth" in run.children().values(), "FluidSynth")
    assert "python" in "".join(run.children().values())  # a worker started it
    run.kill()
    run.assert_no_children_left()
    assert_still(tmp_path)
    left = scratch(tmp_path)
    assert left, "a kill in the middle of a render leaves its scratch"
    # the next run, of one cue: it removes what the kill left in any cue's folder (the
    # kill may have caught 1M2's render, not 1M1's: seen in CI)
    ok(tmp_path, "-p", project, "mockup", "1M1", "--draft")
    assert not scratch(tmp_path)
    assert (project / "mockups" / "1M1" / "1M1_v1_mix.wav").is_file()


def _long_picture(tmp: Path) -> Path:
    """A 24 fps picture of 20 s (the test clip is 5 s: over before it can be killed)."""
    video = tmp / "reel.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x180:rate=24:duration=20", "-c:v", "libx264",
                    "-preset", "ultrafast", str(video)], check=True, timeout=120)
    return video


def test_kill_streamers_stops_ffmpeg(tmp_path: Path) -> None:
    project = tmp_path / "film"
    fs("init", project, "--title", "Streamers", "--fps", "24")
    fs("-p", project, "picture", "import", _long_picture(tmp_path), "--no-shots")
    fs("-p", project, "cue", "add", "1M1", "--start", "00:00:01:00", "--end", "00:00:19:00")
    fs("-p", project, "tempo", "set", "1M1", "--tempo", "120")
    run = Run(tmp_path, "-p", project, "streamers", "1M1", "--handles", "0")
    run.wait_until(lambda: "ffmpeg" in run.children().values(), "ffmpeg encoding")
    run.kill()
    run.assert_no_children_left()
    assert_still(tmp_path)
    assert [p.name for p in scratch(project / "streamers")], "the kill left the part file"
    assert not (project / "streamers" / "1M1.mp4").exists()
    ok(tmp_path, "-p", project, "streamers", "1M1", "--handles", "0")
    assert not scratch(tmp_path)
    assert (project / "streamers" / "1M1.mp4").stat().st_size > 1000


def _copying(out: Path):
    """The parts are being made: their hidden scratch folder is there."""
    return lambda: any(p.name.startswith(".filmscore-copy-") for p in out.glob(".*"))


def test_kill_parts_leaves_scratch_that_the_next_run_removes(tmp_path: Path) -> None:
    out = tmp_path / "parts"
    run = Run(tmp_path, "parts", "--from", DATA / "scores" / "mozart41_2" / "sheet.mxl",
              "--out", out)
    run.wait_until(_copying(out), "the scratch folder")
    run.kill()
    run.assert_no_children_left()
    assert_still(tmp_path)
    left = [p.name for p in scratch(out)]
    assert len(left) == 1 and left[0].startswith(".filmscore-copy-"), left
    ok(tmp_path, "parts", "--from", DATA / "checkscores" / "oboe_chord.musicxml",
       "--out", out)
    assert sorted(p.name for p in out.iterdir()) == ["oboe_chord"]


# --- SIGTERM: the command stops its workers and removes its own scratch --------------------------

def test_terminated_mockups_stop_workers_and_remove_their_scratch(tmp_path: Path) -> None:
    project = make_project(tmp_path / "film", None, cues=2)
    run = Run(tmp_path, "-p", project, "mockup", "--all", "--draft")
    run.wait_until(lambda: "fluidsynth" in run.children().values(), "FluidSynth")
    assert run.kill(signal.SIGTERM) == 128 + signal.SIGTERM
    run.assert_no_children_left()
    assert run.log.read_text().splitlines()[-1] == ("filmscore: interrupted; nothing was "
                                                    "written")
    assert "Traceback" not in run.log.read_text()
    assert not scratch(tmp_path) and list(run.tmp.iterdir()) == []
    assert not [p for p in project.rglob(".*") if ".part" in p.name]
    listing = fs("-p", project, "jobs")
    assert listing.count("failed") == 2 and "running" not in listing, listing


# --- the pieces --------------------------------------------------------------------------------

_PARENT = """
import sys, time
from filmscore import children
child = children.popen(["sleep", "60"])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_a_program_dies_with_its_parent(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE,
                              env=env, text=True)
    pid = int(parent.stdout.readline())
    assert Path(f"/proc/{pid}").exists()
    parent.kill()
    parent.wait()
    end = time.monotonic() + GONE_WITHIN
    while _running(pid) and time.monotonic() < end:
        time.sleep(0.02)
    assert not _running(pid)
    parent.stdout.close()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


def test_run_is_subprocess_run() -> None:
    done = children.run([sys.executable, "-c", "import sys; print(sys.stdin.read()[::-1])"],
                        input="abc", capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "cba\n")
    with pytest.raises(subprocess.CalledProcessError):
        children.run(["false"], check=True)
    with pytest.raises(subprocess.TimeoutExpired):
        children.run(["sleep", "5"], timeout=0.1)


def test_stale_scratch_is_that_of_ended_processes_on_this_host(tmp_path: Path) -> None:
    with children.scratch_folder(prefix=".filmscore-copy-", dir=tmp_path) as mine:
        name = Path(mine).name
        assert children.owner_tag() in name and not children.is_stale(name)
        host, pid, start = name.split("~")[1].split("-")
        dead = _dead_pid()
        others = {
            f".x.~{host}-{dead}-{start}~abcdefgh.part.wav": True,  # owner ended
            f".filmscore-copy-~{host}-{os.getppid()}-1~abcdefgh": True,  # id reused
            f".filmscore-copy-~{host}-{os.getppid()}-"
            f"{children._start_time(os.getppid())}~abcdefgh": False,  # owner running
            f".filmscore-copy-~000000-{dead}-{start}~abcdefgh": False,  # another host
            f"notes-~{host}-{dead}-{start}~abcdefgh.txt": False,  # not hidden nor ours
            f".x.~{host}-{dead}-{start}~abcdefgh/y": False,  # not a name
            ".filmscore-copy-abcdefgh": False,  # an older filmscore's: owner unknown
        }
        for other, stale in others.items():
            assert children.is_stale(other) is stale, other
            if "/" not in other:
                (tmp_path / other).mkdir()
        removed = children.sweep(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, s in others.items() if s)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for n, s in others.items() if not s and "/" not in n)


def test_a_stopped_pool_sweeps_what_its_workers_left(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker stopped between making a scratch folder and noting it (or killed after
    its grace period) cannot remove it: the pool's process sweeps it once the workers are
    gone (seen once in a full run: a mockup worker's render folder left behind)."""
    import tempfile

    from filmscore.parallel import process_pool

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    left = None
    with pytest.raises(RuntimeError, match="stopped"):
        with process_pool(1) as pool:
            tag = pool.submit(children.owner_tag).result()
            left = tmp_path / f"filmscore-render-{tag}abcdefgh"
            left.mkdir()  # as the worker would have, unnoted
            (left / "part.wav").write_bytes(b"RIFF")
            pool.submit(time.sleep, 30)
            raise RuntimeError("stopped")
    assert left is not None and not left.exists()
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- one place ---------------------------------------------------------------------------------

#: scratch made otherwise on purpose: a report folder handed to the web app (it removes it
#: after the download), and the ``.old`` folder holding the previous output while the new
#: one is renamed in (a kill there leaves the only copy of it: never swept)
_OWN_TEMP = {("overview/reports.py", "mkdtemp"), ("album/release.py", ".old"),
             ("recording/stagepack_service.py", ".old")}


def test_every_child_and_scratch_goes_through_children() -> None:
    """A program started, or scratch made, anywhere but filmscore.children would not die
    with its parent or not carry its owner: the tests above would not see it."""
    package = ROOT / "src" / "filmscore"
    found = []
    for path in package.rglob("*.py"):
        name = str(path.relative_to(package))
        if name in ("children.py", "parallel.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0]
            for call in ("subprocess.run(", "subprocess.Popen(", "subprocess.call(",
                         "check_output(", "check_call(", "os.system(", "os.popen(",
                         "ProcessPoolExecutor(", "TemporaryDirectory(", "mkdtemp(",
                         "mkstemp(", "NamedTemporaryFile("):
                if call in code and not any(name == f and w in code for f, w in _OWN_TEMP):
                    found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_a_worker_stopped_while_it_waits_for_its_program_exits() -> None:
    """A pool worker's SIGTERM handler runs in the thread that may be inside
    ``Popen.wait()`` for its FluidSynth, holding the Popen's non-reentrant wait lock; the
    handler must not wait on the program again (it deadlocked the worker for good)."""
    code = ("import os, sys\n"
            "from filmscore import children\n"
            "children.worker_setup(os.getppid())\n"
            "program = children.popen(['sleep', '60'])\n"
            "print(program.pid, flush=True)\n"
            "program.wait()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    worker = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              text=True, env=env)
    program = int(worker.stdout.readline())
    time.sleep(0.3)  # inside program.wait()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 128 + signal.SIGTERM
    end = time.monotonic() + GONE_WITHIN
    while Path(f"/proc/{program}").exists() and time.monotonic() < end:
        if (Path(f"/proc/{program}/stat").read_text().rpartition(")")[2].split()[0]
                in ("Z", "X")):
            break
        time.sleep(0.02)
    state = Path(f"/proc/{program}/stat")
    assert not state.exists() or state.read_text().rpartition(")")[2].split()[0] in "ZX"
