"""A session's call list and the musicians' costs as CSV (UTF-8 with BOM, CRLF, as our
other CSVs), written atomically.

Call list columns: session, date, call (the session's start, local time of the machine
unless ``tz``), ends, stage, chair, seat, musician, role, instrument, doubles ("piccolo;
alto flute"), cues, union, contact.  Costs columns: session, musician, chair, role,
doubles, scale, premium, overtime, doubling, pension, health_welfare, cartage, total
(exact to the cent), then a row per cue and the score's total.  What they lose: nothing
needed to pay or call the players; there is no reader: they are reports.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.musicians.calls import CallList
from filmscore.musicians.costs import ScoreCost
from filmscore.musicians.roster import instrument_word
from filmscore.recording.sessions import zone

CALL_COLUMNS = ("session", "date", "call", "ends", "stage", "chair", "seat", "musician",
                "role", "instrument", "doubles", "cues", "union", "contact")
COST_COLUMNS = ("session", "musician", "chair", "role", "doubles", "scale", "premium",
                "overtime", "doubling", "pension", "health_welfare", "cartage", "total")


def _write(columns: tuple[str, ...], rows: list[dict[str, str]], path) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return write_atomic(Path(path), buffer.getvalue(), encoding="utf-8-sig")


def calllist_rows(calls: CallList, tz=None) -> list[dict[str, str]]:
    # times on the stage's clock unless ``tz`` (a tzinfo) asks for another
    where = tz if tz is not None else zone(calls.tz or None)
    start, end = calls.starts_at.astimezone(where), calls.ends_at.astimezone(where)
    head = {"session": calls.session, "date": f"{start:%Y-%m-%d}", "call": f"{start:%H:%M}",
            "ends": f"{end:%H:%M}", "stage": calls.stage}
    return [{**head, "chair": r.chair, "seat": str(r.seat) if r.chair else "",
             "musician": r.musician, "role": r.role,
             "instrument": instrument_word(r.instrument) if r.instrument else "",
             "doubles": "; ".join(instrument_word(d) for d in r.doubles),
             "cues": " ".join(r.cues), "union": r.union, "contact": r.contact}
            for r in calls.rows]


def write_calllist_csv(calls: CallList, path: str | os.PathLike[str], *, tz=None) -> Path:
    """Write a session's call list as CSV at ``path`` (atomically)."""
    return _write(CALL_COLUMNS, calllist_rows(calls, tz), path)


def cost_rows(cost: ScoreCost) -> list[dict[str, str]]:
    rows = []
    for session in cost.sessions:
        for line in session.lines:
            rows.append({"session": session.name, "musician": line.musician,
                         "chair": line.chair, "role": line.role,
                         "doubles": "; ".join(instrument_word(d) for d in line.doubles),
                         "scale": str(line.scale), "premium": str(line.premium),
                         "overtime": str(line.overtime), "doubling": str(line.doubling),
                         "pension": str(line.pension),
                         "health_welfare": str(line.health_welfare),
                         "cartage": str(line.cartage), "total": str(line.total)})
        rows.append({"session": session.name, "musician": "(session total)",
                     "total": str(session.total)})
    for cue in cost.cues_in_order():
        rows.append({"session": "(per cue)", "musician": cue,
                     "total": str(cost.per_cue[cue])})
    rows.append({"session": "(score total)", "musician": cost.currency,
                 "total": str(cost.total)})
    return rows


def write_costs_csv(cost: ScoreCost, path: str | os.PathLike[str]) -> Path:
    """Write the costs (per musician and session, per cue, the total) as CSV at ``path``."""
    return _write(COST_COLUMNS, cost_rows(cost), path)
