"""Cue sketches: themes on a tempo map, hard hits landed, the demo's themes and plans."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import InputError
from filmscore.formats.spotting_csv import read_spotting_csv
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.sketch import (
    DEMO_PLANS,
    CuePlan,
    apply_steps,
    choose_instruments,
    hit_quarters,
    load_demo_themes,
    sketch_cue,
    use,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "popeye1936"
START = 86400  # 01:00:00:00 at 24 fps


def _theme() -> Music:
    # C D E G | C' (4/4, C major): intervals +2 +2 +3 +5
    notes = [Note(Fraction(i), Fraction(1), p) for i, p in enumerate((60, 62, 64, 67))]
    notes.append(Note(Fraction(4), Fraction(4), 72))
    return Music(parts=(Part("t", tuple(notes)),), key="C major")


def _cue() -> tuple[CueSpec, TempoMap]:
    # 120 BPM at 24 fps: a quarter is 12 frames, an eighth 6; 10 bars of 4/4 = 480 frames
    tmap = TempoMap.constant("24", START, Fraction(120), 10)
    syncs = (
        SyncSpec(START + 6 * 17, "door slam", "hard", 1.0),  # 8.5 quarters
        SyncSpec(START + 6 * 40, "cut", "hard", 2.0),  # 20 quarters
        SyncSpec(START + 6 * 57 + 1, "punch", "hard", 1.0),  # 28.5 quarters (+1 frame)
        SyncSpec(START + 6 * 30, "look", "soft", 1.0),
        SyncSpec(START + 6 * 70, "button", "end", 1.0),  # 35 quarters
    )
    cue = CueSpec(parse_cue_number("9M1"), "Test", START, START + 6 * 74,
                  mood="brash", instrumentation="full orchestra, brass lead, tuba oom-pah",
                  sync_points=syncs)
    return cue, tmap


def test_sketch_lands_every_hard_hit_as_a_stab_and_a_drum():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()},
                       plan=CuePlan(melody=(use("t"),), accompaniment="oompah"))
    expected = [Fraction(17, 2), Fraction(20), Fraction(57, 2)]
    hard = [hit_quarters(tmap, s.frame) for s in cue.sync_points if s.kind == "hard"]
    assert hard == expected
    parts = {p.name: p for p in music.parts}
    for q in expected:
        assert any(n.onset == q for n in parts["percussion"].notes)
        stab = [n for n in parts["pad"].notes if n.onset == q]
        assert len(stab) >= 3 and all(n.velocity >= 100 for n in stab)
        assert any(n.onset == q for n in parts["bass"].notes)


def test_sketch_stays_inside_the_cue_and_ends_on_a_button():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("t"),)))
    end_q = Fraction(74, 2)
    assert all(0 <= n.onset < end_q and n.end <= end_q for _, n in music.notes())
    for part in music.parts:
        assert part.notes, part.name
        assert max(n.onset for n in part.notes) == 35  # the button on the end sync point
    melody = music.parts[0].notes
    assert melody[-1].onset == 35 and melody[-1].pitch % 12 == 0  # tonic C


def test_sketch_melody_keeps_the_theme_intervals_transposed():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()},
                       plan=CuePlan(melody=(use("t", "transpose:3"),)))
    pitches = [n.pitch for n in music.parts[0].notes[:5]]
    assert [b - a for a, b in zip(pitches, pitches[1:], strict=False)] == [2, 2, 3, 5]
    assert pitches[0] % 12 == 3  # Eb
    assert [n.onset for n in music.parts[0].notes[:5]] == [0, 1, 2, 3, 4]


def test_sketch_parts_carry_programs_from_the_instrumentation():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("t"),)))
    by_name = {p.name: p for p in music.parts}
    assert (by_name["melody"].instrument, by_name["melody"].program) == ("trumpet", 56)
    assert by_name["bass"].program == 58 and by_name["pad"].program == 48
    assert by_name["percussion"].is_drum
    assert choose_instruments("chamber orchestra, bassoon and piccolo lead, "
                              "concertina colour, pizzicato strings")["melody"].name == "bassoon"


def test_sketch_steps_transform_the_theme():
    line = apply_steps("t", _theme(), ("minor", "augment:2", "fragment:3"))
    assert [n.pitch for n in line.notes] == [60, 62, 63]
    assert [n.onset for n in line.notes] == [0, 2, 4]
    seq = apply_steps("t", _theme(), ("fragment:2", "sequence:+2x3"))
    assert [n.pitch for n in seq.notes] == [60, 62, 62, 64, 64, 66]
    with pytest.raises(InputError):
        apply_steps("t", _theme(), ("explode",))


def test_sketch_at_starts_a_statement_on_the_named_frame():
    cue, tmap = _cue()
    plan = CuePlan(melody=(use("t"), use("t", "transpose:7", at="01:00:10:00")))
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=plan)
    first = next(n for n in music.parts[0].notes if n.onset == 20)
    assert first.pitch == 67  # G: the transposed statement starts on the cut


def test_sketch_refuses_unknown_themes():
    cue, tmap = _cue()
    with pytest.raises(InputError):
        sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("nope"),)))


def test_sketch_demo_themes_load():
    themes = load_demo_themes(DEMO / "themes")
    assert {"popeye", "sindbad", "roc", "boola"} <= set(themes)
    for music in themes.values():
        assert music.note_count >= 3 and music.key
    popeye = [n.pitch for n in themes["popeye"].parts[0].notes[:6]]
    assert popeye == [74, 72, 70, 58, 58, 65]  # D C | Bb Bb, Bb, F: College Hornpipe in Bb


def test_sketch_demo_plans_cover_every_demo_cue():
    cues = read_spotting_csv(DEMO / "spotting.csv", "24")
    assert len(cues) == 11
    assert {str(c.number) for c in cues} == set(DEMO_PLANS)


def test_sketch_every_demo_cue_on_a_constant_map():
    themes = load_demo_themes(DEMO / "themes")
    for cue in read_spotting_csv(DEMO / "spotting.csv", "24"):
        tmap = TempoMap.constant("24", cue.start_frame, Fraction(120), 40)
        music = sketch_cue(cue, tmap, themes, plan=DEMO_PLANS[str(cue.number)])
        drums = {n.onset for n in music.parts[-1].notes}
        for s in cue.sync_points:
            if s.kind == "hard":
                assert hit_quarters(tmap, s.frame) in drums, (cue.number, s.description)
        assert all(p.notes for p in music.parts), cue.number


def test_sketch_button_stays_on_the_grid_when_the_cut_is_a_frame_after_it():
    # 1M1's end sync point is one frame before the cut: the button was once 137/960 of a
    # quarter long, which the full score could only write as a sixteenth-note triplet
    tmap = TempoMap.constant("24", START, Fraction(2000, 21), 8)  # 95.24 BPM: 7.56 fr/8th
    cue = CueSpec(parse_cue_number("9M1"), "Test", START, START + 297,
                  sync_points=(SyncSpec(START + 180, "swat", "hard", 2.0),
                               SyncSpec(START + 296, "button", "end", 1.0)))
    music = sketch_cue(cue, tmap, {"t": _theme()}, plan=CuePlan(melody=(use("t"),)))
    button = hit_quarters(tmap, START + 296)
    for part in music.parts:
        last = [n for n in part.notes if n.onset == button]
        assert last and all(n.duration == Fraction(1, 2) for n in last), part.name
        assert all((n.onset * 4).denominator == 1 and (n.duration * 4).denominator == 1
                   for n in part.notes), part.name


def test_sketch_refuses_an_unknown_plan_dynamic():
    with pytest.raises(InputError):
        CuePlan(melody=(use("t"),), dynamic="loud")


def test_sketch_held_chords_and_pedal_go_on_after_a_hit():
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"t": _theme()},
                       plan=CuePlan(melody=(use("t"),), accompaniment="pedal"))
    parts = {p.name: p for p in music.parts}
    for q in (Fraction(17, 2), Fraction(20), Fraction(57, 2)):  # the hard hits
        for name in ("pad", "bass"):
            stab = [n for n in parts[name].notes if n.onset == q]
            assert stab and all(n.duration == Fraction(1, 2) for n in stab), (name, q)
            after = q + Fraction(1, 2)
            assert any(n.onset <= after < n.end for n in parts[name].notes), (name, q)
    assert all(n.pitch % 12 == 0 for n in parts["bass"].notes
               if n.onset not in (Fraction(17, 2), 20, Fraction(57, 2)))  # the tonic pedal


def test_sketch_evens_out_rhythms_finer_than_half_the_grid():
    # a dotted eighth and sixteenth in diminution is a dotted sixteenth and a 32nd: played
    # at speed (and written) as two sixteenths, on the grid the orchestrator keeps
    dotted = (Note(0, Fraction(3, 2), 62), Note(Fraction(3, 2), Fraction(1, 2), 65),
              Note(2, 2, 69))
    theme = Music(parts=(Part("d", dotted),), key="D minor")
    cue, tmap = _cue()
    music = sketch_cue(cue, tmap, {"d": theme},
                       plan=CuePlan(melody=(use("d", "diminish:2"),)))
    melody = music.parts[0].notes
    assert [(n.onset, n.duration) for n in melody[:3]] == \
        [(0, Fraction(3, 4)), (Fraction(3, 4), Fraction(1, 4)), (1, 1)]
    diminished = sketch_cue(cue, tmap, {"d": theme},
                            plan=CuePlan(melody=(use("d", "diminish:4"),)))
    assert all((n.onset * 4).denominator == 1 and (n.duration * 4).denominator == 1
               for n in diminished.parts[0].notes)
