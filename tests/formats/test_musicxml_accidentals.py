"""Accidentals as a copyist writes them (formats.musicxml_accidentals): key, bar memory,
ties over the bar line, courtesy accidentals only where they help, on bars written in code."""

from __future__ import annotations

from fractions import Fraction

import pytest
from lxml import etree

from filmscore.formats.musicxml_accidentals import key_alterations, respell_accidentals

STEPS = {"#": 1, "b": -1, "": 0, "##": 2, "bb": -2}


def _note(spec: str, *, tie: str = "", chord: bool = False, staff: str = "") -> str:
    """'F#4' -> a quarter note with the written alteration and a wrong source accidental
    (every note says 'natural', as music21 wrote them), ties as given."""
    step, octave = spec[0], spec[-1]
    alter = STEPS[spec[1:-1]]
    ties = "".join(f"<tie type='{t}'/>" for t in tie.split(",") if t)
    tied = "".join(f"<tied type='{t}'/>" for t in tie.split(",") if t)
    return (f"<note>{'<chord/>' if chord else ''}<pitch><step>{step}</step>"
            f"<alter>{alter}</alter><octave>{octave}</octave></pitch><duration>1</duration>"
            f"{ties}<type>quarter</type><accidental>natural</accidental>"
            f"{f'<staff>{staff}</staff>' if staff else ''}"
            f"{f'<notations>{tied}</notations>' if tied else ''}</note>")


def _measures(bars: list[list[str]], fifths: int = 0) -> list[etree._Element]:
    xml = "<part>"
    for index, notes in enumerate(bars):
        attrs = (f"<attributes><divisions>1</divisions><key><fifths>{fifths}</fifths></key>"
                 "<time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
                 if index == 0 else "")
        body = "".join(n if n.startswith("<") else _note(n) for n in notes)
        xml += f"<measure number='{index + 1}'>{attrs}{body}</measure>"
    return etree.fromstring(xml + "</part>").findall("measure")


def _signs(measures) -> list[list[str]]:
    """Per bar, each note's accidental ('' none, '(n)' a courtesy natural...)."""
    short = {"natural": "n", "sharp": "#", "flat": "b", "double-sharp": "x",
             "flat-flat": "bb"}
    out = []
    for measure in measures:
        row = []
        for note in measure.iterfind("note"):
            acc = note.find("accidental")
            if acc is None:
                row.append("")
            elif acc.get("cautionary") == "yes":
                assert acc.get("parentheses") == "yes"
                row.append(f"({short[acc.text]})")
            else:
                row.append(short[acc.text])
        out.append(row)
    return out


def test_key_signatures_alter_their_steps():
    key = etree.fromstring("<key><fifths>3</fifths></key>")
    assert key_alterations(key) == {"F": 1, "C": 1, "G": 1}
    key = etree.fromstring("<key><fifths>-2</fifths></key>")
    assert key_alterations(key) == {"B": -1, "E": -1}
    odd = etree.fromstring("<key><key-step>F</key-step><key-alter>1</key-alter>"
                           "<key-step>B</key-step><key-alter>-1</key-alter></key>")
    assert key_alterations(odd) == {"F": 1, "B": -1}


def test_no_natural_on_an_unaltered_note_and_memory_holds_to_the_bar_line():
    measures = _measures([["C4", "F#4", "F#4", "F4"], ["F4", "G4", "F#5", "F#5"],
                          ["F5", "G4", "A4", "B4"]])
    respell_accidentals(measures)
    # F#4 twice: one sign; F4 after it: a natural; bar 2's F4 nothing (bar 1 ended on F
    # natural); its F#5 a sign; bar 3's F5 a courtesy natural (bar 2 left it sharp)
    assert _signs(measures) == [["", "#", "", "n"], ["", "", "#", ""], ["(n)", "", "", ""]]
    assert measures[0].find("note").find("pitch/alter") is None  # <alter>0</alter> goes


def test_the_key_decides_and_a_raised_seventh_is_written_once_a_bar():
    # D minor (one flat): B flat needs nothing, C# its sharp once, B natural a natural
    measures = _measures([["D4", "C#4", "C#4", "Bb4"], ["B4", "Bb4", "D5", "C4"]], fifths=-1)
    respell_accidentals(measures)
    assert _signs(measures) == [["", "#", "", ""], ["n", "b", "", "(n)"]]


def test_a_tie_over_the_bar_line_takes_no_sign_but_the_next_note_does():
    measures = _measures([["C4", "D4", "E4", "F#4"], ["F#4", "F#4", "F4", "G4"]])
    measures[0].findall("note")[3].insert(3, etree.fromstring("<tie type='start'/>"))
    measures[1].findall("note")[0].insert(3, etree.fromstring("<tie type='stop'/>"))
    respell_accidentals(measures)
    # the tied F# carries over without a sign; the new F# in the bar is written again;
    # the F after it needs its natural
    assert _signs(measures) == [["", "", "", "#"], ["", "#", "n", ""]]


def test_after_a_tie_over_the_bar_line_the_key_note_gets_a_courtesy_sign():
    measures = _measures([["C4", "D4", "E4", _note("F#4", tie="start")],
                          [_note("F#4", tie="stop"), "G4", "F4", "A4"]])
    respell_accidentals(measures)
    assert _signs(measures) == [["", "", "", "#"], ["", "", "(n)", ""]]


def test_other_octave_and_chords_and_staves():
    measures = _measures([["F#5", "F4", "A4", "F4"],
                          ["C4", _note("C#4", chord=True), "E4", "G4"]])
    respell_accidentals(measures)
    # F4 after F#5: a courtesy natural once; in a chord C and C# each show their sign
    assert _signs(measures) == [["#", "(n)", "", ""], ["", "#", "", ""]]
    two_staves = _measures([[_note("F#4", staff="1"), _note("F#4", staff="2"),
                             _note("F#4", staff="1"), _note("F#4", staff="2")]])
    respell_accidentals(two_staves)
    assert _signs(two_staves) == [["#", "#", "", ""]]  # memory per staff


@pytest.mark.parametrize(("fifths", "notes", "signs"), [
    (7, ["C#4", "C4", "B#4", "Cb4"], ["", "n", "", "b"]),  # C# major: its B is B#
    (-7, ["Cb4", "Fb4", "F4", "Bbb4"], ["", "", "n", "bb"]),
])
def test_extreme_keys(fifths, notes, signs):
    measures = _measures([notes], fifths=fifths)
    respell_accidentals(measures)
    assert _signs(measures) == [signs]


def test_rests_unpitched_and_unknown_alterations_are_left_alone():
    xml = ("<part><measure number='1'><attributes><divisions>1</divisions><key><fifths>0"
           "</fifths></key></attributes><note><rest/><duration>1</duration></note>"
           "<note><unpitched><display-step>E</display-step><display-octave>4"
           "</display-octave></unpitched><duration>1</duration><accidental>sharp"
           "</accidental></note><note><pitch><step>D</step><alter>0.25</alter><octave>4"
           "</octave></pitch><duration>1</duration><accidental>slash-quarter-sharp"
           "</accidental></note></measure></part>")
    measures = etree.fromstring(xml).findall("measure")
    respell_accidentals(measures)
    accidentals = [a.text for a in measures[0].iter("accidental")]
    assert accidentals == ["sharp", "slash-quarter-sharp"]
    assert Fraction(measures[0].findall("note")[2].findtext("pitch/alter")) == Fraction(1, 4)
