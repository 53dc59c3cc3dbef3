"""The call list of a session as plain values: when and where, and every musician called
with chair, seat, instrument and doubles, in score order; the orchestra manager, and
whether one is still needed (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from filmscore.musicians.roster import instruments_text


@dataclass(frozen=True)
class CallRow:
    musician: str
    chair: str
    seat: int
    instrument: str  # the chair's instrument (key); "" for a non-playing role
    doubles: tuple[str, ...]
    role: str = "player"
    union: str = ""
    contact: str = ""
    cues: tuple[str, ...] = ()  # cue numbers the player is on (from the time log)

    @property
    def instrument_text(self) -> str:
        return instruments_text([self.instrument]) if self.instrument else "-"

    @property
    def doubles_text(self) -> str:
        return instruments_text(self.doubles) if self.doubles else ""


@dataclass(frozen=True)
class CallList:
    session: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    stage: str
    rows: tuple[CallRow, ...]
    orchestra_manager: str | None
    orchestra_manager_required: bool
    notes: str = ""
    tz: str = ""  # the stage's time zone (IANA name) the times are shown in

    @property
    def players(self) -> int:
        return sum(1 for r in self.rows if r.instrument)

    @property
    def warnings(self) -> tuple[str, ...]:
        out = []
        if self.orchestra_manager_required and not self.orchestra_manager:
            out.append(f"{self.players} players: an orchestra manager is required and none "
                       "is booked")
        return tuple(out)


def chair_sort_key(order: Sequence[str]):
    """Sort rows by the ensemble's chair order (unknown chairs last, by name), then seat."""
    index = {label.casefold(): i for i, label in enumerate(order)}

    def key(row: CallRow) -> tuple:
        return (index.get(row.chair.casefold(), len(index)), row.chair, row.seat,
                row.musician)
    return key


def call_list(*, session: str, kind: str, starts_at: datetime, ends_at: datetime,
              stage: str, rows: Iterable[CallRow], chair_order: Sequence[str],
              orchestra_manager_from: int, notes: str = "", tz: str = "") -> CallList:
    """The call list: rows in score order, the orchestra manager named if booked."""
    ordered = tuple(sorted(rows, key=chair_sort_key(chair_order)))
    manager = next((r.musician for r in ordered if r.role == "orchestra manager"), None)
    playing = sum(1 for r in ordered if r.instrument)
    return CallList(session, kind, starts_at, ends_at, stage, ordered, manager,
                    playing >= orchestra_manager_from, notes, tz)
