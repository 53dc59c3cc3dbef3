"""Mastering, pure (album.master): the true-peak limiter, gain to a target per track and
for the album, sample-rate conversion to 44.1 kHz, TPDF dither to 16 bits."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf

from filmscore.album.master import (
    TruePeakLimiter,
    analyse,
    gains,
    master_files,
    quantise,
    tpdf,
)
from filmscore.errors import InputError
from filmscore.mixing.meter import PeakMeter, measure_file

FS = 48000


def write(path, data, rate=FS):
    sf.write(str(path), data, rate, subtype="PCM_24")
    return path


def programme(seconds: float, seed: int, level: float = 0.1) -> np.ndarray:
    """Music-like stereo: a swelling chord, noise and hard transients (kicks on single
    samples 10 dB over the chord's crest, a quarter-rate burst whose samples miss their
    crests by 3 dB)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * FS)
    t = np.arange(n) / FS
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * 0.25 * t)
    chord = sum(np.sin(2 * np.pi * f * t) for f in (110.0, 164.8, 220.0, 277.2)) / 4
    data = level * (chord * swell)[:, None] + 0.3 * level * rng.standard_normal((n, 2))
    data[FS // 3::FS // 2] = 3 * level  # kicks on single samples
    k = np.arange(2000)
    at = min(FS, n - 2000)
    data[at:at + 2000, 0] = np.sin(np.pi / 2 * k + np.pi / 4) * 3 * level
    return data


def test_the_limiter_holds_a_hard_signal_under_the_ceiling_and_streams(tmp_path):
    data = programme(6, 1, level=0.5)  # kicks and a burst at +3.5 dBTP
    outs = []
    for block in (len(data), 4096, 1000):
        limiter = TruePeakLimiter(FS, 2, -1.0)
        pieces = [limiter.feed(data[at:at + block]) for at in range(0, len(data), block)]
        pieces.append(limiter.flush())
        out = np.concatenate(pieces)
        assert out.shape == data.shape
        peaks = PeakMeter(FS, 2)
        peaks.feed(out)
        assert peaks.true_peak_dbtp <= -1.0 + 0.001  # (the pipeline keeps a margin)
        assert limiter.reduction_db < -3.0  # it had work to do
        outs.append(out)
    assert np.allclose(outs[0], outs[1], atol=1e-12) and np.allclose(outs[0], outs[2],
                                                                         atol=1e-12)
    # quiet passages are untouched (no limiting far from the peaks), and the output is
    # not delayed
    quiet = slice(int(2.6 * FS), int(2.7 * FS))
    assert np.allclose(outs[0][quiet], data[quiet], atol=1e-12)


def test_track_mode_reaches_the_target_under_the_ceiling_at_44k1(tmp_path):
    src = [write(tmp_path / "a.wav", programme(8, 2)),
           write(tmp_path / "b.wav", programme(8, 3, level=0.02))]
    outs = [tmp_path / "a-cd.wav", tmp_path / "b-cd.wav"]
    results = master_files(src, outs, target_lufs=-12.0, ceiling_dbtp=-1.0,
                           sample_rate=44100, bits=16, mode="track")
    for r, out in zip(results, outs, strict=True):
        info = sf.info(str(out))
        assert (info.samplerate, info.subtype, info.frames) == (44100, "PCM_16", 8 * 44100)
        check = measure_file(out)
        assert check.loudness_lufs == pytest.approx(-12.0, abs=0.1)
        assert check.true_peak_dbtp <= -1.0
        assert r.loudness_lufs == pytest.approx(check.loudness_lufs, abs=1e-6)
        assert r.true_peak_dbtp == pytest.approx(check.true_peak_dbtp, abs=1e-6)
        assert r.limiter_db < 0  # the transients were limited...
    # ... and the gain raised by what the limiter took off (a second pass)
    assert results[0].passes >= 2
    assert results[1].gain_db > results[0].gain_db + 10


def test_the_44k1_length_is_exact(tmp_path):
    frames = 3 * FS + 13
    src = write(tmp_path / "odd.wav", programme(4, 4)[:frames])
    out = tmp_path / "odd-cd.wav"
    [result] = master_files([src], [out], target_lufs=-14, ceiling_dbtp=-1,
                            sample_rate=44100, bits=16)
    expected = (frames * 44100 * 2 + FS) // (2 * FS)  # round half up: 132312 (.9375)
    assert result.frames == sf.info(str(out)).frames == expected == 132312


def test_album_mode_keeps_the_relative_levels(tmp_path):
    n = 6 * FS
    t = np.arange(n) / FS
    loud = 0.1 * np.sin(2 * np.pi * 440 * t)[:, None].repeat(2, axis=1)
    src = [write(tmp_path / "loud.wav", loud), write(tmp_path / "soft.wav", loud / 4)]
    before = [analyse(s).measured.integrated_lufs for s in src]
    outs = [tmp_path / "loud-m.wav", tmp_path / "soft-m.wav"]
    results = master_files(src, outs, target_lufs=-16.0, ceiling_dbtp=-1.0,
                           sample_rate=48000, bits=24, mode="album")
    assert results[0].gain_db == results[1].gain_db
    assert all(r.limiter_db == 0.0 for r in results)
    after = [measure_file(o).loudness_lufs for o in outs]
    assert after[0] - after[1] == pytest.approx(before[0] - before[1], abs=0.001)
    # the album (both tracks' blocks gated together) is on the target
    assert max(after) > -16.0 > min(after)
    album = master_files(src, outs, target_lufs=-16.0, ceiling_dbtp=-1.0,
                         sample_rate=48000, bits=24, mode="track")
    assert [r.loudness_lufs for r in album] == pytest.approx([-16.0, -16.0], abs=0.1)


def test_gains_track_and_album():
    class A:
        def __init__(self, loud, powers):
            self.measured = type("M", (), {"integrated_lufs": loud})()
            self.block_powers = np.asarray(powers)

    p = 10 ** ((-20 + 0.691) / 10)
    tracks = [A(-20.0, [p] * 10), A(-math.inf, [])]
    assert gains(tracks, -14.0, "track") == [6.0, 0.0]
    assert gains(tracks, -14.0, "album") == pytest.approx([6.0, 6.0])
    with pytest.raises(InputError, match="mode"):
        gains(tracks, -14.0, "loud")


def test_dither_is_tpdf_and_24_bits_are_rounded():
    rng = np.random.default_rng(5)
    d = tpdf(400000, rng)
    assert d.min() > -1 and d.max() < 1
    hist, edges = np.histogram(d, bins=20, range=(-1, 1), density=True)
    centres = (edges[:-1] + edges[1:]) / 2
    assert np.allclose(hist, 1 - np.abs(centres), atol=0.02)  # the triangle
    lsb = 1 / 32768
    for offset in (0.0, 0.25, 0.5, 0.8):  # the error does not depend on the signal
        x = np.full(200000, (1000 + offset) * lsb)
        error = quantise(x, 16, rng).astype(float) - x / lsb
        assert np.abs(error).max() <= 1.5
        assert error.mean() == pytest.approx(0.0, abs=0.01)
        assert error.var() == pytest.approx(0.25, abs=0.01)  # 1/12 + 1/6 LSB^2
    x = rng.uniform(-0.9, 0.9, 10000)
    q24 = quantise(x, 24)
    assert q24.dtype == np.int32 and np.abs(q24 - x * 2**23).max() <= 0.5
    assert np.array_equal(q24, quantise(x, 24))  # no dither: the same every time
    assert quantise(np.array([1.5, -1.5]), 16).tolist() == [32767, -32768]  # clipped
    with pytest.raises(InputError, match="bit depth"):
        quantise(x, 8)


def test_rates_that_cannot_be_converted_are_refused(tmp_path):
    src = write(tmp_path / "low.wav", programme(1, 6), rate=22050)
    with pytest.raises(InputError, match="sample rate") as info:
        master_files([src], [tmp_path / "x.wav"], target_lufs=-14, ceiling_dbtp=-1,
                     sample_rate=44100, bits=16)
    assert "22050" in str(info.value) and "low.wav" in str(info.value)
    assert not (tmp_path / "x.wav").exists()


def test_a_target_out_of_reach_is_left_short_not_crushed(tmp_path):
    n = 4 * FS
    t = np.arange(n) / FS
    data = (0.05 * np.sin(2 * np.pi * 220 * t))[:, None].repeat(2, axis=1)
    data[::FS // 8] = 0.9  # spikes 25 dB over the tone, eight a second
    src = write(tmp_path / "spiky.wav", data)
    [r] = master_files([src], [tmp_path / "out.wav"], target_lufs=-8.0, ceiling_dbtp=-1.0,
                       sample_rate=48000, bits=24)
    assert r.limiter_db < -6.0 and r.loudness_lufs < -8.1
    assert r.passes < 4  # it stopped raising the gain once the limiter took 6 dB
    assert measure_file(tmp_path / "out.wav").true_peak_dbtp <= -1.0
