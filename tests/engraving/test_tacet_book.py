"""Tacet sheets (engraving.tacet) and session books (engraving.books)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from filmscore.engraving.books import BookEntry, write_session_book
from filmscore.engraving.tacet import TacetSheet, tacet_pdf_bytes, write_tacet_pdf
from filmscore.errors import InputError, ParseError


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf(tmp: Path, name: str, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    path = tmp / name
    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(72, 720, f"{name} page {n + 1}")
        c.showPage()
    c.save()
    return path


def test_tacet_sheet_says_who_sits_out_which_cue(tmp_path):
    sheet = TacetSheet("Popeye the Sailor (1936)", "2M4", "Spinach Chase", "Horn 3",
                       length="1:23+12", start_timecode="01:12:03:04",
                       end_timecode="01:13:26:16", note="Strings and harp only")
    path = write_tacet_pdf(sheet, tmp_path / "tacet.pdf")
    text = _text(path)
    for field in ("Popeye the Sailor (1936)", "2M4 Spinach Chase", "Horn 3", "TACET",
                  "1:23+12", "01:12:03:04", "01:13:26:16", "Strings and harp only",
                  "page 1 of 1"):
        assert field in text, field
    assert len(PdfReader(str(path)).pages) == 1
    minimal = tacet_pdf_bytes(TacetSheet("Film", "1M1", "", "Tuba"))
    assert minimal.startswith(b"%PDF") and b"Timecode" not in minimal


def test_session_book_merges_in_order_with_cover_and_bookmarks(tmp_path):
    a = _pdf(tmp_path, "1M3.pdf", 3)
    tacet = write_tacet_pdf(TacetSheet("Popeye", "2M1", "Storm", "Horn 1"),
                            tmp_path / "2M1-tacet.pdf")
    c = _pdf(tmp_path, "1M1.pdf", 2)
    entries = [BookEntry("1M3", "The Fight", a), BookEntry("2M1", "Storm", tacet, tacet=True),
               BookEntry("1M1", "Main Title", c)]  # recording order, not cue order
    result = write_session_book(entries, tmp_path / "book.pdf", chair="Horn 1",
                                film_title="Popeye the Sailor (1936)",
                                session="Session 2", date="2025-11-26")
    reader = PdfReader(str(result.path))
    assert result.pages == len(reader.pages) == 1 + 3 + 1 + 2
    assert result.start_pages == (2, 5, 6)
    outline = [(item.title, reader.get_destination_page_number(item))
               for item in reader.outline]
    assert outline == [("Horn 1 — Session 2", 0), ("1M3 The Fight", 1),
                       ("2M1 Storm — tacet", 4), ("1M1 Main Title", 5)]
    cover = _text(result.path, 1)
    for field in ("Horn 1", "Popeye the Sailor (1936)", "Session 2", "2025-11-26",
                  "The Fight", "Storm — TACET", "Main Title"):
        assert field in cover, field
    assert "page 1 of 7" in cover  # the book's pages, not the cover's own
    rows = [line.split() for line in cover.splitlines() if line.strip()[:1].isdigit()]
    assert [r[-1] for r in rows if r[1] in ("1M3", "2M1", "1M1")] == ["2", "5", "6"]
    assert "1M3.pdf page 1" in _text(result.path, 2)
    assert "TACET" in _text(result.path, 5)
    assert "1M1.pdf page 2" in _text(result.path, 7)


@pytest.mark.not_looked("broken PDFs are its inputs on purpose")
def test_session_book_refuses_nothing_and_broken_pdfs(tmp_path):
    with pytest.raises(InputError, match="at least one cue"):
        write_session_book([], tmp_path / "b.pdf", chair="Tuba", film_title="F")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(ParseError, match="1M1") as info:
        write_session_book([BookEntry("1M1", "x", bad)], tmp_path / "b.pdf", chair="Tuba",
                           film_title="F")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "b.pdf").exists()
