"""A music cue (1M1, 2M3A, ...) and the sync points it has to hit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, VersionedMixin, one_of
from filmscore.spotting.cues import CUE_STATUSES
from filmscore.spotting.cues import SYNC_KINDS as _SYNC_KIND_TABLE

if TYPE_CHECKING:
    from filmscore.model.project import Project
    from filmscore.model.sync import CueTempoMap
    from filmscore.model.writing import MusicVersion

#: what a sync point asks of the music
#: Declared once, with the spotting rules; the model only checks against it.
SYNC_KINDS = tuple(_SYNC_KIND_TABLE)


class Cue(VersionedMixin, Base):
    """One piece of music in the film, from ``start_frame`` to ``end_frame`` (exclusive)."""

    __tablename__ = "cues"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("end_frame > start_frame", name="end_after_start"),
        CheckConstraint(
            "temp_in_frame IS NULL OR temp_out_frame IS NULL OR temp_out_frame > temp_in_frame",
            name="temp_out_after_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    reel: Mapped[int]
    seq: Mapped[int]
    insert: Mapped[str] = mapped_column(String(8), default="")
    source: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200), default="")
    start_frame: Mapped[int]
    end_frame: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    mood: Mapped[str] = mapped_column(String(200), default="")
    instrumentation: Mapped[str] = mapped_column(String(500), default="")
    temp_track: Mapped[str] = mapped_column(String(500), default="")
    temp_in_frame: Mapped[int | None]
    temp_out_frame: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(32), default=CUE_STATUSES[0])

    project: Mapped[Project] = relationship(back_populates="cues")
    sync_points: Mapped[list[SyncPoint]] = relationship(
        back_populates="cue", cascade="all, delete-orphan",
        order_by="SyncPoint.frame, SyncPoint.id")
    tempo_map: Mapped[CueTempoMap | None] = relationship(
        back_populates="cue", cascade="all, delete-orphan", uselist=False)
    music_versions: Mapped[list[MusicVersion]] = relationship(
        back_populates="cue", cascade="all, delete-orphan", order_by="MusicVersion.number")

    @property
    def duration_frames(self) -> int:
        return self.end_frame - self.start_frame

    @property
    def label(self) -> str:
        return f"cue {self.number}"


class SyncPoint(VersionedMixin, Base):
    """A frame (absolute, in the project's timeline) the music of a cue has to hit."""

    __tablename__ = "sync_points"
    __table_args__ = (
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint("tolerance_frames IS NULL OR tolerance_frames >= 0",
                        name="tolerance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    frame: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="hard")
    weight: Mapped[float] = mapped_column(default=1.0)
    tolerance_frames: Mapped[int | None]

    cue: Mapped[Cue] = relationship(back_populates="sync_points")

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("sync point kind", value, SYNC_KINDS, field="kind")

    @property
    def label(self) -> str:
        loaded = self.__dict__.get("cue")  # never a query: labels are used in error messages
        cue = f" of cue {loaded.number}" if loaded is not None else ""
        return f"sync point at frame {self.frame}{cue}"
