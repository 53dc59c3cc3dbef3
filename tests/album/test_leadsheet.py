"""The lead sheet: chord symbols from a harmonic analysis, as MusicXML <harmony>."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from edition_helpers import EXPECTED, write_score
from filmscore.album.chords import ChordSymbol, best_chord
from filmscore.album.editions import edition_document
from filmscore.album.leadsheet import lead_sheet, uses_flats
from filmscore.engraving.check import check_musicxml
from filmscore.engraving.engrave import EngraveJob, engrave
from filmscore.formats.musicxml import read_music
from filmscore.orchestration.copying import Header

F = Fraction
MOZART = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / "sheet.mxl"


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    return read_music(write_score(tmp_path_factory.mktemp("s") / "cue.musicxml"),
                      unpitched=True)


def test_known_chords(score):
    sheet = lead_sheet(score)
    assert [name for _, name in sheet.symbols()] == EXPECTED
    assert [t for t, _ in sheet.chords] == [0, 2, 4, 6, 8, 12, 14]


def test_templates():
    def chord(*pcs, bass=None, w=None):
        weights = {pc: F(w or 1) for pc in pcs}
        return best_chord(weights, bass if bass is not None else pcs[0]).name()

    assert chord(0, 4, 7, 11) == "Cmaj7"
    assert chord(2, 5, 9, 0) == "Dm7"
    assert chord(11, 2, 5) == "Bdim"
    assert chord(7, 11, 2, 5) == "G7"
    assert chord(2, 7, 9) == "Dsus4"
    assert chord(4, 0, 7, bass=4) == "C/E"
    assert chord(11, 2, 5, 8) == "Bdim7"
    assert ChordSymbol(10, "", 10).name(flats=True) == "Bb"
    assert ChordSymbol(1, "m7b5", 1).name(flats=True) == "Dbm7b5"
    assert uses_flats("F major") and uses_flats("d minor") and not uses_flats("G major")


def test_harmony_elements_engraved_and_checked(score, tmp_path):
    data, _runs, _notes, chords = edition_document(
        score, Header("Test Film", "1M1", "Main Title"), "leadsheet")
    assert [c for _, c in chords] == EXPECTED
    assert chords[1] == ("1:3", "Am7")
    root = etree.fromstring(data)
    harmonies = root.findall(".//harmony")
    assert len(harmonies) == len(EXPECTED)
    printed = [h.find("kind").get("text") for h in harmonies]
    assert printed == ["", "m7", "", "7sus4", "", "", ""]
    slash = harmonies[2]
    assert (slash.findtext("root/root-step"), slash.findtext("bass/bass-step")) == ("F", "A")
    assert harmonies[3].findtext("kind") == "dominant"  # as MuseScore reads a 7sus4
    assert [(d.findtext("degree-value"), d.findtext("degree-type"))
            for d in harmonies[3].findall("degree")] == [("4", "add"), ("3", "subtract")]
    pdf = tmp_path / "lead sheet.pdf"
    engrave([EngraveJob(data, pdf, "part")], workers=1)
    text = __import__("subprocess").run(["pdftotext", str(pdf), "-"], capture_output=True,
                                        text=True, check=True).stdout
    for name in ("Am7", "F/A", "G7sus4"):
        assert name in text, name  # our engraver prints the chord symbols
    assert "no3" not in text  # not the degrees again
    report = check_musicxml(data)
    assert report.ok, report.summary()


def test_plausible_on_mozart():
    """Mozart's Symphony No. 41, 2nd movement (F major, 3/4): its opening bars."""
    from filmscore.writing.music import Music, Part

    music = read_music(MOZART)
    cut = Music(parts=tuple(Part(p.name, tuple(n for n in p.notes if n.onset < 12),
                                 is_drum=p.is_drum) for p in music.parts),
                meter=music.meter, key=music.key)
    sheet = lead_sheet(cut)
    names = [name for _, name in sheet.symbols()]
    assert sheet.flats
    assert names[0] == "F"  # the tonic to begin
    roots = {c.root for _, c in sheet.chords}
    assert roots <= {5, 0, 10, 7, 2, 9, 4}  # F major's degrees (I IV V ii vi iii vii)


def test_a_change_of_bass_alone_writes_no_new_symbol():
    from filmscore.album.chords import analyse

    # an oom-pah in D minor: D in the bass, then A, then G minor
    notes = [(F(0), F(2), 50), (F(2), F(4), 45), (F(4), F(6), 43)]  # (onset, end, pitch)
    notes += [(F(t), F(t + 2), p) for t in (0, 2) for p in (62, 65, 69)]
    notes += [(F(4), F(6), p) for p in (62, 67, 70)]
    spans = [(F(0), F(2)), (F(2), F(4)), (F(4), F(6))]
    chords = analyse(notes, spans)
    assert [(t, c.name()) for t, c in chords] == [(0, "Dm"), (4, "Gm")]


def test_tune_moved_to_the_treble_staff(score):
    sheet = lead_sheet(score)
    assert sheet.notes == ("the tune written 1 octave lower than the piano's, on the "
                           "treble staff",)
    assert sheet.melody[0].pitch == 79 - 12


def test_engraver_drops_degrees_of_a_printed_chord_symbol():
    from filmscore.engraving.layout import prepare_for_verovio

    root = etree.fromstring(
        b"<score-partwise><part id='P1'><measure number='1'><harmony><root><root-step>G"
        b"</root-step></root><kind text='7sus4'>dominant</kind><degree><degree-value>4"
        b"</degree-value><degree-alter>0</degree-alter><degree-type>add</degree-type>"
        b"</degree></harmony><harmony><root><root-step>C</root-step></root><kind>major"
        b"</kind><degree><degree-value>9</degree-value><degree-alter>0</degree-alter>"
        b"<degree-type>add</degree-type></degree></harmony></measure></part>"
        b"</score-partwise>")
    prepare_for_verovio(root, "part")
    first, second = root.iter("harmony")
    assert first.find("degree") is None  # its text says it all
    assert second.find("degree") is not None  # no text: the degree is how it is printed
