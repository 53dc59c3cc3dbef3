"""What the sessions cost, from a rate card (pure, exact).

Per booking in a session: the scale (times the leader's or orchestra manager's multiple),
a principal's premium, overtime when the session runs past the card's session hours (in
whole units), the doubling premium for the doubles actually played (first +50%, each
further +20% of scale on the shipped card), pension on those wages, health & welfare
(per day: charged in the musician's first session of the calendar day) and cartage of the
instruments played.  A session of ``orchestra_manager_from`` players or more without a
booked orchestra manager gets a line for one still to book.

Money is ``Decimal``; each line's figures are rounded to cents once (half up), and totals
are sums of rounded figures.  Per cue: each line's total is shared among the cues in
proportion to that player's logged minutes (a line with no minutes, such as a non-playing
orchestra manager, by the session's minutes), to the cent (largest remainder), so the
cues add up exactly to the sessions; a session with no logged time stays unallocated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from filmscore.musicians.ratecard import RateCard

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
UNALLOCATED = "(unallocated)"
OM_TO_BOOK = "(orchestra manager to book)"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BookedPlayer:
    """A booking as the costs see it: who, where, what they played in the session (own
    instrument first), their role, and their minutes per cue (cue number -> minutes)."""

    musician: str
    chair: str
    instruments: tuple[str, ...]
    role: str = "player"
    seat: int = 1
    principal: bool = False
    cue_minutes: Mapping[str, int] = field(default_factory=dict)

    @property
    def plays(self) -> bool:
        return bool(self.instruments)


@dataclass(frozen=True)
class SessionCall:
    """A session with its bookings."""

    name: str
    starts_at: datetime
    ends_at: datetime
    players: tuple[BookedPlayer, ...]
    day: date | None = None  # the day on the stage's clock (default: the UTC date)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class CostLine:
    """One musician's cost in one session, each figure rounded to cents."""

    session: str
    musician: str
    chair: str
    role: str
    doubles: tuple[str, ...]
    scale: Decimal
    premium: Decimal
    overtime: Decimal
    doubling: Decimal
    pension: Decimal
    health_welfare: Decimal
    cartage: Decimal
    cue_minutes: Mapping[str, int] = field(default_factory=dict)

    @property
    def wages(self) -> Decimal:
        return self.scale + self.premium + self.overtime + self.doubling

    @property
    def total(self) -> Decimal:
        return self.wages + self.pension + self.health_welfare + self.cartage


@dataclass(frozen=True)
class SessionCost:
    name: str
    lines: tuple[CostLine, ...]
    players: int
    overtime_units: int
    orchestra_manager_required: bool
    orchestra_manager_booked: bool

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class ScoreCost:
    """Every session's cost, the cost per cue, and the score's total."""

    currency: str
    sessions: tuple[SessionCost, ...]
    per_cue: dict[str, Decimal]  # cue number -> cost; UNALLOCATED for what no cue logged

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.sessions), Decimal("0.00"))

    def cues_in_order(self) -> list[str]:
        """The cues of ``per_cue`` by cue number (1M2 before 1M10), what no cue logged last."""
        from filmscore.errors import InputError
        from filmscore.spotting.cues import parse_cue_number

        def key(cue: str):
            try:
                return (cue == UNALLOCATED, parse_cue_number(cue).slot, cue)
            except InputError:
                return (cue == UNALLOCATED, (10**9, 0, ""), cue)

        return sorted(self.per_cue, key=key)


def overtime_units(card: RateCard, session_minutes: int) -> int:
    """Whole overtime units past the card's session hours (a part unit counts whole)."""
    over = session_minutes - card.session_hours * 60
    return math.ceil(over / card.overtime_unit_minutes) if over > 0 else 0


def doubling_premium(card: RateCard, doubles: int, base: Decimal) -> Decimal:
    """The premium for ``doubles`` doubles on wages ``base`` (unrounded)."""
    if doubles <= 0:
        return Decimal(0)
    pct = card.doubling_first_pct + card.doubling_further_pct * (doubles - 1)
    return base * pct / HUNDRED


def _line(card: RateCard, session: SessionCall, player: BookedPlayer, units: int,
          health: bool) -> CostLine:
    multiple = {"leader": card.leader_multiple,
                "orchestra manager": card.orchestra_manager_multiple}.get(player.role,
                                                                          Decimal(1))
    scale = card.session_rate
    overtime = card.overtime_rate_per_unit * units * multiple
    premium = scale * (multiple - 1)
    if player.principal:
        premium += scale * card.principal_premium_pct / HUNDRED
    doubles = card.doubles_in(player.instruments)
    base = scale + (card.overtime_rate_per_unit * units if card.doubling_on_overtime else 0)
    doubling = cents(doubling_premium(card, len(doubles), base))
    scale, premium, overtime = cents(scale), cents(premium), cents(overtime)
    pension = cents((scale + premium + overtime + doubling) * card.pension_pct / HUNDRED)
    cartage = cents(sum((card.cartage.get(i, Decimal(0)) for i in set(player.instruments)),
                        Decimal(0)))
    return CostLine(session.name, player.musician, player.chair, player.role, doubles,
                    scale, premium, overtime, doubling, pension,
                    cents(card.health_welfare) if health else Decimal("0.00"), cartage,
                    dict(player.cue_minutes))


def session_cost(card: RateCard, session: SessionCall, *,
                 welfare_paid: set[tuple[str, object]] | None = None) -> SessionCost:
    """The cost of one session.  ``welfare_paid`` (musician, day) pairs already charged
    health & welfare that day (updated here); None: this session alone."""
    paid = set() if welfare_paid is None else welfare_paid
    units = overtime_units(card, session.minutes)
    playing = [p for p in session.players if p.plays]
    required = len(playing) >= card.orchestra_manager_from
    booked = any(p.role == "orchestra manager" for p in session.players)
    lines = []
    day = session.day or session.starts_at.date()
    for player in session.players:
        key = (player.musician, day if card.health_welfare_per == "day" else session.name)
        lines.append(_line(card, session, player, units, key not in paid))
        paid.add(key)
    if required and not booked:
        om = BookedPlayer(OM_TO_BOOK, "", (), role="orchestra manager")
        lines.append(_line(card, session, om, units, True))
    return SessionCost(session.name, tuple(lines), len(playing), units, required, booked)


def share(total: Decimal, weights: Mapping[str, int]) -> dict[str, Decimal]:
    """``total`` shared to the cent in proportion to ``weights`` (largest remainder; ties
    to the key that sorts first), summing exactly to ``total``."""
    weights = {k: w for k, w in weights.items() if w > 0}
    whole = sum(weights.values())
    if not whole:
        return {}
    units = int((total / CENT).to_integral_value())
    exact = {k: Decimal(units) * w / whole for k, w in weights.items()}
    floor = {k: int(v) for k, v in exact.items()}
    left = units - sum(floor.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - floor[k]), k))[:left]:
        floor[k] += 1
    return {k: Decimal(v) * CENT for k, v in floor.items()}


def allocate(cost: SessionCost) -> dict[str, Decimal]:
    """A session's cost per cue: each line by the player's minutes per cue (a line with
    none, by the session's); what no cue logged goes to UNALLOCATED."""
    session_minutes: dict[str, int] = {}
    for line in cost.lines:
        for cue, minutes in line.cue_minutes.items():
            session_minutes[cue] = session_minutes.get(cue, 0) + minutes
    out: dict[str, Decimal] = {}
    for line in cost.lines:
        weights = line.cue_minutes if any(line.cue_minutes.values()) else session_minutes
        for cue, amount in (share(line.total, weights) or {UNALLOCATED: line.total}).items():
            out[cue] = out.get(cue, Decimal("0.00")) + amount
    return out


def score_cost(card: RateCard, sessions: Iterable[SessionCall]) -> ScoreCost:
    """Every session's cost (in time order, for health & welfare per day) and per cue."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.name))
    paid: set[tuple[str, object]] = set()
    costs = [session_cost(card, s, welfare_paid=paid) for s in ordered]
    per_cue: dict[str, Decimal] = {}
    for cost in costs:
        for cue, amount in allocate(cost).items():
            per_cue[cue] = per_cue.get(cue, Decimal("0.00")) + amount
    return ScoreCost(card.currency, tuple(costs), per_cue)
