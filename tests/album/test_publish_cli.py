"""`filmscore publish` and album.editions.publish on an orchestrated cue of a project."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from edition_helpers import CHORDS, TUNE
from filmscore.album.editions import publish
from filmscore.cli import app
from filmscore.errors import InputError, NotFoundError
from filmscore.formats.musicxml import write_music
from filmscore.orchestration.ensembles import get_template
from filmscore.orchestration.service import orchestrate_cue, set_project_credits
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_map_by_hand
from filmscore.sync.tempomap import TempoMap
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import import_version

F = Fraction


def _short_score(path: Path) -> Path:
    """The helpers' tune and chords as a composer's short score (melody, pad, bass)."""
    tmap = TempoMap.constant("24", 24, F(120), bars=4)
    melody = tuple(Note(F(t), F(d), p) for t, d, p in TUNE)
    pad, bass = [], []
    for i, (t, (low, *upper)) in enumerate(CHORDS):
        end = CHORDS[i + 1][0] if i + 1 < len(CHORDS) else 16
        pad += [Note(F(t), F(end - t), p - 12) for p in upper]
        bass.append(Note(F(t), F(end - t), low))
    return write_music(Music((Part("melody", melody, program=73),
                              Part("pad", tuple(pad), program=48),
                              Part("bass", tuple(bass), program=32)), tempo_map=tmap,
                             key="C major"), path)


def _project(folder: Path, db: str | None = None) -> Path:
    init_project(folder, title="Edition Film", fps="24", db=db)
    with open_project(folder, db=db) as pctx:
        set_project_credits(pctx, composer="A. Composer")
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24, 24 + 8 * 24))
        add_cue(pctx, CueSpec(parse_cue_number("1M2"), "Unscored", 400, 500))
        set_map_by_hand(pctx, "1M1", tempo="120")
        import_version(pctx, "1M1", _short_score(folder.parent / "short.musicxml"))
        orchestrate_cue(pctx, "1M1", ensemble=get_template("strings"))
    return folder


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("edition") / "film")


def test_publish_both_editions(db_url, tmp_path):
    folder = _project(tmp_path / "film", db=db_url)
    out = tmp_path / "editions"
    with open_project(folder, db=db_url) as pctx:
        piano = publish(pctx, "1M1", edition="piano", out=out)
        sheet = publish(pctx, "1M1", edition="leadsheet", out=out)
    assert piano.pdf == out / "1M1" / "1M1 piano.pdf" and piano.pdf.is_file()
    assert sheet.musicxml == out / "1M1" / "1M1 lead sheet.musicxml"
    assert piano.findings == () and sheet.findings == ()  # the engraving check passes
    assert sum(piano.check.values()) == 0
    root = etree.parse(str(piano.musicxml)).getroot()
    assert root.findtext(".//part-list/score-part/part-name") == "Piano"
    assert root.findtext(".//attributes/staves") == "2"
    credits = " ".join(w.text or "" for w in root.iter("credit-words"))
    assert "Main Title" in credits and "A. Composer" in credits and "Piano solo" in credits
    # the lead sheet's chords are the short score's (the strings voice them)
    assert [c for _, c in sheet.chords][:4] == ["C", "Am7", "F/A", "G7sus4"]
    assert len(list(etree.parse(str(sheet.musicxml)).getroot().iter("harmony"))) >= 4
    # nothing left over from the scratch folder
    assert sorted(p.name for p in out.iterdir()) == ["1M1"]


def test_bad_input_is_one_line(project, tmp_path):
    with open_project(project) as pctx:
        with pytest.raises(InputError, match="unknown edition.*got 'organ'.*piano, leadsheet"):
            publish(pctx, "1M1", edition="organ", out=tmp_path / "o")
        with pytest.raises(NotFoundError, match="1M2 is not orchestrated yet"):
            publish(pctx, "1M2", out=tmp_path / "o")
        with pytest.raises(InputError, match="no such part.*Tuba"):
            publish(pctx, "1M1", out=tmp_path / "o", melody_part="Tuba")
    assert not (tmp_path / "o" / "1M1").exists()  # nothing half-written


def _run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result


def test_cli(project, tmp_path):
    out = tmp_path / "ed"
    result = _run("-p", project, "publish", "1M1", "--all-editions", "--out", out)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    text = result.stdout
    assert "1M1 piano:" in text and "1M1 leadsheet:" in text
    assert "chords: 1:1 C  1:3 Am7  2:1 F/A  2:3 G7sus4" in text
    assert text.count("engraving check: no findings") == 2
    assert {p.name for p in (out / "1M1").iterdir()} == {
        "1M1 piano.musicxml", "1M1 piano.pdf", "1M1 lead sheet.musicxml",
        "1M1 lead sheet.pdf"}
    for args, needles in (
            (("publish", "1M1", "--edition", "harp"), ("unknown edition", "harp",
                                                       "piano, leadsheet")),
            (("publish", "1M2"), ("1M2", "not orchestrated yet")),
            (("publish", "9M9"), ("9M9",))):
        result = _run("-p", project, *args, "--out", tmp_path / "bad")
        assert result.exit_code in range(1, 7), result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("filmscore: error: "), lines
        assert all(n in lines[0] for n in needles), lines[0]
        assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())
