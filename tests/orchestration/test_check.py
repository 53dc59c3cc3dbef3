"""Playability check: each rule on a small score made for it, and two real full scores."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import InputError
from filmscore.formats.score_survey import read_score_survey
from filmscore.orchestration.check import (
    CHANGE_SECONDS,
    KINDS,
    SEVERITY,
    check_score,
    pitch_name,
)

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "data" / "checkscores"
MOZART = ROOT / "tests" / "data" / "scores" / "mozart41_2" / "sheet.mxl"
BEETHOVEN = ROOT / "bench" / "data" / "hauptstimme" / "Beethoven_Op.21_1.mxl"


def _check(name: str, **options):
    return check_score(read_score_survey(FIX / name), **options)


def _lines(report):
    return [(f.kind, f.severity, f.message) for f in report.flags]


def test_rules_are_tables():
    assert set(SEVERITY) == set(KINDS)
    assert CHANGE_SECONDS[frozenset({"flute", "piccolo"})] == 4
    assert pitch_name(60) == "C4" and pitch_name(70) == "Bb4"


def test_flute_note_above_the_range():
    report = _check("flute_too_high.musicxml")
    assert _lines(report) == [
        ("out_of_range", "error",
         "Flute, bar 1 beat 2: E7 above the flute's professional range (top D7)"),
        ("professional_range", "warning",
         "Flute, bar 1 beat 3: B6 above the flute's practical range (top A6)"),
    ]
    assert report.counts["out_of_range"] == 1
    assert report.flags[0].measure == "1" and report.flags[0].beat == 2


def test_three_note_chord_in_an_oboe_part():
    assert _lines(_check("oboe_chord.musicxml")) == [
        ("too_many_notes", "error", "Oboe, bar 1 beat 2: 3 notes at once (E5 G5 C6) for 1 "
                                    "player (guessed: no number in the name)")]


def test_clarinet_written_at_concert_pitch():
    assert _lines(_check("clarinet_concert_pitch.musicxml")) == [
        ("concert_pitch_suspect", "warning",
         "Clarinet in Bb: Clarinet in B\u266d part with no transposition in the file and the "
         "same key signature (-1 fifths) as the concert-pitch parts: written at concert pitch "
         "by mistake?")]


def test_clarinet_in_its_own_key_without_transpose_is_info_and_checked_transposed():
    report = _check("clarinet_no_transpose.musicxml")
    assert _lines(report) == [
        ("concert_pitch_suspect", "info",
         "Clarinet in Bb: the file declares no transposition but the key signature (+1) is "
         "that of Clarinet in B\u266d; checked as sounding -2 semitones from written")]
    assert any("read as Clarinet" in note for note in report.notes)


def test_flute_to_piccolo_with_one_beat_of_rest():
    assert _lines(_check("flute_to_piccolo.musicxml")) == [
        ("impossible_double", "error",
         "Flute 1, bar 2 beat 1: 0.5 s from the last Flute note (bar 1) to Piccolo "
         "('muta in Piccolo'); the change needs about 4 s")]


def test_unknown_instrument_and_empty_part():
    report = _check("unknown_instrument.musicxml")
    assert report.parts_skipped == (("Theremin", "instrument not identified from its names"),)
    assert report.counts["unidentified_part"] == 1
    assert "no tempo mark" in report.notes[0]
    with pytest.raises(InputError, match="unknown instrument in part 'Theremin'"):
        _check("unknown_instrument.musicxml", strict=True)
    tacet = _check("empty_part.musicxml")
    assert _lines(tacet) == [("empty_part", "info", "Oboe: no notes (tacet part)")]
    with pytest.raises(InputError, match="part 'Oboe' has no notes"):
        _check("empty_part.musicxml", strict=True)


def test_summary_lines():
    lines = _check("flute_too_high.musicxml").summary()
    assert lines[0].endswith("1 parts checked, 0 skipped; 1 errors, 1 warnings, 0 info")
    assert lines[1] == "flags per kind: out_of_range 1, professional_range 1"
    assert lines[2].startswith("error   out_of_range")


def test_mozart_41_ii_flags_checked_by_hand():
    report = check_score(read_score_survey(MOZART))
    assert report.counts == {"out_of_range": 0, "professional_range": 24, "too_many_notes": 18,
                             "concert_pitch_suspect": 0, "impossible_double": 0,
                             "unidentified_part": 0, "empty_part": 5}
    assert len(report.parts_checked) == 12
    assert {name for name, _ in report.parts_skipped} == {
        "horn1", "horn2", "piccolotrumpet1", "piccolotrumpet2", "timpani"}
    messages = {f.message for f in report.flags}
    # F6 in bar 133 of the first violins: above E6, a professional's note (checked in the XML)
    assert "violin1, bar 133 beat 1.17: F6 above the violin's practical range (top E6)" \
        in messages
    # the basses double the cellos' C2 an octave down: C1 needs a C extension or 5 strings
    assert "doublebass, bar 19 beat 1: C1 below the double bass's practical range " \
           "(bottom E1)" in messages


def test_beethoven_1_i_every_part_identified_and_flags_checked_by_hand():
    report = check_score(read_score_survey(BEETHOVEN))
    assert report.counts["unidentified_part"] == 0 and not report.parts_skipped
    assert report.counts == {"out_of_range": 0, "professional_range": 9, "too_many_notes": 94,
                             "concert_pitch_suspect": 0, "impossible_double": 0,
                             "unidentified_part": 0, "empty_part": 0}
    assert report.severity_counts == {"error": 0, "warning": 103, "info": 0}
    first = report.of_kind("too_many_notes")[0]
    # bar 1: the famous pizzicato chords (G4 B-flat4 E5 written as one chord in Violin 1)
    assert (first.part, first.measure, first.beat) == ("Violin 1", "1", Fraction(1))
    assert "3-note chord G4 Bb4 E5" in first.message and first.severity == "warning"
    # horn in C basso: written C6 in bar 282 sounds C5, above the practical top A4
    assert "C Horn 1, bar 282 beat 1: C5 above the horn's practical range (top A4)" \
        in {f.message for f in report.flags}


def test_like_flags_of_a_part_are_shown_as_runs():
    report = check_score(read_score_survey(BEETHOVEN))
    runs = report.grouped()
    assert sum(count for _, count, _ in runs) == len(report.flags)
    assert len(runs) < len(report.flags) // 3
    first, count, last = next(r for r in runs if r[0].part == "Violin 1")
    assert (first.measure, count, last.measure) == ("1", 8, "4")  # the opening pizz. chords
    lines = report.summary(grouped=True, limit=3)
    assert lines[:2] == report.summary(limit=0)[:2]
    assert "(and 1 more like it to bar 294)" in lines[3]
    assert lines[-1] == f"... and {len(runs) - 3} more runs of flags"
