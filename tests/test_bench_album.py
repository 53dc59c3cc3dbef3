"""The album sequencing benchmark's own parts: the generated score (bench/album_data.py)
is what its docstring says, and the comparison (bench/bench_album.py) measures CP-SAT
and both greedy fills on the same candidates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_generated_score_is_the_150_cue_score_described():
    data = _module("album_data")
    items = data.make_score()
    assert items == data.make_score()  # the seed fixes it
    cues = [i for i in items if len(i.cues) == 1 and " " not in i.key]
    assert len(cues) == 150 and cues[0].key == "1M1" and cues[-1].key == "10M15"
    assert all(20 <= i.seconds <= 360 for i in cues)
    assert all((i.seconds * 48000).denominator == 1 for i in items)  # sample-exact
    assert 60 <= sorted(i.seconds for i in cues)[75] <= 90  # the median about 75 s
    assert (cues[0].pinned, cues[-1].pinned) == ("first", "last")
    assert [i.key for i in items if i.pinned] == ["1M1", "10M15"]
    assert {t for i in items for t in i.themes} == set(data.THEMES)
    keys = {i.key for i in cues}
    for item in items:
        assert item.cues <= keys and 0 <= item.rating <= 5  # every variant shares cues
    suites = [i for i in items if len(i.cues) > 1]
    assert suites and all(2 <= len(s.cues) <= 4 for s in suites)
    assert len(items) - len(cues) - len(suites) == 15 + 10  # alternates, album versions


def test_the_comparison_runs_both_sides_on_the_same_candidates():
    data = _module("album_data")
    bench = _module("bench_album")
    items = data.make_score(seed=7, cues=40)
    got = bench.compare(items, "vinyl", {"max_seconds": 600}, "film", limit=1.0)
    assert set(got) == {"solve", "greedy", "density"}
    for m in got.values():
        assert m["capacity"] == "20:00" and m["sides"].count(" / ") == 1
        assert m["seconds"] > 0 and m["tracks"] >= 2
        assert m["objective"] == pytest.approx(m["value"] + m["themes"], abs=0.011)
    assert got["solve"]["objective"] >= max(got["greedy"]["objective"],
                                            got["density"]["objective"])
    assert got["solve"]["status"] in ("optimal", "feasible")
    assert got["greedy"]["status"] == "greedy" and got["greedy"]["bound"] is None
