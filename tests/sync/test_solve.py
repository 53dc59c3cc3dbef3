"""Tempo map solver: fewest segments, every hard hit lands, pins kept, clear refusals."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from filmscore.errors import ValidationError
from filmscore.sync.findtempo import Hit, find_tempos
from filmscore.sync.solve import PinnedSegment, solve_tempo_map
from filmscore.timecode import get_rate

F = Fraction


def _beat_frames(segments, fps, upto):
    """Exact frame of every beat of the map, checked for continuity, up to frame ``upto``."""
    out = []
    for i, s in enumerate(segments):
        fpb = 60 * fps / s.tempo_bpm
        if i:
            prev = segments[i - 1]
            assert prev.start_beat + prev.beats == s.start_beat
            assert prev.start_frame + prev.beats * 60 * fps / prev.tempo_bpm == s.start_frame
        n = s.beats if s.beats is not None else int((upto - s.start_frame) / fpb) + 2
        out.extend(s.start_frame + j * fpb for j in range(n + (s.beats is None)))
    return out


ONE, LO, HI, RATIO = F(1), F(40), F(240), F(15, 100)


def _check(sol, hits, *, fps, tol=ONE, lo=LO, hi=HI, ratio=RATIO):
    beats = _beat_frames(sol.segments, fps, max(h.frame for h in hits))
    for h in hits:
        if h.kind == "hard":
            assert min(abs(b - h.frame) for b in beats) <= tol, h
    for r in sol.hits:
        assert r.result.landed or r.result.hit.kind != "hard"
    for a, b in zip(sol.segments, sol.segments[1:], strict=False):
        if not (a.pinned or b.pinned):
            assert abs(b.tempo_bpm - a.tempo_bpm) <= ratio * a.tempo_bpm
    assert all(lo <= s.tempo_bpm <= hi for s in sol.segments)


def _hits_from_map(rng, tempos, bars, rate, start, per_segment=4):
    """Hard hits on random beats of a known map (4/4, changes on bar lines), to the frame."""
    hits, a, beat0 = [], F(start), 0
    for tempo, nbars in zip(tempos, bars, strict=True):
        fpb = 60 * rate.fps / tempo
        beats = rng.sample(range(1, nbars * 4), per_segment)
        hits += [Hit(round(a + b * fpb)) for b in sorted(beats)]
        a += nbars * 4 * fpb
        beat0 += nbars * 4
    return hits


def test_one_tempo_gives_one_segment():
    hits = [Hit(100 + 12 * i) for i in (1, 3, 4, 9, 17, 30)]
    sol = solve_tempo_map(hits, start_frame=100, rate="24")
    assert len(sol.segments) == 1 and sol.segments[0].tempo_bpm == 120
    assert sol.segments[0].beats is None
    _check(sol, hits, fps=F(24))


@pytest.mark.parametrize("seed", range(10))
def test_maps_built_from_known_tempos(seed):
    rng = random.Random(seed)
    rate = get_rate(rng.choice(["24", "29.97", "23.976"]))
    n_seg = rng.choice([2, 3])
    tempos = [F(rng.randint(80, 140))]
    for _ in range(n_seg - 1):
        tempos.append(tempos[-1] * F(100 + rng.choice([-12, -10, -8, 8, 10, 12]), 100))
    bars = [rng.randint(3, 6) for _ in tempos]
    hits = _hits_from_map(rng, tempos, bars, rate, 1000)
    sol = solve_tempo_map(hits, start_frame=1000, rate=rate)
    assert len(sol.segments) <= n_seg
    _check(sol, hits, fps=rate.fps)
    near = solve_tempo_map(hits, start_frame=1000, rate=rate, prefer_bpm=tempos[0])
    assert len(near.segments) <= n_seg
    _check(near, hits, fps=rate.fps)
    assert abs(near.segments[0].tempo_bpm - tempos[0]) < tempos[0] / 4
    if len(sol.segments) > 1:
        # minimal against the exact one-tempo search
        assert find_tempos(hits, start_frame=1000, rate=rate) == []


def test_change_on_beats_and_bar_change():
    rng = random.Random(7)
    rate = get_rate("24")
    hits = _hits_from_map(rng, [F(100), F(110)], [3, 4], rate, 0)
    for kw in ({"change_at": "beat"}, {"allow_bar_change": True}):
        sol = solve_tempo_map(hits, start_frame=0, rate=rate, **kw)
        assert len(sol.segments) <= 2
        _check(sol, hits, fps=rate.fps)


def test_pinned_segments_are_kept():
    rng = random.Random(3)
    rate = get_rate("24")
    hits = _hits_from_map(rng, [F(120), F(108)], [4, 4], rate, 0, per_segment=3)
    pin = PinnedSegment(start_beat=8, beats=8, tempo_bpm=F(120))
    sol = solve_tempo_map(hits, start_frame=0, rate=rate, pinned=[pin])
    pinned = [s for s in sol.segments if s.pinned]
    assert [(s.start_beat, s.beats, s.tempo_bpm) for s in pinned] == [(8, 8, 120)]
    _check(sol, hits, fps=rate.fps)


def test_impossible_cases_say_what_to_relax():
    # two hits 3 frames apart cannot both land inside 40-60 BPM with one frame slack,
    # nor with a 1% change limit
    hits = [Hit(24), Hit(27), Hit(50)]
    with pytest.raises(ValidationError, match="frame") as e:
        solve_tempo_map(hits, start_frame=0, rate="24", tempo_range=(F(40), F(60)),
                        max_change_ratio=F(1, 100), cue="1M3")
    msg = str(e.value)
    assert "1M3" in msg and "tolerance" in msg and "tempo range" in msg
    with pytest.raises(ValidationError, match="no hard hits"):
        solve_tempo_map([Hit(10, kind="soft")], start_frame=0, rate="24")
    with pytest.raises(ValidationError, match="before bar 1"):
        solve_tempo_map([Hit(10)], start_frame=20, rate="24")
    with pytest.raises(ValidationError, match="pinned"):
        solve_tempo_map([Hit(10)], start_frame=0, rate="24",
                        pinned=[PinnedSegment(0, 4, F(300))])
