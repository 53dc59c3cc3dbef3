"""Click WAV: 24-bit PCM, bit-exact round trip, onsets on their exact samples after the file."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import soundfile

from filmscore.errors import InputError, ParseError
from filmscore.formats.click_wav import read_click_wav, write_click_wav
from filmscore.sync.click import click_events, click_window, render_click
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.timecode import parse_label


def wav_onsets(samples: np.ndarray, gap: int = 200) -> np.ndarray:
    idx = np.flatnonzero(np.abs(samples) > 1000)
    return idx[np.diff(idx, prepend=-(gap + 1)) > gap] if idx.size else idx


@pytest.mark.parametrize(("rate", "start", "free"), [("29.97df", "01:00:00;00", 60),
                                                     ("24", "00:59:58:00", 48)])
def test_wav_onsets_are_exact_samples(tmp_path, rate, start, free):
    tmap = TempoMap(rate, parse_label(start, rate) + 11, (
        Segment(2, Meter(4, 4), F(120)), Segment(1, Meter(3, 4), F(120)),
        Segment(2, Meter(4, 4), F(120), F(80)), Segment(1, free_frames=free),
        Segment(2, Meter(4, 4), F(96))), count_in_bars=1)
    events = click_events(tmap, subdivision=2)
    origin, length = click_window(tmap, events)
    path = write_click_wav(render_click(events, origin_seconds=origin, length_seconds=length,
                                        tmap=tmap), tmp_path / "1M1 click.wav")
    info = soundfile.info(str(path))
    assert (info.subtype, info.format, info.channels, info.samplerate) == (
        "PCM_24", "WAV", 1, 48000)
    samples, sample_rate = read_click_wav(path)
    found = wav_onsets(samples)
    expected = np.array([tmap.sample_at(e.seconds, sample_rate=sample_rate,
                                        origin_seconds=origin) for e in events])
    assert len(found) == len(expected)
    assert np.max(np.abs(found - expected)) <= 1
    # free time (bar 6): silent after the last click of bar 5 has rung out
    bars = {b.number: b for b in tmap.bars()}
    lo = tmap.sample_at(bars[6].seconds, sample_rate=48000, origin_seconds=origin) + 1440
    hi = tmap.sample_at(bars[7].seconds, sample_rate=48000, origin_seconds=origin)
    assert hi > lo and not samples[lo:hi].any()
    assert [p.name for p in tmp_path.iterdir()] == ["1M1 click.wav"]


def test_wav_round_trip_is_bit_exact(tmp_path):
    rng = np.random.default_rng(3)
    samples = rng.integers(-(2**23), 2**23, 4800, dtype=np.int32)
    samples[:2] = (-(2**23), 2**23 - 1)
    back, rate = read_click_wav(write_click_wav(samples, tmp_path / "n.wav", 96000))
    assert rate == 96000 and back.dtype == np.int32 and np.array_equal(back, samples)


def test_wav_refuses_bad_samples_and_files(tmp_path):
    with pytest.raises(InputError, match="24 bits"):
        write_click_wav(np.array([2**23], dtype=np.int32), tmp_path / "x.wav")
    with pytest.raises(InputError, match="mono"):
        write_click_wav(np.zeros((2, 2), dtype=np.int32), tmp_path / "x.wav")
    with pytest.raises(InputError, match="mono"):
        write_click_wav(np.zeros(4), tmp_path / "x.wav")
    assert not list(tmp_path.iterdir())
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF not really")
    with pytest.raises(ParseError, match="bad.wav"):
        read_click_wav(bad)
    with pytest.raises(InputError, match="cannot write"):
        write_click_wav(np.zeros(4, dtype=np.int32), tmp_path / "no" / "dir.wav")
