"""Delivery to the dub, read back with outside readers: wavinfo (bext, iXML track list),
ffprobe (channels, layout, rate, bits), OpenTimelineIO's AAF adapter, OTIO itself and
pycmx for the EDL; every clip found at its exact sample and frame, at 23.976 too."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
from fractions import Fraction
from pathlib import Path

import aaf2
import numpy as np
import opentimelineio as otio
import pycmx
import pytest
import wavinfo
from typer.testing import CliRunner

from delivery_helpers import add_cue, add_mix, project
from filmscore.cli import app
from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.formats.ixml import TRACK_FUNCTIONS, read_ixml
from filmscore.mixing import deliver as deliver_module
from filmscore.mixing.deliver import deliver, delivered_samples, file_name, measure
from filmscore.mixing.placing import place

#: 01:00:00:00 at 23.976 is 3603.6 s
HOUR = 172972800
assert HOUR == int(3603.6 * 48000)


def _probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"][0]


def _quiet(path):
    return (-23.0, -1.0)


@pytest.fixture
def film(tmp_path, db_url):
    """At 23.976: 1M1 at 01:00:00:00 (mixed, loudness measured), 1M2 segueing from it,
    and 1M1 used again at 01:05:00:00."""
    pctx = project(tmp_path / "p", fps="23.976", db=db_url)
    add_cue(pctx, "1M1", 86400, 86400 + 240, "Main Title")
    add_cue(pctx, "1M2", 86400 + 230, 86400 + 480, "Chase")
    mixes = {"1M1": add_mix(pctx, "1M1", 1, 480480, tmp=tmp_path, seed=1,
                            loudness=(-24.5, -2.5)),
             "1M2": add_mix(pctx, "1M2", 2, 300000, tmp=tmp_path, seed=2,
                            stems=("strings", "brass", "percussion"))}
    place(pctx, "1M2", head_trim_ms=100, usage="BI")
    place(pctx, "1M1", at="01:05:00:00", usage="VI")
    yield pctx, mixes
    pctx.close()


def test_every_file_read_back_by_outside_readers(film, tmp_path):
    pctx, mixes = film
    done = deliver(pctx, tmp_path / "dub", date="2027-05-01")
    folder = tmp_path / "dub"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        "1M1_v1_STR.wav", "1M1_v1_BR.wav", "1M1_v1_MIX.wav",
        "1M1_v1_STR_U2.wav", "1M1_v1_BR_U2.wav", "1M1_v1_MIX_U2.wav",
        "1M2_v2_STR.wav", "1M2_v2_BR.wav", "1M2_v2_PERC.wav", "1M2_v2_MIX.wav",
        "music.otio", "music.aaf", "music_MIX.edl", "music_MIX_B.edl",
        "delivery.csv", "delivery.pdf"])
    starts = {f.name: f.start_sample for f in done.files}
    # 1M1 at 01:00:00:00 exactly: 3603.6 s x 48000; 1M2's start after its head trim
    one_m2 = HOUR + (230 * 1001 * 48000 // 24000) + 4800
    assert starts["1M1_v1_MIX.wav"] == HOUR and starts["1M2_v2_MIX.wav"] == one_m2
    assert starts["1M1_v1_MIX_U2.wav"] == int(3903.9 * 48000)  # 01:05:00:00

    # wavinfo: bext and the iXML track list
    info = wavinfo.WavInfoReader(str(folder / "1M2_v2_PERC.wav"))
    assert info.bext.time_reference == one_m2
    assert info.bext.originator == "filmscore"
    assert info.bext.originator_ref == "1M2_v2_PERC"
    assert "1M2 Chase, percussion, mix v2, stereo" in info.bext.description
    assert (info.ixml.project, info.ixml.scene, info.ixml.take) == ("Fit Film", "1M2", "2")
    assert [(t.channel_index, t.interleave_index, t.name, t.function)
            for t in info.ixml.track_list] == [("1", "1", "PERC L", "LEFT"),
                                               ("2", "2", "PERC R", "RIGHT")]
    mix = wavinfo.WavInfoReader(str(folder / "1M1_v1_MIX.wav"))
    assert [t.function for t in mix.ixml.track_list] == ["L-MIX", "R-MIX"]
    assert mix.bext.time_reference == HOUR
    assert "<CIRCLED>TRUE</CIRCLED>" in mix.ixml.xml_str()

    # ffprobe: 48 kHz 24-bit, two channels (plain PCM: ffprobe names no layout for it)
    stream = _probe(folder / "1M1_v1_STR.wav")
    assert (stream["codec_name"], stream["sample_rate"], stream["channels"],
            stream["bits_per_sample"], stream["duration_ts"]) == (
        "pcm_s24le", "48000", 2, 24, 480480)

    # the samples: 1M1 use 1 unchanged up to the segue, then its equal-power fade-out
    a = mixes["1M1"]["mix"]
    got = delivered_samples(folder / "1M1_v1_MIX.wav")
    overlap = HOUR + 480480 - one_m2
    assert len(got) == 480480
    assert np.array_equal(got[:480480 - overlap], a[:480480 - overlap])
    k = np.arange(overlap)
    assert np.array_equal(got[480480 - overlap:], np.rint(
        a[480480 - overlap:] * np.cos(k / overlap * math.pi / 2)[:, None]))
    b = mixes["1M2"]["mix"]
    got_b = delivered_samples(folder / "1M2_v2_MIX.wav")
    assert np.array_equal(got_b[:overlap], np.rint(
        b[4800:4800 + overlap] * np.sin(k / overlap * math.pi / 2)[:, None]))
    assert np.array_equal(got_b[overlap:], b[4800 + overlap:])

    # OTIO: a track per stem and the mix, the segue on a second track, exact samples
    timeline = otio.adapters.read_from_file(str(folder / "music.otio"))
    tracks = {t.name: t for t in timeline.tracks}
    assert list(tracks) == ["STR", "STR B", "BR", "BR B", "PERC", "MIX", "MIX B"]
    found = {}
    for track in timeline.tracks:
        for clip in track.find_clips():
            found[clip.media_reference.target_url] = (
                track.name, clip.range_in_parent().start_time.value,
                clip.range_in_parent().duration.value, clip.range_in_parent().start_time.rate)
    assert found["1M1_v1_MIX.wav"] == ("MIX", HOUR, 480480, 48000)
    assert found["1M2_v2_MIX.wav"] == ("MIX B", one_m2, 295200, 48000)
    assert found["1M2_v2_PERC.wav"][:2] == ("PERC", one_m2)
    assert found["1M1_v1_MIX_U2.wav"][:2] == ("MIX", int(3903.9 * 48000))
    assert len(found) == 10

    # AAF, read back by OpenTimelineIO's AAF adapter: every clip at its sample
    aaf = otio.adapters.read_from_file(str(folder / "music.aaf"))
    clips = {}
    for track in aaf.tracks:
        for clip in track.find_clips():
            span = clip.range_in_parent()
            clips.setdefault(clip.name, []).append((span.start_time.value,
                                                    span.duration.value))
    assert sorted(clips) == sorted(n[:-4] for n in found)
    with aaf2.open(str(folder / "music.aaf")) as aaf_file:  # the tracks' names: pyaaf2
        [mob] = list(aaf_file.content.compositionmobs())
        assert [s.name for s in mob.slots if s.media_kind == "Sound"] == list(tracks)
    for name, (_track, start, length, _rate) in found.items():
        assert clips[name[:-4]] == [(start, length)], name

    # the EDLs: the mix track(s) at 23.976 frames
    edl = pycmx.parse_cmx3600(open(folder / "music_MIX.edl"))
    events = [(e.edits[0].clip_name, e.edits[0].record_in, e.edits[0].record_out,
               e.edits[0].channels.get_audio_channel(1)) for e in edl.events]
    assert events == [("1M1_v1_MIX", "01:00:00:00", "01:00:10:00", True),
                      ("1M1_v1_MIX_U2", "01:05:00:00", "01:05:10:00", True)], (
        folder / "music_MIX.edl").read_text()
    back = otio.adapters.read_from_file(str(folder / "music_MIX_B.edl"),
                                        rate=24000 / 1001)
    in_frame = 86400 + 230 + 2  # 100 ms = 2.4 frames: the frame the first sample is in
    assert [t.kind for t in back.tracks] == ["Audio", "Audio"]  # AA: audio 1 and 2
    assert {(c.name, c.source_range.start_time.to_frames()) for c in back.find_clips()} == {
        ("1M2_v2_MIX", in_frame)}

    # the report: every file, its channels, length and loudness
    rows = list(csv.DictReader(open(folder / "delivery.csv", encoding="utf-8-sig")))
    assert len(rows) == 10
    row = next(r for r in rows if r["file"] == "1M1_v1_MIX.wav")
    assert (row["channels"], row["start_timecode"], row["start_sample"],
            row["length_samples"]) == ("2", "01:00:00:00", str(HOUR), "480480")
    assert row["length_timecode"] == "00:00:10:00"
    assert row["measured_by"] == "filmscore BS.1770-4"  # the segue changed it: measured
    perc = next(r for r in rows if r["file"] == "1M2_v2_PERC.wav")
    assert perc["loudness_lufs"] and float(perc["true_peak_dbtp"]) < 0
    again = next(r for r in rows if r["file"] == "1M1_v1_MIX_U2.wav")
    assert (again["loudness_lufs"], again["true_peak_dbtp"], again["measured_by"]) == (
        "-24.5", "-2.5", "mix v1")  # the whole mix unchanged: the mix's own values
    assert done.reports == ("delivery.csv", "delivery.pdf")


def test_measure_agrees_with_ffmpeg_and_a_sine(tmp_path):
    from filmscore.formats.bwf import BwfWriter

    t = np.arange(48000 * 3)
    tone = np.rint(np.sin(2 * np.pi * 997 * t / 48000) * 0.1 * 2**23).astype(np.int32)
    with BwfWriter(tmp_path / "tone.wav", 48000, 2) as out:
        out.write(np.stack([tone, tone], axis=1))
    lufs, peak = measure(tmp_path / "tone.wav")
    # EBU Tech 3341 case 1: a 997 Hz sine at X dBFS in both channels reads X LUFS
    assert lufs == pytest.approx(-20, abs=0.1)
    assert peak == pytest.approx(-20, abs=0.3)


def test_five_one_at_24_fps(tmp_path):
    pctx = project(tmp_path / "p", fps="24")
    add_cue(pctx, "2M1", 86400 * 2, 86400 * 2 + 48, "Storm")
    add_mix(pctx, "2M1", 3, 96000, layout="5.1", tmp=tmp_path, stems=("choir",))
    done = deliver(pctx, tmp_path / "dub", measure_with=_quiet)
    pctx.close()
    path = tmp_path / "dub" / file_name("2M1", 3, "choir")
    assert path.name == "2M1_v3_CHOIR.wav"
    stream = _probe(path)
    assert (stream["channels"], stream["channel_layout"], stream["bits_per_sample"]) == (
        6, "5.1", 24)
    info = wavinfo.WavInfoReader(str(path))
    assert info.bext.time_reference == 7200 * 48000
    assert [(t.name, t.function) for t in info.ixml.track_list] == [
        ("CHOIR L", "L-5.1"), ("CHOIR R", "R-5.1"), ("CHOIR C", "C-5.1"),
        ("CHOIR LFE", "LFE-5.1"), ("CHOIR Ls", "Ls-5.1"), ("CHOIR Rs", "Rs-5.1")]
    assert done.layout == "5.1" and len(done.files) == 2
    ours = read_ixml(path)  # our own reader gives the functions back too
    assert (ours.scene, ours.take, ours.circled, ours.functions) == (
        "2M1", "3", True, TRACK_FUNCTIONS[("track", "5.1")])


def test_bad_deliveries_are_refused_and_nothing_is_half_written(tmp_path, monkeypatch):
    pctx = project(tmp_path / "p", fps="24")
    add_cue(pctx, "1M1", 86400, 86640)
    add_cue(pctx, "1M2", 87000, 87240)
    out = tmp_path / "dub"
    with pytest.raises(ValidationError, match="no cue is mixed yet.*1M1, 1M2"):
        deliver(pctx, out)
    add_mix(pctx, "1M1", 1, 48000, tmp=tmp_path)
    with pytest.raises(ValidationError, match=r"no mix yet of 1M2.*--cues 1M1"):
        deliver(pctx, out)
    with pytest.raises(NotFoundError, match="no cue 1M9"):
        deliver(pctx, out, cues=["1M9"])
    add_mix(pctx, "1M2", 1, 48000, layout="5.1", tmp=tmp_path)
    with pytest.raises(ValidationError, match=r"stereo: 1M1; 5.1: 1M2"):
        deliver(pctx, out)
    assert not out.exists()
    first = deliver(pctx, out, cues=["1M1"], measure_with=_quiet)
    assert [f.cue for f in first.files] == ["1M1"] * 3
    before = sorted(p.name for p in out.iterdir())

    def broken(path):  # the measurement of the second file fails
        broken.calls += 1
        if broken.calls == 2:
            raise OSError("disk full")
        return _quiet(path)

    broken.calls = 0
    with pytest.raises(OSError, match="disk full"):
        deliver(pctx, out, cues=["1M1"], measure_with=broken)
    assert sorted(p.name for p in out.iterdir()) == before  # the last delivery, whole
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("x")
    with pytest.raises(ConflictError, match="holds other files"):
        deliver(pctx, other, cues=["1M1"], measure_with=_quiet)
    assert sorted(p.name for p in other.iterdir()) == ["mine.txt"]
    monkeypatch.setattr(deliver_module, "measure", _quiet)
    pctx.close()


def test_the_cli_places_shows_renders_and_delivers(tmp_path, monkeypatch):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    pctx = project(tmp_path / "p", fps="24")
    add_cue(pctx, "1M1", 86400, 86640, "Main Title")
    add_mix(pctx, "1M1", 1, 480000, tmp=tmp_path)
    pctx.close()
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.setattr(deliver_module, "measure", _quiet)
    runner = CliRunner()

    def ok(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return result.stdout

    line = ok("place", "1M1", "--head-trim", "500", "--fade-out", "250", "--usage", "MT")
    assert line.strip() == ("1M1 MT: 01:00:00:12 to 01:00:10:00 (samples 172824000-"
                            "173280000), mix v1, trims 500/0 ms, fades 0/250 ms")
    shown = ok("timeline", "--render", str(tmp_path / "render"), "--fades", "linear")
    assert "1M1" in shown and "172824000" in shown and "music_MIX.wav" in shown
    assert (tmp_path / "render" / "music_STR.wav").is_file()
    said = ok("deliver", "--out", str(tmp_path / "dub"), "--cues", "1M1")
    assert "Delivered 3 files of 1 cues (stereo)" in said
    assert (tmp_path / "dub" / "1M1_v1_MIX.wav").is_file()
    bad = runner.invoke(app, ["place", "1M1", "--head-trim", "20000"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    assert "trims leave no music" in bad.stderr
    bad = runner.invoke(app, ["timeline", "--render", str(tmp_path / "r"), "--fades", "s"])
    assert bad.exit_code == 2 and "unknown fade shape" in bad.stderr


@pytest.mark.parametrize(("fps", "frame", "label"), [("29.97", 108000, "01:00:00:00"),
                                                     ("29.97df", 107892, "01:00:00;00")])
def test_the_edl_says_the_project_s_own_timecode(tmp_path, fps, frame, label):
    pctx = project(tmp_path / "p", fps=fps)
    add_cue(pctx, "1M1", frame, frame + 60)
    add_mix(pctx, "1M1", 1, 96096, tmp=tmp_path)
    done = deliver(pctx, tmp_path / "dub", measure_with=_quiet)
    pctx.close()
    text = (tmp_path / "dub" / "music_MIX.edl").read_text()
    assert ("FCM: DROP FRAME" if fps.endswith("df") else "FCM: NON-DROP FRAME") in text
    [event] = pycmx.parse_cmx3600(io.StringIO(text)).events
    assert (event.edits[0].record_in, event.edits[0].source_in) == (label, label)
    start = (Fraction(frame * 1001, 30000) * 48000 + Fraction(1, 2)).__floor__()
    assert done.files[0].start_sample == start
    info = wavinfo.WavInfoReader(str(tmp_path / "dub" / "1M1_v1_MIX.wav"))
    assert info.bext.time_reference == start
