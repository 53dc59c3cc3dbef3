"""Solve a tempo map with tempo changes: the fewest constant-tempo segments that land
every hard hit, with tempos in range and each change within a ratio of the last.

A segment starts on a bar line (or any beat, ``change_at="beat"``) at an exact frame
position ``a0`` (a Fraction of frames); with period P frames per beat its beat j falls at
``a0 + j*P``.  Which tempos land a run of hits from a segment start is the same exact
interval arithmetic as ``findtempo`` with the anchor at ``a0``.

Search: breadth first by number of segments (so the first complete map has the fewest
segments among the choices tried).  From a state (next hit, start beat, start frame,
last tempo) one segment is tried for the longest runs of hits some tempo lands (the
longest and the two next shorter), at each run's feasible intervals' best, ends and
round tempos, changing on the latest, earliest and middle bar line before the next hit.
States are deduplicated exactly and a beam keeps the most promising per level.  This is
a heuristic over a continuum of choices; the tests check it against the exact one-tempo
answer and against maps built from known tempos.

Pinned segments (the composer's fixed tempo for some bars) are kept as given: the free
segment before one ends on its first beat, and the hits inside it must land.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from filmscore.errors import ValidationError
from filmscore.sync.findtempo import (
    DEFAULT_TEMPO_RANGE,
    Hit,
    HitResult,
    _best_x,
    _Prep,
    _prepare,
    _round_bpm,
)
from filmscore.timecode import Rate, get_rate

BEAM = 48


@dataclass(frozen=True)
class PinnedSegment:
    """Bars the composer fixes: ``beats`` beats from ``start_beat`` (0 = bar 1 beat 1)."""

    start_beat: int
    beats: int
    tempo_bpm: Fraction


@dataclass(frozen=True)
class SolvedSegment:
    """A constant tempo from ``start_beat`` for ``beats`` beats (None: to the end).

    ``start_frame`` is the exact frame position of its first beat.  ``odd_bar_beats``
    is set when ``allow_bar_change`` put the next change off the bar grid: this
    segment's last bar has that many beats instead of the meter's (a 2/4 in 4/4).
    """

    start_beat: int
    beats: int | None
    tempo_bpm: Fraction
    start_frame: Fraction = Fraction(0)
    pinned: bool = False
    odd_bar_beats: int | None = None


@dataclass(frozen=True)
class SolvedHit:
    """Where a hit falls in the solved map: its segment and global beat."""

    result: HitResult
    segment: int
    beat: Fraction  # beats after bar 1 beat 1


@dataclass(frozen=True)
class Solution:
    segments: tuple[SolvedSegment, ...]
    hits: tuple[SolvedHit, ...]

    @property
    def changes(self) -> int:
        return len(self.segments) - 1


@dataclass(frozen=True)
class _State:
    i: int  # next hard hit (index into the sorted hard hits)
    b0: int  # start beat of the next segment
    a0: Fraction  # its exact frame position
    prev: Fraction | None  # tempo of the previous segment
    bar_origin: int  # bar lines at beats = bar_origin mod meter
    segs: tuple[SolvedSegment, ...]


def _rebase(p: _Prep, a0: Fraction) -> _Prep:
    return replace(p, d=p.hit.frame - a0)


def _frames_per_beat(bpm: Fraction, fps: Fraction) -> Fraction:
    return 60 * fps / bpm


def _pick_tempos(preps: Sequence[_Prep], lo: Fraction, hi: Fraction, round_ok: bool
                 ) -> list[Fraction]:
    x = _best_x(preps, 1 / hi, 1 / lo)
    best = 1 / x
    out = [best]
    r = _round_bpm(lo, hi, best) if round_ok else None
    if r is not None:
        out.insert(0, r)
    out.extend(v for v in (lo, hi) if v not in out)
    return out


def solve_tempo_map(
    hits: Sequence[Hit],
    *,
    start_frame: int,
    rate: Rate | str,
    tempo_range: tuple[Fraction, Fraction] = DEFAULT_TEMPO_RANGE,
    tolerance_frames: Fraction = Fraction(1),
    meter_beats: int = 4,
    max_change_ratio: Fraction = Fraction(15, 100),
    change_at: str = "bar",
    pinned: Sequence[PinnedSegment] = (),
    allow_bar_change: bool = False,
    prefer_round: bool = True,
    prefer_bpm: Fraction | None = None,
    cue: str = "",
) -> Solution:
    """The fewest constant-tempo segments landing every hard hit (see the module doc).

    The first segment's tempo is sought nearest ``prefer_bpm`` (default: the middle of
    the range), each later one nearest the one before.  Raises ValidationError naming
    the first hard hit no map reaches and what to relax.
    """
    rate = get_rate(rate)
    name = cue or "(unnamed)"
    if change_at not in ("bar", "beat"):
        raise ValidationError(f"cue {name}: tempo changes go on a bar or a beat",
                              field="change_at", value=change_at, valid="bar, beat")
    ratio = Fraction(max_change_ratio)
    if ratio < 0:
        raise ValidationError(f"cue {name}: the largest tempo change must be >= 0",
                              field="max_change_ratio", value=str(ratio), valid="e.g. 0.15")
    preps = _prepare(hits, start_frame=start_frame, rate=rate,
                     tolerance_frames=Fraction(tolerance_frames), subdivision=1,
                     meter_beats=meter_beats, tempo_range=tempo_range, cue=name)
    hard = sorted((p for p in preps if p.required), key=lambda p: p.d)
    if not hard:
        raise ValidationError(
            f"cue {name} has no hard hits; mark at least one sync point as hard",
            field="hits", value=f"{len(hits)} sync points, none hard",
            valid="at least one hard hit")
    lo, hi = (Fraction(v) for v in tempo_range)
    pins = sorted(pinned, key=lambda s: s.start_beat)
    for s in pins:
        if s.beats < 1 or s.start_beat < 0 or not lo <= Fraction(s.tempo_bpm) <= hi:
            raise ValidationError(
                f"cue {name}: pinned segment at beat {s.start_beat} is not valid",
                field="pinned", value=f"{s.beats} beats at {s.tempo_bpm} BPM",
                valid=f"beats >= 1, start >= 0, tempo within {lo}-{hi} BPM")
    for a, b in zip(pins, pins[1:], strict=False):
        if a.start_beat + a.beats > b.start_beat:
            raise ValidationError(f"cue {name}: pinned segments overlap",
                                  field="pinned", value=f"beats {a.start_beat}, {b.start_beat}",
                                  valid="pinned segments that do not overlap")
    fps = rate.fps
    n = len(hard)
    step = 1 if change_at == "beat" or allow_bar_change else meter_beats

    def finish(st: _State) -> Solution:
        segs = list(st.segs)
        b, a, tempo = st.b0, st.a0, st.prev
        for pin in pins:
            if pin.start_beat < b:
                continue
            if pin.start_beat > b and segs and segs[-1].beats is None:
                last = segs[-1]
                segs[-1] = replace(last, beats=pin.start_beat - last.start_beat)
            a += (pin.start_beat - b) * _frames_per_beat(tempo, fps)
            segs.append(SolvedSegment(pin.start_beat, pin.beats, Fraction(pin.tempo_bpm), a,
                                      pinned=True))
            b = pin.start_beat + pin.beats
            a += pin.beats * _frames_per_beat(Fraction(pin.tempo_bpm), fps)
            segs.append(SolvedSegment(b, None, tempo, a))
        if segs[-1].beats is not None:
            segs.append(SolvedSegment(b, None, tempo, a))
        return Solution(tuple(segs), _place(preps, segs, fps, meter_beats))

    prefer = Fraction(prefer_bpm) if prefer_bpm is not None else (lo + hi) / 2
    start = _State(0, 0, Fraction(start_frame), None, 0, ())
    level = [start]
    reached = 0
    blocked: str = ""
    def done(st: _State) -> bool:
        return st.i >= n and all(p.start_beat < st.b0 for p in pins)

    def drift(st: _State) -> Fraction:
        # how far the map strays from the preferred tempo: first segment, then each step
        free = [sg.tempo_bpm for sg in st.segs if not sg.pinned]
        return sum((abs(b - a) / a for a, b in zip([prefer, *free], free, strict=False)),
                   Fraction(0))

    for _ in range(2 * n + 2 * len(pins) + 2):
        finished = [st for st in level if done(st)]
        if finished:
            return _choose(finished, finish, drift)
        children: dict[tuple, _State] = {}
        for st in level:
            for child in _expand(st, hard, pins, lo, hi, ratio, fps, meter_beats, step,
                                 allow_bar_change, prefer_round, prefer):
                if isinstance(child, str):
                    blocked = blocked or child
                    continue
                key = (child.i, child.b0, child.a0, child.bar_origin, child.prev)
                if key not in children or drift(child) < drift(children[key]):
                    children[key] = child
        finished = [st for st in children.values() if done(st)]
        if finished:
            return _choose(finished, finish, drift)
        if not children:
            break
        ranked = sorted(children.values(), key=lambda s: (-s.i, drift(s), -s.b0))
        reached = max(reached, ranked[0].i)
        level = ranked[:BEAM]
    miss = hard[min(reached, n - 1)]
    raise ValidationError(
        f"cue {name}: no tempo map lands the hard hit at frame {miss.hit.frame}"
        + (f" ({blocked})" if blocked else ""),
        field="hits", value=miss.hit.frame,
        valid=f"relax the tolerance (now {miss.tol} frames), widen the tempo range "
              f"(now {lo}-{hi} BPM), allow larger changes (now {float(ratio):.0%}), "
              "or change on beats")


def _choose(finished, finish, drift) -> Solution:
    """Among complete maps: near the preferred tempo (in 5% steps), then most accurate."""
    def key(st):
        sol = finish(st)
        worst = max((abs(h.result.frames_off) for h in sol.hits), default=Fraction(0))
        return (math.floor(drift(st) * 20), worst, drift(st)), sol
    return min((key(st) for st in finished), key=lambda e: e[0])[1]


def _expand(st: _State, hard: Sequence[_Prep], pins: Sequence[PinnedSegment],
            lo: Fraction, hi: Fraction, ratio: Fraction, fps: Fraction, meter: int,
            step: int, allow_bar_change: bool, prefer_round: bool, prefer: Fraction):
    n = len(hard)
    pin_here = next((p for p in pins if p.start_beat == st.b0), None)
    if pin_here is not None:
        tempo = Fraction(pin_here.tempo_bpm)
        fpb = _frames_per_beat(tempo, fps)
        a1 = st.a0 + pin_here.beats * fpb
        j = st.i
        while j < n and hard[j].hit.frame < a1:
            p = _rebase(hard[j], st.a0)
            k = round(p.d / fpb)
            if abs(k * fpb - p.d) > p.tol:
                yield f"the pinned {tempo} BPM at beat {st.b0} misses frame {p.hit.frame}"
                return
            j += 1
        seg = SolvedSegment(st.b0, pin_here.beats, tempo, st.a0, pinned=True)
        b1 = st.b0 + pin_here.beats
        yield _State(j, b1, a1, tempo, b1 % meter, (*st.segs, seg))
        return
    w_lo, w_hi = lo, hi
    if st.prev is not None:
        w_lo, w_hi = max(lo, st.prev * (1 - ratio)), min(hi, st.prev * (1 + ratio))
    if w_lo > w_hi:
        yield "no tempo in range within the allowed change"
        return
    next_pin = next((p.start_beat for p in pins if p.start_beat > st.b0), None)
    if st.i >= n:
        # hits done; run on to the next pinned segment at the same tempo
        tempo = st.prev if st.prev is not None else (lo + hi) / 2
        seg = SolvedSegment(st.b0, None, tempo, st.a0)
        yield _State(n, st.b0 if next_pin is None else next_pin, st.a0, tempo, st.bar_origin,
                     (*st.segs, seg)) if next_pin is None else _State(
            n, next_pin, st.a0 + (next_pin - st.b0) * _frames_per_beat(tempo, fps), tempo,
            st.bar_origin, (*st.segs, replace(seg, beats=next_pin - st.b0)))
        return
    # prefix survivors: tempos landing hits i..j from this start
    rebased = [_rebase(p, st.a0) for p in hard[st.i:]]
    survivors = [(w_lo, w_hi)]
    prefixes: list[list[tuple[Fraction, Fraction]]] = []
    for p in rebased:
        if p.d < -p.tol:
            break
        if p.lands_everywhere():
            nxt = survivors
        else:
            nxt = [iv for a, b in survivors for iv in p.intervals(a, b)]
        if not nxt:
            break
        survivors = nxt
        prefixes.append(survivors)
    if not prefixes:
        yield (f"frame {rebased[0].hit.frame} cannot be reached from beat {st.b0} at "
               f"{float(w_lo):.2f}-{float(w_hi):.2f} BPM")
        return
    top = len(prefixes)
    for length in range(top, max(0, top - 3), -1):
        ivs = prefixes[length - 1]
        target = st.prev if st.prev is not None else prefer
        ivs = sorted(ivs, key=lambda iv: min(abs(iv[0] - target), abs(iv[1] - target)))[:4]
        covered = rebased[:length]
        j_next = st.i + length
        for a, b in ivs:
            for tempo in _pick_tempos(covered, a, b, prefer_round):
                fpb = _frames_per_beat(tempo, fps)
                last_beat = max((round(p.d / fpb) for p in covered), default=0)
                if next_pin is not None and st.b0 + last_beat >= next_pin:
                    continue
                if j_next >= n and next_pin is None:
                    seg = SolvedSegment(st.b0, None, tempo, st.a0)
                    yield _State(n, st.b0, st.a0, tempo, st.bar_origin, (*st.segs, seg))
                    continue
                # bar lines after the last covered hit and at or before the next one
                first = st.b0 + last_beat
                if j_next < n:
                    nxt = rebased[length]
                    limit = st.b0 + math.floor((nxt.d + nxt.tol) / fpb)
                else:
                    limit = next_pin
                if next_pin is not None:
                    limit = min(limit, next_pin)
                grid = step if not allow_bar_change else 1
                origin = st.bar_origin if grid == meter else 0
                bars = [bb for bb in range(first, limit + 1)
                        if (bb - origin) % grid == 0 and bb > st.b0]
                if next_pin is not None and limit == next_pin and next_pin not in bars:
                    bars.append(next_pin)
                if not bars:
                    continue
                picks = {bars[-1], bars[0], bars[len(bars) // 2]}
                for bb in sorted(picks):
                    odd = None
                    origin_next = st.bar_origin
                    if allow_bar_change and (bb - st.bar_origin) % meter:
                        odd = (bb - st.bar_origin) % meter
                        origin_next = bb % meter
                    seg = SolvedSegment(st.b0, bb - st.b0, tempo, st.a0, odd_bar_beats=odd)
                    a1 = st.a0 + (bb - st.b0) * fpb
                    yield _State(j_next, bb, a1, tempo, origin_next, (*st.segs, seg))


def _place(preps: Sequence[_Prep], segs: Sequence[SolvedSegment], fps: Fraction,
           meter: int) -> tuple[SolvedHit, ...]:
    out = []
    for p in preps:
        # the segment this hit falls in: the last one starting at or before it
        idx = 0
        for i, s in enumerate(segs):
            if s.start_frame <= p.hit.frame + p.tol:
                idx = i
        s = segs[idx]
        fpb = _frames_per_beat(s.tempo_bpm, fps)
        d = p.hit.frame - s.start_frame
        k = round(d / fpb * p.g) if d > 0 else 0
        if s.beats is not None:
            k = min(k, s.beats * int(p.g) if p.g.denominator == 1 else k)
        off = k / p.g * fpb - d
        beat = s.start_beat + k / p.g
        whole = math.floor(beat)
        bar, bt = divmod(whole, meter)
        sub = int((beat - whole) * p.g) if p.g.denominator == 1 else 0
        landed = abs(off) <= p.tol
        out.append(SolvedHit(HitResult(p.hit, bar + 1, bt + 1, sub, off, landed), idx, beat))
    return tuple(out)
