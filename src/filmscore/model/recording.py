"""The recording stage's tables: the session plan, pickups and the take log."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.model.base import Base, VersionedMixin, one_of
from filmscore.recording.vocabulary import PICKUP_STATES, RECORDING_GROUPS, TAKE_TYPES


class PlanEntry(VersionedMixin, Base):
    """One item of the session plan: a cue, or part of one (bars ``bar_from``..``bar_to``,
    a group such as the choir apart, or a pickup), recorded in a session at ``position``,
    with the chairs called for it."""

    __tablename__ = "plan_entries"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("duration_frames > 0", name="duration_positive"),
        CheckConstraint("bar_from IS NULL OR bar_to IS NULL OR bar_to >= bar_from",
                        name="bars_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("recording_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # recording order inside the session, from 1
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(64), default="")  # "" whole cue, "part 1 of 2"
    bar_from: Mapped[int | None]
    bar_to: Mapped[int | None]
    duration_frames: Mapped[int]  # finished music this entry records
    group: Mapped[str] = mapped_column(String(32), default="orchestra")
    difficulty: Mapped[int] = mapped_column(default=1)  # 1 (easy) .. 5 (hardest)
    chairs: Mapped[list] = mapped_column(JSON, default=list)  # chair labels called
    pickup_id: Mapped[int | None] = mapped_column(ForeignKey("pickups.id",
                                                             ondelete="SET NULL"))

    @validates("group")
    def _check_group(self, key: str, value: str) -> str:
        return one_of("recording group", value, RECORDING_GROUPS, field=key)

    @property
    def label(self) -> str:
        return f"plan entry {self.position} of session {self.session_id}"


class Pickup(VersionedMixin, Base):
    """Bars of a cue to record again in a pickup session (a picture change, a re-write)."""

    __tablename__ = "pickups"
    __table_args__ = (
        CheckConstraint("bar_from IS NULL OR bar_to IS NULL OR bar_to >= bar_from",
                        name="bars_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    bar_from: Mapped[int | None]  # None: the whole cue
    bar_to: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    author: Mapped[str] = mapped_column(String(200), default="")

    @validates("status")
    def _check_status(self, key: str, value: str) -> str:
        return one_of("pickup status", value, PICKUP_STATES, field=key)

    @property
    def label(self) -> str:
        return f"pickup {self.id}"


class Take(VersionedMixin, Base):
    """One take in the music editor's log: its number, cue, bars, type, circled or not,
    when (timecode), the audio files of its stems (in the media store), and what it was
    played from (orchestration, music version, tempo map) so that a later revision flags it.
    """

    __tablename__ = "takes"
    __table_args__ = (
        UniqueConstraint("cue_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("recording_sessions.id", ondelete="SET NULL"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32), default="complete")
    circled: Mapped[bool] = mapped_column(default=False)
    bar_from: Mapped[int | None]
    bar_to: Mapped[int | None]
    section: Mapped[str] = mapped_column(String(200), default="")  # "choir only", "letter C"
    notes: Mapped[str] = mapped_column(Text, default="")
    timecode_frame: Mapped[int | None]  # the record timecode the take started at
    audio: Mapped[list] = mapped_column(JSON, default=list)  # [{stem, name, media_hash,...}]
    pickup_id: Mapped[int | None] = mapped_column(ForeignKey("pickups.id",
                                                             ondelete="SET NULL"))
    orchestration_number: Mapped[int | None]
    music_version: Mapped[int | None]
    tempo_map_version: Mapped[int | None]
    flagged: Mapped[str] = mapped_column(Text, default="")  # why the take is out of date
    logged_by: Mapped[str] = mapped_column(String(200), default="")
    #: the key the web page gave the entry (it resends an entry the connection lost: the
    #: second one is recognised, not logged twice); None for takes logged elsewhere
    entry_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("take type", value, tuple(TAKE_TYPES), field=key)

    @property
    def label(self) -> str:
        return f"take {self.number}"
