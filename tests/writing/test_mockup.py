"""Mockups: FluidSynth render of a generated cue, click stem on the tempo map's exact
samples, loudness of the review mix, bounded length; loudness meter vs EBU Tech 3341."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import soundfile

from filmscore.errors import InputError, ToolError
from filmscore.formats.click_wav import read_click_wav
from filmscore.sync.click import click_events
from filmscore.sync.tempomap import TempoMap
from filmscore.writing import loudness
from filmscore.writing.mockup import (
    MockupJob,
    assign_programs,
    render_many,
    render_mockup,
)
from filmscore.writing.music import Mark, Music, Note, Part

RATE = 48000
TEMPO = F(100)  # 0.6 s a beat
TMAP = TempoMap.constant("24", 86400, TEMPO, 4, count_in_bars=1)


def _cue() -> Music:
    """Four bars: a string line in half notes, a horn in whole notes (programs unset)."""
    strings = Part("Strings", tuple(Note(2 * k, 2, p, 90) for k, p in
                                    enumerate([60, 62, 64, 65, 67, 65, 64, 62])))
    horn = Part("Horn", tuple(Note(4 * k, 4, p, 100) for k, p in enumerate([48, 53, 55, 48])))
    return Music((strings, horn))


def _rms(samples: np.ndarray, start_s: float, end_s: float) -> float:
    seg = samples[int(start_s * RATE):int(end_s * RATE)]
    return float(np.sqrt(np.mean(seg.astype(np.float64) ** 2)))


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft")
    return render_mockup(_cue(), out, tempo_map=TMAP, soundfont="draft",
                         instrumentation="strings, horn", name="1M1")


def test_mockup_draft_mix_is_at_the_target_loudness_and_under_the_ceiling(draft):
    mix, rate = soundfile.read(draft.mix)
    assert rate == RATE and mix.shape[1] == 2
    assert soundfile.info(str(draft.mix)).subtype == "PCM_24"
    assert abs(loudness.integrated_lufs(mix, RATE) + 23.0) < 0.5
    assert abs(draft.loudness_lufs + 23.0) < 0.5 and not draft.peak_limited
    assert draft.peak_dbfs <= -1.0 + 1e-6
    assert {p.name for p in draft.files} == {"1M1.mid", "1M1_click.wav", "1M1_music.wav",
                                             "1M1_mix.wav"}


def test_mockup_music_stem_sounds_where_notes_are_and_decays_after_the_end(draft):
    music, _ = soundfile.read(draft.music_stem)
    origin = -float(draft.origin_seconds)  # bar 1 is this far into the file (2.4 s)
    assert origin == pytest.approx(2.4)
    end = origin + 16 * 0.6  # the last note ends with bar 4
    assert _rms(music, 0.0, origin - 0.05) < 1e-4  # count-in: no music
    for bar in range(4):
        assert _rms(music, origin + bar * 2.4 + 0.1, origin + bar * 2.4 + 2.2) > 0.01
    during = _rms(music, end - 1.0, end)
    assert _rms(music, end + 1.0, end + 1.5) < 0.1 * during  # release and reverb decay
    assert _rms(music, end + 2.9, end + 3.5) < 1e-3 * during  # All Sound Off after 3 s


def test_mockup_click_stem_onsets_on_the_exact_samples_of_the_beats(draft):
    click, rate = read_click_wav(draft.click_stem)
    music = soundfile.info(str(draft.music_stem))
    assert rate == RATE and len(click) == music.frames  # same origin, same length
    events = click_events(TMAP)
    expected = [TMAP.sample_at(e.seconds, sample_rate=RATE, origin_seconds=draft.origin_seconds)
                for e in events]
    assert expected[0] == 0 and expected[4] == 115200  # count-in starts the file; bar 1
    sounding = np.nonzero(click)[0]
    onsets = sounding[np.concatenate([[True], np.diff(sounding) > 100])]  # after silence
    assert list(onsets) == expected


def test_mockup_output_length_is_bounded(draft):
    # count-in 2.4 s + 4 bars 9.6 s + 3 s to All Sound Off + 1 s margin
    assert draft.seconds <= F(16)
    assert soundfile.info(str(draft.mix)).frames == draft.seconds * RATE


def test_mockup_fluidr3_with_click_in_the_mix(tmp_path):
    result = render_mockup(_cue(), tmp_path, tempo_map=TMAP, instrumentation="strings, horn",
                           mix_click_db=-12.0, name="1M1_full")
    mix, _ = soundfile.read(result.mix)
    music, _ = soundfile.read(result.music_stem)
    assert abs(loudness.integrated_lufs(mix, RATE) + 23.0) < 0.5
    assert result.peak_dbfs <= -1.0 + 1e-6
    # the count-in is heard in the mix (click), not in the music stem
    assert _rms(mix, 0.0, 2.3) > 100 * max(_rms(music, 0.0, 2.3), 1e-9)


def test_mockup_peak_ceiling_lowers_the_gain_and_reports_the_loudness():
    t = np.arange(4 * RATE) / RATE
    spiky = 0.001 * np.sin(2 * np.pi * 440 * t)
    spiky[RATE] = 0.5  # one loud sample: -23 LUFS would put it far above -1 dBFS
    result = loudness.normalise(spiky, RATE, -23.0)
    assert result.peak_limited and result.peak_dbfs == pytest.approx(-1.0)
    assert result.loudness_lufs < -30
    assert loudness.integrated_lufs(result.samples, RATE) == pytest.approx(
        result.loudness_lufs, abs=0.01)


def test_mockup_loudness_meter_matches_ebu_tech_3341_case_1():
    # EBU Tech 3341 test case 1: stereo 1 kHz sine at -23 dBFS per channel, 20 s:
    # the meter must read -23.0 LUFS +- 0.1 LU.
    t = np.arange(20 * RATE) / RATE
    tone = 10 ** (-23 / 20) * np.sin(2 * np.pi * 1000 * t)
    assert loudness.integrated_lufs(np.stack([tone, tone], axis=1), RATE) == pytest.approx(
        -23.0, abs=0.1)


def test_mockup_pcm24_dither_is_tpdf_and_clips_nothing_in_range():
    rng = np.random.default_rng(3341)
    quiet = np.full(100_000, 0.25 / 2**23)  # a quarter of an LSB
    ints = loudness.to_pcm24(quiet, rng=rng)
    assert set(np.unique(ints)) <= {-1, 0, 1, 2}
    assert ints.mean() == pytest.approx(0.25, abs=0.02)  # dither keeps the mean
    assert list(loudness.to_pcm24(np.array([1.0, -1.0, 0.5]), dither=False)) == [
        2**23 - 1, -(2**23), 2**22]


def test_mockup_unknown_instrument_and_missing_tools(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="unknown instrument.*horn"):
        render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont="draft",
                      instrumentation="strings, hron")
    with pytest.raises(ToolError, match="soundfont not found.*nowhere.sf2"):
        render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont=tmp_path / "nowhere.sf2")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolError, match="Debian package fluidsynth"):
        render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont="draft")
    assert not list(tmp_path.iterdir())


def test_mockup_programs_from_instrumentation_keep_given_ones():
    music = Music((Part("a", (Note(0, 1, 60),)), Part("b", (Note(0, 1, 60),), program=71),
                   Part("c", (Note(0, 1, 60),), instrument="harp"),
                   Part("d", (Note(0, 1, 60),))))
    parts = assign_programs(music, "strings, percussion").parts
    assert [(p.program, p.is_drum) for p in parts] == [(48, False), (71, False),
                                                       (46, False), (0, True)]


def test_mockup_render_many_in_parallel_keeps_job_order(tmp_path):
    seen = []
    jobs = [MockupJob(_cue(), tmp_path, TMAP, {"soundfont": "draft", "name": f"cue{i}",
                                               "click": False, "loudness_lufs": lufs})
            for i, lufs in enumerate((-23.0, -18.0))]
    results = render_many(jobs, workers=2, progress=lambda d, t, r: seen.append((d, t)))
    assert [r.mix.name for r in results] == ["cue0_mix.wav", "cue1_mix.wav"]
    assert [round(r.loudness_lufs) for r in results] == [-23, -18]
    assert results[0].click_stem is None and sorted(seen) == [(1, 2), (2, 2)]


def test_mockup_stem_as_rendered_is_24_bit_sounds_and_is_bounded(tmp_path):
    """No click, no loudness: FluidSynth writes the 24-bit stem itself; the mix is it."""
    result = render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont="draft", click=False,
                           normalise=False, instrumentation="strings, horn", name="raw")
    assert soundfile.info(str(result.music_stem)).subtype == "PCM_24"
    stem, rate = soundfile.read(result.music_stem)
    assert rate == RATE and result.click_stem is None
    # count-in bar silent (2.4 s at 100 BPM), music in bar 1
    assert _rms(stem, 0.2, 2.2) < 1e-4 < _rms(stem, 2.6, 4.0)
    assert result.mix.read_bytes() == result.music_stem.read_bytes()
    # bounded: the 4 bars + count-in (12 s), the 3 s tail, a margin and FluidSynth's own run-on
    assert result.seconds < 12 + 3 + 1 + 4


# --- the review mix, stems and expression ---------------------------------------------


def _loud(path) -> float:
    samples, rate = soundfile.read(path)
    return loudness.integrated_lufs(samples, rate)


def test_mockup_mix_with_the_click_is_a_real_mix_on_target(tmp_path):
    result = render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont="draft",
                           instrumentation="strings, horn", click_in_mix=True, name="1M1")
    mix, _ = soundfile.read(result.mix)
    stem, _ = soundfile.read(result.music_stem)
    click, _ = read_click_wav(result.click_stem)
    assert result.mix != result.music_stem and not result.mix.samefile(result.music_stem)
    assert loudness.integrated_lufs(mix, RATE) == pytest.approx(-23.0, abs=0.5)
    assert result.loudness_lufs == pytest.approx(-23.0, abs=0.5)
    # the count-in is heard in the mix, not in the stem
    assert _rms(mix, 0.0, 2.3) > 100 * max(_rms(stem, 0.0, 2.3), 1e-9)
    # mix = gain x (stem + click at click_gain_db), to the dither
    clicked = loudness.from_pcm24(click) * 10 ** (result.click_gain_db / 20)
    rebuilt = (stem + clicked[:, None]) * 10 ** (result.gain_db / 20)
    assert np.max(np.abs(rebuilt - mix)) < 4 / 2**23
    # the click sits about CLICK_UNDER_MUSIC_LU under the music
    assert loudness.integrated_lufs(stem, RATE) - loudness.integrated_lufs(
        clicked, RATE) == pytest.approx(12.0, abs=0.1)


def test_mockup_mix_without_click_is_its_own_file_and_the_stem_keeps_its_level(tmp_path):
    quiet = Music(tuple(Part(p.name, tuple(Note(n.onset, n.duration, n.pitch) for n in p.notes),
                             marks=(Mark(0, "dynamic", "pp"),)) for p in _cue().parts))
    loud = Music(tuple(Part(p.name, p.notes, marks=(Mark(0, "dynamic", "ff"),))
                       for p in _cue().parts))
    results = [render_mockup(m, tmp_path, tempo_map=TMAP, soundfont="draft", name=name,
                             instrumentation="strings, horn")
               for name, m in (("pp", quiet), ("ff", loud))]
    for result in results:
        assert result.mix.name.endswith("_mix.wav") and not result.mix.samefile(
            result.music_stem)
        assert _loud(result.mix) == pytest.approx(-23.0, abs=0.5)
        assert result.stem_gain_db == -12.0  # rendered level, under the ceiling
    # both review mixes at -23 LUFS, but the stems keep the cues' dynamics apart
    assert _loud(results[1].music_stem) - _loud(results[0].music_stem) > 10


def _envelope(path, start_s: float, step_s: float, count: int) -> list[float]:
    samples, _ = soundfile.read(path)
    return [20 * np.log10(_rms(samples, start_s + k * step_s, start_s + (k + 1) * step_s))
            for k in range(count)]


def test_mockup_plays_a_crescendo_rising_and_p_quieter_than_f(tmp_path):
    # a string chord held four bars, crescendo from p to ff; then f and p bars
    chord = tuple(Note(0, 16, p) for p in (55, 60, 64))
    after = tuple(Note(16 + 4 * k, 4, p) for k, p in enumerate((60, 60)) for p in (p, p + 4))
    strings = Part("Strings", chord + after, program=48, marks=(
        Mark(0, "dynamic", "p"), Mark(0, "crescendo", "", 16), Mark(16, "dynamic", "ff"),
        Mark(20, "dynamic", "p")))
    tmap = TempoMap.constant("24", 86400, TEMPO, 6, count_in_bars=1)
    result = render_mockup(Music((strings,)), tmp_path, tempo_map=tmap, click=False,
                           name="cresc")  # FluidR3: its string loop is steady
    bar1 = -float(result.origin_seconds)
    bars = _envelope(result.music_stem, bar1, 2.4, 4)
    assert all(b - a > 2 for a, b in zip(bars, bars[1:], strict=False))  # rises ...
    beats = _envelope(result.music_stem, bar1, 0.6, 16)
    assert beats[-1] - beats[0] > 12  # ... evenly in dB from p to ff (14.4 dB apart)
    loud, soft = _envelope(result.music_stem, bar1 + 16 * 0.6 + 0.2, 2.4, 2)
    assert loud - soft > 8  # the ff bar against the p bar


def test_mockup_plays_pizzicato_short_and_arco_long(tmp_path):
    notes = (Note(0, 4, 55), Note(4, 4, 55))
    strings = Part("Violins", notes, program=48, marks=(
        Mark(0, "dynamic", "mf"), Mark(0, "technique", "pizz."), Mark(4, "technique", "arco")))
    result = render_mockup(Music((strings,)), tmp_path, tempo_map=TMAP, soundfont="draft",
                           click=False, name="pizz")
    bar1 = -float(result.origin_seconds)
    pizz_head, pizz_tail = _envelope(result.music_stem, bar1 + 0.05, 1.0, 2)
    arco_head, arco_tail = _envelope(result.music_stem, bar1 + 2.4 + 0.3, 0.9, 2)
    assert pizz_head - pizz_tail > 15  # a plucked note dies away
    assert abs(arco_head - arco_tail) < 6  # a bowed note holds


def test_mockup_soundfonts_by_name(tmp_path):
    from filmscore.writing.mockup import MUSESCORE_GENERAL, SOUNDFONTS, soundfont_path

    assert list(SOUNDFONTS) == ["fluidr3", "musescore", "draft"]
    assert soundfont_path("musescore") == MUSESCORE_GENERAL
    assert soundfont_path("MuseScore") == MUSESCORE_GENERAL
    with pytest.raises(InputError, match="musescre.*fluidr3, musescore, draft"):
        soundfont_path("musescre")
    with pytest.raises(ToolError, match="gone.sf2"):
        soundfont_path(tmp_path / "gone.sf2")
    result = render_mockup(_cue(), tmp_path, tempo_map=TMAP, soundfont="musescore",
                           instrumentation="strings, horn", name="ms")
    assert _loud(result.mix) == pytest.approx(-23.0, abs=0.5)
    stem, _ = soundfile.read(result.music_stem)
    assert _rms(stem, 2.6, 4.0) > 0.01
