"""`filmscore plan`: a plan made, shown and exported on a small project; pickups marked and
planned; bad input refused with nothing written."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from filmscore.model import Cue
from filmscore.model import Orchestration as OrchestrationRow
from filmscore.orchestration.ensembles import (
    ChairUse,
    CueInstrumentation,
    Ensemble,
    ensemble_to_dict,
    get_template,
)
from filmscore.project import open_project
from filmscore.recording.plan import ChairCall
from filmscore.recording.planning import session_plan
from filmscore.store import transaction

STUDIO = get_template("studio")
CHOIR = get_template("choir")
#: the studio orchestra with a choir: one ensemble holding both
WITH_CHOIR = Ensemble("studio+choir", "Studio orchestra and choir",
                      STUDIO.chairs + CHOIR.chairs)


def orchestrate_by_hand(project: Path, number: str, chairs: list[str]) -> None:
    """Store an orchestration row for the cue using ``chairs`` (what the planner reads)."""
    uses = tuple(ChairUse(label, (WITH_CHOIR.chair(label).instrument,)) for label in chairs)
    inst = CueInstrumentation(WITH_CHOIR.name, uses)
    with open_project(project) as pctx, transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue).where(Cue.number == number)).one()
        session.add(OrchestrationRow(cue_id=cue.id, number=1, ensemble=ensemble_to_dict(
            WITH_CHOIR), instrumentation=inst.to_dict(), media_hash="0" * 64))


@pytest.fixture
def scored(cli, project24) -> Path:
    """1M1 (1:00, violins and a horn, two hard hits), 1M2 (4:00 at 120 BPM: 120 bars,
    violins), 1M3 (0:40, violins and sopranos)."""
    p = project24
    for number, start, end in (("1M1", "00:00:10:00", "00:01:10:00"),
                               ("1M2", "00:02:00:00", "00:06:00:00"),
                               ("1M3", "00:07:00:00", "00:07:40:00")):
        cli.ok("-p", p, "cue", "add", number, "--start", start, "--end", end)
    cli.ok("-p", p, "tempo", "set", "1M2", "--tempo", "120")
    for tc in ("00:00:20:00", "00:00:30:00"):
        cli.ok("-p", p, "sync", "add", "1M1", tc, "--kind", "hard")
    orchestrate_by_hand(p, "1M1", ["Violin I", "Horn 1"])
    orchestrate_by_hand(p, "1M2", ["Violin I"])
    orchestrate_by_hand(p, "1M3", ["Violin I", "Soprano"])
    return p


def test_plan_make_show_and_export(cli, scored, tmp_path):
    out = cli.ok("-p", scored, "plan", "make", "--days", "2027-03-01,2027-03-03", "--tz",
                 "UTC", "--apart", "choir", "--time-limit", "5", "--stage", "Stage A")
    text = " ".join(out.split())
    assert "cost:" in text and "paid player-hours (cp-sat optimal)" in text
    assert "greedy plan (film order, first session with room):" in text
    # the sessions the plan uses are made; those it leaves empty are not kept
    assert "added 2 sessions: 2027-03-01 10:00, 2027-03-03 14:00" in text
    assert "part 1 of 2" in text and "1-60" in text and "61-120" in text
    sessions = cli.ok("-p", scored, "session", "list")
    assert "choir" in sessions and "Stage A" in sessions and "2 sessions" in sessions
    assert "10:00-13:00 UTC" in sessions  # on the stage's clock, the zone named

    shown = " ".join(cli.ok("-p", scored, "plan", "show").split())
    assert "called: Violin I x14" in shown and "Soprano x8" in shown
    assert "sessions planned" in shown

    path = tmp_path / "plan.csv"
    cli.ok("-p", scored, "plan", "export", "--csv", path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["cue"], r["part"], r["group"]) for r in rows) == [
        ("1M1", "", "orchestra"), ("1M2", "part 1 of 2", "orchestra"),
        ("1M2", "part 2 of 2", "orchestra"), ("1M3", "", "choir"), ("1M3", "", "orchestra")]
    choir = next(r for r in rows if r["group"] == "choir")
    assert choir["chairs"] == "Soprano x8" and choir["kind"] == "choir"
    assert choir["session_player_hours"] == "24"  # 8 singers x 3 hours, nobody else
    parts = [r for r in rows if r["cue"] == "1M2"]
    assert [r["bars"] for r in parts] == ["1-60", "61-120"]
    assert all(r["length"] == "2:00+00" for r in parts)
    # within a session: hardest first
    for name in {r["session"] for r in rows}:
        mine = sorted((int(r["position"]), int(r["difficulty"])) for r in rows
                      if r["session"] == name)
        assert [d for _, d in mine] == sorted((d for _, d in mine), reverse=True)

    pdf = tmp_path / "plan.pdf"
    cli.ok("-p", scored, "plan", "export", "--pdf", pdf)
    printed = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                      capture_output=True, text=True).stdout.split())
    assert "Session plan" in printed and "Called: Soprano x8" in printed
    assert "part 2 of 2 61-120 2:00+00 orchestra" in printed
    cli.fails(cli.run("-p", scored, "plan", "export"), "nothing to export")

    # read back as plain values (what the stage pack and the bookings call)
    with open_project(scored) as pctx:
        planned = session_plan(pctx)
    assert [len(ps.entries) for ps in planned] and all(ps.entries for ps in planned)
    assert [ps.session.starts_at for ps in planned] == sorted(
        ps.session.starts_at for ps in planned)
    entry = next(e for ps in planned for e in ps.entries if e.part == "part 2 of 2")
    assert (entry.cue, entry.bar_from, entry.bar_to, entry.duration_frames) == (
        "1M2", 61, 120, 120 * 24)
    assert entry.chairs == (ChairCall("Violin I", 14, "strings"),)
    choir_session = next(ps for ps in planned if ps.session.kind == "choir")
    assert choir_session.players == 8 and choir_session.player_hours == 24
    assert sum(ps.player_hours for ps in planned) == sum(
        float(r["session_player_hours"]) for r in {r["session"]: r for r in rows}.values())

    # planning again replaces the plan of those sessions (greedy this time)
    again = " ".join(cli.ok("-p", scored, "plan", "make", "--days", "2027-03-01,2027-03-03",
                            "--tz", "UTC", "--greedy").split())
    assert "(greedy)" in again and "added" not in again
    cli.ok("-p", scored, "plan", "export", "--csv", path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 4  # no choir apart now: 4 items


def test_bad_plans_are_refused_and_write_nothing(cli, scored):
    cli.ok("-p", scored, "session", "add", "Rehearsal", "--start", "2027-03-02 12:00",
           "--tz", "UTC")
    before = cli.snapshot(scored)
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-01,2027-3-x"),
              "field days", "not a date", "2027-3-x", "ISO dates")
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-02", "--tz", "UTC"),
              "overlaps session 'Rehearsal'")
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-04", "--tz", "UTC",
                      "--minutes-per-day", "2"),
              "minutes) of music need at least 3 days at 2 minutes a day; 1 given")
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-04", "--apart",
                      "brass"), "cannot record this apart", "choir, percussion, synth")
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-04", "--difficulty",
                      "1M1=9"), "field difficulty", "CUE=1..5")
    cli.fails(cli.run("-p", scored, "plan", "make", "--days", "2027-03-04", "--difficulty",
                      "9M9=2"), "no cue 9M9")
    assert cli.snapshot(scored) == before


def test_pickups_marked_listed_and_planned(cli, scored):
    before = cli.snapshot(scored)
    cli.fails(cli.run("-p", scored, "plan", "pickup", "add", "9M9", "--bars", "1-4"),
              "no cue 9M9")
    cli.fails(cli.run("-p", scored, "plan", "pickup", "add", "1M2", "--bars", "100-130"),
              "bars outside cue 1M2", "100-130", "bars 1 to 120")
    cli.fails(cli.run("-p", scored, "plan", "pickup", "add", "1M2", "--bars", "20-12"),
              "not a bar range", "20-12")
    cli.fails(cli.run("-p", scored, "plan", "pickup", "add", "1M1", "--bars", "1-4"),
              "cue 1M1 has no tempo map")
    cli.fails(cli.run("-p", scored, "plan", "pickups", "--days", "2027-04-01"),
              "no open pickups")
    assert cli.snapshot(scored) == before

    out = cli.ok("-p", scored, "plan", "pickup", "add", "1M2", "--bars", "12-20", "--reason",
                 "picture change in reel 1", "--author", "ME")
    assert "1M2 bars 12-20 (open)" in out
    cli.ok("-p", scored, "plan", "pickup", "add", "1M1", "--reason", "re-write")
    listed = " ".join(cli.ok("-p", scored, "plan", "pickup", "list").split())
    assert "2 pickups" in listed and "picture change in reel 1" in listed
    assert "whole cue" in listed and listed.count("open") == 2

    out = " ".join(cli.ok("-p", scored, "plan", "pickups", "--days", "2027-04-01", "--tz",
                          "UTC", "--time-limit", "5").split())
    assert "2027-04-01 10:00 pickups" in out and "pickup: 2 items" in out
    assert "12-20" in out and "0:18+00" in out  # bars 12-20: 9 bars of 2 seconds
    listed = cli.ok("-p", scored, "plan", "pickup", "list")
    assert listed.count("planned") == 2 and "open" not in listed
    sessions = cli.ok("-p", scored, "session", "list")
    assert "pickup" in sessions


def test_planning_other_dates_warns_of_the_earlier_plan(cli, scored):
    cli.ok("-p", scored, "plan", "make", "--days", "2027-03-01", "--tz", "UTC", "--greedy")
    result = cli.run("-p", scored, "plan", "make", "--days", "2027-03-05", "--tz", "UTC",
                     "--greedy")
    assert result.exit_code == 0, result.stderr
    assert ("filmscore: warning: sessions 2027-03-01 10:00 still hold an earlier plan"
            in result.stderr)
    shown = cli.ok("-p", scored, "plan", "show")
    assert "2027-03-01 10:00" in shown and "2027-03-05 10:00" in shown


def test_source_cues_are_planned_only_when_written_for_the_orchestra(cli, scored):
    """A licensed source cue (no orchestration) is neither planned nor on the cue sheet;
    a source cue orchestrated for the stage is both."""
    cli.ok("-p", scored, "cue", "add", "1M4s", "--start", "00:08:00:00", "--end",
           "00:08:20:00", "--title", "Radio")
    cli.ok("-p", scored, "cue", "add", "1M5s", "--start", "00:09:00:00", "--end",
           "00:09:20:00", "--title", "Band on screen")
    orchestrate_by_hand(scored, "1M5s", ["Horn 1"])
    cli.ok("-p", scored, "plan", "make", "--days", "2027-03-01,2027-03-03", "--tz", "UTC",
           "--time-limit", "5")
    with open_project(scored) as pctx:
        planned = {e.cue for s in session_plan(pctx) for e in s.entries}
    assert "1M5s" in planned and "1M4s" not in planned
    sheet = scored / "sheet.csv"
    cli.ok("-p", scored, "takes", "sheet", "--csv", sheet)
    text = sheet.read_text(encoding="utf-8-sig")
    assert "1M5s" in text and "1M4s" not in text
