"""The call list as values (score order, the orchestra manager, the warning when one is
needed and missing) and as CSV and PDF."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from filmscore.formats.calllist_csv import write_calllist_csv, write_costs_csv
from filmscore.formats.calllist_pdf import write_calllist_pdf, write_costs_pdf
from filmscore.musicians.calls import CallRow, call_list
from filmscore.musicians.costs import BookedPlayer, SessionCall, score_cost
from filmscore.musicians.ratecard import load_ratecard
from filmscore.orchestration.ensembles import get_template
from looking import pdf_words

START = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
END = datetime(2027, 3, 1, 20, 0, tzinfo=UTC)


def _calls(rows, **kw):
    return call_list(session="Day 1 AM", kind="orchestra", starts_at=START, ends_at=END,
                     stage="Stage A", rows=rows, chair_order=get_template("studio").labels,
                     orchestra_manager_from=kw.pop("threshold", 10), **kw)


def _violins(n: int) -> list[CallRow]:
    return [CallRow(f"Violinist {i:02d}", "Violin I", i, "violin", ()) for i in range(1, n + 1)]


def test_rows_in_score_order_and_the_manager():
    rows = [CallRow("Cy", "Violin I", 2, "violin", ()), CallRow("Ann", "Flute 3", 1, "flute",
                                                                ("piccolo",)),
            CallRow("Bo", "Violin I", 1, "violin", (), role="orchestra manager")]
    calls = _calls(rows, threshold=3)
    assert [r.musician for r in calls.rows] == ["Ann", "Bo", "Cy"]
    assert calls.orchestra_manager == "Bo" and calls.warnings == ()
    assert calls.rows[0].doubles_text == "piccolo"


def test_a_missing_manager_is_a_warning():
    calls = _calls(_violins(10))
    assert calls.players == 10 and calls.orchestra_manager is None
    assert calls.warnings == ("10 players: an orchestra manager is required and none is "
                              "booked",)
    assert _calls(_violins(9)).warnings == ()


def test_csv_and_pdf(tmp_path):
    rows = [CallRow("Ann Lee", "Flute 3", 1, "flute", ("piccolo",), union="AFM Local 47",
                    cues=("1M1", "1M2")), *_violins(14)]
    calls = _calls(rows)
    path = write_calllist_csv(calls, tmp_path / "calls.csv", tz=UTC)
    table = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(table) == 15
    expected = {"session": "Day 1 AM", "date": "2027-03-01", "call": "17:00", "ends": "20:00",
                "chair": "Flute 3", "doubles": "piccolo", "cues": "1M1 1M2"}
    assert {k: table[0][k] for k in expected} == expected
    pdf = write_calllist_pdf(calls, tmp_path / "calls.pdf", film_title="Popeye", tz=UTC,
                             date="2027-02-20")
    words = " ".join(w[4] for page in pdf_words(pdf) for w in page)
    for needle in ("Day", "Popeye", "17:00", "Ann", "piccolo", "Warning", "required"):
        assert needle in words, needle

    cost = score_cost(load_ratecard(), [SessionCall("Day 1 AM", START, END, tuple(
        BookedPlayer(r.musician, r.chair, (r.instrument, *r.doubles), seat=r.seat,
                     cue_minutes={"1M1": 2}) for r in rows))])
    costs_csv = write_costs_csv(cost, tmp_path / "costs.csv")
    lines = list(csv.DictReader(costs_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[-1]["session"] == "(score total)" and lines[-1]["total"] == str(cost.total)
    assert any(r["musician"] == "(orchestra manager to book)" for r in lines)
    costs_pdf = write_costs_pdf(cost, tmp_path / "costs.pdf", film_title="Popeye",
                                card_name="sample", date="2027-02-20")
    words = " ".join(w[4] for page in pdf_words(costs_pdf) for w in page)
    assert f"{cost.total:,}" in words and "1M1" in words
