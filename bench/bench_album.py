"""Album selection and sequencing: CP-SAT (``album.sequence.solve``) against the greedy
fill a music editor makes in a spreadsheet (``album.sequence.greedy``), on a generated
150-cue score (bench/album_data.py, fixed seed: 185 candidates with alternates, album
versions and suites; the main title pinned first, the end credits last).

For a CD (79:57), one LP (2 sides of 22:00), a double LP (4 sides) and digital, in film
order (and in listening order for the CD and the LP): the objective (each track's rating
times its length in minutes, plus one point per theme covered), the sum of the ratings,
the themes covered of 12, the tracks, the time
used against the capacity, the side balance (longest less shortest side), the mean
contrast of neighbours (tempo and loudness, 0 to 2) and the time.
Both greedy rankings are run: by rating (then the shorter) and by rating per minute; and
CP-SAT once more with a track's value its rating alone (``Options.value="track"``), to
show what that objective does to an album.
CP-SAT runs with one worker (reproducible) and a 30 s limit (5 s with --quick).

    .venv/bin/python bench/bench_album.py [--limit 30] [--workers 1]   (prints the table)
    .venv/bin/python bench/run.py --only album [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from _common import Result  # noqa: E402

#: (case, medium, overrides, order)
CASES = (
    ("CD 79:57, film order", "cd", {}, "film"),
    ("CD 79:57, listening order", "cd", {}, "listening"),
    ("LP 2 x 22:00, film order", "vinyl", {}, "film"),
    ("LP 2 x 22:00, listening order", "vinyl", {}, "listening"),
    ("double LP 4 x 22:00, film order", "vinyl", {"sides": 4}, "film"),
    ("digital, film order", "digital", {}, "film"),
)


def contrast(seq, items: list) -> float:
    """The mean contrast of neighbours on a side, 0..2: tempo (40 BPM apart = 1) plus
    loudness (8 LU apart = 1), as the listening order counts it."""
    by_key = {i.key: i for i in items}
    pairs = [(by_key[a.key], by_key[b.key])
             for a, b in zip(seq.tracks, seq.tracks[1:], strict=False) if a.side == b.side]
    if not pairs:
        return 0.0
    return sum(min(1.0, abs(a.tempo_bpm - b.tempo_bpm) / 40)
               + min(1.0, abs(a.loudness_lufs - b.loudness_lufs) / 8)
               for a, b in pairs) / len(pairs)


def measure(seq, items: list | None = None) -> dict:
    """What the table shows of one album."""
    from filmscore.album.sequence import clock

    sides = list(seq.side_seconds.values())
    return {
        "contrast": contrast(seq, items) if items else None,
        "objective": seq.objective, "rating": seq.rating, "themes": len(seq.themes),
        "value": round(seq.objective - len(seq.themes), 2),
        "tracks": len(seq.tracks), "used": clock(seq.seconds),
        "capacity": clock(seq.capacity_seconds) if seq.capacity_seconds else "no limit",
        "fill": (float(seq.seconds / seq.capacity_seconds) if seq.capacity_seconds
                 else None),
        "sides": " / ".join(clock(s) for s in sides),
        "balance": clock(max(sides) - min(sides)) if len(sides) > 1 else "",
        "status": seq.status, "bound": seq.bound, "seconds": seq.solve_seconds,
    }


def compare(items: list, medium_name: str, overrides: dict, order: str, limit: float,
            workers: int = 1, by_track: bool = False) -> dict:
    """CP-SAT and both greedy fills on one case: {"solve": ..., "greedy": ...,
    "density": ...} as ``measure`` gives them (and "track": CP-SAT with a track's value
    its rating alone, with ``by_track``)."""
    from filmscore.album.plan import medium_rules
    from filmscore.album.sequence import Options, greedy, solve

    medium = medium_rules(medium_name, overrides)
    out = {}
    start = time.perf_counter()
    out["greedy"] = measure(greedy(items, medium, Options(order=order)), items)
    out["greedy"]["seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    out["density"] = measure(greedy(items, medium, Options(order=order,
                                                           greedy_by="density")), items)
    out["density"]["seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    out["solve"] = measure(solve(items, medium, Options(order=order,
                                                        time_limit_seconds=limit,
                                                        workers=workers)), items)
    out["solve"]["seconds"] = time.perf_counter() - start
    if by_track:
        start = time.perf_counter()
        out["track"] = measure(solve(items, medium, Options(order=order, value="track",
                                                            time_limit_seconds=limit,
                                                            workers=workers)), items)
        out["track"]["seconds"] = time.perf_counter() - start
    return out


def _describe(m: dict) -> str:
    text = (f"{m['objective']:.1f} ({m['value']:.1f} rating-minutes + {m['themes']} themes, "
            f"ratings {m['rating']}), {m['tracks']} "
            f"tracks, {m['used']} of {m['capacity']}")
    if m["balance"]:
        text += f", sides {m['sides']} (balance {m['balance']})"
    return text


def run(quick: bool = False, limit: float | None = None, workers: int = 1) -> list[Result]:
    from album_data import make_score

    limit = limit if limit is not None else (5.0 if quick else 30.0)
    items = make_score()
    results = []
    for case, medium, overrides, order in CASES:
        got = compare(items, medium, overrides, order, limit, workers)
        s, g, d = got["solve"], got["greedy"], got["density"]
        bound = f"; bound {s['bound']:g}" if s["bound"] is not None else ""
        print(f"  {case}: CP-SAT {_describe(s)} [{s['status']}{bound}] in "
              f"{s['seconds']:.1f} s; greedy {_describe(g)}; by density {_describe(d)}",
              flush=True)
        note = (f"CP-SAT {_describe(s)} ({s['status']}{bound}; {limit:g} s limit, "
                f"{workers} worker{'s' if workers > 1 else ''}) vs greedy {_describe(g)}; "
                f"greedy by rating per minute {d['objective']:.1f}")
        results.append(Result("album", f"{len(items)} candidates, {case}", "solve (CP-SAT)",
                              s["seconds"], "greedy (best rating while it fits)",
                              g["seconds"], note,
                              {"objective": f"{s['objective']:.1f}",
                               "greedy_objective": f"{g['objective']:.1f}"}))
    return results


def main(argv: list[str] | None = None) -> None:
    from album_data import make_score, summary

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=30.0, help="CP-SAT seconds a case")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT threads")
    args = parser.parse_args(argv)
    items = make_score()
    print(summary(items))
    print()
    print("| case | | objective (rating-minutes + themes) | ratings | tracks | time used | "
          "sides (balance) | contrast | status | time |")
    print("|---|---|---:|---:|---:|---|---|---:|---|---:|")
    for case, medium, overrides, order in CASES:
        got = compare(items, medium, overrides, order, args.limit, args.workers,
                      by_track=True)
        for name, label in (("solve", "**CP-SAT**"), ("greedy", "greedy, by rating"),
                            ("density", "greedy, by rating per minute"),
                            ("track", "CP-SAT, a track a rating")):
            m = got[name]
            fill = f" ({m['fill']:.1%})" if m["fill"] is not None else ""
            sides = f"{m['sides']} ({m['balance']})" if m["balance"] else ""
            status = m["status"] + (f", bound {m['bound']:g}" if m["bound"] is not None
                                    else "")
            took = (f"{m['seconds'] * 1000:.0f} ms" if m["seconds"] < 1
                    else f"{m['seconds']:.1f} s")
            print(f"| {case if name == 'solve' else ''} | {label} | {m['objective']:.1f} "
                  f"({m['value']:.1f} + {m['themes']}) | {m['rating']} | {m['tracks']} | "
                  f"{m['used']} of {m['capacity']}{fill} | {sides} | {m['contrast']:.2f} | "
                  f"{status} | {took} |", flush=True)


if __name__ == "__main__":
    main()
