"""Costs by hand-computed figures, on a card with round numbers: scale, doubles (first
+50%, each further +20%), overtime, pension, health & welfare per day, the orchestra
manager from 10 players, cartage, rounding once per line, the split per cue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from filmscore.musicians.costs import (
    OM_TO_BOOK,
    UNALLOCATED,
    BookedPlayer,
    SessionCall,
    score_cost,
    session_cost,
    share,
)
from filmscore.musicians.ratecard import parse_ratecard

CARD = """
[card]
name = "test card"
currency = "USD"
source = "tests"
[session]
hours = 3
rate = "100.00"
source = "test"
[overtime]
unit_minutes = 15
rate_per_unit = "10.00"
source = "test"
[doubling]
first_pct = 50
further_pct = 20
on_overtime = true
same_instrument = [["piano", "celesta"]]
never_a_double = ["timpani"]
source = "test"
[pension]
pct = "10"
source = "test"
[health_welfare]
amount = "20.00"
per = "day"
source = "test"
[orchestra_manager]
required_from = 10
scale_multiple = 2
source = "test"
[leader]
scale_multiple = 2
source = "test"
[principal]
premium_pct = "0"
source = "test"
[cartage]
source = "test"
[cartage.amounts]
harp = "30.00"
"""

D = Decimal
START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def card(**changes: str):
    text = CARD
    for old, new in changes.items():
        text = text.replace(old, new)
    return parse_ratecard(text)


def call(players, *, minutes: int = 180, start: datetime = START, name: str = "S1"):
    return SessionCall(name, start, start + timedelta(minutes=minutes), tuple(players))


def player(name: str, *instruments: str, role: str = "player", **kw) -> BookedPlayer:
    return BookedPlayer(name, kw.pop("chair", "Chair"), instruments, role=role, **kw)


def only_line(cost):
    assert len(cost.lines) == 1
    return cost.lines[0]


def test_a_player_without_doubles():
    line = only_line(session_cost(card(), call([player("Ann", "flute")])))
    assert (line.scale, line.overtime, line.doubling) == (D("100.00"), D("0.00"), D("0.00"))
    assert line.pension == D("10.00")  # 10% of 100
    assert line.health_welfare == D("20.00")
    assert line.total == D("130.00")


def test_doubles_first_50_then_20_each():
    one = only_line(session_cost(card(), call([player("A", "flute", "piccolo")])))
    assert one.doubling == D("50.00") and one.total == D("100") + 50 + 15 + 20
    two = only_line(session_cost(card(), call([player("A", "flute", "piccolo",
                                                      "alto_flute")])))
    assert two.doubling == D("70.00")  # 50% + 20%
    assert two.pension == D("17.00") and two.total == D("207.00")
    three = only_line(session_cost(card(), call([player("A", "clarinet_bb", "clarinet_a",
                                                        "bass_clarinet", "alto_sax")])))
    assert three.doubling == D("90.00")  # 50 + 20 + 20
    assert three.doubles == ("clarinet_a", "bass_clarinet", "alto_sax")


def test_what_is_not_a_double():
    keys = only_line(session_cost(card(), call([player("P", "piano", "celesta")])))
    assert keys.doubling == D("0.00") and keys.doubles == ()
    timp = only_line(session_cost(card(), call([player("T", "snare_drum", "timpani")])))
    assert timp.doubling == D("0.00")


def test_overtime_in_whole_units_with_the_double_on_it():
    # 3 h 20: 20 minutes over = 2 units of 15 minutes (a part unit counts whole)
    cost = session_cost(card(), call([player("A", "flute", "piccolo")], minutes=200))
    line = only_line(cost)
    assert cost.overtime_units == 2
    assert line.overtime == D("20.00")
    assert line.doubling == D("60.00")  # 50% of (100 + 20)
    assert line.pension == D("18.00")
    assert line.total == D("100") + 20 + 60 + 18 + 20
    no_ot_double = only_line(session_cost(card(**{"on_overtime = true": "on_overtime = false"}),
                                          call([player("A", "flute", "piccolo")], minutes=200)))
    assert no_ot_double.doubling == D("50.00")


def test_the_orchestra_manager_from_ten_players():
    nine = session_cost(card(), call([player(f"P{i}", "violin") for i in range(9)]))
    assert not nine.orchestra_manager_required and len(nine.lines) == 9
    ten = session_cost(card(), call([player(f"P{i}", "violin") for i in range(10)]))
    assert ten.orchestra_manager_required and not ten.orchestra_manager_booked
    missing = ten.lines[-1]
    assert missing.musician == OM_TO_BOOK
    assert (missing.scale, missing.premium) == (D("100.00"), D("100.00"))  # double scale
    assert missing.total == D("200") + 20 + 20
    assert ten.total == 10 * D("130.00") + D("240.00")
    booked = session_cost(card(), call([player(f"P{i}", "violin") for i in range(9)]
                                       + [player("OM", "viola", role="orchestra manager")]))
    assert booked.orchestra_manager_booked and len(booked.lines) == 10
    om = booked.lines[-1]
    assert om.premium == D("100.00") and om.total == D("200") + 20 + 20


def test_health_and_welfare_once_a_day_and_cartage_per_session():
    am = call([player("H", "harp")], name="AM")
    pm = call([player("H", "harp")], name="PM", start=START + timedelta(hours=4))
    next_day = call([player("H", "harp")], name="Tue", start=START + timedelta(days=1))
    cost = score_cost(card(), [pm, next_day, am])  # any order: costs go in time order
    by_name = {s.name: s.lines[0] for s in cost.sessions}
    assert [s.name for s in cost.sessions] == ["AM", "PM", "Tue"]
    assert by_name["AM"].health_welfare == D("20.00")
    assert by_name["PM"].health_welfare == D("0.00")
    assert by_name["Tue"].health_welfare == D("20.00")
    assert all(line.cartage == D("30.00") for line in by_name.values())
    per_session = card(**{'per = "day"': 'per = "session"'})
    again = score_cost(per_session, [am, pm])
    assert [s.lines[0].health_welfare for s in again.sessions] == [D("20.00")] * 2


def test_rounding_once_per_line_half_up():
    odd = card(**{'rate = "100.00"': 'rate = "100.05"', 'pct = "10"': 'pct = "11.99"'})
    line = only_line(session_cost(odd, call([player("A", "flute")])))
    assert line.pension == D("12.00")  # 11.99% of 100.05 = 11.995995
    assert line.total == D("100.05") + D("12.00") + D("20.00")


def test_the_split_per_cue_adds_up_to_the_cent():
    players = [player("A", "flute", cue_minutes={"1M1": 2, "1M2": 1}),
               player("B", "oboe", cue_minutes={"1M2": 3}),
               player("C", "horn")]  # nothing logged: shared by the session's minutes
    cost = score_cost(card(), [call(players)])
    # A: 130 as 2:1; B: 130 on 1M2; C: 130 as the session's 2:4
    assert cost.per_cue == {"1M1": D("86.67") + D("43.33"),
                            "1M2": D("43.33") + D("130.00") + D("86.67")}
    assert sum(cost.per_cue.values()) == cost.total == D("390.00")
    nothing = score_cost(card(), [call([player("A", "flute")])])
    assert nothing.per_cue == {UNALLOCATED: D("130.00")}


def test_share_is_exact_and_ties_go_to_the_first_key():
    assert share(D("100.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert share(D("10.00"), {"a": 0}) == {}


def test_the_cost_per_cue_is_listed_in_cue_order():
    from decimal import Decimal

    from filmscore.musicians.costs import UNALLOCATED, ScoreCost

    cost = ScoreCost("USD", (), {"1M10": Decimal(1), UNALLOCATED: Decimal(1),
                                 "1M2": Decimal(1), "2M1": Decimal(1), "1M11s": Decimal(1)})
    assert cost.cues_in_order() == ["1M2", "1M10", "1M11s", "2M1", UNALLOCATED]
