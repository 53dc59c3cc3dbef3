"""The vinyl side list as CSV (UTF-8 with BOM, CRLF, as our other CSVs), written
atomically, one row per track and a ``total`` row closing each side::

    side,track,position,title,cue,file,start,length,end,start_seconds,length_seconds,
    loudness_lufs,true_peak_dbtp,bass_share,max,notes

Times are M:SS.s from the side's start (``*_seconds``: exact to the millisecond);
``file`` is the premaster file beside the list; ``bass_share`` the part of the energy
below 150 Hz; ``max`` (on total rows) the side's maximum.  What it loses: nothing the PDF
shows but the cutting-notes space; there is no reader (it is a report).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.album.vinyl import SideSheet, clock
from filmscore.fileio import write_atomic

COLUMNS = ("side", "track", "position", "title", "cue", "file", "start", "length", "end",
           "start_seconds", "length_seconds", "loudness_lufs", "true_peak_dbtp",
           "bass_share", "max", "notes")


def _db(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def side_rows(sheet: SideSheet, files: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows; ``files`` names each track's premaster file by its label (``A1``)."""
    files = files or {}
    rows = []
    for side in sheet.sides:
        for t in side.tracks:
            rows.append({"side": side.letter, "track": t.label, "position": str(t.position),
                         "title": t.title, "cue": t.cue or "", "file": files.get(t.label, ""),
                         "start": clock(t.start), "length": clock(t.length),
                         "end": clock(t.end), "start_seconds": f"{float(t.start):.3f}",
                         "length_seconds": f"{float(t.length):.3f}",
                         "loudness_lufs": _db(t.loudness_lufs),
                         "true_peak_dbtp": _db(t.true_peak_dbtp),
                         "bass_share": f"{t.bass_share:.2f}", "max": "",
                         "notes": "; ".join(t.notes)})
        rows.append({"side": side.letter, "track": "total", "position": "", "title": "",
                     "cue": "", "file": "", "start": "", "length": clock(side.total),
                     "end": "", "start_seconds": "",
                     "length_seconds": f"{float(side.total):.3f}", "loudness_lufs": "",
                     "true_peak_dbtp": "", "bass_share": "",
                     "max": clock(side.max_seconds, False) if side.max_seconds else "",
                     "notes": "; ".join(side.notes)})
    return rows


def write_side_csv(sheet: SideSheet, path: str | os.PathLike[str],
                   files: dict[str, str] | None = None) -> Path:
    """Write the side list as CSV at ``path`` (atomically)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(side_rows(sheet, files))
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
