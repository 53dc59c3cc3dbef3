"""The album's selection and order as CP-SAT models (OR-Tools; pure).  See
``album.sequence`` for the rules; this module only states them for the solver.

Three solves, each with its share of the time limit, each started from the previous
answer (and the first from the greedy fill, which is also its floor):

1. **select**: which candidates, on which side: maximise the ratings (x 100) plus the
   theme coverage (``theme_weight`` x 100 per theme), under the capacity, the track
   count, the alternatives, the pins and the kept tracks.  In film order a side holds a
   run of the film-ordered candidates (side numbers never go down along the film);
   in listening order any candidate may go on any side.
2. **balance** (more than one side): the same, the objective held at its best, the
   longest side less the shortest side brought within ``balance_tolerance_seconds``
   (or as close to it as it gets).
3. **order** (listening order): for each side, a circuit through its tracks (and a
   depot: the arc from the depot is the first track, the arc to it the last) that
   maximises the contrast of tempo and loudness between neighbours, less (vinyl) a
   penalty for a loud or bass-heavy track late on its side.

All times are integers: the problem's units (CD frames, or milliseconds) for the rules;
whole seconds for the vinyl penalty, where nothing depends on exactness.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from filmscore.album.sequence import SCALE, Problem

#: relative shares of the time limit: select, balance, order
SHARES = {"select": 2.0, "balance": 1.0, "order": 2.0}
#: the weight of the loud-early penalty: a track of full heaviness at the very end of a
#: full side costs as much as this many neighbours of full contrast (2 = tempo and level)
HEAVY_WEIGHT = 3


def _phases(p: Problem) -> list[str]:
    phases = ["select"]
    if p.balance:
        phases.append("balance")
    if p.options.order == "listening":
        phases.append("order")
    return phases


def _budget(p: Problem, phase: str, deadline: float) -> float:
    """This phase's seconds: its share of what is left."""
    phases = _phases(p)
    rest = phases[phases.index(phase):]
    left = deadline - time.perf_counter()
    return max(0.05, left * SHARES[phase] / sum(SHARES[f] for f in rest))


def _solver(p: Problem, seconds: float):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(seconds)
    solver.parameters.num_workers = max(1, int(p.options.workers))
    solver.parameters.random_seed = int(p.options.seed)
    return solver


def select(p: Problem, baseline: list[list[int]] | None, deadline: float,
           ) -> tuple[list[list[int]], str, float | None] | None:
    """(tracks per side in film order, "optimal"/"feasible", the proven upper bound on
    the objective in rating points, None when the choice is proved the best), or None
    when no album was found in the time."""
    from ortools.sat.python import cp_model

    n, k = len(p.items), p.sides
    ceiling = None
    if k > 1 and p.cap is not None:
        # the sides as one long side: its best is a ceiling for the real problem, found
        # and proved in a moment.  CP-SAT's own bound on the sides can stay far above it
        # (seen on a double LP of 185 candidates: 297-301 after 10 s, the ceiling 282,
        # the best found 276-280): its linear relaxation of the side assignment is weak
        # and one worker does no LNS
        model = cp_model.CpModel()
        x, primary = _choice(model, p)
        model.add(sum((p.length[i] + p.gap) * x[i] for i in range(n))
                  <= k * (p.cap + p.gap - p.pregap))
        if p.max_tracks is not None:
            model.add(sum(x) <= k * p.max_tracks)
        model.maximize(primary)
        solver = _solver(p, _budget(p, "select", deadline) / 4)
        if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            ceiling = math.floor(solver.best_objective_bound + 1e-6)
    model = cp_model.CpModel()
    x, primary = _choice(model, p)
    if ceiling is not None:
        model.add(primary <= ceiling)

    if k == 1:
        y = [[x[i]] for i in range(n)]
    else:
        y = [[model.new_bool_var(f"y{i}_{s}") for s in range(k)] for i in range(n)]
        for i in range(n):
            model.add(sum(y[i]) == x[i])
        if p.options.order == "film":
            # the sides hold runs of the film order: past[i][s] says candidate i comes
            # after the start of side s (s >= 1); it never goes back along the film
            past = [[model.new_bool_var(f"p{i}_{s}") for s in range(1, k)]
                    for i in range(n)]
            for i in range(n):
                for s in range(k - 2):
                    model.add_implication(past[i][s + 1], past[i][s])
                if i + 1 < n:
                    for s in range(k - 1):
                        model.add_implication(past[i][s], past[i + 1][s])
                for s in range(k):
                    if s >= 1:
                        model.add_implication(y[i][s], past[i][s - 1])
                    if s + 1 < k:
                        model.add_implication(y[i][s], past[i][s].negated())
        else:
            for a, b in zip(p.keep, p.keep[1:], strict=False):
                model.add(sum(s * y[a][s] for s in range(k))
                          <= sum(s * y[b][s] for s in range(k)))
        if p.first is not None:
            model.add(y[p.first][0] == 1)
        if p.last is not None:
            model.add(y[p.last][k - 1] == 1)
    loads = []
    for s in range(k):
        on = [y[i][s] for i in range(n)]
        model.add(sum(on) >= 1)
        if p.max_tracks is not None:
            model.add(sum(on) <= p.max_tracks)
        load = sum((p.length[i] + p.gap) * y[i][s] for i in range(n)) - p.gap + p.pregap
        if p.cap is not None:
            model.add(load <= p.cap)
        loads.append(load)

    if baseline is not None:
        chosen = [i for side in baseline for i in side]
        model.add(primary >= p.primary(chosen))
        _hint(model, x, y, baseline, n, k)
    model.maximize(primary)
    solver = _solver(p, _budget(p, "select", deadline))
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        from filmscore.album.sequence import _cannot_lay_out
        from filmscore.errors import InputError

        raise InputError(_cannot_lay_out(p), field="required",
                         valid="fewer pinned or required tracks, or a medium that holds "
                               "more (max_seconds, sides)")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    best = round(solver.objective_value)
    proved = status == cp_model.OPTIMAL
    # the bound in rating points (None: this choice is proved the best)
    bound = None if proved else math.floor(solver.best_objective_bound + 1e-6) / SCALE
    layout = _read(solver, y, n, k)

    if k > 1:
        # balanced sides may cost a little of the value (Options.balance_slack)
        model.add(primary >= best - math.floor(best * p.options.balance_slack))
        hi = model.new_int_var(0, p.cap or sum(p.length) * 2 + p.pregap, "longest")
        lo = model.new_int_var(0, p.cap or sum(p.length) * 2 + p.pregap, "shortest")
        for load in loads:
            model.add(hi >= load)
            model.add(lo <= load)
        model.clear_hints()
        _hint(model, x, y, layout, n, k)
        tolerance = math.floor(Fraction(str(p.options.balance_tolerance_seconds)) / p.unit)
        excess = model.new_int_var(0, p.cap or sum(p.length) * 2 + p.pregap, "excess")
        model.add(excess >= hi - lo - tolerance)
        model.minimize(excess)
        solver = _solver(p, _budget(p, "balance", deadline))
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            layout = _read(solver, y, n, k)
            proved = proved and status == cp_model.OPTIMAL
        else:
            proved = False
    return layout, "optimal" if proved else "feasible", bound


def _choice(model, p: Problem):
    """The choice variables (one a candidate), the alternatives, the forced tracks and
    the objective: ratings and themes covered."""
    n = len(p.items)
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    for i in range(n):
        if p.forced[i]:
            model.add(x[i] == 1)
    for group in p.groups:
        model.add_at_most_one(x[i] for i in group)
    covered = []
    for theme in p.themes:
        t = model.new_bool_var(f"t_{theme}")
        model.add(t <= sum(x[i] for i in range(n) if theme in p.items[i].themes))
        covered.append(t)
    return x, (sum((p.value[i] + p.track_value) * x[i] for i in range(n))
               + p.theme_value * sum(covered))


def _hint(model, x, y, layout: list[list[int]], n: int, k: int) -> None:
    where = {i: s for s, side in enumerate(layout) for i in side}
    for i in range(n):
        model.add_hint(x[i], i in where)
        if k > 1:
            for s in range(k):
                model.add_hint(y[i][s], where.get(i) == s)


def _read(solver, y, n: int, k: int) -> list[list[int]]:
    return [[i for i in range(n) if solver.value(y[i][s])] for s in range(k)]


def order(p: Problem, layout: list[list[int]], deadline: float,
          ) -> tuple[list[list[int]], bool] | None:
    """The listening order of each side's tracks: (tracks per side in order, proved
    optimal), or None when no order was found in the time."""
    from ortools.sat.python import cp_model

    from filmscore.album.sequence import _listening_order

    model = cp_model.CpModel()
    terms = []
    arcs_of: list[dict[tuple[int, int], object]] = []
    vinyl = p.medium.name == "vinyl"
    unit_s = float(p.unit)
    for s, side in enumerate(layout):
        m = len(side)
        arcs: dict[tuple[int, int], object] = {}
        arcs_of.append(arcs)
        if m <= 1:
            continue
        # node 0 is the depot; node a + 1 is side[a]
        for a in range(m + 1):
            for b in range(m + 1):
                if a != b:
                    arcs[a, b] = model.new_bool_var(f"a{s}_{a}_{b}")
        model.add_circuit([(a, b, lit) for (a, b), lit in arcs.items()])
        node = {track: a + 1 for a, track in enumerate(side)}
        if p.first in node:
            model.add(arcs[0, node[p.first]] == 1)
        if p.last in node:
            model.add(arcs[node[p.last], 0] == 1)
        span = p.cap * unit_s if p.cap is not None else sum(p.length[t] for t in side) * unit_s
        weight = max(1, math.ceil(span))
        for (a, b), lit in arcs.items():
            if a and b:
                terms.append(weight * p.contrast.get((side[a - 1], side[b - 1]), 0) * lit)
        kept = [t for t in p.keep if t in node]
        heavy = vinyl and any(p.heaviness[t] for t in side)
        if heavy or len(kept) > 1:
            # when each track starts (whole seconds): orders the kept tracks, and the
            # loud-early penalty grows with it
            secs = [math.ceil(p.length[t] * unit_s) for t in side]
            gap = math.ceil(p.gap * unit_s)
            top = sum(secs) + gap * m
            start = [model.new_int_var(0, top, f"t{s}_{a}") for a in range(m)]
            for a in range(m):
                model.add(start[a] == 0).only_enforce_if(arcs[0, a + 1])
                for b in range(m):
                    if a != b:
                        model.add(start[b] == start[a] + secs[a] + gap).only_enforce_if(
                            arcs[a + 1, b + 1])
            for u, v in zip(kept, kept[1:], strict=False):
                model.add(start[node[u] - 1] < start[node[v] - 1])
            if heavy:
                for a, track in enumerate(side):
                    if p.heaviness[track]:
                        terms.append(-HEAVY_WEIGHT * p.heaviness[track] * start[a])
        # start from the nearest-neighbour order
        guess = [node[t] for t in _listening_order(p, side)]
        tour = [0, *guess, 0]
        used = set(zip(tour, tour[1:], strict=False))
        for key, lit in arcs.items():
            model.add_hint(lit, key in used)
    if not terms:
        return [list(side) for side in layout], True
    model.maximize(sum(terms))
    solver = _solver(p, _budget(p, "order", deadline))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = []
    for side, arcs in zip(layout, arcs_of, strict=True):
        if len(side) <= 1:
            out.append(list(side))
            continue
        succ = {a: b for (a, b), lit in arcs.items() if solver.value(lit)}
        seq, at = [], succ[0]
        while at != 0:
            seq.append(side[at - 1])
            at = succ[at]
        out.append(seq)
    return out, status == cp_model.OPTIMAL
