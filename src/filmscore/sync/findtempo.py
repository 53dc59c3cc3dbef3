"""Find tempo: every constant tempo at which a cue's hard hits land, found exactly.

Like the Find Tempo dialogs of Digital Performer and Dorico, but exact.  Bar 1 beat 1
sits at the start of ``start_frame`` (the anchor).  A hit ``d`` frames after the anchor
lands at a tempo T (BPM) when some grid line ``k >= 0`` is within its tolerance::

    |k * P - d| <= tol      P = 60 * fps / (g * T) frames per grid step

where the grid is ``g`` steps per beat: ``subdivision`` for hard and soft hits, one per
bar (``1/meter_beats``) for ``downbeat`` hits.  For each k >= 1 that is the closed
interval ``T in [60*fps*k / (g*(d+tol)), 60*fps*k / (g*(d-tol))]``; a hit with
``d <= tol`` lands at every tempo (k = 0).  From ``k >= (d-tol)/(2*tol)`` on, the intervals
of consecutive k touch or overlap and are merged into one.

``find_tempos`` reports the maximal intervals on which one set of hits lands (the set is
piecewise constant), keeping those where at least ``min_hits`` hard hits land: what a
sweep over every interval end across the tempo range gives (``_sweep``, kept as the
reference).  Only the candidates are visited.  With every hard hit required, the hard
hits' intervals are intersected hit by hit, earliest first, each hit meeting only the
grid lines near a surviving interval, and the survivors are then split by the other
hits.  With fewer, a vectorised sweep over the hits' intervals finds the regions where
enough may overlap (with many hits, a first sweep over the earliest ones narrows the
range before the others' intervals are made), and the exact sweep runs only there.
Both give the same intervals as the whole-range sweep (tested).

Everything reported is exact: frames are ints, times and tempos ``Fraction``.  The
passes above run in floats widened a little (``_EPS``), so they can only find too much;
an interval end is made exact only where its float is too near another's to order them
(``_TIE``) or where it ends an interval reported.  Floats also rank pairs in the best-tempo
search (confirmed exactly) and give ``weighted_landed`` (weights are floats in the
spotting list).

``sync.tempo_scan.scan_tempos`` is the dense brute force (every tempo on a grid), for
tests and the benchmark.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from operator import attrgetter, itemgetter, mul

import numpy as np

from filmscore.errors import ValidationError
from filmscore.sync.tempomap import frameclick_within
from filmscore.timecode import Rate, get_rate

DEFAULT_TEMPO_RANGE = (Fraction(40), Fraction(240))

#: Hit kinds and the grid they land on: "beat" (any 1/subdivision of a beat) or "bar".
#: Only ``required`` kinds count towards ``min_hits``; the others rank the candidates.
HIT_KINDS: dict[str, tuple[str, bool]] = {
    "hard": ("beat", True),
    "soft": ("beat", False),
    "downbeat": ("bar", False),
    "end": ("beat", False),
}


@dataclass(frozen=True)
class Hit:
    """A sync point to land: absolute frame, kind, weight, own tolerance (frames), label."""

    frame: int
    kind: str = "hard"
    weight: float = 1.0
    tolerance_frames: Fraction | None = None
    label: str = ""


@dataclass(frozen=True)
class HitResult:
    """Where a hit falls at a tempo: bar|beat.sub (1-based bar and beat, 0-based sub).

    ``frames_off`` is signed, the nearest grid line minus the hit, in frames (negative:
    the beat comes before the hit).  ``landed``: the hit is in the set that lands across
    the candidate's whole interval.
    """

    hit: Hit
    bar: int
    beat: int
    subdivision_index: int
    frames_off: Fraction
    landed: bool

    @property
    def position(self) -> str:
        sub = f".{self.subdivision_index + 1}" if self.subdivision_index else ""
        return f"{self.bar}|{self.beat}{sub}"


@dataclass(frozen=True)
class TempoCandidate:
    """A maximal tempo interval [low_bpm, high_bpm] on which one set of hits lands.

    ``best_bpm`` minimises the weighted largest frames off (then the weighted mean) of the
    landed hits inside the interval; ``round_bpm`` is the whole or half BPM in the
    interval nearest to it, if there is one; ``frameclick_bpm`` the exact frame-click tempo
    (eighths of a frame) in the interval nearest to it.  Frames-off figures are at
    ``best_bpm``.
    The interval is the closure of where the set lands: at an end where another hit
    starts landing, that hit lands too (it has its own, better, candidate).
    """

    low_bpm: Fraction
    high_bpm: Fraction
    best_bpm: Fraction
    hits: tuple[HitResult, ...]
    landed: int
    weighted_landed: float
    mean_frames_off: Fraction
    max_frames_off: Fraction
    near_misses: int
    round_bpm: Fraction | None = None
    frameclick_bpm: Fraction | None = None

    @property
    def exact_bpm(self) -> Fraction:
        """The tempo to store: the frame-click tempo in the interval nearest the best one
        (film tempos are frame-clicks), else the best tempo itself, exactly."""
        return self.frameclick_bpm if self.frameclick_bpm is not None else self.best_bpm

    @property
    def width_bpm(self) -> Fraction:
        return self.high_bpm - self.low_bpm


# --- per-hit preparation -------------------------------------------------------------------


class _cached:  # noqa: N801 (used as a decorator, like the one it replaces)
    """``functools.cached_property`` without its lock: in Python 3.11 every first access
    takes an RLock (removed in 3.12); this one costs about half (0.2 against 0.44 µs with
    the object made, measured), paid for every hit on every call."""

    def __init__(self, fn) -> None:
        self.fn, self.name = fn, fn.__name__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


# not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__
# (1.1 against 0.4 µs an instance, measured), paid for every hit on every call; nothing
# changes a _Prep after it is made (the solver's ``dataclasses.replace`` makes a new one)
@dataclass
class _Prep:
    index: int
    hit: Hit
    d: int  # frames after the anchor
    tol: Fraction  # frames
    g: Fraction  # grid steps per beat
    c: Fraction  # 60 * fps / g: T * P, so P = c / T frames per grid step
    required: bool

    def lands_everywhere(self) -> bool:
        return self.d <= self.tol

    # _cached writes the instance __dict__; ``dataclasses.replace`` (the solver rebases
    # d) builds a fresh instance, so nothing cached from the old d is carried over.
    # (integer arithmetic below: Fraction objects cost microseconds each, and these are
    # needed for every hit while only a few interval ends are ever made exact)
    @_cached
    def k_merge(self) -> int:
        """First k whose landing interval touches or overlaps the next one's: from there
        on the hit lands on the whole ray ``T >= c * k_merge / (d + tol)``."""
        tn, td = self.tol.numerator, self.tol.denominator
        return -((tn - self.d * td) // (2 * tn))  # ceil((d - tol) / (2 tol))

    @_cached
    def dp(self) -> Fraction:
        return self.d + self.tol

    @_cached
    def dm(self) -> Fraction:
        return self.d - self.tol

    @_cached
    def floats(self) -> tuple[float, float, float]:
        """(c, d + tol, d - tol) as floats, each correctly rounded (int / int is), for the
        float pass (see ``_all_required``)."""
        tn, td = self.tol.numerator, self.tol.denominator
        return (self.c.numerator / self.c.denominator, (self.d * td + tn) / td,
                (self.d * td - tn) / td)

    def low(self, k: int) -> Fraction:
        """Exact low end of grid line k's landing interval (k <= k_merge)."""
        return self.c * k / self.dp

    def high(self, k: int) -> Fraction | None:
        """Exact high end of grid line k's landing interval; None for the ray (k_merge)."""
        return None if k >= self.k_merge else self.c * k / self.dm

    def k_range(self, lo: Fraction, hi: Fraction) -> tuple[int, int]:
        """k >= 1 whose landing interval may meet [lo, hi]."""
        k_lo = max(1, math.ceil(lo * (self.d - self.tol) / self.c))
        k_hi = math.floor(hi * (self.d + self.tol) / self.c)
        return k_lo, k_hi

    def intervals(self, lo: Fraction, hi: Fraction) -> list[tuple[Fraction, Fraction]]:
        """The disjoint closed tempo intervals inside [lo, hi] where this hit lands."""
        if self.lands_everywhere():
            return [(lo, hi)]
        d, tol, c = self.d, self.tol, self.c
        k_lo, k_hi = self.k_range(lo, hi)
        if k_hi < k_lo:
            return []
        # from k_merge on, the intervals of k and k+1 touch or overlap
        k_merge = math.ceil((d - tol) / (2 * tol))
        out: list[tuple[Fraction, Fraction]] = []
        for k in range(k_lo, k_hi + 1):
            a = c * k / (d + tol)
            if k >= k_merge:
                b = c * k_hi / (d - tol)
                a, b = max(a, lo), min(b, hi)
                if a <= b:
                    out.append((a, b))
                break
            b = c * k / (d - tol)
            a, b = max(a, lo), min(b, hi)
            if a <= b:
                out.append((a, b))
        return out

    def grid_beats(self, k: int) -> Fraction:
        return k / self.g

    def nearest_k(self, x: Fraction) -> int:
        """Nearest grid line for x = 1/T (P = c*x); ties go to the earlier line."""
        # in integers: P = cn*xn / (cd*xd); k = floor(d / P); k + 1 if (2k + 1) P < 2d
        cn, cd = self.c_nd
        xn, xd = x.as_integer_ratio()
        pn, pd = cn * xn, cd * xd
        k = self.d * pd // pn
        return k + 1 if (2 * k + 1) * pn < 2 * self.d * pd else k

    @_cached
    def c_nd(self) -> tuple[int, int]:
        return self.c.as_integer_ratio()

    @_cached
    def weight_nd(self) -> tuple[int, int]:
        """The weight as an exact fraction (weights are floats), numerator, denominator."""
        return Fraction(self.hit.weight).as_integer_ratio()


def _prepare(hits: Sequence[Hit], *, start_frame: int, rate: Rate,
             tolerance_frames: Fraction, subdivision: int, meter_beats: int,
             tempo_range: tuple[Fraction, Fraction], cue: str) -> list[_Prep]:
    lo, hi = (Fraction(v) for v in tempo_range)
    if lo <= 0 or hi < lo:
        raise ValidationError(
            f"cue {cue}: tempo range must be low <= high, both above 0", field="tempo_range",
            value=f"{lo}-{hi} BPM", valid="e.g. 40-240 BPM (widen or swap the ends)")
    if not isinstance(subdivision, int) or subdivision < 1:
        raise ValidationError(f"cue {cue}: subdivision must be a whole number >= 1",
                              field="subdivision", value=subdivision,
                              valid="1 (beats), 2 (eighths in 4/4), 3, 4, ...")
    if not isinstance(meter_beats, int) or meter_beats < 1:
        raise ValidationError(f"cue {cue}: beats per bar must be a whole number >= 1",
                              field="meter_beats", value=meter_beats, valid="1, 2, 3, 4, ...")
    fps = rate.fps
    default_tol = Fraction(tolerance_frames)
    default_ok = default_tol > 0  # compared once, not for every hit that uses it
    grids = {"beat": Fraction(subdivision), "bar": Fraction(1, meter_beats)}
    consts = {kind: (g, 60 * fps / g) for kind, g in grids.items()}  # shared, made once
    out = []
    for i, hit in enumerate(hits):
        if hit.kind not in HIT_KINDS:
            raise ValidationError(f"cue {cue}: unknown hit kind at frame {hit.frame}",
                                  field="kind", value=hit.kind, valid=", ".join(HIT_KINDS))
        tol = hit.tolerance_frames
        if tol is None:
            tol, ok = default_tol, default_ok
        else:
            tol = Fraction(tol)
            ok = tol > 0
        if not ok:
            raise ValidationError(
                f"cue {cue}: tolerance must be above 0 frames (hit at frame {hit.frame})",
                field="tolerance_frames", value=str(tol), valid="e.g. 1 frame, or 1/2")
        d = hit.frame - start_frame
        if d < 0:
            raise ValidationError(
                f"cue {cue}: hit at frame {hit.frame} is before bar 1 (frame {start_frame})",
                field="frame", value=hit.frame,
                valid=f"a frame >= {start_frame}, or move the cue's start earlier")
        grid, required = HIT_KINDS[hit.kind]
        g, c = consts[grid]
        out.append(_Prep(i, hit, d, tol, g, c, required))
    return out


# --- exact sorting of many Fractions ---------------------------------------------------------


def _sorted_exact(items: list[tuple[Fraction, int, int]]) -> list[tuple[Fraction, int, int]]:
    """Sort (value, ...) by value, exactly, fast: floats first, exact only on float ties."""
    items.sort(key=lambda e: float(e[0]))
    n, i = len(items), 0
    while i < n - 1:
        if float(items[i][0]) == float(items[i + 1][0]):
            j = i + 1
            while j + 1 < n and float(items[j + 1][0]) == float(items[i][0]):
                j += 1
            items[i:j + 1] = sorted(items[i:j + 1], key=lambda e: e[0])
            i = j
        i += 1
    return items


# --- the sweep -------------------------------------------------------------------------------


def _sweep_intervals(ivs: Sequence[tuple[Fraction, Fraction, int]], lo: Fraction,
                     hi: Fraction, base_mask: int = 0) -> list[tuple[Fraction, Fraction, int]]:
    """Maximal intervals of [lo, hi] with a constant landed set (bit mask of hit index),
    given the exact closed intervals (a, b, bit) inside [lo, hi] where each hit lands.

    Returns (low, high, mask) covering [lo, hi] in order; a single tempo where the set
    differs from both sides is its own (t, t, mask) piece.  Adjacent pieces with the same
    mask are merged, so an interval reported is the closure of a maximal region.
    """
    events: list[tuple[Fraction, int, int]] = []  # (value, 0 start / 1 end, bit)
    for a, b, bit in ivs:
        events.append((a, 0, bit))
        events.append((b, 1, bit))
    _sorted_exact(events)
    pieces: list[tuple[Fraction, Fraction, int]] = []

    def add(a: Fraction, b: Fraction, mask: int) -> None:
        mask |= base_mask
        if pieces and pieces[-1][2] == mask:
            pieces[-1] = (pieces[-1][0], b, mask)
        else:
            pieces.append((a, b, mask))

    mask, prev, i, n = 0, lo, 0, len(events)
    while i < n:
        v = events[i][0]
        starts = ends = 0
        while i < n and events[i][0] == v:
            if events[i][1] == 0:
                starts |= events[i][2]
            else:
                ends |= events[i][2]
            i += 1
        if v > prev:
            add(prev, v, mask)
        mask |= starts
        add(v, v, mask)
        mask &= ~ends
        prev = v
    if not pieces or prev < hi:
        add(prev, hi, mask)
    return pieces


def _sweep(preps: Sequence[_Prep], lo: Fraction, hi: Fraction, base_mask: int = 0
           ) -> list[tuple[Fraction, Fraction, int]]:
    """``_sweep_intervals`` over every interval of ``preps`` inside [lo, hi] (all exact)."""
    return _sweep_intervals([(a, b, 1 << p.index) for p in preps
                             for a, b in p.intervals(lo, hi)], lo, hi, base_mask)


# The float pass.  Interval ends are c*k/(d +- tol): Fractions, but computed in floats
# each is off by a few units in the last place (relative 1e-15 at most).  Every float
# interval is widened by _EPS (relative to the top of the range, far above that error),
# so it contains the exact one: whatever the float pass finds is a superset of the
# answer, and only the candidates it leaves are then done exactly.  _TIE is the window
# in which two float ends may be in either order exactly.
_EPS = 1e-11
_TIE = 1e-12


class _End:
    """An interval end: its float, and its exact value made only when needed (a thunk)."""

    __slots__ = ("f", "_x", "_make")

    def __init__(self, f: float, x: Fraction | None = None, make=None) -> None:
        self.f, self._x, self._make = f, x, make

    @property
    def x(self) -> Fraction:
        if self._x is None:
            self._x = self._make()
        return self._x


def _near(f: float, g: float) -> bool:
    """Floats so close that the exact values may be in either order (or equal)."""
    return abs(f - g) <= _TIE * max(1.0, abs(f), abs(g))


def _lt(a: _End, b: _End) -> bool:
    return a.x < b.x if _near(a.f, b.f) else a.f < b.f


def _clip_end(f: float, make, bound: _End, low: bool) -> _End:
    """An interval's low (high) end clipped from below (above) to a region's bound."""
    if _near(f, bound.f):
        return _End(max(f, bound.f) if low else min(f, bound.f),
                    make=lambda: (max if low else min)(make(), bound.x))
    if (f < bound.f) == low:
        return bound
    return _End(f, make=make)


def _sweep_lazy(ivs: Sequence[tuple[_End, _End, int]], lo: _End, hi: _End, keep
                ) -> list[tuple[Fraction, Fraction, int]]:
    """``_sweep_intervals`` with ends sorted by their floats, made exact only where two
    floats are near (their exact order decides) and for the pieces kept (``keep(mask)``).
    Same pieces, same order."""
    events = [(a.f, 0, bit, a) for a, _, bit in ivs] + [(b.f, 1, bit, b) for _, b, bit in ivs]
    events.sort(key=itemgetter(0))
    # all values are within [lo, hi]: one window for "near" (wider is only slower)
    win = _TIE * max(1.0, abs(hi.f))
    # groups of exactly equal ends, in exact order.  Floats that are not near are in
    # their exact order; a run of near floats is sorted and grouped exactly (a run of one
    # shared end, such as a region's bound, needs nothing).
    groups: list[list] = []  # [end, starts, ends]
    i, n = 0, len(events)
    while i < n:
        j = i + 1
        while j < n and events[j][0] - events[j - 1][0] <= win:
            j += 1
        if j - i == 1:
            _, kind, bit, end = events[i]
            groups.append([end, bit if kind == 0 else 0, bit if kind == 1 else 0])
            i = j
            continue
        run = events[i:j]
        first = run[0][3]
        if any(e[3] is not first for e in run):
            run.sort(key=lambda e: e[3].x)
        prev = None
        for _, kind, bit, end in run:
            if prev is not None and (end is prev or end.x == prev.x):
                groups[-1][1 + kind] |= bit
            else:
                groups.append([end, bit if kind == 0 else 0, bit if kind == 1 else 0])
            prev = end
        i = j
    pieces: list[tuple[_End, _End, int]] = []

    def add(a: _End, b: _End, mask: int) -> None:
        if pieces and pieces[-1][2] == mask:
            pieces[-1] = (pieces[-1][0], b, mask)
        else:
            pieces.append((a, b, mask))

    mask, prev = 0, lo
    for g, (v, starts, ends) in enumerate(groups):
        if g or _lt(lo, v):  # groups are strictly increasing; the first may be lo itself
            add(prev, v, mask)
        mask |= starts
        add(v, v, mask)
        mask &= ~ends
        prev = v
    if not pieces or _lt(prev, hi):
        add(prev, hi, mask)
    return [(a.x, b.x, m) for a, b, m in pieces if keep(m)]


def _all_required(required: Sequence[_Prep], lo: Fraction, hi: Fraction
                  ) -> list[tuple[Fraction, Fraction]]:
    """Exact maximal tempo intervals in [lo, hi] where every required hit lands.

    Intersects the hits' landing sets hit by hit, earliest first, in floats (widened),
    visiting only the grid lines that meet a surviving interval; each survivor is one
    choice of grid line per hit, whose exact interval is [max of lows, min of highs]:
    only the ends whose floats tie with the extreme are made exact.
    """
    lo_f, hi_f = float(lo), float(hi)
    eps = _EPS * max(1.0, hi_f)
    inf = math.inf
    ceil, floor = math.ceil, math.floor
    # (d > tol in integers: a Fraction comparison costs a microsecond or two)
    hits = sorted((p for p in required if p.d * p.tol.denominator > p.tol.numerator),
                  key=attrgetter("d"))
    # per hit, in floats: the ends of grid line k's interval are k * cf / (d +- tol), so
    # k meets [a0, b0] when (a0 - eps) (d - tol) / cf <= k <= (b0 + eps) (d + tol) / cf.
    # The quotients are made once (a product per grid line instead of a division); their
    # rounding (a few units in the last place) is far inside eps, and the float pass only
    # has to find too much.  Integers throughout: no Fraction is made here.
    consts = []
    c_ = tol_ = None
    for p in hits:
        if p.c is not c_ or p.tol is not tol_:  # shared by the hits of a kind: unpack once
            c_, tol_ = p.c, p.tol
            tn, td = tol_.numerator, tol_.denominator
            cf = c_.numerator / c_.denominator
        d = p.d
        dp, dm = (d * td + tn) / td, (d * td - tn) / td
        km = -((tn - d * td) // (2 * tn))  # k_merge: ceil((d - tol) / (2 tol)), exactly
        consts.append((cf / dp, cf / dm, dm / cf, dp / cf, km))
    # survivors: (low, high, link) where link chains (parent link, k): one link a hit
    surv: list[tuple[float, float, tuple | None]] = [(lo_f - eps, hi_f + eps, None)]
    for cdp, cdm, dmc, dpc, km in consts:
        nxt: list[tuple[float, float, tuple | None]] = []
        add = nxt.append
        for a0, b0, link in surv:
            k = ceil((a0 - eps) * dmc)
            k_hi = floor((b0 + eps) * dpc)
            if k_hi >= km:  # the survivor reaches the ray: grid line km stands for it
                k_hi = km
                if k > km:
                    k = km
            if k < 1:
                k = 1
            while k <= k_hi:
                a = k * cdp - eps
                b = k * cdm + eps if k < km else inf
                add((a if a > a0 else a0, b if b < b0 else b0, (link, k)))
                k += 1
        if not nxt:
            return []
        surv = nxt
    out = []
    cdp_l = [c[0] for c in consts]
    cdm_l = [c[1] for c in consts]
    km_l = [c[4] for c in consts]
    for _, _, link in surv:
        ks = []
        while link is not None:
            link, k = link
            ks.append(k)
        ks.reverse()
        lows = list(map(mul, ks, cdp_l))
        highs = [k * c if k < m else inf for k, c, m in zip(ks, cdm_l, km_l, strict=True)]
        a = _exact_extreme(hits, ks, lows, lo_f, lo, True)
        b = _exact_extreme(hits, ks, highs, hi_f, hi, False)
        if a <= b:
            out.append((a, b))
    return out


def _exact_extreme(hits: Sequence[_Prep], ks: Sequence[int], vals: list[float],
                   bound_f: float, bound: Fraction, low: bool) -> Fraction:
    """The exact max of the grid lines' low ends (``vals``, floats) and ``lo`` when
    ``low``, else the min of their high ends and ``hi``: found in floats, made exact only
    for the ends whose floats tie with the extreme (within _TIE)."""
    if low:
        best_f = max(vals) if vals else bound_f
        if bound_f > best_f:
            best_f = bound_f
    else:
        best_f = min(vals) if vals else bound_f
        if bound_f < best_f:
            best_f = bound_f
    win = _TIE * max(1.0, abs(best_f))
    # the exact extreme of the near ends, compared as integer ratios (num / den, den > 0)
    # and made a Fraction once: ends of many hits can tie (15 at once in the benchmark)
    best: tuple[int, int] | None = None
    if abs(bound_f - best_f) <= win:
        best = bound.numerator, bound.denominator
    for i in ([i for i, f in enumerate(vals) if f >= best_f - win] if low else
              [i for i, f in enumerate(vals) if f <= best_f + win]):
        p = hits[i]
        tn, td = p.tol.numerator, p.tol.denominator
        cn, cd = p.c.numerator, p.c.denominator
        # c k / (d -+ tol) = cn k td / (cd (d td -+ tn))
        num, den = cn * ks[i] * td, cd * (p.d * td + (tn if low else -tn))
        if best is None or (num * best[1] > best[0] * den) == low and \
                num * best[1] != best[0] * den:
            best = num, den
    assert best is not None  # the extreme itself is within the window
    if best == (bound.numerator, bound.denominator):
        return bound
    return Fraction(*best)


def _float_intervals(preps: Sequence[_Prep], reg_lo: np.ndarray, reg_hi: np.ndarray,
                     eps: float) -> tuple[np.ndarray, ...]:
    """Every grid line's landing interval of every hit that meets one of the regions
    [reg_lo[r], reg_hi[r]] (floats, disjoint), in floats widened by eps and clipped to
    the region, vectorised over (hit, region) pairs: (low, high, position in preps, k)
    arrays; k = 0 for a hit that lands everywhere, k = k_merge for a hit's ray."""
    n = len(preps)
    cf = np.empty(n)
    dp = np.empty(n)
    dm = np.empty(n)
    km = np.empty(n, dtype=np.int64)
    every = np.zeros(n, dtype=bool)
    for i, p in enumerate(preps):
        cf[i], dp[i], dm[i] = p.floats
        every[i] = p.lands_everywhere()
        km[i] = 1 if every[i] else p.k_merge
    h = np.repeat(np.arange(n), reg_lo.size)
    r = np.tile(np.arange(reg_lo.size), n)
    with np.errstate(divide="ignore", invalid="ignore"):  # d = tol: lands everywhere
        k_lo = np.maximum(1, np.ceil(reg_lo[r] * dm[h] / cf[h]) - 1)
        k_hi = np.minimum(km[h], np.floor(reg_hi[r] * dp[h] / cf[h]) + 1)
    k_lo = np.where(every[h], 0, np.minimum(k_lo, km[h])).astype(np.int64)
    k_hi = np.where(every[h], 0, k_hi).astype(np.int64)
    counts = np.maximum(0, k_hi - k_lo + 1)
    pair = np.repeat(np.arange(h.size), counts)
    k = k_lo[pair] + (np.arange(pair.size) - (np.cumsum(counts) - counts)[pair])
    pos = h[pair]
    c_, km_ = cf[pos], km[pos]
    a = c_ * k / dp[pos] - eps
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(k < km_, c_ * k / dm[pos] + eps, np.inf)
    ev = every[pos]
    a[ev], b[ev] = -np.inf, np.inf
    lo_c, hi_c = reg_lo[r[pair]], reg_hi[r[pair]]
    keep = (a <= hi_c) & (b >= lo_c)
    return (np.maximum(a, lo_c)[keep], np.minimum(b, hi_c)[keep], pos[keep], k[keep])


def _regions(a: np.ndarray, b: np.ndarray, need: int) -> tuple[np.ndarray, np.ndarray]:
    """Where at least ``need`` of the closed intervals [a, b] overlap: (lows, highs)."""
    vals = np.concatenate([a, b])
    step = np.concatenate([np.ones(a.size, np.int64), -np.ones(b.size, np.int64)])
    order = np.lexsort((-step, vals))  # at equal values starts go first (closed)
    vals, step = vals[order], step[order]
    count = np.cumsum(step)
    return (vals[(step == 1) & (count == need)], vals[(step == -1) & (count == need - 1)])


def _some_required(preps: Sequence[_Prep], lo: Fraction, hi: Fraction, min_hits: int
                   ) -> list[tuple[Fraction, Fraction, int]]:
    """Exact pieces where at least ``min_hits`` required hits land (fewer than all).

    A float sweep over the hits' widened intervals (sorted ends, a running count) finds
    the regions where at least ``min_hits`` may land; the required hits' intervals are
    disjoint per hit, so the count is of distinct hits.  With many hits, a first sweep
    over the B earliest required hits (the fewest intervals) keeps only where at least
    B - (hits that may miss) of them land, and the other hits' intervals are made only
    inside those regions.  Only inside the final regions is the exact sweep done, over
    the intervals (of any hit) that meet them.  A region's ends are where the widened
    count falls below what is needed, so the exact count there is below ``min_hits``:
    the pieces kept never touch a region's end and are the same as a sweep over the
    whole range would give.
    """
    lo_f, hi_f = float(lo), float(hi)
    eps = _EPS * max(1.0, hi_f)
    g_lo, g_hi = np.array([lo_f - eps]), np.array([hi_f + eps])
    required = sorted((p for p in preps if p.required), key=lambda q: q.d)
    may_miss = len(required) - min_hits
    first_b = 2 * may_miss + 8
    if first_b < len(required):
        a1, b1, _, _ = _float_intervals(required[:first_b], g_lo, g_hi, eps)
        g_lo, g_hi = _regions(a1, b1, first_b - may_miss)
        if g_lo.size == 0:
            return []
    a, b, pos, ks = _float_intervals(preps, g_lo, g_hi, eps)
    req = np.array([p.required for p in preps], dtype=bool)[pos]
    r_lo, r_hi = _regions(a[req], b[req], min_hits)
    if r_lo.size == 0:
        return []
    # which intervals meet which region: first region ending at or after the interval's
    # low to the last one starting at or before its high
    first = np.searchsorted(r_hi, a, side="left")
    last = np.searchsorted(r_lo, b, side="right") - 1
    n_reg = np.maximum(0, last - first + 1)
    sel = np.repeat(np.arange(a.size), n_reg)
    reg = np.repeat(first, n_reg) + (np.arange(sel.size) - np.repeat(np.cumsum(n_reg) - n_reg,
                                                                    n_reg))
    order = np.argsort(reg, kind="stable")
    sel, reg = sel[order], reg[order]
    bounds = np.searchsorted(reg, np.arange(r_lo.size + 1))
    pos_l, k_l = pos[sel].tolist(), ks[sel].tolist()
    req_mask = sum(1 << p.index for p in preps if p.required)

    def keep(mask: int) -> bool:
        return (mask & req_mask).bit_count() >= min_hits

    out: list[tuple[Fraction, Fraction, int]] = []
    for r in range(r_lo.size):
        s, e = bounds[r], bounds[r + 1]
        if e - s < min_hits:
            continue
        a_x, b_x = max(lo, Fraction(float(r_lo[r]))), min(hi, Fraction(float(r_hi[r])))
        ra_, rb_ = _End(float(a_x), a_x), _End(float(b_x), b_x)
        ivs = []
        for i in range(s, e):
            p, k = preps[pos_l[i]], k_l[i]
            if k == 0:
                ivs.append((ra_, rb_, 1 << p.index))
                continue
            cf, dp, dm = p.floats
            x = _clip_end(cf * k / dp, lambda p=p, k=k: p.low(k), ra_, True)
            y = (rb_ if k >= p.k_merge else
                 _clip_end(cf * k / dm, lambda p=p, k=k: p.high(k), rb_, False))
            if (x.x > y.x) if _near(x.f, y.f) else (y.f < x.f):  # empty
                continue
            ivs.append((x, y, 1 << p.index))
        out.extend(_sweep_lazy(ivs, ra_, rb_, keep))
    return out


def _landing_intervals(preps: Sequence[_Prep], lo: Fraction, hi: Fraction, min_hits: int
                       ) -> list[tuple[Fraction, Fraction, int]]:
    required = [p for p in preps if p.required]
    n_req = len(required)
    if min_hits < n_req:
        return _some_required(preps, lo, hi, min_hits)
    req_mask = sum(1 << p.index for p in required)
    optional = [p for p in preps if not p.required]
    out: list[tuple[Fraction, Fraction, int]] = []
    for a, b in _all_required(required, lo, hi):
        if optional:
            out.extend(_sweep(optional, a, b, req_mask))
        else:  # what the sweep gives with nothing to sweep
            out.append((a, b, req_mask))
    return out


# --- best tempo inside an interval -----------------------------------------------------------


def _errors(preps: Sequence[_Prep], ks: Sequence[int], x: Fraction
            ) -> tuple[Fraction, Fraction]:
    """(max weighted |frames off|, weighted mean |frames off|) at x = 1/T."""
    # exact, in integers: w |k c x - d| = wn |k cn xn - d cd xd| / (wd cd xd); terms
    # are summed per denominator (one or two in practice) and made Fractions at the end
    xn, xd = x.numerator, x.denominator
    groups: dict[int, list[int]] = {}  # denominator -> [max numerator, sum of numerators]
    wgroups: dict[int, int] = {}
    for p, k in zip(preps, ks, strict=True):
        wn, wd = p.weight_nd
        cn, cd = p.c_nd
        num = wn * abs(k * cn * xn - p.d * cd * xd)
        den = wd * cd * xd
        g = groups.get(den)
        if g is None:
            groups[den] = [num, num]
        else:
            if num > g[0]:
                g[0] = num
            g[1] += num
        wgroups[wd] = wgroups.get(wd, 0) + wn
    # combined as integer ratios (denominators > 0), one Fraction each at the end
    wn_, wd_ = None, 1  # largest (0 when there are no terms)
    tn, td = 0, 1  # sum
    for den, (m, t) in groups.items():
        if wn_ is None or m * wd_ > wn_ * den:
            wn_, wd_ = m, den
        tn, td = tn * den + t * td, td * den
    sn, sd = 0, 1  # weight sum
    for d, n in wgroups.items():
        sn, sd = sn * d + n * sd, sd * d
    worst = Fraction(wn_ or 0, wd_)
    return worst, (Fraction(tn * sd, td * sn) if sn else Fraction(0))


def _minimax(preps: Sequence[_Prep], ks: Sequence[int], xl: Fraction, xr: Fraction
             ) -> Fraction:
    """x in [xl, xr] minimising max_i w_i |k_i c_i x - d_i| (then the weighted mean).

    Each term is a V of slope W_i = w_i k_i c_i around z_i = d_i / (k_i c_i); the max of
    V's is convex with one minimum, at the crossing of the rising side of some i and the
    falling side of some j: x = (w_i d_i + w_j d_j) / (W_i + W_j), the pair maximising
    (z_j - z_i) W_i W_j / (W_i + W_j).  The pair is picked with floats and confirmed
    exactly; constant terms (k = 0) and weightless terms fall back to trying every
    breakpoint exactly.
    """
    terms = []  # sloped terms (W > 0): (p, k)
    flat = Fraction(0)
    for p, k in zip(preps, ks, strict=True):
        wn, wd = p.weight_nd
        if wn * k > 0:  # W = w k c > 0 (c > 0, k >= 0)
            terms.append((p, k))
        else:
            flat = max(flat, Fraction(wn * p.d, wd))
    if not terms:
        return xl

    cache: dict[int, tuple[Fraction, Fraction]] = {}

    def exact(i: int) -> tuple[Fraction, Fraction]:  # (z_i, W_i), made once
        if i not in cache:
            p, k = terms[i]
            (wn, wd), (cn, cd) = p.weight_nd, p.c_nd
            cache[i] = Fraction(p.d * cd, k * cn), Fraction(wn * k * cn, wd * cd)
        return cache[i]

    if len(terms) == 1:
        x = exact(0)[0]
    else:
        # weighted 1-centre: the extreme pair decides.  The floats are the correctly
        # rounded z and W (int / int), scored pair by pair; only near-best pairs are made
        # exact.
        n_t = len(terms)
        # exact z and W as integer ratios (z = a/b, W = e/f)
        ints = []
        for p, k in terms:
            (wn, wd), (cn, cd) = p.weight_nd, p.c_nd
            ints.append((p.d * cd, k * cn, wn * k * cn, wd * cd))
        fz = [a / b for a, b, _, _ in ints]
        fw = [e / f for _, _, e, f in ints]
        if n_t <= 24 and max(fw) < 1e100:
            # few terms (and no overflow): a plain loop costs less than numpy's calls;
            # the same operations in the same order, pairs in the same (row-major) order
            scored = []
            for i in range(n_t):
                z_i_, w_i_ = fz[i], fw[i]
                for j in range(n_t):
                    if j != i and fz[j] >= z_i_:
                        scored.append((i, j, (fz[j] - z_i_) * w_i_ * fw[j] / (w_i_ + fw[j])))
            top = max(sc for _, _, sc in scored)
            i0, j0 = next((i, j) for i, j, sc in scored if sc == top)

            def near_best() -> list:
                return [(i, j) for i, j, sc in scored if sc >= top * (1 - 1e-9) - 1e-300]
        else:
            zi, zj = np.array(fz)[:, None], np.array(fz)[None, :]
            wi, wj = np.array(fw)[:, None], np.array(fw)[None, :]
            with np.errstate(invalid="ignore", over="ignore"):
                score = (zj - zi) * wi * wj / (wi + wj)
            ok = (zj >= zi) & ~np.eye(n_t, dtype=bool)
            top = float(score[ok].max())
            i0, j0 = (int(v) for v in np.unravel_index(
                np.argmax(np.where(ok, score, -np.inf)), score.shape))

            def near_best() -> list:
                return list(zip(*np.nonzero(ok & (score >= top * (1 - 1e-9) - 1e-300)),
                                strict=True))
        # exact scores as integer ratios, compared by cross-multiplying:
        # (z_j - z_i) W_i W_j / (W_i + W_j) = (a_j b_i - a_i b_j) e_i e_j
        #                                      / (b_i b_j (e_i f_j + e_j f_i))
        best = None
        pairs: list = []
        if top == 0 and len({exact(i)[0] for i in range(n_t)}) == 1:
            pairs = [(0, 1)]
        else:
            # every exactly best pair gives the same x, the one where the rising side
            # max_i W_i (x - z_i) meets the falling side max_i W_i (z_i - x).  Try the
            # float-best pair's x first: if the sides meet there exactly, it is the
            # answer; else score every near-best pair exactly (hits on one grid can tie
            # in thousands of pairs).
            if _sides_meet(ints, _pair_x(ints[i0], ints[j0])):
                best = (None, None, i0, j0)
            else:
                pairs = near_best()
        for i, j in pairs:
            a_i, b_i, e_i, f_i = ints[i]
            a_j, b_j, e_j, f_j = ints[j]
            num = (a_j * b_i - a_i * b_j) * e_i * e_j
            den = b_i * b_j * (e_i * f_j + e_j * f_i)
            if best is None or num * best[1] > best[0] * den:
                best = (num, den, int(i), int(j))
        assert best is not None
        x = _pair_x(ints[best[2]], ints[best[3]])
    x = min(max(x, xl), xr)
    if flat == 0:
        return x
    # a constant term: the max is flat where the V's are below it; minimise the mean there
    if _errors(preps, ks, x)[0] > flat:
        return x
    cands = {xl, xr, x}
    for i in range(len(terms)):
        z, W = exact(i)
        for c in (z, z - flat / W, z + flat / W):
            if xl <= c <= xr:
                cands.add(c)
    return min(cands, key=lambda c: (*_errors(preps, ks, c), c))


def _pair_x(ti: tuple[int, int, int, int], tj: tuple[int, int, int, int]) -> Fraction:
    """Where the rising side of term i meets the falling side of term j, exactly:
    (W_i z_i + W_j z_j) / (W_i + W_j) for z = a/b, W = e/f, as one Fraction."""
    a_i, b_i, e_i, f_i = ti
    a_j, b_j, e_j, f_j = tj
    return Fraction(e_i * a_i * f_j * b_j + e_j * a_j * f_i * b_i,
                    b_i * b_j * (e_i * f_j + e_j * f_i))


def _sides_meet(ints: Sequence[tuple[int, int, int, int]], x: Fraction) -> bool:
    """max_i W_i (x - z_i) == max_i W_i (z_i - x), exactly, for z = a/b, W = e/f (>0):
    in integers, W_i (x - z_i) = e_i (xn b_i - a_i xd) / (f_i b_i xd), xd > 0 dropped."""
    xn, xd = x.as_integer_ratio()
    rise = fall = None  # (numerator, denominator > 0)
    for a, b, e, f in ints:
        num, den = e * (xn * b - a * xd), f * b
        if rise is None or num * rise[1] > rise[0] * den:
            rise = (num, den)
        if fall is None or -num * fall[1] > fall[0] * den:
            fall = (-num, den)
    assert rise is not None and fall is not None
    return rise[0] * fall[1] == fall[0] * rise[1]


def _nearest_ks(preps: Sequence[_Prep], x: Fraction) -> list[int]:
    """``[p.nearest_k(x) for p in preps]`` (0 for a hit at the anchor), in one loop: x's
    integers are taken once."""
    xn, xd = x.as_integer_ratio()
    out = []
    for p in preps:
        cn, cd = p.c_nd
        d = p.d
        pn, pd = cn * xn, cd * xd
        k = d * pd // pn
        out.append(k + 1 if (2 * k + 1) * pn < 2 * d * pd else k)
    return out


def _best_x(landed: Sequence[_Prep], xl: Fraction, xr: Fraction) -> Fraction:
    """Exact best x = 1/T in [xl, xr] over the landed hits (nearest grid line each)."""
    return _best_x_mean(landed, xl, xr)[0]


def _best_x_mean(landed: Sequence[_Prep], xl: Fraction, xr: Fraction
                 ) -> tuple[Fraction, Fraction]:
    """``_best_x`` and the weighted mean frames off there (found on the way)."""
    if not landed:
        return (xl + xr) / 2, Fraction(0)
    # split where a hit's nearest grid line changes (only where two lines both land)
    cuts = {xl, xr}
    for p, k_a, k_b in zip(landed, _nearest_ks(landed, xl), _nearest_ks(landed, xr),
                           strict=True):
        if p.d == 0:  # lands everywhere, on line 0
            continue
        for k in range(min(k_a, k_b), max(k_a, k_b)):
            cut = Fraction(2 * p.d) / ((2 * k + 1) * p.c)
            if xl < cut < xr:
                cuts.add(cut)
    bounds = sorted(cuts)
    best: tuple[Fraction, Fraction, Fraction] | None = None
    for a, b in zip(bounds, bounds[1:] or bounds, strict=False):
        mid = (a + b) / 2
        x = _minimax(landed, _nearest_ks(landed, mid), a, b)
        ks = _nearest_ks(landed, x)
        worst, mean = _errors(landed, ks, x)
        if best is None or (worst, mean) < best[:2]:
            best = (worst, mean, x)
    assert best is not None
    return best[2], best[1]


def _round_bpm(lo: Fraction, hi: Fraction, best: Fraction) -> Fraction | None:
    for step in (Fraction(1), Fraction(1, 2)):
        below = math.floor(best / step) * step
        options = [v for v in (below, below + step) if lo <= v <= hi]
        if options:
            return min(options, key=lambda v: (abs(v - best), v))
    return None


class _Ranked:
    """What ranking a piece needs (its best tempo, every hit's grid line and frames off,
    the rank key), made for every piece that can make the top; the full candidate
    (bar|beat, HitResults, round and frame-click tempos) only for those returned."""

    __slots__ = ("lo", "hi", "mask", "landed", "bpm", "ks", "offs", "weight", "near",
                 "mean", "max_off", "key")

    def __init__(self, preps: Sequence[_Prep], lo: Fraction, hi: Fraction, mask: int,
                 prefer: Fraction) -> None:
        landed = [p for p in preps if mask >> p.index & 1]
        x, mean = _best_x_mean(landed, 1 / hi, 1 / lo)
        bpm = 1 / x
        xn, xd = x.as_integer_ratio()
        ks = _nearest_ks(preps, x)
        # frames off = k c x - d as integer ratios (num, den): made Fractions only for
        # the near misses and, in ``candidate``, for the candidates returned
        offs = []
        for p, k in zip(preps, ks, strict=True):
            cn, cd = p.c_nd
            offs.append((k * cn * xn - p.d * cd * xd, cd * xd))
        # the largest |off| of the landed hits: per denominator (one or two: the hit
        # kinds' grids) the largest |numerator|, then one Fraction each
        top_num: dict[int, int] = {}
        for p in landed:
            num, den = offs[p.index]
            if abs(num) > top_num.get(den, -1):
                top_num[den] = abs(num)
        max_off = max((Fraction(n, den) for den, n in top_num.items()), default=Fraction(0))
        near, beyond = 0, Fraction(0)
        for p in preps:
            if not mask >> p.index & 1:
                off = abs(Fraction(*offs[p.index]))
                if off <= 2 * p.tol:
                    near += 1
                    beyond += off / p.tol - 1
        weight = float(sum(p.hit.weight for p in landed))
        self.lo, self.hi, self.mask, self.landed, self.bpm = lo, hi, mask, landed, bpm
        self.ks, self.offs, self.weight, self.near = ks, offs, weight, near
        self.mean, self.max_off = mean, max_off
        self.key = (-weight, near, beyond, mean, max_off, abs(bpm - prefer), lo)

    def candidate(self, preps: Sequence[_Prep], subdivision: int, meter_beats: int,
                  rate: Rate) -> TempoCandidate:
        results = []
        for p, k, off in zip(preps, self.ks, self.offs, strict=True):
            # the whole subdivisions after the anchor (k / g * subdivision, k >= 0)
            subs_int = k * p.g.denominator * subdivision // p.g.numerator
            beat_index, sub = divmod(subs_int, subdivision)
            bar, beat = divmod(beat_index, meter_beats)
            results.append(HitResult(p.hit, bar + 1, beat + 1, sub, Fraction(*off),
                                     bool(self.mask >> p.index & 1)))
        lo, hi, bpm = self.lo, self.hi, self.bpm
        return TempoCandidate(
            low_bpm=lo, high_bpm=hi, best_bpm=bpm, hits=tuple(results),
            landed=len(self.landed), weighted_landed=self.weight,
            mean_frames_off=self.mean, max_frames_off=self.max_off, near_misses=self.near,
            round_bpm=_round_bpm(lo, hi, bpm), frameclick_bpm=frameclick_within(lo, hi, bpm, rate))


# --- public API ------------------------------------------------------------------------------


def find_tempos(
    hits: Sequence[Hit],
    *,
    start_frame: int,
    rate: Rate | str,
    tempo_range: tuple[Fraction, Fraction] = DEFAULT_TEMPO_RANGE,
    tolerance_frames: Fraction = Fraction(1),
    subdivision: int = 1,
    meter_beats: int = 4,
    min_hits: int | None = None,
    prefer_bpm: Fraction | None = None,
    top: int | None = 20,
    cue: str = "",
) -> list[TempoCandidate]:
    """Every tempo interval at which at least ``min_hits`` hard hits land, best first.

    Ranked most weighted hits landed, then fewest (and nearest) near misses (a hit off by
    at most twice its tolerance), then lowest weighted mean frames off, lowest largest
    frames off, and the best tempo nearest ``prefer_bpm`` (default: the middle of the
    range).  ``top`` candidates are returned (``None``: all).  An empty list means no
    tempo in the range lands that many hard hits: lower ``min_hits``, raise the
    tolerance, widen the range, or add a subdivision.

    Raises ValidationError for no hard hits, a bad range or tolerance, or a hit before
    bar 1 (``cue`` names the cue in the messages).
    """
    rate = get_rate(rate)
    name = cue or "(unnamed)"
    preps = _prepare(hits, start_frame=start_frame, rate=rate,
                     tolerance_frames=Fraction(tolerance_frames), subdivision=subdivision,
                     meter_beats=meter_beats, tempo_range=tempo_range, cue=name)
    n_req = sum(p.required for p in preps)
    if n_req == 0:
        raise ValidationError(
            f"cue {name} has no hard hits; mark at least one sync point as hard, "
            "or use --kind soft to find tempos for the soft hits", field="hits",
            value=f"{len(hits)} sync points, none hard", valid="at least one hard hit")
    if min_hits is None:
        min_hits = n_req
    if not 1 <= min_hits <= n_req:
        raise ValidationError(f"cue {name}: min_hits must be between 1 and the hard hits",
                              field="min_hits", value=min_hits, valid=f"1-{n_req}")
    lo, hi = (Fraction(v) for v in tempo_range)
    pieces = _landing_intervals(preps, lo, hi, min_hits)
    # the first rank key (weight landed) is cheap: build full candidates only for the
    # pieces that can make the top
    weights = [p.hit.weight for p in preps]

    def weight_of(mask: int) -> float:
        return sum(w for i, w in enumerate(weights) if mask >> i & 1)

    scored = sorted(((weight_of(m), a, b, m) for a, b, m in pieces), key=lambda e: -e[0])
    if top is not None and len(scored) > top:
        cutoff = scored[top - 1][0] if top > 0 else float("inf")
        scored = [e for e in scored if e[0] >= cutoff]
    prefer = Fraction(prefer_bpm) if prefer_bpm is not None else (lo + hi) / 2
    ranked = [_Ranked(preps, a, b, m, prefer) for _, a, b, m in scored]
    ranked.sort(key=attrgetter("key"))
    if top is not None:
        del ranked[top:]
    return [r.candidate(preps, subdivision, meter_beats, rate) for r in ranked]


def landing_intervals(
    hits: Sequence[Hit],
    *,
    start_frame: int,
    rate: Rate | str,
    tempo_range: tuple[Fraction, Fraction] = DEFAULT_TEMPO_RANGE,
    tolerance_frames: Fraction = Fraction(1),
    subdivision: int = 1,
    meter_beats: int = 4,
    min_hits: int | None = None,
) -> list[tuple[Fraction, Fraction, frozenset[int]]]:
    """The raw intervals behind ``find_tempos``: (low, high, indices of hits landed), in
    tempo order, unranked and without the per-hit detail (cheap; used by the solver)."""
    rate = get_rate(rate)
    preps = _prepare(hits, start_frame=start_frame, rate=rate,
                     tolerance_frames=Fraction(tolerance_frames), subdivision=subdivision,
                     meter_beats=meter_beats, tempo_range=tempo_range, cue="(unnamed)")
    n_req = sum(p.required for p in preps)
    lo, hi = (Fraction(v) for v in tempo_range)
    pieces = _landing_intervals(preps, lo, hi, n_req if min_hits is None else min_hits)
    sets: dict[int, frozenset[int]] = {}  # pieces often share a mask: made once each
    for _, _, m in pieces:
        if m not in sets:
            sets[m] = frozenset(i for i in range(m.bit_length()) if m >> i & 1)
    return [(a, b, sets[m]) for a, b, m in pieces]
