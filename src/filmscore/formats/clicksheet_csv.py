"""The click sheet as CSV (UTF-8 with BOM, CRLF, as our spotting CSV), written atomically.

Columns: bar, timecode (of the downbeat), meter, tempo_bpm (two decimals), frameclick
('~' when the tempo is not exactly one), free (yes/no), hits (each sync point in the bar
at its nearest click as 'BAR|BEAT|SUB +0.15 fr kind: description', the offset being the
hit minus the click in frames, see ``sync.clicksheet``; joined by ' ; ').  Unlike the
printed sheet, every row states its meter and tempo (a table to sort and filter).  What
it loses: exact tempos and times (the tempo map holds those); there is no reader: it is
a report.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.sync.clicksheet import ClickSheet, format_hit
from filmscore.sync.tempomap import format_bpm

COLUMNS = ("bar", "timecode", "meter", "tempo_bpm", "frameclick", "free", "hits")


def clicksheet_rows(sheet: ClickSheet) -> list[dict[str, str]]:
    return [{
        "bar": str(row.bar), "timecode": row.timecode, "meter": row.meter,
        "tempo_bpm": format_bpm(row.tempo_bpm) + (" (ramp)" if row.ramp else ""),
        "frameclick": row.frameclick, "free": "yes" if row.free else "no",
        "hits": " ; ".join(format_hit(h) for h in row.hits),
    } for row in sheet.rows]


def write_clicksheet_csv(sheet: ClickSheet, path: str | os.PathLike[str],
                         **_meta: object) -> Path:
    """Write ``sheet`` as CSV at ``path`` (atomically)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(clicksheet_rows(sheet))
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
