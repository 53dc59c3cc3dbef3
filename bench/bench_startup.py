"""Start-up and listing: the CPU time of a whole `filmscore` command, against the floor a
Python command line on the same database can reach.

Every case is a fresh process, as a user runs it; its CPU time (user + system, from
``getrusage(RUSAGE_CHILDREN)``) is what is timed, so that the other users of a shared
machine count less than in wall time.  The projects are made here: SQLite, 24 fps, one
of 800 cues in 8 reels and one of 10, each cue with two sync points and a line of notes.

* ``filmscore --help`` against ``python -c pass``: the interpreter's own start, the floor
  of any Python command.
* ``filmscore cue list`` (the spotting list and the totals) of 10 and of 800 cues against
  a script that imports SQLAlchemy, runs one query for the same cues and sync points and
  prints a line a cue: the floor a Python command line with this database reaches (no
  ORM, no checks, no table layout).
* ``filmscore cue show 2M50`` (one cue found by its number) against the same script with
  a WHERE: one query, one cue.

The statements our list and lookup send are counted in a process of their own
(SQLAlchemy's ``before_cursor_execute``).  ``--src DIR`` times another checkout's
sources; ``--before DIR`` adds a column: that checkout's sources (the code before a
change) timed in the same turns; ``--markdown`` prints the table for BENCHMARKS.md.

    .venv/bin/python bench/bench_startup.py [--before DIR] [--markdown] [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, Result, fmt_seconds

N_CUES = 800
N_SMALL = 10
SHOWN = "2M50"

#: the console script, as pip writes it: the same imports and the same entry point
CLI = "import sys; sys.argv[0] = 'filmscore'; from filmscore.cli import main; main()"

#: the floor: SQLAlchemy, one query, a line a cue (argv: database URL, project id, cue)
PEER = """
import sys
import sqlalchemy as sa
url, project, number = sys.argv[1], int(sys.argv[2]), sys.argv[3]
engine = sa.create_engine(url)
query = ("SELECT c.number, c.title, c.start_frame, c.end_frame, c.notes, s.frame, s.kind "
         "FROM cues c LEFT JOIN sync_points s ON s.cue_id = c.id WHERE c.project_id = :p"
         + (" AND c.number = :n" if number else "")
         + " ORDER BY c.start_frame, c.number, s.frame")
with engine.connect() as conn:
    rows = conn.execute(sa.text(query), {"p": project, "n": number}).all()
cues = {}
for number, title, start, end, notes, frame, kind in rows:
    cue = cues.setdefault(number, [title, start, end, notes, []])
    if frame is not None:
        cue[4].append((frame, kind))
print("\\n".join(f"{n} {t} {a} {b} {len(s)} {x}" for n, (t, a, b, x, s) in cues.items()))
"""


def make_project(folder: Path, n_cues: int = N_CUES) -> Path:
    """A SQLite project of ``n_cues`` cues, 100 a reel, two sync points each."""
    # (made with this checkout's code: the schema is the same before and after)
    from filmscore.project import init_project, open_project
    from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
    from filmscore.spotting.service import import_cues

    init_project(folder, title="Start-up", fps="24")
    cues = []
    for i in range(n_cues):
        start = i * 240
        cues.append(CueSpec(number=CueNumber(i // 100 + 1, i % 100 + 1), title=f"Cue {i + 1}",
                            start_frame=start, end_frame=start + 200,
                            notes="Under the dialogue, out with the door.",
                            sync_points=(SyncSpec(frame=start + 10),
                                         SyncSpec(frame=start + 50, kind="soft"))))
    with open_project(folder) as pctx:
        import_cues(pctx, cues)
    return folder


#: counts the statements of the list and of one lookup, the project already open (run with
#: the sources timed; argv: the project folder, the cue)
COUNT = """
import sys
from sqlalchemy import event
from filmscore.project import open_project
from filmscore.spotting.service import get_cue, list_cues
counts = []
with open_project(sys.argv[1]) as pctx:
    for call in (lambda: list_cues(pctx), lambda: get_cue(pctx, sys.argv[2])):
        sent = []
        note = lambda *args: sent.append(args[2])
        event.listen(pctx.engine, "before_cursor_execute", note)
        call()
        event.remove(pctx.engine, "before_cursor_execute", note)
        counts.append(len(sent))
print(*counts)
"""


def count_statements(folder: Path, env: dict[str, str]) -> tuple[int, int]:
    """Statements sent by the cue list and by one lookup (the project already open)."""
    done = subprocess.run([sys.executable, "-c", COUNT, str(folder), SHOWN], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"counting the statements failed: {done.stderr[-500:]}")
    listed, looked = done.stdout.split()
    return int(listed), int(looked)


def cpu_of(argv: list[str], *, cwd: Path, env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one run of ``argv``; its exit must be 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[-3:]} failed ({done.returncode}): "
                           f"{done.stderr.decode(errors='replace')[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_cpu(runs: dict[str, tuple[list[str], dict[str, str], Path]], *, repeats: int,
                warmups: int) -> dict[str, float]:
    """Median CPU seconds of each command (run in its folder), in turns (a, b, a, b, ...)."""
    for _ in range(warmups):
        for argv, env, cwd in runs.values():
            cpu_of(argv, cwd=cwd, env=env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (argv, env, cwd) in runs.items():
            times[name].append(cpu_of(argv, cwd=cwd, env=env))
    return {name: statistics.median(t) for name, t in times.items()}


def _env(src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FILMSCORE_DB", "PYTHONPATH")}
    env["PYTHONPATH"] = str(src)
    env["COLUMNS"] = "120"
    return env


def run(quick: bool = False, src: Path | None = None,
        before: Path | None = None) -> list[Result]:
    """The table's rows; with ``before`` (another checkout's src/) each row also times
    that code, in the same turns, and counts its statements."""
    src = (src or ROOT / "src").resolve()
    repeats, warmups = (3, 1) if quick else (7, 1)
    n_cues = 200 if quick else N_CUES
    py = sys.executable
    ours, plain = _env(src), _env(src)
    with tempfile.TemporaryDirectory(prefix="filmscore-bench-") as tmp:
        folder = make_project(Path(tmp) / "project", n_cues)
        small = make_project(Path(tmp) / "small", N_SMALL)
        url = f"sqlite:///{folder.resolve() / 'filmscore.db'}"
        small_url = f"sqlite:///{small.resolve() / 'filmscore.db'}"
        cases = {  # name: (command line, environment, project folder)
            "help": ([py, "-c", CLI, "--help"], ours, folder),
            "pass": ([py, "-c", "pass"], plain, folder),
            "small": ([py, "-c", CLI, "cue", "list"], ours, small),
            "peer small": ([py, "-c", PEER, small_url, "1", ""], plain, small),
            "list": ([py, "-c", CLI, "cue", "list"], ours, folder),
            "peer list": ([py, "-c", PEER, url, "1", ""], plain, folder),
            "show": ([py, "-c", CLI, "cue", "show", SHOWN], ours, folder),
            "peer show": ([py, "-c", PEER, url, "1", SHOWN], plain, folder),
        }
        counts = {"": count_statements(folder, ours)}
        if before is not None:
            old = _env(before.resolve())
            for name in ("help", "small", "list", "show"):
                argv, _, where = cases[name]
                cases[f"{name} before"] = (argv, old, where)
            counts["before"] = count_statements(folder, old)
        cpu = measure_cpu(cases, repeats=repeats, warmups=warmups)
    rows = [("help", "pass", "`filmscore --help`", "filmscore --help",
             "python -c pass (floor)", "target < 0.3 s"),
            ("small", "peer small", f"`filmscore cue list`, {N_SMALL} cues",
             "filmscore cue list", "SQLAlchemy, one query, a line a cue (floor)",
             "target < 0.3 s"),
            ("list", "peer list", f"`filmscore cue list`, {n_cues} cues x 2 sync points",
             "filmscore cue list", "SQLAlchemy, one query, a line a cue (floor)",
             "{} statement(s) for the list"),
            ("show", "peer show", f"`filmscore cue show {SHOWN}` among {n_cues} cues",
             "filmscore cue show", "SQLAlchemy, one query with WHERE (floor)",
             "{} statement(s) for the lookup")]
    results = []
    for name, peer, case, ours_label, peer_label, note in rows:
        index = {"list": 0, "show": 1}.get(name)
        text = note if index is None else note.format(counts[""][index])
        extra = {}
        if before is not None:
            extra["before"] = fmt_seconds(cpu[f"{name} before"])
            if index is not None:
                text += f" (before: {counts['before'][index]})"
        results.append(Result("startup", f"{case}, CPU time", ours_label, cpu[name],
                              peer_label, cpu[peer], text, extra))
    return results


def markdown(results: list[Result]) -> str:
    before = any("before" in r.extra for r in results)
    rows = ["| case | floor | " + ("before | " if before else "") + "filmscore | "
            "floor's | ours / floor | notes |",
            "|---|---|" + ("---:|" if before else "") + "---:|---:|---:|---|"]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        old = f"{r.extra.get('before', '—')} | " if before else ""
        rows.append(f"| {r.case} | {r.peer} | {old}{fmt_seconds(r.ours_s)} | "
                    f"{fmt_seconds(r.peer_s)} | {ratio} | {r.note} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=None,
                        help="the sources to time (default: this checkout's src/)")
    parser.add_argument("--before", type=Path, default=None,
                        help="also time this src/ (the code before a change), in turns")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--quick", action="store_true", help="200 cues, 3 repeats")
    args = parser.parse_args()
    results = run(quick=args.quick, src=args.src, before=args.before)
    if args.markdown:
        print(markdown(results))
    else:
        for r in results:
            print(f"{r.case}: {fmt_seconds(r.ours_s)} vs {fmt_seconds(r.peer_s)} "
                  f"({r.ratio:.2f}x); {r.note}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
