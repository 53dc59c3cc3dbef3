"""The pure mixer: stems in the mix's layout that add up to the mix exactly (read back
with soundfile), the pan law, the 5.1 placement and its LFE, the true-peak ceiling
(checked with ffmpeg too), offsets, and bad input leaving nothing behind."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from filmscore.errors import InputError
from filmscore.formats import bwf
from filmscore.mixing.meter import measure_file
from filmscore.mixing.mix import (
    LFE_CUTOFF_HZ,
    Source,
    StemSetting,
    mix_stems,
    pan_law,
    routing_matrix,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "audio"
SR = 48000


def ints(path: Path) -> np.ndarray:
    """A 24-bit file's samples as the integers written (soundfile left-aligns them)."""
    data, rate = sf.read(path, dtype="int32", always_2d=True)
    assert rate == SR and sf.info(path).subtype == "PCM_24"
    return data >> 8


@pytest.fixture(scope="module")
def material(tmp_path_factory) -> dict[str, Path]:
    """Stems cut from real audio (the Big Buck Bunny soundtrack at 48 kHz): strings mono
    (10 s), brass stereo (12 s), percussion mono, a 6-channel choir."""
    folder = tmp_path_factory.mktemp("stems")
    wav = folder / "bbb.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(DATA / "big_buck_bunny_0_12.ogg"),
                    "-ar", str(SR), "-c:a", "pcm_s24le", str(wav)], check=True)
    data, _ = sf.read(wav)
    out = {}
    for name, samples in (("strings", data[:10 * SR, 0]), ("brass", data),
                          ("percussion", data[:, 1] * 1.5),
                          ("choir6", np.repeat(data[:, :1], 6, axis=1) * 0.3)):
        out[name] = folder / f"{name}.wav"
        sf.write(out[name], samples, SR, subtype="PCM_24")
    return out


def test_stereo_stems_add_up_to_the_mix_exactly(material, tmp_path):
    sources = {s: [Source(material[s])] for s in ("strings", "brass", "percussion")}
    result = mix_stems(sources, tmp_path, layout="stereo", sample_rate=SR, settings={
        "strings": {"gain_db": -3, "pan": -0.5}, "brass": {"gain_db": 1.5, "pan": 0.3}})
    assert [f.stem for f in result.files] == ["strings", "brass", "percussion", "mix"]
    stems = [ints(f.path) for f in result.stems]
    mix = ints(result.mix.path)
    assert all(s.shape == mix.shape == (12 * SR + 715, 2) for s in stems)  # padded to one length
    assert np.array_equal(sum(s.astype(np.int64) for s in stems), mix)  # exactly, not within 1
    assert not stems[0][10 * SR:].any()  # the shorter stem padded with silence
    assert result.settings["percussion"] == {"gain_db": 0.0, "pan": 0.0}
    assert result.master_gain_db <= 0
    # what was reported is what the meter reads in the files as written
    for f in result.files:
        again = measure_file(f.path)
        assert f.loudness_lufs == pytest.approx(again.loudness_lufs, abs=1e-6)
        assert f.true_peak_dbtp == pytest.approx(again.true_peak_dbtp, abs=1e-4)
        assert f.sample_peak_dbfs == again.sample_peak_dbfs
    assert result.mix.true_peak_dbtp <= -1.0
    (tmp_path / "quick").mkdir()
    quick = mix_stems(sources, tmp_path / "quick", sample_rate=SR, measure_stems=False)
    assert math.isnan(quick.stems[0].loudness_lufs) and math.isnan(quick.stems[0].true_peak_dbtp)
    assert quick.mix.true_peak_dbtp <= -1.0 and not math.isnan(quick.mix.loudness_lufs)


def test_five_one_stems_are_six_channels_and_only_percussion_feeds_the_lfe(material, tmp_path):
    sources = {"strings": [Source(material["strings"])], "brass": [Source(material["brass"])],
               "percussion": [Source(material["percussion"])],
               "choir": [Source(material["choir6"])]}
    result = mix_stems(sources, tmp_path, layout="5.1", sample_rate=SR,
                       settings={"choir": {"gain_db": -6}})
    stems = {f.stem: ints(f.path) for f in result.stems}
    mix = ints(result.mix.path)
    assert mix.shape[1] == 6 and all(s.shape == mix.shape for s in stems.values())
    assert np.array_equal(sum(s.astype(np.int64) for s in stems.values()), mix)
    for stem in ("strings", "brass"):
        assert not stems[stem][:, 3].any(), stem  # LFE silent
    lfe = stems["percussion"][:, 3].astype(np.float64)
    assert np.abs(lfe).max() > 1000
    spectrum = np.abs(np.fft.rfft(lfe)) ** 2
    freqs = np.fft.rfftfreq(len(lfe), 1 / SR)
    assert spectrum[freqs > 4 * LFE_CUTOFF_HZ].sum() < 1e-3 * spectrum.sum()  # low end only
    assert stems["strings"][:, 2].any() and stems["strings"][:, 4].any()  # centre, room
    # the 6-channel choir passed through channel for channel at its gain
    choir_in = ints(material["choir6"])
    gain = 10 ** ((-6 + result.master_gain_db) / 20)
    assert np.abs(stems["choir"] - np.rint(choir_in * gain)).max() <= 1
    for f in result.files:  # WAVE_FORMAT_EXTENSIBLE with the 5.1 mask, read by ffprobe
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                                "stream=channels,channel_layout", "-of", "csv=p=0",
                                str(f.path)], capture_output=True, text=True, check=True)
        assert probe.stdout.strip() == "6,5.1"


def test_the_ceiling_lowers_the_master_gain(material, tmp_path):
    sources = {s: [Source(material[s])] for s in ("brass", "percussion")}
    loud = mix_stems(sources, tmp_path, sample_rate=SR, ceiling_dbtp=-2.0,
                     settings={"brass": {"gain_db": 12}, "percussion": {"gain_db": 12}})
    assert loud.master_gain_db < -5
    assert loud.mix.true_peak_dbtp <= -2.0
    assert loud.mix.true_peak_dbtp == pytest.approx(-2.0, abs=0.01)  # lowered just enough
    # ffmpeg's true-peak meter agrees within its tolerance
    out = subprocess.run(["ffmpeg", "-nostats", "-i", str(loud.mix.path), "-af",
                          "ebur128=peak=true", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    peak = float(out.split("True peak:")[1].split("Peak:")[1].split()[0])
    assert peak <= -2.0 + 0.3
    for f in loud.stems:
        assert f.sample_peak_dbfs <= -2.0
    (tmp_path / "q").mkdir()
    quiet = mix_stems({"strings": [Source(material["strings"])]}, tmp_path / "q",
                      sample_rate=SR)
    assert quiet.master_gain_db == 0.0  # never raised


def test_pan_law_and_routing():
    assert pan_law(0) == pytest.approx((math.sqrt(0.5), math.sqrt(0.5)))  # -3 dB centre
    assert pan_law(-1) == pytest.approx((1, 0)) and pan_law(1) == pytest.approx((0, 1))
    for x in np.linspace(-1, 1, 21):
        left, right = pan_law(x)
        assert left**2 + right**2 == pytest.approx(1)
    assert np.allclose(routing_matrix("brass", 2, "stereo", StemSetting()), np.eye(2))
    panned = routing_matrix("brass", 2, "stereo", StemSetting(pan=1))
    assert np.allclose(panned, [[math.sqrt(0.5), math.sqrt(0.5)], [0, 1]])
    six = routing_matrix("strings", 1, "5.1", StemSetting(gain_db=-6))
    assert np.sum(six**2) == pytest.approx(10 ** (-6 / 10))  # as loud as in stereo
    assert six[0, 3] == 0 and six[0, 0] == pytest.approx(six[0, 1])
    assert np.allclose(routing_matrix("choir", 6, "5.1", StemSetting()), np.eye(6))


def test_offsets_place_a_source_in_the_mix(material, tmp_path):
    sources = {"strings": [Source(material["strings"], 4800)],
               "brass": [Source(material["brass"], -48000)]}
    result = mix_stems(sources, tmp_path, sample_rate=SR)
    strings, brass = ints(result.stems[0].path), ints(result.stems[1].path)
    assert result.frames == 12 * SR + 715 - 48000  # the later of the two ends
    assert not strings[:4800].any() and strings[4800:4900].any()
    original = ints(material["brass"])
    gain = 10 ** (result.master_gain_db / 20)
    assert np.abs(brass[:1000] - np.rint(original[48000:49000] * gain)).max() <= 1


def test_bad_input_is_refused_and_nothing_is_half_written(material, tmp_path, monkeypatch):
    quad = tmp_path / "quad.wav"
    sf.write(quad, np.zeros((SR, 4)), SR, subtype="PCM_24")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError, match=r"quad\.wav.*channel count.*4 channels.*1 \(mono\)"):
        mix_stems({"brass": [Source(quad)]}, out, sample_rate=SR)
    with pytest.raises(InputError, match="6 channels.*stereo"):
        mix_stems({"choir": [Source(material["choir6"])]}, out, layout="stereo",
                  sample_rate=SR)
    slow = tmp_path / "slow.wav"
    sf.write(slow, np.zeros((4410, 1)), 44100, subtype="PCM_24")
    with pytest.raises(InputError, match=r"slow\.wav.*44100 Hz.*48000 Hz"):
        mix_stems({"brass": [Source(slow)]}, out, sample_rate=SR)
    with pytest.raises(InputError, match="pan of stem brass.*-1"):
        mix_stems({"brass": [Source(material["brass"])]}, out, sample_rate=SR,
                  settings={"brass": {"pan": 2}})
    with pytest.raises(InputError, match="not in the mix.*choir.*valid: brass"):
        mix_stems({"brass": [Source(material["brass"])]}, out, sample_rate=SR,
                  settings={"choir": {"gain_db": 1}})
    with pytest.raises(InputError, match="a stem has no file.*brass"):
        mix_stems({"brass": []}, out, sample_rate=SR)
    with pytest.raises(InputError, match="layout.*quad.*stereo, 5.1"):
        mix_stems({"brass": [Source(material["brass"])]}, out, layout="quad")
    calls = []
    real = bwf.BwfWriter.write

    def failing(self, block):
        calls.append(1)
        if len(calls) == 9:
            raise OSError("disk full")
        real(self, block)

    monkeypatch.setattr(bwf.BwfWriter, "write", failing)
    with pytest.raises(OSError, match="disk full"):
        mix_stems({s: [Source(material[s])] for s in ("strings", "brass")}, out,
                  sample_rate=SR, block_frames=SR)
    assert list(out.iterdir()) == []
