"""Album edits: the cut plan (pure) puts every bar line at its exact sample and every join
in an equal-power crossfade centred on it; the render is bit for bit outside the fades;
and in a project (SQLite and PostgreSQL) a truncated cue is rendered from its mix, stored
and read back, a suite joined from two cues has its exact length, and bad segments are
refused in one line naming the segment and the bar."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import soundfile as sf

from album_helpers import BAR_SECONDS, SR, album_project, mix_samples, scored_cue
from filmscore.album.edit_render import (
    album_edits,
    edit_plan,
    get_edit,
    make_edit,
    remove_edit,
    render_edit,
)
from filmscore.album.edits import (
    EDGE_FADE_MS,
    CueAudio,
    EditSegment,
    edit_segment,
    plan_edit,
    render_blocks,
)
from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.sync.tempomap import Meter, Segment, TempoMap

# a cue at frame 24 (1 s) with bar 1 at frame 36 (1.5 s: a half-second pickup in the mix)
TMAP = TempoMap("24", 36, (Segment(4, Meter(4, 4), Fraction(120)),
                           Segment(4, Meter(3, 4), Fraction(90))))


def audio(cue="1M1", frames=20 * SR, tmap=TMAP, start=SR, channels=2) -> CueAudio:
    return CueAudio(cue, tmap, start, frames, SR, channels, 1)


def test_positions_are_exact_samples_of_the_tempo_map():
    plan = plan_edit([EditSegment("1M1", "2", "5")], [audio()], fade_in_ms=0, fade_out_ms=0)
    seg = plan.segments[0]
    # bar 2 is 2 s after bar 1 (4 beats at 120), bar 1 is 0.5 s into the mix
    assert seg.first == SR // 2 + 2 * SR
    # through the end of bar 5: bar 6's downbeat, 4 bars of 4/4 then one of 3/4 at 90
    assert seg.last == SR // 2 + 8 * SR + 2 * SR
    assert plan.frames == seg.last - seg.first
    beat = plan_edit([EditSegment("1M1", "6.2", "7.3")], [audio()], fade_in_ms=0,
                     fade_out_ms=0).segments[0]
    assert beat.first == SR // 2 + 10 * SR + Fraction(2, 3) * SR  # a 90 bpm beat later
    assert beat.last == SR // 2 + 12 * SR + 2 * Fraction(2, 3) * SR


def test_a_rate_where_a_bar_falls_between_samples_rounds_half_up_once():
    tmap = TempoMap.constant("24", 0, Fraction(7), bars=3)  # 7 bpm: 240/7 s a bar
    plan = plan_edit([EditSegment("1M1", "2", "2")], [audio(tmap=tmap, start=0,
                                                            frames=200 * SR)],
                     fade_in_ms=0, fade_out_ms=0)
    bar = Fraction(240, 7) * SR
    assert plan.segments[0].first == math.floor(bar + Fraction(1, 2))
    assert plan.segments[0].last == math.floor(2 * bar + Fraction(1, 2))


def test_a_suite_joins_at_exact_samples_with_centred_crossfades():
    other = TempoMap.constant("24", 240, Fraction(100), bars=8)  # a cue at 10 s
    segs = [EditSegment("1M1", "1", "2"), EditSegment("1M2", "3", "4.3"),
            EditSegment("1M1", "7", "end")]
    cues = [audio(), audio("1M2", tmap=other, start=10 * SR, frames=30 * SR), audio()]
    plan = plan_edit(segs, cues, crossfade_ms=40)
    a, b, c = plan.segments
    assert (a.first, a.last) == (SR // 2, SR // 2 + 4 * SR)
    bar_100 = Fraction(12, 5) * SR  # 4 beats at 100 bpm
    assert (b.first, b.last) == (2 * bar_100, 3 * bar_100 + 2 * Fraction(3, 5) * SR)
    assert c.last == 20 * SR  # 'end': the mix's last sample
    assert plan.frames == a.frames + b.frames + c.frames  # the suite's length exactly
    assert (b.at, c.at) == (a.frames, a.frames + b.frames)
    fade = 40 * SR // 1000
    assert plan.fade == fade
    for join in plan.joins:
        assert join.fade_start == join.at - fade // 2 and join.fade_end - join.fade_start == fade
    # the edges: a declick where the edit starts inside the music, none at 'end'
    assert plan.fade_in == EDGE_FADE_MS * SR // 1000 and plan.fade_out == 0


def test_the_crossfade_is_equal_power_and_symmetric():
    other = TempoMap.constant("24", 240, Fraction(100), bars=8)
    plan = plan_edit([EditSegment("1M1", "1", "2"), EditSegment("1M2", "3", "4")],
                     [audio(), audio("1M2", tmap=other, start=10 * SR, frames=30 * SR)],
                     crossfade_ms=40)
    join = plan.joins[0]
    n = join.fade_end - join.fade_start
    g_out = plan.gains(0, join.fade_start, n)
    g_in = plan.gains(1, join.fade_start, n)
    assert np.allclose(g_out ** 2 + g_in ** 2, 1.0, atol=1e-12)
    assert np.allclose(g_out, g_in[::-1], atol=1e-12)
    assert g_out[0] > 0.99 and g_in[-1] > 0.99
    # the outgoing segment is silent after the fade, the incoming one before it
    assert plan.gains(0, join.fade_end, 10).sum() == 0
    assert plan.gains(1, join.fade_start - 10, 10).sum() == 0
    assert (plan.gains(1, join.fade_end, 100) == 1).all()


def test_render_is_bit_exact_outside_the_fades():
    rng = np.random.default_rng(3)
    sources = [rng.integers(-2**22, 2**22, size=(20 * SR, 2)),
               rng.integers(-2**22, 2**22, size=(30 * SR, 2))]
    other = TempoMap.constant("24", 240, Fraction(100), bars=8)
    plan = plan_edit([EditSegment("1M1", "1", "2"), EditSegment("1M2", "3", "4")],
                     [audio(), audio("1M2", tmap=other, start=10 * SR, frames=30 * SR)],
                     crossfade_ms=40, fade_in_ms=0, fade_out_ms=0)

    def read(i, first, count):
        out = np.zeros((count, 2), dtype=np.int64)
        a, b = max(first, 0), min(first + count, len(sources[i]))
        out[a - first:b - first] = sources[i][a:b]
        return out

    rendered = np.concatenate(list(render_blocks(plan, read, block_frames=7000)))
    assert rendered.shape == (plan.frames, 2)
    a, b = plan.segments
    join = plan.joins[0]
    assert np.array_equal(rendered[:join.fade_start], sources[0][a.first:a.first
                                                                  + join.fade_start])
    tail = rendered[join.fade_end:]
    start = b.first + join.fade_end - b.at
    assert np.array_equal(tail, sources[1][start:start + len(tail)])
    k = np.arange(join.fade_start, join.fade_end)
    want = (sources[0][a.first + k - a.at] * plan.gains(0, join.fade_start, len(k))[:, None]
            + sources[1][b.first + k - b.at] * plan.gains(1, join.fade_start, len(k))[:, None])
    assert np.array_equal(rendered[join.fade_start:join.fade_end], np.rint(want))


@pytest.mark.parametrize("seg, words", [
    (EditSegment("1M1", "9", "12"), "segment 1 (1M1 9-12): no bar 9 in the cue's tempo map"),
    (EditSegment("1M1", "2", "9"), "segment 1 (1M1 2-9): no bar 9 in the cue's tempo map"),
    (EditSegment("1M1", "6.4", "7"), "no beat 4 in bar 6"),
    (EditSegment("1M1", "5", "3"), "segment 1 (1M1 5-3): 'to' is not after 'from'"),
    (EditSegment("1M1", "5.3", "5.3"), "'to' is not after 'from'"),
])
def test_bad_positions_name_the_segment_and_the_bar(seg, words):
    with pytest.raises(ValidationError) as caught:
        plan_edit([seg], [audio()])
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_other_bad_segments():
    with pytest.raises(InputError, match="not a segment"):
        edit_segment("1M1 1-4")
    with pytest.raises(InputError, match=r"segments\[2\].from.*not a position"):
        plan_edit(["1M1:1-2", "1M1:x-4"], [audio(), audio()])
    with pytest.raises(ValidationError, match="has no tempo map"):
        plan_edit(["1M1:1-2"], [audio(tmap=None)])
    assert plan_edit(["1M1:start-end"], [audio(tmap=None)]).frames == 20 * SR
    with pytest.raises(ValidationError, match="ends 12000 samples after the end of cue 1M1's mix"):
        plan_edit(["1M1:1-8"], [audio(frames=SR // 2 + 16 * SR - 12000)])
    with pytest.raises(ValidationError, match="1 channels at 48000 Hz, the edit's first"):
        plan_edit(["1M1:1-2", "1M2:1-2"], [audio(), audio("1M2", channels=1)])
    with pytest.raises(ValidationError, match="shorter than its fades"):
        plan_edit(["1M1:1-1", "1M1:2.1-2.2", "1M1:3-3"], [audio()] * 3, crossfade_ms=600)
    with pytest.raises(InputError, match="not a fade length"):
        plan_edit(["1M1:1-1"], [audio()], fade_out_ms=-3)
    assert edit_segment("1M5@2:9.3-END") == EditSegment("1M5", "9.3", "end", 2)
    assert edit_segment({"cue": "1M5", "mix": None, "from": "1", "to": "2"}).mix is None


# -- in a project ---------------------------------------------------------------------------


@pytest.fixture
def pctx(db_url, tmp_path):
    with album_project(tmp_path / "p", db_url) as ctx:
        scored_cue(ctx, "1M1", start_frame=24, bars=6, tmp=tmp_path, seed=1, pickup_s=0.5)
        scored_cue(ctx, "1M2", start_frame=24 * 60, bars=4, tmp=tmp_path, seed=2,
                   tempo=Fraction(100))
        yield ctx


def test_a_truncated_cue_is_rendered_and_read_back(pctx):
    spec = make_edit(pctx, "main-short", ["1M1:1-4"], fade_out_ms=500, title="Main Title "
                     "(Album Edit)")
    assert spec.kind == "truncation" and not spec.rendered and spec.frames == 4 * BAR_SECONDS * SR
    done = render_edit(pctx, "main-short")
    assert done.rendered and not done.stale
    stored = pctx.media.path(done.media_hash)
    data, rate = sf.read(stored, dtype="int32", always_2d=True)
    assert rate == SR and data.shape == (4 * BAR_SECONDS * SR, 2)
    source = mix_samples(pctx, "1M1")
    first = SR // 2  # bar 1, half a second into the mix
    got = data >> 8
    fade_in = EDGE_FADE_MS * SR // 1000
    body = slice(fade_in, len(got) - SR // 2)  # between the declick and the fade out
    assert np.array_equal(got[body], source[first + body.start:first + body.stop])
    assert abs(got[-1]).max() < abs(source[first + len(got) - 1]).max() / 100 + 2
    assert done.files[0]["mixes"] == {"1M1": 1} and done.files[0]["frames"] == len(got)


def test_a_suite_of_two_cues_has_its_exact_length(pctx):
    spec = make_edit(pctx, "suite", ["1M1:2-3", "1m2:1-2.3"], crossfade_ms=20)
    assert spec.kind == "suite" and spec.cues == ("1M1", "1M2")
    bar_100 = Fraction(12, 5)  # 4 beats at 100 bpm
    assert spec.frames == 2 * BAR_SECONDS * SR + (bar_100 + Fraction(6, 5)) * SR
    done = render_edit(pctx, "suite")
    assert sf.info(str(pctx.media.path(done.media_hash))).frames == spec.frames
    plan = edit_plan(pctx, "suite")
    assert plan.joins[0].at == 2 * BAR_SECONDS * SR
    assert [e.name for e in album_edits(pctx)] == ["suite"]


def test_a_new_mix_makes_a_rendered_edit_stale(pctx, tmp_path):
    make_edit(pctx, "short", ["1M2:1-2"])
    render_edit(pctx, "short")
    scored_cue(pctx, "1M2", tmp=tmp_path, seed=9, mix_only=True)  # mix v2
    assert get_edit(pctx, "short").stale
    assert not make_edit(pctx, "pinned", ["1M2@1:1-2"]).stale


def test_bad_edits_in_a_project_write_nothing(pctx):
    with pytest.raises(ValidationError, match=r"segment 2 \(1M2 3-9\): no bar 9"):
        make_edit(pctx, "bad", ["1M1:1-2", "1M2:3-9"])
    with pytest.raises(NotFoundError, match="segment 1 .*no cue 4M1"):
        make_edit(pctx, "bad", ["4M1:1-2"])
    with pytest.raises(NotFoundError, match="cue 1M1 has no mix v7"):
        make_edit(pctx, "bad", ["1M1@7:1-2"])
    with pytest.raises(ValidationError, match="a truncation is of one cue"):
        make_edit(pctx, "bad", ["1M1:1-2", "1M2:1-2"], kind="truncation")
    with pytest.raises(InputError, match="not an album edit name"):
        make_edit(pctx, "/etc", ["1M1:1-2"])
    assert album_edits(pctx) == []
    make_edit(pctx, "one", ["1M1:1-2"])
    with pytest.raises(ConflictError, match="exists already"):
        make_edit(pctx, "one", ["1M1:1-3"])
    assert make_edit(pctx, "one", ["1M1:1-3"], replace=True).frames == 3 * BAR_SECONDS * SR
    remove_edit(pctx, "one")
    with pytest.raises(NotFoundError, match="no album edit 'one'"):
        get_edit(pctx, "one")
