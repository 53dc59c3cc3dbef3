"""Theme search on generated music: transformations, parts, bars and beats, concordance."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from filmscore.errors import InputError
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.themesearch import (
    DEFAULT_WEIGHTS,
    LEAD_PART,
    MIN_SCORE,
    WIDE_SCORE,
    WIDE_WEIGHTS,
    Place,
    Weights,
    bar_beat,
    build_index,
    concordance,
    heard_as,
    one_theme_per_passage,
    search,
)

# a 10-note theme in C major: (pitch, duration in quarters)
THEME = [(60, 1), (64, 1), (67, F(3, 2)), (65, F(1, 2)), (64, 1), (62, 1), (67, 2),
         (72, 1), (71, F(1, 2)), (69, F(1, 2))]


def _notes(spec, start=F(0), transpose=0):
    out, t = [], F(start)
    for pitch, dur in spec:
        if pitch is not None:
            out.append(Note(t, F(dur), pitch + transpose))
        t += F(dur)
    return out


def _walk(seed: int, n: int, start=F(0), low=48, high=84):
    """A random walk with random rhythm: music that shares nothing with the theme."""
    rng = random.Random(seed)
    pitch, t, out = 66, F(start), []
    for _ in range(n):
        pitch = min(high, max(low, pitch + rng.choice([-7, -5, -4, -3, 3, 4, 5, 7, 8])))
        dur = F(rng.choice([1, 2, 3, 4]), 4)
        out.append(Note(t, dur, pitch))
        t += dur
    return out


def _theme_music() -> Music:
    return Music((Part("theme", tuple(_notes(THEME))),))


def _piece(*parts: Part, meter: Meter | None = None) -> Music:
    return Music(tuple(parts), meter=meter or Meter(4, 4))


def _only(matches, **want):
    return [m for m in matches if all(getattr(m, k) == v for k, v in want.items())]


BAR4 = F(12)  # bar 4 in 4/4


def test_themesearch_transposed_exact_bar_and_beat():
    melody = _notes(THEME, start=BAR4 + 1, transpose=5)  # bar 4, beat 2, up a fourth
    index = build_index({"1M1": _piece(Part("Flute", tuple(melody)))})
    matches = search(index, _theme_music())
    assert matches, "the transposed theme is not found"
    best = matches[0]
    assert (best.piece, best.part, best.transform) == ("1M1", "Flute", "prime")
    assert best.transposition == 5
    assert (best.bar, best.beat) == (4, 2)
    assert best.onset == BAR4 + 1 and best.end == BAR4 + 1 + sum(F(d) for _, d in THEME)
    assert best.score > 0.95


def test_themesearch_inversion():
    inverted = [(2 * 60 - p, d) for p, d in THEME]
    index = build_index({"2M1": _piece(Part("Horn", tuple(_notes(inverted, transpose=7))))})
    best = search(index, _theme_music())[0]
    assert best.transform == "inversion" and best.transposition == 7
    # a transformed statement pays the transform's cost, and only that
    cost = DEFAULT_WEIGHTS.transform_cost
    assert cost > 0 and best.score > 0.95 - cost
    free = search(index, _theme_music(), weights=Weights(transform_cost=0.0))[0]
    assert free.transform == "inversion" and free.score == pytest.approx(best.score + cost)


def test_themesearch_retrograde():
    index = build_index({"3M1": _piece(Part("Oboe", tuple(_notes(THEME[::-1], transpose=-2))))})
    best = search(index, _theme_music())[0]
    assert best.transform == "retrograde"
    assert best.score > 0.9 - DEFAULT_WEIGHTS.transform_cost


def test_themesearch_augmentation_and_diminution():
    aug = [(p, d * 2) for p, d in THEME]
    dim = [(p, F(d) / 2) for p, d in THEME]
    index = build_index({"4M1": _piece(Part("Cello", tuple(_notes(aug, transpose=-24)))),
                         "4M2": _piece(Part("Piccolo", tuple(_notes(dim, transpose=12))))})
    matches = search(index, _theme_music())
    aug_best = _only(matches, piece="4M1")[0]
    dim_best = _only(matches, piece="4M2")[0]
    assert aug_best.transform == "augmentation" and aug_best.transposition == -24
    assert dim_best.transform == "diminution" and dim_best.transposition == 12


def test_themesearch_passing_notes_and_ornaments():
    # a passing or neighbour note (an eighth) between most pairs of theme notes
    spec = []
    for (p, d), (q, _) in zip(THEME, THEME[1:] + [THEME[-1]], strict=True):
        d = F(d)
        if d >= 1 and p != q:
            step = 1 if q > p else -1
            spec += [(p, d - F(1, 2)), (p + 2 * step if abs(q - p) > 2 else p - 1, F(1, 2))]
        else:
            spec.append((p, d))
    spec.insert(1, (62, F(1, 8)))  # and a grace-like note
    index = build_index({"5M1": _piece(Part("Violin", tuple(_notes(spec, transpose=3))))})
    best = search(index, _theme_music())[0]
    assert best.transform == "prime" and best.transposition == 3
    assert best.notes > len(THEME)  # it spans the added notes


def test_themesearch_rhythm_changed():
    rng = random.Random(7)
    changed = [(p, F(rng.choice([1, 2, 3]), 2)) for p, _ in THEME]  # new rhythm, same pitches
    index = build_index({"6M1": _piece(Part("Clarinet", tuple(_notes(changed, start=4))))})
    best = search(index, _theme_music())[0]
    assert best.transposition == 0 and best.onset == 4 and best.score > 0.6


def test_themesearch_inner_part():
    violin = Part("Violin I", tuple(_walk(11, 40, low=74, high=90)))
    viola = Part("Viola", tuple(_notes(THEME, start=8, transpose=-7)))
    cello = Part("Cello", tuple(_walk(12, 30, low=36, high=52)))
    index = build_index({"7M1": _piece(violin, viola, cello)})
    matches = search(index, _theme_music())
    assert matches[0].part == "Viola" and matches[0].bar == 3 and matches[0].transposition == -7


def test_themesearch_split_between_parts():
    first, second = THEME[:5], THEME[5:]
    start2 = sum(F(d) for _, d in first)
    violin = Part("Violin I", tuple(_notes(first, start=16, transpose=2)))
    viola = Part("Viola", tuple(_notes(second, start=16 + start2, transpose=2)))
    cello = Part("Cello", tuple(Note(F(4 * i), F(4), 36 + (i % 3)) for i in range(12)))
    index = build_index({"8M1": _piece(violin, viola, cello)})
    best = search(index, _theme_music())[0]
    assert best.part == "Violin I / Viola"
    assert (best.bar, best.beat, best.transposition) == (5, 1, 2)


def test_themesearch_not_in_unrelated_music():
    parts = (Part("Flute", tuple(_walk(1936, 300, low=60, high=90))),
             Part("Bassoon", tuple(_walk(1937, 300, low=36, high=60))))
    index = build_index({"9M1": _piece(*parts)})
    assert search(index, _theme_music()) == []
    assert search(index, _theme_music(), exhaustive=True) == []


def test_themesearch_indexed_agrees_with_exhaustive():
    melody = _walk(3, 50) + _notes(THEME, start=60, transpose=1) + _walk(4, 40, start=80)
    index = build_index({"10M1": _piece(Part("Flute", tuple(melody)))})
    fast = search(index, _theme_music(), min_score=0.7)
    slow = search(index, _theme_music(), min_score=0.7, exhaustive=True)
    assert fast and [(m.onset, m.transform) for m in fast][:1] == \
        [(m.onset, m.transform) for m in slow][:1]


def test_themesearch_concordance_views_agree():
    pieces = {
        "1M1": _piece(Part("Flute", tuple(_notes(THEME, start=4)))),
        "1M2": _piece(Part("Horn", tuple(_walk(5, 60)))),
        "1M3": _piece(Part("Oboe", tuple(_notes(THEME, start=0, transpose=2)
                                         + _walk(6, 20, start=20)))),
    }
    motif = Music((Part("m", tuple(_notes([(67, 1), (65, 1), (64, 1), (62, 1), (60, 2)]))),))
    conc = concordance(build_index(pieces), {"love": _theme_music(), "descent": motif})
    assert {m.piece for m in conc.by_theme["love"]} == {"1M1", "1M3"}
    assert set(conc.by_piece) == {"1M1", "1M2", "1M3"}
    from_themes = sorted((t, m.piece, m.onset) for t, ms in conc.by_theme.items() for m in ms)
    from_pieces = sorted((o.theme, p, o.match.onset) for p, os in conc.by_piece.items()
                         for o in os)
    assert from_themes == from_pieces


def test_themesearch_bar_beat_in_other_meters():
    assert bar_beat(F(0), Meter(4, 4)) == (1, 1)
    assert bar_beat(F(13, 2), Meter(3, 4)) == (3, F(3, 2))
    assert bar_beat(F(3), Meter(6, 8)) == (2, 1)
    assert bar_beat(F(-1), Meter(4, 4)) == (0, 4)


def test_themesearch_refuses_a_too_short_theme():
    index = build_index({"x": _piece(Part("Flute", tuple(_walk(1, 20))))})
    with pytest.raises(InputError, match="more notes"):
        search(index, Music((Part("t", tuple(_notes(THEME[:3]))),)))
    with pytest.raises(InputError, match="unknown transform"):
        search(index, _theme_music(), transforms=("sideways",))


def test_themesearch_a_doubled_statement_is_one_occurrence_in_its_leading_part():
    """Flute an octave above the first violins and the oboe in unison with them: one
    occurrence, in the first violins (the line the orchestra's melody is written in), the
    others listed beside it; the same theme two bars later in the violins alone is another
    occurrence."""
    start = F(4)
    flute = Part("Flute", tuple(_notes(THEME, start=start, transpose=12)))
    oboe = Part("Oboe", tuple(_notes(THEME, start=start)))
    violin = Part("Violin I", tuple(_notes(THEME, start=start)
                                    + _notes(THEME, start=start + 16, transpose=2)))
    cello = Part("Cello", tuple(Note(F(4 * i), F(4), 36 + (i % 3)) for i in range(10)))
    index = build_index({"2M1": _piece(flute, oboe, violin, cello)})
    matches = [m for m in search(index, _theme_music(), transforms=("prime",))
               if m.score > 0.9]
    assert [(m.part, m.bar, m.transposition) for m in matches] == [
        ("Violin I", 2, 0), ("Violin I", 6, 2)]
    assert set(matches[0].doubled_by) == {"Oboe", "Flute"}
    assert matches[1].doubled_by == ()


def test_themesearch_without_the_first_violins_the_top_part_leads():
    """Flute an octave above the clarinet, the second violins an octave below: the flute
    (the top of the texture) leads."""
    flute = Part("Flute", tuple(_notes(THEME, start=4, transpose=12)))
    clarinet = Part("Clarinet in Bb", tuple(_notes(THEME, start=4)))
    violin2 = Part("Violin II", tuple(_notes(THEME, start=4, transpose=-12)))
    index = build_index({"2M2": _piece(violin2, clarinet, flute)})
    matches = [m for m in search(index, _theme_music(), transforms=("prime",))
               if m.score > 0.9]
    assert [(m.part, m.bar) for m in matches] == [("Flute", 2)]
    assert set(matches[0].doubled_by) == {"Clarinet in Bb", "Violin II"}


@pytest.mark.parametrize("name,first", [
    ("Violin 1", True), ("Violin I", True), ("Violino I", True), ("Vln. 1", True),
    ("1st Violins", True), ("Violins", True), ("Vn1", True), ("Violine 1", True),
    ("1. Violine", True), ("I. Violine", True), ("Violons I", True), ("2. Violine", False),
    ("Violin 2", False), ("Violins II", False), ("Viola", False), ("Violoncello", False),
    ("Flute 1", False)])
def test_themesearch_first_violins_named_as_scores_name_them(name: str, first: bool):
    assert (LEAD_PART.match(name) is not None) is first


def test_themesearch_the_prime_form_wins_over_a_transform_of_the_same_notes():
    """A palindrome is its own retrograde: the notes are reported once, as the prime
    form (the transform pays its cost), not as a retrograde."""
    half = [(60, 1), (64, 1), (67, F(1, 2)), (65, F(1, 2)), (69, 1)]
    palindrome = half + half[-2::-1]
    index = build_index({"5M1": _piece(Part("Horn", tuple(_notes(palindrome, start=4))))})
    query = Music((Part("q", tuple(_notes(palindrome))),))
    matches = search(index, query, min_score=0.5)
    assert matches[0].transform == "prime" and matches[0].score > 0.95
    assert all(m.transform == "prime" or m.score < matches[0].score for m in matches)


def test_themesearch_a_canon_is_two_statements():
    """The same theme in two parts a bar apart is two occurrences, not a doubling."""
    violin = Part("Violin I", tuple(_notes(THEME, start=4)))
    viola = Part("Viola", tuple(_notes(THEME, start=8, transpose=-12)))
    index = build_index({"3M1": _piece(violin, viola)})
    matches = [m for m in search(index, _theme_music(), transforms=("prime",))
               if m.score > 0.85]  # the viola's under the violins for most of it
    assert sorted((m.part, m.bar) for m in matches) == [("Viola", 3), ("Violin I", 2)]


def test_themesearch_a_theme_that_says_little_must_earn_its_match():
    """Scale steps in music full of scale steps: an exact match of them is worth less
    than an exact match of a theme whose intervals are rare there."""
    scale = [(60 + s, F(1, 2)) for s in (0, 2, 4, 5, 7, 9, 11, 12)]
    runs = []
    for k in range(12):
        runs += [(p + (k % 5), d) for p, d in scale]
    flute = Part("Flute", tuple(_notes(runs + THEME)))
    index = build_index({"4M1": _piece(flute)})
    up_a_scale = Music((Part("q", tuple(_notes(scale[:6]))),))
    scale_best = search(index, up_a_scale, transforms=("prime",), min_score=0.0)[0]
    theme_best = search(index, _theme_music(), transforms=("prime",))[0]
    assert theme_best.score > 0.95
    assert scale_best.score < theme_best.score - 0.1


def test_themesearch_the_same_notes_under_a_melody_rank_below_the_melody():
    alone = Part("Viola", tuple(_notes(THEME, start=4, transpose=-7)))
    under = Part("Viola", tuple(_notes(THEME, start=4, transpose=-7)))
    above = Part("Violin I", tuple(_walk(21, 40, low=79, high=95)))
    index = build_index({"5M1": _piece(alone), "5M2": _piece(above, under)})
    found = {m.piece: m for m in search(index, _theme_music(), transforms=("prime",))
             if m.part == "Viola"}
    assert found["5M1"].score > found["5M2"].score
    assert found["5M2"].score >= MIN_SCORE  # still found by default


def _variant_found(variant: list, start=F(8)) -> list:
    """Search the theme in a piece where ``variant`` (pitch, duration) is stated once,
    amid random music: the matches at the variant's place."""
    flute = Part("Flute", tuple(_walk(31, 30, low=72, high=90)
                                + _notes(variant, start=F(40))
                                + _walk(32, 30, start=F(80), low=72, high=90)))
    index = build_index({"6M1": _piece(flute)})
    return [m for m in search(index, _theme_music(), transforms=("prime",))
            if F(38) <= m.onset <= F(44)]


def test_themesearch_a_note_moved_by_an_octave_inside_the_line():
    moved = list(THEME)
    moved[6] = (moved[6][0] - 12, moved[6][1])  # the G of bar 2 down an octave
    found = _variant_found(moved)
    assert found and found[0].transposition == 0 and found[0].score > 0.8


def test_themesearch_a_repeated_note_added_or_dropped():
    repeated = [(60, 1), (60, 1)] + THEME[1:]  # the first note struck twice
    assert _variant_found(repeated)
    with_repeat = THEME[:4] + [(65, F(1, 2)), (65, F(1, 2))] + THEME[5:]  # E, E: F, F
    theme_with_repeat = Music((Part("t", tuple(_notes(with_repeat))),))
    flute = Part("Flute", tuple(_walk(33, 30, low=72, high=90)
                                + _notes(THEME, start=F(40))))
    index = build_index({"6M2": _piece(flute)})
    found = [m for m in search(index, theme_with_repeat, transforms=("prime",))
             if m.onset >= F(38)]
    # the repeat dropped costs half a missing note: 0.79 (0.76 at a whole one)
    assert found and found[0].onset == F(40) and found[0].score > 0.78


def test_themesearch_a_pickup_added_or_dropped():
    with_pickup = [(55, F(1, 2))] + THEME  # a G pickup before the theme
    assert _variant_found(with_pickup)
    pickup_theme = Music((Part("t", tuple(_notes(with_pickup))),))
    flute = Part("Flute", tuple(_walk(34, 30, low=72, high=90)
                                + _notes(THEME, start=F(40))))
    index = build_index({"6M3": _piece(flute)})
    found = [m for m in search(index, pickup_theme, transforms=("prime",))
             if m.onset >= F(38)]
    # the pickup dropped costs half a missing note: 0.87 (0.84 at a whole one)
    assert found and found[0].onset == F(40) and found[0].score > 0.86


def test_themesearch_the_head_of_a_theme_alone_is_found_as_its_head():
    # a theme of 14 notes; its first six, then a continuation of their own (a
    # development, a cue quoting the theme): not the theme, but its head, which pays the
    # head cost
    long_theme = THEME + [(67, 1), (65, 1), (64, F(1, 2)), (60, F(3, 2))]
    theme = Music((Part("theme", tuple(_notes(long_theme))),))
    head = _notes(long_theme[:6], start=BAR4, transpose=3)
    head_end = BAR4 + sum(F(d) for _, d in long_theme[:6])
    after = _walk(11, 12, start=head_end, low=40, high=52)
    index = build_index({"5M1": _piece(Part("Horn", tuple(head + after)))})
    cost = WIDE_WEIGHTS.head_cost
    assert cost is not None and cost > 0
    found = search(index, theme, min_score=0.45, weights=WIDE_WEIGHTS)
    heads = _only(found, transform="head")
    assert [(m.bar, m.beat, m.transposition, m.part) for m in heads] == [(4, 1, 3, "Horn")]
    assert heads[0].score == pytest.approx(1.0 - cost, abs=0.05)
    assert heads[0].end == head_end and heads[0].notes == 6
    # not read alone (the report's reading): only a poor match of the whole theme, if
    # any, is left there
    assert DEFAULT_WEIGHTS.head_cost is None
    unread = search(index, theme, min_score=0.3)
    assert not _only(unread, transform="head")
    assert all(m.score < 0.45 for m in unread)
    # the head of a theme too short to have one is not read alone
    short = Music((Part("theme", tuple(_notes(long_theme[:8]))),))
    assert not [m for m in search(index, short, min_score=0.3, weights=WIDE_WEIGHTS)
                if m.transform.startswith("head")]


def test_themesearch_the_head_of_a_ten_note_theme_is_read_where_the_whole_is_not_shown():
    # six of ten notes then other music: the whole theme scores under WIDE_SCORE (the
    # six notes make most of it), not shown; its head is, in the wide reading
    head = _notes(THEME[:6], start=BAR4, transpose=3)
    after = _walk(11, 8, start=BAR4 + sum(F(d) for _, d in THEME[:6]), low=40, high=52)
    index = build_index({"5M3": _piece(Part("Horn", tuple(head + after)))})
    whole = search(index, _theme_music(), min_score=0.3)
    assert whole and max(m.score for m in whole) < WIDE_SCORE
    wide = search(index, _theme_music(), min_score=WIDE_SCORE, weights=WIDE_WEIGHTS)
    assert [(m.transform, m.bar, m.notes) for m in wide] == [("head", 4, 6)]


def test_themesearch_where_the_whole_theme_is_heard_its_head_is_not_reported():
    melody = _walk(12, 30) + _notes(THEME, start=40, transpose=-2) + _walk(13, 30, start=56)
    index = build_index({"5M2": _piece(Part("Violin 1", tuple(melody)))})
    found = search(index, _theme_music(), min_score=0.45, weights=WIDE_WEIGHTS)
    assert [m.transform for m in found if m.onset == 40] == ["prime"]
    assert not [m for m in found if m.transform.startswith("head") and 40 <= m.onset < 56]


def test_themesearch_a_higher_threshold_keeps_the_same_occurrences():
    # reading heads, the whole theme is selected down to HEAD_YIELD (WIDE_SCORE) whatever
    # the threshold: searching at 0.7 is the search at WIDE_SCORE cut at 0.7 (same
    # statements, doublings and heads)
    head = _notes(THEME[:6], start=F(8), transpose=3)
    melody = (_walk(21, 20) + head + _walk(22, 10, start=F(40))
              + _notes(THEME, start=F(60)) + _notes([(p, F(d) * 2) for p, d in THEME],
                                                    start=F(100), transpose=-5))
    index = build_index({"6M1": _piece(Part("Flute", tuple(sorted(melody))),
                                       Part("Oboe", tuple(_notes(THEME, start=F(60),
                                                                 transpose=-12))))})
    low = search(index, _theme_music(), min_score=WIDE_SCORE, weights=WIDE_WEIGHTS)
    for th in (0.6, 0.7, 0.8):
        assert search(index, _theme_music(), min_score=th, weights=WIDE_WEIGHTS) == [
            m for m in low if m.score >= th]
    assert {m.transform for m in low} >= {"prime", "head"}


def _place(theme, score, onset=0, end=8, parts=("Violin I",), piece="1M1", fixed=False):
    return Place(theme, piece, frozenset(parts), F(onset), F(end), score, fixed)


def test_heard_as_names_a_passage_by_the_theme_that_matches_it_best():
    places = [
        _place("motif", 0.85, 0, 4),  # the motif the theme opens with: the theme's
        _place("theme", 0.97, 0, 8),
        _place("motif", 0.9, 16, 20),  # the motif heard alone
        _place("other", 0.8, 2, 9, parts=("Cello",)),  # counterpoint: another part
        _place("twin", 0.97, 1, 8),  # as good as the theme: both shown
        _place("motif", 0.8, 20, 23, parts=("Flute", "Violin I")),  # doubled: a part
        _place("alone", 0.99, 21, 30, parts=("Flute",)),  # in common is enough
        _place("late", 0.7, 7, 12),  # shares 1 of its 5 quarters with the theme
        _place("theme", 0.75, 0, 8, piece="1M2"),  # another cue
        _place("motif", 0.95, 0, 4, piece="1M2"),
    ]
    assert heard_as(places) == [1, None, None, None, None, 6, None, None, 9, None]


def test_heard_as_a_confirmed_place_is_kept_and_a_hidden_one_hides_nothing():
    places = [_place("theme", 0.95, 0, 8), _place("motif", 0.8, 0, 4, fixed=True),
              _place("third", 0.9, 6, 12), _place("fourth", 0.85, 10, 14)]
    # the confirmed motif hides the theme, which so hides nothing; the third theme is
    # shown and hides the fourth
    assert heard_as(places) == [1, None, None, 2]
    assert heard_as([_place("a", 0.9, fixed=True), _place("b", 0.95, fixed=True)]) == [
        None, None]


def test_concordance_a_motif_inside_the_theme_it_opens_is_named_by_the_theme():
    """The theme in the violins, its first five notes alone in the horn later: searched
    for both, the violins' statement is the theme's (the motif matches it too, less well:
    it says less), the horn's the motif's."""
    motif = Music((Part("m", tuple(_notes(THEME[:5]))),))
    violin = Part("Violin I", tuple(_notes(THEME, start=4)))
    horn = Part("Horn", tuple(_notes(THEME[:5] + [(None, 4)], start=40, transpose=-5)
                              + _walk(3, 8, start=50, low=40, high=60)))
    conc = concordance(build_index({"4M1": _piece(violin, horn)}),
                       {"theme": _theme_music(), "motif": motif}, transforms=("prime",))
    shown = one_theme_per_passage(conc.by_theme)
    assert sorted((name, m.part, m.bar) for name, ms in shown.items() for m in ms) == [
        ("motif", "Horn", 11), ("theme", "Violin I", 2)]
    assert ("Violin I", 2) in {(m.part, m.bar) for m in conc.by_theme["motif"]}
