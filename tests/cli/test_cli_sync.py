"""`filmscore tempo|click|streamers` as a music editor uses them, on a small real picture."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from filmscore.formats.click_wav import read_click_wav
from filmscore.formats.video import probe
from filmscore.project import open_project
from filmscore.sync.service import cue_sync
from filmscore.sync.tempomap import bpm_from_frameclick
from filmscore.timecode import parse_label

DATA = Path(__file__).parents[1] / "data"
CLIP = DATA / "video" / "popeye_24.mkv"  # 120 frames at 24 fps, no timecode: starts at 0


@pytest.fixture
def synced(cli, tmp_path) -> Path:
    """A 24 fps project on a 120-frame clip with one cue of hits every 12 frames."""
    project = tmp_path / "p"
    cli.ok("init", project, "--title", "Sync Film", "--fps", "24")
    cli.ok("-p", project, "picture", "import", CLIP, "--no-shots")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "00:00:00:12", "--end",
           "00:00:04:20", "--title", "Hits")
    for frame in (24, 36, 60, 84):  # 12-0 (120 BPM) from frame 12: beats 2, 3, 5, 7
        cli.ok("-p", project, "sync", "add", "1M1", f"00:00:{frame // 24:02d}:{frame % 24:02d}",
               "--kind", "hard", "-d", f"hit at {frame}")
    cli.ok("-p", project, "sync", "add", "1M1", "00:00:04:00", "--kind", "end", "-d", "button")
    return project


def test_find_lists_120_bpm_with_every_hard_hit_on_a_beat(cli, synced):
    out = cli.ok("-p", synced, "tempo", "find", "1M1", "--range", "100-140")
    assert "120" in out and "12-0" in out
    assert "4 hard hits" in out
    cli.ok("-p", synced, "tempo", "find", "1M1", "--range", "100-140", "--apply", "1")
    with open_project(synced) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    assert tmap.segments[0].tempo_bpm == 120 and tmap.start_frame == 12
    for frame in (24, 36, 60, 84):
        assert tmap.frames_off(frame, tmap.seconds_of(tmap.position_at(
            tmap.seconds_of_frame(frame)))) == 0


def test_set_show_and_sheet(cli, synced, tmp_path):
    cli.ok("-p", synced, "tempo", "set", "1M1", "--tempo", "12-2")
    with open_project(synced) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    assert tmap.segments[0].tempo_bpm == bpm_from_frameclick(12, 2, "24")
    out = cli.ok("-p", synced, "tempo", "show", "1M1")
    assert "12-2" in out and "117.55" in out and "00:00:00:12" in out
    cli.ok("-p", synced, "tempo", "set", "1M1", "--segments", "1x4/4@120, 1x3/4@120>90")
    out = cli.ok("-p", synced, "tempo", "show", "1M1")
    assert "3/4" in out
    sheet = tmp_path / "sheet.pdf"
    cli.ok("-p", synced, "tempo", "sheet", "1M1", sheet)
    text = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Sync Film" in text and "hit at 36" in text
    csv_sheet = tmp_path / "sheet.csv"
    cli.ok("-p", synced, "tempo", "sheet", "1M1", csv_sheet)
    assert csv_sheet.read_text(encoding="utf-8-sig").startswith("bar,")


def test_solve_saves_a_map_landing_every_hard_hit(cli, synced):
    cli.ok("-p", synced, "tempo", "solve", "1M1", "--range", "60-160", "--save")
    with open_project(synced) as pctx:
        cs = cue_sync(pctx, "1M1")
    tmap = cs.tempo_map
    beats = [tmap.frame_at(b.seconds) for b in tmap.beats()]
    for s in cs.cue.sync_points:
        if s.kind == "hard":
            assert any(abs(tmap.frames_off(s.frame, b.seconds)) <= 1 for b in tmap.beats()), \
                (s.frame, beats)


def test_click_wav_onsets_are_on_the_beats_and_midi_beside_it(cli, synced, tmp_path):
    cli.fails(cli.run("-p", synced, "tempo", "set", "1M1", "--tempo", "120", "--count-in",
                      "1"), "count-in would start before 00:00:00:00")
    cli.ok("-p", synced, "tempo", "set", "1M1", "--tempo", "120")
    out = tmp_path / "click.wav"
    cli.ok("-p", synced, "click", "1M1", "--out", out, "--warning", "1")
    samples, rate = read_click_wav(out)
    assert rate == 48000 and out.with_suffix(".mid").is_file()
    # bar 1 is frame 12 = 0.5 s; one warning click a beat (0.5 s) before it, at frame 0:
    # the file starts at the frame of the first click, and clicks fall every 24000 samples
    loud = np.flatnonzero(samples != 0)  # a click's first sample is already non-zero
    onsets = [int(loud[0])] + [int(b) for a, b in zip(loud, loud[1:], strict=False)
                               if b - a > 4800]
    assert onsets[:6] == [0, 24000, 48000, 72000, 96000, 120000]


def test_tempo_midi_round_trip_through_the_cli(cli, synced, tmp_path):
    cli.ok("-p", synced, "tempo", "set", "1M1", "--segments", "1x4/4@12-2, 2x3/4@100")
    mid = tmp_path / "1M1.mid"
    cli.ok("-p", synced, "tempo", "export", "1M1", mid)
    with open_project(synced) as pctx:
        before = cue_sync(pctx, "1M1").tempo_map
    cli.ok("-p", synced, "tempo", "import", "1M1", mid)
    with open_project(synced) as pctx:
        after = cue_sync(pctx, "1M1").tempo_map
    assert after.start_frame == before.start_frame
    for a, b in zip(before.bars(), after.bars(), strict=True):
        assert a.meter == b.meter
        assert abs(a.seconds - b.seconds) < Fraction(1, 10000)


def test_a_daw_tempo_map_without_smpte_offset_starts_at_the_cue(cli, synced, tmp_path):
    """A DAW's tempo map export whose session starts at 00:00:00:00 has no SMPTE offset:
    its bar 1 goes to the cue's start, and the command says so; --start places it; a file
    whose offset puts bar 1 outside the cue is refused with --start as the way out."""
    import mido

    daw = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack([mido.MetaMessage("time_signature", numerator=4, denominator=4),
                            mido.MetaMessage("set_tempo", tempo=500_000),
                            mido.MetaMessage("end_of_track", time=480 * 8)])
    daw.tracks.append(track)
    mid = tmp_path / "from the DAW.mid"
    daw.save(mid)
    out = cli.ok("-p", synced, "tempo", "import", "1M1", mid)
    assert "Bar 1 at 00:00:00:12, from the cue's start (the file has no SMPTE offset): " \
           "--start to place it elsewhere." in out
    with open_project(synced) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    assert tmap.start_frame == 12 and tmap.count_in_bars == 0
    assert [b.seconds for b in tmap.bars()][:2] == [0, 2]  # 120 BPM in 4/4 from bar 1
    out = cli.ok("-p", synced, "tempo", "import", "1M1", mid, "--start", "00:00:01:00")
    assert "Bar 1 at 00:00:01:00, from --start." in out
    with open_project(synced) as pctx:
        assert cue_sync(pctx, "1M1").tempo_map.start_frame == 24
    cli.fails(cli.run("-p", synced, "tempo", "import", "1M1", mid, "--start", "00:00:05:00"),
              "from the DAW.mid", "field start", "'00:00:05:00'", "00:00:00:12 to")
    # an offset (ours: the map exported) outside the cue: the way out is --start
    track.insert(0, mido.MetaMessage("smpte_offset", frame_rate=24, hours=1, minutes=0,
                                     seconds=0, frames=0))
    daw.save(mid)
    before = cli.snapshot(synced)
    cli.fails(cli.run("-p", synced, "tempo", "import", "1M1", mid), "from the DAW.mid",
              "'01:00:00:00'", "or place bar 1 with --start")
    assert cli.snapshot(synced) == before


def test_streamers_keep_the_frame_count_and_rate(cli, synced, tmp_path):
    cli.ok("-p", synced, "tempo", "set", "1M1", "--tempo", "120")
    out = tmp_path / "1M1.mp4"
    cli.ok("-p", synced, "streamers", "1M1", "--out", out, "--handles", "0")
    info = probe(out)
    # the cue runs from frame 12 to 116; the clip has it all (the picture ends at 120)
    assert info.rate.name == "24" and info.duration_frames == 116 - 12
    assert info.start_frame == 12


def test_all_needs_maps_and_bad_input_is_one_line(cli, synced):
    cli.fails(cli.run("-p", synced, "click", "1M1"), "no tempo map", "tempo set 1M1")
    cli.fails(cli.run("-p", synced, "click"), "--all")
    cli.fails(cli.run("-p", synced, "tempo", "set", "1M1", "--tempo", "fast"), "fast",
              "frame-click")
    cli.fails(cli.run("-p", synced, "tempo", "set", "1M1", "--tempo", "120", "--start",
                      "00:00:10:00"), "bar 1", "inside cue 1M1")
    cli.fails(cli.run("-p", synced, "tempo", "set", "1M1", "--segments", "4 bars"),
              "segment 1", "BARSxMETER@TEMPO")
    cli.fails(cli.run("-p", synced, "tempo", "find", "1M1", "--range", "240-40"), "range")
    cli.fails(cli.run("-p", synced, "tempo", "find", "1M1", "--range", "fast"), "range")
    cli.fails(cli.run("-p", synced, "tempo", "solve", "1M1", "--range", "40-41",
                      "--tolerance", "0.1"), "1M1")
    cli.fails(cli.run("-p", synced, "tempo", "show", "9M9"), "9M9")
    before = cli.snapshot(synced)
    cli.fails(cli.run("-p", synced, "tempo", "import", "1M1", CLIP), "tempo")
    assert cli.snapshot(synced) == before
    cli.ok("-p", synced, "click", "--all")


def test_solve_keeps_pinned_bars_and_explains_what_cannot_be(cli, synced, tmp_path):
    cli.ok("-p", synced, "tempo", "solve", "1M1", "--range", "60-160", "--pin", "1-1@120",
           "--save")
    with open_project(synced) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    assert tmap.segments[0].tempo_bpm == 120
    cli.fails(cli.run("-p", synced, "tempo", "solve", "1M1", "--pin", "4-2@120"), "4-2@120",
              "FIRST-LAST@TEMPO")
    bare = tmp_path / "bare"
    cli.ok("init", bare, "--title", "Bare", "--fps", "24")
    cli.ok("-p", bare, "cue", "add", "1M1", "--start", "00:00:01:00", "--end", "00:00:09:00")
    cli.ok("-p", bare, "sync", "add", "1M1", "00:00:02:00", "--kind", "soft")
    cli.fails(cli.run("-p", bare, "tempo", "find", "1M1"), "no hard hits")
    cli.fails(cli.run("-p", bare, "tempo", "solve", "1M1"), "no hard hits")


def test_an_impossible_tolerance_says_what_to_relax(cli, synced):
    cli.fails(cli.run("-p", synced, "tempo", "find", "1M1", "--range", "61-62",
                      "--tolerance", "0.1"), "no tempo lands every hard hit of cue 1M1",
              "--tolerance")
    cli.fails(cli.run("-p", synced, "tempo", "find", "1M1", "--tolerance", "0"), "tolerance")


def test_find_apply_stores_the_exact_frame_click(cli, tmp_path):
    project = tmp_path / "fc"
    cli.ok("init", project, "--title", "Frame Clicks", "--fps", "24")
    cli.ok("-p", project, "picture", "import", CLIP, "--no-shots")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "00:00:00:00", "--end",
           "00:00:04:23", "--title", "Thirteens")
    for frame in (13, 26, 52, 91):  # 13-0: a beat every 13 frames, 110.77 BPM
        cli.ok("-p", project, "sync", "add", "1M1", f"00:00:{frame // 24:02d}:{frame % 24:02d}",
               "--kind", "hard")
    out = cli.ok("-p", project, "tempo", "find", "1M1", "--range", "100-120", "--apply", "1")
    assert "13-0" in out and "exactly 1440/13 BPM" in out
    with open_project(project) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    # not 111, the whole BPM inside the interval: the frame-click itself, exactly
    assert tmap.segments[0].tempo_bpm == Fraction(1440, 13) == bpm_from_frameclick(13, 0, "24")
    assert tmap.subdivision == 1
    cli.ok("-p", project, "tempo", "find", "1M1", "--range", "100-120", "--subdivision", "2",
           "--apply", "1")
    with open_project(project) as pctx:
        assert cue_sync(pctx, "1M1").tempo_map.subdivision == 2


def test_solve_on_eighths_stores_the_subdivision_for_the_click_sheet(cli, synced, tmp_path):
    cli.ok("-p", synced, "tempo", "solve", "1M1", "--range", "60-160", "--subdivision", "2",
           "--save")
    with open_project(synced) as pctx:
        tmap = cue_sync(pctx, "1M1").tempo_map
    assert tmap.subdivision == 2
    sheet = tmp_path / "sheet.csv"
    cli.ok("-p", synced, "tempo", "sheet", "1M1", sheet)
    hits = [h for row in sheet.read_text(encoding="utf-8-sig").splitlines()[1:]
            for h in row.split(",")[-1].split(" ; ") if "hard" in h]
    assert len(hits) == 4 and all(h.split()[0].count("|") == 2 for h in hits)  # bar|beat|sub
    cli.ok("-p", synced, "tempo", "set", "1M1", "--tempo", "120", "--subdivision", "3")
    with open_project(synced) as pctx:
        assert cue_sync(pctx, "1M1").tempo_map.subdivision == 3


def test_streamers_of_a_cue_at_the_head_of_the_reel_show_its_count_in_over_black(cli,
                                                                                 tmp_path):
    clip = DATA / "video" / "popeye_2997.mov"  # 150 frames at 29.97, TC 01:00:00:00
    project = tmp_path / "head"
    cli.ok("init", project, "--title", "Head", "--fps", "29.97")
    cli.ok("-p", project, "picture", "import", clip, "--no-shots")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "01:00:00:00", "--end",
           "01:00:04:00", "--title", "Main Title")
    cli.ok("-p", project, "sync", "add", "1M1", "01:00:02:00", "--kind", "hard")
    # one bar of count-in at 120 BPM: 2 s (60 frames) before the reel's first frame
    cli.ok("-p", project, "tempo", "set", "1M1", "--tempo", "120", "--count-in", "1")
    out = tmp_path / "1M1.mp4"
    cli.ok("-p", project, "streamers", "1M1", "--out", out)
    info = probe(out)
    assert info.start_frame == parse_label("00:59:58:00", "29.97")
    assert info.duration_frames == 60 + 120 + 30  # count-in, cue, 1 s of handle to the end
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-f", "rawvideo",
                          "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(info.duration_frames, info.height,
                                                  info.width)
    band = frames[:, info.height // 3:info.height // 2, info.width // 2 + 60:]
    assert band[2:14].max() < 30  # count-in over black, right of the punch, left of a bar
    assert band[70:80].mean() > 40  # the picture from 01:00:00:00 on
