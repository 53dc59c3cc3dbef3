"""The fast notes-only MusicXML reader (formats.musicxml_notes) against music21, note for
note: on real orchestral scores of the repository and on small hand-made cases."""

from __future__ import annotations

import warnings
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.errors import FilmscoreWarning, InputError
from filmscore.formats.musicxml import read_music
from filmscore.formats.musicxml_input import parse_music21, read_musicxml_file
from filmscore.formats.musicxml_notes import parse_notes, read_notes, read_score_notes
from filmscore.sync.tempomap import Meter

ROOT = Path(__file__).resolve().parents[2]
# the smallest real orchestral movement (music21 takes about 5 s on it; the other four
# Hauptstimme movements and tests/data/scores/mozart41_2, 17 to 28 s each, are checked in
# bench/check_musicxml_notes.py), and every small score of tests/data and the fuzz seeds
REAL = [ROOT / "bench/data/hauptstimme/Beethoven_Op.21_3.mxl"]
SMALL = sorted(p for pattern in ("tests/data/engraving/*/*.mxl",
                                 "tests/data/engraving/*/*.musicxml",
                                 "tests/data/checkscores/*.musicxml",
                                 "tests/data/shortscores/*.musicxml",
                                 "tests/fuzz/corpus/seed_*.mxl",
                                 "tests/fuzz/corpus/seed_*.musicxml")
               for p in ROOT.glob(pattern)
               if p.name not in ("broken.musicxml", "timewise.musicxml"))


def _music21(data: bytes, source: str) -> tuple[list[tuple[str, list]], list[tuple]]:
    """What the theme search reads through music21 (bench/themesearch_eval.py): per
    part its name and sorted (onset, duration, pitch), onsets from the first measure; the
    bars of the first part."""
    score = parse_music21(data, source=source)
    try:
        score = score.toSoundingPitch()
    except Exception:  # noqa: BLE001 - as the eval: a score music21 cannot transpose
        pass
    parts = []
    for index, part in enumerate(score.parts):
        notes = []
        for el in part.flatten().stripTies().notes:
            dur = Fraction(el.quarterLength)
            if dur <= 0:
                continue
            for p in getattr(el, "pitches", ()):
                notes.append((Fraction(el.offset), dur, min(127, max(0, int(round(p.ps))))))
        parts.append((part.partName or f"Part {index + 1}", sorted(notes)))
    bars = [(Fraction(m.offset), int(m.number))
            for m in score.parts[0].getElementsByClass("Measure")]
    return parts, bars


def _ours(data: bytes, source: str) -> tuple[list[tuple[str, list]], list[tuple]]:
    got = parse_notes(data, source=source, from_bar_one=False)
    parts = [(p.name, sorted((n.onset, n.duration, n.pitch) for n in p.notes))
             for p in got.music.parts]
    return parts, list(got.bars)


def _same_as_music21(data: bytes, source: str = "case.musicxml") -> list[tuple[str, list]]:
    theirs, their_bars = _music21(data, source)
    ours, our_bars = _ours(data, source)
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    for (name, mine), (_, music21s) in zip(ours, theirs, strict=True):
        assert mine == music21s, name
    assert our_bars == their_bars
    return ours


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.parent.name + "/" + p.name)
def test_real_scores_give_music21s_notes_note_for_note(path: Path) -> None:
    parts = _same_as_music21(read_musicxml_file(path), str(path))
    assert len(parts) >= 17 and sum(len(notes) for _, notes in parts) > 2000


@pytest.mark.parametrize("path", SMALL, ids=lambda p: p.name)
def test_small_scores_give_music21s_notes_note_for_note(path: Path) -> None:
    parts = _same_as_music21(read_musicxml_file(path), str(path))
    assert parts  # every score has a part (some have no notes: no_notes, a drum part)


def test_read_notes_counts_from_bar_one_and_keeps_the_first_meter() -> None:
    path = ROOT / "bench/data/hauptstimme/Beethoven_Op.21_3.mxl"
    raw = read_score_notes(path, from_bar_one=False)
    music = read_notes(path)
    assert music.meter == Meter(3, 4) == raw.music.meter
    shift = raw.origin  # no pickup here: bar 1 is the first measure
    assert shift == 0 and music.parts[0].notes == raw.music.parts[0].notes
    assert music.parts[0].name == "Flute 1"


@pytest.mark.parametrize("path", [REAL[0],
                                  ROOT / "tests/data/engraving/demo-before-issue9/1M2 score.mxl",
                                  ROOT / "tests/data/checkscores/flute_to_piccolo.musicxml"],
                         ids=lambda p: p.name)
def test_notation_ties_give_the_products_read_music_notes(path: Path) -> None:
    """ties="notation": the notes musicxml.read_music gives (the product's reader, which
    joins ties by pitch), part by part, with its part names and meter."""
    with warnings.catch_warnings():  # its notices of what it does not carry (repeats)
        warnings.simplefilter("ignore", FilmscoreWarning)
        product = read_music(path)
    ours = read_notes(path, ties="notation")
    assert [p.name for p in ours.parts] == [p.name for p in product.parts]
    assert ours.meter == product.meter
    for mine, theirs in zip(ours.parts, product.parts, strict=True):
        assert [(n.onset, n.duration, n.pitch) for n in mine.notes] == \
            [(n.onset, n.duration, n.pitch) for n in theirs.notes], mine.name


def test_ties_other_than_the_two_ways_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_notes(_score(("Flute", _n("C", 5, 8))), source="x.musicxml", ties="loose")
    _one_line(caught.value, "ties", "loose", "music21, notation")


# --- hand-made cases ----------------------------------------------------------------------


def _score(*parts: tuple[str, str], divisions: int = 2, time: str = "4/4",
           pickup: bool = False) -> bytes:
    """A score-partwise document: parts of (name, measures' inner XML joined by '|')."""
    beats, beat_type = time.split("/")
    part_list = "".join(f'<score-part id="P{i}"><part-name>{name}</part-name></score-part>'
                        for i, (name, _) in enumerate(parts, 1))
    body = []
    for i, (_, measures) in enumerate(parts, 1):
        xml = []
        for k, inner in enumerate(measures.split("|")):
            attrs = (f"<attributes><divisions>{divisions}</divisions><time><beats>{beats}"
                     f"</beats><beat-type>{beat_type}</beat-type></time></attributes>"
                     if k == 0 else "")
            number = k if pickup else k + 1
            xml.append(f'<measure number="{number}">{attrs}{inner}</measure>')
        body.append(f'<part id="P{i}">{"".join(xml)}</part>')
    return (f'<?xml version="1.0"?><score-partwise version="4.0"><part-list>{part_list}'
            f'</part-list>{"".join(body)}</score-partwise>').encode()


def _n(step: str, octave: int, duration: int, *extra: str, alter: int = 0) -> str:
    inner = "".join(e for e in extra if not e.startswith("<tie") and e != "<chord/>"
                    and e != "<grace/>")
    ties = "".join(e for e in extra if e.startswith("<tie"))
    head = ("<grace/>" if "<grace/>" in extra else "") + \
        ("<chord/>" if "<chord/>" in extra else "")
    alter_xml = f"<alter>{alter}</alter>" if alter else ""
    dur = "" if "<grace/>" in extra else f"<duration>{duration}</duration>"
    return (f"<note>{head}<pitch><step>{step}</step>{alter_xml}<octave>{octave}</octave>"
            f"</pitch>{dur}{ties}{inner}</note>")


def _rest(duration: int, *extra: str) -> str:
    return f"<note><rest/><duration>{duration}</duration>{''.join(extra)}</note>"


def _notes(parts: list[tuple[str, list]], index: int = 0) -> list[tuple]:
    return [(float(o), float(d), p) for o, d, p in parts[index][1]]


def test_transposing_instrument_sounds_at_concert_pitch() -> None:
    clarinet = ("<attributes><transpose><diatonic>-1</diatonic><chromatic>-2</chromatic>"
                "</transpose></attributes>" + _n("D", 5, 8))
    horn = ("<attributes><transpose><diatonic>-4</diatonic><chromatic>-7</chromatic>"
            "<octave-change>-1</octave-change></transpose></attributes>" + _n("C", 5, 8))
    parts = _same_as_music21(_score(("Clarinet in B-flat", clarinet + "|" + _n("D", 5, 8)),
                                    ("Horn in F", horn)))
    assert _notes(parts, 0) == [(0, 4, 72), (4, 4, 72)]  # D5 written: C5 sounding
    assert _notes(parts, 1) == [(0, 4, 53)]  # C5 written, a 12th down: F3


def test_transposition_from_a_later_bar_changes_only_the_bars_after_it() -> None:
    later = ("<attributes><transpose><diatonic>-1</diatonic><chromatic>-2</chromatic>"
             "</transpose></attributes>" + _n("D", 5, 8))
    parts = _same_as_music21(_score(("Clarinet", _n("D", 5, 8) + "|" + later)))
    assert _notes(parts) == [(0, 4, 74), (4, 4, 72)]


def test_chord_every_pitch_is_a_note() -> None:
    chord = _n("C", 4, 4) + _n("E", 4, 4, "<chord/>") + _n("G", 4, 4, "<chord/>") + \
        _n("C", 5, 4)
    parts = _same_as_music21(_score(("Piano", chord)))
    assert _notes(parts) == [(0, 2, 60), (0, 2, 64), (0, 2, 67), (2, 2, 72)]


def test_tie_across_the_barline_is_one_note() -> None:
    tied = (_n("C", 5, 4) + _n("G", 4, 4, '<tie type="start"/>') + "|" +
            _n("G", 4, 2, '<tie type="stop"/>') + _n("A", 4, 6))
    parts = _same_as_music21(_score(("Violin", tied)))
    assert _notes(parts) == [(0, 2, 72), (2, 3, 67), (5, 3, 69)]


def test_grace_note_is_dropped() -> None:
    grace = _n("D", 5, 0, "<grace/>") + _n("C", 5, 8)
    parts = _same_as_music21(_score(("Flute", grace)))
    assert _notes(parts) == [(0, 4, 72)]


def test_backup_with_two_voices_keeps_both() -> None:
    two = (_n("E", 5, 4, "<voice>1</voice>") + _n("F", 5, 4, "<voice>1</voice>") +
           "<backup><duration>8</duration></backup>" + _n("C", 4, 8, "<voice>2</voice>"))
    parts = _same_as_music21(_score(("Piano", two)))
    assert _notes(parts) == [(0, 2, 76), (0, 4, 60), (2, 2, 77)]


def test_divisions_change_mid_part() -> None:
    change = "<attributes><divisions>12</divisions></attributes>" + _n("D", 5, 48)
    parts = _same_as_music21(_score(("Oboe", _n("C", 5, 8) + "|" + change)))
    assert _notes(parts) == [(0, 4, 72), (4, 4, 74)]


def test_pickup_bar_gives_negative_onsets_from_bar_one() -> None:
    data = _score(("Violin", _n("G", 4, 2) + "|" + _n("C", 5, 8)), pickup=True)
    parts = _same_as_music21(data)
    assert _notes(parts) == [(0, 1, 67), (1, 4, 72)]  # music21's offsets: from the pickup
    music = parse_notes(data, source="pickup.musicxml").music
    assert [(n.onset, n.pitch) for n in music.parts[0].notes] == [(-1, 67), (0, 72)]


def test_two_staves_are_two_parts_named_as_music21_names_them() -> None:
    piano = ("<attributes><staves>2</staves></attributes>" +
             _n("C", 5, 8, "<staff>1</staff>") + "<backup><duration>8</duration></backup>" +
             _n("C", 3, 8, "<staff>2</staff>"))
    parts = _same_as_music21(_score(("Piano", piano)))
    assert [name for name, _ in parts] == ["Piano", "Piano"]
    assert _notes(parts, 0) == [(0, 4, 72)] and _notes(parts, 1) == [(0, 4, 48)]


def test_unpitched_and_rests_are_skipped() -> None:
    drum = ("<note><unpitched><display-step>C</display-step><display-octave>5"
            "</display-octave></unpitched><duration>4</duration></note>" + _rest(4))
    parts = _same_as_music21(_score(("Snare", drum), ("Flute", _n("A", 4, 8))))
    assert parts[0][1] == [] and _notes(parts, 1) == [(0, 4, 69)]


def test_music21s_tie_walk_is_followed_where_it_is_odd() -> None:
    """music21 joins a tie start to the next note marked stop even at another pitch (its
    stripTies): we give what it gives, so both readers build the same index."""
    odd = _n("C", 5, 4, '<tie type="start"/>') + _n("D", 5, 4, '<tie type="stop"/>')
    parts = _same_as_music21(_score(("Flute", odd)))
    assert _notes(parts) == [(0, 4, 72)]


def test_music21s_tie_walk_across_voices_is_followed() -> None:
    """A C held over three tied notes in the upper voice, under it two tied Es: music21
    walks both voices in one line, and the Es' tie start cuts the Cs' run, so it gives
    three Cs where the page has one (0 to 8).  We give the same."""
    upper = (_n("C", 5, 4, '<tie type="start"/>', "<voice>1</voice>") +
             _n("C", 5, 4, '<tie type="stop"/>', '<tie type="start"/>', "<voice>1</voice>"))
    lower = (_n("E", 4, 4, '<tie type="start"/>', "<voice>2</voice>") +
             _n("E", 4, 4, '<tie type="stop"/>', "<voice>2</voice>"))
    bar2 = _n("C", 5, 8, '<tie type="stop"/>', "<voice>1</voice>")
    data = _score(("Piano", upper + "<backup><duration>8</duration></backup>" + lower +
                   "|" + bar2))
    parts = _same_as_music21(data)
    assert _notes(parts) == [(0, 2, 64), (0, 2, 72), (2, 4, 72), (4, 4, 72)]
    notation = parse_notes(data, source="voices.musicxml", ties="notation").music
    assert [(n.onset, n.duration, n.pitch) for n in notation.parts[0].notes] == \
        [(0, 4, 64), (0, 8, 72)]  # as the page means it, as read_music reads it


def test_music21_does_not_join_a_tie_from_a_shown_natural_and_neither_do_we() -> None:
    """music21 compares tied pitches with their accidentals: an A with a natural shown,
    tied on to an A without one (a tie continued), are two pitches to it (its bug, in
    Beethoven's Grosse Fuge, bar 387, first violin); we give its answer.  In a part
    transposed by another interval than octaves the accidentals are made anew, and the
    tie is joined."""
    shown = ("<note><pitch><step>A</step><octave>5</octave></pitch><duration>4</duration>"
             '<tie type="start"/><accidental>natural</accidental></note>')
    plain = (_n("A", 5, 4, '<tie type="stop"/>', '<tie type="start"/>') +
             _n("A", 5, 4, '<tie type="stop"/>'))
    parts = _same_as_music21(_score(("Violin", shown + plain)))
    assert _notes(parts) == [(0, 2, 81), (2, 4, 81)]
    clarinet = ("<attributes><transpose><diatonic>-1</diatonic><chromatic>-2</chromatic>"
                "</transpose></attributes>")
    parts = _same_as_music21(_score(("Clarinet", clarinet + shown + plain)))
    assert _notes(parts) == [(0, 6, 79)]


def test_ottava_line_leaves_the_written_pitch_as_music21_does() -> None:
    """music21 10.5 does not apply an <octave-shift> (8va) to the sounding pitch: the C
    under the line is read as written (72, not 84); we read it the same."""
    shift = ('<direction><direction-type><octave-shift type="down" size="8"/>'
             "</direction-type></direction>")
    stop = ('<direction><direction-type><octave-shift type="stop" size="8"/>'
            "</direction-type></direction>")
    parts = _same_as_music21(_score(("Flute", shift + _n("C", 5, 4) + stop + _n("C", 5, 4))))
    assert _notes(parts) == [(0, 2, 72), (2, 2, 72)]


# --- bad input ----------------------------------------------------------------------------


def _one_line(error: InputError, *words: str) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message


def test_not_xml_is_one_line_naming_the_file_and_what_is_valid(tmp_path: Path) -> None:
    bad = tmp_path / "broken.musicxml"
    bad.write_bytes(b"<score-partwise><part-list>")
    with pytest.raises(InputError) as caught:
        read_notes(bad)
    _one_line(caught.value, "broken.musicxml", "not well-formed XML", "MusicXML")


def test_other_xml_and_timewise_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "svg.xml"
    other.write_bytes(b"<svg/>")
    with pytest.raises(InputError) as caught:
        read_notes(other)
    _one_line(caught.value, "svg.xml", "not a MusicXML score", "svg", "score-partwise")
    timewise = tmp_path / "tw.musicxml"
    timewise.write_bytes(b"<score-timewise/>")
    with pytest.raises(InputError) as caught:
        read_notes(timewise)
    _one_line(caught.value, "tw.musicxml", "score-timewise", "partwise")


def test_bad_values_name_the_line_field_and_range(tmp_path: Path) -> None:
    path = tmp_path / "octave.musicxml"
    path.write_bytes(_score(("Flute", _n("C", 99, 8))))
    with pytest.raises(InputError) as caught:
        read_notes(path)
    _one_line(caught.value, "octave.musicxml", "line", "octave", "99")
    path = tmp_path / "step.musicxml"
    path.write_bytes(_score(("Flute", _n("H", 4, 8))))
    with pytest.raises(InputError) as caught:
        read_notes(path)
    _one_line(caught.value, "step.musicxml", "step", "H", "A to G")


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "tests/fuzz/corpus").iterdir()
                                        if p.suffix in (".mxl", ".musicxml")),
                         ids=lambda p: p.name)
def test_fuzz_corpus_reads_or_is_one_line_input_error(path: Path) -> None:
    try:
        music = read_notes(path)
    except InputError as error:
        _one_line(error, path.name)
    else:
        assert music.parts


def test_octave_that_is_no_whole_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "half.musicxml"
    path.write_bytes(_score(("Flute", _n("C", 4, 8))).replace(b"<octave>4<", b"<octave>4.5<"))
    with pytest.raises(InputError) as caught:
        read_notes(path)
    _one_line(caught.value, "half.musicxml", "line", "octave", "4.5", "-1 to 9")


def test_wrong_suffix_and_bad_archive_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "score.mid"
    path.write_bytes(b"MThd")
    with pytest.raises(InputError) as caught:
        read_notes(path)
    _one_line(caught.value, "score.mid", ".mid", ".musicxml")
    archive = tmp_path / "empty.mxl"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "no score here")
    with pytest.raises(InputError) as caught:
        read_notes(archive)
    _one_line(caught.value, "empty.mxl")
