"""Reading any full-score MusicXML into plain values: sounding pitch, players, changes, errors."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import InputError, ParseError
from filmscore.formats.score_survey import guess_players, identify, read_score_survey

DATA = Path(__file__).resolve().parents[1] / "data"
FIX = DATA / "checkscores"
MOZART = DATA / "scores" / "mozart41_2"


@pytest.mark.parametrize(("text", "key", "pitch_class"), [
    ("Clarinetto in A", "clarinet_a", 9), ("Klarinette in B", "clarinet_bb", 10),
    ("C Clarinet 1", "clarinet_bb", 0), ("C Horn 1", "horn", 0), ("Corno in Es", "horn", 3),
    ("Horn in E-flat", "horn", 3), ("Cor en Fa", "horn", 5), ("Violino I", "violin", None),
    ("Violini", "violin", None), ("Violoncellos", "cello", None), ("oboe1", "oboe", None),
    ("Fagotti", "bassoon", None), ("Tromba in D", "trumpet_c", 2), ("Bb Trumpet", "trumpet_bb",
                                                                      None),
    ("Pauken", "timpani", None), ("Contrabbasso", "double_bass", None),
    ("Flöte", "flute", None), ("Hautbois", "oboe", None), ("Posaune", "trombone", None),
    ("Bratsche", "viola", None), ("Triangle", None, None), ("piccolotrumpet1", None, None),
])  # fmt: skip
def test_identify_reads_orchestral_names_in_several_languages(text, key, pitch_class):
    assert identify(text) == (key, pitch_class)


@pytest.mark.parametrize(("name", "section", "a2", "players"), [
    ("Flauto 1, 2", "woodwinds", False, 2), ("2 Flutes", "woodwinds", False, 2),
    ("Corni I.II", "brass", False, 2), ("Horns 1-4", "brass", False, 4),
    ("Flute 1", "woodwinds", True, 1), ("Flauti", "woodwinds", False, 2),
    ("Oboe", "woodwinds", True, 2), ("Oboe", "woodwinds", False, 1),
    ("Violin 1", "strings", False, None), ("Violin solo", "strings", False, 1),
])  # fmt: skip
def test_players_are_guessed_from_the_name(name, section, a2, players):
    assert guess_players(name, section, a2)[0] == players


def test_mozart_sounding_pitches_match_the_note_tables():
    survey = read_score_survey(MOZART / "sheet.mxl")
    assert survey.tempo_marks == ((Fraction(0), Fraction(40)),)
    assert not survey.tempo_defaulted
    by_name = {p.name: p for p in survey.parts}
    assert by_name["horn3"].declared_transposition == -7
    assert by_name["horn1"].declared_transposition == -12
    assert by_name["doublebass"].declared_transposition == -12
    assert by_name["flute"].declared_transposition is None
    assert by_name["piccolotrumpet1"].instrument_key == "trumpet_c"  # from "C Trumpet"
    for name in ("horn3", "doublebass", "violin1"):
        with open(MOZART / "note" / f"{name}.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        expected = sorted((Fraction(r["onset"]).limit_denominator(96), int(r["midi_number"]))
                          for r in rows)
        got = sorted((n.onset, n.pitch) for n in by_name[name].notes if not n.grace)
        assert got == expected


def test_fixture_change_to_piccolo_and_its_transposition():
    survey = read_score_survey(FIX / "flute_to_piccolo.musicxml")
    part = survey.parts[0]
    assert part.instrument_key == "flute"
    assert [(c.measure, c.instrument_key, c.text) for c in part.changes] == [
        ("2", "piccolo", "muta in Piccolo")]
    assert part.transpositions == (("2", 12),)
    assert [(n.measure, n.beat, n.written, n.pitch) for n in part.notes[3:5]] == [
        ("2", Fraction(1), 84, 96), ("2", Fraction(2), 86, 98)]
    assert survey.seconds(Fraction(0), Fraction(4)) == 2  # quarter = 120


def test_chords_and_beats():
    part = read_score_survey(FIX / "oboe_chord.musicxml").parts[0]
    chord = [n for n in part.notes if n.is_chord_tone]
    assert [(n.pitch, n.chord_size, n.beat) for n in chord] == [
        (76, 3, Fraction(2)), (79, 3, Fraction(2)), (84, 3, Fraction(2))]


@pytest.mark.parametrize(("name", "error", "words"), [
    ("broken.musicxml", ParseError, "not well-formed XML"),
    ("timewise.musicxml", ParseError, "score-timewise"),
    ("no_notes.musicxml", InputError, "the score has no notes"),
    ("missing.musicxml", ParseError, "no such file"),
])
def test_bad_input_is_one_clear_line(name, error, words):
    with pytest.raises(error) as caught:
        read_score_survey(FIX / name)
    message = str(caught.value)
    assert words in message and name in message and "\n" not in message


def test_an_empty_part_is_kept_or_refused():
    survey = read_score_survey(FIX / "empty_part.musicxml")
    assert [len(p.notes) for p in survey.parts] == [1, 0]
    with pytest.raises(InputError, match="part 'Oboe' .* has no notes"):
        read_score_survey(FIX / "empty_part.musicxml", allow_empty_parts=False)


def test_not_a_musicxml_name(tmp_path):
    other = tmp_path / "score.txt"
    other.write_text("hello")
    with pytest.raises(ParseError, match="not a MusicXML file name"):
        read_score_survey(other)
