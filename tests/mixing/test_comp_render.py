"""Comps of real takes: takes with stems logged through the take log (each sample holds its
take's number and its own film sample, so that every rendered sample says where it came
from), proposed, set and rendered on SQLite and PostgreSQL; the samples at the edit exactly
from the right take outside the crossfade and equal power inside it, the stems aligned;
bad takes refused by name, and nothing left behind when a render fails."""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import wavinfo

from filmscore.errors import (
    ConflictError,
    FilmscoreWarning,
    InputError,
    NotFoundError,
    ValidationError,
)
from filmscore.formats.bwf import Bext, BwfWriter, read_bext
from filmscore.mixing.comp import crossfade_gains
from filmscore.mixing.comps import (
    comp_of,
    comp_stem_paths,
    comps,
    propose_comp,
    render_comp,
    set_comp,
)
from filmscore.model import Cue, CueTempoMap
from filmscore.project import init_project, open_project
from filmscore.recording.takes import log_take
from filmscore.store import transaction
from filmscore.sync.service import set_tempo_map
from filmscore.sync.tempomap import TempoMap

SR = 48000
CUE_START = SR  # 1M1 starts at frame 24 at 24 fps: 1 s
UNIT = 600_000  # more than the film samples of a test (11 s)
BAR = SR  # 4/4 at 240 BPM: one bar a second; bar 1 on the cue's start, 8 bars


@pytest.fixture
def pctx(tmp_path, db_url):
    init_project(tmp_path / "p", title="Comp Film", fps="24", db=db_url)
    with open_project(tmp_path / "p", db=db_url) as ctx:
        with transaction(ctx.engine) as db:
            cue = Cue(project_id=ctx.project_id, number="1M1", reel=1, seq=1,
                      title="Main Title", start_frame=24, end_frame=24 + 9 * 24)
            db.add(cue)
            db.flush()
            tmap = TempoMap.constant("24", 24, Fraction(240), bars=8)
            db.add(CueTempoMap(cue_id=cue.id, data=tmap.to_dict()))
        yield ctx


def _ramp(take: int, start: int, frames: int) -> np.ndarray:
    """Take ``take``'s samples: its number times ``UNIT`` plus the film sample."""
    return (take * UNIT + np.arange(start, start + frames)).astype(np.int32)


def _write_take(folder: Path, take: int, start: int, frames: int, *, stems=("strings", "brass"),
                bext: bool = True, sample_rate: int = SR) -> dict[str, Path]:
    """Stems of one take: strings mono, brass stereo (-x, x + 7), with bext at ``start``."""
    out = {}
    ramp = _ramp(take, start, frames)
    for stem in stems:
        path = folder / f"t{take}_{stem}.wav"
        data = ramp[:, None] if stem != "brass" else np.stack([-ramp, ramp + 7], axis=1)
        if bext:
            with BwfWriter(path, sample_rate, data.shape[1],
                           bext=Bext(time_reference=start)) as w:
                for a in range(0, len(data), 100_000):
                    w.write(data[a:a + 100_000])
        else:
            sf.write(path, data << 8, sample_rate, subtype="PCM_24")
        out[stem] = path
    return out


def _read(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="int32", always_2d=True)
    assert rate == SR
    return data >> 8


def _media_files(pctx) -> set[Path]:
    return {p for p in pctx.media.root.rglob("*") if p.is_file()}


@pytest.fixture
def takes(pctx, tmp_path):
    """Take 1: complete, circled, from 0.5 s to 10.5 s; take 2: pickup of bars 5-8,
    circled, from 4 s to 11 s."""
    log_take(pctx, "1M1", circled=True, audio=_write_take(tmp_path, 1, SR // 2, 10 * SR))
    log_take(pctx, "1M1", kind="pickup", bars="5-8", circled=True,
             audio=_write_take(tmp_path, 2, 4 * SR, 7 * SR))
    return tmp_path


def test_a_comp_is_cut_exactly_at_the_bar_line_with_an_equal_power_crossfade(pctx, takes):
    first = propose_comp(pctx, "1M1", author="ed")
    assert (first.number, first.edit_list(), first.proposed, first.edits) == (
        1, "1-8=1", True, ())
    comp = set_comp(pctx, "1M1", ["1-4=1", "5-8=2"], notes="the pickup's horns")
    assert (comp.number, comp.edit_list(), comp.proposed, comp.crossfade_ms) == (
        2, "1-4=1 5-8=2", False, 20.0)
    (edit,) = comp.edits
    assert (edit.sample, edit.film_sample, edit.fade_start, edit.fade_end) == (
        4 * BAR, CUE_START + 4 * BAR, 4 * BAR - 480, 4 * BAR + 480)
    assert comp.segment_samples == ((0, 4 * BAR), (4 * BAR, 8 * BAR))
    with pytest.raises(NotFoundError, match="comp v2 of cue 1M1 is not rendered yet"):
        comp_stem_paths(pctx, "1M1")
    rendered = render_comp(pctx, "1M1")
    assert [(f.stem, f.channels) for f in rendered.files] == [("strings", 1), ("brass", 2)]
    length = 11 * SR - CUE_START  # through the pickup's ring-out, to its end
    assert rendered.frames == length and all(f.frames == length for f in rendered.files)
    paths = comp_stem_paths(pctx, "1M1")
    assert list(paths) == ["strings", "brass"]
    for stem, path in paths.items():
        info = sf.info(path)
        assert (info.samplerate, info.subtype, info.frames) == (SR, "PCM_24", length)
        assert read_bext(path).time_reference == CUE_START
        outside = wavinfo.WavInfoReader(str(path))  # an outside reader agrees
        assert (outside.bext.time_reference, outside.fmt.bits_per_sample,
                outside.data.frame_count) == (CUE_START, 24, length)
        assert outside.bext.description == f"Comp Film 1M1 comp v2 {stem}"
    strings, brass = _read(paths["strings"])[:, 0], _read(paths["brass"])
    film = np.arange(length) + CUE_START
    a, b = edit.fade_start, edit.fade_end
    # outside the fade: bit for bit from the right take, at the right film sample
    np.testing.assert_array_equal(strings[:a], 1 * UNIT + film[:a])
    np.testing.assert_array_equal(strings[b:], 2 * UNIT + film[b:])
    # inside: equal power, each sample rounded once
    g_out, g_in = crossfade_gains(960)
    expected = np.rint((1 * UNIT + film[a:b]) * g_out + (2 * UNIT + film[a:b]) * g_in)
    np.testing.assert_array_equal(strings[a:b], expected)
    # the stems stay aligned sample for sample across the edit
    np.testing.assert_array_equal(brass[:, 0], -strings)
    np.testing.assert_array_equal(brass[b:, 1], strings[b:] + 7)
    np.testing.assert_array_equal(brass[:a, 1], strings[:a] + 7)
    listed = comps(pctx, "1M1")
    assert [(c.number, c.rendered) for c in listed] == [(1, False), (2, True)]
    assert comp_of(pctx, "1M1", 2).notes == "the pickup's horns"


def test_beat_edits_a_butt_splice_and_the_record_timecode_when_there_is_no_bext(pctx, tmp_path):
    log_take(pctx, "1M1", circled=True, audio=_write_take(tmp_path, 1, SR // 2, 10 * SR))
    # take 3 has no bext: it is on the film at its record timecode, 00:00:02:12 (2.5 s)
    log_take(pctx, "1M1", number=3, tc="00:00:02:12",
             audio=_write_take(tmp_path, 3, 5 * SR // 2, 8 * SR, bext=False))
    comp = set_comp(pctx, "1M1", ["1-3.3=1", "3.3-8=3"], crossfade_ms=0)
    (edit,) = comp.edits
    beat = SR // 4
    assert edit.sample == 2 * BAR + 2 * beat and edit.fade_start == edit.fade_end
    render_comp(pctx, "1M1")
    strings = _read(comp_stem_paths(pctx, "1M1")["strings"])[:, 0]
    film = np.arange(len(strings)) + CUE_START
    np.testing.assert_array_equal(strings[:edit.sample], 1 * UNIT + film[:edit.sample])
    np.testing.assert_array_equal(strings[edit.sample:], 3 * UNIT + film[edit.sample:])


def test_the_proposal_falls_back_to_uncircled_takes_and_flags_an_old_tempo_map(pctx, tmp_path):
    log_take(pctx, "1M1", kind="pickup", bars="1-4", circled=True,
             audio=_write_take(tmp_path, 1, SR // 2, 6 * SR))
    log_take(pctx, "1M1", audio=_write_take(tmp_path, 2, SR // 2, 10 * SR))
    set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, Fraction(240), bars=8),
                  note="the same map again: version 2")
    log_take(pctx, "1M1", kind="pickup", bars="7-8", circled=True,
             audio=_write_take(tmp_path, 3, 6 * SR, 5 * SR))
    comp = propose_comp(pctx, "1M1")
    assert comp.edit_list() == "1-4=1 5-6=2 7-8=3"
    assert comp.notes == ("bars 5-6: no circled take covers them; uncircled complete take 2 "
                          "used")
    assert comp.flagged == ("recorded to an older tempo map than the cue's v2: take 1 "
                            "(tempo map v1), take 2 (tempo map v1)")
    assert comp.tempo_map_version == 2
    set_tempo_map(pctx, "1M1", TempoMap.constant("24", 24, Fraction(120), bars=8))
    with pytest.raises(ConflictError, match="was cut on tempo map v2, the cue's map is v3"):
        render_comp(pctx, "1M1")


def test_takes_at_another_rate_or_width_are_refused_by_name_unless_converted(pctx, takes):
    tmp = takes
    start = SR // 2 * 44100 // SR  # 0.5 s at 44.1 kHz
    with pytest.warns(FilmscoreWarning, match="44100 Hz"):
        log_take(pctx, "1M1", number=4, audio=_write_take(tmp, 4, start, 10 * 44100,
                                                           sample_rate=44100))
    set_comp(pctx, "1M1", ["1-8=4"])
    before = _media_files(pctx)
    with pytest.raises(InputError, match=r"^t4_strings.wav, field "
                                         r"sample_rate: take 4 stem 'strings' is at 44100 Hz"):
        render_comp(pctx, "1M1")
    assert _media_files(pctx) == before
    spec = render_comp(pctx, "1M1", convert=True)
    strings = _read(comp_stem_paths(pctx, "1M1")["strings"])[:, 0]
    assert spec.frames == len(strings) == 10 * SR - SR // 2  # the take's end, 10.5 s
    # a ramp resampled: the film sample again (the value is the 44.1 kHz sample number)
    middle = np.arange(SR, 8 * SR)
    np.testing.assert_allclose(strings[middle], 4 * UNIT + (middle + CUE_START) * 44100 / SR,
                               atol=2)
    sixteen = tmp / "t5_strings.wav"
    sf.write(sixteen, (np.arange(10 * SR) % 20000).astype(np.int16), SR, subtype="PCM_16")
    log_take(pctx, "1M1", number=5, tc="00:00:00:12", audio={"strings": sixteen})
    set_comp(pctx, "1M1", ["1-8=5"])
    with pytest.raises(InputError, match=r"^t5_strings.wav, field bits: take 5 stem "
                                         r"'strings' is PCM_16.*valid: PCM_24, or render "
                                         r"with --convert"):
        render_comp(pctx, "1M1")
    render_comp(pctx, "1M1", convert=True)  # 16 bits widened exactly
    strings = _read(comp_stem_paths(pctx, "1M1")["strings"])[:, 0]
    np.testing.assert_array_equal(strings, ((np.arange(SR // 2, 10 * SR) % 20000) << 8))


def test_a_missing_stem_other_channels_and_an_edit_outside_the_audio(pctx, takes):
    tmp = takes
    log_take(pctx, "1M1", number=6, kind="pickup", bars="5-8",
             audio=_write_take(tmp, 6, 4 * SR, 7 * SR, stems=("strings",)))
    set_comp(pctx, "1M1", ["1-4=1", "5-8=6"])
    with pytest.raises(ValidationError, match=r"take 6 has no 'brass' stem \(other takes of "
                                              r"the comp do\).*--silence-missing"):
        render_comp(pctx, "1M1")
    render_comp(pctx, "1M1", silence_missing=True)
    brass = _read(comp_stem_paths(pctx, "1M1")["brass"])
    assert not brass[4 * BAR + 480:].any() and brass[:4 * BAR - 480].all()
    mono = tmp / "t7_brass_mono.wav"
    sf.write(mono, np.zeros(10 * SR, dtype=np.int32), SR, subtype="PCM_24")
    log_take(pctx, "1M1", number=7, tc="00:00:00:12",
             audio={"strings": _write_take(tmp, 7, SR // 2, 10 * SR)["strings"],
                    "brass": mono})
    set_comp(pctx, "1M1", ["1-4=7", "5-8=2"])
    with pytest.raises(InputError, match=r"^t2_brass.wav, field channels: take 2 stem "
                                         r"'brass' has 2 channels, take 7's has 1"):
        render_comp(pctx, "1M1")
    # a pickup whose audio starts on the bar line has nothing for the crossfade before it
    log_take(pctx, "1M1", number=8, kind="pickup", bars="5-8",
             audio=_write_take(tmp, 8, CUE_START + 4 * BAR, 4 * SR))
    with pytest.raises(ValidationError, match=r"an edit outside take 8's audio: playing bars "
                                              r"5-8 \(with the crossfades\) takes its samples "
                                              r"-480 to 192000, it has 0 to 192000"):
        set_comp(pctx, "1M1", ["1-4=1", "5-8=8"])
    assert set_comp(pctx, "1M1", ["1-4=1", "5-8=8"], crossfade_ms=0).edits[0].fade_start == \
        4 * BAR
    with pytest.raises(ValidationError, match=r"take 2 \(pickup, bars 5-8\) does not play "
                                              r"bars 3-4"):
        set_comp(pctx, "1M1", ["1-2=1", "3-8=2"])


def test_a_failed_render_leaves_nothing_behind(pctx, takes):
    set_comp(pctx, "1M1", ["1-4=1", "5-8=2"])
    before = _media_files(pctx)

    def stop(done: int, total: int) -> None:
        if done > total * 3 // 4:  # inside the second stem
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_comp(pctx, "1M1", report=stop)
    assert _media_files(pctx) == before
    assert not comp_of(pctx, "1M1").files
    with pytest.raises(NotFoundError, match="comp v1 of cue 1M1 is not rendered yet"):
        comp_stem_paths(pctx, "1M1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert render_comp(pctx, "1M1").rendered


def test_the_block_size_changes_nothing_and_a_failure_leaves_no_file(tmp_path):
    from filmscore.mixing.comp import CompTake, parse_edits, plan_comp
    from filmscore.mixing.comp_render import TakeStem, render_comp_stems

    audio = {1: _write_take(tmp_path, 1, SR // 2, 10 * SR), 2: _write_take(tmp_path, 2, 4 * SR,
                                                                           7 * SR)}
    takes = [CompTake(1, start_sample=SR // 2, frames=10 * SR),
             CompTake(2, "pickup", True, 5, 8, start_sample=4 * SR, frames=7 * SR)]
    plan = plan_comp(TempoMap.constant("24", 24, Fraction(240), bars=8),
                     parse_edits(["1-5.2=1", "5.2-8=2"]), takes, sample_rate=SR,
                     cue_start_sample=CUE_START, crossfade_ms=25)
    files = {t: {s: TakeStem(p) for s, p in stems.items()} for t, stems in audio.items()}
    outs = []
    for block in (997, 65536):
        folder = tmp_path / f"b{block}"
        folder.mkdir()
        written = render_comp_stems(plan, files, folder, block_frames=block)
        outs.append([_read(w.path) for w in written])
    for small, big in zip(*outs, strict=True):
        np.testing.assert_array_equal(small, big)
    folder = tmp_path / "failed"
    folder.mkdir()

    def stop(done: int, total: int) -> None:
        if done > total * 3 // 4:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        render_comp_stems(plan, files, folder, block_frames=4096, report=stop)
    assert list(folder.iterdir()) == []


def test_a_crossfade_past_full_scale_is_held_there_and_said(tmp_path):
    from filmscore.mixing.comp import CompTake, parse_edits, plan_comp
    from filmscore.mixing.comp_render import TakeStem, render_comp_stems

    loud = 7_000_000  # two in-phase takes at -1.6 dBFS: +3 dB in the middle of the fade
    files = {}
    for take in (1, 2):
        path = tmp_path / f"loud{take}.wav"
        with BwfWriter(path, SR, 1, bext=Bext(time_reference=0)) as out:
            out.write(np.full(10 * SR, loud, dtype=np.int32))
        files[take] = {"strings": TakeStem(path)}
    plan = plan_comp(TempoMap.constant("24", 24, Fraction(240), bars=8),
                     parse_edits(["1-4=1", "5-8=2"]),
                     [CompTake(1, start_sample=0, frames=10 * SR),
                      CompTake(2, start_sample=0, frames=10 * SR)],
                     sample_rate=SR, cue_start_sample=CUE_START, crossfade_ms=20)
    with pytest.warns(FilmscoreWarning, match=r"comp_strings.wav: \d+ sample\(s\) of stem "
                                              r"'strings' went past full scale"):
        (written,) = render_comp_stems(plan, files, tmp_path)
    data = _read(written.path)[:, 0]
    assert data.max() == 2 ** 23 - 1 and data[0] == loud and data[-1] == loud


def test_an_excerpt_across_an_edit_is_what_the_render_wrote_there(pctx, takes):
    from filmscore.mixing.comp_render import render_excerpt
    from filmscore.mixing.comps import comp_plan

    set_comp(pctx, "1M1", ["1-4=1", "5-8=2"])
    render_comp(pctx, "1M1")
    plan, audio = comp_plan(pctx, "1M1")
    (edit,) = plan.edits
    around = render_excerpt(plan, audio, "brass", edit.sample - SR, edit.sample + SR)
    whole = _read(comp_stem_paths(pctx, "1M1")["brass"])
    np.testing.assert_array_equal(around, whole[edit.sample - SR:edit.sample + SR])
    with pytest.raises(ValidationError, match="no 'choir' stem"):
        render_excerpt(plan, audio, "choir", 0, 10)


def test_stems_whose_names_clean_up_alike_are_rendered_each_to_its_own_file(pctx, tmp_path):
    """"brass" and "brass." name one file once cleaned: each stem keeps its own audio."""
    log_take(pctx, "1M1", circled=True,
             audio=_write_take(tmp_path, 1, SR // 2, 10 * SR, stems=("brass", "brass.")))
    propose_comp(pctx, "1M1", author="ed")
    rendered = render_comp(pctx, "1M1")
    assert [(f.stem, f.channels) for f in rendered.files] == [("brass", 2), ("brass.", 1)]
    paths = comp_stem_paths(pctx, "1M1")
    assert paths["brass"] != paths["brass."]
    brass, mono = _read(paths["brass"]), _read(paths["brass."])[:, 0]
    np.testing.assert_array_equal(brass[:, 0], -mono)
    np.testing.assert_array_equal(brass[:, 1], mono + 7)
