"""The roster as CSV: one musician a row; columns name, instruments ("flute; piccolo": the
player's own instrument first, then the doubles), union, contact, notes.  Written UTF-8
with a BOM and CRLF (as our other CSVs, for spreadsheets); read with or without the BOM,
comma- or semicolon-separated cells are not guessed: commas.  Lines starting with '#'
are comments.  What it loses: nothing of the roster (bookings are not in it).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from filmscore.errors import InputError, ParseError
from filmscore.fileio import write_atomic
from filmscore.inputs import read_input_text
from filmscore.musicians.roster import MusicianSpec, instrument_word, make_musician

COLUMNS = ("name", "instruments", "union", "contact", "notes")
REQUIRED = ("name", "instruments")


def _read_text(path: Path) -> str:
    # a regular file within the csv limit (not a FIFO)
    return read_input_text(path, "csv", fallback=None, valid="a UTF-8 CSV file")


def read_roster_csv(path: str | os.PathLike[str]) -> list[MusicianSpec]:
    """The musicians of a roster CSV, in file order; a ParseError names the line and field."""
    path = Path(path)
    source = str(path)
    text = _read_text(path)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        read = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV file ({exc})", source=source,
                         line=reader.line_num,
                         valid="comma-separated cells, text in double quotes") from None
    lines = [(n, row) for n, row in read
             if any(c.strip() for c in row) and not row[0].lstrip().startswith("#")]
    if not lines:
        raise ParseError("the file has no header", source=source,
                         valid=f"a header line: {','.join(COLUMNS)}")
    rows = [row for _n, row in lines]
    header_line = lines[0][0]
    header = [h.strip().lower() for h in rows[0]]
    for name in header:
        if name not in COLUMNS:
            raise ParseError(f"unknown column {name!r}", source=source, line=header_line,
                             value=name, valid=", ".join(COLUMNS))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ParseError(f"header lacks the column(s) {', '.join(missing)}", source=source,
                         line=header_line, value=",".join(header), valid=",".join(COLUMNS))
    out: list[MusicianSpec] = []
    seen: dict[str, int] = {}
    for number, row in lines[1:]:
        if len(row) > len(header):
            raise ParseError(f"{len(row)} cells, the header has {len(header)}", source=source,
                             line=number, value=",".join(row)[:60],
                             valid="one cell per column (quote cells that hold commas)")
        cells = dict(zip(header, [c.strip() for c in row], strict=False))
        try:
            spec = make_musician(cells.get("name", ""),
                                 [p for p in cells.get("instruments", "").split(";")],
                                 union=cells.get("union", ""),
                                 contact=cells.get("contact", ""), notes=cells.get("notes", ""))
        except InputError as error:
            raise ParseError(error.reason, source=source, line=number, field=error.field,
                             value=error.value, valid=error.valid) from None
        key = spec.name.casefold()
        if key in seen:
            raise ParseError(f"musician {spec.name!r} is already on line {seen[key]}",
                             source=source, line=number, field="name", value=spec.name,
                             valid="each musician once")
        seen[key] = number
        out.append(spec)
    return out


def roster_rows(specs: Iterable[MusicianSpec]) -> list[dict[str, str]]:
    return [{"name": s.name, "instruments": "; ".join(instrument_word(k)
                                                       for k in s.instruments),
             "union": s.union, "contact": s.contact, "notes": s.notes} for s in specs]


def write_roster_csv(specs: Iterable[MusicianSpec], path: str | os.PathLike[str]) -> Path:
    """Write the roster as CSV at ``path`` (atomically)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(roster_rows(specs))
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
