"""Spotting list as one spreadsheet-friendly CSV: a row per cue and a row per sync point.

Columns (header names exactly as below, any order; only ``type``, ``cue`` and ``start``
are required)::

    type,cue,title,start,end,sync_kind,weight,description,notes,mood,instrumentation,
    temp_track,temp_in,temp_out

* ``type=cue`` rows: cue number (``1M1``, see ``filmscore.spotting.cues``), title, start and
  end timecodes at the project rate (``01:00:12:08``; ``;`` before frames at drop-frame),
  notes, mood, instrumentation, temp track file and temp in/out (timecodes *within the
  temp file*, at the project rate).
* ``type=sync`` rows: ``cue`` names the cue, ``start`` is the sync point's timecode,
  ``sync_kind`` one of hard/soft/downbeat/end (default hard), ``weight`` a number >= 0
  (default 1), ``description``.  Sync rows may come before or after their cue row.

Dialect: comma-separated, ``"`` quoting, UTF-8.  On reading, a UTF-8 byte-order mark is
accepted, and a header line that is plainly separated by semicolons or tabs (European
spreadsheets save ``;``) is read with that separator; any other layout is refused.  Blank
rows are skipped; cells are stripped of surrounding spaces.  Line numbers in errors are
spreadsheet rows (the header is row 1).  The writer writes UTF-8 *with* a BOM so that
Excel shows accents correctly, every column, cue rows in number order each followed by
its sync points, and replaces the file atomically.

What the format loses: leading/trailing spaces of text cells; a cell from another
type of row (e.g. ``notes`` on a sync row) is refused rather than dropped.  Overlaps and
picture bounds are not checked here (see ``validate_cues``); the reader does check end
after start, duplicate numbers, sync points inside their cue and one sync point a frame.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from filmscore.errors import InputError, ParseError
from filmscore.fileio import write_atomic
from filmscore.inputs import read_input_text
from filmscore.limits import check
from filmscore.spotting.cues import (
    SYNC_KINDS,
    CueNumber,
    CueSpec,
    SyncSpec,
    parse_cue_number,
    parse_sync_kind,
)
from filmscore.timecode import Rate, format_label, get_rate, parse_label

#: Every column, in the order the writer uses.
COLUMNS: tuple[str, ...] = (
    "type", "cue", "title", "start", "end", "sync_kind", "weight", "description", "notes",
    "mood", "instrumentation", "temp_track", "temp_in", "temp_out",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("type", "cue", "start")
#: Which columns each row type may fill.
ROW_COLUMNS: dict[str, frozenset[str]] = {
    "cue": frozenset({"type", "cue", "title", "start", "end", "notes", "mood",
                      "instrumentation", "temp_track", "temp_in", "temp_out"}),
    "sync": frozenset({"type", "cue", "start", "sync_kind", "weight", "description"}),
}
_DELIMITERS = (",", ";", "\t")


def _error(message: str, source: str, line: int | None, column: str | None = None,
           value: str | None = None, valid: str | None = None) -> InputError:
    return InputError(message, source=source, line=line, field=column, value=value,
                      valid=valid)


def _read_text(path: Path) -> str:
    # a regular file within the csv limit (not a FIFO)
    return read_input_text(path, "csv", fallback=None,
                           valid="a CSV file saved as UTF-8 (spreadsheets: 'CSV UTF-8')")


def _delimiter(first_line: str, source: str) -> str:
    """Pick ',' unless the header is plainly separated by ';' or a tab."""
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        return ","  # a one-column header; the column check reports what is wrong
    others = [d for d in _DELIMITERS if d != best and counts[d]]
    if others and best != ",":
        raise ParseError("cannot tell the separator of the header line", source=source,
                         line=1, value=first_line,
                         valid="columns separated by commas (or only by ';', or tabs)")
    return best


def read_spotting_csv(path: str | os.PathLike[str], rate: Rate | str) -> list[CueSpec]:
    """Read a spotting list CSV into cues (in file order) with their sync points."""
    path = Path(path)
    source = str(path)
    rate = get_rate(rate)
    text = _read_text(path)
    if not text.strip():
        raise ParseError("the file is empty", source=source,
                         valid=f"a header line: {','.join(COLUMNS)}")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = _delimiter(first_line, source)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                               quotechar='"', strict=True))
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV file ({exc})", source=source,
                         valid="comma-separated cells, text in double quotes") from exc
    header = [h.strip() for h in rows[0]] if rows else []
    if not any(header):
        raise ParseError("the first row is empty; it must be the header", source=source,
                         line=1, valid=",".join(COLUMNS))
    for name in header:
        if name not in COLUMNS:
            raise ParseError(f"unknown column {name!r}", source=source, line=1, value=name,
                             valid=", ".join(COLUMNS))
    duplicated = {h for h in header if header.count(h) > 1}
    if duplicated:
        name = sorted(duplicated)[0]
        raise _error("column appears twice in the header", source, 1, name, name,
                     "each column once")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise _error(f"header lacks the column(s) {', '.join(missing)}", source, 1,
                     None, ",".join(header), f"a header with {', '.join(REQUIRED_COLUMNS)}")

    cue_rows: dict[tuple[int, int, str], tuple[int, CueSpec]] = {}
    order: list[tuple[int, int, str]] = []
    syncs: list[tuple[int, CueNumber, SyncSpec]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            extra = row[len(header):]
            if any(c.strip() for c in extra):
                raise _error(f"row has {len(row)} cells but the header has {len(header)}",
                             source, line, None, delimiter.join(extra),
                             "one cell per header column")
        cells = {name: (row[i].strip() if i < len(row) else "")
                 for i, name in enumerate(header)}
        kind = cells["type"].lower()
        if kind not in ROW_COLUMNS:
            raise _error("unknown row type", source, line, "type", cells["type"],
                         " or ".join(ROW_COLUMNS))
        stray = [c for c in header if cells[c] and c not in ROW_COLUMNS[kind]]
        if stray:
            allowed = ", ".join(c for c in COLUMNS if c in ROW_COLUMNS[kind])
            raise _error(f"column {stray[0]} is not used on a {kind} row", source, line,
                         stray[0], cells[stray[0]], f"{kind} rows fill {allowed}")
        number = _cell_cue(cells, source, line)
        if kind == "cue":
            spec = _cue_row(cells, number, rate, source, line)
            if number.slot in cue_rows:
                first = cue_rows[number.slot][0]
                raise _error(f"cue number {number} already used on line {first}", source,
                             line, "cue", cells["cue"], "each cue number once")
            cue_rows[number.slot] = (line, spec)
            order.append(number.slot)
        else:
            syncs.append((line, number, _sync_row(cells, rate, source, line)))

    by_cue: dict[tuple[int, int, str], list[SyncSpec]] = {k: [] for k in cue_rows}
    frames_at: dict[tuple[tuple[int, int, str], int], int] = {}
    for line, number, sync in syncs:
        if number.slot not in cue_rows:
            raise _error(f"sync point for cue {number}, which has no cue row", source, line,
                         "cue", str(number), "the number of a cue row in this file")
        cue_line, spec = cue_rows[number.slot]
        if spec.number.source != number.source:
            raise _error(f"sync point names {number} but the cue row (line {cue_line}) is "
                         f"{spec.number}", source, line, "cue", str(number), str(spec.number))
        if not spec.start_frame <= sync.frame <= spec.end_frame:
            raise _error(f"sync point is outside cue {number}", source, line, "start",
                         format_label(sync.frame, rate),
                         f"{format_label(spec.start_frame, rate)} to "
                         f"{format_label(spec.end_frame, rate)}")
        if (number.slot, sync.frame) in frames_at:
            raise _error(f"a second sync point of cue {number} on one frame (the first is "
                         f"on line {frames_at[number.slot, sync.frame]})", source, line,
                         "start", format_label(sync.frame, rate),
                         "one sync point a frame: merge the two rows into one")
        frames_at[number.slot, sync.frame] = line
        by_cue[number.slot].append(sync)
    return [replace(cue_rows[k][1],
                    sync_points=tuple(sorted(by_cue[k], key=lambda s: s.frame)))
            for k in order]


def _cell_cue(cells: dict[str, str], source: str, line: int) -> CueNumber:
    try:
        return parse_cue_number(cells["cue"], field="cue")
    except InputError as exc:
        raise exc.located(source=source, line=line) from None


def _timecode(cells: dict[str, str], column: str, rate: Rate, source: str, line: int,
              *, required: bool) -> int | None:
    value = cells.get(column, "")
    if not value:
        if required:
            raise _error("a timecode is required", source, line, column, value,
                         f"HH:MM:SS{rate.separator}FF at {rate.name}")
        return None
    try:
        return parse_label(value, rate, field=column)
    except InputError as exc:
        raise _error(exc.reason, source, line, column, value,
                     exc.valid or f"HH:MM:SS{rate.separator}FF at {rate.name}") from None


def _cue_row(cells: dict[str, str], number: CueNumber, rate: Rate, source: str,
             line: int) -> CueSpec:
    start = _timecode(cells, "start", rate, source, line, required=True)
    end = _timecode(cells, "end", rate, source, line, required=True)
    if end <= start:
        raise _error(f"cue {number} ends at or before its start ({cells['start']})", source,
                     line, "end", cells["end"], f"a timecode after {cells['start']}")
    temp_in = _timecode(cells, "temp_in", rate, source, line, required=False)
    temp_out = _timecode(cells, "temp_out", rate, source, line, required=False)
    if temp_in is not None and temp_out is not None and temp_out <= temp_in:
        raise _error("temp track out is at or before its in", source, line, "temp_out",
                     cells["temp_out"], f"a timecode after {cells['temp_in']}")
    return CueSpec(
        number=number, title=cells.get("title", ""), start_frame=start, end_frame=end,
        notes=cells.get("notes", ""), mood=cells.get("mood", ""),
        instrumentation=cells.get("instrumentation", ""),
        temp_track=cells.get("temp_track", ""), temp_in=temp_in, temp_out=temp_out)


def _sync_row(cells: dict[str, str], rate: Rate, source: str, line: int) -> SyncSpec:
    frame = _timecode(cells, "start", rate, source, line, required=True)
    kind = "hard"
    if cells.get("sync_kind"):
        try:
            kind = parse_sync_kind(cells["sync_kind"], field="sync_kind")
        except InputError as exc:
            raise exc.located(source=source, line=line) from None
    weight = 1.0
    if cells.get("weight"):
        try:
            weight = float(cells["weight"])
        except ValueError:
            weight = math.nan
        if not (0 <= weight < math.inf):
            raise _error("weight must be a number", source, line, "weight", cells["weight"],
                         "a number >= 0, e.g. 1 or 0.5 (default 1)")
        check("sync_weight", weight, source=source, line=line, field="weight",
              what="weight")
    return SyncSpec(frame=frame, description=cells.get("description", ""), kind=kind,
                    weight=weight)


# --- writing -----------------------------------------------------------------------------


def _format_weight(weight: float) -> str:
    weight = float(weight)
    return str(int(weight)) if weight.is_integer() else repr(weight)


def spotting_rows(cues: Iterable[CueSpec], rate: Rate | str) -> list[dict[str, str]]:
    """The rows the writer writes (cue rows by number, each followed by its sync points)."""
    rate = get_rate(rate)
    rows: list[dict[str, str]] = []
    for cue in sorted(cues, key=lambda c: (c.number, c.start_frame)):
        rows.append({
            "type": "cue", "cue": str(cue.number), "title": cue.title,
            "start": format_label(cue.start_frame, rate),
            "end": format_label(cue.end_frame, rate),
            "notes": cue.notes, "mood": cue.mood, "instrumentation": cue.instrumentation,
            "temp_track": cue.temp_track,
            "temp_in": "" if cue.temp_in is None else format_label(cue.temp_in, rate),
            "temp_out": "" if cue.temp_out is None else format_label(cue.temp_out, rate),
        })
        for sync in sorted(cue.sync_points, key=lambda s: s.frame):
            if sync.kind not in SYNC_KINDS:
                raise InputError(f"sync point of cue {cue.number} has an unknown kind",
                                 field="sync_kind", value=sync.kind,
                                 valid=", ".join(SYNC_KINDS))
            rows.append({
                "type": "sync", "cue": str(cue.number),
                "start": format_label(sync.frame, rate), "sync_kind": sync.kind,
                "weight": _format_weight(sync.weight), "description": sync.description,
            })
    return rows


def write_spotting_csv(cues: Iterable[CueSpec], path: str | os.PathLike[str],
                       rate: Rate | str, **_meta: object) -> None:
    """Write cues and their sync points as a spotting list CSV (atomically, UTF-8 + BOM).

    ``_meta`` (title, picture_name: what other spotting writers print) is not stored:
    the CSV holds the cue list only.
    """
    path = Path(path)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(spotting_rows(cues, rate))
    write_atomic(path, buffer.getvalue(), encoding="utf-8-sig")
