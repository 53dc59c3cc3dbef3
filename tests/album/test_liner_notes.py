"""The track list and liner notes booklet: CD-booklet pages, the track list with the cue
each track comes from and the times, the credits in the vocabulary's order, the label,
catalog number, barcode and the (P) and (C) lines; read back with pdftotext."""

from __future__ import annotations

import subprocess
from fractions import Fraction

import pypdf

from filmscore.album.cover import render_cover
from filmscore.album.vocabulary import CREDIT_ROLES
from filmscore.formats.liner_notes_pdf import (
    LinerTrack,
    credit_lines,
    track_time,
    write_liner_notes_pdf,
)
from looking import pdf_words, word_overlaps
from release_helpers import plan


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_track_time():
    assert track_time(Fraction(0)) == "0:00"
    assert track_time(Fraction(149, 2)) == "1:15"  # 74.5 s: half up
    assert track_time(Fraction(3725)) == "1:02:05"


def test_credit_order():
    credits = {"music_editor": ["Dave Fleischer"], "orchestra": ["Studio Orchestra"],
               "composer": ["Sammy Timberg"], "orchestrator": ["A", "B"],
               "conductor": [], "art_direction": ["Jane Doe"]}
    lines = credit_lines(credits)
    assert [heading for heading, _ in lines] == [
        CREDIT_ROLES["composer"], CREDIT_ROLES["orchestrator"], CREDIT_ROLES["orchestra"],
        CREDIT_ROLES["music_editor"], "Art direction"]
    assert lines[1][1] == ["A", "B"]


def test_booklet(tmp_path):
    p = plan(tmp_path, "cd", [65.0, 4.0], mastered=False,
             titles=["Main Title: Popeye the Sailor", "Sindbad's Isle"])
    tracks = [LinerTrack("1", "", "Main Title: Popeye the Sailor", "1M1", Fraction(65)),
              LinerTrack("2", "", "Sindbad's Isle", "1M2", Fraction(244, 1))]
    path = write_liner_notes_pdf(p, tracks, tmp_path / "liner.pdf",
                                 cover=render_cover(p.title, p.film_title, p.composer,
                                                    pixels=400),
                                 date="2026-12-05", catalog_number="TTR-0042")
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 120 == round(float(box.height) / 72 * 25.4)
    assert reader.pages[0].images  # the cover
    text = _text(path)
    for words in ("ORIGINAL MOTION PICTURE SOUNDTRACK", "Popeye the Sailor Meets Sindbad",
                  "Music by Sammy Timberg", "Main Title: Popeye the Sailor", "1M1", "1:05",
                  "4:04", "Total time", "5:09", "MUSIC COMPOSED BY", "CONDUCTED BY",
                  "Lou Fleischer", "Winston Sharples, Sammy Lerner",
                  "Thimble Theatre Records · TTR-0042", "UPC/EAN 036000291452",
                  "\u2117 2026 Thimble Theatre Records", "\u00a9 2026 Thimble Theatre Records"):
        assert words in text, words
    order = [text.index(CREDIT_ROLES[r].upper()) for r in
             ("composer", "conductor", "orchestrator", "orchestra", "recording_engineer",
              "music_editor")]
    assert order == sorted(order)
    for page in pdf_words(path):
        assert word_overlaps(page) == []


def test_long_vinyl_list_flows(tmp_path):
    p = plan(tmp_path, "vinyl", [1.0] * 30, mastered=False, credits={})
    tracks = [LinerTrack(f"{'AB'[i // 15]}{i % 15 + 1}", "AB"[i // 15], f"Cue number {i}",
                         f"2M{i}", Fraction(95)) for i in range(30)]
    path = write_liner_notes_pdf(p, tracks, tmp_path / "long.pdf")
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) >= 4
    text = _text(path)
    assert "SIDE A" in text and "SIDE B" in text and "B15" in text
    assert "47:30" in text and "Credits to follow." in text
