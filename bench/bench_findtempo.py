"""Find tempo: exact intervals against a numpy dense scan, 10, 40 and 160 hits over 5 min.

Each cue (fixed seed) has N hard hits over 5 minutes at 23.976, placed on the eighths of
a 97.3 BPM click and rounded to the frame; tolerance 1 frame, eighths allowed, tempo range
40-240 BPM.  ``min_hits`` is every hit, every hit but two, and 90% of them.

The peer is the scan one writes with numpy instead of the interval arithmetic: every
tempo on a 1/1000 BPM grid (the resolution of the old pure-Python scan, 200,001 tempos;
1/100 in --quick), vectorised over the tempos, float64, the hits in turn, and -- to make
it as fast as a scan gets -- a tempo is dropped as soon as more hits miss it than
``min_hits`` allows.  It answers with the grid tempos where at least ``min_hits`` land.

Ours: ``landing_intervals`` (the exact maximal intervals and which hits land in each:
the same question, answered for every tempo, not a sample) for every case, and
``find_tempos`` (those intervals ranked, with the best tempo, frames off and bar|beat of
every hit: what ``filmscore tempo find`` shows) for every hit required.  The check, in
every case: the grid tempos inside our intervals are exactly the grid tempos the scan
keeps (compared exactly, as Fractions), and once, at 40 hits, the numpy scan gives the
same tempos as the exact pure-Python scan (``sync.tempo_scan``).

"intervals" in the notes is the number of (hit, grid line) landing intervals across the
range: what the exact method's work for ``min_hits`` below the hits grows with.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
from _common import Result, fmt_seconds, measure_side_by_side

LENGTH_S = 300
BPM = Fraction(973, 10)
TEMPO_RANGE = (Fraction(40), Fraction(240))


def make_cue(n_hits: int, seed: int = 1936):
    from filmscore.sync.findtempo import Hit
    from filmscore.timecode import get_rate

    rate = get_rate("23.976")
    rng = random.Random(seed)
    eighth_s = Fraction(60) / BPM / 2
    last = int(LENGTH_S / eighth_s)
    ks = sorted(rng.sample(range(1, last), n_hits))
    start = 86400  # 01:00:00:00 at 23.976 (labels as at 24)
    return rate, start, [Hit(start + round(k * eighth_s * rate.fps), label=f"h{i + 1}")
                         for i, k in enumerate(ks)]


def numpy_scan(hits, *, start_frame, rate, tolerance_frames, subdivision, step, min_hits,
               tempo_range=TEMPO_RANGE) -> np.ndarray:
    """Grid indices j (tempo lo + j*step) at which at least ``min_hits`` hits land.

    A hit d frames after bar 1 lands at T when the nearest grid line is within the
    tolerance: |round(d/P) P - d| <= tol, P = 60 fps / (subdivision T) frames.  The
    tolerance gets 1e-9 frames of slack for float rounding (a hit exactly on the edge
    lands, as in the exact methods).
    """
    lo, hi = tempo_range
    n = math.floor((hi - lo) / step)
    tempos = float(lo) + np.arange(n + 1) * float(step)
    c = 60 * float(rate.fps) / subdivision
    tol = float(tolerance_frames) + 1e-9
    allowed = len(hits) - min_hits
    alive = np.arange(tempos.size)
    misses = np.zeros(tempos.size, dtype=np.int32)
    # the latest hits first: their landing intervals are the narrowest, so they drop
    # the most tempos soonest
    for d in sorted((h.frame - start_frame for h in hits), reverse=True):
        p = c / tempos[alive]
        q = d / p
        miss = np.abs(q - np.rint(q)) * p > tol
        if allowed == 0:
            alive = alive[~miss]
        else:
            misses[alive[miss]] += 1
            alive = alive[misses[alive] <= allowed]
        if alive.size == 0:
            break
    return alive


def _grid_in(pieces, lo: Fraction, step: Fraction) -> set[int]:
    """Grid indices inside the exact intervals (a, b, ...), exactly."""
    out: set[int] = set()
    for a, b, *_ in pieces:
        out.update(range(math.ceil((a - lo) / step), math.floor((b - lo) / step) + 1))
    return out


def _n_intervals(hits, kw) -> int:
    from filmscore.sync.findtempo import _float_intervals, _prepare

    preps = _prepare(hits, start_frame=kw["start_frame"], rate=kw["rate"],
                     tolerance_frames=kw["tolerance_frames"], subdivision=kw["subdivision"],
                     meter_beats=4, tempo_range=TEMPO_RANGE, cue="bench")
    lo, hi = (float(v) for v in TEMPO_RANGE)
    return int(_float_intervals(preps, np.array([lo]), np.array([hi]), 0.0)[0].size)


def _best(t, ours: str) -> str:
    """The fastest of the repeats, ours and the peer: under load the medians of short
    runs carry the machine's scheduling, the minima less so."""
    a, b = t[ours].min_s, t["peer"].min_s
    return f"best of {t[ours].repeats}: {fmt_seconds(a)} vs {fmt_seconds(b)}, {_faster(a, b)}"


def _faster(ours_s: float, peer_s: float) -> str:
    return (f"{peer_s / ours_s:.1f}x faster" if ours_s <= peer_s
            else f"{ours_s / peer_s:.1f}x slower")


def run(quick: bool = False) -> list[Result]:
    from filmscore.sync.findtempo import find_tempos, landing_intervals
    from filmscore.sync.tempo_scan import scan_tempos

    step = Fraction(1, 100) if quick else Fraction(1, 1000)
    n_grid = math.floor((TEMPO_RANGE[1] - TEMPO_RANGE[0]) / step) + 1
    sizes = (10, 40) if quick else (10, 40, 160)
    results = []
    for n_hits in sizes:
        rate, start, hits = make_cue(n_hits)
        kw = dict(start_frame=start, rate=rate, tolerance_frames=Fraction(1), subdivision=2)
        n_iv = _n_intervals(hits, kw)
        mins = sorted({n_hits, n_hits - 2, round(0.9 * n_hits)}, reverse=True)
        for min_hits in mins:
            ours = landing_intervals(hits, min_hits=min_hits, **kw)
            scan = numpy_scan(hits, step=step, min_hits=min_hits, **kw)
            want = _grid_in(ours, TEMPO_RANGE[0], step)
            got = set(scan.tolist())
            agree = "agree" if want == got else (
                f"DISAGREE: {len(got - want)} scan-only, {len(want - got)} ours-only")
            if n_hits == 40 and min_hits == n_hits:
                # the numpy scan against the exact pure-Python one, once (3 s)
                exact = {j for j, (_, landed) in enumerate(scan_tempos(hits, step=step, **kw))
                         if len(landed) >= min_hits}
                agree += ("; numpy scan = exact scan" if exact == got
                          else f"; numpy scan DIFFERS from the exact scan at "
                               f"{len(exact ^ got)} tempos")
            # (the callables are used before the loop moves on: late binding is fine)
            fns = {
                "intervals": lambda: landing_intervals(hits, min_hits=min_hits, **kw),  # noqa: B023
                "peer": lambda: numpy_scan(hits, step=step, min_hits=min_hits, **kw),  # noqa: B023
            }
            if min_hits == n_hits:
                fns["find"] = lambda: find_tempos(hits, min_hits=min_hits, **kw)  # noqa: B023
            t = measure_side_by_side(fns, repeats=3 if quick else 7, warmups=1)
            peer_s = t["peer"].median_s
            case = (f"{n_hits} hard hits over {LENGTH_S} s, min_hits {min_hits}, 23.976, "
                    f"eighths, 40-240 BPM")
            peer = f"numpy dense scan, step {step} BPM ({n_grid:,} tempos, pruned)"
            print(f"  findtempo {n_hits}/{min_hits}: {len(ours)} intervals, "
                  f"{len(got):,} grid tempos; {agree}; intervals "
                  f"{t['intervals'].median_s * 1e3:.2f} ms, scan {peer_s * 1e3:.2f} ms"
                  + (f", find {t['find'].median_s * 1e3:.2f} ms" if "find" in t else ""))
            iv_s = t["intervals"].median_s
            results.append(Result(
                bench="findtempo", case=case, ours="landing_intervals (exact intervals)",
                ours_s=iv_s, peer=peer, peer_s=peer_s,
                note=f"{_faster(iv_s, peer_s)} ({_best(t, 'intervals')}); "
                     f"{len(ours)} intervals, "
                     f"{len(got):,} grid tempos; {n_iv:,} hit intervals in range, "
                     f"{iv_s / n_iv * 1e9:.0f} ns each; {agree}",
                extra={"hits": str(n_hits), "min_hits": str(min_hits), "n_iv": str(n_iv),
                       "pieces": str(len(ours)), "grid": str(len(got)), "agree": agree,
                       "ours_min": repr(t["intervals"].min_s),
                       "peer_min": repr(t["peer"].min_s)}))
            if "find" in t:
                f_s = t["find"].median_s
                results.append(Result(
                    bench="findtempo", case=case,
                    ours="find_tempos (intervals ranked, best tempo, every hit placed)",
                    ours_s=f_s, peer=peer, peer_s=peer_s,
                    note=f"{_faster(f_s, peer_s)} ({_best(t, 'find')}); "
                         f"{len(ours)} intervals ranked, "
                         f"the top 20 returned",
                    extra={"hits": str(n_hits), "min_hits": str(min_hits),
                           "ours_min": repr(t["find"].min_s),
                           "peer_min": repr(t["peer"].min_s)}))
    return results
