"""`filmscore stagepack` on a tiny project: one session, two short cues on a real picture."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import mido
import opentimelineio as otio
import pytest
import soundfile
import wavinfo
from sqlalchemy import select

from filmscore.formats.midi_music import write_music
from filmscore.formats.video import probe
from filmscore.model import Cue, PlanEntry
from filmscore.project import open_project
from filmscore.recording.sessions import SessionSpec, add_session
from filmscore.store import transaction
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part

DATA = Path(__file__).parents[1] / "data"
CLIP = DATA / "video" / "popeye_24.mkv"  # 120 frames at 24 fps, no timecode: starts at 0
SESSION = "Day 1 AM"


def _plan(project: Path, entries: list[tuple[str, int, list[str]]]) -> None:
    """The session and its plan entries (cue, frames, chairs), as the planner writes them."""
    with open_project(project) as pctx:
        spec = add_session(pctx, SessionSpec(
            SESSION, datetime(2027, 3, 1, 17, tzinfo=UTC),
            datetime(2027, 3, 1, 20, tzinfo=UTC), stage="Stage A"))
        with transaction(pctx.engine) as session:
            for position, (number, frames, chairs) in enumerate(entries, start=1):
                cue = session.scalars(select(Cue).where(Cue.number == number)).one()
                session.add(PlanEntry(session_id=spec.id, position=position, cue_id=cue.id,
                                      duration_frames=frames, chairs=chairs, difficulty=3))


@pytest.fixture
def staged(cli, tmp_path) -> Path:
    """Cues 1M1 (frames 12-60, 120 BPM, a hard hit on beat 3, music with a synth part) and
    1M2 (frames 60-116, 3/4 at 90 BPM), planned 1M2 first then 1M1."""
    project = tmp_path / "p"
    cli.ok("init", project, "--title", "Stage Film", "--fps", "24")
    cli.ok("-p", project, "picture", "import", CLIP, "--no-shots")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "00:00:00:12", "--end",
           "00:00:02:12", "--title", "Arrival")
    cli.ok("-p", project, "cue", "add", "1M2", "--start", "00:00:02:12", "--end",
           "00:00:04:20", "--title", "Chase")
    cli.ok("-p", project, "sync", "add", "1M1", "00:00:01:12", "--kind", "hard", "-d", "door")
    cli.ok("-p", project, "tempo", "set", "1M1", "--tempo", "120")
    cli.ok("-p", project, "tempo", "set", "1M2", "--tempo", "90", "--meter", "3/4")
    tmap = TempoMap.constant("24", 12, Fraction(120), bars=1)
    music = Music((Part("strings", tuple(Note(Fraction(q), Fraction(1), 60 + q)
                                         for q in range(4)), program=48),
                   Part("Synth pad", (Note(Fraction(0), Fraction(4), 57),), program=89)),
                  tempo_map=tmap)
    cli.ok("-p", project, "music", "import", "1M1",
           write_music(music, tmp_path / "1M1.mid", tempo_map=tmap))
    return project


def test_stage_pack_has_run_sheet_click_midi_streamers_and_a_timeline(cli, staged, tmp_path):
    _plan(staged, [("1M2", 56, ["Violin 1", "Viola"]), ("1M1", 48, ["Violin 1"])])
    out = tmp_path / "pack"
    printed = cli.ok("-p", staged, "stagepack", SESSION, out)
    lines = printed.splitlines()
    assert lines[0].startswith("1M2 Chase: click, tempo map, streamers")
    assert "no electronics" in lines[0]
    assert lines[1].startswith("1M1 Arrival:") and "electronics" in lines[1]
    assert "no electronics" not in lines[1]

    # the run sheet, in recording order, with the hit at bar|beat and the click settings
    rows = list(csv.DictReader((out / "run sheet.csv").open()))
    assert [r["cue"] for r in rows] == ["1M2", "1M1"]
    assert rows[0]["tempo"] == "90 (16-0)" and rows[0]["meter"] == "3/4"
    assert rows[1]["hard hits"] == "00:00:01:12 1|3 door"
    assert rows[1]["first click"] == "00:00:00:12" and rows[0]["players"] == "2"
    assert rows[0]["electronics"] == "no prerecorded electronics"
    text = subprocess.run(["pdftotext", "-layout", str(out / "run sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Day 1 AM" in text and "no prerecorded electronics" in text and "1|3" in text

    # the click: bext time reference = its first sample = bar 1 of 1M1 (frame 12 = 0.5 s)
    click = out / "cues" / "1M1" / "1M1 click.wav"
    info = wavinfo.WavInfoReader(str(click))
    assert info.bext.time_reference == 24000 and info.fmt.sample_rate == 48000
    info = wavinfo.WavInfoReader(str(out / "cues" / "1M2" / "1M2 click.wav"))
    assert info.bext.time_reference == 60 * 2000  # frame 60 at 24 fps, 2000 samples a frame
    # the MIDI tempo map starts at the cue's first click (SMPTE offset 00:00:00:12)
    midi = mido.MidiFile(out / "cues" / "1M1" / "1M1 tempo.mid")
    offset = next(m for m in midi.tracks[0] if m.type == "smpte_offset")
    assert (offset.hours, offset.minutes, offset.seconds, offset.frames) == (0, 0, 0, 12)
    tempo = next(m for m in midi.tracks[0] if m.type == "set_tempo")
    assert tempo.tempo == 500000
    # the streamers start at their own timecode (the cue less its handles)
    streamers = probe(out / "cues" / "1M2" / "1M2 streamers.mp4")
    assert streamers.start_frame == 60 - 48 and streamers.rate.name == "24"
    # the electronics: the synth part alone, stamped at the first click's frame
    electronics = wavinfo.WavInfoReader(str(out / "cues" / "1M1" / "1M1 electronics.wav"))
    assert electronics.bext.time_reference == 24000
    sound, _ = soundfile.read(out / "cues" / "1M1" / "1M1 electronics.wav")
    assert abs(sound[:48000]).max() > 0.001  # the pad sounds from bar 1 on
    assert not (out / "cues" / "1M2" / "1M2 electronics.wav").exists()

    # the timeline places each click at its cue's first click
    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    assert timeline.global_start_time.value == 0  # 1M1's streamers start at frame 0
    clicks = {c.name: c for t in timeline.audio_tracks() for c in t.find_clips()
              if c.name.endswith("click")}
    assert clicks["1M1 click"].range_in_parent().start_time.value == 12
    assert clicks["1M2 click"].range_in_parent().start_time.value == 60
    assert clicks["1M1 click"].media_reference.target_url == "cues/1M1/1M1 click.wav"
    fcp = otio.adapters.read_from_file(str(out / "timeline.xml"))
    starts = sorted(c.range_in_parent().start_time.value for t in fcp.audio_tracks()
                    for c in t.find_clips())
    assert 12 in starts and 60 in starts

    manifest = json.loads((out / "manifest.json").read_text())
    by_path = {f["path"]: f for f in manifest["files"]}
    entry = by_path["cues/1M1/1M1 click.wav"]
    assert entry["timecode"] == "00:00:00:12" and entry["frame_offset"] == 12
    assert entry["sample_offset"] == 24000 and entry["bext_time_reference"] == 24000
    assert manifest["cues"] == ["1M2", "1M1"]
    for path in by_path:
        assert (out / path).is_file(), path


def test_stage_pack_without_video_and_replacing_an_old_pack(cli, staged, tmp_path):
    _plan(staged, [("1M2", 56, ["Viola"])])
    out = tmp_path / "pack"
    out.mkdir()
    (out / "stale.txt").write_text("from an older pack")
    cli.ok("-p", staged, "stagepack", SESSION, out, "--no-video")
    assert not (out / "stale.txt").exists()
    assert not list(out.rglob("*.mp4"))
    assert (out / "cues" / "1M2" / "1M2 click.wav").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pack")]  # no scratch


def test_stage_pack_refusals_name_the_fix_and_write_nothing(cli, staged, tmp_path):
    out = tmp_path / "pack"
    cli.fails(cli.run("-p", staged, "stagepack", "Day 9", out), "no session 'Day 9'")
    with open_project(staged) as pctx:
        add_session(pctx, SessionSpec("Empty", datetime(2027, 3, 2, 17, tzinfo=UTC),
                                      datetime(2027, 3, 2, 20, tzinfo=UTC)))
    cli.fails(cli.run("-p", staged, "stagepack", "Empty", out),
              "session 'Empty' has no plan entries", "filmscore plan make")
    cli.ok("-p", staged, "cue", "add", "1M3", "--start", "00:00:04:20", "--end",
           "00:00:04:23", "--title", "Sting")
    _plan(staged, [("1M2", 56, ["Viola"]), ("1M3", 3, ["Viola"])])
    cli.fails(cli.run("-p", staged, "stagepack", SESSION, out, "--no-video"),
              "cue 1M3 has no tempo map", "filmscore tempo set 1M3")
    assert not out.exists()
    assert not list(tmp_path.glob(".pack*"))


def test_an_orchestrated_cue_brings_its_parts_and_score_and_a_revision_mark(cli, staged,
                                                                             tmp_path):
    from filmscore.model import Take

    tmap = TempoMap.constant("24", 60, Fraction(90), bars=2, meter=Meter(3, 4))
    music = Music((Part("melody", tuple(Note(Fraction(q), Fraction(1), 64 + q % 4)
                                        for q in range(6)), program=40),
                   Part("bass", (Note(Fraction(0), Fraction(6), 43),), program=32)),
                  tempo_map=tmap)
    cli.ok("-p", staged, "music", "import", "1M2",
           write_music(music, tmp_path / "1M2.mid", tempo_map=tmap))
    cli.ok("-p", staged, "orchestrate", "1M2", "--ensemble", "strings")
    with open_project(staged) as pctx, transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue).where(Cue.number == "1M2")).one()
        session.add(Take(project_id=pctx.project_id, cue_id=cue.id, number=1,
                         orchestration_number=1, music_version=1))
    cli.ok("-p", staged, "orchestrate", "1M2", "--ensemble", "strings")
    _plan(staged, [("1M2", 56, ["Violin 1"])])
    out = tmp_path / "pack"
    printed = cli.ok("-p", staged, "stagepack", SESSION, out, "--no-video", "--books")
    assert "score" in printed and "parts" in printed and "parts revised" in printed
    assert "books: 5 (one per chair)" in printed
    assert (out / "books" / "Violin I.pdf").is_file()
    folder = out / "cues" / "1M2"
    assert (folder / "1M2 score.pdf").is_file()
    parts = sorted(p.name for p in (folder / "parts").iterdir())
    assert "1M2 Violin I.pdf" in parts and not [p for p in parts if p.endswith(".musicxml")]
    (row,) = csv.DictReader((out / "run sheet.csv").open())
    assert row["revised"].startswith("parts revised ") and "(orchestration v2)" in row["revised"]
    assert row["on the stands"] == "score v2; parts v2: Violin 1"
    text = subprocess.run(["pdftotext", "-layout", str(out / "run sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "PARTS REVISED" in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert "cues/1M2/1M2 score.pdf" in {f["path"] for f in manifest["files"]}


def test_a_failure_half_way_leaves_the_old_pack_as_it_was(cli, staged, tmp_path, monkeypatch):
    import filmscore.sync.service as sync_service
    from filmscore.errors import ToolError

    _plan(staged, [("1M2", 56, ["Viola"]), ("1M1", 48, ["Viola"])])
    out = tmp_path / "pack"
    cli.ok("-p", staged, "stagepack", SESSION, out, "--no-video")
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    manifest = (out / "manifest.json").read_bytes()

    def broken(pctx, number, **kw):
        raise ToolError(f"ffmpeg failed drawing the streamers of {number}")

    monkeypatch.setattr(sync_service, "render_streamers", broken)
    cli.fails(cli.run("-p", staged, "stagepack", SESSION, out), "ffmpeg failed", "1M2")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    assert (out / "manifest.json").read_bytes() == manifest
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pack")] == []


def test_streamers_made_before_are_copied_into_the_pack_until_their_cue_changes(
        cli, staged, tmp_path, monkeypatch):
    """`filmscore streamers 1M2` first: the pack copies its file (drawn from the same plan
    on the same picture, by its key) and draws only 1M1's; once 1M2's tempo changes, the
    file in streamers/ is stale and the pack draws 1M2's again."""
    from filmscore.formats import overlay_video
    from filmscore.formats.video import comment_of

    _plan(staged, [("1M2", 56, ["Violin 1"]), ("1M1", 48, ["Violin 1"])])
    cli.ok("-p", staged, "streamers", "1M2")
    made = staged / "streamers" / "1M2.mp4"
    assert comment_of(made).startswith("filmscore-streamers ")
    drawn = []
    real = overlay_video.render_overlays
    monkeypatch.setattr(overlay_video, "render_overlays",
                        lambda *args, **kw: drawn.append(Path(args[2]).name) or real(*args, **kw))
    pack = tmp_path / "pack"
    cli.ok("-p", staged, "stagepack", SESSION, pack)
    assert drawn == ["1M1 streamers.mp4"]
    copied = pack / "cues" / "1M2" / "1M2 streamers.mp4"
    assert copied.read_bytes() == made.read_bytes()
    assert probe(copied).start_frame == 60 - 48
    cli.ok("-p", staged, "tempo", "set", "1M2", "--tempo", "100", "--meter", "3/4")
    drawn.clear()
    cli.ok("-p", staged, "stagepack", SESSION, pack)
    assert sorted(drawn) == ["1M1 streamers.mp4", "1M2 streamers.mp4"]
    assert copied.read_bytes() != made.read_bytes()
    assert comment_of(copied) != comment_of(made)
