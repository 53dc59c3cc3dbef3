"""Shared timing helpers for the benchmarks: warm up, repeat, take the median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "demo" / "popeye1936"


@dataclass
class Timing:
    """Median and spread of one measured callable, in seconds."""

    median_s: float
    min_s: float
    max_s: float
    repeats: int


def measure(fn: Callable[[], object], *, repeats: int = 5, warmups: int = 2) -> Timing:
    """Run ``fn`` ``warmups`` times unmeasured, then ``repeats`` times; median of those."""
    for _ in range(warmups):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times), max(times), repeats)


def measure_side_by_side(fns: dict[str, Callable[[], object]], *, repeats: int = 5,
                         warmups: int = 2) -> dict[str, Timing]:
    """Time several callables in turns (a, b, a, b, ...): each repeat runs every one once,
    so a burst of load from elsewhere on the machine hits ours and the peer alike."""
    for _ in range(warmups):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: Timing(statistics.median(t), min(t), max(t), repeats)
            for name, t in times.items()}


@dataclass
class Result:
    """One row of the results table: our time, the peer's time in the same run, the ratio.

    ``ratio`` is ours / peer: above 1 we are slower, below 1 faster.  ``peer_s`` is None
    when the peer could not do the job (refused the file, not installed, or has no peer).
    """

    bench: str
    case: str
    ours: str
    ours_s: float
    peer: str
    peer_s: float | None
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.peer_s is None or self.peer_s <= 0:
            return None
        return self.ours_s / self.peer_s


def fmt_seconds(seconds: float | None) -> str:
    """A duration for the table: µs, ms or s with three significant figures."""
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def replace_between(doc: Path, start: str, end: str, text: str) -> None:
    """Put ``text`` between the markers ``start`` and ``end`` of ``doc`` (BENCHMARKS.md),
    in place of what stood there; refuse a document without them."""
    content = doc.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise SystemExit(f"{doc.name} has no {start} ... {end} section")
    before, rest = content.split(start, 1)
    _, after = rest.split(end, 1)
    doc.write_text(before + start + text + end + after, encoding="utf-8")
