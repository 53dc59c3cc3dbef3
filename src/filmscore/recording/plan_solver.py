"""The session plan as a CP-SAT model (OR-Tools): place items in sessions at the least paid
player-hours (pure; see ``recording.plan`` for the rules)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from filmscore.recording.plan import PlanItem, PlanRules, PlanSlot


def solve(items: Sequence[PlanItem], slots: Sequence[PlanSlot], caps: Sequence[Fraction],
          rules: PlanRules, *, hint: tuple[list[int], list[str | None]] | None = None,
          ) -> tuple[list[int], list[str | None], str, Fraction] | None:
    """(session of each item, group of each session, "optimal"/"feasible", the solver's
    lower bound on the cost in player-hours), or None when
    no plan was found (proved infeasible, or none in the time limit).

    Variables: x[i, s] item i in session s; g[s, k] session s records group k; p[s, c] the
    players of chair c called to session s (at least what every item there needs).
    Minimise sum over sessions of minutes x players called (paid player-minutes)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n, m = len(items), len(slots)
    groups = sorted({i.group for i in items} | {s.group for s in slots if s.group})
    x = {(i, s): model.new_bool_var(f"x{i}_{s}") for i in range(n) for s in range(m)}
    g = {(s, k): model.new_bool_var(f"g{s}_{k}") for s in range(m) for k in groups}
    for s, slot in enumerate(slots):
        model.add_exactly_one(g[s, k] for k in groups)
        if slot.group is not None:
            model.add(g[s, slot.group] == 1)
    dur = [math.ceil(it.seconds * 1000) for it in items]
    for i, item in enumerate(items):
        model.add_exactly_one(x[i, s] for s in range(m))
        for s in range(m):
            model.add_implication(x[i, s], g[s, item.group])
    for s in range(m):
        model.add(sum(dur[i] * x[i, s] for i in range(n)) <= math.floor(caps[s] * 1000))
    # chairs: the players called to each session
    need: dict[str, list[tuple[int, int]]] = {}
    for i, item in enumerate(items):
        for chair in item.chairs:
            need.setdefault(chair.chair, []).append((i, chair.players))
    cost = []
    biggest = max(caps)
    calls: dict[str, list] = {}
    for s, slot in enumerate(slots):
        for chair, uses in need.items():
            top = max(p for _, p in uses)
            if all(p == top for _, p in uses):  # the usual case: a 0/1 call of the chair
                called = model.new_bool_var(f"c{s}_{chair}")
                for i, _ in uses:
                    model.add_implication(x[i, s], called)
                cost.append(slot.minutes * top * called)
                calls.setdefault(chair, []).append(called)
            else:
                called = model.new_int_var(0, top, f"p{s}_{chair}")
                for i, p in uses:
                    model.add(called >= p * x[i, s])
                cost.append(slot.minutes * called)
    # redundant, for a stronger bound: a chair is called to at least as many sessions as
    # the music that needs it takes to record
    for chair, called in calls.items():
        music = sum(dur[i] for i, _ in need[chair])
        model.add(sum(called) >= math.ceil(Fraction(music) / (biggest * 1000)))
    model.minimize(sum(cost))
    # symmetry: when every session is alike (length, room, no fixed group), which one an
    # item goes to does not matter, so item k goes to one of the first k + 1 sessions (the
    # greedy plan, film order first-fit, keeps to this too)
    if len({(s.minutes, s.group, caps[k]) for k, s in enumerate(slots)}) == 1:
        for i in range(n):
            for s in range(i + 1, m):
                model.add(x[i, s] == 0)
    if hint is not None:
        where, hgroups = hint
        for i in range(n):
            for s in range(m):
                model.add_hint(x[i, s], where[i] == s)
        for s in range(m):
            chosen = hgroups[s] or slots[s].group or "orchestra"
            for k in groups:
                model.add_hint(g[s, k], k == chosen)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(rules.time_limit_s)
    solver.parameters.num_workers = max(1, int(rules.workers))
    solver.parameters.random_seed = int(rules.seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    where = [next(s for s in range(m) if solver.value(x[i, s])) for i in range(n)]
    chosen: list[str | None] = [next(k for k in groups if solver.value(g[s, k]))
                                for s in range(m)]
    bound = Fraction(math.ceil(solver.best_objective_bound - 1e-6), 60)
    return where, chosen, "optimal" if status == cp_model.OPTIMAL else "feasible", bound
