"""The take log's service from Python (as the demo calls it): versions recorded with the
take and a later orchestration or music version flagging it, the session under way now,
a plan's minutes against circled takes, and a failed entry leaving the media store as it
was."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import select

from filmscore.errors import ConflictError, FilmscoreWarning, InputError, ParseError
from filmscore.model import Cue, CueTempoMap, MusicVersion, Orchestration, PlanEntry
from filmscore.project import init_project, open_project
from filmscore.recording.sessions import SessionSpec, add_session
from filmscore.recording.takes import (
    export_takes,
    list_takes,
    log_take,
    take_sheet,
)
from filmscore.store import transaction
from filmscore.sync.tempomap import TempoMap


@pytest.fixture
def pctx(tmp_path):
    init_project(tmp_path / "p", title="Service Film", fps="24")
    with open_project(tmp_path / "p") as ctx:
        with transaction(ctx.engine) as db:
            cue = Cue(project_id=ctx.project_id, number="1M1", reel=1, seq=1,
                      title="Main Title", start_frame=24, end_frame=24 + 16 * 24)
            db.add(cue)
            db.flush()
            tmap = TempoMap.constant("24", 24, Fraction(120), bars=8)
            db.add(CueTempoMap(cue_id=cue.id, data=tmap.to_dict()))
            db.add(MusicVersion(cue_id=cue.id, number=1, media_hash="0" * 64, format="midi"))
        yield ctx


def _orchestrate(ctx, number: int) -> None:
    with transaction(ctx.engine) as db:
        cue = db.scalars(select(Cue)).one()
        db.add(Orchestration(cue_id=cue.id, number=number, music_version=1, ensemble={},
                             instrumentation={}, media_hash="1" * 64))


def test_a_take_records_what_it_was_played_from_and_goes_out_of_date(pctx, tmp_path):
    _orchestrate(pctx, 1)
    stem = tmp_path / "orch.wav"
    sf.write(stem, np.zeros((4800, 2)), 48000, subtype="PCM_24")
    first = log_take(pctx, "1M1", circled=True, audio={"orchestra": stem})
    assert (first.number, first.orchestration_number, first.music_version,
            first.tempo_map_version, first.stems) == (1, 1, 1, 1, ("orchestra",))
    assert take_sheet(pctx).cues[0].done
    _orchestrate(pctx, 2)  # re-orchestrated after the take
    sheet = take_sheet(pctx)
    assert sheet.cues[0].takes[0].stale == "played from orchestration v1; the cue is at v2"
    assert sheet.cues[0].remaining == (
        "the whole cue (bars 1-8) (circled take 1 out of date)",)
    second = log_take(pctx, "1M1", circled=True)
    assert second.orchestration_number == 2 and take_sheet(pctx).cues[0].done
    slow = tmp_path / "slow.wav"
    sf.write(slow, np.zeros((441, 1)), 44100, subtype="PCM_16")
    with pytest.warns(FilmscoreWarning, match="slow.wav.*44100 Hz.*48000 Hz"):
        assert log_take(pctx, "1M1", audio=[slow]).stems == ("slow",)
    written = export_takes(pctx, tmp_path / "out")
    assert [p.name for p in written] == ["1M1_T001_orchestra.wav", "1M1_T003_slow.wav"]


def test_the_session_under_way_is_the_default_and_minutes_count_against_the_plan(pctx):
    day = add_session(pctx, SessionSpec("Day 1", datetime(2027, 3, 1, 10, tzinfo=UTC),
                                        datetime(2027, 3, 1, 13, tzinfo=UTC)))
    with transaction(pctx.engine) as db:
        cue = db.scalars(select(Cue)).one()
        db.add(PlanEntry(session_id=day.id, position=1, cue_id=cue.id, duration_frames=384))
    during = datetime(2027, 3, 1, 11, tzinfo=UTC)
    take = log_take(pctx, "1M1", bars="1-4", kind="pickup", circled=True, now=during)
    assert take.session == "Day 1"
    outside = log_take(pctx, "1M1", now=datetime(2027, 3, 2, 11, tzinfo=UTC))
    assert outside.session is None
    [row] = take_sheet(pctx).days
    assert (row.sessions, row.planned_frames, row.recorded_frames) == (("Day 1",), 384, 192)
    assert [t.number for t in list_takes(pctx, "1M1")] == [1, 2]


def test_a_failed_entry_leaves_the_media_store_as_it_was(pctx, tmp_path):
    good = tmp_path / "good.wav"
    sf.write(good, np.ones((480, 1)) * 0.1, 48000, subtype="PCM_16")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....WAVEjunk")
    media_before = sorted(pctx.media.root.rglob("*")) if pctx.media.root.exists() else []
    with pytest.raises(ParseError, match="bad.wav.*not an audio file"):
        log_take(pctx, "1M1", audio=[f"a={good}", f"b={bad}"])
    after = sorted(pctx.media.root.rglob("*")) if pctx.media.root.exists() else []
    assert after == media_before and list_takes(pctx) == []
    # refused after its audio was stored (take 1 is taken): the stored file goes again
    log_take(pctx, "1M1")
    with pytest.raises(ConflictError, match="take 1 of cue 1M1 is already logged"):
        log_take(pctx, "1M1", number=1, audio={"orchestra": good})
    assert not [f for f in pctx.media.root.rglob("*") if f.is_file()]
    assert [t.number for t in list_takes(pctx)] == [1]


def test_takes_of_one_cue_logged_at_one_moment_get_the_next_numbers(tmp_path):
    """Two people log a take of one cue at the same moment: both are logged, numbered one
    after the other (the second numbered again when the first took its number)."""
    from concurrent.futures import ThreadPoolExecutor

    from filmscore.project import init_project, open_project
    from filmscore.recording.takes import list_takes, log_take
    from filmscore.spotting.cues import CueSpec, parse_cue_number
    from filmscore.spotting.service import add_cue

    init_project(tmp_path / "p", title="T", fps="24")
    with open_project(tmp_path / "p") as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24, 240))
        with ThreadPoolExecutor(4) as pool:
            logged = list(pool.map(lambda n: log_take(pctx, "1M1", notes=f"take {n}"),
                                   range(12)))
        assert sorted(t.number for t in logged) == list(range(1, 13))
        assert len(list_takes(pctx, "1M1")) == 12


def test_takes_exported_under_hostile_stem_names_stay_in_the_folder(pctx, tmp_path):
    from test_output_names import assert_one_safe_name

    stem = tmp_path / "stem.wav"
    sf.write(stem, np.zeros((4800, 1)), 48000, subtype="PCM_24")
    names = ["..", "../../x", "/etc/passwd", "-rf", "con", "x" * 300, "שלום 🎻"]
    with pytest.raises(InputError, match="control character"):  # iXML holds none
        log_take(pctx, "1M1", audio={"a\x00b": stem})
    log_take(pctx, "1M1", circled=True, audio=dict.fromkeys(names, stem))
    box = tmp_path / "box"
    box.mkdir()
    (box / "keep.txt").write_text("not yours", encoding="utf-8")
    written = export_takes(pctx, box / "out")
    assert len(set(written)) == len(names)
    assert sorted(p.name for p in box.iterdir()) == ["keep.txt", "out"]
    for path in written:
        assert path.parent == box / "out" and path.is_file()
        assert_one_safe_name(path.name)


def test_stems_whose_names_clean_up_alike_are_exported_each_to_its_own_file(pctx, tmp_path):
    """"Violin 1" and "Violin 1." (or "VIOLIN 1", one name on a Mac's disk) are three
    stems: three files, each with its own audio."""
    stems = {}
    for value, name in enumerate(("Violin 1", "Violin 1.", "VIOLIN 1"), 1):
        stems[name] = tmp_path / f"{value}.wav"
        sf.write(stems[name], np.full((480, 1), value / 8), 48000, subtype="PCM_24")
    log_take(pctx, "1M1", circled=True, audio=stems)
    written = export_takes(pctx, tmp_path / "out")
    assert [p.name for p in written] == ["1M1_T001_Violin 1.wav", "1M1_T001_Violin 1 (2).wav",
                                         "1M1_T001_VIOLIN 1 (3).wav"]
    for value, path in enumerate(written, 1):
        assert sf.read(path)[0][0] == pytest.approx(value / 8)
