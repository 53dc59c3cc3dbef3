"""The session plan and pickups in the project (thin service functions): read the cues,
their latest orchestrations (chairs) and tempo maps (bars), call the pure planner
(``recording.plan``), and write the plan into ``plan_entries`` in one transaction; read it
back as plain values for the stage pack, the bookings and the cue sheet."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import delete, func, select

from filmscore.errors import FilmscoreWarning, InputError, NotFoundError, ValidationError
from filmscore.model import Cue, Pickup, PlanEntry, RecordingSession
from filmscore.model import Orchestration as OrchestrationRow
from filmscore.orchestration.ensembles import (
    CueInstrumentation,
    ensemble_from_dict,
    full_instrumentation,
    get_template,
)
from filmscore.recording.plan import (
    DEFAULT_MINUTES_PER_DAY,
    DEFAULT_SESSION_TIMES,
    DEFAULT_SPLIT_OVER_S,
    GROUP_SESSION_KIND,
    ChairCall,
    Plan,
    PlanCue,
    PlanRules,
    PlanSlot,
    apart_groups,
    cue_difficulty,
    greedy_plan,
    plan_items,
    plan_sessions,
)
from filmscore.recording.sessions import SessionSpec, check_session, session_spec, zone
from filmscore.spotting.service import spec_of
from filmscore.store import transaction
from filmscore.sync.service import cue_row
from filmscore.sync.tempomap import TempoMap


@dataclass(frozen=True)
class PlannedEntry:
    """One entry of the plan as read back: what the stage pack and the cue sheet need."""

    position: int
    cue: str
    title: str
    part: str
    bar_from: int | None
    bar_to: int | None
    duration_frames: int
    group: str
    difficulty: int
    chairs: tuple[ChairCall, ...]
    pickup_id: int | None = None

    @property
    def players(self) -> int:
        return sum(c.players for c in self.chairs)


@dataclass(frozen=True)
class PlannedSession:
    """A session with its plan: entries in recording order and the chairs called (the
    union of its entries' chairs, most players each), paid player-hours."""

    session: SessionSpec
    entries: tuple[PlannedEntry, ...]
    chairs: tuple[ChairCall, ...]

    @property
    def players(self) -> int:
        return sum(c.players for c in self.chairs)

    @property
    def player_hours(self) -> float:
        return self.session.minutes / 60 * self.players

    @property
    def duration_frames(self) -> int:
        return sum(e.duration_frames for e in self.entries)


@dataclass(frozen=True)
class PickupInfo:
    id: int
    cue: str
    bar_from: int | None
    bar_to: int | None
    reason: str
    status: str
    author: str


@dataclass(frozen=True)
class PlanReport:
    """What ``make_plan`` did: the plan and the sessions it created."""

    plan: Plan
    created: tuple[str, ...]
    cue_count: int


# --- reading the project ----------------------------------------------------------------


def _latest_orchestration(session, cue_id: int) -> OrchestrationRow | None:
    return session.scalars(select(OrchestrationRow).where(OrchestrationRow.cue_id == cue_id)
                           .order_by(OrchestrationRow.number.desc())).first()


def _chairs(session, row: Cue) -> tuple[tuple[ChairCall, ...], bool]:
    """The chairs the cue's latest orchestration uses (with players and section), and
    whether it has one (without: the full studio orchestra)."""
    orch = _latest_orchestration(session, row.id)
    if orch is None:
        ensemble = get_template("studio")
        inst = full_instrumentation(ensemble)
    else:
        ensemble = ensemble_from_dict(orch.ensemble)
        inst = CueInstrumentation.from_dict(orch.instrumentation)
    out = []
    for use in inst.uses:
        chair = ensemble.chair(use.chair)
        out.append(ChairCall(chair.label, use.players or chair.players, chair.section))
    return tuple(out), orch is not None


def _bars(tmap: TempoMap | None, row: Cue) -> tuple[tuple[tuple[int, int], ...], int | None]:
    """(bar, frame from the cue's first frame) of each bar line inside the cue."""
    if tmap is None:
        return (), None
    length = row.end_frame - row.start_frame
    out = []
    for bar in tmap.bars():
        frame = tmap.frame_at(bar.seconds) - row.start_frame
        if 0 <= frame < length:
            out.append((bar.number, frame))
    return tuple(out), tmap.bar_count


def _tempo_changes(tmap: TempoMap | None) -> tuple[int, int]:
    if tmap is None:
        return 0, 0
    changes, odd = 0, 0
    for a, b in zip(tmap.segments, tmap.segments[1:], strict=False):
        if a.meter != b.meter or a.tempo_at(a.beats) != b.tempo_bpm or b.is_free:
            changes += 1
    odd = sum(1 for s in tmap.segments if s.is_free or s.is_ramp)
    return changes, odd


def _plan_cue(session, row: Cue, order: int, rate_fps, overrides: dict[str, int],
              missing: list[str]) -> PlanCue:
    chairs, orchestrated = _chairs(session, row)
    if not orchestrated:
        missing.append(row.number)
    tmap = TempoMap.from_dict(row.tempo_map.data) if row.tempo_map is not None else None
    bars, count = _bars(tmap, row)
    length = row.end_frame - row.start_frame
    changes, odd = _tempo_changes(tmap)
    difficulty = overrides.get(row.number) or cue_difficulty(
        seconds=length / rate_fps, hard_hits=sum(1 for s in row.sync_points
                                                 if s.kind == "hard"),
        tempo_changes=changes, players=sum(c.players for c in chairs), free_or_ramps=odd)
    return PlanCue(row.number, length, rate_fps, chairs, difficulty, order, bars, count)


def _score_cues(session, project_id: int) -> list[Cue]:
    """The cues recorded on the stage: every score cue, and the source cues written for
    the orchestra (those with an orchestration; licensed source music is not recorded)."""
    return recorded_cues(session, project_id)


def recorded_cues(session, project_id: int) -> list[Cue]:
    """The cues the stage records, in film order: score cues, and source cues that have an
    orchestration (the take log's cue sheet lists the same ones)."""
    rows = session.scalars(select(Cue).where(Cue.project_id == project_id)
                           .order_by(Cue.start_frame, Cue.number)).all()
    orchestrated = set(session.scalars(select(OrchestrationRow.cue_id).where(
        OrchestrationRow.cue_id.in_([r.id for r in rows]))).all())
    return [r for r in rows if not spec_of(r).is_source or r.id in orchestrated]


def parse_difficulties(text: str | None) -> dict[str, int]:
    """'1M1=5,2M3=2' -> {'1M1': 5, '2M3': 2} (cue numbers as the user typed them)."""
    out: dict[str, int] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        cue, _, value = part.partition("=")
        try:
            level = int(value)
        except ValueError:
            level = 0
        if not cue.strip() or not 1 <= level <= 5:
            raise InputError("not a cue's difficulty", field="difficulty", value=part.strip(),
                             valid="CUE=1..5, e.g. 1M1=5,2M3=2")
        out[cue.strip()] = level
    return out


def parse_days(text: str) -> list[date]:
    """'2027-03-01,2027-03-03' -> the dates, in order, each once."""
    days = []
    for part in str(text).split(","):
        if not part.strip():
            continue
        try:
            days.append(date.fromisoformat(part.strip()))
        except ValueError:
            raise InputError("not a date", field="days", value=part.strip(),
                             valid="ISO dates separated by commas, e.g. 2027-03-01,2027-03-03"
                             ) from None
    if not days:
        raise InputError("no dates given", field="days", value=str(text),
                         valid="ISO dates separated by commas, e.g. 2027-03-01,2027-03-03")
    return sorted(set(days))


def session_times(sessions_per_day: int) -> tuple[tuple[str, str], ...]:
    """The day's session times: 10:00-13:00, 14:00-17:00, then 18:00-21:00 (union
    sessions of three hours, an hour apart)."""
    if not 1 <= sessions_per_day <= 3:
        raise InputError("sessions a day out of range", field="sessions-per-day",
                         value=sessions_per_day, valid="1, 2 or 3")
    return (*DEFAULT_SESSION_TIMES, ("18:00", "21:00"))[:sessions_per_day]


def _slots_for(session, pctx, days: Sequence[date], times, *, kind: str | None, tz,
               stage: str) -> tuple[list[PlanSlot], list[RecordingSession], list[str]]:
    """The sessions for ``days`` (existing ones reused by name, new ones added after the
    overlap check), as planner slots."""
    rows = session.scalars(select(RecordingSession).where(
        RecordingSession.project_id == pctx.project_id)).all()
    by_name = {r.name: r for r in rows}
    others = [session_spec(r) for r in rows]
    slots, used, created = [], [], []
    where = zone(tz)
    for day in days:
        for start, end in times:
            name = f"{day.isoformat()} {start}" + (" pickups" if kind == "pickup" else "")
            row = by_name.get(name)
            if row is None:
                t0 = datetime.fromisoformat(f"{day.isoformat()} {start}").replace(tzinfo=where)
                t1 = datetime.fromisoformat(f"{day.isoformat()} {end}").replace(tzinfo=where)
                spec = SessionSpec(name, t0, t1, kind or "orchestra", stage,
                                   "planned by filmscore plan", tz=tz or "")
                check_session(spec, others)
                row = RecordingSession(project_id=pctx.project_id, name=name, kind=spec.kind,
                                       starts_at=t0, ends_at=t1, stage=stage,
                                       notes=spec.notes, tz=spec.tz)
                session.add(row)
                others.append(spec)
                created.append(name)
            elif kind == "pickup" and row.kind != "pickup":
                raise ValidationError(f"session {name!r} is a {row.kind} session",
                                      field="days", value=day.isoformat(),
                                      valid="dates without other sessions for pickups")
            minutes = int((row.ends_at - row.starts_at).total_seconds() // 60)
            slots.append(PlanSlot(name, day, minutes))
            used.append(row)
    return slots, used, created


def _write(session, plan: Plan, rows: Sequence[RecordingSession], cue_ids: dict[str, int],
           *, pickups: bool, created: Sequence[str] = ()) -> list[str]:
    """Write the plan into its sessions; a session made for this plan that holds nothing
    is not kept (the stage is not booked for nothing).  Returns the sessions kept of
    ``created``."""
    session.flush()
    ids = [r.id for r in rows]
    session.execute(delete(PlanEntry).where(PlanEntry.session_id.in_(ids)))
    for row, planned in zip(rows, plan.sessions, strict=True):
        if not pickups and row.kind != GROUP_SESSION_KIND[planned.group] and planned.items:
            row.kind = GROUP_SESSION_KIND[planned.group]
        for pos, item in enumerate(planned.items, start=1):
            session.add(PlanEntry(
                session_id=row.id, position=pos, cue_id=cue_ids[item.cue], part=item.part,
                bar_from=item.bar_from, bar_to=item.bar_to,
                duration_frames=item.duration_frames, group=item.group,
                difficulty=item.difficulty, chairs=[c.chair for c in item.chairs],
                pickup_id=item.pickup_id))
    empty = {row.name for row, planned in zip(rows, plan.sessions, strict=True)
             if not planned.items and row.name in created}
    for row in rows:
        if row.name in empty:
            session.delete(row)
    return [name for name in created if name not in empty]


# --- the plan -----------------------------------------------------------------------------


def make_plan(pctx, days: Sequence[date], *, minutes_per_day: int = DEFAULT_MINUTES_PER_DAY,
              sessions_per_day: int = 2, apart: Sequence[str] = (),
              split_over_s: int | None = DEFAULT_SPLIT_OVER_S, greedy: bool = False,
              time_limit_s: float = 10.0, workers: int = 1,
              difficulty: dict[str, int] | None = None, tz: str | None = None,
              stage: str = "") -> PlanReport:
    """Plan every score cue into sessions on ``days`` (two 3-hour sessions a day by
    default; sessions named '2027-03-01 10:00' are made when missing, overlaps refused)
    and store it, replacing those sessions' previous plan, all in one transaction.
    Cues without an orchestration are planned for the full studio orchestra (a warning
    names them)."""
    rules = PlanRules(minutes_per_day, apart_groups(apart), split_over_s, time_limit_s,
                      workers)
    times = session_times(sessions_per_day)
    with transaction(pctx.engine) as session:
        rows = _score_cues(session, pctx.project_id)
        if not rows:
            raise NotFoundError("no score cues to plan (add some with 'filmscore cue add')")
        overrides = {}
        for number, level in (difficulty or {}).items():
            overrides[cue_row(session, pctx.project_id, number).number] = level
        missing: list[str] = []
        cues = [_plan_cue(session, r, k, pctx.rate.fps, overrides, missing)
                for k, r in enumerate(rows)]
        items = plan_items(cues, rules)
        slots, used, created = _slots_for(session, pctx, days, times, kind=None, tz=tz,
                                          stage=stage)
        plan = (greedy_plan if greedy else plan_sessions)(items, slots, rules)
        created = _write(session, plan, used, {r.number: r.id for r in rows}, pickups=False,
                         created=created)
        elsewhere = session.scalars(
            select(RecordingSession.name).join(PlanEntry,
                                               PlanEntry.session_id == RecordingSession.id)
            .where(RecordingSession.project_id == pctx.project_id,
                   RecordingSession.id.not_in([r.id for r in used]),
                   PlanEntry.pickup_id.is_(None))
            .distinct().order_by(RecordingSession.name)).all()
    if elsewhere:
        warnings.warn(FilmscoreWarning(
            f"sessions {', '.join(elsewhere)} still hold an earlier plan of these cues (remove "
            "them with 'filmscore session remove NAME', or plan those dates again)"),
            stacklevel=2)
    if missing:
        warnings.warn(FilmscoreWarning(
            f"{len(missing)} cues have no orchestration and are planned for the full studio "
            f"orchestra: {', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}"),
            stacklevel=2)
    return PlanReport(plan, tuple(created), len(cues))


def session_plan(pctx, *, only: Sequence[str] | None = None) -> list[PlannedSession]:
    """Every session that has a plan (or those named in ``only``), in time order, with its
    entries in recording order, their cues, bars, durations, chairs (players from the cue's
    latest orchestration), group and difficulty."""
    with transaction(pctx.engine) as session:
        query = select(RecordingSession).where(RecordingSession.project_id == pctx.project_id)
        if only:
            query = query.where(RecordingSession.name.in_(list(only)))
        rows = session.scalars(query.order_by(RecordingSession.starts_at,
                                              RecordingSession.name)).all()
        chairs_of: dict[int, dict[str, ChairCall]] = {}
        out = []
        for row in rows:
            entries = session.scalars(select(PlanEntry).where(PlanEntry.session_id == row.id)
                                      .order_by(PlanEntry.position)).all()
            if not entries and not only:
                continue
            planned = []
            for e in entries:
                cue = session.get(Cue, e.cue_id)
                if e.cue_id not in chairs_of:
                    chairs_of[e.cue_id] = {c.chair: c for c in _chairs(session, cue)[0]}
                known = chairs_of[e.cue_id]
                chairs = tuple(known.get(label, ChairCall(label)) for label in e.chairs)
                planned.append(PlannedEntry(e.position, cue.number, cue.title, e.part,
                                            e.bar_from, e.bar_to, e.duration_frames, e.group,
                                            e.difficulty, chairs, e.pickup_id))
            called: dict[str, ChairCall] = {}
            for entry in planned:
                for c in entry.chairs:
                    if c.chair not in called or c.players > called[c.chair].players:
                        called[c.chair] = c
            out.append(PlannedSession(session_spec(row), tuple(planned), tuple(called.values())))
        return out


# --- pickups ------------------------------------------------------------------------------


def _info(row: Pickup, number: str) -> PickupInfo:
    return PickupInfo(row.id, number, row.bar_from, row.bar_to, row.reason, row.status,
                      row.author)


def parse_bars(text: str | None) -> tuple[int | None, int | None]:
    """'12-20' -> (12, 20); '12' -> (12, 12); None or '' -> (None, None): the whole cue."""
    if text is None or not str(text).strip():
        return None, None
    first, sep, last = str(text).strip().partition("-")
    try:
        a = int(first)
        b = int(last) if sep else a
    except ValueError:
        raise InputError("not a bar range", field="bars", value=str(text),
                         valid="FIRST-LAST bar numbers, e.g. 12-20") from None
    if a < 1 or b < a:
        raise InputError("not a bar range", field="bars", value=str(text),
                         valid="FIRST-LAST with 1 <= FIRST <= LAST, e.g. 12-20")
    return a, b


def add_pickup(pctx, cue: str, bar_from: int | None, bar_to: int | None, reason: str = "",
               author: str = "") -> PickupInfo:
    """Mark bars of a cue (None, None: the whole cue) for a pickup session; the bars must
    lie inside the cue's tempo map."""
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, cue)
        if bar_from is not None:
            if row.tempo_map is None:
                raise ValidationError(f"cue {row.number} has no tempo map, so it has no bars",
                                      field="bars", value=f"{bar_from}-{bar_to}",
                                      valid="no --bars (the whole cue), or a tempo map first")
            count = TempoMap.from_dict(row.tempo_map.data).bar_count
            if not 1 <= bar_from <= (bar_to or bar_from) <= count:
                raise ValidationError(f"bars outside cue {row.number}", field="bars",
                                      value=f"{bar_from}-{bar_to}",
                                      valid=f"bars 1 to {count}")
        pickup = Pickup(cue_id=row.id, bar_from=bar_from, bar_to=bar_to, reason=reason,
                        status="open", author=author)
        session.add(pickup)
        session.flush()
        return _info(pickup, row.number)


def list_pickups(pctx) -> list[PickupInfo]:
    """Every pickup of the project, in film order of their cues."""
    with transaction(pctx.engine) as session:
        rows = session.execute(select(Pickup, Cue.number).join(Cue, Pickup.cue_id == Cue.id)
                               .where(Cue.project_id == pctx.project_id)
                               .order_by(Cue.start_frame, Pickup.id)).all()
        return [_info(p, n) for p, n in rows]


def _pickup_cue(session, pickup: Pickup, cue: Cue, order: int, rate_fps) -> PlanCue:
    base = _plan_cue(session, cue, order, rate_fps, {}, [])
    if pickup.bar_from is None:
        return replace(base, pickup_id=pickup.id, bars=())
    starts = dict(base.bars)
    first = starts.get(pickup.bar_from, 0)
    after = starts.get((pickup.bar_to or pickup.bar_from) + 1, base.duration_frames)
    return replace(base, duration_frames=max(1, after - first), pickup_id=pickup.id,
                   bars=(), bar_from=pickup.bar_from, bar_to=pickup.bar_to)


def plan_pickups(pctx, days: Sequence[date], *, minutes_per_day: int = DEFAULT_MINUTES_PER_DAY,
                 sessions_per_day: int = 1, time_limit_s: float = 10.0, workers: int = 1,
                 tz: str | None = None, stage: str = "") -> PlanReport:
    """Plan the open pickups into pickup sessions on ``days`` (one 3-hour session a day
    by default, named '2027-04-02 10:00 pickups'); their status becomes 'planned'."""
    rules = PlanRules(minutes_per_day, (), None, time_limit_s, workers)
    times = session_times(sessions_per_day)
    with transaction(pctx.engine) as session:
        rows = session.execute(select(Pickup, Cue).join(Cue, Pickup.cue_id == Cue.id).where(
            Cue.project_id == pctx.project_id, Pickup.status == "open")
            .order_by(Cue.start_frame, Pickup.id)).all()
        if not rows:
            total = session.scalar(select(func.count(Pickup.id)).join(
                Cue, Pickup.cue_id == Cue.id).where(Cue.project_id == pctx.project_id))
            raise NotFoundError(f"no open pickups to plan ({total} in all); mark one with "
                                "'filmscore plan pickup add CUE --bars 12-20'")
        cues = [_pickup_cue(session, p, c, k, pctx.rate.fps)
                for k, (p, c) in enumerate(rows)]
        items = plan_items(cues, rules)
        slots, used, created = _slots_for(session, pctx, days, times, kind="pickup", tz=tz,
                                          stage=stage)
        plan = plan_sessions(items, slots, rules)
        created = _write(session, plan, used, {c.number: c.id for _, c in rows},
                         pickups=True, created=created)
        for pickup, _ in rows:
            pickup.status = "planned"
    return PlanReport(plan, tuple(created), len(cues))

