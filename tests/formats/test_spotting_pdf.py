"""Tests for the printable spotting list: text content via pdftotext, page numbers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from filmscore.formats.protools_text import read_protools_text, to_cues
from filmscore.formats.spotting_pdf import write_spotting_pdf
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
from filmscore.timecode import parse_label

DATA = Path(__file__).parent.parent / "data" / "spotting" / "ptulsconv"



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
                   "Reel 1", "Reel 2", "Film", "source 1 cue, 0:30+00", "3 cues"]:
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
