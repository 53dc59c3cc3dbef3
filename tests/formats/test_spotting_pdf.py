"""Tests for the printable spotting list: text content via pdftotext, page numbers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from filmscore.formats.protools_text import read_protools_text, to_cues
from filmscore.formats.spotting_pdf import write_spotting_pdf
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
from filmscore.timecode import parse_label

DATA = Path(__file__).parent.parent / "data" / "spotting" / "ptulsconv"
DEMO_CSV = Path(__file__).resolve().parents[2] / "demo" / "popeye1936" / "spotting.csv"



def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def small_list(rate="24"):
    tc = lambda label: parse_label(label, rate)  # noqa: E731
    return [
        CueSpec(CueNumber(1, 1), "Main Title", tc("01:00:12:08"), tc("01:01:30:00"),
                notes="Opens on the city; big and warm.", mood="grand",
                instrumentation="full orchestra", temp_track="holst_mars.wav",
                temp_in=tc("00:00:10:00"), temp_out=tc("00:01:27:16"),
                sync_points=(SyncSpec(tc("01:00:20:00"), "door slams", "hard"),
                             SyncSpec(tc("01:01:00:12"), "cut to the café", "downbeat", 2.0))),
        CueSpec(CueNumber(1, 2, "", True), "Radio in the Car", tc("01:02:00:00"),
                tc("01:02:30:00"), notes="Source: 1950s crooner"),
        CueSpec(CueNumber(2, 1), "Chase", tc("02:00:10:00"), tc("02:03:10:12"),
                sync_points=(SyncSpec(tc("02:03:10:12"), "cut to black", "end"),)),
    ]


def test_pdf_contents(tmp_path):
    path = tmp_path / "spot.pdf"
    write_spotting_pdf(small_list(), path, rate="24", title="The Long Night",
                       picture_name="v12 locked cut", subtitle="Music spotting, day 1",
                       date="2025-01-31")
    assert path.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["spot.pdf"]
    text = pdf_text(path)
    for needle in ["The Long Night", "v12 locked cut", "Music spotting, day 1", "2025-01-31",
                   "24 fps", "1M1", "1M2s", "2M1", "Main Title", "01:00:12:08",
                   "01:01:30:00", "1:17+16", "77.67 s", "door slams", "01:00:20:00",
                   "+0:07+16", "hard hit", "downbeat ×2", "cut to the café", "holst_mars.wav",
                   "00:00:10:00", "full orchestra", "grand", "02:03:10:12", "page 1 of 1",
                   "Reel 1", "Reel 2", "Film", "source 1 cue, 0:30+00", "3 cues",
                   "116+08 ft", "11+08 ft"]:  # 1:17+16 = 1864 frames; +0:07+16 = 184
        assert needle in text, needle
    # film total: 77+16/24 s + 30 s + 180.5 s
    assert "4:48+04" in text


def test_pages_are_numbered_and_header_repeats(tmp_path):
    session = read_protools_text(DATA / "Charade.txt")
    cues = to_cues(session, cue_tracks=["Scenes"],
                   sync_tracks=["PETER", "REGGIE", "BARTHOLOMEW", "TEX", "SCOBIE", "GIDEON"])
    path = tmp_path / "charade.pdf"
    write_spotting_pdf(cues, path, rate=session.rate, title="Charade",
                       picture_name="Reels 1-3", date="2025-01-31")
    text = pdf_text(path)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"page {n} of {len(pages)}" in page
        assert "Notes and sync points" in page  # the table header repeats
        assert "Charade" in page
    for cue in cues:
        assert str(cue.number) in text
    assert "29 cues" in text and "01:41:46:15" in text


def test_empty_list(tmp_path):
    path = tmp_path / "empty.pdf"
    write_spotting_pdf([], path, rate="29.97df", title="Nothing Yet")
    text = pdf_text(path)
    assert "No cues spotted" in text and "0 cues" in text and "29.97df" in text


def test_demo_spotting_list_pages_render_tidy(tmp_path, pdf_words, word_overlaps, pdf_gray):
    from filmscore.formats.spotting_csv import read_spotting_csv

    cues = read_spotting_csv(DEMO_CSV, "24")
    path = tmp_path / "demo.pdf"
    write_spotting_pdf(cues, path, rate="24", title="Popeye the Sailor Meets Sindbad the "
                       "Sailor", picture_name="v1 Reel 1 assembly", date="2025-01-31")
    pages = pdf_words(path)
    for n, words in enumerate(pages, 1):
        assert not word_overlaps(words), (n, word_overlaps(words)[:5])
    text = [" ".join(w[4] for w in page) for page in pages]
    assert text[0].count("Popeye the Sailor Meets Sindbad the Sailor") == 1  # one title
    # cue numbers are never broken: "1M11s" is one word, left of everything on its line
    numbers = {w[4] for page in pages for w in page if w[0] < 80}
    assert {"1M1", "1M2", "1M10", "1M11s"} <= numbers
    assert not any(w[4] in ("s", "1M11") for page in pages for w in page if w[0] < 80)
    # page 1 holds more than one cue and is filled to its foot (rows split across pages)
    first_cues = [w[4] for w in pages[0] if w[0] < 80 and w[4].startswith("1M")]
    assert len(first_cues) >= 2
    lowest = max(w[3] for w in pages[0] if w[4] != "page" and not w[4].isdigit()
                 and w[4] != "of")
    assert lowest > 612 - 0.5 * 72 - 50  # within 50 pt of the bottom margin (landscape)
    # the rendered page: ink down to the foot of the page, none where a running head goes
    img = pdf_gray(path, 1, 60)
    inked = [y for y in range(img.shape[0]) if (img[y] < 128).any()]
    assert inked[-1] > img.shape[0] - 0.5 * 60
    assert img[int(0.25 * 60):int(0.42 * 60)].min() > 200
    assert (pdf_gray(path, 2, 60)[int(0.25 * 60):int(0.42 * 60)] < 160).any()
