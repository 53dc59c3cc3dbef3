"""MusicXML through music21: round trip, a real symphony against its note oracle, errors."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import InputError, ParseError
from filmscore.formats.musicxml import read_music, write_music
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Music, Note, Part

SCORE = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2"
F = Fraction


def _triples(part: Part) -> list[tuple[Fraction, Fraction, int]]:
    return [(n.onset, n.duration, n.pitch) for n in part.notes]


def _music() -> Music:
    flute = (Note(0, 1, 72), Note(0, 1, 76), Note(1, F(1, 2), 74), Note(F(3, 2), F(5, 2), 77),
             Note(F(3, 2), F(1, 3), 84), Note(F(11, 6), F(1, 3), 86), Note(F(13, 6), F(1, 3), 88),
             Note(5, 4, 79))
    horn = (Note(-1, 1, 55), Note(0, 6, 48))  # a pickup, and a note over two barlines
    return Music(parts=(Part("Flute", flute, program=73), Part("Horn in F", horn, program=60)),
                 meter=Meter(3, 4), key="F major",
                 tempo_map=TempoMap.constant("24", 0, F(90), 4, Meter(3, 4)))


@pytest.mark.parametrize("suffix", [".musicxml", ".mxl"])
def test_musicxml_round_trip_keeps_every_note(tmp_path: Path, suffix: str) -> None:
    music = _music()
    path = write_music(music, tmp_path / f"cue{suffix}")
    back = read_music(path)
    assert [p.name for p in back.parts] == ["Flute", "Horn in F"]
    for ours, theirs in zip(music.parts, back.parts, strict=True):
        assert _triples(theirs) == _triples(ours)
        assert theirs.program == ours.program
    assert back.meter == Meter(3, 4)
    assert back.key == "F major"
    assert back.tempo_map is not None and back.tempo_map.segments[0].tempo_bpm == 90
    assert back.tempo_map.pickup_beats == 1
    if suffix == ".mxl":
        assert zipfile.is_zipfile(path)
    else:
        assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_musicxml_short_score_writes_the_horn_at_concert_pitch(tmp_path: Path) -> None:
    path = write_music(_music(), tmp_path / "horn.musicxml")
    text = path.read_text(encoding="utf-8")
    assert "<transpose>" not in text  # a short score is in C: the horn as it sounds
    assert _triples(read_music(path).parts[1])[0] == (F(-1), F(1), 55)


def test_musicxml_write_refuses_other_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cue\.mid.*\.musicxml, \.xml, \.mxl"):
        write_music(_music(), tmp_path / "cue.mid")
    assert list(tmp_path.iterdir()) == []


def test_musicxml_corrupt_file_is_a_parse_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.musicxml"
    bad.write_text("<score-partwise><part id='P1'><measure", encoding="utf-8")
    with pytest.raises(ParseError, match="broken.musicxml"):
        read_music(bad)
    zipped = tmp_path / "broken.mxl"
    zipped.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ParseError, match="broken.mxl"):
        read_music(zipped)
    with pytest.raises(ParseError, match="missing.xml"):
        read_music(tmp_path / "missing.xml")


def test_musicxml_file_without_notes_is_an_input_error(tmp_path: Path) -> None:
    empty = Music(parts=(Part("Flute", ()),))
    path = write_music(empty, tmp_path / "empty.musicxml")
    with pytest.raises(InputError, match="empty.musicxml: the file has no notes"):
        read_music(path)


# --- a real score against its oracle ------------------------------------------------------


@pytest.fixture(scope="module")
def mozart() -> Music:
    return read_music(SCORE / "sheet.mxl")  # about 5 s: music21 is slow on a symphony


def _oracle(name: str) -> list[tuple[Fraction, Fraction, int]]:
    with open(SCORE / "note" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        # onsets/durations: quarter notes from bar 1 beat 1, printed as rounded decimals
        # (a triplet reads 117.16666666666669): back to exact values
        return sorted((F(row["onset"]).limit_denominator(960),
                       F(row["duration"]).limit_denominator(960), int(row["midi_number"]))
                      for row in csv.DictReader(handle))


def test_musicxml_mozart_matches_oracle_for_every_instrument(mozart: Music) -> None:
    names = sorted(p.stem for p in (SCORE / "note").glob("*.csv"))
    assert len(names) == 12
    parts = {p.name: p for p in mozart.parts}
    for name in names:
        assert sorted(_triples(parts[name])) == _oracle(name), name


def test_musicxml_mozart_transposing_parts_sound_right(mozart: Music) -> None:
    parts = {p.name: p for p in mozart.parts}
    # horns in F sound a fifth below written; the double bass an octave below
    assert _triples(parts["horn3"])[0] == (F(4), F(1, 2), 67)
    assert _triples(parts["doublebass"])[0] == (F(2), F(1), 41)
    assert parts["horn1"].notes == ()  # horns in C rest in this movement
    assert parts["flute"].program == 73 and parts["horn3"].program == 60


def test_musicxml_mozart_meter_key_tempo(mozart: Music) -> None:
    assert mozart.meter == Meter(3, 4)
    assert mozart.key == "F major"
    assert len(mozart.parts) == 17
    assert mozart.tempo_map is not None
    assert mozart.tempo_map.segments[0].tempo_bpm == 40
    assert mozart.tempo_map.bar_count == 145  # the file numbers 145 measures
    assert Counter(n.onset.denominator for _, n in mozart.notes())[3] > 0  # exact triplets


def test_tempo_marks_are_read_in_the_meters_beats_and_round_trip(tmp_path):
    """Tempo marks are read in the meter's beats (half = 112 in 2/2 is 112, not 448: a bug
    once), and every note keeps its time through a write and a read."""
    from fractions import Fraction as F

    from filmscore.formats.musicxml import read_music as read_xml
    from filmscore.formats.musicxml import write_music as write_xml
    from filmscore.sync.tempomap import Meter, Segment, TempoMap
    from filmscore.writing.music import Music, Note, Part

    tmap = TempoMap("24", 0, (Segment(2, Meter(4, 4), F(44)), Segment(2, Meter(2, 2), F(112)),
                              Segment(1, Meter(6, 8), F(180))))
    notes = tuple(Note(F(q), F(1), 60 + q) for q in range(15))
    path = write_xml(Music((Part("line", notes),), meter=Meter(4, 4), tempo_map=tmap),
                     tmp_path / "tempi.musicxml")
    back = read_xml(path).tempo_map
    # our writer bars the music in its one meter (4/4), so the marks come back in quarter
    # BPM; what must hold is the time of every note
    from filmscore.writing.check import seconds_at_quarters

    for q in range(15):
        assert seconds_at_quarters(back, F(q)) == seconds_at_quarters(tmap, F(q)), q
