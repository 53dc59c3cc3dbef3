"""The session planner (pure): which cue, or part of a cue, is recorded in which session and
in what order, and which players are called, at the least paid player-hours.

Inputs are plain values: ``PlanCue`` (a cue's length, bars, chairs with their players,
difficulty, film order), ``PlanSlot`` (a session on a calendar day, its length) and
``PlanRules`` (minutes of finished music a day, groups recorded apart, when to split).
``plan_items`` turns the cues into the items to record (a long or complex cue split at bar
lines into parts; the choir, a percussion overdub or synth prerecords taken out of a cue
into items of their own when recorded apart); ``plan_sessions`` places them:

* every item goes into exactly one session; a session holds at most
  ``minutes_per_day / sessions that day`` minutes of finished music;
* a group recorded apart (choir, percussion overdub, synth prerecord) gets sessions of its
  own: a session records one group only;
* inside a session the hardest items come first (difficulty 5 first; film order breaks
  ties, so the parts of one cue stay in order);
* cost: every player called to a session is paid for the whole session, so a session costs
  ``hours x the players of every chair any of its items needs``; the solver minimises the
  sum over sessions (paid player-hours).  Cues that need the same players land together
  because that is what makes the plan cheaper.

The solver is OR-Tools CP-SAT (a time limit, one worker and a fixed seed: the same input
gives the same plan), started from the greedy plan (film order, first session with room)
which is also returned for comparison; the cheaper of the two is the plan, so the solver
is never worse than the baseline.  When the days cannot hold the music a ``ValidationError``
says so with the numbers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from filmscore.errors import FilmscoreWarning, InputError, ValidationError
from filmscore.recording.vocabulary import RECORDING_GROUPS

#: finished minutes of music a team records in a day (a common figure on a scoring stage)
DEFAULT_MINUTES_PER_DAY = 20
#: two three-hour union sessions a day, with an hour's lunch between
DEFAULT_SESSION_TIMES: tuple[tuple[str, str], ...] = (("10:00", "13:00"), ("14:00", "17:00"))
#: cues longer than this are split into parts at bar lines (seconds)
DEFAULT_SPLIT_OVER_S = 180

#: what can be recorded apart: the words the user gives -> (recording group, the sections
#: of the orchestra whose chairs it takes out of a cue)
APART: dict[str, tuple[str, tuple[str, ...]]] = {
    "choir": ("choir", ("voices",)),
    "percussion": ("percussion overdub", ("percussion",)),
    "synth": ("synth prerecord", ("synths",)),
}
#: the session kind (recording.vocabulary.SESSION_KINDS) a group is recorded in
GROUP_SESSION_KIND = {"orchestra": "orchestra", "choir": "choir",
                      "percussion overdub": "overdub", "synth prerecord": "prerecord"}


@dataclass(frozen=True)
class ChairCall:
    """A chair called to play: its label, the players in it, its section."""

    chair: str
    players: int = 1
    section: str = ""


@dataclass(frozen=True)
class PlanCue:
    """A cue as the planner sees it.  ``bars``: (bar number, frame of its start counted from
    the cue's first frame) for each bar line inside the cue, in order (empty: no tempo map,
    the cue cannot be split).  ``order``: film order.  ``difficulty``: 1..5."""

    number: str
    duration_frames: int
    rate_fps: Fraction
    chairs: tuple[ChairCall, ...]
    difficulty: int = 1
    order: int = 0
    bars: tuple[tuple[int, int], ...] = ()
    bar_count: int | None = None  # bars of the whole cue (the last bar number)
    pickup_id: int | None = None
    bar_from: int | None = None  # a pickup's bars (None: the whole cue)
    bar_to: int | None = None


@dataclass(frozen=True)
class PlanItem:
    """One thing to record in one session: a cue, a part of one, or one group of it."""

    cue: str
    duration_frames: int
    rate_fps: Fraction
    chairs: tuple[ChairCall, ...]
    difficulty: int = 1
    group: str = "orchestra"
    part: str = ""
    bar_from: int | None = None
    bar_to: int | None = None
    order: tuple[int, int] = (0, 0)  # film order, then part
    pickup_id: int | None = None

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.duration_frames) / self.rate_fps

    @property
    def players(self) -> int:
        return sum(c.players for c in self.chairs)

    @property
    def label(self) -> str:
        text = self.cue + (f" {self.part}" if self.part else "")
        return text + (f" ({self.group})" if self.group != "orchestra" else "")


@dataclass(frozen=True)
class PlanSlot:
    """A session the plan may use: its name, day, order in the day, length in minutes and,
    when fixed, the group it records (None: the planner chooses)."""

    name: str
    day: date
    minutes: int = 180
    group: str | None = None


@dataclass(frozen=True)
class PlanRules:
    minutes_per_day: int = DEFAULT_MINUTES_PER_DAY
    apart: tuple[str, ...] = ()  # keys of APART
    split_over_s: int | None = DEFAULT_SPLIT_OVER_S  # None: never split
    time_limit_s: float = 10.0
    workers: int = 1
    seed: int = 0


@dataclass(frozen=True)
class SessionPlan:
    """One session of the plan: its items in recording order and the chairs called."""

    slot: PlanSlot
    group: str
    items: tuple[PlanItem, ...]
    chairs: tuple[ChairCall, ...]
    capacity_s: Fraction

    @property
    def players(self) -> int:
        return sum(c.players for c in self.chairs)

    @property
    def player_hours(self) -> Fraction:
        return Fraction(self.slot.minutes, 60) * self.players

    @property
    def seconds(self) -> Fraction:
        return sum((i.seconds for i in self.items), Fraction(0))


@dataclass(frozen=True)
class Plan:
    """The plan: every session in time order; its cost in paid player-hours; how it was
    found ("cp-sat optimal", "cp-sat feasible", "greedy"); the greedy plan's cost beside it
    (None when the greedy plan found no room for some item)."""

    sessions: tuple[SessionPlan, ...]
    method: str
    greedy_cost: Fraction | None = None
    bound: Fraction | None = None  # no plan can cost less (CP-SAT's proven lower bound)

    @property
    def cost(self) -> Fraction:
        return sum((s.player_hours for s in self.sessions), Fraction(0))

    @property
    def items(self) -> tuple[PlanItem, ...]:
        return tuple(i for s in self.sessions for i in s.items)


# --- difficulty -------------------------------------------------------------------------


def cue_difficulty(*, seconds: Fraction | float, hard_hits: int, tempo_changes: int,
                   players: int, free_or_ramps: int = 0) -> int:
    """A cue's difficulty, 1 (easy) to 5 (hardest), from its data: 1, plus

    * hard sync points per minute: +1 from 2 a minute, +2 from 5 a minute;
    * tempo and meter changes (each segment boundary of its tempo map): +1 from 2, +2 from 6;
      a ramp or a free-time passage counts as two;
    * players: +1 when 40 or more play;
    * length: +1 from 3 minutes.

    The sum is capped at 5.  A user's own figure for a cue replaces it (``--difficulty``).
    """
    minutes = Fraction(seconds) / 60 if seconds else Fraction(1)
    points = 1
    rate = Fraction(hard_hits) / max(minutes, Fraction(1, 6))
    points += 2 if rate >= 5 else 1 if rate >= 2 else 0
    changes = tempo_changes + 2 * free_or_ramps
    points += 2 if changes >= 6 else 1 if changes >= 2 else 0
    points += 1 if players >= 40 else 0
    points += 1 if Fraction(seconds) >= 180 else 0
    return max(1, min(5, points))


# --- items --------------------------------------------------------------------------------


def apart_groups(apart: Iterable[str]) -> tuple[str, ...]:
    """The user's words ("choir", "percussion", "synth") checked; unknown ones refused."""
    out = []
    for word in apart:
        key = word.strip().lower()
        if not key:
            continue
        if key not in APART:
            raise InputError("cannot record this apart", field="apart", value=word,
                             valid=", ".join(APART))
        out.append(key)
    return tuple(dict.fromkeys(out))


def _split_points(cue: PlanCue, parts: int) -> list[tuple[int, int]]:
    """Bar lines (bar, frame) that cut the cue into ``parts`` nearly equal parts."""
    inside = [(b, f) for b, f in cue.bars if 0 < f < cue.duration_frames]
    chosen: list[tuple[int, int]] = []
    for k in range(1, parts):
        target = cue.duration_frames * k / parts
        left = [bf for bf in inside if not chosen or bf[0] > chosen[-1][0]]
        if not left:
            break
        chosen.append(min(left, key=lambda bf: (abs(bf[1] - target), bf[0])))
    return chosen


def plan_items(cues: Sequence[PlanCue], rules: PlanRules) -> list[PlanItem]:
    """The items to record: each cue whole, or split at bar lines when longer than
    ``split_over_s`` (or, difficulty 5, longer than half of it), and its apart groups taken
    out into items of their own (same bars, only their chairs)."""
    apart = apart_groups(rules.apart)
    items: list[PlanItem] = []
    for cue in sorted(cues, key=lambda c: c.order):
        if cue.duration_frames <= 0:
            raise ValidationError(f"cue {cue.number} has no length", field="duration",
                                  value=cue.duration_frames, valid="a positive frame count")
        seconds = Fraction(cue.duration_frames) / cue.rate_fps
        parts = 1
        if rules.split_over_s and cue.pickup_id is None and cue.bars:
            limit = Fraction(rules.split_over_s)
            if seconds > limit:
                parts = math.ceil(seconds / limit)
            elif cue.difficulty >= 5 and seconds > limit / 2:
                parts = 2
        if (rules.split_over_s and cue.pickup_id is None and not cue.bars
                and seconds > rules.split_over_s):
            warnings.warn(FilmscoreWarning(
                f"cue {cue.number} ({_mmss(seconds)}) is longer than {_mmss(rules.split_over_s)}"
                " but has no tempo map, so no bar lines to split it at: kept whole"),
                stacklevel=2)
        cuts = _split_points(cue, parts) if parts > 1 else []
        parts = len(cuts) + 1
        first_bar = cue.bar_from if cue.bar_from is not None else (
            cue.bars[0][0] if cue.bars else None)
        last_bar = cue.bar_to if cue.bar_to is not None else cue.bar_count
        pieces = []  # (part label, bar_from, bar_to, frames)
        edges = [(first_bar, 0), *cuts, (None, cue.duration_frames)]
        for k in range(parts):
            (b0, f0), (b1, f1) = edges[k], edges[k + 1]
            bar_to = (b1 - 1) if b1 is not None else last_bar
            if parts == 1:
                pieces.append(("", cue.bar_from, cue.bar_to, f1 - f0))
            else:
                pieces.append((f"part {k + 1} of {parts}", b0, bar_to, f1 - f0))
        # the chairs of each group
        by_group: dict[str, list[ChairCall]] = {}
        for chair in cue.chairs:
            group = "orchestra"
            for key in apart:
                name, sections = APART[key]
                if chair.section in sections:
                    group = name
            by_group.setdefault(group, []).append(chair)
        if not by_group:
            raise ValidationError(f"cue {cue.number} calls no chairs", field="chairs",
                                  valid="the chairs of its orchestration")
        for k, (label, b0, b1, frames) in enumerate(pieces):
            for group in RECORDING_GROUPS:
                if group in by_group:
                    items.append(PlanItem(cue.number, frames, cue.rate_fps,
                                          tuple(by_group[group]), cue.difficulty, group,
                                          label, b0, b1, (cue.order, k), cue.pickup_id))
    return items


# --- checks -----------------------------------------------------------------------------


def _mmss(seconds: Fraction | float) -> str:
    whole = math.ceil(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def capacities(slots: Sequence[PlanSlot], rules: PlanRules) -> list[Fraction]:
    """Seconds of finished music each session holds: the day's minutes shared by its
    sessions."""
    per_day: dict[date, int] = {}
    for slot in slots:
        per_day[slot.day] = per_day.get(slot.day, 0) + 1
    return [Fraction(rules.minutes_per_day * 60, per_day[s.day]) for s in slots]


def check_room(items: Sequence[PlanItem], slots: Sequence[PlanSlot], rules: PlanRules
               ) -> list[Fraction]:
    """ValidationError, with the numbers, when the sessions cannot hold the items."""
    if rules.minutes_per_day <= 0:
        raise InputError("minutes a day must be positive", field="minutes-per-day",
                         value=rules.minutes_per_day, valid="e.g. 20")
    if not slots:
        raise ValidationError("no sessions to plan into", field="days",
                              valid="one or more dates, e.g. 2027-03-01,2027-03-03")
    caps = capacities(slots, rules)
    days = sorted({s.day for s in slots})
    total = sum((i.seconds for i in items), Fraction(0))
    need_days = math.ceil(total / (rules.minutes_per_day * 60))
    if need_days > len(days):
        apart = sum((i.seconds for i in items if i.group != "orchestra"), Fraction(0))
        also = f", {float(apart / 60):.1f} of them recorded apart" if apart else ""
        raise ValidationError(
            f"{_mmss(total)} ({float(total / 60):.1f} minutes{also}) of music need at least "
            f"{need_days} days at {rules.minutes_per_day} minutes a day; {len(days)} given",
            field="days", value=len(days), valid=f"{need_days} or more dates, or more "
            "minutes a day (--minutes-per-day)")
    biggest = max(caps)
    for item in items:
        if item.seconds > biggest:
            raise ValidationError(
                f"{item.label} is {_mmss(item.seconds)} of music, more than a session "
                f"holds ({_mmss(biggest)}: {rules.minutes_per_day} minutes a day shared by "
                "its sessions)", field="split-over", value=rules.split_over_s,
                valid="a shorter --split-over (the cue is cut at bar lines), more minutes "
                "a day, or fewer sessions a day")
    groups: dict[str, Fraction] = {}
    for item in items:
        groups[item.group] = groups.get(item.group, Fraction(0)) + item.seconds
    if len(groups) > 1:
        need = {g: math.ceil(s / biggest) for g, s in groups.items()}
        fixed = {g: sum(1 for s in slots if s.group == g) for g in groups}
        free = sum(1 for s in slots if s.group is None)
        short = sum(max(0, need[g] - fixed[g]) for g in groups)
        if short > free:
            what = ", ".join(f"{g} {n}" for g, n in need.items())
            raise ValidationError(
                f"the groups recorded apart need at least {sum(need.values())} sessions "
                f"({what}; a session records one group), {len(slots)} given over "
                f"{len(days)} days", field="days", value=len(days),
                valid="more dates, more minutes a day, or fewer groups apart (--apart)")
    return caps


# --- building a plan from an assignment ------------------------------------------------


def recording_order(items: Iterable[PlanItem]) -> tuple[PlanItem, ...]:
    """Hardest first; film order (and part order) among equals."""
    return tuple(sorted(items, key=lambda i: (-i.difficulty, i.order, i.group)))


def called_chairs(items: Iterable[PlanItem]) -> tuple[ChairCall, ...]:
    """Every chair any item needs, with the most players any of them needs."""
    out: dict[str, ChairCall] = {}
    for item in items:
        for chair in item.chairs:
            have = out.get(chair.chair)
            if have is None or chair.players > have.players:
                out[chair.chair] = chair
    return tuple(out.values())


def build_plan(items: Sequence[PlanItem], slots: Sequence[PlanSlot], caps: Sequence[Fraction],
               where: Sequence[int], groups: Sequence[str | None], method: str,
               greedy_cost: Fraction | None = None) -> Plan:
    sessions = []
    for s, slot in enumerate(slots):
        mine = [items[i] for i in range(len(items)) if where[i] == s]
        group = groups[s] or (mine[0].group if mine else (slot.group or "orchestra"))
        sessions.append(SessionPlan(slot, group, recording_order(mine), called_chairs(mine),
                                    caps[s]))
    return Plan(tuple(sessions), method, greedy_cost)


def greedy_assign(items: Sequence[PlanItem], slots: Sequence[PlanSlot],
                  caps: Sequence[Fraction]) -> tuple[list[int], list[str | None]] | None:
    """The baseline: items in film order, each into the first session (in time order) of
    its group with room left; None when some item finds no room."""
    room = list(caps)
    groups: list[str | None] = [s.group for s in slots]
    where = [-1] * len(items)
    for i, item in enumerate(items):  # film order: plan_items makes them so
        item = items[i]
        for s in range(len(slots)):
            if groups[s] not in (None, item.group) or room[s] < item.seconds:
                continue
            groups[s] = item.group
            room[s] -= item.seconds
            where[i] = s
            break
        else:
            return None
    return where, groups


def greedy_plan(items: Sequence[PlanItem], slots: Sequence[PlanSlot], rules: PlanRules
                ) -> Plan:
    """The greedy plan alone (film order, first session with room)."""
    caps = check_room(items, slots, rules)
    found = greedy_assign(items, slots, caps)
    if found is None:
        raise ValidationError(
            "the greedy plan (film order, first session with room) finds no room for every "
            f"item in {len(slots)} sessions", field="days", value=len(slots),
            valid="more dates, or the solver (without --greedy)")
    plan = build_plan(items, slots, caps, found[0], found[1], "greedy")
    return replace(plan, greedy_cost=plan.cost)


def plan_sessions(items: Sequence[PlanItem], slots: Sequence[PlanSlot], rules: PlanRules
                  ) -> Plan:
    """The cheapest plan CP-SAT finds in the time limit (never dearer than the greedy
    plan, which is also priced); ValidationError when the sessions cannot hold the items."""
    from filmscore.recording.plan_solver import solve

    caps = check_room(items, slots, rules)
    if not items:
        return build_plan(items, slots, caps, [], [None] * len(slots), "nothing to plan",
                          Fraction(0))
    greedy = greedy_assign(items, slots, caps)
    greedy_cost = None
    if greedy is not None:
        greedy_cost = build_plan(items, slots, caps, *greedy, "greedy").cost
    found = solve(items, slots, caps, rules, hint=greedy)
    if found is None:
        if greedy is None:
            total = sum((i.seconds for i in items), Fraction(0))
            raise ValidationError(
                f"no plan puts {len(items)} items ({_mmss(total)} of music) into "
                f"{len(slots)} sessions of {_mmss(max(caps))} each: they do not pack "
                f"(within {rules.time_limit_s:g} s of search)", field="days",
                value=len(slots), valid="more dates or more minutes a day, a shorter "
                "--split-over, or a longer --time-limit")
        return build_plan(items, slots, caps, *greedy, "greedy (the solver found nothing "
                          "better in time)", greedy_cost)
    where, groups, status, bound = found
    plan = build_plan(items, slots, caps, where, groups, f"cp-sat {status}", greedy_cost)
    if greedy_cost is not None and greedy_cost < plan.cost:
        plan = build_plan(items, slots, caps, *greedy, "greedy (cheaper than the solver's "
                          "best in time)", greedy_cost)
    return replace(plan, bound=bound)
