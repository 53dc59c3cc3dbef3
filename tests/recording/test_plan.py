"""The session planner (pure): a case solved by hand, the rules, splitting at bar lines,
days that cannot hold the music, and the greedy baseline never cheaper than CP-SAT."""

from __future__ import annotations

import random
from datetime import date
from fractions import Fraction

import pytest

from filmscore.errors import FilmscoreWarning, InputError, ValidationError
from filmscore.recording.plan import (
    ChairCall,
    PlanCue,
    PlanRules,
    PlanSlot,
    cue_difficulty,
    greedy_plan,
    plan_items,
    plan_sessions,
)

FPS = Fraction(24)
FAST = dict(time_limit_s=5, workers=1)
VIOLINS = ChairCall("Violin I", 14, "strings")
HORN = ChairCall("Horn 1", 1, "brass")
FLUTE = ChairCall("Flute 1", 1, "woodwinds")
SOPRANOS = ChairCall("Soprano", 8, "voices")
TIMPANI = ChairCall("Timpani", 1, "percussion")


def cue(number: str, seconds: int, chairs, difficulty: int = 1, order: int = 0, *,
        bar_seconds: int | None = None) -> PlanCue:
    frames = seconds * 24
    bars: tuple = ()
    count = None
    if bar_seconds:  # 4/4 bars of ``bar_seconds`` from the cue's first frame
        count = seconds // bar_seconds
        bars = tuple((b, (b - 1) * bar_seconds * 24) for b in range(1, count + 1))
    return PlanCue(number, frames, FPS, tuple(chairs), difficulty, order, bars, count)


def slots(*days: int, per_day: int = 2) -> list[PlanSlot]:
    times = ("10:00", "14:00", "18:00")[:per_day]
    return [PlanSlot(f"2027-03-{d:02d} {t}", date(2027, 3, d)) for d in days for t in times]


def where(plan) -> dict[str, str]:
    return {item.label: s.slot.name for s in plan.sessions for item in s.items}


def test_a_case_solved_by_hand():
    # two 3-hour sessions of 10 minutes each; four 5-minute cues, two for the violins
    # (14 players) and two for one horn.  Each session holds two cues.  Best: the violin
    # cues together, the horn cues together: 3 h x 14 + 3 h x 1 = 45 player-hours.  Film
    # order (violins, horn, violins, horn) pairs them badly: 3 h x 15 twice = 90.
    cues = [cue("1M1", 300, [VIOLINS], order=1), cue("1M2", 300, [HORN], order=2),
            cue("1M3", 300, [VIOLINS], order=3), cue("1M4", 300, [HORN], order=4)]
    rules = PlanRules(20, split_over_s=None, **FAST)
    items = plan_items(cues, rules)
    plan = plan_sessions(items, slots(1), rules)
    assert plan.cost == 45
    assert plan.greedy_cost == 90
    assert plan.method == "cp-sat optimal"
    placed = where(plan)
    assert placed["1M1"] == placed["1M3"] != placed["1M2"] == placed["1M4"]
    assert sorted(s.players for s in plan.sessions) == [1, 14]
    assert greedy_plan(items, slots(1), rules).cost == 90


def test_hardest_first_inside_each_session():
    cues = [cue("1M1", 60, [VIOLINS], 2, 1), cue("1M2", 60, [VIOLINS], 5, 2),
            cue("1M3", 60, [VIOLINS], 3, 3), cue("1M4", 60, [VIOLINS], 5, 4)]
    rules = PlanRules(20, split_over_s=None, **FAST)
    plan = plan_sessions(plan_items(cues, rules), slots(1, per_day=1), rules)
    (session,) = plan.sessions
    assert [i.cue for i in session.items] == ["1M2", "1M4", "1M3", "1M1"]
    assert [i.difficulty for i in session.items] == [5, 5, 3, 2]


def test_groups_recorded_apart_get_sessions_of_their_own():
    cues = [cue("1M1", 120, [VIOLINS, SOPRANOS], order=1),
            cue("1M2", 120, [VIOLINS, TIMPANI], order=2), cue("1M3", 60, [FLUTE], order=3)]
    rules = PlanRules(20, apart=("choir", "percussion"), split_over_s=None, **FAST)
    items = plan_items(cues, rules)
    assert sorted((i.cue, i.group) for i in items) == [
        ("1M1", "choir"), ("1M1", "orchestra"), ("1M2", "orchestra"),
        ("1M2", "percussion overdub"), ("1M3", "orchestra")]
    choir = next(i for i in items if i.group == "choir")
    assert choir.chairs == (SOPRANOS,) and choir.duration_frames == 120 * 24
    plan = plan_sessions(items, slots(1, 2), rules)
    for session in plan.sessions:
        assert {i.group for i in session.items} <= {session.group}
    groups = {s.group for s in plan.sessions if s.items}
    assert groups == {"choir", "orchestra", "percussion overdub"}
    # the choir and the timpani are paid only for their own sessions
    assert plan.cost == 3 * (8 + 1 + 14 + 1)
    # without --apart the choir sings with the orchestra
    together = plan_items(cues, PlanRules(20, split_over_s=None))
    assert {i.group for i in together} == {"orchestra"}
    assert SOPRANOS in next(i for i in together if i.cue == "1M1").chairs
    with pytest.raises(InputError, match="cannot record this apart.*choir, percussion, synth"):
        plan_items(cues, PlanRules(20, apart=("brass",)))


def test_long_cues_split_at_bar_lines():
    # 5 minutes of 2-second bars (150 bars); split over 3 minutes: two parts at bar 76
    long = cue("2M1", 300, [VIOLINS], 3, bar_seconds=2)
    items = plan_items([long], PlanRules(20, split_over_s=180))
    assert [(i.part, i.bar_from, i.bar_to) for i in items] == [
        ("part 1 of 2", 1, 75), ("part 2 of 2", 76, 150)]
    assert items[0].duration_frames == 75 * 2 * 24  # ends on the bar line of bar 76
    assert sum(i.duration_frames for i in items) == 300 * 24
    # 7 minutes over 3: three parts, each cut on a bar line
    longer = cue("2M2", 420, [VIOLINS], 3, bar_seconds=2)
    parts = plan_items([longer], PlanRules(20, split_over_s=180))
    assert [p.part for p in parts] == ["part 1 of 3", "part 2 of 3", "part 3 of 3"]
    assert all(p.duration_frames % (2 * 24) == 0 for p in parts)
    assert [p.bar_from for p in parts] == [1, 71, 141]
    # a complex (difficulty 5) cue longer than half the limit is split in two
    hard = cue("2M3", 120, [VIOLINS], 5, bar_seconds=2)
    assert len(plan_items([hard], PlanRules(20, split_over_s=180))) == 2
    # no bars (no tempo map): kept whole, and said so
    with pytest.warns(FilmscoreWarning, match="cue 2M4 .5:00. is longer than 3:00 but has no "
                                              "tempo map.*kept whole"):
        whole = plan_items([cue("2M4", 300, [VIOLINS])], PlanRules(20, split_over_s=180))
    assert len(whole) == 1


def test_days_that_cannot_hold_the_music_are_named_with_the_numbers():
    cues = [cue(f"{k}M1", 240, [VIOLINS], order=k) for k in range(1, 29)]  # 112 minutes
    rules = PlanRules(20, split_over_s=None, **FAST)
    items = plan_items(cues, rules)
    with pytest.raises(ValidationError) as caught:
        plan_sessions(items, slots(1, 2, 3, 4, 5), rules)
    text = str(caught.value)
    assert "112.0 minutes" in text and "need at least 6 days at 20 minutes a day; 5 given" \
        in text
    # one cue longer than a session holds (10 minutes a session at 20 a day over two)
    with pytest.raises(ValidationError, match=r"9M9 is 11:00 of music, more than a session "
                                              r"holds \(10:00"):
        plan_sessions(plan_items([cue("9M9", 660, [VIOLINS])], rules), slots(1, 2), rules)
    # groups apart need sessions of their own: three groups, two sessions
    apart = PlanRules(20, apart=("choir", "percussion"), split_over_s=None, **FAST)
    three = plan_items([cue("1M1", 60, [VIOLINS, SOPRANOS, TIMPANI])], apart)
    with pytest.raises(ValidationError, match="the groups recorded apart need at least 3 "
                                              "sessions .*choir 1.*2 given over 1 days"):
        plan_sessions(three, slots(1), apart)


def test_items_that_do_not_pack_are_refused():
    # 3 x 6-minute cues in two 10-minute sessions: 18 minutes fit the day, not the sessions
    rules = PlanRules(20, split_over_s=None, **FAST)
    items = plan_items([cue(f"1M{k}", 360, [VIOLINS], order=k) for k in (1, 2, 3)], rules)
    with pytest.raises(ValidationError, match="no plan puts 3 items .* into 2 sessions of "
                                              "10:00 each"):
        plan_sessions(items, slots(1), rules)


def random_cues(seed: int, count: int) -> list[PlanCue]:
    rng = random.Random(seed)
    palette = [VIOLINS, HORN, FLUTE, ChairCall("Cello", 8, "strings"),
               ChairCall("Trumpet 1", 1, "brass"), TIMPANI, ChairCall("Harp", 1, "harp")]
    out = []
    for k in range(count):
        chairs = rng.sample(palette, rng.randint(1, 4))
        out.append(cue(f"{k + 1}M1", rng.randint(20, 200), chairs, rng.randint(1, 5), k,
                       bar_seconds=2))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_is_never_cheaper_than_the_solver(seed):
    rules = PlanRules(20, split_over_s=120, **FAST)
    items = plan_items(random_cues(seed, 12), rules)
    days = slots(1, 2, 3)
    plan = plan_sessions(items, days, rules)
    greedy = greedy_plan(items, days, rules)
    assert plan.greedy_cost == greedy.cost
    assert plan.cost <= greedy.cost
    assert sorted(i.label for i in plan.items) == sorted(i.label for i in items)
    for session in plan.sessions:
        assert session.seconds <= session.capacity_s
        assert session.player_hours == 3 * sum(
            max((c.players for i in session.items for c in i.chairs if c.chair == name),
                default=0) for name in {c.chair for i in session.items for c in i.chairs})


def test_the_same_input_gives_the_same_plan():
    rules = PlanRules(20, split_over_s=120, **FAST)
    items = plan_items(random_cues(7, 10), rules)
    first = plan_sessions(items, slots(1, 2), rules)
    second = plan_sessions(items, slots(1, 2), rules)
    assert where(first) == where(second) and first.cost == second.cost


def test_difficulty_from_the_data():
    easy = cue_difficulty(seconds=60, hard_hits=0, tempo_changes=0, players=10)
    assert easy == 1
    hits = cue_difficulty(seconds=60, hard_hits=6, tempo_changes=0, players=10)
    assert hits == 3  # 6 hard hits a minute: +2
    busy = cue_difficulty(seconds=240, hard_hits=12, tempo_changes=3, players=80)
    assert busy == 5  # 3 hits a minute +1, 3 changes +1, 80 players +1, 4 minutes +1
    assert cue_difficulty(seconds=600, hard_hits=100, tempo_changes=10, players=90,
                          free_or_ramps=3) == 5  # capped
