"""The theme report (where each theme appears in the cues' music) as CSV (UTF-8 with BOM,
CRLF, as our other CSVs), written atomically.

Columns: theme, cue, bar, beat, part, doubled_by (the parts playing it with ``part``,
"; "-separated), transform, score, then timecode (of its first note, on the cue's tempo
map; empty without one), end_bar (the bar its last note sounds in), verdict (confirmed,
rejected, with "(on vN)" when given on an older music version; empty when the composer
has not said), verdict_by and also_matches (other themes matching the same notes less
well, "; "-separated: the report names a passage by one theme).  The new columns come
last, so that a sheet reading the first eight by position still reads them.  What it
loses: nothing of the report; there is no reader: it is a report.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.fileio import write_atomic

COLUMNS = ("theme", "cue", "bar", "beat", "part", "doubled_by", "transform", "score",
           "timecode", "end_bar", "verdict", "verdict_by", "also_matches")


def write_theme_report_csv(report, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` (``writing.service.ThemeReport``) to ``path``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in report.matches:
        writer.writerow([r.theme, r.cue, r.bar, r.beat, r.part,
                         "; ".join(r.doubled_by), r.transform,
                         f"{r.score:.2f}", r.timecode, r.end_bar or r.bar, r.verdict,
                         r.verdict_by, "; ".join(r.also)])
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
