"""Expression in MusicXML: dynamics, hairpins, slurs, articulations, tremolo and techniques
both ways; accidentals as a copyist writes them; notation not carried is reported."""

from __future__ import annotations

import warnings
from fractions import Fraction as F
from pathlib import Path

import pytest
from lxml import etree

from filmscore.errors import FilmscoreWarning
from filmscore.formats.musicxml import read_music, write_full_score, write_music
from filmscore.sync.tempomap import Meter
from filmscore.writing.music import Mark, Music, Note, Part

MOZART = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / "sheet.mxl"


def _expressive() -> Music:
    """Two bars of flute and horn in E-flat with every kind of mark."""
    flute = Part("Flute", (
        Note(0, 1, 72, 80, ("staccato",)), Note(1, 1, 74, 80, ("accent", "tenuto")),
        Note(2, 1, 76, 80, ("tremolo",)), Note(3, 3, 77, 80, ("strong-accent",)),
        Note(6, 2, 78), Note(8, 1, 70, 80, ("staccatissimo",)), Note(9, 3, 68),
        Note(12, 4, 61, 80, ("tremolo",))), program=73, instrument="flute", marks=(
        Mark(0, "dynamic", "p"), Mark(F(1, 2), "crescendo", "", F(7, 2)),
        Mark(4, "dynamic", "f"), Mark(0, "slur", "", 2), Mark(3, "slur", "", 8),
        Mark(2, "technique", "pizz."), Mark(8, "technique", "arco"),
        Mark(8, "diminuendo", "", 16), Mark(16, "dynamic", "pp")))
    horn = Part("Horn", (Note(0, 8, 53, 80, ("tenuto",)), Note(8, 8, 55)), program=60,
                instrument="horn", marks=(Mark(0, "dynamic", "mf"), Mark(0, "slur", "", 8),
                                          Mark(4, "technique", "con sord.")))
    return Music((flute, horn), meter=Meter(4, 4), key="E- major")


def _same(a: Music, b: Music) -> None:
    for ours, theirs in zip(a.parts, b.parts, strict=True):
        assert theirs.notes == ours.notes
        assert theirs.marks == ours.marks


@pytest.mark.parametrize("suffix", [".musicxml", ".mxl"])
def test_expression_round_trip_is_identical(tmp_path, suffix):
    music = _expressive()
    with warnings.catch_warnings():
        warnings.simplefilter("error", FilmscoreWarning)  # nothing of ours is lost
        back = read_music(write_music(music, tmp_path / f"cue{suffix}"))
    _same(music, back)


@pytest.mark.parametrize("concert", [False, True])
def test_expression_round_trip_through_a_full_score(tmp_path, concert):
    music = _expressive()
    drums = Part("Snare Drum", (Note(0, 1, 38, 80, ("accent",)), Note(1, 1, 38)), is_drum=True,
                 instrument="snare_drum", marks=(Mark(0, "dynamic", "ff"),
                                                 Mark(0, "slur", "", 1)))
    music = music.with_parts([*music.parts, drums])
    back = read_music(write_full_score(music, tmp_path / "full.musicxml", concert=concert),
                      unpitched=True)
    _same(music, back)


def _xml(path: Path):
    return etree.parse(str(path)).getroot()


def test_expression_is_written_as_copyists_musicxml(tmp_path):
    root = _xml(write_music(_expressive(), tmp_path / "cue.musicxml"))
    flute = root.find("part")
    dynamics = [d for d in flute.iter("direction") if d.find("direction-type/dynamics") is not None]
    assert [d.find("direction-type/dynamics")[0].tag for d in dynamics] == ["p", "f", "pp"]
    assert {d.get("placement") for d in dynamics} == {"below"}
    wedges = [(w.get("type"), w.getparent().getparent().get("placement"))
              for w in flute.iter("wedge")]
    assert wedges == [("crescendo", "below"), ("stop", "below"),
                      ("diminuendo", "below"), ("stop", "below")]
    words = [(w.text, w.getparent().getparent().get("placement")) for w in flute.iter("words")]
    assert words == [("pizz.", "above"), ("arco", "above")]
    assert [s.get("type") for s in flute.iter("slur")] == ["start", "stop", "start", "stop"]
    first = flute.find("measure/note")
    assert first.find("notations/articulations/staccato") is not None
    tremolos = [t for t in flute.iter("tremolo")]
    assert [(t.get("type"), t.text) for t in tremolos] == [("single", "3"), ("single", "3")]
    assert flute.find(".//articulations/strong-accent") is not None
    assert "Music21" not in etree.tostring(root, encoding="unicode")  # no made-up composer


def _accidentals(root) -> list[tuple[str, str, str | None]]:
    """(bar, step+alter, accidental) of every note of the first part (no <alter> is 0)."""
    out = []
    for measure in root.find("part").iter("measure"):
        for note in measure.iter("note"):
            if note.find("pitch") is None:
                continue
            name = note.findtext("pitch/step") + (note.findtext("pitch/alter") or "")
            out.append((measure.get("number"), name, note.findtext("accidental")))
    return out


def test_accidentals_are_where_a_copyist_puts_them(tmp_path):
    # E-flat major: A-flat is in the key (never G#); E natural needs its sign once per bar
    # (not again on a later E in the bar, nor on a tied-over E); a courtesy E-flat follows
    # in the next bar.
    notes = (Note(0, 1, 68), Note(1, 1, 64), Note(2, 1, 67), Note(3, 2, 64),  # E tied over
             Note(5, 1, 63), Note(6, 1, 65), Note(7, 1, 64), Note(8, 1, 63), Note(9, 1, 60),
             Note(10, 1, 62), Note(11, 1, 58))
    music = Music((Part("Flute", notes, program=73),), key="E- major")
    root = _xml(write_music(music, tmp_path / "acc.musicxml"))
    assert _accidentals(root) == [
        ("1", "A-1", None), ("1", "E", "natural"), ("1", "G", None),
        ("1", "E", None),  # the natural holds to the barline
        ("2", "E", None),  # tied over the barline: no sign
        ("2", "E-1", "flat"),  # after E natural: the flat is needed again
        ("2", "F", None), ("2", "E", "natural"),
        ("3", "E-1", "flat"),  # courtesy flat after the E natural of bar 2
        ("3", "C", None), ("3", "D", None), ("3", "B-1", None)]
    text = etree.tostring(root, encoding="unicode")
    assert text.count("<accidental") == 4
    # the flats that only confirm the key are courtesy signs, in parentheses as in the parts
    assert [a.get("cautionary") for a in root.iter("accidental")] == [None, "yes", None, "yes"]


def test_accidentals_in_a_transposed_full_score_have_no_redundant_naturals(tmp_path):
    scale = (60, 62, 64, 65, 67, 69, 71, 72) * 2  # C major for a B-flat clarinet: D major
    notes = tuple(Note(i, 1, p) for i, p in enumerate(scale))
    music = Music((Part("Clarinet", notes, instrument="clarinet_bb"),), key="C major")
    root = _xml(write_full_score(music, tmp_path / "cl.musicxml"))
    assert root.find(".//key/fifths").text == "2"
    assert "<accidental>" not in etree.tostring(root, encoding="unicode")


SOURCE = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
<part-list><score-part id="P1"><part-name>Flute</part-name></score-part>
<score-part id="P2"><part-name>Piano</part-name></score-part></part-list>
<part id="P1">
<measure number="1">
<attributes><divisions>2</divisions><time><beats>4</beats><beat-type>4</beat-type></time>
<clef><sign>G</sign><line>2</line></clef></attributes>
<direction placement="below"><direction-type><dynamics><mp/></dynamics></direction-type></direction>
<direction><direction-type><wedge type="crescendo" number="2"/></direction-type>
<offset>1</offset></direction>
<note><pitch><step>C</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type>
<notations><slur type="start"/><articulations><staccato/></articulations></notations></note>
<note><pitch><step>D</step><octave>5</octave></pitch><duration>2</duration><type>quarter</type>
<notations><arpeggiate/></notations></note>
<direction><direction-type><words>Pizz.</words></direction-type></direction>
<note><pitch><step>E</step><octave>5</octave></pitch><duration>4</duration><type>half</type>
<tie type="start"/><notations><tied type="start"/><ornaments><trill-mark/></ornaments>
</notations></note>
</measure>
<measure number="2">
<note><pitch><step>E</step><octave>5</octave></pitch><duration>4</duration><type>half</type>
<tie type="stop"/><notations><tied type="stop"/><slur type="stop"/><fermata/></notations></note>
<direction><direction-type><wedge type="stop" number="2"/></direction-type></direction>
<direction><direction-type><dynamics><f/></dynamics></direction-type></direction>
<direction><direction-type><string-mute type="on"/></direction-type></direction>
<note><pitch><step>G</step><octave>5</octave></pitch><duration>4</duration><type>half</type>
<notations><ornaments><tremolo type="single">3</tremolo></ornaments>
<glissando type="start"/></notations></note>
</measure>
</part>
<part id="P2">
<measure number="1">
<attributes><divisions>1</divisions><staves>2</staves>
<time><beats>4</beats><beat-type>4</beat-type></time>
<clef number="1"><sign>G</sign><line>2</line></clef>
<clef number="2"><sign>F</sign><line>4</line></clef></attributes>
<note><pitch><step>C</step><octave>5</octave></pitch><duration>4</duration><type>whole</type>
<staff>1</staff></note>
<backup><duration>4</duration></backup>
<direction placement="below"><direction-type><dynamics><pp/></dynamics></direction-type>
<staff>2</staff></direction>
<note><pitch><step>C</step><octave>3</octave></pitch><duration>4</duration><type>whole</type>
<staff>2</staff></note>
</measure>
<measure number="2">
<note><pitch><step>D</step><octave>5</octave></pitch><duration>4</duration><type>whole</type><staff>1</staff>
<notations><fermata/></notations></note>
<backup><duration>4</duration></backup>
<note><pitch><step>D</step><octave>3</octave></pitch><duration>4</duration><type>whole</type><staff>2</staff>
<notations><fermata/></notations></note>
</measure>
</part>
</score-partwise>
"""


def test_source_marks_are_read_at_their_exact_places_and_the_rest_is_reported(tmp_path):
    source = tmp_path / "source.musicxml"
    source.write_text(SOURCE, encoding="utf-8")
    with pytest.warns(FilmscoreWarning) as caught:
        music = read_music(source)
    lines = [str(w.message) for w in caught]
    assert lines == [
        f"{source} bar 1, part Flute: <arpeggiate> not carried",
        f"{source} bar 1, part Flute: <trill-mark> not carried",
        f"{source} bar 2, parts Flute, Piano: <fermata> not carried",
        f"{source} bar 2, part Flute: <glissando> not carried",
    ]
    flute, piano_right, piano_left = music.parts
    assert [(n.onset, n.duration, n.pitch, n.articulations) for n in flute.notes] == [
        (0, 1, 72, ("staccato",)), (1, 1, 74, ()), (2, 4, 76, ()), (6, 2, 79, ("tremolo",))]
    assert flute.marks == tuple(sorted((
        Mark(0, "dynamic", "mp"), Mark(F(1, 2), "crescendo", "", 6),  # <offset> 1 division
        Mark(0, "slur", "", 2), Mark(2, "technique", "pizz."), Mark(6, "dynamic", "f"),
        Mark(6, "technique", "con sord."))))
    assert piano_right.marks == () and piano_left.marks == (Mark(0, "dynamic", "pp"),)
    assert music.note_count == 8  # every note kept


def test_a_real_score_keeps_its_dynamics_slurs_and_articulations():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FilmscoreWarning)
        music = read_music(MOZART)
    assert not caught  # Mozart's andante holds nothing we drop
    kinds = {(m.kind, m.value) for p in music.parts for m in p.marks}
    assert {("dynamic", "p"), ("dynamic", "f"), ("dynamic", "fp"), ("slur", ""),
            ("technique", "con sord.")} <= kinds
    slurs = sum(1 for p in music.parts for m in p.marks if m.kind == "slur")
    assert slurs > 1000
    violin = next(p for p in music.parts if p.name == "violin1")
    assert violin.dynamic_at(F(0)) in ("p", "pp", "mp", "f")
    staccatos = sum("staccato" in n.articulations for _, n in music.notes())
    assert staccatos > 400


def test_a_bar_ending_in_a_tuplet_fragment_and_a_long_rest_is_written(tmp_path):
    # 1M9's flute in the demo: a 32nd-triplet note, then a rest of 29/12 quarters that
    # music21 must split (we make the notation ourselves, then split as its writer does)
    flute = Part("Flute 1", (Note(0, 1, 74), Note(1, F(1, 2), 81), Note(F(3, 2), F(1, 12), 74)),
                 instrument="flute", marks=(Mark(0, "dynamic", "mf"),))
    music = Music((flute,), meter=Meter(4, 4), key="D minor")
    back = read_music(write_full_score(music, tmp_path / "tuplet.musicxml"))
    _same(music, back)
