"""Fixing a flagged cue in a project (SQLite and PostgreSQL): the fixes stored on the
flag, the one chosen applied in one transaction (tempo map, a pickup for a recorded cue),
and the click, its MIDI tempo map and the click sheet written again; the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from conform.fixing_helpers import BAR1, make_project
from filmscore.cli import app
from filmscore.conform.fixing import fix, proposals, regenerate
from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.formats.click_wav import read_click_wav
from filmscore.model import ConformFlag, CueTempoMap, Pickup, Take
from filmscore.project import open_project
from filmscore.store import transaction
from filmscore.sync.service import cue_sync


def _clicks(folder):
    return sorted((folder / "clicks").glob("1M1_*"))


def test_fix_cuts_the_bar_regenerates_and_marks_a_pickup(tmp_path, db_url):
    folder = tmp_path / "film"
    make_project(folder, db_url)
    midi_before, wav_before = _clicks(folder)  # 1M1_01.00.04.04.mid and .wav
    samples_before, _ = read_click_wav(wav_before)
    midi_bytes = midi_before.read_bytes()
    with open_project(folder) as pctx:
        listed = proposals(pctx, 1, "1M1")
        assert listed.status == "open" and listed.chosen is None
        best = listed.proposals[0]
        assert best.kind == "cut_bars" and best.worst_off == 0
        assert best.detail["edits"][0]["bar"] == 5  # the bar the picture was cut in
        keep = next(p for p in listed.proposals if p.kind == "keep")
        assert [off for _, off in keep.hits_off] == [0, -48, -48]
        with transaction(pctx.engine) as session:  # stored on the flag
            row = session.scalars(select(ConformFlag)).one()
            assert [p["kind"] for p in row.proposals] == [p.kind for p in listed.proposals]
        done = fix(pctx, 1, "1M1", 1, author="me")
        assert done.proposal.kind == "cut_bars"
        cs = cue_sync(pctx, "1M1")
        assert cs.tempo_map.bar_count == 15 and cs.origin == "conform"
        with transaction(pctx.engine) as session:
            stored = session.scalars(select(CueTempoMap)).one()
            assert stored.note == ("change list 1 (Demo_edit_v1 -> Demo_edit_v2): Cut bar 5 "
                                   "(1 bar of 4/4) (15 bars, was 16)")
        # every hit lands on the fixed map's downbeats
        assert [cs.tempo_map.frame_at(cs.tempo_map.seconds_of((b, 1))) for b in (3, 8, 12)
                ] == [s.frame for s in cs.cue.sync_points]
        with transaction(pctx.engine) as session:
            row = session.scalars(select(ConformFlag)).one()
            assert (row.status, row.chosen, row.author) == ("fixed", 0, "me")
            pickup = session.scalars(select(Pickup)).one()
            assert (pickup.bar_from, pickup.bar_to, pickup.author) == (4, 5, "me")
            assert "change list 1" in pickup.reason and "Cut bar 5" in pickup.reason
            take = session.scalars(select(Take)).one()
            assert take.flagged == f"change list 1 changed bars 4-5 (pickup {pickup.id})"
        assert done.pickup["id"] == pickup.id and done.takes_flagged == 1
        with pytest.raises(ConflictError, match="already fixed"):
            fix(pctx, 1, "1M1", 1)
    # the click and its MIDI tempo map written again (same start: same names), shorter
    made = dict(done.regenerated.files)
    wav, midi = made["click"], made["MIDI tempo map"]
    assert {wav, midi} == set(_clicks(folder))
    samples, rate = read_click_wav(wav)
    assert rate == 48000 and len(samples) == len(samples_before) - 48000 * 2
    assert midi.read_bytes() != midi_bytes
    sheet = made["click sheet"]
    assert sheet == folder / "click-sheets" / "1M1.pdf" and sheet.stat().st_size > 1000
    assert done.regenerated.skipped == (
        "streamers: the picture has no reference video",
        "parts and score: the cue is not orchestrated")


def test_keep_changes_nothing_and_a_cue_without_takes_gets_no_pickup(tmp_path):
    folder = tmp_path / "film"
    make_project(folder, f"sqlite:///{tmp_path / 'f.db'}", take=False)
    with open_project(folder) as pctx:
        listed = proposals(pctx, 1, "1M1")
        n = next(i for i, p in enumerate(listed.proposals, 1) if p.kind == "keep")
        with pytest.raises(InputError, match="no such fix"):
            fix(pctx, 1, "1M1", len(listed.proposals) + 1)
        done = fix(pctx, 1, "1M1", n)
        assert done.regenerated is None and done.pickup is None
        assert cue_sync(pctx, "1M1").origin == "set"
        assert proposals(pctx, 1, "1M1").status == "kept"
        # "propose again": the cue is opened again with its fixes computed anew, and a
        # second fix can be chosen
        again = proposals(pctx, 1, "1M1", reopen=True)
        assert (again.status, again.chosen) == ("open", None) and again.proposals
        assert fix(pctx, 1, "1M1", 1).choice == 1
        assert proposals(pctx, 1, "1M1").status == "fixed"
        with pytest.raises(NotFoundError, match="no change list 2"):
            proposals(pctx, 2, "1M1")


def test_fixes_proposed_for_a_map_since_changed_are_refused(tmp_path):
    from dataclasses import replace

    from filmscore.sync.service import set_tempo_map

    folder = tmp_path / "film"
    make_project(folder, f"sqlite:///{tmp_path / 'f.db'}")
    with open_project(folder) as pctx:
        proposals(pctx, 1, "1M1")
        tmap = cue_sync(pctx, "1M1").tempo_map
        set_tempo_map(pctx, "1M1", replace(tmap, count_in_bars=1))
        # a fix listed for the map as it was is not applied behind the user's back
        with pytest.raises(ConflictError, match="changed since these fixes were proposed"):
            fix(pctx, 1, "1M1", 1)
        listed = proposals(pctx, 1, "1M1")  # listed again: for the map as it now is
        assert listed.proposals[0].detail["map_version"] == cue_sync(pctx, "1M1").version
        done = fix(pctx, 1, "1M1", 1)
        assert done.tempo_map.count_in_bars == 1
        assert regenerate(pctx, "1M1").files[0][0] == "click"


def test_the_cli_lists_the_fixes_and_applies_one(tmp_path):
    folder = tmp_path / "film"
    make_project(folder, f"sqlite:///{tmp_path / 'f.db'}")
    runner = CliRunner()
    shown = runner.invoke(app, ["-p", str(folder), "conform", "fix", "1", "1M1"])
    assert shown.exit_code == 0, shown.output
    assert "Fixes for cue 1M1" in shown.output and "cut_bars" in shown.output
    rows = [line.replace("│", " ").split() for line in shown.output.splitlines()]
    assert ["door", "slams", "hard", "01:00:08:04", "0", "0"] in rows
    assert ["he", "turns", "hard", "01:00:18:04", "0", "-48"] in rows
    applied = runner.invoke(app, ["-p", str(folder), "conform", "fix", "1", "1M1",
                                  "--choose", "1", "--by", "ed"])
    assert applied.exit_code == 0, applied.output
    assert "applied fix 1, cut_bars" in applied.output
    assert "rewrote click sheet" in applied.output
    assert "Pickup 1: bars 4-5 of 1M1" in applied.output
    again = runner.invoke(app, ["-p", str(folder), "conform", "fix", "1", "1M1",
                                "--choose", "1"])
    assert again.exit_code != 0 and "already fixed" in again.output
    with open_project(folder) as pctx:
        assert cue_sync(pctx, "1M1").tempo_map.start_frame == BAR1  # bar 1 stayed


def test_moving_the_start_redraws_the_streamers_and_recopies_the_parts(tmp_path):
    import subprocess

    from conform.fixing_helpers import make_video_project
    from filmscore.formats.video import probe

    folder = tmp_path / "film"
    make_video_project(folder, tmp_path / "1M1.mid")
    part = next((folder / "parts" / "1M1").glob("1M1 *.pdf"))
    with open_project(folder) as pctx:
        listed = proposals(pctx, 1, "1M1")
        assert listed.proposals[0].kind == "move_start"
        assert listed.proposals[0].detail["start_frame"] == 16
        done = fix(pctx, 1, "1M1", 1)
        assert cue_sync(pctx, "1M1").cue.start_frame == 16
        assert cue_sync(pctx, "1M1").tempo_map.start_frame == 16
    assert done.pickup is None  # a cue moved whole: nothing to record again
    made = dict(done.regenerated.files)
    assert {what for what, _ in done.regenerated.files} == {
        "click", "MIDI tempo map", "click sheet", "streamers", "parts"}
    assert done.regenerated.skipped == ("score: not copied into the project's scores/ yet "
                                        "('filmscore score 1M1 --out scores')",)
    # the old click (named for its old start, 00:00:00:12) went; the new one is at :16
    assert [p.name for p in done.regenerated.removed] == ["1M1_00.00.00.12.mid",
                                                          "1M1_00.00.00.12.wav"]
    assert made["click"].name == "1M1_00.00.00.16.wav"
    assert probe(made["streamers"]).start_frame == 0  # from the reel's first frame (handles)
    text = subprocess.run(["pdftotext", "-l", "1", str(part), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "00:00:00:16" in text  # the part's header gives the cue's new start


def test_the_cues_moved_whole_are_written_again_at_their_new_timecode(tmp_path):
    """A cue the change list moved whole (flag 'moved', kept): its click is named for
    its new start and the old one removed; a cue fixed or still open is not touched."""
    from dataclasses import asdict
    from fractions import Fraction

    from filmscore.conform.changes import Flag
    from filmscore.conform.fixing import regenerate_moved
    from filmscore.model import ChangeList as ChangeListRow
    from filmscore.model import Cue
    from filmscore.spotting.cues import CueSpec, parse_cue_number
    from filmscore.spotting.service import add_cue, move_cue
    from filmscore.sync.service import render_clicks, set_tempo_map
    from filmscore.sync.tempomap import TempoMap

    folder = tmp_path / "film"
    make_project(folder, f"sqlite:///{tmp_path / 'f.db'}", take=False)
    with open_project(folder) as pctx:
        old = BAR1 + 800  # after 1M1, inside the picture (which ends at 01:00:51:08)
        add_cue(pctx, CueSpec(parse_cue_number("1M2"), "Later", old, old + 192))
        set_tempo_map(pctx, "1M2", TempoMap.constant("24", old, Fraction(120), 4))
        render_clicks(pctx, "1M2")
        clicks = pctx.directory / "clicks"
        before = {p.name for p in clicks.glob("1M2_*")}
        move_cue(pctx, "1M2", start_frame=old - 48)  # as the apply moved it
        with transaction(pctx.engine) as session:
            row = session.scalars(select(ChangeListRow)).one()
            cue = session.scalars(select(Cue).where(Cue.number == "1M2")).one()
            flag = Flag("1M2", "moved", old, old + 192, old - 48, old + 144)
            session.add(ConformFlag(change_list_id=row.id, cue_id=cue.id, reason="moved",
                                    data=asdict(flag), status="kept"))
        done = regenerate_moved(pctx, 1)
        assert [r.cue for r in done] == ["1M2"]  # 1M1 is open: its fix will write it
        after = {p.name for p in clicks.glob("1M2_*")}
        assert after and after.isdisjoint(before)  # named for the new start; old removed
        with pytest.raises(NotFoundError, match="no change list 9"):
            regenerate_moved(pctx, 9)
