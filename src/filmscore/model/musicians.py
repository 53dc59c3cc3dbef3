"""The musicians stage's tables: the roster, the sessions on the stage, bookings into them
and each player's time per cue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.model.base import Base, UTCDateTime, VersionedMixin, one_of
from filmscore.recording.vocabulary import SESSION_KINDS


class Musician(VersionedMixin, Base):
    """A player on the project's roster: the instruments played (the first is the player's
    own, the others doubles), union membership and how to reach them."""

    __tablename__ = "musicians"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    instruments: Mapped[list] = mapped_column(JSON)  # instrument keys, own instrument first
    union: Mapped[str] = mapped_column(String(100), default="")  # e.g. "AFM Local 47"; "" none
    contact: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"musician {self.name!r}"


class RecordingSession(VersionedMixin, Base):
    """A session on the scoring stage (or a prerecord/overdub room): when, where, what for."""

    __tablename__ = "recording_sessions"
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(100))  # "Day 1 AM"
    kind: Mapped[str] = mapped_column(String(32), default="orchestra")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stage: Mapped[str] = mapped_column(String(200), default="")  # "Stage A"
    #: the stage's time zone (IANA name) the session's times are shown in; "" this machine's
    tz: Mapped[str] = mapped_column(String(64), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("session kind", value, SESSION_KINDS, field=key)

    @property
    def label(self) -> str:
        return f"session {self.name!r}"


class Booking(VersionedMixin, Base):
    """A musician booked into a session, in a chair (seat ``seat`` of a section), to play
    ``instruments`` there (the chair's instrument first, then the doubles asked of them)."""

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "musician_id"),
        CheckConstraint("seat >= 1", name="seat_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("recording_sessions.id", ondelete="CASCADE"), index=True)
    musician_id: Mapped[int] = mapped_column(
        ForeignKey("musicians.id", ondelete="CASCADE"), index=True)
    chair: Mapped[str] = mapped_column(String(100))  # the ensemble's chair label
    seat: Mapped[int] = mapped_column(default=1)  # desk order inside a section chair
    instruments: Mapped[list] = mapped_column(JSON)
    role: Mapped[str] = mapped_column(String(64), default="player")  # or "orchestra manager"
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"booking of musician {self.musician_id} in session {self.session_id}"


class PlayerCueTime(VersionedMixin, Base):
    """A player's time on one cue in one session (contractors log it for the union):
    minutes, the instruments played on it, and whether it was an overdub."""

    __tablename__ = "player_cue_times"
    __table_args__ = (
        UniqueConstraint("booking_id", "cue_id", "overdub"),
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"),
                                            index=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    minutes: Mapped[int]
    instruments: Mapped[list] = mapped_column(JSON)
    overdub: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"time of booking {self.booking_id} on cue {self.cue_id}"
