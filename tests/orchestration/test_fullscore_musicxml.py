"""Full-score MusicXML: chair names, clefs, written transpositions, percussion, round trip."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from filmscore.errors import InputError, ParseError
from filmscore.formats.musicxml import read_music, write_full_score
from filmscore.orchestration.orchestrate import Orchestration, orchestrate
from filmscore.writing.music import Music, Note, Part

SHORT = Path(__file__).resolve().parents[1] / "data" / "shortscores" / "theme_short.musicxml"


@pytest.fixture(scope="module")
def result() -> Orchestration:
    return orchestrate(read_music(SHORT), "studio", doublings={
        "melody": [("Flute 1", 12), ("Clarinet 1", 0), ("piccolo", 12)]})


@pytest.fixture(scope="module")
def written(result: Orchestration, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_full_score(result.full, tmp_path_factory.mktemp("full") / "full.musicxml")


def _triples(part: Part) -> list[tuple]:
    return sorted((n.onset, n.duration, n.pitch) for n in part.notes)


def _xml_part(path: Path, name: str) -> etree._Element:
    root = etree.parse(str(path)).getroot()
    pid = next(sp.get("id") for sp in root.iter("score-part")
               if sp.findtext("part-name") == name)
    return next(p for p in root.iter("part") if p.get("id") == pid), root


def test_round_trip_gives_back_every_sounding_note(result: Orchestration,
                                                   written: Path) -> None:
    back = read_music(written, unpitched=True)
    assert [p.name for p in back.parts] == [p.name for p in result.full.parts]
    for ours, theirs in zip(result.full.parts, back.parts, strict=True):
        assert _triples(theirs) == _triples(ours), ours.name
        assert theirs.is_drum == ours.is_drum


def test_clarinet_in_b_flat_is_written_a_tone_up(written: Path) -> None:
    part, _ = _xml_part(written, "Clarinet 1")
    transpose = part.find(".//transpose")
    assert (transpose.findtext("diatonic"), transpose.findtext("chromatic")) == ("-1", "-2")
    first = part.find(".//note/pitch")
    assert (first.findtext("step"), first.findtext("octave")) == ("D", "5")  # sounds C5
    assert part.findtext(".//key/fifths") == "2"  # C major written in D major
    from music21 import converter

    score = converter.parse(str(written))
    clar = next(p for p in score.parts if p.partName == "Clarinet 1")
    assert clar.getInstrument().transposition.semitones == -2
    assert clar.flatten().notes[0].pitch.nameWithOctave == "D5"


def test_octave_transposers_names_and_clefs(written: Path) -> None:
    picc, root = _xml_part(written, "Flute 3")
    assert picc.findtext(".//transpose/octave-change") == "1"
    assert picc.find(".//note/pitch").findtext("octave") == "5"  # sounds C6 written C5
    bass, _ = _xml_part(written, "Double Bass")
    assert bass.findtext(".//transpose/octave-change") == "-1"
    assert bass.findtext(".//clef/sign") == "F"
    viola, _ = _xml_part(written, "Viola")
    assert (viola.findtext(".//clef/sign"), viola.findtext(".//clef/line")) == ("C", "3")
    horn, _ = _xml_part(written, "Horn 1")
    assert horn.findtext(".//transpose/chromatic") == "-7"
    abbreviations = {sp.findtext("part-name"): sp.findtext("part-abbreviation")
                     for sp in root.iter("score-part")}
    assert abbreviations["Horn 1"] == "Hn. 1" and abbreviations["Violin I"] == "Vn. I"
    drum, _ = _xml_part(written, "Percussion 1")
    assert drum.findtext(".//clef/sign") == "percussion"
    assert drum.find(".//note/unpitched") is not None


def test_concert_score_has_no_transpositions(result: Orchestration, tmp_path: Path) -> None:
    path = write_full_score(result.full, tmp_path / "concert.musicxml", concert=True)
    text = path.read_text(encoding="utf-8")
    assert "<transpose>" not in text
    part, _ = _xml_part(path, "Clarinet 1")
    assert part.find(".//note/pitch").findtext("step") == "C"
    back = read_music(path, unpitched=True)
    assert [_triples(p) for p in back.parts] == [_triples(p) for p in result.full.parts]


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    odd = Music((Part("Kazoo 1", (Note(0, 1, 60),), instrument="kazoo"),))
    with pytest.raises(InputError, match=r"full.musicxml.*part Kazoo 1: unknown instrument"):
        write_full_score(odd, tmp_path / "full.musicxml")
    with pytest.raises(InputError, match=r"not a MusicXML file name"):
        write_full_score(odd, tmp_path / "full.pdf")
    with pytest.raises(InputError, match=r"at least one part"):
        write_full_score(Music(()), tmp_path / "full.musicxml")
    broken = tmp_path / "short.musicxml"
    broken.write_text("<score-partwise><part", encoding="utf-8")
    with pytest.raises(ParseError, match="short.musicxml"):
        read_music(broken)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.musicxml"]


def test_percussion_part_has_no_key_signature(tmp_path):
    one = Fraction(1)
    music = Music((Part("Flute 1", (Note(Fraction(0), one, 72),), instrument="flute"),
                   Part("Percussion 1", (Note(Fraction(0), one, 38), Note(one, one, 38)),
                        instrument="snare_drum", is_drum=True)), key="F major")
    root = etree.parse(str(write_full_score(music, tmp_path / "k.musicxml"))).getroot()
    flute, drums = root.findall("part")
    assert flute.findtext(".//key/fifths") == "-1"
    assert drums.find(".//key") is None
    assert drums.find(".//clef/sign").text == "percussion"


def test_a_percussion_part_names_its_drums_and_reads_back(tmp_path):
    """A chair that strikes a bass drum, a low tom and two cymbals: a <score-instrument>
    per drum, each note naming its own, the key to the staff under bar 1 ('Cr. cym. ...'),
    'Perc. 1' on later systems (not the snare drum of its chair); one drum alone is one
    line.  The part read back is every stroke of every drum."""
    one = Fraction(1)
    keys = (36, 41, 49, 51)
    kit = Part("Percussion 1", tuple(Note(Fraction(i), one, k) for i, k in enumerate(keys)),
               instrument="snare_drum", is_drum=True)
    bass = Part("Percussion 2", (Note(Fraction(0), one, 36), Note(Fraction(2), one, 36)),
                instrument="bass_drum", is_drum=True)
    music = Music((kit, bass), key="C major")
    path = write_full_score(music, tmp_path / "drums.musicxml")
    part, root = _xml_part(path, "Percussion 1")
    entry = root.find("part-list/score-part")
    assert [e.text for e in entry.iter("instrument-name")] == [
        "Bass Drum", "Low Floor Tom", "Crash Cymbal", "Ride Cymbal"]
    assert entry.findtext("part-abbreviation") == "Perc. 1"
    assert all(n.find("instrument") is not None for n in part.iter("note"))
    key = part.find("measure/direction[@id='fs-key']")
    assert key.get("placement") == "below"
    assert "B.D. 1st space" in key.findtext("direction-type/words")
    single, _ = _xml_part(path, "Percussion 2")
    assert single.findtext(".//staff-details/staff-lines") == "1"
    assert single.findtext("measure/direction/direction-type/words") == "Bass Drum"
    back = read_music(path)
    assert [_triples(p) for p in back.parts] == [_triples(p) for p in music.parts]
