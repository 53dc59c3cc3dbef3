"""`filmscore demo`: the main job on the Popeye film, run once, read as a user reads it.

The demo takes minutes, so it runs once, in a process of its own started with the
session's first test (tests/conftest.py: ``demo_build``); this module runs last and reads
what it made.  Rerunning and refusing a foreign folder are checked on a tiny stand-in film
(four 5-second clips) so that they cost seconds, not minutes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.timecode import parse_label

ROOT = Path(__file__).resolve().parents[1]
DEMO_DATA = ROOT / "demo" / "popeye1936"
CLIP = ROOT / "tests" / "data" / "video" / "popeye_24.mkv"  # 120 frames at 24 fps
TITLE = "Popeye the Sailor Meets Sindbad the Sailor"
JOINS = ("01:01:00:00", "01:02:00:00", "01:03:00:00")


def _run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def _ok(*args: object) -> str:
    result = _run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def _cells(text: str, first: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")]
            for line in text.splitlines() if re.match(rf"│{first}", line)]


@pytest.fixture(scope="module")
def demo(demo_build) -> tuple[Path, str]:
    """The demo's output folder and what it printed: built in the background from the
    session's first test on (tests/conftest.py), this module running last."""
    code, stdout, stderr = demo_build.result(timeout=DEMO_TIMEOUT)
    assert code == 0, (stdout[-2000:], stderr[-4000:])
    assert "Traceback" not in stdout + stderr
    return demo_build.out, stdout


#: the longest this module waits for the demo after the rest of the suite (it takes about
#: 8 minutes alone on CI's machine): within pytest-timeout's 900 s a test
DEMO_TIMEOUT = 880


@pytest.fixture(scope="module")
def shots(demo) -> list[int]:
    out, _ = demo
    listing = _ok("-p", out / "popeye1936", "picture", "markers", "v1", "--kind", "shot")
    return [parse_label(row[0], "24") for row in _cells(listing, r"\d\d:")]


def test_demo_output_and_files(demo):
    out, stdout = demo
    assert "> Making the project" in stdout
    assert f"Spotting list: {TITLE} (24 fps)" in stdout
    for name in ("popeye1936/filmscore.db", "picture/popeye1936_reel1.mp4",
                 "picture/popeye1936_reel1.edl", "spotting-list.csv", "spotting-list.pdf"):
        assert (out / name).is_file(), name
    assert f"Project: {out / 'popeye1936'}" in stdout


def test_demo_prints_a_login_for_each_role_that_opens_the_workspace(demo):
    from fastapi.testclient import TestClient

    from filmscore.accounts import ROLES
    from filmscore.web.app import create_app
    from web_helpers import token

    out, stdout = demo
    assert "Web workspace logins" in stdout
    for role in ROLES:
        name = role.replace(" ", "-")
        assert f"{name}-demo" in stdout, role
    app = create_app(out / "popeye1936")
    try:
        client = TestClient(app, base_url="https://testserver")
        response = client.post("/login", data={"name": "director", "password": "director-demo",
                                               "csrf": token(client)})
        assert response.status_code == 200 and "1M2" in response.text  # the dashboard
    finally:
        app.state.pctx.close()

def test_demo_picture(demo, shots):
    project = demo[0] / "popeye1936"
    rows = _cells(_ok("-p", project, "picture", "list"), "v")
    assert len(rows) == 2  # the assembly, and the director's cut the demo conforms to
    version, _name, kind, source, events, start, length = rows[0]
    assert (version, kind, source, events, start, length) == (
        "v1", "edl", "popeye1936_reel1.edl", "4", "01:00:00:00", "4:00+00")  # 5760 frames
    assert rows[1][0] == "v2" and rows[1][3] == "popeye1936_reel1_v2.edl"
    head = _ok("-p", project, "picture", "show", "v1")
    assert "4 events, 01:00:00:00 to 01:04:00:00 (4:00+00)" in head
    counts = dict(re.findall(r"(\w+) (\d+)", head.split("markers:")[1]))
    assert int(counts["dialogue"]) >= 10 and int(counts["shot"]) >= 10
    dialogue = _ok("-p", project, "picture", "markers", "v1", "--kind", "dialogue")
    assert "I'm Sinbad the sailor" in dialogue
    assert len(shots) == int(counts["shot"])
    assert all(86400 <= f < 86400 + 5760 for f in shots)


def test_demo_cues_and_sync_points(demo):
    project = demo[0] / "popeye1936"
    cues = _cells(_ok("-p", project, "cue", "list"), r"\d+M")
    assert len(cues) >= 8
    info = _ok("-p", project, "info")
    n_sync = int(re.search(r"sync points: (\d+)", info).group(1))
    assert n_sync >= 30
    seen = 0
    for number, _title, cue_in, cue_out, *_ in cues:
        start, end = parse_label(cue_in, "24"), parse_label(cue_out, "24")
        assert 86400 <= start < end <= 86400 + 5760, number
        rows = _cells(_ok("-p", project, "sync", "list", number), r"\d+ ")
        for row in rows:
            assert start <= parse_label(row[1], "24") <= end, (number, row)
        seen += len(rows)
    assert seen == n_sync


def test_demo_pdf_shows_title_and_every_cue(demo):
    out = demo[0]
    cues = _cells(_ok("-p", out / "popeye1936", "cue", "list"), r"\d+M")
    text = subprocess.run(["pdftotext", "-layout", str(out / "spotting-list.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert TITLE in " ".join(text.split())
    for row in cues:
        assert re.search(rf"(?m)^\s*{row[0]}\s", text), row[0]
    csv_text = (out / "spotting-list.csv").read_text(encoding="utf-8-sig")
    assert sum(1 for line in csv_text.splitlines() if line.startswith("cue,")) == len(cues)


# Every part join is an edit of the assembly EDL, so a shot marker must stand on it.  The
# first (Sindbad striding -> Boola and Sindbad) scores only 0.263-0.265 in ffmpeg's scene
# filter, below the 0.3 threshold: the EDL's edit points are what put it there
# (filmscore.spotting.cut.edit_points); the detector finds the other two by itself.
@pytest.mark.parametrize("join", JOINS)
def test_demo_shot_changes_at_part_joins(shots, join):
    frame = parse_label(join, "24")
    assert any(abs(f - frame) <= 1 for f in shots), (join, shots)


# --- rerun and refusal, on a tiny stand-in film --------------------------------------------


@pytest.fixture
def tiny_film(tmp_path) -> Path:
    data = tmp_path / "film"
    data.mkdir()
    for n in range(1, 5):
        shutil.copy(CLIP, data / f"part{n}.mkv")
        (data / f"part{n}.eng.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\nLine {n}\n")
    (data / "spotting.csv").write_text(
        "type,cue,title,start,end,sync_kind,weight,description\n"
        "cue,1M1,Tiny,01:00:00:00,01:00:10:00,,,\n"
        "sync,1M1,,01:00:05:00,,hard,1,the join\n")
    shutil.copytree(DEMO_DATA / "themes", data / "themes")
    return data


def test_demo_rerun_and_foreign_folder(tmp_path, tiny_film):
    out = tmp_path / "out"
    first = _ok("demo", out, "--data", tiny_film)
    assert "4 events, 01:00:00:00 to 01:00:20:00" in first
    info = _ok("-p", out / "popeye1936", "info")
    assert "picture versions: 1" in info and "cues: 1, sync points: 1" in info
    # a rerun that cannot start (no film) leaves the last run's folder as it was ...
    (out / "popeye1936" / "scratch.txt").write_text("left by the last run")
    result = _run("demo", out, "--data", tmp_path / "nothing")
    assert result.exit_code != 0 and "part1.mkv" in result.stderr
    assert (out / "popeye1936" / "scratch.txt").is_file()
    # ... and one that starts replaces it: a fresh run into the same folder (a second
    # whole run of the tiny film would take another minute of the suite to show the same)
    from filmscore.demo import MARKER, _prepare

    _prepare(out)
    assert [p.name for p in out.iterdir()] == [MARKER]

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("do not touch")
    result = _run("demo", foreign, "--data", tiny_film)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("filmscore: error: ")
    assert str(foreign) in lines[0] and "not made by the demo" in lines[0]
    assert [p.name for p in foreign.iterdir()] == ["thesis.txt"]


# --- stage 2: sync ----------------------------------------------------------------------


def test_demo_every_cue_has_a_map_landing_its_hard_hits_and_its_sync_files(demo):
    from filmscore.conform.service import flags
    from filmscore.formats.video import probe
    from filmscore.project import open_project
    from filmscore.spotting.service import picture_summary
    from filmscore.sync.service import all_cue_syncs

    out = demo[0]
    project = out / "popeye1936"
    with open_project(project) as pctx:
        syncs = all_cue_syncs(pctx)
        reel_end = picture_summary(pctx).end_frame  # the director's cut (the conform)
        # the frames off the conform left a cue's hits (its fix's, or as it was kept)
        left_off = {f.cue: (f.proposals[f.chosen].worst_off if f.chosen is not None
                            else f.flag.worst_off) for f in flags(pctx, 1)}
    assert len(syncs) >= 8
    for cs in syncs:
        tmap = cs.tempo_map
        assert tmap is not None, cs.cue.number
        assert 60 <= min(s.tempo_bpm for s in tmap.segments)
        assert max(s.tempo_bpm for s in tmap.segments) <= 160
        beats = [b.seconds for b in tmap.beats(subdivision=2)]
        number = str(cs.cue.number)
        for s in cs.cue.sync_points:
            if s.kind == "hard":
                off = min(abs(tmap.frames_off(s.frame, t)) for t in beats)
                allowed = max(1, left_off.get(number, 0) + 1)
                assert off <= allowed, (cs.cue.number, s.frame, float(off))
        wavs = list((project / "clicks").glob(f"{number}_*.wav"))
        assert len(wavs) == 1 and wavs[0].with_suffix(".mid").is_file(), number
        assert (out / "click-sheets" / f"{number}.pdf").is_file(), number
        video = probe(project / "streamers" / f"{number}.mp4")
        assert video.rate.name == "24"
        # the streamer clip runs from its first click (or 2 s before the cue, within the
        # reel) to 2 s after: a count-in before the reel's first frame is shown over black
        first = min(tmap.frame_at(tmap.first_beat_seconds), max(cs.cue.start_frame - 48,
                                                                 86400))
        last = min(cs.cue.end_frame + 48, reel_end)
        assert video.start_frame == first and video.duration_frames == last - first, number


def test_demo_prints_the_tempo_maps(demo):
    stdout = demo[1]
    assert "Tempo maps" in stdout and "frame-click" in stdout


# --- stage 3: writing -------------------------------------------------------------------


def test_demo_writes_themes_sketches_mockups_and_review(demo):
    from filmscore.project import open_project
    from filmscore.sync.service import all_cue_syncs
    from filmscore.writing.service import history, list_themes, list_versions

    out, stdout = demo
    project = out / "popeye1936"
    with open_project(project) as pctx:
        names = {t.name for t in list_themes(pctx)}
        assert {"popeye", "sindbad", "roc", "boola"} <= names
        for cs in all_cue_syncs(pctx):
            number = str(cs.cue.number)
            versions = list_versions(pctx, number)
            assert len(versions) == 1, number
            hits = versions[0].check["hits"]
            assert hits and all(h["landed"] for h in hits), (number, hits)
            # the sketch is stored as MusicXML (its marks survive), with a MIDI file beside
            assert versions[0].format == "musicxml", number
            assert (out / "sketches" / f"{number}.musicxml").is_file()
            assert (out / "sketches" / f"{number}.mid").is_file()
            # in the meter its notes ask for: "bouncy 2/4", "in 3/4", else 4/4
            meters = {str(s.meter) for s in cs.tempo_map.segments}
            meter = {"1M2": "2/4", "1M11s": "3/4"}.get(number, "4/4")
            if cs.origin == "conform":  # beats cut or inserted at the re-cut: one bar
                assert meter in meters, number
            else:
                assert meters == {meter}, number
            mixes = list((project / "mockups" / number).glob("*_mix.wav"))
            assert len(mixes) == 1 and mixes[0].stat().st_size > 100_000, number
        steps, notes = history(pctx, "1M2")
        assert [s.status for s in steps][-2:] == ["changes requested", "orchestrated"]
        assert notes and notes[0].author == "director"
    assert "Themes in each cue" in stdout
    for theme in ("sindbad", "roc", "boola"):
        assert theme in stdout


# --- stage 4: orchestration and copying ---------------------------------------------------


def _pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_demo_orchestrates_and_copies_every_cue(demo):
    from filmscore.formats.musicxml import read_music
    from filmscore.orchestration.service import cue_score
    from filmscore.project import open_project
    from filmscore.sync.service import all_cue_syncs

    out, stdout = demo
    assert "Orchestrations" in stdout and "session books" in stdout
    with open_project(out / "popeye1936") as pctx:
        cues = [cs.cue for cs in all_cue_syncs(pctx)]
        for cue in cues:
            number = str(cue.number)
            cs = cue_score(pctx, number)
            assert cs.ensemble.name == "studio", number
            # our own orchestrations pass our playability check clean: nothing out of
            # range, no player with two notes at once, no mute without time to make it
            assert not cs.summary.check.get("out_of_range"), (number, cs.summary.check)
            assert not cs.summary.check.get("too_many_notes"), (number, cs.summary.check)
            assert not any(cs.summary.check.values()), (number, cs.summary.check)
            folder = out / "popeye1936" / "parts" / number
            playing = {u.chair for u in cs.instrumentation.uses}
            tacet = {c.label for c in cs.instrumentation.tacet(cs.ensemble)}
            assert playing and playing | tacet == set(cs.ensemble.labels), number
            for label in playing:
                assert (folder / f"{number} {label}.pdf").is_file(), (number, label)
                assert (folder / f"{number} {label}.musicxml").is_file(), (number, label)
            for label in tacet:
                assert (folder / f"{number} {label} TACET.pdf").is_file(), (number, label)
            score = out / "popeye1936" / "scores" / number / f"{number} score.pdf"
            assert score.is_file(), number
            # the parts together sound what the stored full score sounds
            full = read_music(cs.full_score, unpitched=True)  # the percussion too
            beat = full.meter.beat_quarters
            for part in full.parts:
                # one level at a time: a dynamic per onset, none closer than a beat
                onsets = [m.onset for m in part.marks if m.kind == "dynamic"]
                assert onsets == sorted(set(onsets)), (number, part.name, onsets)
                assert all(b - a >= beat for a, b in zip(onsets, onsets[1:], strict=False)), \
                    (number, part.name, onsets)
                if part.is_drum or not part.notes:
                    continue
                alone = read_music(folder / f"{number} {part.name}.musicxml")
                assert [(n.onset, n.duration, n.pitch) for n in alone.parts[0].notes] == \
                    [(n.onset, n.duration, n.pitch) for n in part.notes], (number, part.name)
        brass = cue_score(pctx, "1M2")
        assert any(u.chair.startswith("Trumpet") for u in brass.instrumentation.uses)
    # the copies as the players and the conductor get them pass the engraving check: no
    # accidental, letter, bar number, rest or barline finding, and no mark printed over
    # another (two dynamics of one part at one place included)
    from filmscore.engraving.check import check_folder

    for folder in (out / "popeye1936" / "parts", out / "popeye1936" / "scores"):
        report = check_folder(folder)
        assert report.ok and not report.findings, (folder.name, dict(report.counts),
                                                   [str(f) for f in report.findings[:10]])
    first = cues[0]
    text = " ".join(_pdftext(out / "popeye1936" / "parts" / str(first.number) /
                             f"{first.number} Violin I.pdf").split())
    for field in (TITLE, str(first.number), first.title, "Violin I"):
        assert field in text, field
    score_text = " ".join(_pdftext(out / "popeye1936" / "scores" / str(first.number) /
                                   f"{first.number} score.pdf").split())
    hard = next(s for s in first.sync_points if s.kind == "hard")
    from filmscore.timecode import format_label

    assert format_label(hard.frame, "24") in score_text
    books = sorted((out / "popeye1936" / "books" / "Day 1").glob("*.pdf"))
    assert len(books) == len(cs.ensemble.chairs)
    cover = _pdftext(out / "popeye1936" / "books" / "Day 1" / "Horn 1.pdf").split("\f")[0]
    order = [line.split()[1] for line in cover.splitlines()
             if re.match(r"\s*\d+\s+\d+M\d+", line)]
    # hard cues first, as the spotting session marked them (the books were made before the
    # director's re-cut took three hits away with their picture)
    import csv as csv_

    hard: dict[str, int] = {}
    spotted: dict[str, int] = {}  # the cues in film order
    for row in csv_.DictReader((DEMO_DATA / "spotting.csv").open(encoding="utf-8")):
        spotted.setdefault(row["cue"], len(spotted))
        if row["type"] == "sync" and row["sync_kind"] == "hard":
            hard[row["cue"]] = hard.get(row["cue"], 0) + 1
    expected = sorted(spotted, key=lambda c: (-hard.get(c, 0), spotted[c]))[:4]
    assert order == expected


def test_demo_books_plans_records_and_packs_the_sessions(demo, tmp_path):
    """Stages 5 and 6: a roster, a plan over several non-consecutive days, every session
    booked, several takes of every cue with the last circled, a pickup recorded, the cue
    sheet with nothing left, the costs, and the first session's stage pack."""
    import csv
    import json

    import opentimelineio as otio
    import wavinfo

    from filmscore.project import open_project
    from filmscore.recording.planning import list_pickups, session_plan
    from filmscore.recording.takes import list_takes, take_sheet

    out, stdout = demo
    assert "Session plan" in stdout and "paid player-hours (cp-sat" in stdout
    assert "still to record: nothing" in stdout
    rec = out / "recording"
    with open_project(out / "popeye1936") as pctx:
        planned = session_plan(pctx)
        days = {p.session.day for p in planned}
        assert len(days) >= 3  # several dates, not consecutive ones
        assert all((b - a).days >= 2 for a, b in zip(sorted(days), sorted(days)[1:],
                                                     strict=False))
        parts = [e for p in planned for e in p.entries if e.part]
        assert parts and all(e.bar_from is not None for e in parts)  # split at bar lines
        takes = list_takes(pctx)
        by_cue: dict[str, list] = {}
        for take in takes:
            by_cue.setdefault(take.cue, []).append(take)
        planned_cues = {e.cue for p in planned for e in p.entries}
        assert set(by_cue) == planned_cues
        for cue, mine in by_cue.items():
            assert len(mine) >= 3 and any(t.circled for t in mine), cue
            assert all(t.stems for t in mine), cue  # every take has its audio stored
        kinds = {t.kind for t in takes}
        assert {"false start", "complete", "pickup"} <= kinds
        (pickup,) = [p for p in list_pickups(pctx) if not p.reason.startswith("conform")]
        assert pickup.cue == "1M4" and pickup.status == "recorded"
        sheet = take_sheet(pctx)
        # every cue recorded but those the director's re-cut sent back for a pickup (a
        # cue the re-cut only moved keeps its takes: they slide with it)
        conformed = {p.cue for p in list_pickups(pctx) if p.reason.startswith("conform")
                     and p.status == "open"}
        assert conformed and all(c.done != (c.cue.number in conformed)
                                 for c in sheet.cues), conformed
        # every planned day recorded its music: the plan counts a whole cue's frames, the
        # take log the frames of the bars the circled takes cover (the tempo map's bar
        # lines on the nearest frame), so they may differ by a frame an entry
        # (and the director's re-cut changed the cues' lengths by the frames its change
        # list added and removed since the plan was made)
        from filmscore.conform.service import get_change_list

        entries = sum(len(p.entries) for p in planned)
        recut = sum(abs(c.frames) for c in get_change_list(pctx, 1)[1].changes)
        assert abs(sheet.recorded_frames - sheet.planned_frames) <= entries + recut
        assert all(d.recorded_frames > 0 for d in sheet.days)
    # bookings: every planned chair's seats filled, the orchestra manager appointed
    first = planned[0].session.name
    listed = _ok("-p", out / "popeye1936", "book", "list", first)
    assert "orchestra manager" in listed
    calls = sorted((rec / "call-lists").glob("*.csv"))
    assert len(calls) == len(planned)
    with open(calls[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len([r for r in rows if r["instrument"]]) == planned[0].players
    costs = " ".join(_pdftext(rec / "costs.pdf").split())
    assert "Musicians' costs" in costs and "USD" in costs
    sheet_text = " ".join(_pdftext(rec / "cue-sheet.pdf").split())
    assert "Minutes recorded per day against the plan" in sheet_text
    # the stage pack of the first session: run sheet, per cue click, tempo map, streamers,
    # and a timeline that places the click at the cue's timecode
    pack = Path(rec / "stage-pack").glob("*")
    (folder,) = list(pack)
    run = " ".join(_pdftext(folder / "run sheet.pdf").split())
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in planned[0].entries:
        assert entry.cue in run
        names = {p.name for p in (folder / "cues" / entry.cue).iterdir()}
        assert {f"{entry.cue} click.wav", f"{entry.cue} tempo.mid",
                f"{entry.cue} streamers.mp4"} <= names, names
    assert manifest and otio.adapters.read_from_file(str(folder / "timeline.otio")).tracks
    # the circled takes, exported with iXML that another tool reads
    exported = tmp_path / "takes"
    _ok("-p", out / "popeye1936", "takes", "export", exported, "--circled", "--cue", "1M1")
    wavs = sorted(exported.glob("*.wav"))  # one file per stem of the circled take
    assert {w.stem.split("_", 2)[2] for w in wavs} == {"strings", "woodwinds", "brass",
                                                       "percussion"}, wavs
    for wav in wavs:
        xml = wavinfo.WavInfoReader(str(wav)).ixml.raw_xml  # an lxml element
        assert xml.find("CIRCLED").text == "TRUE" and xml.find("SCENE").text == "1M1"


def test_demo_comps_mixes_delivers_and_writes_the_cue_sheet(demo):
    """Stage 6 of the demo: every recorded cue comped and mixed in stereo and 5.1, the
    film's music delivered to the dub (read back by outside readers), the PRO cue sheet."""
    import csv as csv_

    import numpy as np
    import opentimelineio as otio
    import soundfile as sf
    import wavinfo
    from lxml import etree

    out, stdout = demo
    project = out / "popeye1936"
    assert "> Delivering to the dub" in stdout
    dub = project / "delivery"  # where the workspace's delivery page finds it
    for name in ("delivery.csv", "delivery.pdf", "music.otio", "music.aaf", "music_MIX.edl"):
        assert (dub / name).is_file(), name
    listing = _ok("-p", project, "mixes", "1M2")
    assert "5.1" in listing and "stereo" in listing and "LUFS" in listing
    mixes = sorted(dub.glob("*_MIX*.wav"))
    assert {m.name.split("_")[0] for m in mixes} == {f"1M{n}" for n in range(1, 11)} | {"1M11s"}
    for mix in mixes:
        info = sf.info(str(mix))
        assert (info.channels, info.samplerate, info.subtype) == (6, 48000, "PCM_24"), mix
        reader = wavinfo.WavInfoReader(str(mix))
        assert reader.ixml.raw_xml.find("SCENE").text == mix.name.split("_")[0]
        assert reader.bext.time_reference > 0
    def ints(path) -> np.ndarray:
        return sf.read(str(path), dtype="int32")[0].astype(np.int64) >> 8

    # every mix's stems add up to it exactly; delivered, within one step a stem (the
    # fades and segue crossfades are applied to each file and rounded once)
    from filmscore.mixing.mixes import mix_paths
    from filmscore.project import open_project

    with open_project(project) as pctx:
        for layout_version in (1, 2):
            paths = mix_paths(pctx, "1M2", layout_version)
            mixed = ints(paths.pop("mix"))
            assert len(paths) >= 4
            assert np.array_equal(sum(ints(p) for p in paths.values()), mixed)
    stems = [p for p in dub.glob("1M2_v2_*.wav") if not p.name.endswith("_MIX.wav")]
    total = sum(ints(p) for p in stems)
    assert np.abs(total - ints(dub / "1M2_v2_MIX.wav")).max() <= len(stems)
    timeline = otio.adapters.read_from_file(str(dub / "music.otio"))
    clips = [c for t in timeline.tracks for c in t.find_clips()]
    assert len(clips) == len(list(dub.glob("*.wav")))
    aaf = otio.adapters.read_from_file(str(dub / "music.aaf"))
    assert len([c for t in aaf.tracks for c in t.find_clips()]) == len(clips)
    (sheet,) = (project / "cuesheet").glob("*.csv")
    rows = list(csv_.DictReader(sheet.open(encoding="utf-8")))
    usages = {r[k] for r in rows for k in r if k.lower().startswith("usage")}
    assert {"MT", "ET", "SRC", "BI"} <= usages, usages
    assert len(list((project / "cuesheet").glob("*.pdf"))) == 1
    (ddex,) = (project / "cuesheet").glob("*.xml")
    # the film's composer as a name, not as the parts print the credit ("Music: ...")
    composers = [e.text for e in etree.parse(str(ddex)).iter() if isinstance(e.tag, str)
                 and etree.QName(e).localname == "Composer"]
    assert composers and all(c.startswith("filmscore demo") for c in composers), composers


def test_demo_makes_the_album_its_releases_and_the_piano_edition(demo):
    """Stage 7 of the demo: the album sequenced for CD, one LP and digital, mastered to
    each medium's target under -1 dBTP, its release files read back by outside readers,
    an expanded edition, and the main theme's cue as a piano solo and a lead sheet."""
    import mutagen
    import soundfile as sf
    from mutagen.flac import FLAC

    from filmscore.album.codes import check_isrc, check_upc_ean
    from filmscore.mixing.meter import measure_file

    out, stdout = demo
    project = out / "popeye1936"
    assert "> Album: sequencing the cd (OR-Tools CP-SAT)" in stdout
    assert "Expanded edition (album 2): the CD's tracks kept, added: 1M11s" in stdout
    shown = _ok("-p", project, "album", "show", "1")
    assert "roc-suite" in shown and "1M1" in shown and "first" in shown
    album = project / "album"
    # CD: one 44.1 kHz 16-bit image, a CUE sheet with a checked UPC and an ISRC a track
    (image,) = (album / "cd").glob("*.wav")
    (cue,) = (album / "cd").glob("*.cue")
    info = sf.info(str(image))
    assert (info.samplerate, info.channels, info.subtype) == (44100, 2, "PCM_16")
    text = cue.read_text(encoding="latin-1")
    catalog = re.search(r"^CATALOG (\d+)$", text, re.M).group(1)
    assert check_upc_ean(catalog) == catalog
    isrcs = re.findall(r"^    ISRC (\w+)$", text, re.M)
    tracks = re.findall(r"^  TRACK (\d\d) AUDIO$", text, re.M)
    assert len(isrcs) == len(tracks) >= 6 and all(check_isrc(i) == i for i in isrcs)
    assert (album / "cd" / "pq_list.pdf").is_file() and (album / "cd" / "liner_notes.pdf").is_file()
    peak = measure_file(image)
    assert peak.true_peak_dbtp <= -0.95
    # LP: two sides of premasters and the side list for the cutting engineer
    sides = {p.name[0] for p in (album / "vinyl").glob("*.wav")}
    assert sides == {"A", "B"} and (album / "vinyl" / "side_list.pdf").is_file()
    # digital: tagged FLAC with a cover, each at most -14 LUFS and under -1 dBTP
    flacs = sorted((album / "digital").glob("*.flac"))
    assert len(flacs) == len(tracks)
    for n, path in enumerate(flacs, 1):
        tags = FLAC(str(path))
        assert tags["tracknumber"] == [str(n)] and tags["isrc"][0] in isrcs
        assert tags["album"] == ["Popeye the Sailor Meets Sindbad the Sailor (Original Score)"]
        assert tags.pictures and tags.pictures[0].mime == "image/png"
        measured = measure_file(path)
        assert measured.loudness_lufs <= -13.9 and measured.true_peak_dbtp <= -0.95, path
    assert mutagen.File(str(next((album / "digital" / "mp3").glob("01 *.mp3"))))["TSRC"]
    # the piano solo and the lead sheet of the main theme's cue
    editions = project / "editions" / "1M2"
    for name in ("1M2 piano", "1M2 lead sheet"):
        assert (editions / f"{name}.pdf").is_file()
        xml = (editions / f"{name}.musicxml").read_text(encoding="utf-8")
        assert "<score-partwise" in xml
    assert "<staves>2</staves>" in (editions / "1M2 piano.musicxml").read_text()
    assert "<harmony" in (editions / "1M2 lead sheet.musicxml").read_text()


def test_demo_conforms_the_second_cut(demo):
    """The director's re-cut: picture v2 compared with v1 (the trim, the drop, the
    extension and the move found as such), the change list written in four formats and
    applied (every cue follows its shot), each flagged cue given its closest fix, a pickup
    for a recorded cue whose bars changed."""
    from sqlalchemy import select

    from filmscore.conform.service import flags, get_change_list
    from filmscore.formats.changelist_csv import read_changelist_csv
    from filmscore.model import Pickup
    from filmscore.project import open_project
    from filmscore.spotting.service import list_cues
    from filmscore.store import transaction
    from filmscore.timecode import parse_label

    out, stdout = demo
    project = out / "popeye1936"
    assert "> Conform: applying the change list" in stdout
    assert "picture versions: 2" in _ok("-p", project, "info")
    with open_project(project) as pctx:
        info, changes = get_change_list(pctx, 1)
        assert (info.old_version, info.new_version) == (1, 2) and info.applied_at
        assert sorted(c.kind for c in changes.changes) == ["delete", "insert", "move",
                                                           "trim_tail"]
        assert {c.kind: c.frames for c in changes.changes} == {
            "delete": -12, "trim_tail": -104, "insert": 24, "move": 0}
        folder = out / "conform"
        for kind in ("csv", "edl", "pdf", "html"):
            assert (folder / f"change-list-1.{kind}").is_file(), kind
        read = read_changelist_csv(folder / "change-list-1.csv", rate=pctx.rate)
        assert read.changes == changes.changes
        # every cue follows its shot: 1M4 comes 12 frames earlier (the trim before it)
        cues = {str(c.number): c for c in list_cues(pctx)}
        assert cues["1M4"].start_frame == parse_label("01:02:00:00", pctx.rate) - 12
        last = parse_label("01:04:00:00", pctx.rate) - 92  # the new cut is 92 frames shorter
        assert all(c.end_frame <= last for c in cues.values())
        for cue in cues.values():  # the project's rule holds after the conform
            frames = [s.frame for s in cue.sync_points]
            assert len(frames) == len(set(frames)), cue.number
        # the three hits on the dropped hull shot are gone from 1M6 (the flag keeps them)
        listed = {f.cue: f for f in flags(pctx, 1)}
        gone = [h for h in listed["1M6"].flag.hits if h.new_frame is None]
        assert len(gone) == 3 and len(cues["1M6"].sync_points) == len(
            listed["1M6"].flag.hits) - 3
        assert {"1M3", "1M7", "1M8", "1M9"} <= set(listed)
        assert all(f.status in ("fixed", "kept") for f in listed.values())
        fixed = [f for f in listed.values() if f.status == "fixed"]
        assert fixed and all(f.proposals[f.chosen].worst_off < f.flag.worst_off
                             for f in fixed)
        with transaction(pctx.engine) as session:
            reasons = session.scalars(select(Pickup.reason)).all()
        assert any("conform" in r for r in reasons)


def test_every_pdf_and_video_of_the_demo_is_looked_at(demo):
    """Every page the demo prints and every video it renders, rendered to PNG and measured
    (tests/looking.py), and what a player sees first on a part and a score measured."""
    import numpy as np

    from looking import look_at_files, look_at_pdf, video_frames, video_info

    out, _ = demo
    pdfs = sorted(out.rglob("*.pdf"))
    videos = sorted(out.rglob("*.mp4"))
    # 11 streamer videos, the reel and the director's cut, each also as stored in the
    # project, and the streamers of the first session's stage pack
    packed = list((out / "recording" / "stage-pack").rglob("*.mp4"))
    assert len(pdfs) > 200 and len(videos) == 15 + len(packed) and packed
    look_at_files(pdfs + videos, dpi=30)  # (the resolution of the PDFs' pages)
    # page 1 of a part: the cue number large in its box at the top left, the part's name
    # at the top right, and nothing printed over the music's first system
    page = look_at_pdf(out / "popeye1936" / "parts" / "1M2" / "1M2 Violin I.pdf", dpi=60)[0]
    height, width = page.shape
    box = page[: height // 10, : width // 6] < 128
    rows, cols = np.nonzero(box)
    assert rows.size and cols.max() - cols.min() > width / 12  # a box of some size
    assert (page[: height // 12, width * 3 // 4:] < 128).any()  # "Violin I"
    # the score: a page of staves from the top margin down (a full page of music)
    score = look_at_pdf(out / "popeye1936" / "scores" / "1M4" / "1M4 score.pdf", dpi=30)[0]
    inked = np.nonzero((score < 128).any(axis=1))[0]
    assert inked[-1] - inked[0] > 0.8 * score.shape[0]
    # a streamer video at the head of the reel: its count-in is over black, with the
    # first downbeat's streamer crossing it
    first = out / "popeye1936" / "streamers" / "1M1.mp4"
    _, _, frames = video_info(first)
    frame = video_frames(first, [12])[0]
    dark = (frame.max(axis=2) < 40).mean()
    assert dark > 0.6  # mostly black: the reel has not begun
    assert frames > 12


# --- the web workspace over the demo project, in a real browser (last: it adds takes) ----

from web.browser import screenshot  # noqa: E402 (the browser fixtures: tests/conftest.py)


@pytest.fixture
def web_project(demo) -> Path:
    """The demo project, with a '<role> user' account per role for the browser tests."""
    from filmscore.accounts import ROLES
    from filmscore.project import open_project
    from filmscore.users import add_user, list_users
    from web_helpers import PASSWORD

    project = demo[0] / "popeye1936"
    with open_project(project) as pctx:
        have = {u.name for u in list_users(pctx)}
        for role in ROLES:
            if f"{role} user" not in have:
                add_user(pctx, f"{role} user", role, PASSWORD)
    return project


def test_the_demo_in_a_real_browser(as_browser, live_server):
    """Chromium over the demo: the main pages (screenshots kept and looked at), a mockup
    played, a review note left, three takes logged with the keyboard and one circled,
    each checked against the database, and two people editing one cue."""
    from playwright.sync_api import expect

    from filmscore.recording.takes import list_takes
    from filmscore.writing.service import history

    editor = as_browser("music editor", "/")
    expect(editor.locator("main")).to_contain_text("1M2")
    screenshot(editor, "demo-dashboard")
    for path, name in (("/timeline", "demo-timeline"), ("/downloads", "demo-downloads"),
                       ("/themes", "demo-themes")):
        response = editor.goto(live_server.url + path)
        assert response.status < 400, path
        screenshot(editor, name)

    # the cue page: a mockup plays, a review note is left and kept
    editor.goto(live_server.url + "/cues/1M2")
    played = editor.evaluate("""async () => {
        const audio = document.querySelector('audio');
        audio.muted = true;
        await audio.play();
        await new Promise(done => setTimeout(done, 1000));
        const at = audio.currentTime;
        audio.pause();
        return at; }""")
    assert played > 0.2
    note = "More swagger in the brass (browser test)"
    editor.fill("form.note input[name=timecode]", "01:00:30:00")
    editor.fill("form.note input[name=text]", note)
    editor.click("form.note button[type=submit]")
    expect(editor.locator("main")).to_contain_text(note)
    screenshot(editor, "demo-cue")
    with live_server.db() as pctx:
        _steps, notes = history(pctx, "1M2")
    assert [(n.timecode, n.author) for n in notes if n.text == note] == [
        ("01:00:30:00", "music editor user")]

    # the recording page: three takes with the keyboard, the last circled
    editor.goto(live_server.url + "/recording")
    status = editor.locator("#queue-status")
    expect(status).to_have_text("all sent")
    cue = editor.locator("#cue-pick li.selected").inner_text().split()[0]
    with live_server.db() as pctx:
        before = {t.number for t in list_takes(pctx, cue)}
    for key in ("f", "Enter", "Enter", "c"):
        editor.keyboard.press(key)
        expect(status).to_have_text("all sent")
    with live_server.db() as pctx:
        new = sorted((t for t in list_takes(pctx, cue) if t.number not in before),
                     key=lambda t: t.number)
    assert [(t.kind, t.circled) for t in new] == [("false start", False),
                                                  ("complete", False), ("complete", True)]
    shown = editor.locator("#take-log tbody tr").first
    expect(shown).to_contain_text(cue)
    expect(shown).to_contain_text(str(new[-1].number))
    screenshot(editor, "demo-recording")

    # two people edit one cue: the second save is refused, showing what changed
    first, second = as_browser("composer", "/cues/1M1"), as_browser("music editor", "/cues/1M1")
    for page, title in ((first, "Lions at the Gate (first)"),
                        (second, "Lions at the Gate (second)")):
        page.click("summary:has-text('Edit the cue')")
        page.fill("form[action$='/edit'] [name=title]", title)
    first.click("form[action$='/edit'] button[type=submit]")
    expect(first.locator("main")).to_contain_text("Lions at the Gate (first)")
    second.click("form[action$='/edit'] button[type=submit]")
    expect(second.locator("h1")).to_contain_text("changed meanwhile")
    expect(second.locator("table.conflict")).to_contain_text("Lions at the Gate (first)")
    screenshot(second, "demo-conflict")
    with live_server.db() as pctx:
        from filmscore.sync.service import cue_sync

        assert cue_sync(pctx, "1M1").cue.title == "Lions at the Gate (first)"
    assert editor.js_errors == [] and first.js_errors == [] and second.js_errors == []
