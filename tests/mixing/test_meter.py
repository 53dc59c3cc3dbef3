"""The streaming loudness and true-peak meter against ffmpeg's ``ebur128=peak=true`` and
pyloudnorm on real audio (the Big Buck Bunny soundtrack, stereo and made into 5.1), the
EBU Tech 3341 sine case, an intersample peak, and block sizes that must not matter."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from filmscore.errors import InputError
from filmscore.formats.bwf import BwfWriter
from filmscore.mixing.meter import LoudnessMeter, Meter, PeakMeter, measure_file

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
SR = 48000


def ffmpeg_ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's ebur128 filter, read to three
    decimals from the metadata it attaches (the summary prints one)."""
    out = subprocess.run(
        ["ffmpeg", "-nostats", "-v", "error", "-i", str(path), "-af",
         "ebur128=peak=true:metadata=1,ametadata=print:file=-", "-f", "null", "-"],
        check=True, capture_output=True, text=True).stdout
    loud = [float(line.split("=", 1)[1]) for line in out.splitlines()
            if line.startswith("lavfi.r128.I=")]
    peak = [float(line.split("=", 1)[1]) for line in out.splitlines()
            if line.startswith("lavfi.r128.true_peak=")]
    return loud[-1], 20 * math.log10(max(peak))


@pytest.fixture(scope="module")
def bbb(tmp_path_factory) -> Path:
    """The soundtrack decoded and resampled to 48 kHz 24-bit by ffmpeg."""
    out = tmp_path_factory.mktemp("bbb") / "bbb.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(DATA / "big_buck_bunny_0_12.ogg"),
                    "-ar", str(SR), "-c:a", "pcm_s24le", str(out)], check=True)
    return out


@pytest.fixture(scope="module")
def bbb51(bbb, tmp_path_factory) -> Path:
    """A 5.1 file (L R C LFE Ls Rs, WAVE_FORMAT_EXTENSIBLE) from the soundtrack: the
    front pair, a centre, a loud LFE that must not count, surrounds delayed 15 ms."""
    data, _ = sf.read(bbb, dtype="float64")
    left, right = data[:, 0], data[:, 1]
    delay = np.zeros(720)
    six = np.stack([left * 0.8, right * 0.8, (left + right) * 0.3, (left + right) * 0.45,
                    np.concatenate([delay, right[:-720]]) * 0.5,
                    np.concatenate([delay, left[:-720]]) * 0.5], axis=1)
    out = tmp_path_factory.mktemp("bbb51") / "bbb51.wav"
    with BwfWriter(out, SR, 6) as w:
        w.write(np.rint(six * 2**23).astype(np.int32))
    return out


def test_stereo_matches_ffmpeg_and_pyloudnorm(bbb):
    ours = measure_file(bbb)
    loud, peak = ffmpeg_ebur128(bbb)
    assert abs(ours.loudness_lufs - loud) <= 0.1
    assert abs(ours.true_peak_dbtp - peak) <= 0.3
    data, _ = sf.read(bbb)
    assert abs(ours.loudness_lufs - pyloudnorm.Meter(SR).integrated_loudness(data)) <= 0.1
    assert ours.sample_peak_dbfs == pytest.approx(20 * math.log10(np.abs(data).max()))
    assert ours.true_peak_dbtp >= ours.sample_peak_dbfs
    assert ours.frames == len(data)


def test_five_one_weights_surrounds_and_leaves_out_the_lfe(bbb51):
    ours = measure_file(bbb51)
    loud, peak = ffmpeg_ebur128(bbb51)
    assert abs(ours.loudness_lufs - loud) <= 0.1
    assert abs(ours.true_peak_dbtp - peak) <= 0.3
    data, _ = sf.read(bbb51)
    # pyloudnorm's five-channel weights are L R C Ls Rs: the same file without its LFE
    no_lfe = np.delete(data, 3, axis=1)
    assert abs(ours.loudness_lufs - pyloudnorm.Meter(SR).integrated_loudness(no_lfe)) <= 0.1
    # the LFE does not count: silencing it changes nothing
    meter = LoudnessMeter(SR, 6)
    meter.feed(np.concatenate([data[:, :3], np.zeros((len(data), 1)), data[:, 4:]], axis=1))
    assert meter.integrated() == pytest.approx(ours.loudness_lufs, abs=1e-9)


def test_block_size_does_not_matter(bbb):
    data, _ = sf.read(bbb)
    results = []
    for size in (997, 4800, 65536, len(data)):
        meter = Meter(SR, 2)
        for at in range(0, len(data), size):
            meter.feed(data[at:at + size])
        results.append(meter.result())
    for r in results[1:]:
        assert r.loudness_lufs == pytest.approx(results[0].loudness_lufs, abs=1e-9)
        assert r.true_peak_dbtp == pytest.approx(results[0].true_peak_dbtp, abs=1e-9)


def test_ebu_3341_case_1_and_an_intersample_peak():
    t = np.arange(20 * SR) / SR
    tone = 10 ** (-23 / 20) * np.sin(2 * np.pi * 1000 * t)
    meter = LoudnessMeter(SR, 2)
    meter.feed(np.stack([tone, tone], axis=1))
    assert meter.integrated() == pytest.approx(-23.0, abs=0.1)  # EBU Tech 3341 case 1
    # a quarter-rate sine sampled 45 degrees off its crests: every sample at 0.707 of
    # the true peak (-3 dB), which 4x oversampling finds
    # (faded in and out over 20 ms: a sine switched on at full level is not band-limited,
    # and its true peak at the switch is higher, Gibbs's overshoot)
    n = np.arange(SR)
    fade = np.clip(np.minimum(n, SR - 1 - n) / (0.02 * SR), 0, 1)
    wave = 0.5 * np.sin(np.pi / 2 * n + np.pi / 4) * (0.5 - 0.5 * np.cos(np.pi * fade))
    peaks = PeakMeter(SR, 1)
    for at in range(0, len(wave), 1000):
        peaks.feed(wave[at:at + 1000, None])
    assert peaks.sample_peak_dbfs == pytest.approx(20 * math.log10(0.5 * math.sqrt(0.5)),
                                                   abs=1e-6)
    assert peaks.true_peak_dbtp == pytest.approx(20 * math.log10(0.5), abs=0.01)


def test_silence_and_short_input_have_no_loudness_and_bad_shapes_are_refused():
    meter = Meter(SR, 2)
    meter.feed(np.zeros((SR, 2)))
    assert meter.result().loudness_lufs == -math.inf
    assert meter.result().true_peak_dbtp == -math.inf
    short = LoudnessMeter(SR, 2)
    short.feed(np.full((SR // 4, 2), 0.5))
    assert short.blocks == 0 and short.integrated() == -math.inf
    with pytest.raises(InputError, match="channel"):
        meter.feed(np.zeros((10, 3)))
    with pytest.raises(InputError, match="weights"):
        LoudnessMeter(SR, 4)


def test_the_true_peak_shortcut_is_exact(bbb):
    """The meter interpolates only around loud samples; the answer must be what
    oversampling every sample gives (scipy's upfirdn with the same filter)."""
    from scipy import signal

    from filmscore.mixing.meter import _interpolator

    factor, phases = _interpolator(SR)
    h = phases.T.reshape(-1)
    music, _ = sf.read(bbb)
    noise = np.random.default_rng(3).standard_normal((3 * SR, 2)) * 0.2
    for data in (music, noise, music * np.linspace(0, 1, len(music))[:, None]):
        full = np.abs(signal.upfirdn(h, data, up=factor, axis=0)).max()
        meter = PeakMeter(SR, 2)
        for at in range(0, len(data), 10000):
            meter.feed(data[at:at + 10000])
        assert meter.true_peak == pytest.approx(max(full, np.abs(data).max()), rel=1e-12)
