"""Session planner: CP-SAT vs the greedy plan on a 100-minute score of 80 cues.

The score (fixed seed) has 80 cues of 20 s to 4 min (lengths drawn log-normally, scaled so
that they add up to 100 minutes), each at a tempo of 60-160 BPM in 4/4 (its bar lines),
a difficulty of 1-5, and the chairs of a studio orchestra (the "studio" template, 82
players) in the sets film cues use: tutti, strings alone, strings and woodwinds, strings
and brass, a chamber group, piano and strings; 10 of them add the choir (32 singers) and
16 a percussion part.  The plan: 10 days (and, tight, 8) of two 3-hour sessions, 20
minutes a day, the choir and the percussion recorded apart, cues over 3 minutes split at
bar lines.  Both planners get the same items and sessions; the cost is paid player-hours
(every player called to a session is paid for all of it).  CP-SAT runs with 2 workers and
a 60-second limit (10 in --quick); the greedy plan is film order, each item into the
first session with room.
"""

from __future__ import annotations

import math
import random
import time
from datetime import date, timedelta
from fractions import Fraction

from _common import Result

N_CUES = 80
TOTAL_S = 100 * 60
DAYS = 10
TIGHT_DAYS = 8  # 142.8 minutes to record (the choir and percussion apart): 8 days
SEED = 1936


def _chair_sets():
    from filmscore.orchestration.ensembles import get_template
    from filmscore.recording.plan import ChairCall

    studio = get_template("studio")
    choir = get_template("choir")

    def calls(chairs):
        return tuple(ChairCall(c.label, c.players, c.section) for c in chairs)

    by = studio.by_section()
    strings, winds, brass = by["strings"], by["woodwinds"], by["brass"]
    perc = by["percussion"]
    keys = by.get("keyboards", ()) + by.get("harp", ())
    small_winds = tuple(c for c in winds if c.label.endswith(" 1"))
    sets = {
        "tutti": calls(studio.chairs),
        "strings": calls(strings),
        "strings+winds": calls(strings + winds),
        "strings+brass": calls(strings + brass),
        "chamber": calls(small_winds + keys + tuple(c for c in brass if c.label == "Horn 1")),
        "piano+strings": calls(keys[:1] + strings),
    }
    return sets, calls(perc), calls(choir.chairs)


def make_score(seed: int = SEED):
    """The 80 PlanCues of the benchmark score (24 fps)."""
    from filmscore.recording.plan import PlanCue

    rng = random.Random(seed)
    sets, perc, choir = _chair_sets()
    weights = {"tutti": 3, "strings": 3, "strings+winds": 2, "strings+brass": 2,
               "chamber": 2, "piano+strings": 1}
    raw = [math.exp(rng.gauss(0, 0.7)) for _ in range(N_CUES)]
    scale = TOTAL_S / sum(raw)
    lengths = [min(240, max(20, round(r * scale))) for r in raw]
    fix = TOTAL_S - sum(lengths)  # make the total exactly 100 minutes
    k = 0
    while fix:
        step = 1 if fix > 0 else -1
        if 20 < lengths[k] + step < 240:
            lengths[k] += step
            fix -= step
        k = (k + 1) % N_CUES
    with_choir = set(rng.sample(range(N_CUES), 10))
    with_perc = set(rng.sample(range(N_CUES), 16))
    cues = []
    for i, seconds in enumerate(lengths):
        kind = rng.choices(list(weights), weights=list(weights.values()))[0]
        chairs = sets[kind]
        if i in with_perc and kind != "tutti":
            chairs = chairs + perc
        if i in with_choir:
            chairs = chairs + choir
        bpm = rng.randint(60, 160)
        bar_frames = Fraction(4 * 60 * 24, bpm)
        frames = seconds * 24
        bars = tuple((b + 1, round(b * bar_frames)) for b in range(int(frames / bar_frames) + 1)
                     if round(b * bar_frames) < frames)
        reel, seq = divmod(i, 10)
        cues.append(PlanCue(f"{reel + 1}M{seq + 1}", frames, Fraction(24), chairs,
                            rng.choices((1, 2, 3, 4, 5), (2, 3, 3, 2, 1))[0], i, bars,
                            len(bars)))
    return cues


def make_case(time_limit_s: float, workers: int = 2, days: int = DAYS):
    from filmscore.recording.plan import PlanRules, PlanSlot, plan_items

    rules = PlanRules(20, ("choir", "percussion"), 180, time_limit_s, workers)
    items = plan_items(make_score(), rules)
    first = date(2027, 3, 1)
    slots = [PlanSlot(f"day {d + 1} {t}", first + timedelta(days=2 * d))
             for d in range(days) for t in ("AM", "PM")]
    return items, slots, rules


def run(quick: bool = False) -> list[Result]:
    from filmscore.errors import ValidationError
    from filmscore.recording.plan import greedy_plan, plan_sessions

    limit = 10.0 if quick else 60.0
    results = []
    for days in (DAYS,) if quick else (DAYS, TIGHT_DAYS):
        items, slots, rules = make_case(limit, days=days)
        start = time.perf_counter()
        try:
            greedy_cost = greedy_plan(items, slots, rules).cost
        except ValidationError:  # film order first-fit finds no room for everything
            greedy_cost = None
        greedy_s = time.perf_counter() - start
        start = time.perf_counter()
        plan = plan_sessions(items, slots, rules)
        ours_s = time.perf_counter() - start
        saving = 1 - float(plan.cost / greedy_cost) if greedy_cost else None
        greedy_text = (f"{float(greedy_cost):,.0f} ({saving:.1%} saved)" if greedy_cost
                       else "no plan (film order first-fit finds no room)")
        used = sum(1 for s in plan.sessions if s.items)
        bound = float(plan.bound or 0)
        print(f"  plan, {days} days: {len(items)} items from {N_CUES} cues; CP-SAT "
              f"{float(plan.cost):,.0f} player-hours ({plan.method}, {used} of {len(slots)} "
              f"sessions) vs greedy {greedy_text}; lower bound {bound:,.0f}")
        note = (f"paid player-hours: CP-SAT {float(plan.cost):,.0f} ({plan.method}; bound "
                f"{bound:,.0f}; {limit:g} s limit, 2 workers) vs greedy "
                f"{greedy_text}; {len(items)} items, "
                f"{len(slots)} sessions")
        results.append(Result("plan", f"{N_CUES} cues, 100 min, {days} days", "CP-SAT",
                              ours_s, "greedy (film order)", greedy_s, note,
                              {"cost": f"{float(plan.cost):.0f}", "greedy_cost":
                               f"{float(greedy_cost):.0f}" if greedy_cost else "none"}))
    return results
