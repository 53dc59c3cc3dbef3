"""Find tempo: exact interval sweep vs a dense brute-force scan, on a 5-minute cue.

The cue (fixed seed) has 40 hard hits over 5 minutes at 23.976, placed on the eighths
of a 97.3 BPM click and rounded to the frame, tolerance 1 frame, eighths allowed, tempo
range 40-240 BPM.  The peer is what one writes without the interval arithmetic:
``scan_tempos``, every tempo on a 1/1000 BPM grid (1/100 in --quick), each hit checked
exactly.  Both run in the same process; the check is that every grid tempo at which the
scan lands all 40 hits lies inside one of ``find_tempos``' intervals, and that each of
our intervals wider than two grid steps holds grid tempos the scan confirms.
"""

from __future__ import annotations

import random
from fractions import Fraction

from _common import Result, measure_side_by_side

N_HITS = 40
LENGTH_S = 300
BPM = Fraction(973, 10)


def make_cue(seed: int = 1936):
    from filmscore.sync.findtempo import Hit
    from filmscore.timecode import get_rate

    rate = get_rate("23.976")
    rng = random.Random(seed)
    eighth_s = Fraction(60) / BPM / 2
    last = int(LENGTH_S / eighth_s)
    ks = sorted(rng.sample(range(1, last), N_HITS))
    start = 86400  # 01:00:00:00 at 23.976 (labels as at 24)
    return rate, start, [Hit(start + round(k * eighth_s * rate.fps), label=f"h{i + 1}")
                         for i, k in enumerate(ks)]


def run(quick: bool = False) -> list[Result]:
    from filmscore.sync.findtempo import find_tempos
    from filmscore.sync.tempo_scan import scan_tempos

    rate, start, hits = make_cue()
    step = Fraction(1, 100) if quick else Fraction(1, 1000)
    kw = dict(start_frame=start, rate=rate, tolerance_frames=Fraction(1), subdivision=2)
    ours = find_tempos(hits, top=None, **kw)
    scan = scan_tempos(hits, step=step, **kw)
    everyone = frozenset(range(len(hits)))
    full = [c for c in ours if c.landed == len(hits)]
    all_grid = [t for t, landed in scan if landed == everyone]
    outside = [t for t in all_grid if not any(c.low_bpm <= t <= c.high_bpm for c in full)]
    unconfirmed = [c for c in full if c.high_bpm - c.low_bpm > 2 * step
                   and not any(c.low_bpm <= t <= c.high_bpm for t in all_grid)]
    agree = "agree" if not outside and not unconfirmed else (
        f"DISAGREE: {len(outside)} grid tempos outside, {len(unconfirmed)} unconfirmed")
    best = ours[0]
    print(f"  findtempo: {len(full)} intervals land all {len(hits)} hits; best "
          f"{float(best.best_bpm):.4f} BPM in [{float(best.low_bpm):.4f}, "
          f"{float(best.high_bpm):.4f}]; scan: {len(all_grid)} of {len(scan):,} grid "
          f"tempos land all; {agree}")

    t = measure_side_by_side({
        "ours": lambda: find_tempos(hits, **kw),
        "peer": lambda: scan_tempos(hits, step=step, **kw),
    }, repeats=3 if not quick else 2, warmups=1)
    ratio = t["peer"].median_s / t["ours"].median_s
    return [Result(
        bench="findtempo", case=f"{N_HITS} hard hits over {LENGTH_S} s, 23.976, eighths, "
        f"40-240 BPM", ours="find_tempos (exact intervals)", ours_s=t["ours"].median_s,
        peer=f"dense scan, step {step} BPM ({len(scan):,} tempos)",
        peer_s=t["peer"].median_s,
        note=f"{ratio:.0f}x faster; {len(full)} all-hit intervals; {agree}")]
