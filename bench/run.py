"""Run every benchmark in bench/ (bench_*.py), print the table, optionally update BENCHMARKS.md.

Each module has ``run(quick: bool) -> list[Result]`` and times our code and its peer in
the same run.  ``--write`` replaces the part of BENCHMARKS.md between
``<!-- results:start -->`` and ``<!-- results:end -->`` with the table, the machine and
the date.  ``--only timecode,edl`` runs some; with ``--write`` their rows replace those
benchmarks' rows in the table (the others are kept, and a line under the run's says
what was rerun when).  ``--quick`` runs small sizes (for a smoke check, not for the
table).

    .venv/bin/python bench/run.py [--write] [--only NAME[,NAME]] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOC = ROOT / "BENCHMARKS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

from _common import Result, fmt_seconds  # noqa: E402


def modules() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH.glob("bench_*.py"))


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ffmpeg_version() -> str:
    try:
        out = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True,
                             check=False).stdout
    except OSError:
        return "not installed"
    first = out.splitlines()[0] if out else ""
    return first.split()[2] if len(first.split()) > 2 else "?"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine_info(load_before: str) -> list[tuple[str, str]]:
    return [
        ("date", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("machine", f"{_cpu()}, {os.cpu_count()} cores, {platform.system()} "
                    f"{platform.release()}"),
        ("Python", platform.python_version()),
        ("peers", f"OpenTimelineIO {_version('opentimelineio')}, otio-cmx3600-adapter "
                  f"{_version('otio-cmx3600-adapter')}, pycmx {_version('pycmx')}, "
                  f"ffmpeg {_ffmpeg_version()}"),
        ("filmscore", _version("filmscore")),
        ("load average (1, 5, 15 min)", f"{load_before} before the run, {_load()} after; "
                                        "ours and each peer run in turns, so both see it"),
    ]


def _ratio(r: Result) -> str:
    if r.ratio is None:
        return "—"
    return f"{r.ratio:.2f}x"


def table(results: list[Result]) -> str:
    head = ("| benchmark | case | filmscore | time | peer | peer time | ours / peer | notes |\n"
            "|---|---|---|---:|---|---:|---:|---|")
    rows = [f"| {r.bench} | {r.case} | `{r.ours}` | {fmt_seconds(r.ours_s)} | {r.peer} | "
            f"{fmt_seconds(r.peer_s)} | {_ratio(r)} | {r.note} |" for r in results]
    return "\n".join([head, *rows])


def results_section(results: list[Result], elapsed_s: float, quick: bool,
                    load_before: str) -> str:
    info = "\n".join(f"- **{k}**: {v}" for k, v in machine_info(load_before))
    mode = " (--quick: small sizes, not for quoting)" if quick else ""
    return (f"{info}\n- **run**: `bench/run.py`, {elapsed_s:.0f} s{mode}; times are medians "
            f"of repeated runs after warm-ups; ratio = our time / peer time "
            f"(above 1: we are slower)\n\n{table(results)}\n")


def _rerun_of(line: str) -> set[str] | frozenset:
    """The benchmarks a '- **rerun**: a, b on DATE' line names (none for other lines:
    the full set, so that ``<=`` keeps them)."""
    if not line.startswith("- **rerun**: "):
        return frozenset({"\0"})
    return {n.strip() for n in line.removeprefix("- **rerun**: ").split(" on ")[0].split(",")}


def rerun_section(old: str, results: list[Result], names: list[str], elapsed_s: float,
                  load_before: str) -> str:
    """The results block ``old`` with the rows of the benchmarks ``names`` replaced by
    ``results`` (the other rows kept, in benchmark order) and a line saying so."""
    lines = old.strip("\n").splitlines()
    info = [line for line in lines if not line.startswith("|") and line.strip()
            and not _rerun_of(line) <= set(names)]  # an older rerun of these: replaced
    rows = [line for line in lines if line.startswith("|")][2:]  # past the head and rule
    kept = [row for row in rows if row.split("|")[1].strip() not in names]
    new = table(results).splitlines()[2:]
    merged = sorted(kept + new, key=lambda row: row.split("|")[1].strip())  # stable
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    info.append(f"- **rerun**: {', '.join(names)} on {when}, `bench/run.py --only "
                f"{','.join(names)}`, {elapsed_s:.0f} s, load {load_before} before, "
                f"{_load()} after; the other rows are the run above")
    head = table([]).splitlines()
    return "\n".join(info) + "\n\n" + "\n".join(head + merged) + "\n"


def current_section() -> str:
    """The results block of BENCHMARKS.md as it stands ('' when there is none)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if START not in text or END not in text:
        return ""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def write_doc(section: str) -> None:
    block = f"{START}\n{section}{END}"
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            before, rest = text.split(START, 1)
            _, after = rest.split(END, 1)
            DOC.write_text(before + block + after, encoding="utf-8")
            return
        DOC.write_text(text.rstrip("\n") + "\n\n## Results\n\n" + block + "\n",
                       encoding="utf-8")
        return
    DOC.write_text(f"# Benchmarks\n\nRun with `make bench`.\n\n## Results\n\n{block}\n",
                   encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="rewrite the results section of BENCHMARKS.md")
    parser.add_argument("--only", default="",
                        help=f"comma-separated benchmarks to run, of: {', '.join(modules())}")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    args = parser.parse_args(argv)
    names = modules()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"unknown benchmark {unknown[0]!r}; valid: {', '.join(names)}")
        names = wanted
    if args.write and args.quick:
        parser.error("--write records a real run: do not combine it with --quick")
    if args.write and args.only and not current_section():
        parser.error("--write with --only replaces rows of a results table: there is none "
                     "yet; run them all first")
    load_before = _load()
    started = time.perf_counter()
    results: list[Result] = []
    for name in names:
        print(f"[{name}]", flush=True)
        module = importlib.import_module(f"bench_{name}")
        t0 = time.perf_counter()
        results.extend(module.run(quick=args.quick))
        print(f"  ({time.perf_counter() - t0:.1f} s)", flush=True)
    elapsed = time.perf_counter() - started
    section = results_section(results, elapsed, args.quick, load_before)
    print()
    print(section)
    if args.write:
        if args.only:
            section = rerun_section(current_section(), results, names, elapsed, load_before)
        write_doc(section)
        print(f"wrote the results into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
