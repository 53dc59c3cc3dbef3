"""Fitting the music to the film: fades and segue crossfades exact to the sample, the film's
music rendered per stem following the current picture, and bad placements refused with
nothing half-written."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import wavinfo
from sqlalchemy import select

from delivery_helpers import add_cue, add_mix, project
from filmscore.errors import InputError, NotFoundError, ValidationError
from filmscore.mixing import placing
from filmscore.mixing.fit import Segment, render_blocks, with_segues
from filmscore.mixing.placing import music_timeline, place, render_timeline
from filmscore.model import Cue
from filmscore.store import transaction

HOUR_24 = 3600 * 48000  # 01:00:00:00 at 24 fps, in samples


def _read(path: Path) -> np.ndarray:
    data, rate = sf.read(str(path), dtype="int32", always_2d=True)
    assert rate == 48000
    return data.astype(np.int64) >> 8


def test_fade_gains_are_exact_at_every_sample():
    seg = Segment("1M1", 1000, 2000, 900, fade_in=100, fade_out=50, in_shape="linear",
                  out_shape="equal_power")
    gains = seg.gains(1000, 2000)
    assert gains[0] == 0.0 and gains[100] == 1.0 and gains[99] == pytest.approx(0.99)
    assert gains[37] == 37 / 100
    # fade-out: r samples before the end, f(r / n); the last sample heard has r = 1
    assert gains[-1] == math.sin(1 / 50 * math.pi / 2)
    assert gains[-50] == 1.0 and gains[-51] == 1.0
    assert gains[-20] == math.sin(20 / 50 * math.pi / 2)


def test_a_segue_is_an_equal_power_crossfade_over_the_overlap():
    a = Segment("1M1", 0, 1000, 0, fade_out=10)  # its own fade-out gives way to the segue
    b = Segment("1M2", 800, 1500, 800, fade_in=500)
    a2, b2 = with_segues([b, a])
    assert (a2.name, a2.fade_out, b2.name, b2.fade_in) == ("1M1", 200, "1M2", 200)
    out_gain, in_gain = a2.gains(800, 1000), b2.gains(800, 1000)
    k = np.arange(200)
    assert np.array_equal(in_gain, np.sin(k / 200 * math.pi / 2))
    assert np.allclose(out_gain ** 2 + in_gain ** 2, 1.0)
    with pytest.raises(ValidationError, match="1M3 lies inside 1M1"):
        with_segues([a, Segment("1M3", 100, 200, 100)])
    with pytest.raises(ValidationError, match="1M1, 1M2 and 1M4 sound at once"):
        with_segues([a, b, Segment("1M4", 900, 1600, 900)])


def test_source_music_plays_over_the_score_without_a_segue():
    score = Segment("1M10 use 1", 0, 1000, 0)
    source = Segment("1M11s use 1", 400, 900, 400, layer="source")
    out = {s.name: s for s in with_segues([score, source])}
    assert out["1M10 use 1"] == score and out["1M11s use 1"] == source  # no crossfade
    with pytest.raises(ValidationError, match="lies inside"):  # within a layer: refused
        with_segues([score, Segment("1M11 use 1", 400, 900, 400)])


def test_render_blocks_copies_unity_samples_and_rounds_the_rest_once():
    src = np.full((300, 2), 1_000_001, dtype=np.int64)
    seg = Segment("1M1", 100, 250, 50, fade_in=10, in_shape="linear")
    blocks = list(render_blocks([seg], 0, 300, 2, lambda i, first, n: src[first:first + n],
                                block=64))
    out = np.concatenate(blocks)
    assert out.shape == (300, 2) and out.dtype == np.int32
    assert not out[:100].any() and not out[250:].any()
    assert np.array_equal(out[110:250], src[60:200])
    assert [int(v) for v in out[100:110, 0]] == [int(np.rint(1_000_001 * t / 10))
                                                  for t in range(10)]


@pytest.fixture
def film(tmp_path, db_url):
    """Two cues at 24 fps that segue (1M2 starts 0.5 s before 1M1's mix ends), mixed."""
    pctx = project(tmp_path / "p", db=db_url)
    add_cue(pctx, "1M1", 86400, 86400 + 240, "Main Title")  # 01:00:00:00, 10 s
    add_cue(pctx, "1M2", 86400 + 228, 86400 + 400, "Chase")  # 01:00:09:12
    mixes = {"1M1": add_mix(pctx, "1M1", 1, 480000, tmp=tmp_path, seed=1),
             "1M2": add_mix(pctx, "1M2", 1, 240000, tmp=tmp_path, seed=2)}
    yield pctx, mixes
    pctx.close()


def test_the_film_s_music_rendered_exact_to_the_sample(film, tmp_path):
    pctx, mixes = film
    placed = place(pctx, "1M1", head_trim_ms=250, fade_in_ms=100, usage="mt")
    assert (placed.start_sample, placed.head_trim, placed.fade_in, placed.usage) == (
        HOUR_24 + 12000, 12000, 4800, "MT")
    place(pctx, "1M2", tail_trim_ms=1000, fade_out_ms=500)
    # a further use of 1M1 later, heard 2 s from its start, with a linear fade-out
    again = place(pctx, "1M1", at="01:00:30:00", head_trim_ms=2000, fade_out_ms=20)
    assert (again.use, again.start_sample) == (2, HOUR_24 + 30 * 48000 + 96000)
    timeline = music_timeline(pctx)
    assert [p.name for p in timeline.placements] == ["1M1", "1M2", "1M1 (use 2)"]
    assert [(a.cue, b.cue) for a, b in timeline.overlaps()] == [("1M1", "1M2")]

    done = render_timeline(pctx, tmp_path / "render", fades="linear")
    assert sorted(p.name for p in done.files.values()) == [
        "music_BR.wav", "music_MIX.wav", "music_STR.wav"]
    start = HOUR_24 + 12000
    assert done.start_sample == start and done.clipped == 0
    info = wavinfo.WavInfoReader(str(done.files["mix"]))
    assert info.bext.time_reference == start
    mix = _read(done.files["mix"])
    a, b = mixes["1M1"]["mix"], mixes["1M2"]["mix"]
    # the head trim: the file's sample 0 is 1M1's sample 12000, silent (fade in, linear)
    assert not mix[0].any()
    t = np.arange(4800)
    assert np.array_equal(mix[:4800], np.rint(a[12000:16800] * (t / 4800)[:, None]))
    assert np.array_equal(mix[4800:100800], a[16800:112800])  # unity: bit for bit
    # the segue: 1M2 starts at 01:00:09:12 = 1M1's sample 456000; 1M1 ends at 480000
    b0 = 456000 - 12000
    assert np.array_equal(mix[b0 - 1000:b0], a[455000:456000])
    k = np.arange(24000)
    expected = np.rint(a[456000:480000] * np.cos(k / 24000 * math.pi / 2)[:, None]
                       + b[:24000] * np.sin(k / 24000 * math.pi / 2)[:, None])
    assert np.array_equal(mix[b0:b0 + 24000], expected)
    # 1M2's tail trim (1 s) and linear fade-out (0.5 s), then silence until use 2
    end2 = b0 + 240000 - 48000
    r = np.arange(24000, 0, -1)
    assert np.array_equal(mix[end2 - 24000:end2], np.rint(b[168000:192000] * (r / 24000)[
        :, None]))
    use2 = again.start_sample - start
    assert not mix[end2:use2].any()
    assert np.array_equal(mix[use2:use2 + 100], a[96000:96100])
    assert len(mix) == use2 + 480000 - 96000
    # the stems too: the strings stem is 1M1's strings over its unity span
    strings = _read(done.files["strings"])
    assert np.array_equal(strings[4800:100800], mixes["1M1"]["strings"][16800:112800])


def test_the_timeline_follows_the_current_picture(film):
    pctx, _mixes = film
    place(pctx, "1M1", head_trim_ms=250)
    with transaction(pctx.engine) as db:  # a re-cut moved 1M1 two seconds later
        cue = db.scalars(select(Cue).where(Cue.number == "1M1")).one()
        cue.start_frame += 48
    moved = next(p for p in music_timeline(pctx).placements if p.cue == "1M1")
    assert moved.start_sample == HOUR_24 + 2 * 48000 + 12000


def test_bad_placements_are_refused_in_one_line(film):
    pctx, _mixes = film
    with pytest.raises(ValidationError, match=r"1M1 use 1: the trims leave no music of mix "
                       r"v1.*got '10000 ms'.*less than 10000 ms"):
        place(pctx, "1M1", head_trim_ms=6000, tail_trim_ms=4000)
    with pytest.raises(ValidationError, match="fades are longer.*at most 9000 ms"):
        place(pctx, "1M1", head_trim_ms=1000, fade_in_ms=5000, fade_out_ms=4001)
    with pytest.raises(InputError, match="unknown cue-sheet usage.*'XX'.*BI, BV"):
        place(pctx, "1M1", usage="XX")
    with pytest.raises(InputError, match="use 2 of 1M2 needs a place on the film"):
        place(pctx, "1M2", use=2)
    with pytest.raises(InputError, match="field at.*use 1 is the cue at its own start"):
        place(pctx, "1M2", use=1, at="01:00:00:00")
    with pytest.raises(NotFoundError, match="1M2 has no mix v3; its mixes: v1"):
        place(pctx, "1M2", mix=3)
    with pytest.raises(NotFoundError, match="no cue 9M9"):
        place(pctx, "9M9")
    with pytest.raises(InputError, match="negative"):
        place(pctx, "1M1", fade_in_ms=-1)
    # nothing of the refused placements was kept
    assert all(p.head_trim == 0 and p.fade_in == 0 and p.usage == "BI"
               for p in music_timeline(pctx).placements)


def test_layouts_mixed_or_no_mix_are_refused_naming_the_cues(tmp_path):
    pctx = project(tmp_path / "p")
    add_cue(pctx, "1M1", 86400, 86640)
    add_cue(pctx, "1M2", 87000, 87240)
    with pytest.raises(ValidationError, match="no cue is mixed yet.*'1M1, 1M2'"):
        render_timeline(pctx, tmp_path / "r")
    add_mix(pctx, "1M1", 1, 48000, tmp=tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = render_timeline(pctx, tmp_path / "r")
    assert done.silent == ("1M2",) and "left silent: 1M2" in str(caught[-1].message)
    add_mix(pctx, "1M2", 1, 48000, layout="5.1", tmp=tmp_path)
    with pytest.raises(ValidationError, match=r"different channel layouts \(stereo: 1M1; "
                       r"5.1: 1M2\)"):
        render_timeline(pctx, tmp_path / "r2")
    assert not (tmp_path / "r2").exists() or not any((tmp_path / "r2").iterdir())
    pctx.close()


def test_a_failed_render_leaves_nothing(film, tmp_path, monkeypatch):
    pctx, _mixes = film
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second file fails half-way
            raise OSError("disk full")
        return render_blocks(*args, **kwargs)

    monkeypatch.setattr(placing, "render_blocks", failing)
    target = tmp_path / "render"
    with pytest.raises(OSError, match="disk full"):
        render_timeline(pctx, target)
    assert list(target.iterdir()) == []


def test_a_reel_is_rendered_alone(film, tmp_path):
    pctx, _mixes = film
    add_cue(pctx, "2M1", 2 * 86400, 2 * 86400 + 48, "Reel Two")
    two = add_mix(pctx, "2M1", 1, 96000, tmp=tmp_path, seed=5)
    done = render_timeline(pctx, tmp_path / "r2", reel=2)
    assert sorted(p.name for p in done.files.values()) == [
        "music_R2_BR.wav", "music_R2_MIX.wav", "music_R2_STR.wav"]
    assert (done.start_sample, done.frames) == (2 * HOUR_24, 96000)
    assert np.array_equal(_read(done.files["mix"]), two["mix"])
    with pytest.raises(NotFoundError, match="no cue of reel 7 is placed; reels: 1, 2"):
        render_timeline(pctx, tmp_path / "r7", reel=7)


@pytest.mark.parametrize("fps", ["23.976", "24", "25", "29.97", "29.97df", "59.94df"])
def test_a_frame_s_first_sample_falls_in_that_frame(fps):
    from filmscore.mixing.placing import frame_after, frame_of_sample, sample_of_frame

    for frame in [*range(0, 3000, 7), *range(107800, 108100)]:
        first = sample_of_frame(frame, fps, 48000)
        assert frame_of_sample(first, fps, 48000) == frame
        assert frame_of_sample(first - 1, fps, 48000) == frame - 1 if frame else True
        assert frame_after(first, fps, 48000) == frame
        assert frame_after(first + 1, fps, 48000) == frame + 1
