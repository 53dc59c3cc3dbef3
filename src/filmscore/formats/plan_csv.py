"""The session plan as CSV (UTF-8 with BOM, CRLF, as our other CSVs), written atomically.

One row per plan entry, sessions in time order and entries in recording order.  Columns:
session, day, start, end (the session's local times as stored, ISO), kind, position, cue,
title, part, bars ('12-20', empty for a whole cue), length (M:SS+FF at the project's
rate), group, difficulty, players (of the entry), chairs ('Violin I x14; Horn 1'), and the
session's players called and paid player-hours (on every row of the session, to sort and
filter).  What it loses: nothing the plan holds that a reader needs, but it is a report:
there is no reader.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.timecode import Rate, format_duration

COLUMNS = ("session", "day", "start", "end", "kind", "position", "cue", "title", "part",
           "bars", "length", "group", "difficulty", "players", "chairs", "session_players",
           "session_player_hours")


def chairs_text(chairs) -> str:
    return "; ".join(c.chair + (f" x{c.players}" if c.players > 1 else "") for c in chairs)


def bars_text(bar_from: int | None, bar_to: int | None) -> str:
    if bar_from is None:
        return ""
    return f"{bar_from}-{bar_to}" if bar_to is not None and bar_to != bar_from else str(bar_from)


def plan_rows(sessions: Sequence, rate: Rate) -> list[dict[str, str]]:
    rows = []
    for planned in sessions:
        spec = planned.session
        for e in planned.entries:
            rows.append({
                "session": spec.name, "day": spec.day.isoformat(),
                "start": spec.local_start.isoformat(timespec="minutes"),
                "end": spec.local_end.isoformat(timespec="minutes"), "kind": spec.kind,
                "position": str(e.position), "cue": e.cue, "title": e.title, "part": e.part,
                "bars": bars_text(e.bar_from, e.bar_to),
                "length": format_duration(e.duration_frames, rate), "group": e.group,
                "difficulty": str(e.difficulty), "players": str(e.players),
                "chairs": chairs_text(e.chairs), "session_players": str(planned.players),
                "session_player_hours": f"{planned.player_hours:g}",
            })
    return rows


def write_plan_csv(sessions: Sequence, path: str | os.PathLike[str], *, rate: Rate,
                   **_meta: object) -> Path:
    """Write the planned sessions (``recording.planning.session_plan``) as CSV at ``path``."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(plan_rows(sessions, rate))
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")
