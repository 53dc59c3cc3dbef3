"""Players' time per cue (thin services): derived from the session plan or logged by hand
(overdubs included), and what it feeds: the call list and the costs per session, per cue
and for the score.

From the plan, every booked player whose chair a plan entry calls gets that entry's
minutes on its cue (the finished music it records, rounded up to whole minutes), on the
instruments the cue's orchestration gives the chair (its doubles included; without an
orchestration, those the player is booked for); a section chair the orchestration uses
with fewer players calls only the first seats; an entry of the 'percussion overdub' group
is logged as an overdub.  Deriving again replaces what was derived, never a manual entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from filmscore.errors import InputError, NotFoundError
from filmscore.model import Booking, Cue, Musician, PlanEntry, PlayerCueTime, RecordingSession
from filmscore.musicians.booking import cue_uses, find_chair, project_ensemble
from filmscore.musicians.calls import CallList, CallRow, call_list
from filmscore.musicians.costs import (
    BookedPlayer,
    ScoreCost,
    SessionCall,
    allocate,
    score_cost,
)
from filmscore.musicians.roster import check_plays, instrument_keys
from filmscore.orchestration.ensembles import _norm
from filmscore.recording.sessions import local_time, session_row
from filmscore.store import transaction
from filmscore.sync.service import cue_row

FROM_PLAN = "from the plan"
OVERDUB_GROUPS = ("percussion overdub",)


@dataclass(frozen=True)
class TimeEntry:
    session: str
    musician: str
    chair: str
    cue: str
    minutes: int
    instruments: tuple[str, ...]
    overdub: bool = False
    notes: str = ""


def entry_minutes(duration_frames: int, fps) -> int:
    """Whole minutes (rounded up, at least 1) of ``duration_frames`` at ``fps``."""
    return max(1, math.ceil(duration_frames / fps / 60))


def log_time_from_plan(pctx, session_name: str) -> list[TimeEntry]:
    """Log every booked player's time per cue from the session's plan entries."""
    fps = pctx.rate.fps
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        ensemble = project_ensemble(session, pctx.project_id)
        uses = cue_uses(session, pctx.project_id)
        entries = session.scalars(select(PlanEntry).where(PlanEntry.session_id == target.id)
                                  .order_by(PlanEntry.position)).all()
        bookings = session.scalars(select(Booking).where(Booking.session_id == target.id,
                                                         Booking.chair != "")).all()
        derived: dict[tuple[int, int, bool], tuple[int, list[str]]] = {}
        for entry in entries:
            called = {_norm(find_chair(ensemble, c).label) for c in entry.chairs or ()}
            use = uses.get(entry.cue_id)
            overdub = entry.group in OVERDUB_GROUPS
            for booking in bookings:
                if _norm(booking.chair) not in called:
                    continue
                item = use.use(booking.chair) if use is not None else None
                if item is not None and item.players is not None and booking.seat > item.players:
                    continue
                played = ([k for k in instrument_keys(item.instruments)
                           if k in (booking.instruments or ())] if item is not None else [])
                played = played or list(booking.instruments or ())
                key = (booking.id, entry.cue_id, overdub)
                minutes, insts = derived.get(key, (0, []))
                derived[key] = (minutes + entry_minutes(entry.duration_frames, fps),
                                insts + [k for k in played if k not in insts])
        ids = [b.id for b in bookings]
        old = session.scalars(select(PlayerCueTime).where(
            PlayerCueTime.booking_id.in_(ids))).all() if ids else []
        existing = {(t.booking_id, t.cue_id, t.overdub): t for t in old}
        for key, row in existing.items():
            if row.notes == FROM_PLAN and key not in derived:
                session.delete(row)
        for (booking_id, cue_id, overdub), (minutes, insts) in derived.items():
            row = existing.get((booking_id, cue_id, overdub))
            if row is None:
                session.add(PlayerCueTime(booking_id=booking_id, cue_id=cue_id,
                                          minutes=minutes, instruments=insts,
                                          overdub=overdub, notes=FROM_PLAN))
            elif row.notes == FROM_PLAN:
                row.minutes, row.instruments = minutes, insts
        session.flush()
    return list_time(pctx, session_name)


def log_time(pctx, session_name: str, musician_name: str, cue: str, minutes: int, *,
             instruments: list[str] | tuple[str, ...] = (), overdub: bool = False,
             notes: str = "") -> TimeEntry:
    """Log (or correct) a player's minutes on a cue in a session by hand, on
    ``instruments`` (default: those booked; each must be one the booking plays)."""
    from filmscore.musicians.service import musician_row

    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        raise InputError("not a whole number of minutes", field="minutes", value=minutes,
                         valid="an integer >= 0")
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        musician = musician_row(session, pctx.project_id, musician_name)
        booking = session.scalars(select(Booking).where(
            Booking.session_id == target.id, Booking.musician_id == musician.id)).first()
        if booking is None:
            raise NotFoundError(f"musician {musician.name!r} is not booked in session "
                                f"{target.name!r}; book them first ('filmscore book add')")
        cue_id = cue_row(session, pctx.project_id, cue).id
        from filmscore.musicians.roster import MusicianSpec

        booked = MusicianSpec(musician.name, tuple(booking.instruments or ()))
        insts = (check_plays(booked, instruments) if instruments
                 else tuple(booking.instruments or ()))
        row = session.scalars(select(PlayerCueTime).where(
            PlayerCueTime.booking_id == booking.id, PlayerCueTime.cue_id == cue_id,
            PlayerCueTime.overdub == overdub)).first()
        if row is None:
            row = PlayerCueTime(booking_id=booking.id, cue_id=cue_id, overdub=overdub)
            session.add(row)
        row.minutes, row.instruments, row.notes = minutes, list(insts), notes or "logged"
        session.flush()
    return next(t for t in list_time(pctx, session_name)
                if t.musician == musician.name and t.overdub == overdub
                and t.cue == str(cue_row_number(pctx, cue)))


def cue_row_number(pctx, cue: str) -> str:
    with transaction(pctx.engine) as session:
        return cue_row(session, pctx.project_id, cue).number


def list_time(pctx, session_name: str | None = None) -> list[TimeEntry]:
    """Logged time (one session, or all) by session time, cue, chair order and seat."""
    with transaction(pctx.engine) as session:
        order = {_norm(label): i for i, label in
                 enumerate(project_ensemble(session, pctx.project_id).labels)}
        query = (select(PlayerCueTime, Booking, Musician.name, Cue.number,
                        RecordingSession.name, RecordingSession.starts_at)
                 .join(Booking, Booking.id == PlayerCueTime.booking_id)
                 .join(Musician, Musician.id == Booking.musician_id)
                 .join(Cue, Cue.id == PlayerCueTime.cue_id)
                 .join(RecordingSession, RecordingSession.id == Booking.session_id)
                 .where(RecordingSession.project_id == pctx.project_id))
        if session_name is not None:
            target = session_row(session, pctx.project_id, session_name)
            query = query.where(RecordingSession.id == target.id)
        rows = session.execute(query).all()
        out = [(starts, number, order.get(_norm(b.chair), len(order)), b.seat,
                TimeEntry(sname, name, b.chair, number, t.minutes, tuple(t.instruments or ()),
                          t.overdub, t.notes))
               for t, b, name, number, sname, starts in rows]
    out.sort(key=lambda r: r[:4])
    return [r[-1] for r in out]


# --- the call list and the costs ----------------------------------------------------------


def session_call_list(pctx, session_name: str) -> CallList:
    """The call list of a session (plain values for the CLI, the PDF and the CSV)."""
    from filmscore.musicians.service import project_ratecard

    card = project_ratecard(pctx)
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        ensemble = project_ensemble(session, pctx.project_id)
        rows = session.execute(select(Booking, Musician).join(
            Musician, Musician.id == Booking.musician_id).where(
            Booking.session_id == target.id)).all()
        cues: dict[int, list[str]] = {}
        for booking_id, number in session.execute(
                select(PlayerCueTime.booking_id, Cue.number)
                .join(Cue, Cue.id == PlayerCueTime.cue_id)
                .join(Booking, Booking.id == PlayerCueTime.booking_id)
                .where(Booking.session_id == target.id)
                .order_by(Cue.start_frame, Cue.number)).all():
            if number not in cues.setdefault(booking_id, []):
                cues[booking_id].append(number)
        calls = [CallRow(m.name, b.chair, b.seat, (b.instruments or [""])[0] if b.instruments
                         else "", tuple((b.instruments or [])[1:]), b.role, m.union, m.contact,
                         tuple(cues.get(b.id, ()))) for b, m in rows]
        return call_list(session=target.name, kind=target.kind, starts_at=target.starts_at,
                         ends_at=target.ends_at, stage=target.stage, rows=calls,
                         chair_order=ensemble.labels,
                         orchestra_manager_from=card.orchestra_manager_from,
                         notes=target.notes, tz=target.tz)


def _played(booking: Booking, times: list[PlayerCueTime]) -> tuple[str, ...]:
    """What the player played in the session: the chair's instrument, then the other
    instruments of the time logged (the booked ones when nothing is logged)."""
    booked = list(booking.instruments or ())
    if not booked or not times:
        return tuple(booked)
    used = [k for t in times for k in (t.instruments or ())]
    return tuple([booked[0]] + [k for k in dict.fromkeys(used) if k != booked[0]])


def session_calls(pctx, session_name: str | None = None) -> list[SessionCall]:
    """The sessions (one, or all) with their bookings as the costs see them."""
    with transaction(pctx.engine) as session:
        ensemble = project_ensemble(session, pctx.project_id)
        query = select(RecordingSession).where(
            RecordingSession.project_id == pctx.project_id).order_by(
            RecordingSession.starts_at)
        targets = ([session_row(session, pctx.project_id, session_name)]
                   if session_name is not None else session.scalars(query).all())
        out = []
        for target in targets:
            rows = session.execute(select(Booking, Musician.name).join(
                Musician, Musician.id == Booking.musician_id).where(
                Booking.session_id == target.id)).all()
            players = []
            for booking, name in rows:
                times = session.execute(select(PlayerCueTime, Cue.number).join(
                    Cue, Cue.id == PlayerCueTime.cue_id).where(
                    PlayerCueTime.booking_id == booking.id)).all()
                minutes: dict[str, int] = {}
                for t, number in times:
                    minutes[number] = minutes.get(number, 0) + t.minutes
                chair = (ensemble.chair(booking.chair) if booking.chair
                         and ensemble.has_chair(booking.chair) else None)
                principal = chair is not None and chair.number == 1 and booking.seat == 1
                players.append(BookedPlayer(name, booking.chair,
                                            _played(booking, [t for t, _n in times]),
                                            booking.role, booking.seat, principal, minutes))
            order = {_norm(label): i for i, label in enumerate(ensemble.labels)}
            players.sort(key=lambda p: (order.get(_norm(p.chair), len(order)), p.chair,
                                        p.seat, p.musician))
            out.append(SessionCall(target.name, target.starts_at, target.ends_at,
                                   tuple(players),
                                   local_time(target.starts_at, target.tz).date()))
        return out


def project_costs(pctx, session_name: str | None = None) -> ScoreCost:
    """The costs of one session (``session_name``) or of every session (the score), with
    the cost per cue, from the project's rate card."""
    from filmscore.musicians.service import project_ratecard

    card = project_ratecard(pctx)
    if session_name is None:
        return score_cost(card, session_calls(pctx))
    target = session_calls(pctx, session_name)[0]
    # health & welfare per day: the sessions before it on the same day count
    day = [c for c in session_calls(pctx) if c.day == target.day
           and (c.starts_at, c.name) <= (target.starts_at, target.name)]
    cost = next(s for s in score_cost(card, day).sessions if s.name == target.name)
    return ScoreCost(card.currency, (cost,), allocate(cost))
