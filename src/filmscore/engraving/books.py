"""Session books (PDF): one chair's parts and tacet sheets of a recording session, in
recording order, behind a cover page, with a bookmark per cue.

The cover (reportlab, ``engraving.style``'s look, US Letter) names the chair, the film,
the session and its date, and lists the cues in recording order with the page each
starts on in the book (tacet cues marked).  The cue PDFs (from ``engraving.engrave`` and
``engraving.tacet``) are appended whole with pypdf; each gets a bookmark "1M3 The
Fight" (with "— tacet").  Page sizes are kept (a 9x12 in part stays 9x12).  What it
loses: the inner PDFs' own bookmarks and document information (title, author); their
links and form fields are not carried over.  Writing is atomic.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from filmscore.engraving.style import (
    column_widths,
    fonts,
    header_table_style,
    info_line,
    numbered_canvas,
)
from filmscore.errors import InputError, ParseError
from filmscore.fileio import write_atomic


@dataclass(frozen=True)
class BookEntry:
    """One cue of the session for this chair: its label and the PDF to put in the book."""

    cue_number: str
    cue_title: str
    pdf: str | os.PathLike[str]
    tacet: bool = False

    @property
    def label(self) -> str:
        return " ".join(t for t in (self.cue_number.strip(), self.cue_title.strip()) if t)


@dataclass(frozen=True)
class BookResult:
    """The book written: its path, page count and the page each cue starts on (1-based)."""

    path: Path
    pages: int
    start_pages: tuple[int, ...]


def _read(entry: BookEntry):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(entry.pdf))
        count = len(reader.pages)
    except (OSError, PdfReadError, ValueError) as exc:
        raise ParseError(f"cannot read the PDF of cue {entry.label}: {exc}",
                         source=str(entry.pdf)) from None
    if count == 0:
        raise ParseError(f"the PDF of cue {entry.label} has no page", source=str(entry.pdf))
    return reader


def _cover(chair: str, film_title: str, session: str, date: str,
           entries: Sequence[BookEntry], starts: Sequence[int], cover_pages: int,
           music_pages: int) -> bytes:
    """The cover's pages, numbered as the book's first ``cover_pages`` of
    ``cover_pages + music_pages``."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, _italic = fonts()
    page_w, page_h = letter
    margin = 0.75 * inch
    base = ParagraphStyle("base", fontName=regular, fontSize=10, leading=13)
    head = ParagraphStyle("head", parent=base, fontName=bold, textColor="#ffffff")
    title = ParagraphStyle("title", parent=base, fontName=bold, fontSize=24, leading=30)
    sub = ParagraphStyle("sub", parent=base, fontSize=14, leading=18)

    story: list = [Paragraph(escape(chair), title), Spacer(1, 0.1 * inch),
                   Paragraph(escape(film_title), sub), Spacer(1, 0.05 * inch)]
    info = [("Session", session or "—"), ("Date", date or "—"),
            ("Cues", str(len(entries)))]
    story += [info_line(info, base), Spacer(1, 0.25 * inch)]
    rows = [[Paragraph(h, head) for h in ("#", "Cue", "Title", "Page")]]
    for i, (entry, start) in enumerate(zip(entries, starts, strict=True), start=1):
        cue_title = escape(entry.cue_title) + (" <b>— TACET</b>" if entry.tacet else "")
        rows.append([Paragraph(str(i), base), Paragraph(escape(entry.cue_number), base),
                     Paragraph(cue_title, base), Paragraph(str(start + cover_pages), base)])
    table = Table(rows, colWidths=column_widths([0.4, 0.9, 4.3], page_w, margin),
                  repeatRows=1)
    table.setStyle(TableStyle(header_table_style()))
    story.append(table)
    canvas_class = numbered_canvas(running_left=f"{film_title} — {session}".strip(" —"),
                                   running_right=chair, page_w=page_w, page_h=page_h,
                                   margin=margin, of=cover_pages + music_pages)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(page_w, page_h), leftMargin=margin,
                            rightMargin=margin, topMargin=0.75 * inch, bottomMargin=0.6 * inch,
                            title=f"{chair} — {session}", author="filmscore",
                            subject=film_title)
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def write_session_book(entries: Sequence[BookEntry], path: str | os.PathLike[str], *,
                       chair: str, film_title: str, session: str = "",
                       date: str = "") -> BookResult:
    """Write the chair's session book at ``path`` (atomically): a cover, then every
    entry's PDF in the given (recording) order, a bookmark per cue."""
    from pypdf import PdfReader, PdfWriter

    if not entries:
        raise InputError("a session book needs at least one cue", field="entries",
                         valid="one BookEntry per cue of the session, in recording order")
    readers = [_read(e) for e in entries]
    starts, page = [], 1
    for reader in readers:
        starts.append(page)
        page += len(reader.pages)
    # the cover's page numbers depend on its own length: make it, count, remake if needed
    cover_pages = 1
    for _ in range(3):
        cover = _cover(chair, film_title, session, date, entries, starts, cover_pages,
                       page - 1)
        count = len(PdfReader(io.BytesIO(cover)).pages)
        if count == cover_pages:
            break
        cover_pages = count
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)), import_outline=False)
    writer.add_outline_item(title=f"{chair} — {session}".strip(" —") or "Cover", page_number=0)
    for entry, reader, start in zip(entries, readers, starts, strict=True):
        writer.append(reader, import_outline=False)
        label = entry.label + (" — tacet" if entry.tacet else "")
        writer.add_outline_item(title=label, page_number=cover_pages + start - 1)
    writer.add_metadata({"/Title": f"{chair} — {film_title} — {session}".strip(" —"),
                         "/Author": "filmscore"})
    buffer = io.BytesIO()
    writer.write(buffer)
    total = cover_pages + page - 1
    out = write_atomic(Path(path), buffer.getvalue())
    return BookResult(out, total, tuple(s + cover_pages for s in starts))
