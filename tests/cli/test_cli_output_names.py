"""Hostile names through every writer that names a file or folder after data: nothing is
written outside ``--out`` and nothing beside it changes (``filmscore.fileio.safe_name``)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.formats.midi_music import write_music
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from test_output_names import assert_one_safe_name

#: what stands beside the output folder; a writer that escapes would add to it or change it
BESIDE = {"keep.txt": b"not yours", "Flute.txt": b"nor this"}


def _box(tmp_path: Path) -> Path:
    box = tmp_path / "box"
    box.mkdir()
    for name, data in BESIDE.items():
        (box / name).write_bytes(data)
    return box


def _all_inside(box: Path) -> list[Path]:
    """Every file written, each under box/out in safely named folders; beside it, nothing
    new and nothing changed."""
    beside = {p.name: p.read_bytes() for p in box.iterdir() if p.name != "out"}
    assert beside == BESIDE
    made = [p for p in (box / "out").rglob("*") if p.is_file()]
    for path in made:
        rel = path.resolve().relative_to((box / "out").resolve())
        for part in rel.parts:
            assert_one_safe_name(part)
    return made


def _score(parts: list[str]) -> str:
    part_list = "".join(
        f'<score-part id="P{i}"><part-name>{name}</part-name><score-instrument id="P{i}-I1">'
        f"<instrument-name>Violin</instrument-name></score-instrument></score-part>"
        for i, name in enumerate(parts, 1))
    body = "".join(
        f'<part id="P{i}"><measure number="1"><attributes><divisions>1</divisions><key>'
        "<fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>"
        "<clef><sign>G</sign><line>2</line></clef></attributes><note><pitch><step>G</step>"
        f"<octave>{4 + i % 2}</octave></pitch><duration>4</duration><type>whole</type></note>"
        "</measure></part>" for i in range(1, len(parts) + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="4.0">'
            f"<work><work-title>Names</work-title></work><part-list>{part_list}</part-list>"
            f"{body}</score-partwise>")


#: part names (an outside score's) that would leave the folder or hide a file
PART_NAMES = ["../../Flute", "/etc/passwd", "-rf", "con", ".hidden", "a\\b", "שלום 🎻",
              # ... or clean up to another's name (on a Mac's disk too), or the score's
              "Flute.", "FLUTE", "Horn 1/2", "Horn 1:2", "score"]


@pytest.mark.parametrize("stem", ["..", "con", "é" * 110])
def test_parts_of_a_score_with_hostile_file_and_part_names(cli, tmp_path, stem):
    box = _box(tmp_path)
    source = tmp_path / f"{stem}.musicxml"
    source.write_text(_score(PART_NAMES), encoding="utf-8")
    cli.ok("parts", "--from", source, "--out", box / "out")
    made = _all_inside(box)
    pdfs = [p for p in made if p.suffix == ".pdf"]
    assert len(pdfs) == len(PART_NAMES)  # every part its own file
    assert len({p.name.casefold() for p in made}) == len(made)  # none overwrote another
    # each part's MusicXML holds that part: "Flute", "Flute." and "FLUTE" are three files
    xml_parts = sorted(p.read_text(encoding="utf-8").split("<part-name")[1].split(">")[1]
                       .split("<")[0] for p in made if p.suffix == ".musicxml"
                       and not p.stem.endswith(" score"))
    assert len(xml_parts) == len(PART_NAMES)
    (folder,) = {p.parent for p in made}
    assert folder.parent == box / "out"


@pytest.fixture
def orchestrated(cli, tmp_path) -> Path:
    """A project whose cue 1M1 (a melody and a bass, 120 BPM) is orchestrated for strings."""
    project = tmp_path / "p"
    cli.ok("init", project, "--title", "Names", "--fps", "24")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "00:00:01:00", "--end",
           "00:00:05:00", "--title", "../../Main Title")
    cli.ok("-p", project, "tempo", "set", "1M1", "--tempo", "120")
    tmap = TempoMap.constant("24", 24, Fraction(120), bars=2)
    music = Music((Part("melody", tuple(Note(Fraction(q), Fraction(1), 72 + q % 3)
                                        for q in range(8)), program=40),
                   Part("bass", (Note(Fraction(0), Fraction(8), 36),), program=32)),
                  tempo_map=tmap)
    cli.ok("-p", project, "music", "import", "1M1",
           write_music(music, tmp_path / "1M1.mid", tempo_map=tmap))
    cli.ok("-p", project, "orchestrate", "1M1", "--ensemble", "strings")
    return project


#: session names for the books (argv holds no NUL: that one is in test_output_names)
SESSIONS = ["..", ".", "../x", "/etc/passwd", "-rf", "con", "x" * 300, "שלום 🎻\u202e"]


def test_books_by_hostile_session_names_stay_in_out(cli, orchestrated, tmp_path):
    box = _box(tmp_path)
    folders = set()
    for session in SESSIONS:
        cli.ok("-p", orchestrated, "books", "--session", session, "--cues", "1M1",
               "--out", box / "out")
        made = _all_inside(box)
        assert made and all(p.parent.parent == box / "out" for p in made)  # a folder each
        folders |= {p.parent.name for p in made}
    assert not [p for p in (box / "out").iterdir() if p.is_file()]  # none straight in --out
    assert {"session", "x", "etc passwd", "rf", "con_", "שלום 🎻"} <= folders
