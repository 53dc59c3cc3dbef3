"""A part's dynamics as a copyist writes them: one level at a time, the hit's stab as one
note (sfp, fp) or marked sfz, no two dynamics closer than a beat, none repeated."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.writing.dynamics import (
    ATTACK_LEAVES,
    CLOSEST_BEATS,
    level_in_force,
    write_dynamics,
)
from filmscore.writing.music import DYNAMICS, Mark, Note

F = Fraction
BEAT = F(1)
HIT = ("strong-accent",)


def _dyn(written) -> list[tuple[Fraction, str]]:
    return [(m.onset, m.value) for m in written.dynamics]


def _readable(written, beat: Fraction = BEAT, hairpins=()) -> None:
    """What every written part must satisfy: one dynamic at an onset, on a note, none
    closer than a beat, none repeating the level in force (a hairpin leaves it open)."""
    onsets = [m.onset for m in written.dynamics]
    assert onsets == sorted(set(onsets))
    assert set(onsets) <= {n.onset for n in written.notes}
    assert all(b - a >= CLOSEST_BEATS * beat for a, b in zip(onsets, onsets[1:], strict=False))
    level, last = None, None
    for mark in written.dynamics:
        if any(last is not None and last <= h.onset and h.end <= mark.onset for h in hairpins):
            level = None
        last = mark.onset
        if mark.value in ATTACK_LEAVES or mark.value in ("sfz", "sf", "fz"):
            level = ATTACK_LEAVES.get(mark.value, level)
            continue
        assert mark.value != level, (mark, written.dynamics)
        level = mark.value


def test_one_level_per_onset_and_no_repeats():
    notes = [Note(F(i), F(1), 60) for i in range(8)]
    levels = {F(0): "mf", F(1): "mf", F(2): "mf", F(4): "p", F(5): "p", F(6): "mf"}
    written = write_dynamics(notes, levels, (), BEAT)
    assert _dyn(written) == [(F(0), "mf"), (F(4), "p"), (F(6), "mf")]
    assert not written.changes
    _readable(written)


def test_a_stab_held_on_softly_is_one_note_marked_sfp():
    """The pad's hit: f on an accented eighth, then the same chord held mp: one held
    chord, sfp, and mp written at its next note a beat or more later."""
    stab = [Note(F(0), F(1, 2), p, 110, HIT) for p in (59, 64, 67)]
    held = [Note(F(1, 2), F(7, 2), p, 70, ("tremolo",)) for p in (59, 64, 67)]
    later = [Note(F(4), F(2), 60, 70), Note(F(6), F(2), 62, 70)]
    levels = {F(0): "f", F(1, 2): "mp", F(4): "mp", F(6): "mp"}
    written = write_dynamics(stab + held + later, levels, (), BEAT)
    merged = [n for n in written.notes if n.onset == 0]
    assert [(n.duration, n.articulations) for n in merged] == \
        [(F(4), ("strong-accent", "tremolo"))] * 3
    assert not any(n.onset == F(1, 2) for n in written.notes)
    assert _dyn(written) == [(F(0), "sfp"), (F(4), "mp")]
    assert written.merged == {F(1, 2): F(0)}
    assert "sfp" in written.changes[0][1] and "one held note" in written.changes[0][1]
    _readable(written)


def test_an_unaccented_stab_held_on_at_p_is_fp():
    notes = [Note(F(0), F(1, 2), 60), Note(F(1, 2), F(3), 60)]
    written = write_dynamics(notes, {F(0): "f", F(1, 2): "p"}, (), BEAT)
    assert _dyn(written) == [(F(0), "fp")]  # fp leaves p: nothing more to write
    assert [(n.onset, n.duration) for n in written.notes] == [(F(0), F(7, 2))]


def test_a_stab_held_on_loud_keeps_its_level_and_its_accent():
    notes = [Note(F(0), F(1, 2), 40, 120, HIT), Note(F(1, 2), F(3, 2), 40, 96)]
    written = write_dynamics(notes, {F(0): "ff", F(1, 2): "f"}, (), BEAT)
    assert _dyn(written) == [(F(0), "f")]
    assert written.notes == (Note(F(0), F(2), 40, 120, HIT),)
    plain = write_dynamics([Note(F(0), F(1, 2), 40), Note(F(1, 2), F(3, 2), 40)],
                           {F(0): "ff", F(1, 2): "f"}, (), BEAT)
    assert plain.notes[0].articulations == ("accent",)  # the hit stays in its accent


def test_a_short_stab_is_sfz_and_the_softer_level_waits_a_beat():
    """f on the hit's eighth, mf on the line starting an eighth later: sfz on the stab,
    mf at the line's first note a beat or more after it."""
    notes = [Note(F(0), F(1, 2), 60, 110, HIT)] + \
        [Note(F(1, 2) * k, F(1, 2), 62 + k) for k in range(1, 8)]
    written = write_dynamics(notes, {n.onset: "mf" for n in notes[1:]} | {F(0): "f"}, (),
                             BEAT)
    assert _dyn(written) == [(F(0), "sfz"), (F(1), "mf")]
    assert "sfz" in written.changes[0][1]
    _readable(written)


def test_after_an_sfz_the_level_in_force_is_not_restated():
    notes = [Note(F(0), F(2), 60), Note(F(2), F(1, 2), 62, 110, HIT),
             Note(F(5, 2), F(1, 2), 64), Note(F(3), F(1), 65)]
    levels = {F(0): "mf", F(2): "f", F(5, 2): "mf", F(3): "mf"}
    written = write_dynamics(notes, levels, (), BEAT)
    assert _dyn(written) == [(F(0), "mf"), (F(2), "sfz")]
    assert "leaves it in force" in written.changes[0][1]


def test_a_crescendo_into_a_stab_then_the_level_again():
    notes = [Note(F(0), F(2), 48), Note(F(4), F(1, 2), 48, 110, HIT),
             Note(F(9, 2), F(1, 2), 48), Note(F(6), F(2), 48)]
    hairpin = Mark(F(1), "crescendo", end=F(4))
    levels = {F(0): "mf", F(4): "f", F(9, 2): "mf", F(6): "mf"}
    written = write_dynamics(notes, levels, [hairpin], BEAT)
    # the crescendo leaves the level open: mf is said again after the sfz
    assert _dyn(written) == [(F(0), "mf"), (F(4), "sfz"), (F(6), "mf")]
    _readable(written, hairpins=[hairpin])


def test_a_crescendo_into_a_held_stab_ends_on_the_hit_not_where_it_began():
    """mf, a crescendo into the hit (f on an accented eighth), the chord held on mf: one
    held note marked f, its goal, and mf at the next note a beat later; marked mf (the
    level it goes on at) it read "mf < mf"."""
    notes = [Note(F(0), F(2), 67), Note(F(4), F(1, 2), 67, 110, HIT),
             Note(F(9, 2), F(3, 2), 67), Note(F(6), F(2), 69)]
    hairpin = Mark(F(2), "crescendo", end=F(4))
    levels = {F(0): "mf", F(4): "f", F(9, 2): "mf", F(6): "mf"}
    written = write_dynamics(notes, levels, [hairpin], BEAT)
    assert _dyn(written) == [(F(0), "mf"), (F(4), "f"), (F(6), "mf")]
    assert Note(F(4), F(2), 67, 110, HIT) in written.notes  # one held note
    assert "the crescendo's goal" in written.changes[0][1]
    _readable(written, hairpins=[hairpin])
    # grown from mp, the chord held on mf is louder than where it began: mf on the hit
    grown = write_dynamics(notes, levels | {F(0): "mp"}, [hairpin], BEAT)
    assert _dyn(grown) == [(F(0), "mp"), (F(4), "mf")]


def test_nothing_is_written_inside_a_hairpin_and_its_goal_always_is():
    notes = [Note(F(i), F(1), 60) for i in range(9)]
    levels = {F(0): "p", F(2): "mp", F(4): "p", F(8): "p"}
    written = write_dynamics(notes, levels, [Mark(F(1), "crescendo", end=F(8))], BEAT)
    assert _dyn(written) == [(F(0), "p"), (F(8), "p")]


@pytest.mark.parametrize(("levels", "accent_at", "expected"), [
    # a hit beats the level around it
    ({F(0): "p", F(1, 2): "f", F(3): "p"}, F(1, 2), [(F(1, 2), "f"), (F(3), "p")]),
    # the part's first level stays; the next moves on a beat
    ({F(0): "mp", F(1, 2): "mf"}, None, [(F(0), "mp"), (F(1), "mf")]),
    # else the later one holds
    ({F(0): "p", F(2): "mp", F(5, 2): "mf"}, None, [(F(0), "p"), (F(5, 2), "mf")]),
])
def test_two_dynamics_closer_than_a_beat_keep_the_important_one(levels, accent_at, expected):
    notes = [Note(F(k, 2), F(1, 2), 60, 80, HIT if F(k, 2) == accent_at else ())
             for k in range(8)]
    written = write_dynamics(notes, levels, (), BEAT)
    assert _dyn(written) == expected
    assert written.changes
    _readable(written)


def test_the_beat_is_the_meter_s():
    """In 6/8 a beat is a dotted quarter: an eighth and a quarter later are too close."""
    notes = [Note(F(k, 2), F(1, 2), 60) for k in range(12)]
    written = write_dynamics(notes, {F(0): "p", F(1): "mf"}, (), F(3, 2))
    assert _dyn(written) == [(F(0), "p"), (F(3, 2), "mf")]


def test_level_in_force_reads_attacks_as_a_copyist_does():
    marks = [Mark(F(0), "dynamic", "mf"), Mark(F(2), "dynamic", "sfz"),
             Mark(F(4), "dynamic", "sfp"), Mark(F(8), "dynamic", "f")]
    assert [level_in_force(marks, F(t)) for t in (0, 1, 2, 3, 4, 5, 8)] == \
        ["mf", "mf", "sfz", "mf", "sfp", "p", "f"]
    assert level_in_force([], F(0)) is None
    assert all(v in DYNAMICS for v in ATTACK_LEAVES)


def test_a_struck_instrument_keeps_every_stroke():
    """A harp's or a drum's chord struck again is a new stroke, not the stab held on."""
    notes = [Note(F(0), F(1, 2), 60, 110, HIT), Note(F(1, 2), F(2), 60)]
    written = write_dynamics(notes, {F(0): "f", F(1, 2): "mp"}, (), BEAT, sustains=False)
    assert written.notes == tuple(sorted(notes))
    assert _dyn(written) == [(F(0), "f")]  # no later note for mp: the entry's level stands
    notes.append(Note(F(3), F(1), 62))
    written = write_dynamics(notes, {F(0): "f", F(1, 2): "mp", F(3): "mp"}, (), BEAT,
                             sustains=False)
    assert _dyn(written) == [(F(0), "sfz"), (F(3), "mp")]
    _readable(written)
