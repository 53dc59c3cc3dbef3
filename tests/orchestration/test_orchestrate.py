"""Orchestrate a short score: voices by register, doublings, ranges, percussion, errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import InputError
from filmscore.formats.musicxml import read_music
from filmscore.orchestration.ensembles import get_template
from filmscore.orchestration.instruments import get_instrument
from filmscore.orchestration.orchestrate import (
    KINDS,
    Orchestration,
    group_chairs,
    orchestrate,
    staff_group,
)
from filmscore.writing.music import Music, Note, Part

SHORT = Path(__file__).resolve().parents[1] / "data" / "shortscores" / "theme_short.musicxml"
F = Fraction


@pytest.fixture(scope="module")
def short() -> Music:
    return read_music(SHORT)


@pytest.fixture(scope="module")
def studio(short: Music) -> Orchestration:
    return orchestrate(short, "studio")


def _part(result: Orchestration, label: str) -> Part:
    return next(p for p in result.full.parts if p.name == label)


def _at(part: Part, onset: int) -> list[int]:
    return sorted(n.pitch for n in part.notes if n.onset == onset)


def test_every_note_is_in_its_chairs_practical_range(studio: Orchestration) -> None:
    assert studio.full.note_count > 60
    for part in studio.full.parts:
        inst = get_instrument(part.instrument)
        if part.is_drum:
            continue
        for note in part.notes:
            assert inst.practical_low <= note.pitch <= inst.practical_high, (part.name, note)


def test_full_score_parts_in_score_order_with_programs(studio: Orchestration,
                                                       short: Music) -> None:
    ensemble = get_template("studio")
    indices = [ensemble.index(p.name) for p in studio.full.parts]
    assert indices == sorted(indices)
    for part in studio.full.parts:
        assert part.program == get_instrument(part.instrument).gm_program
    assert (studio.full.meter, studio.full.key, studio.full.title) == \
        (short.meter, short.key, short.title)
    assert studio.full.tempo_map == short.tempo_map
    used = {u.chair for u in studio.instrumentation.uses}
    assert used == {p.name for p in studio.full.parts}
    assert studio.instrumentation.use("Violin II").divisi >= 2
    studio.instrumentation.validate(ensemble)


def test_a_brass_staff_is_voiced_section_by_section(studio: Orchestration) -> None:
    # bar 1: C4 E4 G4 C5 on a staff named Brass: each section voices it, chair 1 on top,
    # the horns under the trumpets and the trombones under the horns (stacked, no unisons)
    trumpets = [_at(_part(studio, f"Trumpet {i}"), 0)[0] for i in (1, 2, 3)]
    assert trumpets == [72, 67, 64]
    horns = [_at(_part(studio, f"Horn {i}"), 0)[0] for i in (1, 3, 2, 4)]
    assert horns == sorted(horns, reverse=True) and len(set(horns)) == 4
    assert max(horns) < min(trumpets)
    trombones = [_at(_part(studio, name), 0)[0]
                 for name in ("Trombone 1", "Trombone 2", "Bass Trombone")]
    assert trombones == sorted(trombones, reverse=True) and max(trombones) < min(horns)
    assert not {"Horn 5", "Horn 6"} & {p.name for p in studio.full.parts}
    kinds = {(d.kind, d.chair) for d in studio.decisions if d.staff == "Brass"}
    assert ("distribute", "Trumpet 1") in kinds
    assert any(d.kind == "tacet" and "Horn 5, Horn 6" in d.message for d in studio.decisions)


def test_strings_divide_and_record_it(studio: Orchestration) -> None:
    # five-note chords over Violin II and Viola (Violin I has the melody, Cello the bass)
    assert len(_at(_part(studio, "Violin II"), 0)) + len(_at(_part(studio, "Viola"), 0)) == 5
    assert max(_at(_part(studio, "Viola"), 0)) < min(_at(_part(studio, "Violin II"), 0))
    divisi = [d for d in studio.decisions if d.kind == "divisi"]
    assert {d.chair for d in divisi} == {"Violin II", "Viola"}
    assert divisi[0].message.startswith("bar 1 beat 1: Violin II divides up to 3 ways")


def test_melody_doubled_by_the_book_phrase_by_phrase(studio: Orchestration) -> None:
    violins, flute, oboe = (_part(studio, x) for x in ("Violin I", "Flute 1", "Oboe 1"))
    assert _at(violins, 0) == [72] and _at(oboe, 0) == [72]
    # an octave above the violins the phrase would reach D8: the flute takes the whole
    # phrase in unison with them (one choice for the phrase, not a jump here and there)
    assert _at(flute, 0) == [72]
    moved = [d for d in studio.decisions if d.chair == "Flute 1" and d.kind == "octave"]
    assert moved and "an octave below the book's place" in moved[0].message
    # bar 4 beat 2: D7 (98) is above oboe and violin practical ranges: down an octave
    assert _at(oboe, 13) == [86] and _at(violins, 13) == [86]
    oboe_moves = [d for d in studio.decisions if d.chair == "Oboe 1" and d.kind == "octave"]
    assert oboe_moves and (oboe_moves[0].bar, oboe_moves[0].beat) == (4, 2)
    assert "D7 above its practical range" in oboe_moves[0].message
    assert any(d.kind == "double" and d.chair == "Flute 1" for d in studio.decisions)
    unison = [d for d in studio.decisions if d.kind == "unison" and d.chair == "Oboe 1"]
    assert unison and "Violin I" in unison[0].message and "deliberate" in unison[0].message


def test_low_line_fits_every_chair_and_percussion_by_drum_key(studio: Orchestration) -> None:
    assert _at(_part(studio, "Double Bass"), 8) == [31]
    assert _at(_part(studio, "Cello"), 8) == [43]  # the cellos an octave above the basses
    drums = {p.name: p for p in studio.full.parts if p.is_drum}
    assert set(drums) == {"Percussion 1", "Percussion 2", "Percussion 3"}
    assert {n.pitch for n in drums["Percussion 1"].notes} == {38}
    assert {n.pitch for n in drums["Percussion 2"].notes} == {36}
    assert {n.pitch for n in drums["Percussion 3"].notes} == {49, 81}
    assert any(d.kind == "reassign" and "triangle" in d.message for d in studio.decisions)
    # the timpani on the tonic at the hits (bass drum and crash): C, in bars 1 and 4
    timpani = _part(studio, "Timpani")
    assert [(n.onset, n.pitch % 12) for n in timpani.notes] == [(0, 0), (12, 0)]


def test_decisions_sorted_and_one_line(studio: Orchestration) -> None:
    assert studio.decisions
    onsets = [d.onset for d in studio.decisions]
    assert onsets == sorted(onsets)
    for d in studio.decisions:
        assert d.kind in KINDS and "\n" not in d.message
        assert d.message.startswith(f"bar {d.bar} beat ")
    assert studio.report()[0].startswith("[")


def test_template_without_a_group_and_unknown_staff(short: Music) -> None:
    with pytest.raises(InputError, match=r"staff Percussion: ensemble strings has no chairs for "
                                         r"group percussion"):
        orchestrate(short, "strings")
    odd = short.with_parts((*short.parts[:4], Part("Oboe ideas", (Note(0, 1, 70),))))
    with pytest.raises(InputError, match=r"staff Oboe ideas: unknown staff name.*"
                                         r"'Oboe ideas'.*melody"):
        orchestrate(odd, "studio")
    result = orchestrate(odd, "studio", staff_groups={"Oboe ideas": "woodwinds"})
    assert any(p.instrument == "oboe" and 70 in _at(p, 0) for p in result.full.parts)
    with pytest.raises(InputError, match="unknown group"):
        orchestrate(odd, "studio", staff_groups={"Oboe ideas": "kazoos"})


def test_empty_staff_and_empty_short_score_are_refused(short: Music) -> None:
    with pytest.raises(InputError, match=r"staff Low is empty"):
        orchestrate(short.with_parts((*short.parts[:3], Part("Low", ()))), "studio")
    with pytest.raises(InputError, match="no staves"):
        orchestrate(Music(()), "studio")
    with pytest.raises(InputError, match="unknown ensemble template"):
        orchestrate(short, "opera")


def test_explicit_doublings_use_a_chairs_double(short: Music) -> None:
    result = orchestrate(short, "studio", doublings={
        "Melody": [("piccolo", 12), ("Clarinet 1", 0)]})
    picc = _part(result, "Flute 3")
    assert picc.instrument == "piccolo" and _at(picc, 0) == [84]
    assert _at(_part(result, "Clarinet 1"), 0) == [72]
    assert any(d.kind == "doubling_used" and d.chair == "Flute 3" for d in result.decisions)
    assert result.instrumentation.use("Flute 3").instruments == ("piccolo",)
    with pytest.raises(InputError, match=r"doubling: no such chair or instrument.*kazoo"):
        orchestrate(short, "studio", doublings={"melody": [("kazoo", 12)]})
    with pytest.raises(InputError, match="unison or one or two octaves"):
        orchestrate(short, "studio", doublings={"melody": [("Flute 1", 7)]})


def test_out_of_range_note_handed_to_another_chair() -> None:
    # a C7 on a Low staff: no bass instrument plays it even an octave down, except the
    # cello (G4 is its practical top, C6 only professionally): handed on or dropped
    music = Music((Part("Low", (Note(0, 1, 36), Note(1, 1, 88))),))
    result = orchestrate(music, "chamber")
    kinds = {d.kind for d in result.decisions if d.onset == 1}
    assert kinds & {"reassign", "dropped"}
    for part in result.full.parts:
        inst = get_instrument(part.instrument)
        assert all(inst.practical_low <= n.pitch <= inst.practical_high for n in part.notes)


def test_every_template_takes_the_groups_it_has() -> None:
    assert [c.label for c in group_chairs(get_template("choir"), "harmony")] == \
        ["Soprano", "Alto", "Tenor", "Bass"]
    assert group_chairs(get_template("strings"), "brass") == ()
    assert staff_group("Percussion (timpani, bass drum)") == "percussion"
    assert staff_group("Brass 2") == "brass"
    chorale = Music((Part("Choir", tuple(Note(0, 2, p) for p in (48, 55, 64, 72))),))
    sung = orchestrate(chorale, "choir")
    assert [(p.name, _at(p, 0)) for p in sung.full.parts] == [
        ("Soprano", [72]), ("Alto", [64]), ("Tenor", [55]), ("Bass", [48])]


def test_demo_style_sketch_orchestrates_for_the_studio() -> None:
    """Parts as writing.sketch names them: melody, countermelody or pad, bass, percussion."""
    melody = tuple(Note(i, 1, p) for i, p in enumerate((67, 72, 74, 76, 79, 77, 76, 74)))
    pad = tuple(Note(o, 4, p) for o in (0, 4) for p in (55, 60, 64))
    bass = (Note(0, 4, 36), Note(4, 4, 43))
    drums = tuple(Note(o, F(1, 4), k) for o in (0, 4) for k in (49, 36, 41)) + \
        (Note(2, F(1, 4), 51), Note(6, F(1, 4), 81), Note(7, F(1, 4), 76))
    for middle in ("pad", "countermelody"):
        sketch = Music((Part("melody", melody, 40, instrument="violins"),
                        Part(middle, pad, 48, instrument="strings"),
                        Part("bass", bass, 43, instrument="contrabass"),
                        Part("percussion", drums, 0, is_drum=True,
                             instrument="percussion (timpani, bass drum, cymbal)")))
        result = orchestrate(sketch, "studio")
        assert result.full.note_count > sketch.note_count
        names = {p.name for p in result.full.parts}
        assert {"Violin I", "Flute 1", "Double Bass", "Percussion 2", "Timpani"} <= names
        # the sketch's low tom on its big hits is the timpani's stroke
        toms = [n for n in drums if n.pitch == 41]
        assert sum(len(p.notes) for p in result.full.parts if p.is_drum) == \
            len(drums) - len(toms)
        assert {n.onset for n in _part(result, "Timpani").notes} >= {n.onset for n in toms}


def test_sketch_lengths_no_notation_can_write_are_quantized_and_said(tmp_path):
    """A sketch rendered on a tempo map ends a cue 137/960 of a quarter past a beat."""
    from filmscore.formats.musicxml import write_full_score

    melody = (Note(F(0), F(1), 72), Note(F(1), F(137, 960), 74), Note(F(2), F(2), 76))
    short = Music((Part("melody", melody), Part("bass", (Note(F(0), F(4), 36),))))
    result = orchestrate(short, "chamber")
    quantized = [d for d in result.decisions if d.kind == "quantize"]
    assert len(quantized) == 1 and quantized[0].staff == "melody"
    assert quantized[0].message == ("bar 1 beat 2: D5 of melody lasts 1/2 (was 137/960): "
                                    "the map was solved on eighths")
    for part in result.full.parts:
        for note in part.notes:
            assert (note.onset * 8).denominator == 1 and (note.duration * 8).denominator == 1
    path = write_full_score(result.full, tmp_path / "full.musicxml")
    back = {p.name: p for p in read_music(path).parts}
    for part in result.full.parts:
        assert [(n.onset, n.duration, n.pitch) for n in back[part.name].notes] == \
            [(n.onset, n.duration, n.pitch) for n in part.notes]


def test_a_staff_named_for_an_instrument_goes_to_its_chairs():
    chord = tuple(Note(F(1), F(1), p) for p in (65, 69, 72))
    short = Music((Part("Oboes", (Note(F(0), F(1), 72),) + chord),
                   Part("Horns 1-4", (Note(F(0), F(2), 60), Note(F(0), F(2), 64))),
                   Part("melody", (Note(F(0), F(4), 76),))))
    result = orchestrate(short, "studio", doublings={})
    plays = {p.name: sorted(n.pitch for n in p.notes) for p in result.full.parts}
    # a single note to the first oboe, the chord one tone a chair, the first on top
    assert plays["Oboe 1"] == [72, 72] and plays["Oboe 2"] == [69] and plays["Oboe 3"] == [65]
    assert {"Horn 1", "Horn 2"} <= set(plays) and not any(
        name.startswith("Trumpet") for name in plays)
    assert staff_group("Oboes") == "instrument:oboe"
    with pytest.raises(InputError, match="Theremin"):
        staff_group("Theremin")


def test_a_player_plays_one_note_at_a_time():
    """A staff whose chord is still held when its next note starts (a sketch's
    countermelody) must not give a horn two notes at once."""
    from filmscore.orchestration.ensembles import Chair, Ensemble

    two_horns = Ensemble("horns", "Two horns", (Chair("Horn 1", "horn", 1),
                                                Chair("Horn 2", "horn", 2)))
    chord = tuple(Note(F(0), F(2), p) for p in (60, 67))
    line = (Note(F(1), F(1), 65), Note(F(2), F(2), 67))
    result = orchestrate(Music((Part("Horns", chord + line),)), two_horns, doublings={})
    for part in result.full.parts:
        notes = sorted(part.notes)
        assert all(b.onset >= a.end for a, b in zip(notes, notes[1:], strict=False)), part.name
    shortened = [d for d in result.decisions if d.kind == "shortened"]
    assert shortened and all("cut short" in d.message for d in shortened)
