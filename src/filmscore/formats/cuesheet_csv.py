"""The music editor's cue sheet as one spreadsheet-friendly CSV (written, not read).

One row per take, then per cue one row per thing still to record, then one row per
recording day; the ``type`` column says which (``take``, ``to record``, ``day``)::

    type,cue,title,take,kind,bars,section,circled,timecode,session,day,notes,status,
    out_of_date,to_record,planned,recorded,planned_minutes,recorded_minutes

``circled`` holds a circle mark (◯) for a circled take, else nothing; ``timecode`` is the
take's record timecode at the project rate; ``out_of_date`` says why a take is out of
date (an older orchestration, music version or tempo map, a revised part).  A cue with
nothing left to record gets a ``to record`` row saying ``done``.  Day rows give the
music planned and recorded that day as M:SS+FF and as decimal minutes.

Dialect: comma-separated, ``"`` quoting, UTF-8 with a byte-order mark (Excel shows
accents and the circle), written atomically.  What it loses: the stems' files (the
media store and ``filmscore takes export`` have them) and the take's stored versions.
"""

from __future__ import annotations

import csv
import io
import os
from fractions import Fraction
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.recording.takelog import CueSheet
from filmscore.timecode import Rate, format_duration, format_label, get_rate

COLUMNS = ("type", "cue", "title", "take", "kind", "bars", "section", "circled", "timecode",
           "session", "day", "notes", "status", "out_of_date", "to_record", "planned",
           "recorded", "planned_minutes", "recorded_minutes")
CIRCLE = "◯"


def minutes(frames: int, rate: Rate) -> str:
    """Frames as decimal minutes, two places."""
    return f"{float(Fraction(frames) / rate.fps / 60):.2f}"


def cuesheet_rows(sheet: CueSheet, rate: Rate | str) -> list[dict[str, str]]:
    """The sheet's rows as dicts of the columns (missing columns empty)."""
    rate = get_rate(rate)
    rows: list[dict[str, str]] = []
    for entry in sheet.cues:
        cue = entry.cue
        for item in entry.takes:
            t = item.take
            rows.append({
                "type": "take", "cue": cue.number, "title": cue.title, "take": str(t.number),
                "kind": t.kind, "bars": t.bars, "section": t.section,
                "circled": CIRCLE if t.circled else "",
                "timecode": (format_label(t.timecode_frame, rate)
                             if t.timecode_frame is not None else ""),
                "session": t.session or "", "day": t.day.isoformat() if t.day else "",
                "notes": t.notes, "status": item.status, "out_of_date": item.stale})
        for line in entry.remaining or ("done",):
            rows.append({"type": "to record", "cue": cue.number, "title": cue.title,
                         "to_record": line})
    for day in sheet.days:
        rows.append({"type": "day", "day": day.day.isoformat(),
                     "session": ", ".join(day.sessions),
                     "planned": format_duration(day.planned_frames, rate),
                     "recorded": format_duration(day.recorded_frames, rate),
                     "planned_minutes": minutes(day.planned_frames, rate),
                     "recorded_minutes": minutes(day.recorded_frames, rate)})
    return rows


def write_cuesheet_csv(sheet: CueSheet, path: str | os.PathLike[str], *,
                       rate: Rate | str) -> Path:
    """Write the cue sheet as CSV at ``path`` (atomically)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in cuesheet_rows(sheet, rate):
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return write_atomic(Path(path), "\ufeff" + buffer.getvalue())
