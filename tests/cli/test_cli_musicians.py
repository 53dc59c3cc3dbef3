"""`filmscore roster` and `filmscore book`: the roster in and out, bookings by hand with bad
input refused (and nothing written), automatic booking from a plan, time per cue from the
plan and by hand, call lists and costs, the project's own rate card."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from filmscore.model import Cue, PlanEntry, RecordingSession
from filmscore.orchestration.ensembles import get_template
from filmscore.project import open_project
from filmscore.store import transaction

ROSTER = Path(__file__).resolve().parents[2] / "demo" / "popeye1936" / "roster.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


@pytest.fixture
def booked(cli, project24) -> Path:
    """project24 with two musicians and two sessions on one day."""
    p = project24
    cli.ok("-p", p, "roster", "add", "Ann Lee", "flute", "piccolo", "--union", "AFM Local 47")
    cli.ok("-p", p, "roster", "add", "Bo Chan", "oboe", "english horn")
    cli.ok("-p", p, "session", "add", "Day 1 AM", "--start", "2027-03-01 10:00", "--tz", "UTC",
           "--stage", "Stage A")
    cli.ok("-p", p, "session", "add", "Day 1 noon", "--start", "2027-03-01 12:00", "--tz",
           "UTC", "--stage", "Stage B")
    return p


def test_bad_bookings_are_refused_and_write_nothing(cli, booked):
    p = booked
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Oboe 1"),
              "musician 'Ann Lee' does not play oboe; plays: flute, piccolo")
    cli.fails(cli.run("-p", p, "book", "add", "Day 9", "Ann Lee", "--chair", "Flute 1"),
              "no session 'Day 9'", "Day 1 AM")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Horn 9"),
              "no chair 'Horn 9'", "Horn 1")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Nobody", "--chair", "Flute 1"),
              "no musician 'Nobody'")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Flute 1",
                      "--double", "piccolo"), "chair Flute 1 does not double piccolo")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Bo Chan", "--chair", "Oboe 3",
                      "--seat", "2"), "field seat", "1 to 1")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Flute 3",
                      "--role", "boss"), "unknown role", "orchestra manager")
    assert cli.snapshot(p) == before

    out = cli.ok("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Flute 3",
                 "--double", "piccolo")
    assert "Flute 3 seat 1, flute, piccolo" in out
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 noon", "Ann Lee", "--chair", "Flute 1"),
              "musician 'Ann Lee' is booked in session 'Day 1 AM'", "overlaps")
    cli.fails(cli.run("-p", p, "book", "add", "Day 1 AM", "Ann Lee", "--chair", "Flute 2"),
              "already booked in session 'Day 1 AM'")
    cli.fails(cli.run("-p", p, "roster", "remove", "Ann Lee"), "is booked in 1 session")
    assert cli.snapshot(p) == before
    listed = cli.ok("-p", p, "book", "list", "Day 1 AM")
    assert "Ann Lee" in listed and "piccolo" in listed


def test_roster_import_export_and_a_bad_file(cli, project24, tmp_path):
    p = project24
    bad = tmp_path / "bad.csv"
    bad.write_text("name,instruments\nAnn Lee,flute\nBo Chan,oboe; kazooo\n")
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "roster", "import", bad), "bad.csv, line 3",
              "field instruments", "kazooo")
    assert cli.snapshot(p) == before
    assert "imported 92 musicians" in cli.ok("-p", p, "roster", "import", ROSTER)
    cli.fails(cli.run("-p", p, "roster", "import", ROSTER), "already on the roster",
              "--replace")
    cli.ok("-p", p, "roster", "import", ROSTER, "--replace")
    out = tmp_path / "out.csv"
    cli.ok("-p", p, "roster", "export", out)
    assert len(_rows(out)) == 92
    assert "3 musicians" in cli.ok("-p", p, "roster", "list", "--instrument", "piccolo")


def _plan(project: Path) -> None:
    """A plan written as the planner would: the tutti on 1M1, strings and harp on 1M2 in
    Day 1 AM; a percussion overdub of 1M2 in Day 1 PM."""
    studio = get_template("studio")
    with open_project(project) as pctx, transaction(pctx.engine) as session:
        sessions = {r.name: r for r in session.scalars(select(RecordingSession)).all()}
        cues = {r.number: r for r in session.scalars(select(Cue)).all()}
        session.add_all([
            PlanEntry(session_id=sessions["Day 1 AM"].id, position=1, cue_id=cues["1M1"].id,
                      duration_frames=90 * 24, difficulty=4, chairs=list(studio.labels)),
            PlanEntry(session_id=sessions["Day 1 AM"].id, position=2, cue_id=cues["1M2"].id,
                      duration_frames=40 * 24, chairs=["Violin I", "Violin II", "Viola",
                                                       "Cello", "Double Bass", "Harp"]),
            PlanEntry(session_id=sessions["Day 1 PM"].id, position=1, cue_id=cues["1M2"].id,
                      duration_frames=40 * 24, group="percussion overdub",
                      chairs=["Timpani", "Percussion 2"]),
        ])


def test_auto_booking_time_calls_and_costs(cli, project24, tmp_path):
    p = project24
    cli.ok("-p", p, "roster", "import", ROSTER)
    for number, start, end in (("1M1", "00:00:01:00", "00:01:31:00"),
                               ("1M2", "00:02:00:00", "00:02:40:00")):
        cli.ok("-p", p, "cue", "add", number, "--start", start, "--end", end)
    cli.ok("-p", p, "session", "add", "Day 1 AM", "--start", "2027-03-01 10:00", "--end",
           "2027-03-01 13:20", "--tz", "UTC", "--stage", "Stage A")
    cli.ok("-p", p, "session", "add", "Day 1 PM", "--start", "2027-03-01 14:00", "--tz", "UTC",
           "--stage", "Stage A")
    cli.fails(cli.run("-p", p, "book", "auto", "Day 1 AM"), "has no plan entries")
    _plan(p)

    out = cli.ok("-p", p, "book", "auto", "Day 1 AM")
    assert "booked 82 musicians" in out and "orchestra manager:" in out
    assert "unfilled" not in out
    assert "booked 2 musicians" in cli.ok("-p", p, "book", "auto", "Day 1 PM")
    # the overdub players were preferred because they are booked in the morning already
    calls_csv, calls_pdf = tmp_path / "calls.csv", tmp_path / "calls.pdf"
    derived = cli.ok("-p", p, "book", "time", "Day 1 AM", "--from-plan")
    # 82 players on 1M1, the strings (50) and the harp on 1M2
    assert derived.startswith("133 time entries")
    cli.ok("-p", p, "book", "time", "Day 1 PM", "--from-plan")
    cli.ok("-p", p, "book", "calls", "Day 1 AM", "--csv", calls_csv, "--pdf", calls_pdf,
           "--tz", "UTC")
    rows = _rows(calls_csv)
    assert len(rows) == 82
    violins = [r for r in rows if r["chair"] == "Violin I"]
    assert [int(r["seat"]) for r in violins] == list(range(1, 15))
    assert sum(r["role"] == "orchestra manager" for r in rows) == 1
    principal = next(r for r in rows if r["chair"] == "Flute 1")
    flute3 = next(r for r in rows if r["chair"] == "Flute 3")
    assert flute3["doubles"] == "piccolo" and flute3["cues"] == "1M1"
    assert next(r for r in rows if r["chair"] == "Harp")["cues"] == "1M1 1M2"
    pm = _rows(_write(cli, p, tmp_path, "Day 1 PM"))
    assert {r["musician"] for r in pm} <= {r["musician"] for r in rows}
    assert principal["musician"]

    # time by hand: an overdub of the harp on 1M1; the instrument must be one booked
    harpist = next(r for r in rows if r["chair"] == "Harp")["musician"]
    listed = cli.ok("-p", p, "book", "time", "Day 1 AM", "--musician", harpist, "--cue", "1M1",
                    "--minutes", "3", "--overdub", "--notes", "harp alone")
    assert listed.startswith("134 time entries") and "yes" in listed
    again = cli.ok("-p", p, "book", "time", "Day 1 AM", "--from-plan")
    assert again.startswith("134 time entries")  # deriving again keeps what was logged
    cli.fails(cli.run("-p", p, "book", "time", "Day 1 AM", "--musician", harpist, "--cue",
                      "1M1", "--minutes", "3", "--instrument", "piano"), "does not play piano")
    cli.fails(cli.run("-p", p, "book", "time", "Day 1 AM", "--musician", harpist, "--cue",
                      "9M9", "--minutes", "3"), "no cue 9M9")

    costs_csv, costs_pdf = tmp_path / "costs.csv", tmp_path / "costs.pdf"
    out = cli.ok("-p", p, "book", "costs", "--csv", costs_csv, "--pdf", costs_pdf)
    lines = _rows(costs_csv)
    total = Decimal(lines[-1]["total"])
    per_cue = [Decimal(r["total"]) for r in lines if r["session"] == "(per cue)"]
    sessions = [Decimal(r["total"]) for r in lines if r["musician"] == "(session total)"]
    assert sum(per_cue) == sum(sessions) == total > 0
    assert f"total: USD {total:,}" in out
    timpani_pm = next(r for r in lines if r["session"] == "Day 1 PM" and r["chair"] == "Timpani")
    assert timpani_pm["health_welfare"] == "0.00"  # paid in the morning, once a day
    assert timpani_pm["cartage"] == "60.00"
    one = cli.ok("-p", p, "book", "costs", "--session", "Day 1 PM")
    assert "Day 1 AM" not in one

    # the project's own card replaces the shipped one
    card = tmp_path / "card.toml"
    cli.ok("-p", p, "roster", "ratecard", "--export", card)
    (p / "ratecard.toml").write_text(card.read_text().replace('rate = "300.00"',
                                                              'rate = "400.00"'))
    assert "USD 400.00 per musician" in cli.ok("-p", p, "roster", "ratecard")
    cli.ok("-p", p, "book", "costs", "--csv", costs_csv)
    assert Decimal(_rows(costs_csv)[-1]["total"]) > total
    (p / "ratecard.toml").write_text(card.read_text().replace('per = "day"', 'per = "week"'))
    cli.fails(cli.run("-p", p, "book", "costs"), "ratecard.toml", "health_welfare.per",
              "week")


def _write(cli, project: Path, tmp_path: Path, session: str) -> Path:
    path = tmp_path / f"{session}.csv"
    cli.ok("-p", project, "book", "calls", session, "--csv", path)
    return path


def test_the_demo_entry_point(cli, project24):
    from filmscore.musicians.service import demo_roster
    from filmscore.musicians.timelog import project_costs

    p = project24
    cli.ok("-p", p, "cue", "add", "1M1", "--start", "00:00:01:00", "--end", "00:01:31:00")
    cli.ok("-p", p, "cue", "add", "1M2", "--start", "00:02:00:00", "--end", "00:02:40:00")
    for name, start in (("Day 1 AM", "2027-03-01 10:00"), ("Day 1 PM", "2027-03-01 14:00")):
        cli.ok("-p", p, "session", "add", name, "--start", start, "--tz", "UTC")
    _plan(p)
    with open_project(p) as pctx:
        done = demo_roster(pctx, ROSTER)
        again = demo_roster(pctx, ROSTER)  # idempotent: the roster updated, seats kept
        cost = project_costs(pctx)
    assert done["musicians"] == 92
    assert len(done["sessions"]["Day 1 AM"].booked) == 82
    assert again["sessions"]["Day 1 AM"].booked == []
    assert len(done["time"]["Day 1 AM"]) == len(again["time"]["Day 1 AM"]) == 133
    assert cost.total > 0 and sum(cost.per_cue.values()) == cost.total


def test_chairs_and_doubles_come_from_the_orchestrations(cli, project24):
    from filmscore.model import Orchestration
    from filmscore.orchestration.ensembles import ChairUse, CueInstrumentation, ensemble_to_dict

    p = project24
    chamber = get_template("chamber")
    cli.ok("-p", p, "cue", "add", "1M1", "--start", "00:00:01:00", "--end", "00:00:31:00")
    cli.ok("-p", p, "session", "add", "Day 1", "--start", "2027-03-01 10:00", "--tz", "UTC")
    for name, instruments in (("Ann Lee", ("flute", "piccolo")), ("Al Bo", ("flute",)),
                              ("Vi One", ("violin",)), ("Vi Two", ("violin",))):
        cli.ok("-p", p, "roster", "add", name, *instruments)
    uses = CueInstrumentation("chamber", (ChairUse("Flute", ("flute", "piccolo")),
                                          ChairUse("Violin I", ("violin",), players=1)))
    with open_project(p) as pctx, transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue)).one()
        day = session.scalars(select(RecordingSession)).one()
        session.add(Orchestration(cue_id=cue.id, number=1, ensemble=ensemble_to_dict(chamber),
                                  instrumentation=uses.to_dict(), media_hash="0" * 64))
        session.add(PlanEntry(session_id=day.id, position=1, cue_id=cue.id,
                              duration_frames=30 * 24, chairs=["Flute", "Violin I"]))
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "book", "add", "Day 1", "Al Bo", "--chair", "Flute 3"),
              "no chair 'Flute 3' in the project's orchestrations", "Flute, Oboe")
    assert cli.snapshot(p) == before
    out = cli.ok("-p", p, "book", "auto", "Day 1")
    # the flute, and one first violin: the cue uses one player of the section, so the
    # contractor calls one (not the whole chamber section)
    assert "booked 2 musicians" in out and "unfilled" not in out
    assert "Vi Two" not in cli.ok("-p", p, "book", "list", "Day 1")
    listed = cli.ok("-p", p, "book", "time", "Day 1", "--from-plan")
    assert listed.startswith("2 time entries")  # the flute, and Violin I seat 1 only
    assert "Ann Lee" in listed and "flute, piccolo" in listed  # the doubler was chosen

