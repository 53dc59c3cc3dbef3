"""Engraving MusicXML parts and scores to PDF (engraving.engrave): real Mozart 41/ii."""

from __future__ import annotations

import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from filmscore.engraving import engrave as eng
from filmscore.engraving.engrave import EngraveJob, engrave, repair_multirests
from filmscore.errors import InputError, ParseError
from filmscore.formats.musicxml_parts import (
    Header,
    SyncMark,
    TempoMark,
    load_score,
    make_part,
    make_score,
)

MOZART = Path(__file__).resolve().parents[1] / "data" / "scores" / "mozart41_2" / "sheet.mxl"
HEADER = Header("Popeye the Sailor (1936)", "1M3", "The Fight", composer="W. A. Mozart")
SYNCS = [SyncMark(Fraction(24), "A", "01:00:12:05", "punch"),
         SyncMark(Fraction(60), "B", "01:00:31:17", "door")]
TEMPOS = [TempoMark(Fraction(0), Fraction(80), beat_unit="eighth", click="18-0")]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def mozart():
    return load_score(MOZART)


@pytest.fixture(scope="module")
def horn(mozart, tmp_path_factory):
    names = dict((name, pid) for pid, name in mozart.parts)
    part_id = names["horn3"]  # in F
    data = make_part(mozart, part_id, header=HEADER, syncs=SYNCS, tempos=TEMPOS)
    pdf = tmp_path_factory.mktemp("eng") / "1M3 horn.pdf"
    return data, pdf, engrave([(data, pdf, "part")], workers=1)[0]


def test_part_pdf_has_the_header_and_film_marks(horn, mozart):
    data, pdf, result = horn
    assert result.path == pdf and pdf.is_file()
    text = _text(pdf)
    for field in ("Popeye the Sailor (1936)", "1M3", "The Fight", "01:00:12:05",
                  "01:00:31:17", "(18-0 fc)", "= 80", "Music: W. A. Mozart"):
        assert field in text, field
    assert "punch" not in text  # what happens on screen is for the conductor's score
    part_name = re.search(rb"<part-name>([^<]+)</part-name>", data).group(1).decode()
    assert part_name.endswith(" in F") and part_name in text
    assert re.search(r"^\s*A\s*$|\bA\b", text)  # a rehearsal letter
    # the running footer on every page, with page N/M
    pages = result.pages
    assert pages >= 1
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert f"Pages:          {pages}" in info.replace("Pages:           ", "Pages:          ")
    assert "612 x 792 pts" in info  # US Letter
    for page in range(1, pages + 1):
        assert f"1M3 The Fight — {part_name} — page {page}/{pages}" in text
    # pdftoppm renders it (a page to look at while developing)
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(out)],
                   check=True)
    assert any(pdf.parent.glob("*.png"))


def test_part_multirests_are_engraved(horn):
    data, _pdf, _result = horn
    counts = [int(n) for n in re.findall(rb"<multiple-rest>(\d+)</multiple-rest>",
                                         repair_multirests(data))]
    assert counts, "the Mozart horn part has long rests"
    tk = eng._toolkit()
    tk.setOptions(eng.verovio_options("part"))
    tk.setInputFrom("musicxml")
    assert tk.loadData(repair_multirests(data).decode())
    svg = "".join(tk.renderToSVG(p) for p in range(1, tk.getPageCount() + 1))
    assert svg.count('class="multiRest"') == len(counts)
    mei = tk.getMEI()
    assert sorted(int(n) for n in re.findall(r'<multiRest [^>]*num="(\d+)"', mei)) == \
        sorted(counts)


def test_score_pdf_every_bar_numbered_on_tabloid(mozart, horn, tmp_path):
    data = make_score(mozart, header=HEADER, syncs=SYNCS, tempos=TEMPOS)
    jobs = [EngraveJob(data, tmp_path / "score.pdf", "score"),
            EngraveJob(horn[0], tmp_path / "horn9x12.pdf", "part",
                       running_head="custom head", paper="9x12")]
    score, other = engrave(jobs, workers=2)
    text = _text(score.path)
    for field in ("Popeye the Sailor (1936)", "1M3", "The Fight", "01:00:12:05", "punch",
                  "01:00:31:17", "(18-0 fc)", "1M3 The Fight — Score — page 1/",
                  "Transposed score"):
        assert field in text, field
    info = subprocess.run(["pdfinfo", str(score.path)], capture_output=True, text=True).stdout
    assert "792 x 1224 pts" in info  # 11x17 in
    tk = eng._toolkit()
    tk.setOptions(eng.verovio_options("score"))
    tk.setInputFrom("musicxml")
    tk.loadData(data.decode())
    svg = tk.renderToSVG(1)
    numbers = re.findall(r'class="mNum[^"]*".*?<tspan[^>]*>(\d+)</tspan>', svg)
    assert numbers[:4] == ["1", "2", "3", "4"]  # every bar numbered
    assert "custom head — page 1/" in _text(other.path)
    assert "648 x 864 pts" in subprocess.run(["pdfinfo", str(other.path)],
                                             capture_output=True, text=True).stdout


def test_repair_moves_tempo_before_the_multirest_and_splits_at_directions():
    xml = (b'<score-partwise><part-list><score-part id="P1"><part-name>Hn</part-name>'
           b'</score-part></part-list><part id="P1"><measure number="1"><attributes>'
           b"<divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
           b"<clef><sign>G</sign><line>2</line></clef><measure-style><multiple-rest>4"
           b"</multiple-rest></measure-style></attributes><direction><direction-type>"
           b"<words>Allegro</words></direction-type></direction>"
           b'<note><rest measure="yes"/><duration>4</duration></note></measure>'
           + b"".join(b'<measure number="%d">%s<note><rest measure="yes"/><duration>4'
                      b"</duration></note></measure>" % (n, b"<direction><direction-type>"
                      b"<words>hit</words></direction-type></direction>" if n == 3 else b"")
                      for n in (2, 3, 4)) + b"</part></score-partwise>")
    fixed = repair_multirests(xml).decode()
    assert re.findall(r"<multiple-rest>(\d+)</multiple-rest>", fixed) == ["2", "2"]
    first = fixed.split('<measure number="2"')[0]
    assert first.index("Allegro") < first.index("measure-style")
    assert "<clef>" in first and first.index("<clef>") < first.index("Allegro")


def test_bad_jobs_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="unknown kind"):
        engrave([(b"<x/>", tmp_path / "a.pdf", "poster")])
    with pytest.raises(InputError, match="unknown paper"):
        engrave([EngraveJob(b"<x/>", tmp_path / "a.pdf", "part", paper="legal")])
    with pytest.raises(ParseError) as info:
        engrave([(b"<not-musicxml/>", tmp_path / "b.pdf", "part")], workers=1)
    assert "\n" not in str(info.value)
    with pytest.raises(ParseError):
        engrave([(b"<not-musicxml/>", tmp_path / "b.pdf", "part"),
                 (b"<nor-this/>", tmp_path / "c.pdf", "part")], workers=2)
    assert not (tmp_path / "b.pdf").exists()
    assert not list(tmp_path.glob(".*"))  # nothing half-written
    with pytest.raises(InputError, match="cannot read"):
        engrave([(tmp_path / "missing.musicxml", tmp_path / "d.pdf", "part")], workers=1)
    assert engrave([]) == []


def test_an_engraving_worker_imports_only_what_engraving_needs(horn, tmp_path):
    """A worker process engraves a part (film marks and multi-bar rests in it) without
    importing the orchestration package or urllib and email: they cost every worker a
    third of a second or more for nothing."""
    data, _pdf, _result = horn
    source = tmp_path / "horn.musicxml"
    source.write_bytes(data)
    code = ("import sys\n"
            "from filmscore.engraving.engrave import engrave\n"
            f"result = engrave([({str(source)!r}, {str(tmp_path / 'horn.pdf')!r}, 'part')],"
            " workers=1)[0]\n"
            "print(result.pages, sorted(m for m in sys.modules if m.startswith("
            "('filmscore.orchestration', 'urllib.request', 'email'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(None, 1)
    assert int(out[0]) >= 1
    assert out[1].strip() == "[]"
