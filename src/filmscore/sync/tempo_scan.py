"""The dense brute force behind ``sync.findtempo``'s tests and benchmark: every tempo on a
grid, each hit checked exactly (integer arithmetic).  Slow by design."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from filmscore.sync.findtempo import DEFAULT_TEMPO_RANGE, Hit, _prepare
from filmscore.timecode import Rate, get_rate


def scan_tempos(
    hits: Sequence[Hit],
    *,
    start_frame: int,
    rate: Rate | str,
    tempo_range: tuple[Fraction, Fraction] = DEFAULT_TEMPO_RANGE,
    tolerance_frames: Fraction = Fraction(1),
    subdivision: int = 1,
    meter_beats: int = 4,
    step: Fraction = Fraction(1, 1000),
) -> list[tuple[Fraction, frozenset[int]]]:
    """Dense brute force: for every tempo lo, lo+step, ... <= hi, the hits that land.

    Exact (integer arithmetic); slow by design, the reference for tests and the
    benchmark.
    """
    rate = get_rate(rate)
    preps = _prepare(hits, start_frame=start_frame, rate=rate,
                     tolerance_frames=Fraction(tolerance_frames), subdivision=subdivision,
                     meter_beats=meter_beats, tempo_range=tempo_range, cue="(unnamed)")
    lo, hi = (Fraction(v) for v in tempo_range)
    step = Fraction(step)
    # common denominator for the grid: T = (a + j*b) / m
    m = lo.denominator * step.denominator // math.gcd(lo.denominator, step.denominator)
    a, b = int(lo * m), int(step * m)
    n = math.floor((hi - lo) / step)
    # per hit, with c = cn/cd: P = c/T = cn*m / (cd*(a+j*b)) -> Pn/Pd; tol = tn/td
    consts = []
    for p in preps:
        consts.append((p.c.numerator * m, p.c.denominator, p.d,
                       p.tol.numerator, p.tol.denominator, p.index))
    out = []
    for j in range(n + 1):
        tn_ = a + j * b
        landed = []
        for pn, cd, d, tn, td, idx in consts:
            pd = cd * tn_
            # P = pn / pd; nearest k: floor(d/P) or +1
            k = d * pd // pn
            lo_err = d * pd - k * pn  # (d - k*P) * pd >= 0
            hi_err = pn - lo_err  # ((k+1)*P - d) * pd > 0
            if min(lo_err, hi_err) * td <= tn * pd:
                landed.append(idx)
        out.append((Fraction(tn_, m), frozenset(landed)))
    return out
