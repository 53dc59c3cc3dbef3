"""Selection and sequencing (album.sequence): the CD's rules exact on its frame grid, the
vinyl sides, digital, pins, an expanded edition's kept tracks, alternatives, the
listening order, and CP-SAT against the greedy fill."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from fractions import Fraction

import pytest

from filmscore.album.plan import medium_rules
from filmscore.album.sequence import Item, Options, Sequence, clock, greedy, prepare, solve
from filmscore.errors import InputError

FAST = Options(time_limit_seconds=3)


def cue(key: str, seconds, rating: int = 3, order: int | None = None, **kw) -> Item:
    number = int("".join(c for c in key if c.isdigit()) or 0)
    return Item(key=key, seconds=Fraction(seconds), rating=rating,
                film_order=number if order is None else order,
                cues=kw.pop("cues", frozenset({key})), **kw)


def keys(seq: Sequence) -> list[str]:
    return [t.key for t in seq.tracks]


def check_layout(seq: Sequence, medium) -> None:
    """Every rule of the medium holds for the sequence, exactly."""
    sides: dict[str, list] = {}
    for t in seq.tracks:
        sides.setdefault(t.side, []).append(t)
    assert [t.position for t in seq.tracks] == list(range(1, len(seq.tracks) + 1))
    total = Fraction(0)
    for side in sides.values():
        assert side[0].start == 0
        assert side[0].gap_seconds == medium.pregap_seconds
        for a, b in zip(side, side[1:], strict=False):
            assert b.gap_seconds == medium.gap_seconds
            assert b.start == a.start + a.seconds + b.gap_seconds
        used = side[-1].start + side[-1].seconds + side[0].gap_seconds
        if medium.max_seconds is not None:
            assert used <= medium.max_seconds
        if medium.max_tracks is not None:
            assert len(side) <= medium.max_tracks
        total += used
    assert seq.seconds == total
    if medium.sides > 1:
        assert len(sides) == medium.sides and list(sides) == list("ABCD"[:medium.sides])
        assert sum(seq.side_seconds.values()) == total


# --- CD ----------------------------------------------------------------------------------


def test_cd_counts_frames_exactly_with_the_pregap_and_the_gaps():
    # lengths a few samples off the 1/75 s grid: each is rounded up to a whole frame
    items = [cue("1M1", Fraction(3 * 60 * 48000 + 7, 48000), 5),
             cue("2M1", Fraction(2 * 60 * 48000 + 641, 48000), 4),
             cue("3M1", Fraction(90 * 48000 - 1, 48000), 3)]
    frames = [math.ceil(i.seconds * 75) for i in items]
    assert frames == [13501, 9002, 6750]
    exact = Fraction(150 + sum(frames) + 2 * 150, 75)  # pregap, music, two gaps
    medium = medium_rules("cd", {"max_seconds": str(exact)})
    seq = solve(items, medium, FAST)
    assert keys(seq) == ["1M1", "2M1", "3M1"] and seq.status == "optimal"
    check_layout(seq, medium)
    assert seq.seconds == exact == seq.capacity_seconds
    for t in seq.tracks:
        assert (t.start * 75).denominator == 1 and (t.seconds * 75).denominator == 1
    assert [t.seconds * 75 for t in seq.tracks] == frames
    assert seq.tracks[0].gap_seconds == 2 and seq.tracks[1].start == Fraction(13501 + 150, 75)
    # one frame less and the three no longer fit: the two best do
    short = medium_rules("cd", {"max_seconds": str(exact - Fraction(1, 75))})
    for found in (solve(items, short, FAST), greedy(items, short)):
        assert keys(found) == ["1M1", "2M1"]
        check_layout(found, short)
        assert found.left_out == ("3M1",)


def test_cd_rounds_a_gap_to_the_nearest_frame():
    items = [cue(f"{n}M1", 60, 3) for n in range(1, 4)]
    medium = medium_rules("cd", {"gap_seconds": "1.006"})  # 75.45 frames: 75
    seq = solve(items, medium, FAST)
    assert [t.gap_seconds for t in seq.tracks] == [2, 1, 1]
    assert seq.seconds == 2 + 180 + 2


def test_cd_holds_at_most_99_tracks():
    items = [cue(f"{n}M1", 5, 3 + n % 2) for n in range(1, 131)]
    medium = medium_rules("cd")
    for seq in (solve(items, medium, FAST), greedy(items, medium)):
        assert len(seq.tracks) == 99
        check_layout(seq, medium)
    best = solve(items, medium, FAST)
    assert best.rating == 65 * 4 + 34 * 3  # every 4 and the rest in 3s
    with pytest.raises(InputError, match="100 pinned and required tracks but the CD holds "
                                         "99 tracks"):
        solve([cue(f"{n}M1", 5, required=True) for n in range(1, 101)], medium, FAST)


def test_cd_tracks_last_at_least_4_seconds():
    items = [cue("1M1", Fraction(399, 100), 5), cue("2M1", 4, 1), cue("3M1", 60, 2)]
    medium = medium_rules("cd")
    seq = solve(items, medium, FAST)
    assert keys(seq) == ["2M1", "3M1"] and seq.left_out == ("1M1",)
    assert "1M1 is 0:03.99, shorter than the 0:04 a track on the CD must last" in \
        seq.refused["1M1"]
    pinned = [cue("1M1", Fraction(399, 100), 5, pinned="first"), cue("3M1", 60)]
    with pytest.raises(InputError) as caught:
        solve(pinned, medium, FAST)
    message = str(caught.value)
    assert "the pinned track 1M1 is 0:03.99, shorter than the 0:04" in message
    assert "\n" not in message and "at least 0:04" in message
    # vinyl has no such rule
    assert "1M1" in keys(solve(items, medium_rules("vinyl", {"max_seconds": 100}), FAST))


# --- pins, kept tracks, alternatives --------------------------------------------------


def score(n: int = 12, seed: int = 5) -> list[Item]:
    rng = random.Random(seed)
    return [cue(f"{k}M1", rng.randint(40, 200), rng.randint(1, 5),
                tempo_bpm=float(rng.randint(60, 160)),
                loudness_lufs=float(rng.randint(-28, -14)), bass_share=rng.random() / 2,
                pinned="first" if k == n else "last" if k == 1 else "",
                themes=frozenset({"ABCDE"[k % 5]}))
            for k in range(1, n + 1)]


@pytest.mark.parametrize("order", ["film", "listening"])
def test_pins_open_and_close_the_album(order):
    items = score()  # pinned first: the last cue of the film, pinned last: the first
    options = Options(order=order, time_limit_seconds=3)
    cd = medium_rules("cd", {"max_seconds": 900})
    seq = solve(items, cd, options)
    assert keys(seq)[0] == "12M1" and keys(seq)[-1] == "1M1"
    check_layout(seq, cd)
    lp = medium_rules("vinyl", {"max_seconds": 500})
    seq = solve(items, lp, options)
    check_layout(seq, lp)
    assert (seq.tracks[0].key, seq.tracks[0].side) == ("12M1", "A")
    assert (seq.tracks[-1].key, seq.tracks[-1].side) == ("1M1", "B")
    if order == "film":
        middle = [int(k.split("M")[0]) for k in keys(seq)[1:-1]]
        assert middle == sorted(middle)
    g = greedy(items, lp, options)
    assert keys(g)[0] == "12M1" and keys(g)[-1] == "1M1" and g.tracks[-1].side == "B"


def test_one_pin_of_each_kind():
    items = [cue("1M1", 60, pinned="first"), cue("2M1", 60, pinned="first")]
    with pytest.raises(InputError, match="only one track can be pinned first"):
        solve(items, medium_rules("cd"), FAST)
    with pytest.raises(InputError, match="unknown pin"):
        solve([cue("1M1", 60, pinned="middle")], medium_rules("cd"), FAST)


@pytest.mark.parametrize("order", ["film", "listening"])
@pytest.mark.parametrize("medium", ["cd", "vinyl"])
def test_an_expanded_edition_keeps_its_tracks_in_their_order(order, medium):
    items = score(14, seed=9)
    # the old album, in its own (not film) order: 9M1, 3M1, 11M1, 6M1
    old = ("9M1", "3M1", "11M1", "6M1")
    rules = medium_rules(medium, {"max_seconds": 800 if medium == "cd" else 420})
    options = Options(order=order, keep_order=old, time_limit_seconds=3)
    seq = solve(items, rules, options)
    check_layout(seq, rules)
    got = keys(seq)
    assert [k for k in got if k in old] == list(old)
    assert got[0] == "14M1" and got[-1] == "1M1"
    assert len(got) > len(old) + 2  # new tracks were added
    g = greedy(items, rules, options)
    assert [k for k in keys(g) if k in old] == list(old)
    # a kept track is required: with too little room, the new ones give way
    tight = medium_rules(medium, {"max_seconds": 2000})
    kept = [replace_rating(i, 0) if i.key in old else i for i in items]
    seq = solve(kept, tight, options)
    assert set(old) <= set(keys(seq))


def replace_rating(item: Item, rating: int) -> Item:
    from dataclasses import replace

    return replace(item, rating=rating)


def test_keep_order_must_name_candidates_and_agree_with_the_pins():
    items = score(6)
    with pytest.raises(InputError, match="field keep_order: a kept track is not among"):
        solve(items, medium_rules("cd"), Options(keep_order=("9M9",)))
    with pytest.raises(InputError, match="the track pinned first is not first"):
        solve(items, medium_rules("cd"), Options(keep_order=("2M1", "6M1")))


def test_alternatives_of_one_cue_exclude_each_other():
    items = [cue("1M3", 120, 4), cue("1M4", 100, 4),
             cue("Suite 1M3-1M4", 215, 5, order=3, cues=frozenset({"1M3", "1M4"})),
             cue("1M4 alt", 95, 3, order=4, cues=frozenset({"1M4"})), cue("2M1", 60, 2)]
    medium = medium_rules("digital")
    seq = solve(items, medium, FAST)
    # by the minute, the suite (5 x 3:35) beats its cues (4 x 2:00 + 4 x 1:40)
    assert keys(seq) == ["Suite 1M3-1M4", "2M1"]
    assert seq.objective == pytest.approx(float(Fraction(5 * 215 + 2 * 60, 60)), abs=0.01)
    by_track = replace(FAST, value="track")
    seq = solve(items, medium, by_track)
    assert keys(seq) == ["1M3", "1M4", "2M1"]  # a track a rating: 4 + 4 beat the suite's 5
    g = greedy(items, medium, by_track)
    assert keys(g) == ["Suite 1M3-1M4", "2M1"]  # the spreadsheet takes the 5 first
    assert solve(items, medium, Options(allow_repeats=True)).rating == 18
    # the suite required: its parts and the alternate are out, and said why
    required = [replace_required(i) if i.key.startswith("Suite") else i for i in items]
    seq = solve(required, medium, FAST)
    assert keys(seq) == ["Suite 1M3-1M4", "2M1"]
    assert "alternative of the required Suite 1M3-1M4" in seq.refused["1M4 alt"]
    both = [replace_required(i) if i.key in ("1M4", "1M4 alt") else i for i in items]
    with pytest.raises(InputError, match="are both made from cue 1M4: only one can be"):
        solve(both, medium, FAST)


def replace_required(item: Item) -> Item:
    from dataclasses import replace

    return replace(item, required=True)


def test_digital_takes_everything_rated_1_or_more():
    items = [cue("1M1", 60, 0), cue("2M1", 600, 1), cue("3M1", 4000, 5),
             cue("4M1", 30, 0, required=True)]
    seq = solve(items, medium_rules("digital"), FAST)
    assert keys(seq) == ["2M1", "3M1", "4M1"] and seq.capacity_seconds is None
    assert seq.refused == {"1M1": "1M1 is rated 0, under 1"}
    assert keys(solve(items, medium_rules("digital"), Options(min_rating=0))) == \
        ["1M1", "2M1", "3M1", "4M1"]


# --- vinyl -------------------------------------------------------------------------------


def test_vinyl_sides_are_balanced_and_in_film_order():
    rng = random.Random(3)
    items = [cue(f"{k}M1", rng.randint(60, 300), rng.randint(2, 5)) for k in range(1, 30)]
    medium = medium_rules("vinyl")
    seq = solve(items, medium, Options(time_limit_seconds=10))  # done in well under 1 s
    check_layout(seq, medium)
    a, b = seq.side_seconds["A"], seq.side_seconds["B"]
    assert abs(a - b) <= 5 and max(a, b) <= 22 * 60
    numbers = [int(k.split("M")[0]) for k in keys(seq)]
    assert numbers == sorted(numbers)  # film order across the sides
    g = greedy(items, medium)
    check_layout(g, medium)
    assert seq.objective >= g.objective
    double = medium_rules("vinyl", {"sides": 4, "max_seconds": 600})
    seq = solve(items, double, Options(time_limit_seconds=5))
    check_layout(seq, double)
    assert seq.objective >= greedy(items, double).objective


def test_vinyl_puts_loud_bassy_tracks_early_on_a_side():
    # same tempo and level: no contrast to gain, so only the bass decides the order
    items = [cue(f"{k}M1", 100, 3, tempo_bpm=100.0, loudness_lufs=-20.0,
                 bass_share=[0.1, 0.45, 0.2, 0.3, 0.05, 0.4, 0.25, 0.35][k - 1])
             for k in range(1, 9)]
    medium = medium_rules("vinyl", {"max_seconds": 420})
    seq = solve(items, medium, Options(order="listening", time_limit_seconds=5))
    check_layout(seq, medium)
    bass = {i.key: i.bass_share for i in items}
    for side in "AB":
        on = [bass[t.key] for t in seq.tracks if t.side == side]
        assert on == sorted(on, reverse=True), (side, on)
    assert seq.status == "optimal"


def test_a_side_that_cannot_hold_a_pinned_track_is_one_line():
    items = [cue("1M1", 192, pinned="first"), cue("9M4", 340, pinned="last"),
             cue("2M1", 60)]
    with pytest.raises(InputError) as caught:
        solve(items, medium_rules("vinyl", {"max_seconds": 240}), FAST)
    assert str(caught.value).startswith(
        "field seconds: the pinned track 9M4 (5:40) is longer than a side of the 12-inch "
        "LP (4:00)")
    with pytest.raises(InputError) as caught:
        solve(items, medium_rules("cd", {"max_seconds": 480}), FAST)
    message = str(caught.value)
    assert message.startswith("field pinned: the pinned tracks 1M1 (3:12) and 9M4 (5:40) "
                              "need 8:56 with the pregap and the gaps but the CD holds 8:00")
    assert "\n" not in message
    with pytest.raises(InputError, match=r"the 2 sides of the 12-inch LP hold 8:00 \(4:00 a"):
        solve([replace_required(cue("1M1", 200)), replace_required(cue("2M1", 200)),
               replace_required(cue("3M1", 200))], medium_rules("vinyl", {"max_seconds": 240}),
              FAST)
    greedy_error = pytest.raises(InputError, match="need 8:56")
    with greedy_error:
        greedy(items, medium_rules("cd", {"max_seconds": 480}))


def test_nothing_that_fits_is_an_error():
    with pytest.raises(InputError, match="no candidate can go on the CD"):
        solve([cue("1M1", 6000), cue("2M1", 2)], medium_rules("cd"), FAST)
    with pytest.raises(InputError, match="has 2 sides but only 1 candidate can be chosen"):
        solve([cue("1M1", 60)], medium_rules("vinyl"), FAST)
    with pytest.raises(InputError, match="field key: two candidates have the same key"):
        solve([cue("1M1", 60), cue("1M1", 70)], medium_rules("cd"), FAST)
    with pytest.raises(InputError, match="field order: unknown order"):
        solve([cue("1M1", 60)], medium_rules("cd"), Options(order="random"))
    with pytest.raises(InputError, match="field rating"):
        solve([cue("1M1", 60, 7)], medium_rules("cd"), FAST)


# --- listening order ---------------------------------------------------------------------


def contrast_sum(seq: Sequence, items: list[Item]) -> int:
    p = prepare(items, medium_rules(seq.medium), Options())
    index = {i.key: n for n, i in enumerate(p.items)}
    order = [index[k] for k in keys(seq)]
    return sum(p.contrast[a, b] for a, b in zip(order, order[1:], strict=False))


def test_listening_order_contrasts_neighbours_and_keeps_the_pins():
    # film order runs from slow and soft to fast and loud: no contrast between neighbours
    items = [cue(f"{k}M1", 90, 3, tempo_bpm=60.0 + 10 * k, loudness_lufs=-30.0 + k,
                 pinned="first" if k == 1 else "last" if k == 10 else "")
             for k in range(1, 11)]
    medium = medium_rules("cd")
    film = solve(items, medium, FAST)
    listening = solve(items, medium, Options(order="listening", time_limit_seconds=5))
    assert keys(film) == [f"{k}M1" for k in range(1, 11)]
    assert keys(listening) != keys(film) and sorted(keys(listening)) == sorted(keys(film))
    assert keys(listening)[0] == "1M1" and keys(listening)[-1] == "10M1"
    assert contrast_sum(listening, items) > contrast_sum(film, items)
    assert listening.status == "optimal"
    check_layout(listening, medium)
    nearest = greedy(items, medium, Options(order="listening"))
    assert keys(nearest)[0] == "1M1" and keys(nearest)[-1] == "10M1"
    assert contrast_sum(listening, items) >= contrast_sum(nearest, items)


# --- CP-SAT against the greedy fill ------------------------------------------------------


def random_items(rng: random.Random, n: int) -> list[Item]:
    items = [cue(f"{k}M1", rng.randint(20, 360), rng.randint(0, 5),
                 themes=frozenset(rng.sample("ABCDEFGH", rng.randint(0, 2))))
             for k in range(1, n + 1)]
    for k in rng.sample(range(1, n + 1), n // 5):
        items.append(cue(f"{k}M1 alt", rng.randint(20, 360), rng.randint(0, 5), order=k,
                         cues=frozenset({f"{k}M1"})))
    return items


@pytest.mark.parametrize("seed", range(4))
def test_the_solver_is_never_worse_than_the_greedy_fill(seed):
    rng = random.Random(seed)
    items = random_items(rng, 25)
    for medium in (medium_rules("cd", {"max_seconds": 1200}),
                   medium_rules("vinyl", {"max_seconds": 600})):
        best = solve(items, medium, Options(time_limit_seconds=2))
        check_layout(best, medium)
        for by in ("rating", "density"):
            fill = greedy(items, medium, Options(greedy_by=by))
            check_layout(fill, medium)
            assert best.objective >= fill.objective
        assert best.bound is None or best.bound >= best.objective


def test_the_solver_beats_the_greedy_fill_where_packing_matters():
    # 10:04 holds the pregap, two 5-minute cues and a gap; the best-rated cue (6:00)
    # alone leaves no room for either
    items = [cue("1M1", 360, 5), cue("2M1", 300, 4), cue("3M1", 300, 4)]
    medium = medium_rules("cd", {"max_seconds": 604})
    fill = greedy(items, medium)
    assert keys(fill) == ["1M1"] and fill.objective == 5 * 6  # rating x minutes
    best = solve(items, medium, FAST)
    assert keys(best) == ["2M1", "3M1"] and best.objective == 4 * 5 + 4 * 5
    assert best.status == "optimal" and best.seconds == 604


def test_themes_are_worth_their_weight():
    items = [cue("1M1", 300, 4, themes=frozenset({"Main"})),
             cue("2M1", 300, 3, themes=frozenset({"Love"})),
             cue("3M1", 300, 4, themes=frozenset({"Main"}))]
    medium = medium_rules("cd", {"max_seconds": 604})
    assert keys(solve(items, medium, Options(theme_weight=0))) == ["1M1", "3M1"]
    # by the minute 1M1 and 3M1 are worth 20 each, 2M1 15: a second theme must be worth
    # more than the 5 rating-minutes it costs
    assert keys(solve(items, medium, Options(theme_weight=4.9))) == ["1M1", "3M1"]
    heavy = solve(items, medium, Options(theme_weight=6))
    assert keys(heavy) == ["1M1", "2M1"] and heavy.themes == {"Main", "Love"}
    assert heavy.objective == 20 + 15 + 2 * 6
    by_track = solve(items, medium, Options(theme_weight=2, value="track"))
    assert keys(by_track) == ["1M1", "2M1"] and by_track.objective == 7 + 2 * 2


def test_clock():
    assert clock(Fraction(532)) == "8:52" and clock(Fraction(3, 1)) == "0:03"
    assert clock(Fraction(15301, 75)) == "3:24.01" and clock(5100) == "85:00"


def test_required_tracks_that_cannot_share_out_over_the_sides_are_one_line():
    # 4:00 a side: three required tracks of 2:30 fit 8:00 in all, not two sides
    items = [replace_required(cue(f"{k}M1", 150)) for k in range(1, 4)] + [cue("4M1", 30)]
    with pytest.raises(InputError) as caught:
        solve(items, medium_rules("vinyl", {"max_seconds": 240}), FAST)
    assert str(caught.value).startswith(
        "field required: the required tracks 1M1 (2:30), 2M1 (2:30) and 3M1 (2:30) cannot "
        "be laid out in film order on the 2 sides of the 12-inch LP (4:00 a side")
    assert "\n" not in str(caught.value)
