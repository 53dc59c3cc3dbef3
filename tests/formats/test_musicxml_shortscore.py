"""The composer's short score (``write_music``): in C, clefs by range, staves named by job
and instrument, percussion on a percussion staff, tempos as a copyist writes them; and
everything read back exactly."""

from __future__ import annotations

import warnings
from fractions import Fraction as F
from pathlib import Path

import pytest
from lxml import etree

from filmscore.errors import FilmscoreWarning
from filmscore.formats.musicxml import read_music, write_music
from filmscore.formats.musicxml_shortscore import choose_clefs, drum_display, ledger_lines
from filmscore.sync.tempomap import Meter, TempoMap
from filmscore.writing.music import Mark, Music, Note, Part

SINDBAD_BPM = F(16320, 157)  # 1M2's tempo: 103.949... BPM, about 13-7 frame-click at 24 fps


def _sketch(bars: int = 8) -> Music:
    """A sketch as the demo writes one: melody (trumpet), pad (strings), bass (tuba),
    percussion (General MIDI drum keys), in 2/4 at 1M2's tempo, F major."""
    melody = Part("melody", tuple(Note(2 * b, 1, 65 + (b % 4) * 2) for b in range(bars)),
                  56, instrument="trumpet",
                  marks=(Mark(0, "dynamic", "mp"), Mark(0, "slur", "", 2),
                         Mark(4, "crescendo", "", 6), Mark(6, "dynamic", "f")))
    pad = Part("pad", tuple(Note(2 * b + 1, 1, p) for b in range(bars) for p in (60, 65, 69)),
               48, instrument="strings", marks=(Mark(1, "dynamic", "p"),))
    bass = Part("bass", tuple(Note(2 * b, 1, 29 + (b % 3) * 2) for b in range(bars)), 58,
                instrument="tuba", marks=(Mark(0, "dynamic", "mp"),))
    hit = ("accent",)  # a chord's articulations belong to all its notes
    drums = Part("percussion", (Note(0, F(1, 2), 36, 80, hit), Note(0, F(1, 2), 49, 80, hit),
                                Note(0, F(1, 2), 41, 80, hit), Note(4, F(1, 2), 38),
                                Note(6, 1, 51)),
                 0, is_drum=True, instrument="percussion (timpani, bass drum, cymbal)",
                 marks=(Mark(0, "dynamic", "f"),))
    tmap = TempoMap.constant("24", 0, SINDBAD_BPM, bars, Meter(2, 4))
    return Music((melody, pad, bass, drums), meter=Meter(2, 4), tempo_map=tmap,
                 key="F major", title="1M2 I'm Sindbad the Sailor (sketch)")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Music, Path, etree._Element]:
    music = _sketch()
    path = write_music(music, tmp_path_factory.mktemp("short") / "1M2.musicxml")
    return music, path, etree.parse(str(path)).getroot()


def _parts(root: etree._Element) -> list[etree._Element]:
    return root.findall("part")


def _clefs(part: etree._Element) -> list[tuple[str, str, str, str]]:
    """(measure number, sign, line, octave change) of every clef of a part."""
    return [(m.get("number"), c.findtext("sign"), c.findtext("line", ""),
             c.findtext("clef-octave-change", "")) for m in part.findall("measure")
            for c in m.iter("clef")]


def test_a_short_score_is_in_c(written):
    _, _, root = written
    assert root.find(".//transpose") is None
    fifths = [k.findtext("fifths") for k in root.iter("key")]
    assert fifths == ["-1"] * 3  # F major on the three pitched staves, none on percussion
    trumpet = _parts(root)[0].find("measure/note/pitch")
    assert (trumpet.findtext("step"), trumpet.findtext("octave")) == ("F", "4")  # as it sounds


def test_a_clef_by_range_on_every_staff(written):
    _, _, root = written
    melody, pad, bass, drums = _parts(root)
    assert _clefs(melody) == [("1", "G", "2", "")]
    assert _clefs(pad) == [("1", "G", "2", "")]
    assert _clefs(bass) == [("1", "F", "4", "")]  # the tuba: bass clef, not treble
    assert _clefs(drums) == [("1", "percussion", "", "")]


def test_octave_clefs_and_clef_changes_only_where_a_copyist_makes_them():
    treble_bars = [[(36, 40)]] * 4  # C5 to G5 chords
    low_bars = [[(15, 19)]] * 4  # C2 to G2: five ledger lines under the treble staff
    # strings read both clefs: the low passage goes to the bass clef and comes back
    assert choose_clefs(treble_bars + low_bars + treble_bars, "strings") == \
        ["treble"] * 4 + ["bass"] * 4 + ["treble"] * 4
    # one low bar is not worth two changes of clef
    assert choose_clefs(treble_bars + low_bars[:1] + treble_bars, "strings") == ["treble"] * 9
    # a trumpet keeps its clef and its ledger lines
    assert set(choose_clefs(treble_bars + low_bars + treble_bars, "trumpet")) == {"treble"}
    # a double bass on the bass clef with an 8 below, a tuba on the plain bass clef
    deep = [[(12, 20)]] * 4  # G1 to A2
    assert choose_clefs(deep, "contrabass pizzicato") == ["bass_8vb"] * 4
    assert choose_clefs(deep, "tuba") == ["bass"] * 4
    assert ledger_lines(12, "bass") == 3 and ledger_lines(12, "bass_8vb") == 0


def test_staves_are_named_by_job_and_instrument(written):
    _, _, root = written
    names = [(sp.findtext("part-name"), sp.findtext("part-abbreviation"))
             for sp in root.findall("part-list/score-part")]
    assert names == [("Melody (Trumpet)", "Mel. (Tpt.)"), ("Harmony (Strings)", "Harm. (Str.)"),
                     ("Bass (Tuba)", "Bass (Tba.)"),
                     ("Percussion (timpani, bass drum, cymbal)", "Perc.")]
    assert "Pno" not in etree.tostring(root, encoding="unicode")


def test_percussion_is_a_percussion_staff_with_a_drum_per_note(written):
    _, _, root = written
    score_part = root.findall("part-list/score-part")[3]
    drums = _parts(root)[3]
    keys = {mi.get("id"): int(mi.findtext("midi-unpitched")) - 1
            for mi in score_part.findall("midi-instrument")}
    assert sorted(keys.values()) == [36, 38, 41, 49, 51]
    assert {si.findtext("instrument-name") for si in score_part.findall("score-instrument")} \
        == {"Bass Drum", "Snare Drum", "Low Floor Tom", "Crash Cymbal", "Ride Cymbal"}
    notes = [n for n in drums.iter("note") if n.find("rest") is None]
    assert notes and all(n.find("pitch") is None and n.find("unpitched") is not None
                         for n in notes)
    placed = {}
    for note in notes:
        key = keys[note.find("instrument").get("id")]
        placed[key] = (note.findtext("unpitched/display-step"),
                       int(note.findtext("unpitched/display-octave")),
                       note.findtext("notehead") or "normal")
    assert placed == drum_display([36, 38, 41, 49, 51])
    assert placed[36] == ("F", 4, "normal") and placed[38] == ("C", 5, "normal")
    assert placed[49][2] == "x"  # cymbals with crossed heads
    assert drums.find(".//key") is None
    legend = drums.find("measure/direction/direction-type/words").text
    assert legend.startswith("Cr. cym.") and "B.D. 1st space" in legend


def test_one_drum_is_written_on_a_one_line_staff(tmp_path):
    triangle = Part("percussion", tuple(Note(b, 1, 81) for b in range(4)), is_drum=True,
                    instrument="percussion (triangle)")
    music = Music((triangle,), meter=Meter(4, 4))
    root = etree.parse(str(write_music(music, tmp_path / "tri.musicxml"))).getroot()
    assert root.findtext(".//staff-details/staff-lines") == "1"
    note = root.find(".//note/unpitched")
    assert (note.findtext("display-step"), note.findtext("display-octave")) == ("E", "4")
    assert root.findtext(".//direction/direction-type/words") == "Open Triangle"
    assert [n.pitch for n in read_music(tmp_path / "tri.musicxml").parts[0].notes] == [81] * 4


def test_the_tempo_as_a_copyist_writes_it_above_the_top_staff(written):
    _, _, root = written
    melody, *others = _parts(root)
    metronome = melody.find(".//direction/direction-type/metronome")
    direction = metronome.getparent().getparent()
    assert metronome.findtext("per-minute") == "103.95"
    assert direction.get("placement") == "above"
    assert F(direction.find("sound").get("tempo")).limit_denominator(1000) == SINDBAD_BPM
    words = [w.text for w in melody.iter("words")]
    assert "(~13-7 fc)" in words
    assert all(p.find(".//metronome") is None for p in others)


def test_the_short_score_reads_back_exactly(written):
    music, path, root = written
    with warnings.catch_warnings():
        warnings.simplefilter("error", FilmscoreWarning)  # nothing is reported lost
        back = read_music(path)
    for ours, theirs in zip(music.parts, back.parts, strict=True):
        assert theirs.notes == ours.notes, ours.name
        assert theirs.marks == ours.marks, ours.name
        assert theirs.is_drum == ours.is_drum and theirs.program == ours.program
    assert back.meter == Meter(2, 4) and back.key == "F major"
    assert back.tempo_map.segments[0].tempo_bpm == SINDBAD_BPM  # exact, not 103.95
    assert [p.name for p in back.parts][0] == "Melody (Trumpet)"
    final = [m.findall("measure")[-1].findtext("barline/bar-style") for m in _parts(root)]
    assert final == ["light-heavy"] * 4


def test_writing_a_read_short_score_again_keeps_its_names(written, tmp_path):
    _, path, _ = written
    back = read_music(path)  # the parts carry no instrument any more, only their names
    second = read_music(write_music(back, tmp_path / "again.mxl"))  # compressed, this time
    assert [p.name for p in second.parts] == [p.name for p in back.parts]
    assert [p.notes for p in second.parts] == [p.notes for p in back.parts]


def test_named_unpitched_notes_of_another_file_are_read_as_their_drums(tmp_path):
    """A drum part as notation programs write it: each note names its instrument."""
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Drums</part-name>
<score-instrument id="P1-I36"><instrument-name>Bass Drum</instrument-name></score-instrument>
<score-instrument id="P1-I39"><instrument-name>Snare</instrument-name></score-instrument>
<midi-instrument id="P1-I36"><midi-channel>10</midi-channel><midi-unpitched>36</midi-unpitched>
</midi-instrument><midi-instrument id="P1-I39"><midi-channel>10</midi-channel>
<midi-unpitched>39</midi-unpitched></midi-instrument></score-part></part-list>
<part id="P1"><measure number="1"><attributes><divisions>1</divisions><time><beats>2</beats>
<beat-type>4</beat-type></time><clef><sign>percussion</sign></clef></attributes>
<note><unpitched><display-step>F</display-step><display-octave>4</display-octave></unpitched>
<duration>1</duration><instrument id="P1-I36"/><type>quarter</type></note>
<note><unpitched><display-step>C</display-step><display-octave>5</display-octave></unpitched>
<duration>1</duration><instrument id="P1-I39"/><type>quarter</type></note>
</measure></part></score-partwise>"""
    path = tmp_path / "drums.musicxml"
    path.write_text(xml, encoding="utf-8")
    part = read_music(path).parts[0]
    assert part.is_drum
    assert [(n.onset, n.pitch) for n in part.notes] == [(0, 35), (1, 38)]
