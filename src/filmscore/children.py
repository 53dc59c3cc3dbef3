"""Child processes that die with filmscore, and scratch that a killed run leaves behind.

Every program filmscore starts (ffmpeg, ffprobe, FluidSynth) is started through
:func:`popen` or :func:`run`, and every worker process comes from
``filmscore.parallel.process_pool``; both ask Linux to kill the child when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``), so that a ``kill -9`` of the command takes its
workers with it, and the workers take their FluidSynth and ffmpeg.  Nothing can run in a
process killed with SIGKILL, so only the kernel can do this; a process group would not
help there (and ``killpg`` of the shell's group would also kill the command's pipeline
neighbours, ``filmscore ... | tee log``).

Two things the parent-death signal needs, handled here:

- it fires when the *thread* that started the child ends, not the process: a child is
  started by the thread that waits for it (``run``, a ``Popen`` waited on by its caller,
  a pool used in one ``with`` block), never handed to another thread;
- a parent that dies between the fork and the ``prctl`` call would be missed: the child
  checks afterwards that its parent is still the one that started it, and exits if not.

SIGTERM, SIGHUP and SIGINT of the command (:func:`stop_on_signals`, installed by the CLI)
kill its children and worker pools at once and raise KeyboardInterrupt in the main
thread, so that every ``with`` block unwinds: scratch folders and temporary files are
removed and the command ends with one line.

Scratch (:func:`scratch_folder`, :func:`make_scratch_folder`, :func:`make_scratch_file`)
carries its owner in its name: a hash of the host, the process id and the process's
start time (``.filmscore-copy-~3fa2c1-41234-9876543~k2j4h5g6``).  The first time a process
makes scratch in a folder it removes the scratch there whose owner, on this host, is no
longer running (:func:`sweep`): what a killed run left is removed by the next run that
writes there, and a live run's scratch (on this host or another sharing the folder) is
never touched.  The start time guards against a reused process id.

Only Linux has ``PR_SET_PDEATHSIG``; elsewhere children are started as usual and rely on
the signal handlers alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path

# --- the parent-death signal ---------------------------------------------------------------

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


_prctl_loaded: list = []  # [prctl or None], once looked up


def _prctl():
    """libc's prctl, or None off Linux.  Looked up in the parent, before any fork: the code
    run between fork and exec must not load a library (and ctypes is not imported by a
    command that starts no child)."""
    if not _prctl_loaded:
        prctl = None
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                prctl = ctypes.CDLL(None, use_errno=True).prctl
                prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong,
                                  ctypes.c_ulong, ctypes.c_ulong]
                prctl.restype = ctypes.c_int
            except (OSError, AttributeError):
                prctl = None
        _prctl_loaded.append(prctl)
    return _prctl_loaded[0]


def die_with_parent(parent: int) -> None:
    """Have this process killed (SIGKILL) when its parent dies; exit at once if the parent
    ``parent`` is already gone (it died before the signal was asked for)."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _child_setup(parent: int):
    def setup() -> None:  # in the child, between fork and exec
        die_with_parent(parent)
        # a worker ignores SIGINT (its parent stops it); its programs answer Ctrl-C again
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.SIG_DFL)
    return setup


# --- programs ----------------------------------------------------------------------------

_children: weakref.WeakSet[subprocess.Popen] = weakref.WeakSet()
_pools: weakref.WeakSet = weakref.WeakSet()
_lock = threading.RLock()  # the signal handler may run while the main thread holds it


def popen(args, **options) -> subprocess.Popen:
    """``subprocess.Popen`` for a program that dies with this process (see the module's
    text).  The caller waits for it in the same thread."""
    if "preexec_fn" in options:
        raise TypeError("children.popen sets preexec_fn itself")
    # Python's subprocess has no parent-death option; preexec_fn is its only hook between
    # fork and exec.  It makes subprocess fork instead of vfork; the function it runs only
    # calls a C function resolved beforehand, reads getppid() and resets SIGINT.
    _prctl()  # looked up here, in the parent
    process = subprocess.Popen(args, preexec_fn=_child_setup(os.getpid()), **options)
    with _lock:
        _children.add(process)
    return process


def run(args, *, input=None, timeout: float | None = None, check: bool = False,
        capture_output: bool = False, **options) -> subprocess.CompletedProcess:
    """``subprocess.run`` for a program that dies with this process: the same arguments
    and result; the program is killed if the wait is interrupted."""
    if capture_output:
        options["stdout"] = options["stderr"] = subprocess.PIPE
    if input is not None:
        options["stdin"] = subprocess.PIPE
    with popen(args, **options) as process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except BaseException:  # a timeout, KeyboardInterrupt: the program must not stay
            process.kill()
            process.wait()
            raise
        code = process.poll()
    if check and code:
        raise subprocess.CalledProcessError(code, process.args, stdout, stderr)
    return subprocess.CompletedProcess(process.args, code, stdout, stderr)


def track_pool(pool) -> None:
    """Count a worker pool among the children :func:`kill_children` stops."""
    with _lock:
        _pools.add(pool)


def pool_processes(pool) -> list:
    """A ProcessPoolExecutor's worker processes.  Python 3.11's executor has no public way
    to reach them (``terminate_workers``/``kill_workers`` come in 3.14): ``_processes``."""
    return list((getattr(pool, "_processes", None) or {}).values())


def stop_pool(pool) -> None:
    """Ask a pool's workers to stop now (SIGTERM): a busy worker kills its programs and
    unwinds its task (removing its scratch), an idle one exits."""
    for process in pool_processes(pool):
        with contextlib.suppress(Exception):
            process.terminate()


def kill_children() -> None:
    """Kill every program this process started and that still runs; stop its pools'
    workers (the pool's ``with`` block waits for them a moment, then kills them)."""
    _kill_programs()
    with _lock:
        pools = list(_pools)
    for pool in pools:
        stop_pool(pool)


def _kill_programs(*, reap: bool = False) -> None:
    """SIGKILL every program this process started that has not been waited for; with
    ``reap``, wait for each to be dead, by ``waitpid``: never by ``Popen.wait``, whose
    lock is not reentrant and may be held by the very thread a signal handler runs in
    (waiting so deadlocked a worker whose SIGTERM came inside its wait for FluidSynth)."""
    with _lock:
        programs = list(_children)
    for process in programs:
        with contextlib.suppress(Exception):
            if process.returncode is None:
                os.kill(process.pid, signal.SIGKILL)
                if reap:
                    os.waitpid(process.pid, 0)


class Interrupted(KeyboardInterrupt):
    """The command was stopped by a signal (``signum``): SIGINT, SIGTERM or SIGHUP."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    def __reduce__(self):  # a worker's, sent back to its pool's process
        return (Interrupted, (self.signum,))


def _on_signal(signum, _frame) -> None:
    kill_children()
    raise Interrupted(signum)


# --- pool workers ------------------------------------------------------------------------------

def worker_setup(parent: int) -> None:
    """First thing in a pool worker: die with ``parent``, leave Ctrl-C to it, and on its
    SIGTERM kill its programs, remove its scratch and exit."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_worker_signal)


def _on_worker_signal(signum, _frame) -> None:
    # Not an exception to unwind the task, as in the command's main thread: raised inside
    # a finally block or a callback it is printed and dropped ("Exception ignored in"),
    # and the task goes on.  The worker removes what it made and exits instead.
    # reaped before the scratch is removed: a FluidSynth still dying wrote its WAV into
    # the folder being removed (seen in the full test run).  Safe: this worker exits
    # below, whoever was waiting for the program.
    _kill_programs(reap=True)
    remove_own_scratch()
    os._exit(128 + signum)


def stop_on_signals() -> None:
    """In the main thread of a command: SIGINT, SIGTERM and SIGHUP kill the command's
    children and raise :class:`Interrupted` (a KeyboardInterrupt), so that it unwinds,
    removes its scratch and exits with one line."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not the main thread: nothing to do
            signal.signal(signum, _on_signal)


# --- scratch carrying its owner ------------------------------------------------------------

#: ``~HOST-PID-START~`` then tempfile's 8 random characters, then the suffix (if any)
_TAG = re.compile(r"~([0-9a-f]{6})-(\d+)-(\d+)~[a-z0-9_]{8}(?:\.[^/]*)?")
_host = f"{zlib.crc32(os.uname().nodename.encode('utf-8', 'replace')) & 0xFFFFFF:06x}"
_swept: set[tuple[int, str]] = set()
_made: dict[int, set[str]] = {}  # process id -> the scratch it made (it may be gone since)


def _start_time(pid: int) -> int | None:
    """The process's start time (clock ticks after boot, /proc/PID/stat field 22); None
    when there is no such process or it has ended (0 without /proc: the id alone then
    names it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    except OSError:
        return 0
    # the command name (field 2) may hold spaces and parentheses: count after the last ')'
    fields = stat.rpartition(")")[2].split()
    if fields and fields[0] in ("Z", "X"):  # ended, not yet reaped by its new parent
        return None
    return int(fields[19]) if len(fields) > 19 else 0


_tags: dict[int, str] = {}


def owner_tag() -> str:
    """This process's mark in a scratch name: ``~HOST-PID-START~``."""
    pid = os.getpid()
    if pid not in _tags:
        _tags[pid] = f"~{_host}-{pid}-{_start_time(pid) or 0}~"
    return _tags[pid]


def is_stale(name: str) -> bool:
    """Whether ``name`` is scratch made on this host by a process no longer running."""
    if not (name.startswith(".") or name.startswith("filmscore-")):
        return False
    found = _TAG.search(name)
    if found is None or found.end() != len(name) or found.group(1) != _host:
        return False
    pid, start = int(found.group(2)), int(found.group(3))
    if pid == os.getpid():
        return False
    now = _start_time(pid)
    return now is None or (start != 0 and now != 0 and now != start)


def sweep(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the stale scratch in ``folder`` (the temporary folder by default): what
    killed runs left.  Returns what was removed; a folder that cannot be read is left."""
    base = Path(folder if folder is not None else tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        if not is_stale(entry.name):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def sweep_after_workers() -> None:
    """Remove what a stopped pool's workers left, once they are gone (their scratch is
    stale then): a worker killed after its grace period, or stopped between making a
    scratch folder and noting it, could not remove its own.  The temporary folder and
    every folder this process swept."""
    pid = os.getpid()
    with _lock:
        bases = {os.path.abspath(tempfile.gettempdir())} | {b for p, b in _swept if p == pid}
    for base in sorted(bases):
        sweep(base)


def _sweep_once(folder: str | os.PathLike[str] | None) -> None:
    base = os.path.abspath(folder if folder is not None else tempfile.gettempdir())
    key = (os.getpid(), base)
    if key not in _swept:  # a listing per folder and process, not per file written
        _swept.add(key)
        sweep(base)


def _remember(path: str) -> str:
    with _lock:
        _made.setdefault(os.getpid(), set()).add(os.path.abspath(path))
    return path


def remove_own_scratch() -> None:
    """Remove the scratch this process made that is still there (when it is stopped)."""
    with _lock:
        made = list(_made.pop(os.getpid(), ()))
    for path in made:
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)


def scratch_folder(prefix: str = "filmscore-", dir: str | os.PathLike[str] | None = None,
                   suffix: str = "") -> tempfile.TemporaryDirectory:
    """``tempfile.TemporaryDirectory`` whose name carries this process as its owner, after
    removing the stale scratch in the same folder."""
    _sweep_once(dir)
    folder = tempfile.TemporaryDirectory(prefix=prefix + owner_tag(), suffix=suffix, dir=dir)
    _remember(folder.name)
    return folder


def make_scratch_folder(prefix: str = "filmscore-",
                        dir: str | os.PathLike[str] | None = None, suffix: str = "") -> str:
    """``tempfile.mkdtemp`` with the owner in the name (the caller removes or renames it)."""
    _sweep_once(dir)
    return _remember(tempfile.mkdtemp(prefix=prefix + owner_tag(), suffix=suffix, dir=dir))


def make_scratch_file(prefix: str = "filmscore-", dir: str | os.PathLike[str] | None = None,
                      suffix: str = "") -> tuple[int, str]:
    """``tempfile.mkstemp`` with the owner in the name: (descriptor, path)."""
    _sweep_once(dir)
    fd, path = tempfile.mkstemp(prefix=prefix + owner_tag(), suffix=suffix, dir=dir)
    return fd, _remember(path)


@contextlib.contextmanager
def scratch_file(prefix: str = "filmscore-", dir: str | os.PathLike[str] | None = None,
                 suffix: str = "") -> Iterator[Path]:
    """A scratch file's path (made empty), removed afterwards."""
    fd, path = make_scratch_file(prefix, dir, suffix)
    os.close(fd)
    try:
        yield Path(path)
    finally:
        Path(path).unlink(missing_ok=True)
