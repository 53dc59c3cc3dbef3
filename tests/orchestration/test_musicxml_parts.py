"""MusicXML parts and scores through lxml: a real symphony against its note oracle, spelled
transposition against music21, multi-rests, the film header and marks, bad input."""

from __future__ import annotations

import csv
import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from filmscore.errors import ParseError
from filmscore.formats.musicxml import read_music
from filmscore.formats.musicxml_parts import (
    Header,
    SyncMark,
    TempoMark,
    load_score,
    make_part,
    make_parts,
    make_score,
    parse_score,
    write_musicxml,
)
from filmscore.orchestration.copying import Interval, transpose_fifths, transpose_pitch

F = Fraction
SCORE = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2"
HEADER = Header("The Long Night", "1M3", "The Fight", "Music by A. Composer", "Session 1")


# --- a real score: every part's sounding notes equal the oracle ---------------------------


def _triples(part) -> list[tuple[Fraction, Fraction, int]]:
    return sorted((n.onset, n.duration, n.pitch) for n in part.notes)


def _oracle(name: str) -> list[tuple[Fraction, Fraction, int]]:
    # the CSVs give every note at sounding pitch: onset and duration in quarters from bar 1
    # beat 1 as rounded decimals (back to exact values here), ties merged, no grace notes
    with open(SCORE / "note" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return sorted((F(row["onset"]).limit_denominator(960),
                       F(row["duration"]).limit_denominator(960), int(row["midi_number"]))
                      for row in csv.DictReader(handle))


@pytest.fixture(scope="module")
def mozart():
    return load_score(SCORE / "sheet.mxl")


def _has_pitches(data: bytes) -> bool:
    return etree.fromstring(data).find(".//note/pitch") is not None


def test_every_transposed_part_sounds_like_the_oracle(mozart, tmp_path):
    """Each part, written out transposed (horns in F, double bass an octave up), read back
    by read_music (music21 toSoundingPitch; grace notes dropped, tied notes merged into one)
    has exactly the oracle's sounding (onset, duration, MIDI pitch) notes."""
    names = sorted(p.stem for p in (SCORE / "note").glob("*.csv"))
    parts = dict(make_parts(mozart, header=HEADER))
    assert list(parts) == [name for _, name in mozart.parts]
    read = {}
    for name, data in parts.items():
        if not _has_pitches(data):  # horns in C, trumpets, timpani: tacet here
            assert name in ("horn1", "horn2", "piccolotrumpet1", "piccolotrumpet2", "timpani")
            continue
        path = write_musicxml(tmp_path / f"{name}.musicxml", data)
        read[name] = _triples(read_music(path).parts[0])
    assert set(names) <= set(read)
    for name in names:
        assert read[name] == _oracle(name), name
    horn = etree.fromstring(parts["horn3"])
    assert horn.findtext(".//transpose/chromatic") == "-7"  # still written in F
    assert horn.find(".//measure-style/multiple-rest") is not None


def test_concert_score_sounds_like_the_oracle(mozart, tmp_path):
    data = make_score(mozart, header=HEADER, concert=True)
    root = etree.fromstring(data)
    assert root.find("defaults/concert-score") is not None
    # in C: horns lose their transposition; the double bass keeps its octave
    chromatics = {t.findtext("chromatic") for t in root.iter("transpose")}
    assert chromatics == {"0"}
    assert {t.findtext("octave-change") for t in root.iter("transpose")} == {"-1"}
    back = read_music(write_musicxml(tmp_path / "score.mxl", data))
    parts = {p.name: p for p in back.parts}
    for path in (SCORE / "note").glob("*.csv"):
        assert _triples(parts[path.stem]) == _oracle(path.stem), path.stem
    assert len(back.parts) == 17


def test_transposed_part_can_be_made_in_c(mozart, tmp_path):
    concert = make_part(mozart, "P8", header=HEADER, transposed=False)  # horn3 in F
    written = make_part(mozart, "P8", header=HEADER)
    assert concert != written
    assert etree.fromstring(concert).find(".//transpose") is None
    back = read_music(write_musicxml(tmp_path / "horn.musicxml", concert))
    assert _triples(back.parts[0]) == _oracle("horn3")


# --- spelled transposition against music21 -------------------------------------------------


def _m21_interval(interval: Interval):
    from music21 import interval as m21interval

    d = interval.diatonic
    generic = m21interval.GenericInterval(d + 1 if d >= 0 else d - 1)
    return m21interval.intervalFromGenericAndChromatic(generic, interval.chromatic)


INTERVALS = [Interval(-1, -2), Interval(1, 2), Interval(-4, -7), Interval(4, 7),
             Interval(-2, -3), Interval(-5, -9), Interval(-8, -14), Interval(0, 0),
             Interval(-7, -12), Interval(2, 4), Interval(-3, -5), Interval(5, 9)]


@pytest.mark.parametrize("interval", INTERVALS, ids=str)
def test_transpose_pitch_agrees_with_music21(interval):
    from music21 import key as m21key
    from music21 import pitch as m21pitch

    m21 = _m21_interval(interval)
    for step, alter, octave in itertools.product("CDEFGAB", (-1, 0, 1), (2, 4, 6)):
        ours = transpose_pitch(step, F(alter), octave, interval)
        theirs = m21pitch.Pitch(step=step, octave=octave,
                                accidental=alter or None).transpose(m21)
        assert ours == (theirs.step, F(int(theirs.alter)), theirs.octave), (step, alter)
    for fifths in range(-4, 5):
        theirs = m21key.KeySignature(fifths).transpose(m21)
        assert transpose_fifths(fifths, interval) == theirs.sharps


def _concert_doc(*, fifths: int, notes: list[tuple[str, int, int]], name: str,
                 extra: str = "") -> bytes:
    body = "".join(
        f"<note><pitch><step>{s}</step>{f'<alter>{a}</alter>' if a else ''}"
        f"<octave>{o}</octave></pitch><duration>1</duration><type>quarter</type>"
        f"{'<accidental>sharp</accidental>' if a == 1 else ''}</note>" for s, a, o in notes)
    return (f"<score-partwise version='4.0'><part-list><score-part id='P1'><part-name>{name}"
            f"</part-name></score-part></part-list><part id='P1'><measure number='1'>"
            f"<attributes><divisions>1</divisions><key><fifths>{fifths}</fifths></key>"
            f"<time><beats>{len(notes)}</beats><beat-type>4</beat-type></time>{extra}"
            f"</attributes>{body}</measure></part></score-partwise>").encode()


def _pitches(root) -> list[tuple[str, int, int]]:
    return [(n.findtext("pitch/step"), int(n.findtext("pitch/alter") or 0),
             int(n.findtext("pitch/octave"))) for n in root.iter("note")]


@pytest.mark.parametrize(("instrument", "interval"), [("clarinet_bb", Interval(-1, -2)),
                                                      ("horn", Interval(-4, -7))])
def test_concert_part_is_written_for_its_instrument(instrument, interval):
    from music21 import key as m21key
    from music21 import pitch as m21pitch

    notes = [("F", 0, 4), ("B", -1, 4), ("C", 1, 5), ("E", 0, 5)]
    doc = parse_score(_concert_doc(fifths=-1, notes=notes, name="Solo"), source="solo.xml")
    root = etree.fromstring(make_part(doc, "P1", header=HEADER, instrument=instrument))
    down = _m21_interval(-interval)  # written = sounding - interval
    expected = []
    for step, alter, octave in notes:
        p = m21pitch.Pitch(step=step, octave=octave, accidental=alter or None).transpose(down)
        expected.append((p.step, int(p.alter), p.octave))
    assert _pitches(root) == expected
    assert int(root.findtext(".//key/fifths")) == m21key.KeySignature(-1).transpose(down).sharps
    transpose = root.find(".//transpose")
    assert (int(transpose.findtext("diatonic")), int(transpose.findtext("chromatic"))) == \
        (interval.diatonic, interval.chromatic)
    # the C# (an accidental against the key) keeps an accidental of the new spelling
    assert root.find(".//accidental").text == {"clarinet_bb": "sharp", "horn": "sharp"}[
        instrument]
    # and the MusicXML 4 way: a concert score that names the part's transposition
    extra = (f"<for-part><part-transpose><diatonic>{interval.diatonic}</diatonic>"
             f"<chromatic>{interval.chromatic}</chromatic></part-transpose></for-part>")
    doc4 = parse_score(_concert_doc(fifths=-1, notes=notes, name="Solo", extra=extra))
    assert _pitches(etree.fromstring(make_part(doc4, "P1", header=HEADER))) == expected


def test_a_key_beyond_seven_sharps_is_respelled():
    # concert F# major (6 sharps) for clarinet in B flat: G# major (8) is written as A flat
    doc = parse_score(_concert_doc(fifths=6, notes=[("F", 1, 4), ("C", 1, 5)], name="Cl"))
    root = etree.fromstring(make_part(doc, "P1", header=HEADER, instrument="clarinet_bb"))
    assert root.findtext(".//key/fifths") == "-4"
    assert _pitches(root) == [("A", -1, 4), ("E", -1, 5)]
    assert root.find(".//accidental") is None  # A flat major's key says both flats


# --- multi-rests, marks, header -------------------------------------------------------------


def _doc(meter: tuple[int, int], bars: list[str], *, pickup: str | None = None,
         divisions: int = 2) -> bytes:
    """One part; each bar 'rest' (a whole-bar rest) or 'notes' (quarters/eighths of C5)."""
    beats, beat_type = meter
    bar_q = F(4 * beats, beat_type)

    def notes(length: Fraction) -> str:
        unit = F(1, 2) if beat_type == 8 else F(1)
        count = int(length / unit)
        kind = "eighth" if unit == F(1, 2) else "quarter"
        return "".join(f"<note><pitch><step>C</step><octave>5</octave></pitch><duration>"
                       f"{int(unit * divisions)}</duration><type>{kind}</type></note>"
                       for _ in range(count))

    measures = []
    if pickup is not None:
        measures.append(f"<measure number='0' implicit='yes'>{notes(F(pickup))}</measure>")
    for number, kind in enumerate(bars, 1):
        content = (f"<note><rest measure='yes'/><duration>{int(bar_q * divisions)}</duration>"
                   "</note>" if kind == "rest" else notes(bar_q))
        measures.append(f"<measure number='{number}'>{content}</measure>")
    attrs = (f"<attributes><divisions>{divisions}</divisions><key><fifths>0</fifths></key>"
             f"<time><beats>{beats}</beats><beat-type>{beat_type}</beat-type></time>"
             "<clef><sign>G</sign><line>2</line></clef></attributes>")
    first = measures[0]
    cut = first.index(">") + 1
    measures[0] = first[:cut] + attrs + first[cut:]
    return ("<?xml version='1.0'?><score-partwise version='4.0'><part-list><score-part id='P1'>"
            "<part-name>Trumpet</part-name></score-part></part-list><part id='P1'>"
            + "".join(measures) + "</part></score-partwise>").encode()


@pytest.mark.parametrize(("name", "played", "transpose", "shown"), [
    ("Flute 3", "Piccolo", "", "Flute 3 (Piccolo)"),  # the player picks up the piccolo
    ("Clarinet 2", "Bass Clarinet", (-8, -14), "Clarinet 2 (Bass Clarinet in B\u266d)"),
    ("Clarinet 1", "Clarinet in A", (-2, -3), "Clarinet 1 in A"),  # the same, in A
    ("Flute 1", "Flute", "", "Flute 1"),
    ("Violin 1", "Piccolo", "", "Violin 1"),  # no violinist's double
])
def test_a_chair_on_its_double_is_named_with_it(name, played, transpose, shown):
    data = _doc((4, 4), ["notes"] * 2).decode().replace(
        "<part-name>Trumpet</part-name>", f"<part-name>{name}</part-name><score-instrument "
        f"id='I1'><instrument-name>{played}</instrument-name></score-instrument>")
    if transpose:
        data = data.replace("</clef></attributes>", "</clef><transpose><diatonic>"
                            f"{transpose[0]}</diatonic><chromatic>{transpose[1]}</chromatic>"
                            "</transpose></attributes>")
    doc = parse_score(data.encode())
    for made in (make_part(doc, "P1", header=HEADER), make_score(doc, header=HEADER)):
        assert etree.fromstring(made).findtext("part-list/score-part/part-name") == shown
    assert [n for _, n in doc.parts] == [name]  # its files are still named by the chair


def _multirests(root) -> list[tuple[str, int]]:
    return [(m.get("number"), int(m.findtext("attributes/measure-style/multiple-rest")))
            for m in root.iter("measure") if m.find("attributes/measure-style") is not None]


def test_eight_empty_bars_are_one_multirest_split_by_a_sync_mark():
    doc = parse_score(_doc((4, 4), ["notes"] + ["rest"] * 8 + ["notes"]))
    root = etree.fromstring(make_part(doc, "P1", header=HEADER))
    assert _multirests(root) == [("2", 8)]
    assert len(root.findall(".//measure")) == 10  # every bar is still there
    # a sync mark in bar 5 (quarters 16): the bar carries its mark, the rests around it
    # make runs of their own
    mark = SyncMark(F(16), "A", "01:00:10:00")
    root = etree.fromstring(make_part(doc, "P1", header=HEADER, syncs=[mark]))
    assert _multirests(root) == [("2", 3), ("5", 5)]  # the marked bar starts a run
    assert _multirests(etree.fromstring(make_part(doc, "P1", header=HEADER,
                                                  multirest=False))) == []


def test_multirests_stop_at_double_bars_and_meter_changes():
    data = _doc((3, 4), ["rest"] * 6).decode()
    data = data.replace("<measure number='3'>", "<measure number='3'>"
                        "<barline location='right'><bar-style>light-light</bar-style></barline>")
    data = data.replace("<measure number='5'>", "<measure number='5'><attributes><time>"
                        "<beats>2</beats><beat-type>4</beat-type></time></attributes>")
    root = etree.fromstring(make_part(parse_score(data.encode()), "P1", header=HEADER))
    assert _multirests(root) == [("1", 3), ("5", 2)]


def _marks(root) -> list[tuple[str, str, str, str | None]]:
    """(bar, kind, text, offset) of each added direction, in document order."""
    out = []
    for measure in root.iter("measure"):
        for direction in measure.iterfind("direction"):
            rehearsal = direction.find("direction-type/rehearsal")
            words = direction.find("direction-type/words")
            if rehearsal is not None:
                out.append((measure.get("number"), "rehearsal", rehearsal.text, None))
            elif direction.find("direction-type/metronome") is not None:
                out.append((measure.get("number"), "tempo",
                            direction.findtext("direction-type/metronome/per-minute"),
                            direction.get("placement")))
            elif words is not None:
                out.append((measure.get("number"), "words", words.text,
                            direction.findtext("offset")))
    return out


def _before_note(root, text: str) -> int:
    """How many notes of its bar come before the direction whose words are ``text``."""
    for measure in root.iter("measure"):
        count = 0
        for child in measure:
            if child.tag == "note":
                count += 1
            if child.tag == "direction" and child.findtext("direction-type/words") == text:
                return count
    raise AssertionError(text)


@pytest.mark.parametrize(("meter", "quarters", "bar", "notes_before", "offset"), [
    ((4, 4), F(9), "3", 1, None),        # bar 3 beat 2
    ((3, 4), F(7), "3", 1, None),        # 3/4: bar 3 beat 2
    ((6, 8), F(7, 2), "2", 1, None),     # 6/8: bar 2, the second eighth
    ((6, 8), F(15, 4), "2", 1, "0.5"),   # 6/8: a 16th after the 2nd eighth: <offset>
    ((3, 4), F(-1), "0", 0, None),       # the pickup's beat
    ((3, 4), F(0), "1", 0, None),        # bar 1 beat 1
])
def test_sync_mark_lands_in_its_bar_at_its_offset(meter, quarters, bar, notes_before, offset):
    doc = parse_score(_doc(meter, ["notes"] * 4, pickup="1"))
    mark = SyncMark(quarters, "A", "01:00:02:03", "door slams", 2.0, "hard")
    root = etree.fromstring(make_part(doc, "P1", header=HEADER, syncs=[mark]))
    marks = _marks(root)
    # a part shows the timecode alone, on the timecode line; a sync point is no letter
    assert (bar, "words", "01:00:02:03", offset) in marks
    assert not [m for m in marks if m[1] == "rehearsal"]
    assert _before_note(root, "01:00:02:03") == notes_before
    words = next(w for w in root.iter("words") if w.text == "01:00:02:03")
    assert words.get("default-y") == "45"
    assert words.getparent().getparent().get("id") == "fs-tc-1-w2"
    score = etree.fromstring(make_score(doc, header=HEADER, syncs=[mark]))
    assert (bar, "words", "door slams", offset) in _marks(score)  # the score says what


def test_header_credits_and_tempo_with_frameclick():
    doc = parse_score(_doc((4, 4), ["notes"] * 3))
    tempos = [TempoMark(F(0), F(120), "quarter", "12-0"),
              TempoMark(F(4), F(60), "quarter.", "~15-1", "rit.")]
    header = Header("The Long Night", "1M3", "The Fight", "A. Composer", "Session 1",
                    orchestrator="B. Orchestrator", length="0:44+12",
                    span="01:00:10:00 - 01:00:54:12")
    root = etree.fromstring(make_part(doc, "P1", header=header, tempos=tempos))
    credits = {c.findtext("credit-type"): c.find("credit-words") for c in root.iter("credit")}
    cue = credits["cue number"]  # large, bold and boxed at top left
    assert (cue.text, cue.get("justify"), cue.get("enclosure")) == ("1M3", "left", "rectangle")
    assert float(cue.get("font-size")) >= 20 and cue.get("font-weight") == "bold"
    assert credits["part name"].text == "Trumpet" and credits["part name"].get("justify") == \
        "right"
    assert credits["subtitle"].text == "The Long Night"
    assert credits["title"].text == "The Fight" and credits["title"].get("justify") == "center"
    assert credits["composer"].text == "Music: A. Composer"
    assert credits["arranger"].text == "Orchestration: B. Orchestrator"
    assert credits["composer"].get("justify") == "right"
    assert credits["cue length"].text == "Length 0:44+12   01:00:10:00 - 01:00:54:12"
    assert credits["note"].text == "Session 1"
    assert root.findtext("work/work-title") == "The Long Night"
    assert root.findtext("movement-title") == "1M3 The Fight"
    assert root.findtext("movement-number") == "1M3"
    assert [c.text for c in root.iter("creator")] == ["A. Composer", "B. Orchestrator"]
    marks = _marks(root)
    assert ("1", "tempo", "120", "above") in marks
    assert ("1", "words", "(12-0 fc)", None) in marks
    assert ("2", "tempo", "60", "above") in marks
    sounds = [s.get("tempo") for s in root.iter("sound")]
    assert sounds == ["120", "90"]  # <sound tempo> is in quarters: dotted quarter 60 = 90
    assert root.find(".//metronome/beat-unit-dot") is not None
    assert [m.get("number") for m in root.iter("measure")] == ["1", "2", "3"]


def test_score_has_marks_once_over_the_top_staff(mozart):
    mark = SyncMark(F(30), "A", "01:00:00:00", "the door", 2.0, "hard")
    root = etree.fromstring(make_score(mozart, header=HEADER, syncs=[mark],
                                       tempos=[TempoMark(F(0), F(40), "eighth", "36-0")]))
    parts = root.findall("part")
    assert len(parts) == 17
    # rehearsal letters over the top staff only, at most one a bar, 8 to 24 bars apart
    letters = [(i, d.findtext("direction-type/rehearsal"))
               for i, m in enumerate(parts[0].findall("measure"))
               for d in m.iterfind("direction") if d.find("direction-type/rehearsal") is not None]
    assert [len(p.findall(".//rehearsal")) for p in parts[1:]] == [0] * 16
    assert [t for _, t in letters] == ["ABCDEFGHJKLMNPQRSTUVWXYZ"[i] for i in range(len(letters))]
    gaps = [b - a for (a, _), (b, _) in zip(letters, letters[1:], strict=False)]
    assert letters and all(8 <= g <= 24 for g in gaps), letters
    # the film's tempo replaces the source's metronome mark (quarter = 40 there)
    assert [m.findtext("per-minute") for m in root.iter("metronome")] == ["40"]
    assert [s.get("tempo") for s in root.iter("sound") if s.get("tempo")] == ["20"]
    texts = [w.text for w in parts[0].findall("measure")[10].iter("words")]
    assert "01:00:00:00" in texts and "the door" in texts
    assert root.find(".//multiple-rest") is None  # a score has no multi-rests
    credits = {c.findtext("credit-type"): c.findtext("credit-words") for c in root.iter("credit")}
    assert credits["part name"] == "Transposed score"
    assert credits["cue number"] == "1M3"
    # written score: the horns stay in F, and say so
    assert "-7" in {t.findtext("chromatic") for t in root.iter("transpose")}
    names = [e.findtext("part-name") for e in root.iterfind("part-list/score-part")]
    assert "horn3 in F" in names and "flute" in names
    concert = etree.fromstring(make_score(mozart, header=HEADER, concert=True))
    assert {c.findtext("credit-type"): c.findtext("credit-words")
            for c in concert.iter("credit")}["part name"] == "Score in C"
    assert "horn3" in [e.findtext("part-name") for e in concert.iterfind("part-list/score-part")]
    for part in parts:  # every part ends on a final bar line
        assert part.findall("measure")[-1].findtext("barline/bar-style") == "light-heavy"


# --- bad input --------------------------------------------------------------------------------


def test_bad_files_are_one_line_parse_errors(tmp_path):
    cases = {
        "notxml.musicxml": b"this is not XML at all",
        "timewise.xml": b"<score-timewise version='4.0'><measure number='1'/></score-timewise>",
        "noparts.musicxml": b"<score-partwise version='4.0'><part-list/></score-partwise>",
        "empty.musicxml": b"<score-partwise><part-list/><part id='P1'/></score-partwise>",
        "broken.mxl": b"PK\x03\x04 not a zip",
        "other.txt": b"<score-partwise/>",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ParseError) as caught:
            load_score(path)
        message = str(caught.value)
        assert name in message and "\n" not in message, message
    with pytest.raises(ParseError, match="missing.xml: no such file"):
        load_score(tmp_path / "missing.xml")
    with pytest.raises(ParseError, match="timewise"):
        load_score(tmp_path / "timewise.xml")
    doc = parse_score(_doc((4, 4), ["notes"]))
    with pytest.raises(ParseError, match="no such part"):
        make_part(doc, "P9", header=HEADER)


def test_written_mxl_loads_again(tmp_path):
    doc = parse_score(_doc((4, 4), ["notes", "rest", "rest"]))
    path = write_musicxml(tmp_path / "part.mxl", make_part(doc, "P1", header=HEADER))
    again = load_score(path)
    assert again.parts == [("P1", "Trumpet")] and again.measure_count == 3
    assert again.starts == [0, 4, 8]


def test_a_score_and_its_parts_share_each_part_as_copied():
    """make_score and make_parts copy each part once per document (ScoreDoc keeps it):
    the parts and the notes about them are the same whether or not the score was made
    first, and marks added by one caller never reach the next."""
    fresh_notes: list[str] = []
    fresh = make_parts(load_score(SCORE / "sheet.mxl"), header=HEADER, notes=fresh_notes)
    doc = load_score(SCORE / "sheet.mxl")
    syncs = [SyncMark(F(12), "A", "01:00:10:00", "door")]
    score = make_score(doc, header=HEADER, syncs=syncs)
    notes: list[str] = []
    assert make_parts(doc, header=HEADER, notes=notes) == fresh
    assert notes == fresh_notes
    assert make_parts(doc, header=HEADER) == fresh
    assert make_score(doc, header=HEADER, syncs=syncs) == score
    assert b"01:00:10:00" in score and not any(b"01:00:10:00" in d for _, d in fresh)


def test_a_percussion_part_keeps_its_first_timecode_beside_the_key_to_its_staff(tmp_path):
    """The key under a percussion staff is not one of the bar's texts: the sync point's
    timecode at bar 1 stays beside the tempo's frame-click (it was left out for the key)."""
    from filmscore.formats.musicxml import write_full_score
    from filmscore.writing.music import Music, Note, Part

    one = F(1)
    kit = Part("Percussion 1", tuple(Note(F(i), one, k) for i, k in enumerate((36, 49, 36, 49))),
               instrument="snare_drum", is_drum=True)
    path = write_full_score(Music((kit,)), tmp_path / "kit.musicxml")
    part = etree.fromstring(make_part(
        load_score(path), next(iter(load_score(path).part_names)), header=HEADER,
        syncs=[SyncMark(F(0), "A", "01:00:00:00")], tempos=[TempoMark(F(0), F(120),
                                                                     "quarter", "12-0")]))
    words = [w.text for w in part.find("part/measure").iter("words")]
    assert "01:00:00:00" in words and "(12-0 fc)" in words
    assert any(w.startswith("Cr. cym.") for w in words)
