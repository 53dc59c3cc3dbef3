"""Comping, pure: the edit list's coverage named in its errors, the proposal with the fewest
edits, equal-power crossfades, and edit points exact to the sample from a tempo map with a
tempo change and a 3/4 bar."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filmscore.errors import InputError, ValidationError
from filmscore.mixing.comp import (
    BarBeat,
    CompTake,
    check_edits,
    crossfade_gains,
    fade_samples,
    film_sample,
    flag_takes,
    parse_edits,
    plan_comp,
    propose,
)
from filmscore.sync.tempomap import Meter, Segment, TempoMap


def _plain(bars: int = 20) -> TempoMap:
    return TempoMap.constant("24", 24, Fraction(120), bars=bars)


def _takes(*takes: CompTake) -> dict[int, CompTake]:
    return {t.number: t for t in takes}


def test_segments_are_written_from_to_with_bars_inclusive_and_beats_exclusive():
    segs = parse_edits(["13-20=7", "1-12=4"])
    assert [s.label for s in segs] == ["1-12=4", "13-20=7"]
    assert segs[0].end == BarBeat(13) == segs[1].start
    beats = parse_edits(["1-12.3=4", {"take": 7, "from": "12.3", "to": "20"}])
    assert beats[0].end == BarBeat(12, 3) == beats[1].start
    assert [s.to_dict() for s in beats] == [{"take": 4, "from": "1", "to": "12.3"},
                                            {"take": 7, "from": "12.3", "to": "20"}]
    with pytest.raises(InputError, match=r"field edits: not a segment \(got '1-12'\).*"
                                         r"FROM-TO=TAKE"):
        parse_edits(["1-12"])
    with pytest.raises(ValidationError, match="ends where or before it starts"):
        parse_edits(["12-11=4"])


def test_an_edit_list_with_gaps_or_overlaps_is_refused_with_the_bars_named():
    takes = _takes(CompTake(4), CompTake(7), CompTake(8, "pickup", True, 5, 8))
    tmap = _plain()
    check_edits(tmap, parse_edits(["1-12=4", "13-20=7"]), takes)  # fine
    with pytest.raises(ValidationError) as caught:
        check_edits(tmap, parse_edits(["1-12=4", "15-20=7", "20-20=4"]), takes)
    assert str(caught.value).startswith(
        "field edits: bars 13-14 are not covered; bar 20 is covered twice (takes 4 and 7);")
    with pytest.raises(ValidationError, match="bar 12 beat 3 is not covered"):
        check_edits(tmap, parse_edits(["1-12.3=4", "12.4-20=7"]), takes)
    with pytest.raises(ValidationError, match=r"bar 12 beats 3-4 are covered twice "
                                              r"\(takes 4 and 7\)"):
        check_edits(tmap, parse_edits(["1-12=4", "12.3-20=7"]), takes)
    with pytest.raises(ValidationError, match=r"take 8 \(pickup, bars 5-8\) does not play "
                                              r"bar 9"):
        check_edits(tmap, parse_edits(["1-4=4", "5-9=8", "10-20=7"]), takes)
    with pytest.raises(ValidationError, match=r"no take 9 of the cue.*valid: takes 4, 7 and 8"):
        check_edits(tmap, parse_edits(["1-20=9"]), takes)
    with pytest.raises(ValidationError, match=r"no bar 21 in the cue \(got '1-21=4'\); "
                                              r"valid: bars 1 to 20"):
        check_edits(tmap, parse_edits(["1-21=4"]), takes)
    three_four = TempoMap("24", 0, (Segment(2, Meter(3, 4)),))
    with pytest.raises(ValidationError, match=r"no beat 4 in bar 1 \(got '1-1.4=4'\).*"
                                              r"beats 1 to 3 in bar 1"):
        check_edits(three_four, parse_edits(["1-1.4=4", "1.4-2=7"]), takes)


def test_the_proposal_takes_the_fewest_edits_then_complete_then_later_takes():
    whole = CompTake(2, "complete", True, frames=1, start_sample=0)
    pickup = CompTake(5, "pickup", True, 13, 16, frames=1, start_sample=0)
    assert [s.label for s in propose(20, [whole, pickup]).segments] == ["1-20=2"]
    # a greedy cover would take 1-10, 11-20 ... the fewest is one edit, into take 6
    takes = [CompTake(1, "complete", True, 1, 10, frames=1, start_sample=0),
             CompTake(3, "pickup", True, 5, 15, frames=1, start_sample=0),
             CompTake(4, "pickup", True, 11, 20, frames=1, start_sample=0),
             CompTake(6, "pickup", True, 8, 20, frames=1, start_sample=0)]
    proposal = propose(20, takes)
    assert [s.label for s in proposal.segments] == ["1-10=1", "11-20=6"]
    assert proposal.edit_count == 1 and proposal.note == ""
    # two complete takes overlapping: the later one from as early as it can
    two = [CompTake(2, "complete", True, 1, 12, frames=1, start_sample=0),
           CompTake(3, "complete", True, 9, 20, frames=1, start_sample=0)]
    assert [s.label for s in propose(20, two).segments] == ["1-8=2", "9-20=3"]
    # ties between a complete and a pickup: the complete take keeps its bars
    tie = [CompTake(2, "complete", True, 1, 12, frames=1, start_sample=0),
           CompTake(9, "pickup", True, 10, 20, frames=1, start_sample=0)]
    assert [s.label for s in propose(20, tie).segments] == ["1-12=2", "13-20=9"]
    # uncircled takes, takes without audio and breakdowns are not proposed first
    plain = [CompTake(1, frames=1, start_sample=0), CompTake(2, frames=1, start_sample=0),
             CompTake(3, circled=True)]
    assert [s.label for s in propose(20, plain).segments] == ["1-20=2"]


def test_bars_no_circled_take_covers_fall_back_to_uncircled_complete_takes():
    takes = [CompTake(5, "pickup", True, 1, 12, frames=1, start_sample=0),
             CompTake(3, frames=1, start_sample=0),
             CompTake(8, "breakdown", True, 1, 20, frames=1, start_sample=0)]
    proposal = propose(20, takes)
    assert [s.label for s in proposal.segments] == ["1-12=5", "13-20=3"]
    assert proposal.note == ("bars 13-20: no circled take covers them; uncircled complete "
                             "take 3 used")
    with pytest.raises(ValidationError, match=r"no take covers bars 9-14, bar 20"):
        propose(20, [CompTake(1, "pickup", True, 1, 8, frames=1, start_sample=0),
                     CompTake(2, "pickup", False, 9, 19, frames=1, start_sample=0),
                     CompTake(4, "pickup", True, 15, 19, frames=1, start_sample=0)])
    with pytest.raises(ValidationError, match=r"no take covers bars 1-20 \(take 6: no audio or "
                                              r"no place on the film\)"):
        propose(20, [CompTake(6, circled=True, frames=10)])


def test_crossfades_are_equal_power_centred_and_mirrored():
    assert fade_samples(20, 48000) == 960
    assert fade_samples("0.01", 44100) == 0  # 0.441 samples: none
    assert fade_samples(Fraction(1, 96), 48000) == 1  # 0.5 rounds up
    for bad in (-1, "nan", float("inf")):
        with pytest.raises(InputError, match=r"field crossfade_ms: not a crossfade length .*"
                                             r"valid: 0 \(a butt splice\) or more ms"):
            fade_samples(bad, 48000)
    for length in (1, 2, 7, 960, 883):
        g_out, g_in = crossfade_gains(length)
        assert len(g_out) == length
        np.testing.assert_allclose(g_out ** 2 + g_in ** 2, 1.0, rtol=0, atol=1e-15)
        np.testing.assert_allclose(g_out, g_in[::-1], rtol=0, atol=1e-15)
        assert np.all(np.diff(g_in) > 0) and np.all(np.diff(g_out) < 0)
    # a block from the middle of a fade is the same curve
    whole = crossfade_gains(960)
    part = crossfade_gains(960, 300, 200)
    np.testing.assert_array_equal(part[0], whole[0][300:500])
    np.testing.assert_array_equal(part[1], whole[1][300:500])


def _changing_map() -> TempoMap:
    """Bar 1 at 23.976 frame 24 (1.001 s); bars 1-2 4/4 at 120, bar 3 in 3/4 at 90,
    bars 4-5 4/4 at 100."""
    return TempoMap("23.976", 24, (Segment(2, Meter(4, 4), Fraction(120)),
                                   Segment(1, Meter(3, 4), Fraction(90)),
                                   Segment(2, Meter(4, 4), Fraction(100))))


def test_edit_points_are_exact_samples_from_the_tempo_map():
    tmap = _changing_map()
    sr = 44100
    start = Fraction(24 * 1001, 24000)  # bar 1 on the film
    # bar 3 (3/4 at 90) starts at 4 s; its beat 2 at 4 + 2/3 s; bar 4 at 6 s, bar 5 at 8.4 s
    assert film_sample(tmap, BarBeat(3, 2), sr) == ((start + 4 + Fraction(2, 3)) * sr
                                                    + Fraction(1, 2)).__floor__() == 249944
    assert film_sample(tmap, BarBeat(4), sr) == 308744  # 308744.1
    assert film_sample(tmap, BarBeat(5, 3), sr) == ((start + Fraction(84, 10) + Fraction(12, 10))
                                                    * sr + Fraction(1, 2)).__floor__()
    # half a sample rounds up, once
    half = TempoMap("24", 0, (Segment(2, Meter(4, 4), Fraction(5760000, 45001)),))
    assert film_sample(half, BarBeat(1, 2), 48000) == 22501  # 22500.5

    cue_start = 44144  # the cue's first frame (frame 24 at 23.976: 44144.1 samples)
    takes = [CompTake(1, frames=600_000, start_sample=cue_start - 1000, tempo_map_version=1),
             CompTake(2, "pickup", True, 3, 5, start_sample=200_000, frames=400_000,
                      tempo_map_version=2)]
    plan = plan_comp(tmap, parse_edits(["1-3.2=1", "3.2-5=2"]), takes, sample_rate=sr,
                     cue_start_sample=cue_start, crossfade_ms=20, tempo_map_version=2)
    (edit,) = plan.edits
    assert edit.film_sample == 249944 and edit.sample == 249944 - cue_start
    assert (edit.out_take, edit.in_take, plan.fade) == (1, 2, 882)
    assert (edit.fade_start, edit.fade_end) == (edit.sample - 441, edit.sample + 441)
    assert plan.offset(1) == 1000 and plan.offset(2) == cue_start - 200_000
    end_of_bar_5 = film_sample(tmap, BarBeat(6), sr) - cue_start
    assert plan.segment_samples == ((film_sample(tmap, BarBeat(1), sr) - cue_start,
                                     edit.sample), (edit.sample, end_of_bar_5))
    # the comp runs through take 2's ring-out, to its end
    assert plan.length == 200_000 + 400_000 - cue_start
    assert [(r.start, r.end, r.take, r.into) for r in plan.regions] == [
        (0, edit.fade_start, 1, None), (edit.fade_start, edit.fade_end, 1, 2),
        (edit.fade_end, plan.length, 2, None)]
    assert plan.flagged == ("recorded to an older tempo map than the cue's v2: take 1 "
                            "(tempo map v1)")


def test_edits_outside_a_take_or_its_audio_are_refused():
    tmap = _plain(8)  # bar 1 at 1 s (48000), 2 s bars at 48 kHz
    short = [CompTake(1, start_sample=48000, frames=48000 * 9),
             CompTake(2, start_sample=48000 * 9, frames=48000 * 10)]  # from bar 5
    with pytest.raises(ValidationError, match=r"an edit outside take 2's audio: playing "
                                              r"bars 5-8 .* takes its samples -480 to "):
        plan_comp(tmap, parse_edits(["1-4=1", "5-8=2"]), short, sample_rate=48000,
                  cue_start_sample=48000, crossfade_ms=20)
    with pytest.raises(ValidationError, match=r"take 1's audio: playing bars 1-4 .*it has 0 "
                                              r"to 384000"):
        plan_comp(tmap, parse_edits(["1-4=1", "5-8=2"]), [
            CompTake(1, start_sample=48000, frames=48000 * 8), CompTake(2, start_sample=0,
                                                                       frames=48000 * 20)],
            sample_rate=48000, cue_start_sample=48000, crossfade_ms=20)
    with pytest.raises(ValidationError, match="take 3 has no place on the film"):
        plan_comp(tmap, parse_edits(["1-8=3"]), [CompTake(3, frames=10)], sample_rate=48000,
                  cue_start_sample=48000, crossfade_ms=20)
    with pytest.raises(ValidationError, match="the crossfades at 2 and 2.2 overlap"):
        plan_comp(tmap, parse_edits(["1=1", "2-2.2=2", "2.2-8=1"]),
                  [CompTake(1, start_sample=0, frames=10**7),
                   CompTake(2, start_sample=0, frames=10**7)],
                  sample_rate=48000, cue_start_sample=48000, crossfade_ms=600)


def test_neighbouring_segments_of_one_take_make_no_edit_and_a_butt_splice_no_fade():
    tmap = _plain(8)
    takes = [CompTake(1, start_sample=0, frames=10**6), CompTake(2, start_sample=0,
                                                                 frames=10**6)]
    plan = plan_comp(tmap, parse_edits(["1-4=1", "5-6=1", "7-8=2"]), takes,
                     sample_rate=48000, cue_start_sample=48000, crossfade_ms=0)
    assert [s.label for s in plan.segments] == ["1-6=1", "7-8=2"]
    (edit,) = plan.edits
    assert edit.sample == 12 * 48000 and edit.fade_start == edit.fade_end == edit.sample
    assert [(r.start, r.end, r.take) for r in plan.regions] == [
        (0, edit.sample, 1), (edit.sample, 10**6 - 48000, 2)]


def test_takes_played_to_an_older_tempo_map_are_flagged():
    assert flag_takes([CompTake(3, tempo_map_version=2), CompTake(1, tempo_map_version=1),
                       CompTake(2)], 2) == (
        "recorded to an older tempo map than the cue's v2: take 1 (tempo map v1), take 2 "
        "(logged before the cue had a tempo map)")
    assert flag_takes([CompTake(1, tempo_map_version=2)], 2) == ""


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 24).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.tuples(st.integers(1, n), st.integers(0, n), st.booleans()), min_size=1, max_size=7))))
def test_the_proposal_has_as_few_edits_as_a_greedy_cover(case):
    bar_count, spans = case
    takes = [CompTake(i + 1, "complete" if whole else "pickup", True, lo, min(lo + length,
                                                                             bar_count),
                      start_sample=0, frames=1)
             for i, (lo, length, whole) in enumerate(spans)]
    # the greedy cover (from each bar, the take reaching furthest) is a minimum one
    greedy, bar = 0, 1
    while bar <= bar_count:
        reach = max((t.bar_to for t in takes if t.bar_from <= bar <= t.bar_to), default=None)
        if reach is None:
            greedy = None
            break
        greedy, bar = greedy + 1, reach + 1
    if greedy is None:
        with pytest.raises(ValidationError, match="no take covers"):
            propose(bar_count, takes)
        return
    proposal = propose(bar_count, takes)
    assert len(proposal.segments) == greedy
    tmap = TempoMap.constant("24", 0, Fraction(120), bars=bar_count)
    check_edits(tmap, proposal.segments, {t.number: t for t in takes})
