"""Revised parts: a new orchestration or music version after takes flags the older takes,
heads the new parts "Revised <date> (orchestration v2)" and marks the run sheet."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from filmscore.formats.midi_music import write_music
from filmscore.model import Cue, Pickup, PlanEntry, Take
from filmscore.orchestration.ensembles import get_template
from filmscore.orchestration.service import copy_cue, orchestrate_cue
from filmscore.project import init_project, open_project
from filmscore.recording.revisions import cue_revision, flag_revised_takes, take_flag
from filmscore.recording.sessions import SessionSpec, add_session
from filmscore.recording.stagepack_service import stage_run_sheet
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.store import transaction
from filmscore.sync.service import set_map_by_hand
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import import_version


def _music(path: Path, top: int) -> Path:
    tmap = TempoMap.constant("24", 24, Fraction(120), bars=2)
    melody = tuple(Note(Fraction(q), Fraction(1), top - q % 3) for q in range(8))
    bass = tuple(Note(Fraction(4 * b), Fraction(4), 43 + b) for b in range(2))
    return write_music(Music((Part("melody", melody, program=73),
                              Part("bass", bass, program=32)), tempo_map=tmap), path,
                       tempo_map=tmap)


@pytest.fixture
def pctx(tmp_path):
    """A 24 fps project: cue 1M1 (4 s, 120 BPM) with music v1 orchestrated as v1."""
    init_project(tmp_path / "p", title="Revised Film", fps="24")
    with open_project(tmp_path / "p") as ctx:
        add_cue(ctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24, 120))
        set_map_by_hand(ctx, "1M1", tempo="120")
        import_version(ctx, "1M1", _music(tmp_path / "v1.mid", 72))
        orchestrate_cue(ctx, "1M1", ensemble=get_template("strings"))
        yield ctx


def _take(pctx, number: int, orchestration: int | None, music: int | None) -> None:
    with transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue).where(Cue.number == "1M1")).one()
        session.add(Take(project_id=pctx.project_id, cue_id=cue.id, number=number,
                         orchestration_number=orchestration, music_version=music))


def _flags(pctx) -> dict[int, str]:
    with transaction(pctx.engine) as session:
        return {t.number: t.flagged for t in session.scalars(select(Take))}


def test_a_new_orchestration_flags_older_takes_and_heads_the_parts_revised(pctx, tmp_path):
    _take(pctx, 1, 1, 1)
    _take(pctx, 2, None, None)  # says nothing of what it was played from: left alone
    assert cue_revision(pctx, "1M1") == ""  # nothing recorded from an older version yet
    assert flag_revised_takes(pctx, "1M1") == []
    orchestrate_cue(pctx, "1M1", ensemble=get_template("strings"), reason="fuller bass")
    today = datetime.now(UTC).date().isoformat()
    assert _flags(pctx) == {1: f"parts revised {today} (orchestration v2); this take was "
                               f"recorded from v1", 2: ""}
    assert cue_revision(pctx, "1M1") == f"Revised {today} (orchestration v2)"
    # page 1 of the new parts and score says so
    done = copy_cue(pctx, "1M1", tmp_path / "copy")
    for pdf in (done.parts[0], done.score):
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert f"Revised {today} (orchestration v2)" in " ".join(text.split()), pdf.name
    # and the run sheet marks the cue
    spec = add_session(pctx, SessionSpec("Day 2", datetime(2027, 3, 2, 17, tzinfo=UTC),
                                         datetime(2027, 3, 2, 20, tzinfo=UTC)))
    with transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue).where(Cue.number == "1M1")).one()
        pickup = Pickup(cue_id=cue.id, bar_from=2, bar_to=2, reason="re-write")
        session.add(pickup)
        session.flush()
        session.add(PlanEntry(session_id=spec.id, position=1, cue_id=cue.id,
                              duration_frames=48, chairs=["Violin 1"], bar_from=2, bar_to=2,
                              pickup_id=pickup.id))
    (entry,) = stage_run_sheet(pctx, "Day 2").entries
    assert entry.pickup == "pickup bar 2: re-write" and entry.bars == "2"
    assert entry.revised == f"parts revised {today} (orchestration v2)"
    assert entry.stands == ("score v2", "parts v2: Violin 1")


def test_a_new_music_version_flags_takes_of_the_old_music_once(pctx, tmp_path):
    _take(pctx, 1, 1, 1)
    import_version(pctx, "1M1", _music(tmp_path / "v2.mid", 74), reason="re-write")
    today = datetime.now(UTC).date().isoformat()
    assert _flags(pctx)[1] == take_flag("music", 2, 1, today)
    assert _flags(pctx)[1] == (f"music revised {today} (music v2); this take was recorded "
                               f"from v1")
    # re-orchestrating later keeps the first reason the take went out of date
    orchestrate_cue(pctx, "1M1", ensemble=get_template("strings"))
    assert _flags(pctx)[1].startswith("music revised")
