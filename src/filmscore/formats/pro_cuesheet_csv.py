"""The performing-rights (PRO) cue sheet as CSV, one row per holder of each use of a cue
(written, and read back by :func:`read_pro_cuesheet_csv` for checking).

Not the music editor's sheet of takes (``formats.cuesheet_csv``).  Columns::

    seq,cue,use,title,tc_in,tc_out,duration,seconds,usage,usage_meaning,
    role,name,share,pro,ipi

A use with two composers and one publisher has three lines, the use's own columns
repeated on each (a society's import or a spreadsheet filter wants them on every line);
``seq`` is the use's number on the sheet, ``cue`` the cue number with ``(use 2)`` for a
further use.  After the uses, one ``total`` line per usage and a ``total`` line for all
music (``usage`` empty), with the seconds and ``M:SS``.

Dialect: comma-separated, ``"`` quoting, UTF-8 with a byte-order mark (Excel shows
accents), CRLF, written atomically.  What it loses: the exact (unrounded) durations, the
frames, and the production's title and date (the PDF and XML carry them).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.rights.cuesheet import ProCueSheet

COLUMNS = ("seq", "cue", "use", "title", "tc_in", "tc_out", "duration", "seconds", "usage",
           "usage_meaning", "role", "name", "share", "pro", "ipi")


def pro_cuesheet_rows(sheet: ProCueSheet) -> list[dict[str, str]]:
    """The sheet's lines as dicts of the columns (missing columns empty)."""
    out: list[dict[str, str]] = []
    for row in sheet.rows:
        base = {"seq": str(row.sequence), "cue": row.label, "use": str(row.use),
                "title": row.title, "tc_in": row.tc_in, "tc_out": row.tc_out,
                "duration": row.duration, "seconds": str(row.seconds), "usage": row.usage,
                "usage_meaning": row.usage_meaning}
        for role, group in (("composer", row.composers), ("publisher", row.publishers)):
            for share in group:
                out.append({**base, "role": role, "name": share.holder.name,
                            "share": share.text, "pro": share.holder.pro,
                            "ipi": share.holder.ipi})
    for total in sheet.totals:
        out.append({"seq": "total", "usage": total.usage, "usage_meaning": total.meaning,
                    "use": str(total.uses), "duration": total.duration,
                    "seconds": str(total.seconds)})
    out.append({"seq": "total", "usage": "", "usage_meaning": "all music",
                "use": str(len(sheet.rows)), "duration": sheet.total_duration,
                "seconds": str(sheet.total_seconds)})
    return out


def write_pro_cuesheet_csv(sheet: ProCueSheet, path: str | os.PathLike[str]) -> Path:
    """Write the PRO cue sheet as CSV at ``path`` (atomically)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for line in pro_cuesheet_rows(sheet):
        writer.writerow({c: line.get(c, "") for c in COLUMNS})
    return write_atomic(Path(path), "\ufeff" + buffer.getvalue())


def read_pro_cuesheet_csv(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The lines of a PRO cue-sheet CSV as dicts (for checks and round trips)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))
