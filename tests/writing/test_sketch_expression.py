"""Sketch expression: dynamics from mood, dialogue and hits; marks, articulations, velocities."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.expression import plan_dynamics, under_dialogue, velocity_for
from filmscore.writing.mood import LEVELS, dialogue_spans, is_dialogue, is_speech, mood_phases
from filmscore.writing.music import DYNAMICS, Music, Note, Part
from filmscore.writing.sketch import CuePlan, sketch_cue, use

F = Fraction
START = 86400  # 01:00:00:00 at 24 fps
BARS = [(F(4 * i), Meter()) for i in range(40)]


def _names(phases) -> list[tuple[str, bool]]:
    return [(LEVELS[p.level], p.builds) for p in phases]


@pytest.mark.parametrize(("mood", "expected"), [
    ("brash, menacing, comic-exotic", [("f", False)]),
    ("mock-tender, creepy-comic", [("p", False)]),
    ("quiet", [("p", False)]),
    ("violent", [("ff", False)]),
    ("triumphant, mock-grand, then smug", [("ff", False), ("mp", False)]),
    ("lumbering, grotesque, then eerily tender", [("mf", False), ("p", False)]),
    ("soaring, ominous, building to violent", [("mf", True), ("ff", False)]),
    ("heroic, scrappy, escalating", [("f", True)]),
    ("", [("mf", False)]),
])
def test_mood_phases(mood, expected):
    assert _names(mood_phases(mood)) == expected


def test_a_plan_dynamic_overrides_the_first_phase():
    assert _names(mood_phases("violent, then quiet", "mp")) == [("mp", False), ("p", False)]


@pytest.mark.parametrize(("text", "spoken"), [
    ("Vocal: 'I'm Sinbad the sailor, so hearty and hale'", True),
    ("Line: 'How do you like that? Stooges'", True),
    ("Spoken aside: 'That's not a bad joke'", True),
    ("Refrain: 'Sinbad the sailor!'", True),
    ("Verse 2: 'I scare all creation on land or on sea'", True),
    ("Popeye: 'Woah, what's this?'", True),
    ("Boola's heads: 'Yous! Sinbad the sailor'", True),
    ("Wingbeat ('Don't drop me now!')", True),
    ("Squeeze on 'My peaches and cream, my baby kin': stars puff out", True),
    ("Cut: the roc's huge head close over Sindbad", False),
    ("Sindbad's head appears in the gateway behind the lions", False),
    ("Serpent lunges, jaws wide (scream)", False),
    ("Anguish and laughter", False),
])
def test_dialogue_sync_points(text, spoken):
    assert is_dialogue(text) is spoken


def test_subtitles_that_describe_sounds_are_not_speech():
    assert is_speech("I'm Sinbad the sailor So hearty and hale")
    assert not is_speech("[barking and roaring]")
    assert not is_speech("(laughs)")
    assert not is_speech("  ")


def test_dialogue_spans_from_sync_points_and_markers():
    syncs = (SyncSpec(1000, "Popeye: 'Well, that was a nice ship we had once'", "downbeat"),
             SyncSpec(2000, "Cut: the hull", "hard"))
    markers = [(3000, 3050, "Look at that fellow go"), (4000, 4040, "[squawk]"),
               (5000, None, "Help!")]
    spans = dialogue_spans(syncs, markers, F(24))
    # 9 words at 2.5 words a second: 3.6 s = 87 frames; "Help!" the shortest line, 1.5 s
    assert spans == [(1000, 1087), (3000, 3050), (5000, 5036)]


def test_under_dialogue_is_mezzo_piano_at_most():
    assert [LEVELS[under_dialogue(i)] for i in range(6)] == ["pp", "pp", "p", "mp", "mp",
                                                             "mp"]


def _plan(**kw):
    args = {"phases": mood_phases("brash"), "phase_starts": (), "start": F(0),
            "button": F(60), "hits": (), "button_weight": 1.0, "dialogue": (),
            "bars": BARS, "grid": F(1, 2)}
    args.update(kw)
    return plan_dynamics(**args)


def test_plan_quieter_under_dialogue_and_back_after():
    plan = _plan(dialogue=[(F(8), F(15))])
    assert plan.dynamic_at(F(0)) == "f"
    assert plan.dynamic_at(F(8)) == plan.dynamic_at(F(14)) == "mp"
    assert plan.dynamic_at(F(16)) == "f"


def test_lines_close_together_stay_under_one_dynamic():
    plan = _plan(dialogue=[(F(8), F(12)), (F(14), F(20))])
    assert [LEVELS[lv] for t, lv in plan.levels if 4 < t < 24] == ["mp", "f"]


def test_a_big_hit_gets_a_crescendo_a_louder_dynamic_and_a_strong_accent():
    plan = _plan(hits=[(F(17, 2), 2.0), (F(12), 1.0)])
    assert plan.dynamic_at(F(8)) == "f" and plan.dynamic_at(F(17, 2)) == "ff"
    assert plan.dynamic_at(F(9)) == "f"
    assert (F(5), F(17, 2), "crescendo") in plan.hairpins  # four beats, from a beat
    assert plan.accent_at(F(17, 2)) == "strong-accent" and plan.accent_at(F(12)) == "accent"


def test_a_big_hit_under_dialogue_is_forte_then_back_under():
    plan = _plan(hits=[(F(10), 2.0)], dialogue=[(F(4), F(20))])
    assert [plan.dynamic_at(t) for t in (F(6), F(10), F(11))] == ["mp", "f", "mp"]
    assert (F(6), F(10), "crescendo") in plan.hairpins


def test_a_soft_ending_has_a_diminuendo_into_a_softer_button():
    plan = _plan(phases=mood_phases("lumbering, then eerily tender"), phase_starts=[F(20)])
    assert plan.dynamic_at(F(10)) == "mf" and plan.dynamic_at(F(30)) == "p"
    assert plan.dynamic_at(F(60)) == "pp"
    assert (F(56), F(60), "diminuendo") in plan.hairpins


def test_a_building_phase_rises_a_step_at_a_time_on_its_hits():
    plan = _plan(phases=mood_phases("soaring, ominous, building to violent"),
                 phase_starts=[F(40)], hits=[(F(10), 1.0), (F(20), 1.0), (F(30), 1.0)])
    assert [plan.dynamic_at(t) for t in (F(0), F(21), F(41))] == ["mf", "f", "ff"]


def _cue() -> tuple[CueSpec, TempoMap]:
    tmap = TempoMap.constant("24", START, F(120), 12)  # an eighth is 6 frames
    syncs = (
        SyncSpec(START + 6 * 8, "Line: 'Who goes there?'", "downbeat", 1.0),  # 4 quarters
        SyncSpec(START + 6 * 40, "cut", "hard", 2.0),  # 20 quarters
        SyncSpec(START + 6 * 57, "punch", "hard", 1.0),  # 28.5 quarters
        SyncSpec(START + 6 * 70, "button", "end", 1.0),  # 35 quarters
    )
    cue = CueSpec(parse_cue_number("9M1"), "Test", START, START + 6 * 74, mood="brash",
                  instrumentation="full orchestra, brass lead, tremolo, pizzicato basses",
                  sync_points=syncs)
    return cue, tmap


def _theme() -> Music:
    notes = [Note(F(i), F(1), p) for i, p in enumerate((60, 62, 64, 67))]
    notes.append(Note(F(4), F(4), 72))
    return Music(parts=(Part("t", tuple(notes)),), key="C major")


def test_sketch_parts_carry_the_plan_as_marks_with_velocities_to_match():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("t"),)))
    parts = {p.name: p for p in music.parts}
    for part in music.parts:
        assert part.marks[0].kind in ("dynamic", "technique")
        for note in part.notes:
            assert note.velocity == velocity_for(part, note), (part.name, note)
        first = [m for m in part.marks if m.kind == "dynamic"][0]
        assert first.onset == part.notes[0].onset
    melody = parts["melody"]
    assert melody.dynamic_at(F(3)) == "f"
    assert melody.dynamic_at(F(5)) == "mp"  # under the line
    assert melody.dynamic_at(F(20)) == "ff"  # the big hit
    assert any(m.kind == "crescendo" and m.end == 20 for m in parts["pad"].marks)
    assert any(m.kind == "slur" for m in melody.marks)
    stab = [n for n in parts["pad"].notes if n.onset == 20]
    assert stab and all("strong-accent" in n.articulations for n in stab)
    assert all("accent" in n.articulations for n in parts["pad"].notes if n.onset == F(57, 2))
    # string tremolo holds its chords tremolo; the pizzicato bass says so at its first note
    held = [n for n in parts["pad"].notes if n.onset not in (20, F(57, 2), 35)]
    assert held and all("tremolo" in n.articulations for n in held)
    assert parts["bass"].technique_at(parts["bass"].notes[0].onset) == "pizz."


def test_velocities_follow_the_dynamics_soft_under_dialogue_loud_on_big_hits():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("t"),)))
    melody, pad = music.parts[0], music.parts[1]
    under = [n.velocity for n in melody.notes if 4 <= n.onset < 8]
    big = [n.velocity for n in pad.notes if n.onset == 20]
    assert under and big and max(under) < min(big)
    assert min(big) >= DYNAMICS["ff"]


def test_velocity_for_interpolates_through_a_hairpin_and_adds_the_accent():
    from filmscore.writing.music import Mark

    part = Part("p", (Note(0, 1, 60), Note(2, 1, 60), Note(4, 1, 60, articulations=("accent",))),
                marks=(Mark(0, "dynamic", "p"), Mark(0, "crescendo", end=4),
                       Mark(4, "dynamic", "f")))
    assert [velocity_for(part, n) for n in part.notes] == [49, 73, 96 + 12]
