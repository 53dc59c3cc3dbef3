"""The take log's arithmetic (pure): take numbers, bars, staleness, the cue sheet.

Plain values in, plain values out; :mod:`filmscore.recording.takes` reads and writes the
database around them.  The music editor's cue sheet is, for every cue: every take with
its status, the circled takes, and what is still to record; then the minutes recorded
per day against the session plan.

* **Still to record.**  A cue is done when its bars are covered by circled takes that
  are not out of date: a circled complete take covers its bars (no bars: the whole cue),
  a circled pickup its bars.  Alternates, wild takes, false starts and breakdowns cover
  nothing.  Bars no such take covers are still to record (without a tempo map the cue's
  bar count is unknown: a cue is then done only with a circled complete take of the whole
  cue), and so is every pickup of the cue that is not yet recorded.
* **Out of date.**  A take played from an older orchestration, music version or tempo map
  than the cue's current one is out of date (the reason names both versions); so is a
  take another stage flagged (``flagged``: a revised part).  It is listed, never counted
  as covering its bars.
* **Minutes per day.**  Planned: the plan entries' ``duration_frames`` of the sessions
  of that day.  Recorded: per day and cue, the music covered by that day's circled
  takes (bars measured on the cue's tempo map; a take without bars is the whole cue;
  bars without a tempo map count nothing), each bar counted once a day.  A take
  logged outside any session counts on the day it was logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from filmscore.errors import InputError, ValidationError
from filmscore.recording.vocabulary import TAKE_NUMBERING, TAKE_TYPES

#: take types that cover their bars when circled
COVERING = ("complete", "pickup")
#: take types that are no good whatever their circle says
NO_GOOD = ("false start", "breakdown")

_BARS = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|—|\.\.|to)\s*(\d+))?\s*$")


@dataclass(frozen=True)
class TakeSpec:
    """One take as plain values."""

    cue: str
    number: int
    kind: str = "complete"
    circled: bool = False
    bar_from: int | None = None
    bar_to: int | None = None
    section: str = ""
    notes: str = ""
    timecode_frame: int | None = None
    session: str | None = None
    day: date | None = None  # the session's day, else the day it was logged
    stems: tuple[str, ...] = ()
    orchestration_number: int | None = None
    music_version: int | None = None
    tempo_map_version: int | None = None
    flagged: str = ""
    pickup_id: int | None = None
    id: int | None = None

    @property
    def bars(self) -> str:
        return bars_label(self.bar_from, self.bar_to)

    def line(self) -> str:
        """'1M2 take 4 (pickup, bars 12-20) circled': what the stage sees at once."""
        what = [self.kind] + ([f"bars {self.bars}"] if self.bars else []) + (
            [self.section] if self.section else [])
        return (f"{self.cue} take {self.number} ({', '.join(what)})"
                + (" circled" if self.circled else ""))


@dataclass(frozen=True)
class CueState:
    """What a cue is now: its length, bars and current versions."""

    number: str
    title: str = ""
    length_frames: int = 0
    bar_count: int | None = None  # None: no tempo map
    #: frame offsets of each bar's start from bar 1, and the end (bar_count + 1 values)
    bar_frames: tuple[int, ...] = ()
    orchestration_number: int | None = None
    music_version: int | None = None
    tempo_map_version: int | None = None


@dataclass(frozen=True)
class PickupSpec:
    """A pickup of a cue as plain values."""

    id: int
    cue: str
    bar_from: int | None = None
    bar_to: int | None = None
    reason: str = ""
    status: str = "open"

    @property
    def label(self) -> str:
        bars = bars_label(self.bar_from, self.bar_to)
        return f"pickup {'bars ' + bars if bars else 'of the whole cue'}" + (
            f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class PlanItem:
    """A plan entry as the cue sheet needs it: its day and the music it records."""

    day: date
    session: str
    cue: str
    duration_frames: int


@dataclass(frozen=True)
class SheetTake:
    take: TakeSpec
    status: str  # circled, no good, kept
    stale: str  # why it is out of date ("" when it is not)


@dataclass(frozen=True)
class SheetCue:
    cue: CueState
    takes: tuple[SheetTake, ...]
    circled: tuple[int, ...]
    remaining: tuple[str, ...]  # what is still to record, one line each

    @property
    def done(self) -> bool:
        return not self.remaining


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent (rounded down; 0 of nothing)."""
    return part * 100 // whole if whole > 0 else 0


@dataclass(frozen=True)
class DayRow:
    """A recording day: the music planned and the music recorded (circled) on it."""

    day: date
    sessions: tuple[str, ...]
    planned_frames: int
    recorded_frames: int

    @property
    def percent(self) -> int:
        return percent(self.recorded_frames, self.planned_frames)


@dataclass(frozen=True)
class CueSheet:
    cues: tuple[SheetCue, ...]
    days: tuple[DayRow, ...] = field(default=())

    @property
    def planned_frames(self) -> int:
        return sum(d.planned_frames for d in self.days)

    @property
    def recorded_frames(self) -> int:
        return sum(d.recorded_frames for d in self.days)


# -- numbers and bars -----------------------------------------------------------------


def next_take_number(numbering: str, cue_numbers: Iterable[int],
                     project_numbers: Iterable[int]) -> int:
    """The next take number: one past the cue's highest ("cue" numbering) or one past the
    project's highest ("project": one count across the project)."""
    if numbering not in TAKE_NUMBERING:
        raise InputError("unknown take numbering", field="take numbering", value=numbering,
                         valid=", ".join(TAKE_NUMBERING))
    used = list(cue_numbers if numbering == "cue" else project_numbers)
    return max(used, default=0) + 1


def parse_bars(text: str | None, *, field: str = "bars") -> tuple[int | None, int | None]:
    """'12-20' -> (12, 20); '12' -> (12, 12); '' or None -> (None, None)."""
    if text is None or not str(text).strip():
        return None, None
    found = _BARS.match(str(text))
    if not found:
        raise InputError("not a bar range", field=field, value=str(text),
                         valid="FIRST-LAST, e.g. 12-20, or one bar, e.g. 12")
    first = int(found.group(1))
    last = int(found.group(2)) if found.group(2) else first
    if first < 1 or last < first:
        raise ValidationError("bars out of order", field=field, value=str(text),
                              valid="a first bar of 1 or more and a last bar not before it")
    return first, last


def bars_label(bar_from: int | None, bar_to: int | None) -> str:
    if bar_from is None:
        return ""
    return str(bar_from) if bar_to in (None, bar_from) else f"{bar_from}-{bar_to}"


def check_bars(cue: CueState, bar_from: int | None, bar_to: int | None) -> None:
    """Refuse bars outside the cue (when its bar count is known)."""
    if bar_from is None or cue.bar_count is None:
        return
    last = bar_to if bar_to is not None else bar_from
    if bar_from > cue.bar_count or last > cue.bar_count:
        raise ValidationError(f"cue {cue.number} has {cue.bar_count} bars", field="bars",
                              value=bars_label(bar_from, last),
                              valid=f"bars within 1-{cue.bar_count}")


def check_kind(kind: str) -> str:
    if kind not in TAKE_TYPES:
        raise InputError("unknown take type", field="kind", value=kind,
                         valid=", ".join(TAKE_TYPES))
    return kind


# -- status and staleness ---------------------------------------------------------------


def _version_reason(what: str, played: int | None, current: int | None) -> str:
    if current is None or played == current:
        return ""
    if played is None:
        return f"played before {what} v{current}"
    if played < current:
        return f"played from {what} v{played}; the cue is at v{current}"
    return ""


def staleness(take: TakeSpec, cue: CueState) -> str:
    """Why a take is out of date ("" when it is not)."""
    flag = take.flagged.strip()  # set when the parts were revised (recording.revisions)
    # a reason the flag already gives is not said twice
    reasons = [_version_reason("orchestration", take.orchestration_number,
                               cue.orchestration_number) if "(orchestration v" not in flag
               else "",
               _version_reason("music version", take.music_version, cue.music_version)
               if "(music v" not in flag else "",
               _version_reason("tempo map", take.tempo_map_version, cue.tempo_map_version),
               flag]
    return "; ".join(r for r in reasons if r)


def take_status(take: TakeSpec) -> str:
    """circled; no good (a false start or breakdown); kept (anything else not circled)."""
    if take.circled:
        return "circled"
    return "no good" if take.kind in NO_GOOD else "kept"


# -- coverage -------------------------------------------------------------------------


def _ranges(bars: Iterable[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for bar in sorted(set(bars)):
        if out and bar == out[-1][1] + 1:
            out[-1][1] = bar
        else:
            out.append([bar, bar])
    return [(a, b) for a, b in out]


def _covered(cue: CueState, takes: Iterable[TakeSpec]) -> tuple[set[int], bool]:
    """Bars covered by these takes (known bar count), and whether the whole cue is."""
    bars: set[int] = set()
    whole = False
    for take in takes:
        if take.bar_from is None:
            if take.kind == "complete":
                whole = True
                bars.update(range(1, (cue.bar_count or 0) + 1))
        else:
            last = take.bar_to if take.bar_to is not None else take.bar_from
            bars.update(range(take.bar_from, last + 1))
    if cue.bar_count:
        whole = whole or bars >= set(range(1, cue.bar_count + 1))
    return bars, whole


def still_to_record(cue: CueState, takes: Iterable[TakeSpec],
                    pickups: Iterable[PickupSpec] = ()) -> tuple[str, ...]:
    """What of the cue is still to record, one line each (empty: the cue is done)."""
    takes = list(takes)
    good = [t for t in takes if t.circled and t.kind in COVERING and not staleness(t, cue)]
    bars, whole = _covered(cue, good)
    out: list[str] = []
    if cue.bar_count:
        missing = _ranges(set(range(1, cue.bar_count + 1)) - bars)
        if len(missing) == 1 and missing[0] == (1, cue.bar_count):
            out.append(f"the whole cue (bars 1-{cue.bar_count})")
        elif missing:
            out.append("bars " + ", ".join(bars_label(a, b) for a, b in missing))
    elif not whole:
        out.append("the whole cue")
    stale = [t.number for t in takes if t.circled and staleness(t, cue)]
    if out and stale:
        out[-1] += (" (circled take" + ("s " if len(stale) > 1 else " ")
                    + ", ".join(map(str, stale)) + " out of date)")
    for pickup in pickups:
        if pickup.status != "recorded":
            out.append(pickup.label + ("" if pickup.status == "open" else f", {pickup.status}"))
    return tuple(out)


def covered_frames(cue: CueState, takes: Iterable[TakeSpec]) -> int:
    """The music these circled takes cover, in frames, each bar once."""
    takes = [t for t in takes if t.circled and t.kind in COVERING]
    if not takes:
        return 0
    if any(t.bar_from is None and t.kind == "complete" for t in takes):
        return cue.length_frames
    if not cue.bar_count or len(cue.bar_frames) != cue.bar_count + 1:
        return 0
    bars, _ = _covered(cue, takes)
    return sum(cue.bar_frames[b] - cue.bar_frames[b - 1] for b in bars
               if 1 <= b <= cue.bar_count)


def pickup_for(take_bars: tuple[int | None, int | None],
               pickups: Iterable[PickupSpec]) -> PickupSpec | None:
    """The not-yet-recorded pickup a pickup take belongs to: the first whose bars overlap
    the take's (or any, when either has no bars)."""
    first, last = take_bars
    open_ = [p for p in pickups if p.status != "recorded"]
    for pickup in open_:
        if first is None or pickup.bar_from is None:
            return pickup
        p_last = pickup.bar_to if pickup.bar_to is not None else pickup.bar_from
        t_last = last if last is not None else first
        if first <= p_last and pickup.bar_from <= t_last:
            return pickup
    return None


# -- the sheet ------------------------------------------------------------------------


def cue_sheet(cues: Iterable[CueState], takes: Iterable[TakeSpec],
              pickups: Iterable[PickupSpec] = (), plan: Iterable[PlanItem] = ()) -> CueSheet:
    """The music editor's cue sheet, in the order ``cues`` are given."""
    cues = list(cues)
    takes = list(takes)
    pickups = list(pickups)
    by_cue: dict[str, list[TakeSpec]] = {}
    for take in takes:
        by_cue.setdefault(take.cue, []).append(take)
    rows = []
    for cue in cues:
        mine = sorted(by_cue.get(cue.number, []), key=lambda t: t.number)
        rows.append(SheetCue(
            cue, tuple(SheetTake(t, take_status(t), staleness(t, cue)) for t in mine),
            tuple(t.number for t in mine if t.circled),
            still_to_record(cue, mine, [p for p in pickups if p.cue == cue.number])))
    state = {c.number: c for c in cues}
    days: dict[date, dict] = {}
    for item in plan:
        row = days.setdefault(item.day, {"sessions": [], "planned": 0, "takes": {}})
        if item.session not in row["sessions"]:
            row["sessions"].append(item.session)
        row["planned"] += item.duration_frames
    for take in takes:
        if take.day is None or not take.circled or take.cue not in state:
            continue
        row = days.setdefault(take.day, {"sessions": [], "planned": 0, "takes": {}})
        if take.session and take.session not in row["sessions"]:
            row["sessions"].append(take.session)
        row["takes"].setdefault(take.cue, []).append(take)
    day_rows = tuple(
        DayRow(day, tuple(row["sessions"]), row["planned"],
               sum(covered_frames(state[c], ts) for c, ts in row["takes"].items()))
        for day, row in sorted(days.items()))
    return CueSheet(tuple(rows), day_rows)
