"""The theme report (where each theme appears in the cues' music) as CSV (UTF-8 with BOM,
CRLF, as our other CSVs), written atomically.

Columns: theme, cue, bar, beat, part, doubled_by (the parts playing it with ``part``,
"; "-separated), transform, score.  What it loses: nothing of the
report; there is no reader: it is a report.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.fileio import write_atomic

COLUMNS = ("theme", "cue", "bar", "beat", "part", "doubled_by", "transform", "score")


def write_theme_report_csv(report, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` (``writing.service.ThemeReport``) to ``path``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in report.matches:
        writer.writerow([r.theme, r.cue, r.bar, r.beat, r.part,
                         "; ".join(r.doubled_by), r.transform,
                         f"{r.score:.2f}"])
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
