"""The rate card: the shipped card loads with a source for every figure; bad cards are
refused naming the file and the key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from filmscore.errors import InputError, ParseError
from filmscore.musicians.ratecard import load_ratecard, parse_ratecard, shipped_card_text


def test_the_shipped_card_has_the_issue_figures_and_a_source_for_each():
    card = load_ratecard()
    assert card.currency == "USD"
    assert card.session_hours == 3
    assert card.doubling_first_pct == Decimal(50)
    assert card.doubling_further_pct == Decimal(20)
    assert card.pension_pct == Decimal("11.99")
    assert card.health_welfare == Decimal("48.54")
    assert card.orchestra_manager_from == 10
    assert card.orchestra_manager_multiple == Decimal(2)
    assert card.cartage["harp"] > 0
    for what, figure, source in card.rows():
        assert figure and source.strip(), what
    # where no figure was found, the card says so
    assert "illustrative, check the current agreement" in card.sources["session"]
    assert "afmrecording.org" in card.sources["doubling"]


def test_doubles_count_by_family():
    card = load_ratecard()
    assert card.doubles_in(("flute", "piccolo", "alto_flute")) == ("piccolo", "alto_flute")
    assert card.doubles_in(("piano", "celesta")) == ()  # played as one instrument
    assert card.doubles_in(("snare_drum", "timpani")) == ()  # timpani is never a double
    assert card.doubles_in(("snare_drum", "glockenspiel", "xylophone")) == ("glockenspiel",)


def _card(replace: str, by: str) -> str:
    text = shipped_card_text()
    assert replace in text, replace
    return text.replace(replace, by, 1)


@pytest.mark.parametrize(("old", "new", "needles"), [
    ('rate = "300.00"', 'rate = "three hundred"', ["field session.rate", "not a number",
                                                   "three hundred"]),
    ('rate = "300.00"', 'rate = "-1"', ["field session.rate", "zero or more"]),
    ("hours = 3", "hours = 0", ["field session.hours", "at least 1"]),
    ('per = "day"', 'per = "week"', ["field health_welfare.per", "week", "day, session"]),
    ('harp = "60.00"', 'harpsichord9 = "60.00"', ["cartage.amounts.harpsichord9",
                                                 "unknown instrument"]),
    ('never_a_double = ["timpani"]', 'never_a_double = ["tympanum"]',
     ["doubling.never_a_double", "unknown instrument"]),
    ("[pension]", "[pensions]", ["field pension", "lacks the table [pension]"]),
    ('pct = "11.99"\nsource = "afm47.org/mptv_forms_scales.html and afmrecording.org/?page_id='
     '184: Pension Fund 11.99% of scale earnings"', 'pct = "11.99"\nsource = ""',
     ["pension.source", "every figure needs its source"]),
])
def test_bad_cards_name_the_file_and_the_key(tmp_path, old, new, needles):
    path = tmp_path / "ratecard.toml"
    path.write_text(_card(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_ratecard(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for needle in needles:
        assert needle in message, (needle, message)
    assert "\n" not in message


def test_not_toml_and_a_missing_file():
    with pytest.raises(ParseError, match="card.toml: not TOML"):
        parse_ratecard("[session\nrate = 1", source="card.toml")
    with pytest.raises(InputError, match="cannot read the rate card"):
        load_ratecard("/nonexistent/ratecard.toml")


def test_money_is_exact():
    card = parse_ratecard(_card('rate = "300.00"', "rate = 300.1"))
    assert card.session_rate == Decimal("300.1")  # a TOML float read as its decimal text
