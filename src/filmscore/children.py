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
import ctypes
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

# --- the parent-death signal ---------------------------------------------------------------

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                      ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


# resolved once, in the parent: the code run between fork and exec must not load a library
_prctl = _load_prctl()


def die_with_parent(parent: int) -> None:
    """Have this process killed (SIGKILL) when its parent dies; exit at once if the parent
    ``parent`` is already gone (it died before the signal was asked for)."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _child_setup(parent: int):
    def setup() -> None:  # in the child, between fork and exec
        die_with_parent(parent)
        # a worker ignores SIGINT (its parent stops it); its programs answer Ctrl-C again
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    return setup


# --- programs ----------------------------------------------------------------------------

_children: weakref.WeakSet[subprocess.Popen] = weakref.WeakSet()
_pools: weakref.WeakSet = weakref.WeakSet()
_lock = threading.Lock()


def popen(args, **options) -> subprocess.Popen:
    """``subprocess.Popen`` for a program that dies with this process (see the module's
    text).  The caller waits for it in the same thread."""
    if "preexec_fn" in options:
        raise TypeError("children.popen sets preexec_fn itself")
    # Python's subprocess has no parent-death option; preexec_fn is its only hook between
    # fork and exec.  It makes subprocess fork instead of vfork; the function it runs only
    # calls a C function resolved beforehand and reads getppid().
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


def kill_pool(pool) -> None:
    """Kill a ProcessPoolExecutor's worker processes now.  Python 3.11's executor has no
    public way to do it (``kill_workers`` comes in 3.14): its ``_processes`` is read."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


def kill_children() -> None:
    """Kill every program and pool worker this process started and that still runs."""
    with _lock:
        programs, pools = list(_children), list(_pools)
    for process in programs:
        with contextlib.suppress(Exception):
            if process.poll() is None:
                process.kill()
    for pool in pools:
        kill_pool(pool)


class Interrupted(KeyboardInterrupt):
    """The command was stopped by a signal (``signum``): SIGINT, SIGTERM or SIGHUP."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _on_signal(signum, _frame) -> None:
    kill_children()
    raise Interrupted(signum)


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
_host = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_swept: set[tuple[int, str]] = set()


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


def _sweep_once(folder: str | os.PathLike[str] | None) -> None:
    base = os.path.abspath(folder if folder is not None else tempfile.gettempdir())
    key = (os.getpid(), base)
    if key not in _swept:  # a listing per folder and process, not per file written
        _swept.add(key)
        sweep(base)


def scratch_folder(prefix: str = "filmscore-", dir: str | os.PathLike[str] | None = None,
                   suffix: str = "") -> tempfile.TemporaryDirectory:
    """``tempfile.TemporaryDirectory`` whose name carries this process as its owner, after
    removing the stale scratch in the same folder."""
    _sweep_once(dir)
    return tempfile.TemporaryDirectory(prefix=prefix + owner_tag(), suffix=suffix, dir=dir)


def make_scratch_folder(prefix: str = "filmscore-",
                        dir: str | os.PathLike[str] | None = None, suffix: str = "") -> str:
    """``tempfile.mkdtemp`` with the owner in the name (the caller removes or renames it)."""
    _sweep_once(dir)
    return tempfile.mkdtemp(prefix=prefix + owner_tag(), suffix=suffix, dir=dir)


def make_scratch_file(prefix: str = "filmscore-", dir: str | os.PathLike[str] | None = None,
                      suffix: str = "") -> tuple[int, str]:
    """``tempfile.mkstemp`` with the owner in the name: (descriptor, path)."""
    _sweep_once(dir)
    return tempfile.mkstemp(prefix=prefix + owner_tag(), suffix=suffix, dir=dir)


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
