"""Booking musicians into sessions (thin services): by hand into a chair and seat, or
automatically from the session plan's chairs; refusing a player who does not play the
chair's instruments, a chair the project's orchestrations do not have, a seat taken, and
a musician already booked in an overlapping session."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from filmscore.errors import ConflictError, InputError, ValidationError
from filmscore.model import Booking, Cue, Musician, PlanEntry, RecordingSession
from filmscore.model import Orchestration as OrchestrationRow
from filmscore.musicians.roster import (
    MusicianSpec,
    check_plays,
    check_role,
    instrument_keys,
    instruments_text,
)
from filmscore.orchestration.ensembles import (
    Chair,
    CueInstrumentation,
    Ensemble,
    _norm,
    ensemble_from_dict,
    get_template,
)
from filmscore.recording.sessions import local_time, session_row
from filmscore.store import transaction

#: what a non-playing orchestra manager or leader is booked as
NO_CHAIR = ""

#: roster notes that mark a player for seat 1 of a first chair (principal, concertmaster)
LEAD_WORDS = ("principal", "concertmaster", "leader of the orchestra")


@dataclass(frozen=True)
class BookingSpec:
    session: str
    musician: str
    chair: str
    seat: int
    instruments: tuple[str, ...]
    role: str = "player"
    notes: str = ""

    @property
    def doubles(self) -> tuple[str, ...]:
        return self.instruments[1:]


@dataclass
class AutoBooking:
    """What ``auto_book`` did: the bookings made, the seats left empty (chair, seat,
    why), the orchestra manager appointed, players booked without a double the plan asks."""

    booked: list[BookingSpec] = field(default_factory=list)
    unfilled: list[tuple[str, int, str]] = field(default_factory=list)
    orchestra_manager: str | None = None
    missing_doubles: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


# --- what the project's orchestrations hold ------------------------------------------------


def latest_orchestrations(session, project_id: int) -> dict[int, OrchestrationRow]:
    """cue id -> the cue's latest orchestration row."""
    rows = session.scalars(select(OrchestrationRow).join(Cue, Cue.id == OrchestrationRow.cue_id)
                           .where(Cue.project_id == project_id)
                           .order_by(OrchestrationRow.cue_id, OrchestrationRow.number)).all()
    return {r.cue_id: r for r in rows}


def project_ensemble(session, project_id: int) -> Ensemble:
    """The chairs of the project's orchestrations (their latest versions, merged in score
    order of first appearance); a project not yet orchestrated: the studio template."""
    rows = latest_orchestrations(session, project_id)
    chairs: dict[str, Chair] = {}
    names = []
    for row in rows.values():
        ensemble = ensemble_from_dict(row.ensemble)
        names.append(ensemble.name)
        for chair in ensemble.chairs:
            chairs.setdefault(_norm(chair.label), chair)
    if not chairs:
        return get_template("studio")
    return Ensemble("+".join(dict.fromkeys(names)), "the project's orchestrations",
                    tuple(chairs.values()))


def cue_uses(session, project_id: int) -> dict[int, CueInstrumentation]:
    """cue id -> the instrumentation of its latest orchestration."""
    return {cue_id: CueInstrumentation.from_dict(row.instrumentation)
            for cue_id, row in latest_orchestrations(session, project_id).items()}


def find_chair(ensemble: Ensemble, label: str, *, where: str = "") -> Chair:
    if not ensemble.has_chair(label):
        origin = ("the studio template (the project has no orchestration yet)"
                  if ensemble.name == "studio" else "the project's orchestrations")
        raise ValidationError(f"{where}no chair {label!r} in {origin}", field="chair",
                              value=label, valid=", ".join(ensemble.labels))
    return ensemble.chair(label)


# --- rows and specs ------------------------------------------------------------------------


def _spec(booking: Booking, session_name: str, musician_name: str) -> BookingSpec:
    return BookingSpec(session_name, musician_name, booking.chair, booking.seat,
                       tuple(booking.instruments or ()), booking.role, booking.notes)


def _musician_spec(row: Musician) -> MusicianSpec:
    return MusicianSpec(row.name, tuple(row.instruments or ()), row.union, row.contact,
                        row.notes, row.id)


def _overlapping(session, target: RecordingSession, musician_id: int) -> RecordingSession | None:
    """A session the musician is booked in that overlaps ``target``."""
    rows = session.execute(select(RecordingSession).join(
        Booking, Booking.session_id == RecordingSession.id).where(
        Booking.musician_id == musician_id, RecordingSession.id != target.id)).scalars().all()
    for other in rows:
        if other.starts_at < target.ends_at and target.starts_at < other.ends_at:
            return other
    return None


def _check_free(session, target: RecordingSession, musician: Musician) -> None:
    if session.scalars(select(Booking).where(Booking.session_id == target.id,
                                             Booking.musician_id == musician.id)).first():
        raise ConflictError(f"musician {musician.name!r} is already booked in session "
                            f"{target.name!r}; remove that booking first")
    other = _overlapping(session, target, musician.id)
    if other is not None:
        raise ValidationError(
            f"musician {musician.name!r} is booked in session {other.name!r} "
            f"({local_time(other.starts_at, other.tz):%Y-%m-%d %H:%M}-"
            f"{local_time(other.ends_at, other.tz):%H:%M %Z}), which overlaps "
            f"session {target.name!r}", field="session", value=target.name,
            valid="a session at another time")


# --- booking by hand -----------------------------------------------------------------------


def book_musician(pctx, session_name: str, musician_name: str, *, chair: str | None,
                  seat: int | None = None, doubles: tuple[str, ...] | list[str] = (),
                  role: str = "player", notes: str = "") -> BookingSpec:
    """Book a musician into a session, in ``chair`` (seat ``seat``: the first free one by
    default) to play the chair's instrument and ``doubles`` (some of the chair's doubles).
    A non-playing orchestra manager or leader is booked with no chair."""
    from filmscore.musicians.service import musician_row

    role = check_role(role)
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        musician = musician_row(session, pctx.project_id, musician_name)
        if not chair:
            if role == "player":
                raise InputError("a player needs a chair", field="chair",
                                 valid="a chair of the project's orchestrations, e.g. 'Horn 1'"
                                       " (only a non-playing orchestra manager or leader has "
                                       "none)")
            if doubles or seat:
                raise InputError("a booking without a chair plays nothing", field="double",
                                 value=", ".join(doubles) or str(seat),
                                 valid="give a chair to play")
            _check_free(session, target, musician)
            row = Booking(session_id=target.id, musician_id=musician.id, chair=NO_CHAIR,
                          seat=1, instruments=[], role=role, notes=notes)
            session.add(row)
            session.flush()
            return _spec(row, target.name, musician.name)
        ensemble = project_ensemble(session, pctx.project_id)
        found = find_chair(ensemble, chair)
        wanted = instrument_keys(doubles, field="double")
        for key in wanted:
            if key not in found.doubles:
                raise ValidationError(
                    f"chair {found.label} does not double {instruments_text([key])}",
                    field="double", value=key,
                    valid=instruments_text(found.doubles) if found.doubles
                    else "none (the chair has no doubles)")
        instruments = check_plays(_musician_spec(musician), (found.instrument, *wanted))
        _check_free(session, target, musician)
        taken = {b.seat for b in session.scalars(select(Booking).where(
            Booking.session_id == target.id, Booking.chair == found.label)).all()}
        if seat is None:
            free = [s for s in range(1, found.players + 1) if s not in taken]
            if not free:
                raise ConflictError(f"chair {found.label} is full in session {target.name!r} "
                                    f"({found.players} of {found.players} seats booked)")
            seat = free[0]
        if not 1 <= seat <= found.players:
            raise InputError(f"chair {found.label} has {found.players} seat(s)", field="seat",
                             value=seat, valid=f"1 to {found.players}")
        if seat in taken:
            raise ConflictError(f"seat {seat} of chair {found.label} is already booked in "
                                f"session {target.name!r}")
        row = Booking(session_id=target.id, musician_id=musician.id, chair=found.label,
                      seat=seat, instruments=list(instruments), role=role, notes=notes)
        session.add(row)
        session.flush()
        return _spec(row, target.name, musician.name)


def unbook(pctx, session_name: str, musician_name: str) -> None:
    """Remove a musician's booking in a session (with the time logged on it)."""
    from filmscore.errors import NotFoundError
    from filmscore.musicians.service import musician_row

    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        musician = musician_row(session, pctx.project_id, musician_name)
        row = session.scalars(select(Booking).where(Booking.session_id == target.id,
                                                    Booking.musician_id == musician.id)).first()
        if row is None:
            raise NotFoundError(f"musician {musician.name!r} is not booked in session "
                                f"{target.name!r}")
        session.delete(row)


def list_bookings(pctx, session_name: str) -> list[BookingSpec]:
    """The session's bookings in score order (chair order, then seat)."""
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        order = {_norm(label): i for i, label in
                 enumerate(project_ensemble(session, pctx.project_id).labels)}
        rows = session.execute(select(Booking, Musician.name).join(
            Musician, Musician.id == Booking.musician_id).where(
            Booking.session_id == target.id)).all()
        specs = [_spec(b, target.name, name) for b, name in rows]
    return sorted(specs, key=lambda s: (order.get(_norm(s.chair), len(order)), s.chair,
                                        s.seat, s.musician))


def planned_sessions(pctx) -> list[str]:
    """Names of the sessions that have plan entries, in time order."""
    with transaction(pctx.engine) as session:
        return list(dict.fromkeys(session.scalars(
            select(RecordingSession.name).join(PlanEntry,
                                               PlanEntry.session_id == RecordingSession.id)
            .where(RecordingSession.project_id == pctx.project_id)
            .order_by(RecordingSession.starts_at)).all()))


# --- automatic booking from the plan -------------------------------------------------------


def _needed(entries, uses: dict[int, CueInstrumentation], ensemble: Ensemble
            ) -> tuple[dict[str, list[str]], dict[str, int]]:
    """chair label -> instruments the plan's cues ask of it (its own first), in chair order:
    those the cue's orchestration gives the chair, or all the chair's doubles for a cue
    not yet orchestrated; and chair label -> seats to fill: the most players any of the
    session's cues uses on the chair (a cue for chamber strings calls 4 of the 14 first
    violins; a cue not yet orchestrated, the whole section)."""
    called: dict[str, list[str]] = {}
    seats: dict[str, int] = {}
    for entry in entries:
        for label in entry.chairs or ():
            chair = find_chair(ensemble, label,
                               where=f"plan entry {entry.position} of the session: ")
            want = called.setdefault(chair.label, [chair.instrument])
            use = uses.get(entry.cue_id)
            item = use.use(chair.label) if use is not None else None
            # a cue not yet orchestrated may ask for any of the chair's doubles
            asked = item.instruments if item is not None else chair.instruments
            for key in instrument_keys(asked):
                if key not in want and key in chair.instruments:
                    want.append(key)
            players = (item.players if item is not None else None) or chair.players
            seats[chair.label] = max(seats.get(chair.label, 0), min(players, chair.players))
    return ({c.label: called[c.label] for c in ensemble.chairs if c.label in called},
            seats)


def auto_book(pctx, session_name: str) -> AutoBooking:
    """Book the session from its plan: every seat of every chair its plan entries call (a
    section of 14 players: seats 1..14, or as many as its cues use), with roster players
    who play the chair's instrument, preferring those who play the doubles asked, then
    those already on the chair (then booked at all) in other sessions, then for seat 1
    of a first chair those whose roster notes say principal or concertmaster (for other
    seats, those whose notes do not), then players not marked 'extra' in their notes,
    then those whose own instrument is the chair's; never one booked at an overlapping
    time.
    Seats already booked stay. When the session reaches the card's orchestra-manager
    threshold and none is booked, one of its players is appointed (one already manager
    in another session, else one whose roster notes say 'orchestra manager', else the
    first in score order). Seats nobody can fill are reported, not refused."""
    from filmscore.musicians.service import project_ratecard

    card = project_ratecard(pctx)
    result = AutoBooking()
    with transaction(pctx.engine) as session:
        target = session_row(session, pctx.project_id, session_name)
        entries = session.scalars(select(PlanEntry).where(PlanEntry.session_id == target.id)
                                  .order_by(PlanEntry.position)).all()
        if not entries:
            raise ValidationError(f"session {target.name!r} has no plan entries",
                                  field="session", value=target.name,
                                  valid="a planned session ('filmscore plan'), or book by hand "
                                        "with 'filmscore book add'")
        ensemble = project_ensemble(session, pctx.project_id)
        needed, seats = _needed(entries, cue_uses(session, pctx.project_id), ensemble)
        here = session.scalars(select(Booking).where(Booking.session_id == target.id)).all()
        in_session = {b.musician_id for b in here}
        taken = {(b.chair, b.seat) for b in here}
        roster = session.scalars(select(Musician).where(Musician.project_id == pctx.project_id)
                                 .order_by(Musician.name)).all()
        others = session.execute(select(Booking, RecordingSession).join(
            RecordingSession, RecordingSession.id == Booking.session_id).where(
            RecordingSession.project_id == pctx.project_id,
            RecordingSession.id != target.id)).all()
        busy = {b.musician_id for b, s in others
                if s.starts_at < target.ends_at and target.starts_at < s.ends_at}
        elsewhere: dict[int, set[str]] = {}
        managers = set()
        for b, _s in others:
            elsewhere.setdefault(b.musician_id, set()).add(b.chair)
            if b.role == "orchestra manager":
                managers.add(b.musician_id)
        # chairs with doubles first, so that the players who double go where doubles are
        for label, want in sorted(needed.items(), key=lambda item: -len(item[1])):
            chair = ensemble.chair(label)
            for seat in range(1, seats[label] + 1):
                if (chair.label, seat) in taken:
                    continue
                pool = [m for m in roster if m.id not in in_session and m.id not in busy
                        and chair.instrument in (m.instruments or ())]
                if not pool:
                    result.unfilled.append((chair.label, seat, "nobody free on the roster "
                                            f"plays {instruments_text([chair.instrument])}"))
                    continue

                def rank(m: Musician, want=want, chair=chair, seat=seat) -> tuple:
                    plays = set(m.instruments or ())
                    notes = (m.notes or "").lower()
                    lead = chair.number == 1 and seat == 1
                    return (-sum(1 for k in want if k in plays),
                            chair.label not in elsewhere.get(m.id, set()),
                            m.id not in elsewhere,
                            lead != any(w in notes for w in LEAD_WORDS),
                            "extra" in notes,
                            (m.instruments or [""])[0] != chair.instrument, m.name)
                pick = min(pool, key=rank)
                instruments = [k for k in want if k in (pick.instruments or ())]
                lacking = tuple(k for k in want if k not in instruments)
                if lacking:
                    result.missing_doubles.append((chair.label, pick.name, lacking))
                row = Booking(session_id=target.id, musician_id=pick.id, chair=chair.label,
                              seat=seat, instruments=instruments, role="player",
                              notes="booked from the plan")
                session.add(row)
                here.append(row)
                in_session.add(pick.id)
                taken.add((chair.label, seat))
                result.booked.append(_spec(row, target.name, pick.name))
        session.flush()
        playing = [b for b in here if b.instruments]
        if (len(playing) >= card.orchestra_manager_from
                and not any(b.role == "orchestra manager" for b in here)):
            by_id = {m.id: m for m in roster}
            order = {_norm(label): i for i, label in enumerate(ensemble.labels)}
            playing.sort(key=lambda b: (b.musician_id not in managers,
                                        "orchestra manager" not in
                                        by_id[b.musician_id].notes.lower(),
                                        order.get(_norm(b.chair), len(order)), b.seat))
            chosen = playing[0]
            chosen.role = "orchestra manager"
            result.orchestra_manager = by_id[chosen.musician_id].name
            result.booked = [
                BookingSpec(s.session, s.musician, s.chair, s.seat, s.instruments,
                            "orchestra manager" if s.musician == result.orchestra_manager
                            else s.role, s.notes) for s in result.booked]
    return result
