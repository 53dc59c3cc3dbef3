"""The rate card as data: read and check a TOML card (session rate, overtime, doubling,
pension, health & welfare, orchestra manager, leader, principal, cartage), every figure
with its source.  Pure: ``load_ratecard`` takes a path or text and returns a ``RateCard``.

Money is exact (``Decimal``); a figure may be written as a TOML string ("48.54") or a
number.  A bad card raises an InputError naming the file, the key, the bad value and what
is valid.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from filmscore.errors import InputError, ParseError
from filmscore.orchestration.instruments import get_instrument

#: the name of a project's own card, in its folder
PROJECT_CARD = "ratecard.toml"

HW_UNITS = ("day", "session")


@dataclass(frozen=True)
class RateCard:
    """What a session costs per musician, with the source of every figure."""

    name: str
    currency: str
    effective: str
    session_hours: int
    session_rate: Decimal
    overtime_unit_minutes: int
    overtime_rate_per_unit: Decimal
    doubling_first_pct: Decimal
    doubling_further_pct: Decimal
    doubling_on_overtime: bool
    same_instrument: tuple[tuple[str, ...], ...]
    never_a_double: tuple[str, ...]
    pension_pct: Decimal
    health_welfare: Decimal
    health_welfare_per: str
    orchestra_manager_from: int
    orchestra_manager_multiple: Decimal
    leader_multiple: Decimal
    principal_premium_pct: Decimal
    cartage: dict[str, Decimal] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # section -> its source
    origin: str = ""  # the file it was read from

    def family(self, instrument: str) -> str:
        """The group an instrument counts in for doubling (itself unless grouped)."""
        for group in self.same_instrument:
            if instrument in group:
                return group[0]
        return instrument

    def doubles_in(self, instruments: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The instruments of ``instruments`` (own first) that count as doubles: those of
        another family than the ones before them, and not never-a-double."""
        seen: set[str] = set()
        out: list[str] = []
        for i, key in enumerate(instruments):
            fam = self.family(key)
            if i and fam not in seen and key not in self.never_a_double:
                out.append(key)
            seen.add(fam)
        return tuple(out)

    def rows(self) -> list[tuple[str, str, str]]:
        """(what, figure, source) for showing the card."""
        c = self.currency
        cart = ", ".join(f"{k} {v}" for k, v in self.cartage.items()) or "none"
        return [
            ("session", f"{self.session_hours} hours, {c} {self.session_rate} per musician",
             self.sources.get("session", "")),
            ("overtime", f"{c} {self.overtime_rate_per_unit} per {self.overtime_unit_minutes}"
             " minutes or part", self.sources.get("overtime", "")),
            ("doubling", f"+{self.doubling_first_pct}% first double, "
             f"+{self.doubling_further_pct}% each further"
             + (" (on overtime too)" if self.doubling_on_overtime else ""),
             self.sources.get("doubling", "")),
            ("pension", f"{self.pension_pct}% of scale earnings", self.sources.get("pension", "")),
            ("health & welfare", f"{c} {self.health_welfare} per musician per "
             f"{self.health_welfare_per}", self.sources.get("health_welfare", "")),
            ("orchestra manager", f"required from {self.orchestra_manager_from} players; "
             f"{self.orchestra_manager_multiple} x scale",
             self.sources.get("orchestra_manager", "")),
            ("leader", f"{self.leader_multiple} x scale", self.sources.get("leader", "")),
            ("principal", f"+{self.principal_premium_pct}% of scale",
             self.sources.get("principal", "")),
            ("cartage", f"{c} per session: {cart}", self.sources.get("cartage", "")),
        ]


def shipped_card_text() -> str:
    """The text of the card filmscore ships (``filmscore/data/ratecard.toml``)."""
    return resources.files("filmscore").joinpath("data", PROJECT_CARD).read_text("utf-8")


def load_ratecard(path: str | Path | None = None, *, text: str | None = None) -> RateCard:
    """The card at ``path`` (or in ``text``; neither: the shipped card), checked."""
    if text is None and path is None:
        return parse_ratecard(shipped_card_text(), source="filmscore/data/ratecard.toml")
    source = str(path) if path is not None else "<rate card>"
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")  # type: ignore[arg-type]
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("cannot read the rate card", source=source,
                             value=type(exc).__name__, valid="a UTF-8 TOML file") from None
    return parse_ratecard(text, source=source)


class _Reader:
    """Reads checked values out of the TOML tables, naming the key on error."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data, self.source = data, source

    def fail(self, key: str, reason: str, value: Any = None, valid: str | None = None):
        return ParseError(reason, source=self.source, field=key, value=value, valid=valid)

    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise self.fail(name, f"the card lacks the table [{name}]",
                            valid=f"a [{name}] table (see the shipped card)")
        return value

    def raw(self, section: str, key: str, default: Any = ...) -> Any:
        table = self.table(section)
        if key not in table:
            if default is not ...:
                return default
            raise self.fail(f"{section}.{key}", "missing", valid="see the shipped card")
        return table[key]

    def money(self, section: str, key: str, *, default: Any = ...) -> Decimal:
        value = self.raw(section, key, default)
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise self.fail(f"{section}.{key}", "not a number", value,
                            "a number such as \"48.54\" or 48.54")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise self.fail(f"{section}.{key}", "not a number", value,
                            "a number such as \"48.54\" or 48.54") from None
        if not amount.is_finite() or amount < 0:
            raise self.fail(f"{section}.{key}", "not a figure of zero or more", value,
                            "a number >= 0")
        return amount

    def whole(self, section: str, key: str, low: int, default: Any = ...) -> int:
        value = self.raw(section, key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(f"{section}.{key}", f"not a whole number of at least {low}",
                            value, f"an integer >= {low}")
        return value

    def text(self, section: str, key: str, default: Any = ...) -> str:
        value = self.raw(section, key, default)
        if not isinstance(value, str):
            raise self.fail(f"{section}.{key}", "not text", value, "a quoted string")
        return value

    def instrument(self, key: str, name: Any) -> str:
        try:
            return get_instrument(str(name)).key
        except InputError as error:
            raise self.fail(key, "unknown instrument", name, error.valid) from None


def parse_ratecard(text: str, *, source: str = "<rate card>") -> RateCard:
    """Parse and check a card's TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(f"not TOML ({exc})", source=source,
                         valid="a TOML rate card like the shipped one") from None
    r = _Reader(data, source)
    sources = {}
    for section in ("card", "session", "overtime", "doubling", "pension", "health_welfare",
                    "orchestra_manager", "leader", "principal", "cartage"):
        sources[section] = r.text(section, "source")
        if not sources[section].strip():
            raise r.fail(f"{section}.source", "every figure needs its source", "",
                         "where the figure comes from, or 'illustrative, check the current "
                         "agreement'")
    per = r.text("health_welfare", "per")
    if per not in HW_UNITS:
        raise r.fail("health_welfare.per", "unknown unit", per, ", ".join(HW_UNITS))
    same = r.raw("doubling", "same_instrument", [])
    if not isinstance(same, list) or not all(isinstance(g, list) for g in same):
        raise r.fail("doubling.same_instrument", "not a list of lists", same,
                     '[["piano", "celesta"], ...]')
    groups = tuple(tuple(r.instrument("doubling.same_instrument", n) for n in g)
                   for g in same if g)
    never = r.raw("doubling", "never_a_double", [])
    if not isinstance(never, list):
        raise r.fail("doubling.never_a_double", "not a list", never, '["timpani"]')
    on_ot = r.raw("doubling", "on_overtime", True)
    if not isinstance(on_ot, bool):
        raise r.fail("doubling.on_overtime", "not true or false", on_ot, "true, false")
    amounts = r.raw("cartage", "amounts", {})
    if not isinstance(amounts, dict):
        raise r.fail("cartage.amounts", "not a table", amounts,
                     "a [cartage.amounts] table: harp = \"60.00\"")
    cartage = {}
    for name in amounts:
        key = r.instrument(f"cartage.amounts.{name}", name)
        cartage[key] = _Reader({"cartage": amounts}, source).money("cartage", name)
    currency = r.text("card", "currency")
    if not currency.strip():
        raise r.fail("card.currency", "empty", currency, "a currency code such as USD")
    return RateCard(
        name=r.text("card", "name", ""), currency=currency.strip(),
        effective=str(r.raw("card", "effective", "")),
        session_hours=r.whole("session", "hours", 1),
        session_rate=r.money("session", "rate"),
        overtime_unit_minutes=r.whole("overtime", "unit_minutes", 1),
        overtime_rate_per_unit=r.money("overtime", "rate_per_unit"),
        doubling_first_pct=r.money("doubling", "first_pct"),
        doubling_further_pct=r.money("doubling", "further_pct"),
        doubling_on_overtime=on_ot, same_instrument=groups,
        never_a_double=tuple(r.instrument("doubling.never_a_double", n) for n in never),
        pension_pct=r.money("pension", "pct"),
        health_welfare=r.money("health_welfare", "amount"), health_welfare_per=per,
        orchestra_manager_from=r.whole("orchestra_manager", "required_from", 1),
        orchestra_manager_multiple=r.money("orchestra_manager", "scale_multiple"),
        leader_multiple=r.money("leader", "scale_multiple"),
        principal_premium_pct=r.money("principal", "premium_pct"),
        cartage=cartage, sources=sources, origin=source)
