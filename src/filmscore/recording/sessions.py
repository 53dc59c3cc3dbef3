"""The sessions on the stage: add, list, find, remove (thin service functions).

Times are stored in UTC and given as ISO 8601 date-times; a time without an offset is
the stage's local time, the machine's time zone unless ``tz`` names another (an IANA
name such as "America/Los_Angeles").  Two sessions on one stage may not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from filmscore.errors import ConflictError, InputError, NotFoundError, ValidationError
from filmscore.model import RecordingSession
from filmscore.recording.vocabulary import SESSION_KINDS
from filmscore.store import transaction


@dataclass(frozen=True)
class SessionSpec:
    """A session as plain values (times timezone-aware)."""

    name: str
    starts_at: datetime
    ends_at: datetime
    kind: str = "orchestra"
    stage: str = ""
    notes: str = ""
    id: int | None = None
    tz: str = ""  # the stage's time zone (IANA name); "" this machine's

    @property
    def label(self) -> str:
        return f"session {self.name!r}"

    @property
    def local_start(self) -> datetime:
        """The start in the stage's time zone."""
        return local_time(self.starts_at, self.tz)

    @property
    def local_end(self) -> datetime:
        return local_time(self.ends_at, self.tz)

    @property
    def day(self) -> date:
        """The calendar day the session starts on, on the stage."""
        return self.local_start.date()

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def overlaps(self, other: SessionSpec) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def zone(tz: str | None):
    """The time zone called ``tz`` (None: the machine's own)."""
    if tz is None:
        return datetime.now().astimezone().tzinfo
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", field="tz", value=tz,
                         valid="an IANA name such as Europe/London or America/Los_Angeles"
                         ) from None


def local_time(moment: datetime, tz: str | None) -> datetime:
    """``moment`` in the time zone called ``tz`` ("" or None: this machine's)."""
    return moment.astimezone(zone(tz or None))


def parse_time(text: str, *, field: str = "start", tz: str | None = None) -> datetime:
    """An ISO 8601 date-time ('2027-03-01 10:00', '2027-03-01T10:00-08:00'), made aware."""
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError("not a date and time", field=field, value=str(text),
                         valid="ISO 8601, e.g. 2027-03-01 10:00 or 2027-03-01T10:00-08:00"
                         ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value


def session_spec(row: RecordingSession) -> SessionSpec:
    return SessionSpec(row.name, row.starts_at, row.ends_at, row.kind, row.stage, row.notes,
                       row.id, row.tz)


def session_row(session, project_id: int, name: str) -> RecordingSession:
    row = session.scalars(select(RecordingSession).where(
        RecordingSession.project_id == project_id, RecordingSession.name == name)).first()
    if row is None:
        names = session.scalars(select(RecordingSession.name).where(
            RecordingSession.project_id == project_id)
            .order_by(RecordingSession.starts_at)).all()
        raise NotFoundError(f"no session {name!r} in this project"
                            + (f" (sessions: {', '.join(names)})" if names
                               else " (add one with 'filmscore session add')"))
    return row


def check_session(spec: SessionSpec, others: list[SessionSpec]) -> None:
    """Refuse a session that is empty, of an unknown kind, or overlaps another on its stage."""
    if not spec.name.strip():
        raise InputError("a session needs a name", field="name", value=spec.name,
                         valid="e.g. 'Day 1 AM'")
    if spec.kind not in SESSION_KINDS:
        raise InputError("unknown session kind", field="kind", value=spec.kind,
                         valid=", ".join(SESSION_KINDS))
    if spec.ends_at <= spec.starts_at:
        raise ValidationError(f"session {spec.name!r} ends before it starts", field="end",
                              value=spec.ends_at.isoformat(timespec="minutes"),
                              valid=f"a time after {spec.starts_at.isoformat(timespec='minutes')}")
    if spec.ends_at - spec.starts_at > timedelta(hours=16):
        raise ValidationError(f"session {spec.name!r} is longer than 16 hours", field="end",
                              value=spec.ends_at.isoformat(timespec="minutes"),
                              valid="a session of a few hours (a union session is 3)")
    for other in others:
        if other.name != spec.name and other.stage == spec.stage and spec.overlaps(other):
            where = f" on {spec.stage}" if spec.stage else ""
            raise ValidationError(
                f"session {spec.name!r} overlaps session {other.name!r}{where} "
                f"({other.starts_at.isoformat(timespec='minutes')} to "
                f"{other.ends_at.isoformat(timespec='minutes')})", field="start",
                value=spec.starts_at.isoformat(timespec="minutes"),
                valid="a time when the stage is free")


def list_sessions(pctx) -> list[SessionSpec]:
    """Every session of the project, in time order."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(RecordingSession).where(
            RecordingSession.project_id == pctx.project_id)
            .order_by(RecordingSession.starts_at, RecordingSession.name)).all()
        return [session_spec(r) for r in rows]


def get_session(pctx, name: str) -> SessionSpec:
    with transaction(pctx.engine) as session:
        return session_spec(session_row(session, pctx.project_id, name))


def add_session(pctx, spec: SessionSpec) -> SessionSpec:
    """Add a session (refused when its name is taken or it overlaps another on its stage)."""
    with transaction(pctx.engine) as session:
        rows = session.scalars(select(RecordingSession).where(
            RecordingSession.project_id == pctx.project_id)).all()
        if any(r.name == spec.name for r in rows):
            raise ConflictError(f"session {spec.name!r} already exists; choose another name")
        check_session(spec, [session_spec(r) for r in rows])
        zone(spec.tz or None)  # an unknown zone is refused before anything is written
        row = RecordingSession(project_id=pctx.project_id, name=spec.name, kind=spec.kind,
                               starts_at=spec.starts_at, ends_at=spec.ends_at,
                               stage=spec.stage, notes=spec.notes, tz=spec.tz)
        session.add(row)
        session.flush()
        return session_spec(row)


def remove_session(pctx, name: str) -> None:
    """Remove a session (its bookings and plan entries go with it; takes keep their cue)."""
    with transaction(pctx.engine) as session:
        session.delete(session_row(session, pctx.project_id, name))
