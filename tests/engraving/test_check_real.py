"""The engraving check on real files: Mozart 41/ii, the demo's parts and scores as they were
before issue 9 (the faults the issue lists), and `filmscore check --engraving` in-process
on files, folders and a cue of a project."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from filmscore.cli import app
from filmscore.engraving.check import CheckOptions, check_folder, check_musicxml

DATA = Path(__file__).resolve().parents[1] / "data"
MOZART = DATA / "scores" / "mozart41_2" / "sheet.mxl"
BEFORE = DATA / "engraving" / "demo-before-issue9"  # see tests/data/CREDITS.md


#: the demo's files as engraved before issue 9: plain verovio
VEROVIO = CheckOptions(engraver="verovio")


@pytest.fixture(scope="module")
def before():
    return check_folder(BEFORE, options=VEROVIO)


def test_mozart_41_ii_engraves_clean_but_for_a_few_editorial_choices():
    report = check_musicxml(MOZART)
    doc = report.documents[0]
    assert (doc.kind, doc.parts, doc.bars, doc.pages) == ("score", 17, 145, 19)  # our layout
    counts = {rule: n for rule, n in report.counts.items() if n}
    # no missing accidental, overlap, missing bar number or missing final barline
    assert set(counts) == {"redundant_accidental", "rest_grouping"}
    # 872 accidentals in the file; the few flagged are the editor's harmonic reminders
    # (violin 1 bar 98: A natural after a passage in G flat, E flat, D flat, with no A flat
    # in the part itself), which our courtesy rules do not accept
    assert counts["redundant_accidental"] <= 30
    assert "violin1, bar 98: redundant_accidental: \u266e on A5" in " ".join(
        f.line() for f in report.of_rule("redundant_accidental"))
    # the classical half rest on beats 2-3 of 3/4
    assert [(f.part, f.bar) for f in report.of_rule("rest_grouping")] == [
        ("violin2", "108"), ("violoncello", "133"), ("doublebass", "133")]


def test_the_demo_before_issue_9_shows_every_fault_the_issue_lists(before):
    by_doc = {d.source: d for d in before.documents}
    assert sorted(by_doc) == ["1M1 Percussion 3.musicxml", "1M1 score.mxl",
                              "1M2 Tuba.musicxml", "1M2 score.mxl"]
    assert not before.ok

    def lines(rule: str, source: str) -> list[str]:
        return [f.line() for f in before.of_rule(rule) if f.source == source]

    # an explicit natural on almost every note (654 in the 1M2 score)
    naturals = [f for f in before.of_rule("redundant_accidental")
                if f.source == "1M2 score.mxl" and "nothing alters it" in f.message]
    assert len(naturals) > 400 and all(f.message.startswith("\u266e") for f in naturals)
    # a rehearsal letter at every sync point, stacked two high, A to R in 28 bars
    assert len(lines("rehearsal_spacing", "1M2 score.mxl")) == 17 - 3
    assert [f.bar for f in before.of_rule("rehearsal_per_bar")
            if f.source == "1M2 Tuba.musicxml"] == ["1", "5", "7"]
    assert [f.message for f in before.of_rule("stacked_rehearsal")
            if f.source == "1M2 Tuba.musicxml"] == [
        f"rehearsal marks {pair} (bar {bar}) stacked one above the other"
        for pair, bar in (("A, B", 1), ("D, E", 5), ("F, G", 7))]
    # "01:00:21:1501:00:23:15" in the tuba part
    assert lines("overlapping_marks", "1M2 Tuba.musicxml") == [
        "1M2 Tuba.musicxml, Tuba, bar 5, page 1: overlapping_marks: text '01:00:21:15' "
        "(bar 5) and text '01:00:23:15' (bar 5) print over each other (0.3 x 3.5 mm)"]
    # bar numbers suppressed by the letters
    assert [f.bar for f in before.of_rule("missing_bar_number")
            if f.source == "1M2 Tuba.musicxml"] == ["9", "20"]
    assert len(lines("missing_bar_number", "1M2 score.mxl")) == 14
    # no final barline on any cue
    assert before.counts["final_barline"] == 4
    # rests hiding beat 3: a dotted-quarter rest across the middle of a 4/4 bar
    assert any("Horn 2, bar 1: rest_grouping: a dotted quarter rest on beat 2.5 starts off "
               "the beat and hides beat 3 (4/4)" in line
               for line in lines("rest_grouping", "1M2 score.mxl"))
    # hits written as sixteenth-note triplets (1M1 bar 5): counted, findings when asked
    assert by_doc["1M1 score.mxl"].tuplets[0] == ("Flute 1", 1, ("5",))
    asked = check_musicxml(BEFORE / "1M1 score.mxl",
                           options=CheckOptions(tuplets=True, layout=False))
    assert {f.bar for f in asked.of_rule("tuplets")} == {"5"}
    assert len(asked.of_rule("tuplets")) == 12
    # the score's sync texts run off the paper and crowd a bar
    assert len(lines("mark_off_page", "1M2 score.mxl")) == 3
    assert lines("crowded_bar", "1M1 Percussion 3.musicxml")[0].endswith(
        "3 texts in one bar, more than 2: '01:00:07:22', '01:00:08:19', '01:00:10:00'")


def test_pages_are_checked_fast_enough_for_every_part(before):
    assert before.pages == 7
    assert before.seconds > 0
    assert "s a page)" in before.summary()[len(before.documents)]


# --- the CLI -------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, tmp_path):
    for name in ("FILMSCORE_PROJECT", "FILMSCORE_DB", "FILMSCORE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args):
        result = runner.invoke(app, [str(a) for a in args])
        assert "Traceback" not in result.stdout + result.stderr
        return result

    return invoke


def test_cli_checks_a_file_and_fails_on_findings(run):
    result = run("check", "--engraving", BEFORE / "1M2 Tuba.musicxml", "--limit", "0",
                 "--engraver", "verovio")
    assert result.exit_code == 1
    out = result.stdout
    assert "1M2 Tuba.musicxml: part, 1 part, 28 bars, 1 page, " in out
    assert "per rule: redundant_accidental 0, missing_accidental 0, rehearsal_per_bar 3" in out
    assert "Tuba, bar 5, page 1: overlapping_marks: text '01:00:21:15'" in out
    assert out.strip().endswith("findings")
    clean = run("check", "--engraving", MOZART, "--kind", "part", "--letters-every", "0")
    assert clean.exit_code == 1 and "sheet.mxl: part, 17 parts" in clean.stdout


def test_cli_checks_a_folder_with_options(run):
    result = run("check", "--engraving", BEFORE, "--tuplets", "--max-texts", "3",
                 "--limit", "5", "--engraver", "verovio")
    assert result.exit_code == 1
    out = result.stdout
    assert "checked 4 files, 7 pages in" in out and "s a page)" in out
    assert "crowded_bar 0" in out and "tuplets 13" in out
    assert "... and " in out and "(--limit 0: all)" in out


@pytest.mark.parametrize(("args", "needles"), [
    (("nothing.musicxml",), ("nothing.musicxml", "cannot read the file")),
    (("notes.txt",), ("notes.txt", "not a MusicXML file")),
    ((str(BEFORE), "--kind", "booklet"), ("kind", "booklet", "part, score, or auto")),
    (("1M1",), ("not a filmscore project",)),
])
def test_cli_refuses_bad_input_in_one_line(run, tmp_path, args, needles):
    (tmp_path / "notes.txt").write_text("not music")
    result = run("check", "--engraving", *args)
    assert result.exit_code in range(2, 7), (result.exit_code, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("filmscore: error: ")
    for needle in needles:
        assert needle in lines[0]


def test_cli_checks_a_cues_parts_and_score_as_copying_writes_them(run, tmp_path):
    from filmscore.formats.midi_music import write_music
    from filmscore.sync.tempomap import TempoMap
    from filmscore.writing.music import Music, Note, Part

    project = tmp_path / "p"
    for args in (("init", project, "--title", "Check Film", "--fps", "24"),
                 ("-p", project, "cue", "add", "1M1", "--start", "00:00:01:00", "--end",
                  "00:00:09:00", "--title", "Main Title"),
                 ("-p", project, "sync", "add", "1M1", "00:00:03:00", "--kind", "hard"),
                 ("-p", project, "tempo", "set", "1M1", "--tempo", "120")):
        assert run(*args).exit_code == 0
    tmap = TempoMap.constant("24", 24, Fraction(120), bars=4)
    melody = tuple(Note(Fraction(q), Fraction(1), 72 + (q % 5) * 2) for q in range(16))
    bass = tuple(Note(Fraction(2 * b), Fraction(2), 36 + (b % 2) * 7) for b in range(8))
    music = Music((Part("melody", melody, program=73), Part("bass", bass, program=32)),
                  tempo_map=tmap)
    midi = write_music(music, tmp_path / "1M1.mid", tempo_map=tmap)
    assert run("-p", project, "music", "import", "1M1", midi).exit_code == 0
    assert run("-p", project, "orchestrate", "1M1", "--ensemble", "chamber").exit_code == 0
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run("-p", project, "check", "--engraving", "1M1", "--limit", "0")
    out = result.stdout
    assert "1M1 score.musicxml: score, " in out
    parts = [line for line in out.splitlines() if ".musicxml: part, 1 part" in line]
    assert len(parts) >= 3
    assert result.exit_code == (0 if "no findings" in out else 1)
    assert "per rule: redundant_accidental" in out
    # the copy was made in a scratch folder: nothing new beside the project
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_folder_checked_in_two_processes_reports_what_one_does(monkeypatch, tmp_path):
    """Worth two processes from BYTES_PER_WORKER on (a demo's 219 parts: 20 s -> 11 s);
    made 1 here so that these four small files take that path: the same documents in the
    same order, the same findings, and a file it refuses named as one process names it."""
    from filmscore.engraving import check
    from filmscore.errors import ParseError

    alone = check_folder(BEFORE, options=VEROVIO, workers=1)
    monkeypatch.setattr(check, "BYTES_PER_WORKER", 1)
    two = check_folder(BEFORE, options=VEROVIO, workers=2)
    assert [(d.source, d.kind, d.parts, d.bars, d.pages) for d in two.documents] == [
        (d.source, d.kind, d.parts, d.bars, d.pages) for d in alone.documents]
    assert two.findings == alone.findings and len(two.documents) == 4
    bad = tmp_path / "zz bad.musicxml"
    bad.write_bytes(b"<score-partwise><part-list/>")
    files = [*check.musicxml_files(BEFORE), bad]
    with pytest.raises(ParseError, match="zz bad.musicxml.*not well-formed XML"):
        check.check_files(files, workers=2)
