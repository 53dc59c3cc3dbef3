"""The demo's takes as real stems: a cue's full score rendered once per stem (FluidSynth,
the mockup's renderer), every take cut from the renders at the same samples, written as
24-bit Broadcast WAV whose bext TimeReference is the film sample of its first sample."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile

from filmscore import demo_recording as dr
from filmscore.formats.bwf import read_bext
from filmscore.formats.midi_music import write_music
from filmscore.mixing.vocabulary import STEM_NAMES
from filmscore.orchestration.ensembles import get_template
from filmscore.orchestration.service import cue_score, orchestrate_cue
from filmscore.project import init_project, open_project
from filmscore.recording.takes import list_takes, log_take
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_map_by_hand
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import format_label, frame_to_seconds
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import import_version

SR = 48000
START = 86401  # 01:00:00:01 at 24 fps
TEMPO = 110  # a beat of 6/11 s: bar lines fall between samples (the rounding is tested)


def _music(path: Path) -> Path:
    tmap = TempoMap.constant("24", 0, Fraction(TEMPO), bars=4)
    melody = tuple(Note(Fraction(q, 2), Fraction(1, 2), 72 + (q * 5) % 7) for q in range(32))
    chords = tuple(Note(Fraction(2 * b), Fraction(2), p) for b in range(8)
                   for p in (60, 64, 67))
    bass = tuple(Note(Fraction(4 * b), Fraction(4), 43 + b) for b in range(4))
    return write_music(Music((Part("melody", melody, program=73),
                              Part("chords", chords, program=61),
                              Part("bass", bass, program=32)), tempo_map=tmap),
                       path, tempo_map=tmap)


@pytest.fixture(scope="module")
def cue(tmp_path_factory):
    """A 24 fps project: cue 1M1 at 01:00:00:01, 110 BPM with a bar of count-in, its
    music orchestrated for the studio orchestra; rendered per stem."""
    tmp = tmp_path_factory.mktemp("stems")
    init_project(tmp / "p", title="Stems Film", fps="24")
    with open_project(tmp / "p") as ctx:
        add_cue(ctx, CueSpec(parse_cue_number("1M1"), "Main Title", START, START + 240,
                             notes="full orchestra, brass fanfare"))
        set_map_by_hand(ctx, "1M1", tempo=str(TEMPO), count_in=1)
        import_version(ctx, "1M1", _music(tmp / "v1.mid"))
        orchestrate_cue(ctx, "1M1", ensemble=get_template("studio"))
        stems = dr.render_cue_stems(ctx, ["1M1"], tmp / "renders")["1M1"]
        yield SimpleNamespace(pctx=ctx, stems=stems, tmp=tmp, score=cue_score(ctx, "1M1"))


def test_stems_group_the_full_score_by_section(cue):
    groups = dr.stem_music(cue.score)
    assert list(groups) == [s for s in STEM_NAMES if s in groups]  # vocabulary order
    assert {"strings", "woodwinds", "brass"} <= set(groups)
    names = {stem: {p.name for p in music.parts} for stem, music in groups.items()}
    assert "Violin I" in names["strings"] and "Horn 1" in names["brass"]
    assert "Flute 1" in names["woodwinds"]
    assert list(cue.stems.files) == list(groups)  # one render per stem the cue uses


def test_every_render_starts_at_the_first_click(cue):
    """Sample 0 of every render is the first click (bar 1 minus the bar of count-in): film
    sample (start + first_beat_seconds) x rate, rounded half up once; each stem's music
    starts at bar 1's downbeat (within 4 ms: FluidSynth's block timing)."""
    stems = cue.stems
    beat = Fraction(60, TEMPO)
    exact = (frame_to_seconds(START, "24") - 4 * beat) * SR
    assert exact.denominator != 1  # between two samples: the rounding matters
    assert stems.origin == -4 * beat
    assert stems.first_sample == (exact + Fraction(1, 2)).__floor__()
    bar1 = stems.sample_of_bar(1)
    assert bar1 == ((4 * beat) * SR + Fraction(1, 2)).__floor__()
    for stem, path in stems.files.items():
        data, rate = soundfile.read(str(path), always_2d=True)
        assert rate == SR
        onset = int(np.argmax(np.abs(data).max(axis=1) > 1e-5))
        assert bar1 - 10 <= onset <= bar1 + 0.004 * SR, (stem, onset - bar1)
        assert np.abs(data[: bar1 - 10]).max() < 4e-7, stem  # silent count-in (dither)


def _lag(a: np.ndarray, b: np.ndarray, span: int = 200) -> int:
    """The shift of ``b`` against ``a`` that correlates best (mono sums)."""
    x, y = a.sum(axis=1), b.sum(axis=1)
    n = min(len(x), len(y)) - 2 * span
    scores = [float(np.dot(x[span:span + n], y[span + k:span + k + n]))
              for k in range(-span, span + 1)]
    return int(np.argmax(scores)) - span


def test_takes_are_cut_at_the_same_samples_and_placed_on_the_film(cue, tmp_path):
    stems = cue.stems
    entry = SimpleNamespace(bar_from=2, bar_to=3, position=1)
    one, first = dr.take_stems(stems, entry, tmp_path, 1)
    two, again = dr.take_stems(stems, entry, tmp_path, 2)
    start, end = dr.take_window(stems, 2, 3)
    # a bar of run-up before bar 2, one second of ring-out after bar 3
    assert (start, end) == (stems.sample_of_bar(1), stems.sample_of_bar(4) + SR)
    assert first == again == stems.first_sample + start
    assert set(one) == set(two) == set(stems.files)
    for stem in stems.files:
        for path in (one[stem], two[stem]):
            info = soundfile.info(str(path))
            assert (info.samplerate, info.channels, info.subtype) == (SR, 2, "PCM_24")
            assert info.frames == end - start
            assert read_bext(path).time_reference == first
        # the take is its render's samples [start, end): no shift in time, and the two
        # takes differ (balance and colour) but line up to the sample
        with soundfile.SoundFile(str(stems.files[stem])) as handle:
            handle.seek(start)
            render = handle.read(end - start, always_2d=True)
        a = soundfile.read(str(one[stem]), always_2d=True)[0]
        b = soundfile.read(str(two[stem]), always_2d=True)[0]
        assert _lag(render, a) == 0 and _lag(a, b) == 0, stem
        rms = float(np.sqrt(np.mean(a ** 2)))
        assert rms > 1e-4 and float(np.sqrt(np.mean((a - b) ** 2))) > 0.1 * rms, stem
    # bar 2's downbeat: where the film puts it, and where the take has it
    tmap = stems.tempo_map
    film = ((tmap.start_seconds + tmap.seconds_of((2, 1))) * SR + Fraction(1, 2)).__floor__()
    assert abs(first + stems.sample_of_bar(2) - start - film) <= 1  # two roundings


def test_a_stopped_take_and_the_takes_logged_with_their_stems(cue, tmp_path):
    stems = cue.stems
    whole = SimpleNamespace(bar_from=None, bar_to=None, position=2)
    start, end = dr.take_window(stems, None, None)
    assert (start, end) == (0, stems.frames)  # from the count-in to the release
    short = dr.take_window(stems, None, None, seconds=1.5)
    assert short == (0, stems.sample_of_bar(1) + int(1.5 * SR))
    paths, first = dr.take_stems(stems, whole, tmp_path, 1, seconds=1.5)
    assert first == stems.first_sample
    tc = dr._record_tc(cue.pctx, first)
    assert tc == format_label(first * 24 // SR, "24") == "00:59:57:20"  # the count-in
    take = log_take(cue.pctx, "1M1", kind="false start", tc=tc, audio=paths)
    (logged,) = [t for t in list_takes(cue.pctx, "1M1") if t.number == take.number]
    assert set(logged.stems) == set(stems.files) and logged.timecode_frame == first * 24 // SR
