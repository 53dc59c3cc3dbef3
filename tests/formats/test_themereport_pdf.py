"""The theme report as a PDF: a page per theme (continued when its occurrences do not fit),
each occurrence's heading over its bars engraved, rejected ones marked, page N of M."""

from __future__ import annotations

import subprocess
from fractions import Fraction as F

from filmscore.formats.notestring import parse_notestring
from filmscore.formats.themereport_pdf import write_theme_report_pdf
from filmscore.writing.concordance import excerpt
from filmscore.writing.music import Music, Note, Part
from filmscore.writing.service import ReportRow, ThemeReport

THEME = "4/4 c4 d8 e f4 g a2"
STEPS = ((0, 1, 0), (1, F(1, 2), 2), (F(3, 2), F(1, 2), 4), (2, 1, 5), (3, 1, 7), (4, 2, 9))


def _pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_a_page_per_theme_continued_and_marked(tmp_path) -> None:
    notes = tuple(Note(F(8 * k + o), F(d), 60 + k + p) for k in range(12) for o, d, p in STEPS)
    cue = Music((Part("horn", notes, program=60),))
    rows = [ReportRow("hero", "1M1", 2 * k + 1, "1", "horn", f"prime +{k}", 0.9,
                      ("violins",) if k == 0 else (), F(8 * k), F(8 * k + 6), 2 * k + 2,
                      f"00:00:{2 * k:02d}:00", "rejected" if k == 1 else "",
                      "composer" if k == 1 else "") for k in range(12)]
    report = ThemeReport(rows, {"1M1": ["hero"]})
    themes = {"hero": parse_notestring(THEME), "call": parse_notestring("4/4 g4 g8 g c'2")}
    out = write_theme_report_pdf(report, themes,
                                 [excerpt(cue, r.part, r.onset, r.end) for r in rows],
                                 tmp_path / "themes.pdf", title="Score Film",
                                 stands_for={"hero": "the hero"})
    pages = _pages(out)
    assert len(pages) == 3  # hero, hero (continued), call
    assert "the hero" in pages[0] and "12 occurrences in 1M1, 1 rejected" in pages[0]
    assert "Cue 1M1 · bar 1|1 to 2 · 00:00:00:00" in pages[0]
    assert "horn (doubled by violins) · prime +0 · confidence 0.90" in pages[0]
    assert "REJECTED by composer" in pages[0]
    assert "hero (continued)" in pages[1] and "bar 23|1 to 24" in pages[1]
    assert "Not found in the latest music of any cue" in pages[2]
    for n, page in enumerate(pages, 1):
        assert f"Score Film — theme report — page {n} of 3" in page
    # the engraved bars are numbered as in the cue
    assert "23" in pages[1].split("bar 23|1 to 24")[1]


def test_options_another_layout_left_on_the_toolkit_do_not_carry_over(tmp_path) -> None:
    """The process has one verovio toolkit; the layout check leaves bounding boxes on it
    (seen in the full test run: "cannot draw the SVG element <g> inside <text>")."""
    from filmscore.engraving.engrave import _toolkit

    _toolkit().setOptions({"svgBoundingBoxes": True,
                           "svgAdditionalAttribute": ["note@pname"]})
    notes = tuple(Note(F(o), F(d), 60 + p) for o, d, p in STEPS)
    rows = [ReportRow("hero", "1M1", 1, "1", "horn", "prime", 0.9, (), F(0), F(6), 2,
                      "00:00:00:00")]
    out = write_theme_report_pdf(ThemeReport(rows, {"1M1": ["hero"]}),
                                 {"hero": parse_notestring(THEME)},
                                 [excerpt(Music((Part("horn", notes),)), "horn", F(0), F(6))],
                                 tmp_path / "themes.pdf", title="Score Film")
    assert "Cue 1M1 · bar 1|1 to 2" in _pages(out)[0]
