"""Fuzz suite of the music readers: MIDI (music and tempo maps), MusicXML and compressed
.mxl (music import, the score survey, the parts' reader), note strings and theme files.

Each reader, given random bytes, a mutated seed file (tests/fuzz/corpus/seed_*) or a
random record of the right shape (a MIDI file built with mido, a MusicXML score from a
template, a note string from tinyNotation's tokens), returns consistent music or refuses
with one line naming the file (``fuzzing.clean``); never an internal error.  The corpus
files named after a case (midi_tempo_zero.mid, musicxml_octave_99.musicxml, ...) once
ended in an internal error, a hang or a value accepted that no film has: each is a
regression test here, and the CLI test runs a few through the entry point.
"""

from __future__ import annotations

import os
import random
import struct
import warnings
import zipfile
from fractions import Fraction
from pathlib import Path

import mido
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from filmscore.engraving.check import CheckOptions, check_musicxml
from filmscore.errors import InputError, ParseError, ValidationError
from filmscore.formats import midi_music, midi_tempo, musicxml, musicxml_parts, score_survey
from filmscore.formats.musicxml_edit import unzip_musicxml
from filmscore.formats.notestring import parse_notestring
from filmscore.limits import BOUNDS
from filmscore.writing.plans import read_theme_file
from fuzzing import CORPUS, FUZZ, clean, mutate

SEED_MIDI = CORPUS / "seed_theme.mid"
SEED_XML = CORPUS / "seed_oboe_chord.musicxml"
SEED_MXL = CORPUS / "seed_beethoven_op21_3_melody.mxl"
THEME_FILE = "# popeye | the hero | theme | B- major\n2/4 r4 r8 d'16 c'16 b-8 B-8 B-8 f16\n"


@pytest.fixture(autouse=True)
def _quiet():
    # a FilmscoreWarning about notation not carried is a result, not a failure
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _midi_readers(path: Path) -> None:
    music = clean(midi_music.read_music, path, source=path.name)
    clean(midi_tempo.read_tempo_midi, path, "24", source=path.name)
    if music is not None:
        _consistent(music)


def _consistent(music) -> None:
    """What a reader returns holds values within the bounds."""
    duration = BOUNDS["duration_quarters"]
    for _part, note in music.notes():
        assert duration.holds(note.duration), note
        assert 0 <= note.pitch <= 127
    tmap = music.tempo_map
    if tmap is not None:
        assert tmap.segments and all(s.tempo_bpm > 0 for s in tmap.segments)


def _xml_readers(path: Path) -> None:
    music = clean(musicxml.read_music, path, source=path.name)
    if music is not None:
        _consistent(music)
    clean(score_survey.read_score_survey, path, source=path.name)
    clean(musicxml_parts.load_score, path, source=path.name)


# --- MIDI ---------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=300), header=st.booleans())
def test_midi_random_bytes(tmp_path_factory, data, header):
    if header:  # past the first check: a header chunk, then anything
        data = b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0" + data
    _midi_readers(_write(tmp_path_factory.mktemp("midi"), "random.mid", data))


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_midi_mutated_seed(tmp_path_factory, seed):
    data = mutate(SEED_MIDI.read_bytes(), random.Random(seed))
    _midi_readers(_write(tmp_path_factory.mktemp("midi"), "mutated.mid", data))


_NOTE = st.tuples(st.integers(0, 127), st.integers(0, 5000), st.integers(0, 4000))


@FUZZ
@given(ppq=st.integers(1, 32767), tempos=st.lists(st.tuples(st.integers(0, 5000),
                                                            st.integers(0, 0xFFFFFF)),
                                                  max_size=4),
       meter=st.tuples(st.integers(0, 255), st.integers(0, 8)),
       notes=st.lists(_NOTE, min_size=1, max_size=12))
def test_midi_valid_shaped(tmp_path_factory, ppq, tempos, meter, notes):
    """A well-formed MIDI file of random tempos, meter and notes: read exactly (every note
    of a positive length, at its pitch), or refused naming the file."""
    midi = mido.MidiFile(type=1, ticks_per_beat=ppq)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("time_signature", numerator=meter[0] or 1,
                                      denominator=2 ** meter[1], time=0))
    for delta, tempo in tempos:
        conductor.append(mido.MetaMessage("set_tempo", tempo=tempo, time=delta))
    track = mido.MidiTrack()
    for pitch, gap, length in notes:
        track.append(mido.Message("note_on", note=pitch, velocity=64, time=gap))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=length))
    midi.tracks += [conductor, track]
    path = tmp_path_factory.mktemp("midi") / "shaped.mid"
    midi.save(path)
    music = clean(midi_music.read_music, path, source=path.name)
    clean(midi_tempo.read_tempo_midi, path, "24", source=path.name)
    if music is not None:
        _consistent(music)
        assert sorted(n.pitch for _, n in music.notes()) == sorted(p for p, _g, n in notes
                                                                    if n > 0)


# --- MusicXML and .mxl ----------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=300), head=st.sampled_from([b"", b"<?xml version='1.0'?>",
                                                           b"PK\x03\x04"]))
def test_musicxml_random_bytes(tmp_path_factory, data, head):
    folder = tmp_path_factory.mktemp("xml")
    _xml_readers(_write(folder, "random.musicxml", head + data))
    _xml_readers(_write(folder, "random.mxl", head + data))


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_musicxml_mutated_seed(tmp_path_factory, seed):
    data = mutate(SEED_XML.read_bytes(), random.Random(seed))
    _xml_readers(_write(tmp_path_factory.mktemp("xml"), "mutated.musicxml", data))


_VALUES = st.sampled_from(["-4", "0", "1e30", "99", "-1", "NaN", "inf", "1e300", "", "x",
                           "3/0", "0.0001", "-0", "65", "127", "2", "4", "1e-30", "9" * 40])


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), values=st.lists(_VALUES, min_size=1, max_size=3))
def test_musicxml_mutated_values(tmp_path_factory, seed, values):
    """The seed score with one to three element texts or attributes replaced by hostile
    numbers: the values music21 would take as they are."""
    import re

    text = SEED_XML.read_text()
    spans = [m.span(1) for m in re.finditer(r">([^<>]+)<", text)]
    spans += [m.span(1) for m in re.finditer(r'="([^"]*)"', text)]
    rng = random.Random(seed)
    for (a, b), value in sorted(zip(rng.sample(spans, len(values)), values, strict=True),
                                reverse=True):
        text = text[:a] + value + text[b:]
    _xml_readers(_write(tmp_path_factory.mktemp("xml"), "values.musicxml", text.encode()))


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), inner=st.booleans())
def test_mxl_mutated_seed(tmp_path_factory, seed, inner):
    """The compressed seed mutated as bytes (a damaged zip), or its score mutated and
    zipped again (a sound zip holding a damaged score)."""
    rng = random.Random(seed)
    original = SEED_MXL.read_bytes()
    if inner:
        score = mutate(unzip_musicxml(original, source="seed"), rng)
        folder = tmp_path_factory.mktemp("mxl")
        path = folder / "inner.mxl"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("score.musicxml", score)
    else:
        path = _write(tmp_path_factory.mktemp("mxl"), "mutated.mxl", mutate(original, rng))
    music = clean(musicxml.read_music, path, source=path.name)
    if music is not None:
        _consistent(music)


_STEP = st.sampled_from(list("ABCDEFG") + ["H", ""])


@FUZZ
@given(divisions=st.integers(-2, 2000),
       notes=st.lists(st.tuples(_STEP, st.integers(-3, 12), st.integers(-3, 3),
                                st.integers(-8, 5000)), min_size=1, max_size=6),
       tempo=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_musicxml_valid_shaped(tmp_path_factory, divisions, notes, tempo):
    """A well-formed score of random divisions, steps, octaves, alterations, durations and
    tempo: read within the bounds, or refused naming the file and line."""
    sound = f'<direction><sound tempo="{tempo}"/></direction>' if tempo is not None else ""
    body = "".join(f"<note><pitch><step>{s}</step><alter>{a}</alter><octave>{o}</octave>"
                   f"</pitch><duration>{d}</duration></note>" for s, o, a, d in notes)
    xml = (f'<?xml version="1.0"?><score-partwise version="4.0"><part-list>'
           f'<score-part id="P1"><part-name>Flute</part-name></score-part></part-list>'
           f'<part id="P1"><measure number="1"><attributes><divisions>{divisions}'
           f'</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>'
           f'{sound}{body}</measure></part></score-partwise>')
    path = _write(tmp_path_factory.mktemp("xml"), "shaped.musicxml", xml.encode())
    music = clean(musicxml.read_music, path, source=path.name)
    if music is not None:
        _consistent(music)
        if music.tempo_map is not None:
            assert all(BOUNDS["tempo_bpm"].holds(s.tempo_bpm * s.meter.beat_quarters)
                       for s in music.tempo_map.segments)


# --- note strings and theme files ---------------------------------------------------------

_TOKENS = st.sampled_from(["c4", "d8", "e", "f#4.", "g'", "CC2", "r4", "b--16", "a~", "c'''''''''",
                           "trip{c8", "d", "e}", "3/4", "99/99", "0/4", "zz8", "c0", "c3",
                           "quad{", "}", "~", ".", "C" * 12])


@FUZZ
@given(text=st.one_of(st.text(max_size=60), st.lists(_TOKENS, max_size=12).map(" ".join)))
def test_notestring_any_text(text):
    music = clean(parse_notestring, text)
    if music is not None:
        _consistent(music)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), raw=st.booleans())
def test_theme_file(tmp_path_factory, seed, raw):
    rng = random.Random(seed)
    data = (bytes(rng.randrange(256) for _ in range(rng.randrange(120))) if raw
            else mutate(THEME_FILE.encode(), rng))
    path = _write(tmp_path_factory.mktemp("theme"), "theme.txt", data)
    theme = clean(read_theme_file, path, source=path.name)
    if theme is not None:
        _consistent(theme.music)


# --- the seed corpus: each case that once failed ---------------------------------------

MIDI_CASES = {
    # set_tempo 0: ZeroDivisionError in music import, tempo import and themes add --file
    "midi_tempo_zero.mid": "set_tempo at tick 0: tempo out of range (got 0)",
    "midi_tempo_zero_later.mid": "set_tempo at tick 960: tempo out of range (got 0)",
    # 1 microsecond a quarter (60 million BPM) was accepted
    "midi_tempo_1e9_bpm.mid": "tempo out of range (got 1); valid: 60,000 to",
    # a note held for 2**28 ticks at 1 tick a quarter: 67 million bars of 4/4
    "midi_note_endless.mid": "the file is too long",
    # the count-in tag's pickup longer than a bar: an error that did not name the file
    "midi_pickup_longer_than_bar.mid": "field pickup: a pickup is shorter than a bar",
}


@pytest.mark.parametrize("name", sorted(MIDI_CASES))
def test_midi_corpus(name):
    path = CORPUS / name
    for read in (midi_music.read_music, lambda p: midi_tempo.read_tempo_midi(p, "24")):
        with pytest.raises(InputError) as caught:
            read(path)
        assert str(caught.value).startswith(f"{path}, ")
        assert MIDI_CASES[name] in str(caught.value)
        assert "\n" not in str(caught.value)


XML_CASES = {
    "musicxml_duration_minus4.musicxml": ("line 16, field duration", "(got '-4')"),
    "musicxml_duration_1e30.musicxml": ("line 16, field duration", "at most 1,024 quarter"),
    "musicxml_octave_99.musicxml": ("line 16, field octave", "(got '99'); valid: -1 to 9"),
    "musicxml_tempo_1e9.musicxml": ("line 16, field sound tempo", "valid: 1 to 1,000"),
    # music21 said "float division by zero"
    "musicxml_divisions_zero.musicxml": ("line 14, field divisions", "(got '0')"),
    # found by this suite: Python's XML parser raised LookupError past music21's guard
    "musicxml_encoding_unknown.musicxml": ("line 1", "encoding"),
    # found by mutation: the engraving check made bars until memory ran out
    "musicxml_beats_1e30.musicxml": ("line 14, field beats", "valid: 1 to 64 beats"),
    # found by the number-replacing mutation: '²'.isdigit() and int('²') fails (exit 70)
    "musicxml_octave_superscript_two.musicxml": ("line 16, field octave", "(got '²')"),
}


@pytest.mark.parametrize("name", sorted(XML_CASES))
def test_musicxml_corpus(name):
    path = CORPUS / name
    with pytest.raises(ParseError if "encoding" in name or "superscript" in name
                       else ValidationError) as caught:
        musicxml.read_music(path)
    text = str(caught.value)
    assert text.startswith(f"{path}, ") and "\n" not in text
    assert all(needle in text for needle in XML_CASES[name]), text
    assert "division by zero" not in text


def test_engraving_check_refuses_absurd_meter():
    """`filmscore check --engraving` reads MusicXML with lxml, not music21: the same
    bounds hold there (a <beats> of 10^30 was read, then exhausted the memory)."""
    with pytest.raises(ValidationError, match=r"musicxml_beats_1e30\.musicxml, line 14, "
                                               r"field beats: time signature out of range"):
        check_musicxml(CORPUS / "musicxml_beats_1e30.musicxml")


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), values=st.lists(_VALUES, min_size=1, max_size=3))
def test_engraving_check_mutated_values(tmp_path_factory, seed, values):
    import re

    text = SEED_XML.read_text()
    spans = [m.span(1) for m in re.finditer(r">([^<>]+)<", text)]
    rng = random.Random(seed)
    for (a, b), value in sorted(zip(rng.sample(spans, len(values)), values, strict=True),
                                reverse=True):
        text = text[:a] + value + text[b:]
    path = _write(tmp_path_factory.mktemp("xml"), "engrave.musicxml", text.encode())
    # without the page layout (an engraving a second): the reading is what is fuzzed
    clean(check_musicxml, path, options=CheckOptions(layout=False), source=path.name)


def _stated_large_mxl(folder: Path, stated: int) -> Path:
    """A small .mxl whose score states ``stated`` bytes expanded (the sizes in the zip's
    local header and central directory rewritten): what a zip bomb shows before it is
    expanded."""
    path = folder / "bomb.mxl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/container.xml",
                         '<container><rootfiles><rootfile full-path="score.musicxml"/>'
                         "</rootfiles></container>")
        archive.writestr("score.musicxml", SEED_XML.read_bytes())
    data = bytearray(path.read_bytes())
    name = b"score.musicxml"
    local = data.find(b"PK\x03\x04")
    while local != -1:  # the local header of the score: its size at offset 22
        if data[local + 30: local + 30 + len(name)] == name:
            data[local + 22: local + 26] = struct.pack("<I", stated)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:  # the central directory entry: its size at offset 24
        if data[central + 46: central + 46 + len(name)] == name:
            data[central + 24: central + 28] = struct.pack("<I", stated)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def test_mxl_stated_400mb_refused_before_expanding(tmp_path):
    path = _stated_large_mxl(tmp_path, 400 * 1024 * 1024)
    assert path.stat().st_size < 4096
    for read in (musicxml.read_music, score_survey.read_score_survey,
                 musicxml_parts.load_score):
        with pytest.raises(ParseError, match=r"bomb\.mxl: the compressed file expands too "
                                             r"large \(got 'score\.musicxml: 400 MB'\)"):
            read(path)


def test_mxl_expanding_past_the_limit_is_stopped(tmp_path, monkeypatch):
    """A score that truly expands past the limit (1 MB here, so that the test is small):
    refused, and so is one whose zip states a small size but expands to more."""
    big = b"<score-partwise>" + b" " * (3 * 1024 * 1024) + b"</score-partwise>"
    path = tmp_path / "big.mxl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("score.musicxml", big)
    assert path.stat().st_size < 10_000
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "musicxml=1MB")
    with pytest.raises(ParseError, match="expands too large"):
        musicxml.read_music(path)
    lied = _stated_large_mxl(tmp_path, 10)  # states 10 bytes, holds the whole seed
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "musicxml=100B")
    with pytest.raises(ParseError, match="bomb.mxl"):
        musicxml.read_music(lied)


@pytest.mark.parametrize("suffix", [".mid", ".musicxml", ".mxl", ".txt"])
@pytest.mark.parametrize("make", ["fifo", "device"])
def test_pipes_and_devices_are_refused_at_once(tmp_path, suffix, make):
    path = tmp_path / f"input{suffix}"
    if make == "fifo":
        os.mkfifo(path)  # a read would wait for a writer for ever
    else:
        path.symlink_to("/dev/zero")  # a read would run until memory is exhausted
    readers = {".mid": [midi_music.read_music, lambda p: midi_tempo.read_tempo_midi(p, "24")],
               ".musicxml": [musicxml.read_music, score_survey.read_score_survey,
                             musicxml_parts.load_score],
               ".mxl": [musicxml.read_music],
               ".txt": [read_theme_file]}[suffix]
    expected = "a named pipe" if make == "fifo" else "a device"
    for read in readers:
        with pytest.raises(InputError, match=f"input{suffix}: {expected}, not a file"):
            read(path)


def test_size_limit_applies_to_midi(tmp_path, monkeypatch):
    monkeypatch.setenv("FILMSCORE_INPUT_LIMITS", "midi=100B")
    with pytest.raises(InputError, match="seed_theme.mid: the file is too large"):
        midi_music.read_music(SEED_MIDI)
    assert clean(midi_music.read_music, SEED_MIDI) is None


def test_theme_file_error_names_the_file(tmp_path):
    """The note string's error got the file as an attribute, but its message was not
    composed again: it did not name the file."""
    path = tmp_path / "bad.txt"
    path.write_text("# x | y | theme | C major\nc4 zz8 e\n")
    with pytest.raises(InputError, match=r"bad\.txt, field notes: not a note or rest"):
        read_theme_file(path)
    path.write_bytes(b"# x | y | theme | C major\n\xff\xfe c4\n")
    with pytest.raises(ParseError, match=r"bad\.txt: not UTF-8 text"):
        read_theme_file(path)


def test_seeds_read(tmp_path):
    """The seeds themselves are sound (a mutation starts from a file that reads)."""
    assert midi_music.read_music(SEED_MIDI).note_count == 8
    assert musicxml.read_music(SEED_XML).note_count > 0
    assert musicxml.read_music(SEED_MXL).note_count > 0
    assert parse_notestring("3/4 c4 d8 e f g4 a b c'2.").note_count == 8
    duration = max(n.duration for _, n in musicxml.read_music(SEED_MXL).notes())
    assert Fraction(0) < duration <= BOUNDS["duration_quarters"].high


# --- the command line -----------------------------------------------------------------------


def test_cli_refuses_corpus_files_in_one_line(tmp_path):
    """Through the CLI entry point: music import, tempo import and themes add --file on
    the failing cases end with a FilmscoreError's exit code (never 70, the internal error)
    and one line on stderr naming the file; the tempo import of a file whose bar 1 falls
    outside the cue names the file too (it did not; a file with no SMPTE offset is placed at
    the cue's start now, so ``--start`` puts it outside)."""
    from filmscore.cli import app

    runner = CliRunner()
    project = tmp_path / "film"

    def run(*args: object):
        return runner.invoke(app, ["--project", str(project), *map(str, args)])

    assert run("init", project, "--title", "Fuzz").exit_code == 0
    assert run("cue", "add", "1M1", "--start", "01:00:10:00", "--end", "01:01:00:00"
               ).exit_code == 0
    fifo = tmp_path / "pipe.mid"
    os.mkfifo(fifo)
    cases = [("music", "import", "1M1", CORPUS / "midi_tempo_zero.mid"),
             ("tempo", "import", "1M1", CORPUS / "midi_tempo_zero.mid"),
             ("themes", "add", "zero", "--file", CORPUS / "midi_tempo_zero.mid"),
             ("tempo", "import", "1M1", "--start", "01:00:00:00",
              CORPUS / "midi_no_smpte_offset.mid"),
             ("tempo", "import", "1M1", CORPUS / "midi_pickup_longer_than_bar.mid"),
             ("music", "import", "1M1", CORPUS / "musicxml_divisions_zero.musicxml"),
             ("themes", "add", "octave", "--file", CORPUS / "musicxml_octave_99.musicxml"),
             ("music", "import", "1M1", CORPUS / "musicxml_octave_superscript_two.musicxml"),
             ("themes", "add", "two", "--file",
              CORPUS / "musicxml_octave_superscript_two.musicxml"),
             ("music", "import", "1M1", _stated_large_mxl(tmp_path, 400 * 1024 * 1024)),
             ("music", "import", "1M1", fifo)]
    for args in cases:
        result = run(*args)
        assert result.exit_code in range(1, 7), (args, result.exit_code, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), result.stderr
        assert str(args[-1]) in lines[0], lines[0]
    assert run("music", "import", "1M1", SEED_MIDI).exit_code == 0
