"""Broadcast WAV: the bext time reference where the file belongs, read back by ffprobe,
wavinfo and soundfile; the samples bit for bit; click files of a cue stamped at its first
click, count-in included."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction as F

import numpy as np
import pytest
import soundfile
import wavinfo

from filmscore.errors import InputError
from filmscore.formats.bwf import Bext, read_bext, time_reference, write_bwf
from filmscore.formats.click_wav import write_click_wav
from filmscore.sync.click import click_events, click_window, render_click
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import frame_to_seconds, parse_label


def ffprobe_tags(path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                          "format_tags:stream=codec_name,channels,sample_rate", "-of", "json",
                          str(path)], check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    return {**data["format"].get("tags", {}), **data["streams"][0]}


@pytest.mark.parametrize("channels", [1, 2])
def test_bwf_round_trip_and_readers_agree(tmp_path, channels):
    rng = np.random.default_rng(9)
    samples = rng.integers(-2**23, 2**23, size=(4801, channels), dtype=np.int32)
    samples[0] = -2**23  # the extremes survive
    samples[1] = 2**23 - 1
    one_hour = time_reference(frame_to_seconds(parse_label("01:00:00:00", "24"), "24"),
                              48000)
    assert one_hour == 3600 * 48000
    path = write_bwf(tmp_path / "x.wav", samples if channels == 2 else samples[:, 0], 48000,
                     bext=Bext(time_reference=one_hour, description="1M1 mix",
                               origination_date="2025-01-31", origination_time="10:00:00",
                               coding_history="A=PCM,F=48000,W=24"))
    data, rate = soundfile.read(str(path), dtype="int32", always_2d=True)
    assert rate == 48000 and np.array_equal(data >> 8, samples)
    assert soundfile.info(str(path)).subtype == "PCM_24"
    bext = read_bext(path)
    assert (bext.time_reference, bext.description, bext.origination_date) == (
        one_hour, "1M1 mix", "2025-01-31")
    assert bext.coding_history == "A=PCM,F=48000,W=24\r\n"
    tags = ffprobe_tags(path)
    assert tags["time_reference"] == str(one_hour) and tags["codec_name"] == "pcm_s24le"
    assert tags["channels"] == channels and tags["comment"] == "1M1 mix"
    info = wavinfo.WavInfoReader(str(path))
    assert info.bext.time_reference == one_hour and info.fmt.bits_per_sample == 24
    assert info.fmt.channel_count == channels and info.data.frame_count == 4801


def test_time_reference_at_ntsc_rates_is_real_time():
    # 01:00:00:00 at 23.976 is 86,400 frames of 1001/24000 s: 3603.6 s of real time
    assert time_reference(frame_to_seconds(86400, "23.976"), 48000) == 172_972_800
    assert time_reference(F(-1, 48000), 48000) == 86400 * 48000 - 1  # before midnight


def test_bad_samples_are_refused_and_nothing_written(tmp_path):
    with pytest.raises(InputError, match="24 bits"):
        write_bwf(tmp_path / "x.wav", np.array([2**23], dtype=np.int32), 48000)
    with pytest.raises(InputError, match="integers"):
        write_bwf(tmp_path / "x.wav", np.zeros(4, dtype=np.float32), 48000)
    with pytest.raises(InputError, match="time reference"):
        Bext(time_reference=-1)
    assert not list(tmp_path.iterdir())


def test_a_click_file_is_stamped_at_its_first_click_count_in_included(tmp_path):
    # bar 1 at 01:00:00:00, one bar of count-in at 120 BPM: the file starts 2 s earlier
    tmap = TempoMap.constant("24", parse_label("01:00:00:00", "24"), F(120), 4,
                             count_in_bars=1)
    events = click_events(tmap)
    origin, length = click_window(tmap, events)
    assert origin == -2
    stamp = time_reference(tmap.absolute_seconds(origin), 48000)
    path = write_click_wav(render_click(events, origin_seconds=origin, length_seconds=length,
                                        tmap=tmap), tmp_path / "1M1.wav", 48000,
                           time_reference=stamp, description="1M1 click")
    assert stamp == (3600 - 2) * 48000  # 00:59:58:00
    assert ffprobe_tags(path)["time_reference"] == str(stamp)
    samples, _ = soundfile.read(str(path), dtype="int32")
    assert samples[0] != 0  # the first count-in click is the file's first sample


def test_mockup_stems_and_mix_are_stamped_at_the_first_click(tmp_path):
    from filmscore.writing.mockup import render_mockup
    from filmscore.writing.music import Music, Note, Part

    tmap = TempoMap.constant("24", parse_label("01:00:10:00", "24"), F(100), 2,
                             count_in_bars=1)  # the count-in starts 2.4 s before bar 1
    music = Music((Part("Horn", tuple(Note(4 * k, 4, p, 100) for k, p in
                                      enumerate([48, 53]))),))
    result = render_mockup(music, tmp_path, tempo_map=tmap, soundfont="draft",
                           mix_click_db=-12, name="1M1")
    stamp = (3600 + 10) * 48000 - int(F(24, 10) * 48000)
    for path in (result.mix, result.music_stem, result.click_stem):
        assert read_bext(path).time_reference == stamp, path.name
        assert ffprobe_tags(path)["time_reference"] == str(stamp)
