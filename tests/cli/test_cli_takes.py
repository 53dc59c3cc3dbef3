"""`filmscore take` and `filmscore takes` as the music editor uses them on the stage:
one short line a take, circling, pickups, the cue sheet, iXML export, numbering, and bad
input refused with nothing written."""

from __future__ import annotations

import csv
import subprocess

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import select
from wavinfo import WavInfoReader

from filmscore import store
from filmscore.formats.ixml import IxmlTake, write_ixml
from filmscore.model import Cue, Pickup, Take


@pytest.fixture
def stage(cli, project24, tmp_path):
    """1M2 (20 s, 10 bars of 4/4 at 120), 1M3 (30 s, no tempo map), a session, stems."""
    p = project24
    cli.ok("-p", p, "cue", "add", "1M2", "--start", "00:00:20:00", "--end", "00:00:40:00",
           "--title", "The Chase")
    cli.ok("-p", p, "cue", "add", "1M3", "--start", "00:01:00:00", "--end", "00:01:30:00",
           "--title", "Spinach")
    cli.ok("-p", p, "tempo", "set", "1M2", "--tempo", "120")
    cli.ok("-p", p, "session", "add", "Day 1 AM", "--start", "2027-03-01 10:00",
           "--tz", "UTC")
    tone = (0.2 * np.sin(np.arange(9600) / 9.0))[:, None] * [1.0, 0.5]
    sf.write(tmp_path / "strings.wav", tone, 48000, subtype="PCM_24")
    sf.write(tmp_path / "brass.wav", tone[:, :1], 48000, subtype="PCM_24")
    return p


def _db(project, cls):
    engine = store.open_engine(store.database_url(project))
    try:
        with store.transaction(engine) as session:
            return session.scalars(select(cls)).all()
    finally:
        engine.dispose()


def test_a_take_a_line_circling_and_the_list(cli, stage, tmp_path):
    p = stage
    out = cli.ok("-p", p, "take", "1M2", "--kind", "false start", "-s", "Day 1 AM")
    assert out.strip() == "1M2 take 1 (false start)"
    out = cli.ok("-p", p, "take", "1M2", "-c", "--tc", "01:00:20:00", "-s", "Day 1 AM",
                 "--note", "good tempo", "--audio", f"strings={tmp_path / 'strings.wav'}",
                 "--audio", tmp_path / "brass.wav")
    assert out.strip() == "1M2 take 2 (complete) circled [2 stems]"
    out = cli.ok("-p", p, "take", "1M2", "--bars", "3-6", "--kind", "pickup")
    assert out.strip() == "1M2 take 3 (pickup, bars 3-6)"
    assert cli.ok("-p", p, "take", "circle", "1M2", "3").strip() == (
        "1M2 take 3 (pickup, bars 3-6) circled")
    assert cli.ok("-p", p, "take", "uncircle", "1M2", "3").strip() == (
        "1M2 take 3 (pickup, bars 3-6)")
    cli.ok("-p", p, "take", "note", "1M2", "3", "trumpet split")
    cli.ok("-p", p, "take", "kind", "1M2", "1", "breakdown")
    listed = cli.ok("-p", p, "takes", "1M2")
    for needle in ("3 takes", "breakdown", "01:00:20:00", "Day 1 AM", "strings, brass",
                   "trumpet split", "◯"):
        assert needle in listed, needle
    assert "3 takes" in cli.ok("-p", p, "takes")
    takes = {t.number: t for t in _db(p, Take)}
    assert takes[2].audio[0]["stem"] == "strings" and takes[2].audio[1]["stem"] == "brass"
    assert takes[2].audio[0]["channels"] == 2 and takes[2].audio[0]["frames"] == 9600
    assert (p / "media").rglob(takes[2].audio[0]["media_hash"] + "*")
    assert takes[2].tempo_map_version is not None and takes[2].timecode_frame == 86400 + 480


def test_numbering_per_cue_or_across_the_project(cli, stage):
    p = stage
    assert "per cue" in cli.ok("-p", p, "takes", "numbering")
    cli.ok("-p", p, "take", "1M2")
    assert "1M3 take 1 " in cli.ok("-p", p, "take", "1M3") + " "
    cli.ok("-p", p, "takes", "numbering", "project")
    assert cli.ok("-p", p, "take", "1M3").startswith("1M3 take 2 ")
    assert cli.ok("-p", p, "take", "1M2").startswith("1M2 take 3 ")
    assert cli.ok("-p", p, "take", "1M2", "--number", "12").startswith("1M2 take 12 ")
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "take", "1M3", "--number", "12"), "take 12",
              "across the project")
    cli.fails(cli.run("-p", p, "take", "1M2", "--number", "3"), "take 3 of cue 1M2")
    cli.fails(cli.run("-p", p, "takes", "numbering", "reel"), "reel", "cue, project")
    assert cli.snapshot(p) == before


def test_bad_input_is_refused_and_nothing_is_written(cli, stage, tmp_path):
    p = stage
    cli.ok("-p", p, "take", "1M2")
    text = tmp_path / "notes.wav"
    text.write_text("this is a text file renamed .wav")
    before = cli.snapshot(p)
    cli.fails(cli.run("-p", p, "take", "9M9"), "no cue 9M9")
    cli.fails(cli.run("-p", p, "take", "1M2", "--audio", f"strings={text}"), "notes.wav",
              "not an audio file")
    cli.fails(cli.run("-p", p, "take", "1M2", "--audio", tmp_path / "missing.wav"),
              "missing.wav", "no such audio file")
    cli.fails(cli.run("-p", p, "take", "1M2", "--bars", "8-14"), "cue 1M2 has 10 bars",
              "8-14", "1-10")
    cli.fails(cli.run("-p", p, "take", "1M2", "--bars", "twelve"), "bars", "twelve")
    cli.fails(cli.run("-p", p, "take", "1M2", "--kind", "insert"), "unknown take type",
              "insert", "pickup")
    cli.fails(cli.run("-p", p, "take", "1M2", "--tc", "01:00:00:30"), "01:00:00:30")
    cli.fails(cli.run("-p", p, "take", "1M2", "--session", "Day 9"), "no session 'Day 9'")
    cli.fails(cli.run("-p", p, "take", "1M2", "--audio", f"a={tmp_path / 'brass.wav'}",
                      "--audio", f"a={tmp_path / 'strings.wav'}"), "the same stem twice")
    cli.fails(cli.run("-p", p, "take", "circle", "1M2", "7"), "no take 7 of cue 1M2")
    cli.fails(cli.run("-p", p, "take", "kind", "1M2", "1", "insert"), "unknown take type")
    assert cli.snapshot(p) == before


def test_a_pickup_take_records_its_pickup_when_circled(cli, stage):
    p = stage
    engine = store.open_engine(store.database_url(p))
    try:
        with store.transaction(engine) as session:
            cue_id = session.scalars(select(Cue.id).where(Cue.number == "1M2")).one()
            session.add(Pickup(cue_id=cue_id, bar_from=5, bar_to=7, reason="picture change"))
    finally:
        engine.dispose()
    cli.ok("-p", p, "take", "1M2", "-c")
    out = cli.ok("-p", p, "takes", "sheet")
    assert "pickup bars 5-7 (picture change)" in out
    cli.ok("-p", p, "take", "1M2", "--bars", "5-8", "--kind", "pickup")
    assert _db(p, Pickup)[0].status == "open"
    cli.ok("-p", p, "take", "circle", "1M2", "2")
    assert _db(p, Pickup)[0].status == "recorded"
    assert "done" in cli.ok("-p", p, "takes", "sheet")
    cli.ok("-p", p, "take", "uncircle", "1M2", "2")
    assert _db(p, Pickup)[0].status == "open"


def _pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_cue_sheet_as_csv_and_pdf_with_stale_takes(cli, stage, tmp_path):
    p = stage
    cli.ok("-p", p, "take", "1M2", "-s", "Day 1 AM", "--kind", "breakdown",
           "--note", "stopped at bar 4")
    cli.ok("-p", p, "take", "1M2", "-s", "Day 1 AM", "-c", "--bars", "1-6",
           "--tc", "01:00:20:00")
    cli.ok("-p", p, "take", "1M3", "-s", "Day 1 AM", "-c")
    cli.ok("-p", p, "tempo", "set", "1M3", "--tempo", "100")  # 1M3's take now out of date
    out = cli.ok("-p", p, "takes", "sheet", "--csv", tmp_path / "sheet.csv", "--pdf",
                 tmp_path / "sheet.pdf")
    assert "bars 7-10" in out and "out of date" in out
    assert "Mon 2027-03-01: recorded 0.70 of 0.00 min planned" in out  # 12 s + 30 s
    with open(tmp_path / "sheet.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    takes = [r for r in rows if r["type"] == "take"]
    assert [(r["cue"], r["take"], r["kind"], r["bars"], r["circled"], r["status"])
            for r in takes] == [("1M2", "1", "breakdown", "", "", "no good"),
                                ("1M2", "2", "complete", "1-6", "◯", "circled"),
                                ("1M3", "1", "complete", "", "◯", "circled")]
    assert takes[1]["timecode"] == "01:00:20:00" and takes[0]["notes"] == "stopped at bar 4"
    assert "tempo map" in takes[2]["out_of_date"]
    todo = {r["cue"]: r["to_record"] for r in rows if r["type"] == "to record"}
    assert todo["1M2"] == "bars 7-10"
    assert todo["1M3"].startswith("the whole cue")
    day = next(r for r in rows if r["type"] == "day")
    assert (day["day"], day["session"], day["recorded_minutes"]) == (
        "2027-03-01", "Day 1 AM", "0.70")
    text = _pdf_text(tmp_path / "sheet.pdf")
    for needle in ("Test Film", "Music editor's cue sheet", "1M2", "The Chase", "breakdown",
                   "stopped at bar 4", "01:00:20:00", "Still to record: bars 7-10",
                   "Out of date: played before tempo map v1", "Minutes recorded per day",
                   "Mon 2027-03-01", "page 1 of 1"):
        assert needle in text, needle


def test_export_writes_ixml_read_by_wavinfo_and_logging_reads_a_recorders(cli, stage,
                                                                          tmp_path):
    p = stage
    recorded = write_ixml(tmp_path / "strings.wav", tmp_path / "rec.wav", IxmlTake(
        scene="1M2", take="1", circled=True, take_type=("PICKUP",), note="from the recorder"))
    out = cli.ok("-p", p, "take", "1M2", "--bars", "2-3", "-s", "Day 1 AM",
                 "--audio", f"tree={recorded}")
    assert out.strip() == "1M2 take 1 (pickup, bars 2-3) circled [1 stem]"
    assert _db(p, Take)[0].notes == "from the recorder"
    cli.ok("-p", p, "take", "1M2", "--no-circle", "--audio", f"tree={tmp_path / 'brass.wav'}")
    cli.ok("-p", p, "takes", "export", tmp_path / "out")
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == [
        "1M2_T001_tree.wav", "1M2_T002_tree.wav"]
    info = WavInfoReader(str(tmp_path / "out" / "1M2_T001_tree.wav"))
    assert (info.ixml.project, info.ixml.scene, info.ixml.take, info.ixml.tape) == (
        "Test Film", "1M2", "1", "Day 1 AM")
    xml = info.ixml.raw_xml
    assert xml.find("CIRCLED").text == "TRUE" and xml.find("TAKE_TYPE").text == "PICKUP"
    assert xml.find("NOTE").text == "from the recorder"
    assert [t.name for t in info.ixml.track_list] == ["tree 1", "tree 2"]
    second = WavInfoReader(str(tmp_path / "out" / "1M2_T002_tree.wav")).ixml.raw_xml
    assert second.find("CIRCLED").text == "FALSE" and second.find("TAKE_TYPE").text == (
        "DEFAULT")
    cli.ok("-p", p, "takes", "export", tmp_path / "circled", "--circled")
    assert [f.name for f in (tmp_path / "circled").iterdir()] == ["1M2_T001_tree.wav"]
