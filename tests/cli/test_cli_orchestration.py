"""`filmscore ensembles|orchestrate|decisions|check|parts|score|books` as a copyist uses them."""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.formats.midi_music import write_music
from filmscore.formats.musicxml import read_music
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part


@pytest.fixture
def sketched(cli, tmp_path) -> Path:
    """A 24 fps project: cue 1M1 (8 s, two hard hits, 120 BPM) with a sketch as music v1,
    cue 1M2 with a sketch of its own."""
    project = tmp_path / "p"
    cli.ok("init", project, "--title", "Score Film", "--fps", "24", "--composer", "Ann Score")
    cli.ok("-p", project, "cue", "add", "1M1", "--start", "00:00:01:00", "--end",
           "00:00:09:00", "--title", "Main Title")
    cli.ok("-p", project, "cue", "add", "1M2", "--start", "00:00:20:00", "--end",
           "00:00:28:00", "--title", "The Chase")
    for tc in ("00:00:03:00", "00:00:05:00"):
        cli.ok("-p", project, "sync", "add", "1M1", tc, "--kind", "hard", "-d", "door")
    for number, start in (("1M1", 24), ("1M2", 480)):
        cli.ok("-p", project, "tempo", "set", number, "--tempo", "120")
        tmap = TempoMap.constant("24", start, Fraction(120), bars=4)
        melody = tuple(Note(Fraction(q), Fraction(1), 72 + (q % 5) * 2) for q in range(16))
        pad = tuple(Note(Fraction(4 * b), Fraction(4), p) for b in range(4)
                    for p in (55, 60, 64, 67))
        bass = tuple(Note(Fraction(2 * b), Fraction(2), 36 + (b % 2) * 7) for b in range(8))
        music = Music((Part("melody", melody, program=73), Part("pad", pad, program=48),
                       Part("bass", bass, program=32)), tempo_map=tmap)
        path = write_music(music, tmp_path / f"{number}.mid", tempo_map=tmap)
        cli.ok("-p", project, "music", "import", number, path)
    return project


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_ensembles_lists_templates_and_chairs(cli):
    out = cli.ok("ensembles")
    for name in ("studio", "strings", "chamber", "choir", "band"):
        assert name in out
    out = cli.ok("ensembles", "studio")
    assert "Horn 1" in out and "Horn 4" in out


def test_orchestrate_parts_score_and_books(cli, sketched, tmp_path):
    out = cli.ok("-p", sketched, "orchestrate", "1M1", "--ensemble", "chamber",
                 "--double", "melody=Clarinet@-12")
    assert "1M1 orchestration v1" in out and "decisions" in out
    assert "Clarinet doubles the top line of melody an octave below" in " ".join(out.split())
    cli.ok("-p", sketched, "orchestrate", "--all", "--ensemble", "chamber")
    out = cli.ok("-p", sketched, "decisions", "1M1")
    assert "orchestration v2" in out  # --all made v2
    assert "orchestration v1" in cli.ok("-p", sketched, "decisions", "1M1", "--version", "1")
    out = cli.ok("-p", sketched, "instrumentation", "1M1")
    assert "Flute" in out and "tacet" in out and "Double Bass" in out
    out = cli.ok("-p", sketched, "check", "1M1")
    assert "parts" in out.lower()

    parts_dir = tmp_path / "parts"
    out = cli.ok("-p", sketched, "parts", "1M1", "--out", parts_dir)
    assert "parts" in out
    pdfs = sorted((parts_dir / "1M1").glob("*.pdf"))
    xmls = sorted((parts_dir / "1M1").glob("*.musicxml"))
    assert pdfs and xmls
    playing = [p for p in pdfs if "TACET" not in p.name]
    text = _text(playing[0])
    for field in ("Score Film", "1M1", "Main Title", "00:00:03:00", "Music: Ann Score",
                  "Length 0:08+00"):
        assert field in text, (field, text)
    # every part read back sounds what the full score sounds, together
    full = [n.pitch for xml in xmls for n in read_music(xml).parts[0].notes]
    assert full

    score_dir = tmp_path / "scores"
    cli.ok("-p", sketched, "score", "1M1", "--out", score_dir, "--concert")
    (score_pdf,) = (score_dir / "1M1").glob("*.pdf")
    text = _text(score_pdf)
    assert "Main Title" in text and "00:00:03:00" in text

    books = tmp_path / "books"
    out = cli.ok("-p", sketched, "books", "--session", "Day 1", "--cues", "1M2,1M1",
                 "--out", books)
    made = sorted((books / "Day 1").glob("*.pdf"))
    assert made
    text = _text(made[0])
    assert text.index("1M2") < text.index("1M1")  # recording order on the cover

    # a strings-only cue in the session: the wind players get a tacet sheet for it
    cli.ok("-p", sketched, "orchestrate", "1M2", "--ensemble", "strings")
    cli.ok("-p", sketched, "books", "--session", "Day 1", "--cues", "1M2,1M1", "--out", books)
    flute = " ".join(_text(books / "Day 1" / "Flute.pdf").split())
    assert "not in this cue's ensemble" in flute and "TACET" in flute
    assert not list((books / "Day 1").glob(".filmscore-*"))  # no scratch left behind


def test_orchestrate_bad_input_is_refused_and_writes_nothing(cli, sketched, tmp_path):
    before = cli.snapshot(sketched)
    cli.fails(cli.run("-p", sketched, "orchestrate", "1M1", "--ensemble", "gamelan"),
              "gamelan", "studio")
    bad = tmp_path / "bad.musicxml"
    bad.write_text("<score-partwise><part-list>", encoding="utf-8")
    cli.fails(cli.run("-p", sketched, "orchestrate", "1M1", "--short-score", bad), "bad.musicxml")
    cli.fails(cli.run("-p", sketched, "parts", "1M1", "--out", tmp_path / "x"), "orchestrate")
    assert cli.snapshot(sketched) == before
    assert not (tmp_path / "x" / "1M1").exists() or not any((tmp_path / "x" / "1M1").iterdir())
    cli.fails(cli.run("-p", sketched, "check", bad), "bad.musicxml")
    odd = Path(__file__).resolve().parents[1] / "data" / "checkscores" / \
        "unknown_instrument.musicxml"
    cli.fails(cli.run("-p", sketched, "orchestrate", "1M1", "--short-score", odd),
              "unknown_instrument.musicxml", "'Theremin'", "--group")
    cli.fails(cli.run("-p", sketched, "orchestrate", "1M1", "--double", "melody=Oboe"),
              "--double", "melody=Oboe")
    cli.fails(cli.run("-p", sketched, "orchestrate", "1M1", "--double", "melody=Kazoo@12"),
              "Kazoo", "Flute 1")
    assert cli.snapshot(sketched) == before
    cli.fails(cli.run("-p", sketched, "books", "--session", "Day 1", "--cues", "9M9"), "9M9")


def test_project_credits_are_set_once_and_printed(cli, sketched, tmp_path):
    out = cli.ok("-p", sketched, "project", "show")
    assert "composer: Ann Score" in out and "orchestrator: -" in out
    # typed as the parts print it: kept as the name alone (the cue sheet's composer, the
    # album's tags), printed "Orchestration: Bo Orch", not twice
    cli.ok("-p", sketched, "project", "set", "orchestrator", "Orchestration: Bo Orch")
    cli.ok("-p", sketched, "project", "set", "sync-feet", "yes")
    out = cli.ok("-p", sketched, "project", "show")
    assert "orchestrator: Bo Orch" in out and "sync-feet: yes" in out
    cli.fails(cli.run("-p", sketched, "project", "set", "lyricist", "X"), "lyricist",
              "composer")
    cli.fails(cli.run("-p", sketched, "project", "set", "sync-feet", "maybe"), "maybe")
    cli.ok("-p", sketched, "orchestrate", "1M1", "--ensemble", "chamber")
    cli.ok("-p", sketched, "parts", "1M1", "--out", tmp_path / "parts")
    pdf = next(p for p in (tmp_path / "parts" / "1M1").glob("*.pdf") if "TACET" not in p.name)
    text = _text(pdf)
    assert "Orchestration: Bo Orch" in text
    assert re.search(r"00:00:03:00\s+3\+00", text)  # feet+frames from the cue's start
    # an orchestration's own author is its orchestrator
    cli.ok("-p", sketched, "orchestrate", "1M1", "--ensemble", "chamber", "--by", "Cy Other")
    cli.ok("-p", sketched, "score", "1M1", "--out", tmp_path / "scores")
    assert "Orchestration: Cy Other" in _text(tmp_path / "scores" / "1M1" / "1M1 score.pdf")


def test_parts_and_score_of_any_musicxml_file(cli, tmp_path):
    mozart = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / \
        "sheet.mxl"
    out = cli.ok("parts", "--from", mozart, "--out", tmp_path / "parts")
    assert "17 parts" in out
    folder = tmp_path / "parts" / "sheet"
    assert len(list(folder.glob("*.pdf"))) == 17 and len(list(folder.glob("*.musicxml"))) == 17
    cli.ok("score", "--from", mozart, "--out", tmp_path / "scores", "--concert")
    text = _text(tmp_path / "scores" / "sheet" / "sheet score in C.pdf")
    assert "Score in C" in text
    cli.fails(cli.run("parts", "1M1", "--from", mozart), "--from")


def test_notation_left_as_written_is_named_and_the_rest_is_copied(cli, tmp_path):
    odd = tmp_path / "odd.musicxml"
    odd.write_text(
        "<score-partwise version='4.0'><part-list><score-part id='P1'><part-name>Oboe"
        "</part-name></score-part></part-list><part id='P1'><measure number='1'><attributes>"
        "<divisions>1</divisions><key><fifths>0</fifths></key><time><beats>4</beats>"
        "<beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef>"
        "</attributes><note><pitch><step>D</step><alter>0.5</alter><octave>5</octave>"
        "</pitch><duration>4</duration><type>whole</type><accidental>quarter-sharp"
        "</accidental></note></measure><measure number='2'><attributes><time>"
        "<senza-misura/></time></attributes><note><pitch><step>E</step><octave>5</octave>"
        "</pitch><duration>3</duration><type>half</type><dot/></note></measure></part>"
        "</score-partwise>", encoding="utf-8")
    out = " ".join(cli.ok("parts", "--from", odd, "--out", tmp_path / "parts").split())
    assert "odd.musicxml: part Oboe, bar 2: <time> senza-misura is not a meter we group" in out
    assert (tmp_path / "parts" / "odd" / "odd Oboe.pdf").is_file()  # and the rest is copied
    written = (tmp_path / "parts" / "odd" / "odd Oboe.musicxml").read_text(encoding="utf-8")
    assert "quarter-sharp" in written
