"""A picture version (one cut of the film) with its reels, edit events and markers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, RateMixin, UTCDateTime, one_of, utcnow

if TYPE_CHECKING:
    from filmscore.model.project import Project

#: where a picture version came from
SOURCE_KINDS = ("edl", "fcp7xml", "otio", "video")
#: what a marker marks
MARKER_KINDS = ("marker", "shot", "dialogue", "scene")



class PictureVersion(RateMixin, Base):
    """One cut of the picture (v1, v2, ...); times are frames at ``rate_name``."""

    __tablename__ = "picture_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("duration_frames >= 0", name="duration_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_kind: Mapped[str] = mapped_column(String(16))
    media_hash: Mapped[str | None] = mapped_column(String(64))  # the cut file as imported
    video_hash: Mapped[str | None] = mapped_column(String(64))  # its reference video
    start_frame: Mapped[int] = mapped_column(default=0)
    duration_frames: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="picture_versions")
    reels: Mapped[list[Reel]] = relationship(
        back_populates="picture_version", cascade="all, delete-orphan", order_by="Reel.number")
    events: Mapped[list[PictureEvent]] = relationship(
        back_populates="picture_version", cascade="all, delete-orphan",
        order_by="PictureEvent.index, PictureEvent.id")
    markers: Mapped[list[Marker]] = relationship(
        back_populates="picture_version", cascade="all, delete-orphan",
        order_by="Marker.frame, Marker.id")

    @validates("source_kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("source_kind", value, SOURCE_KINDS)

    @property
    def end_frame(self) -> int:
        """First frame after the picture (out points are exclusive)."""
        return self.start_frame + self.duration_frames

    @property
    def label(self) -> str:
        return f"picture version v{self.number}"


class Reel(Base):
    """A reel of one picture version; frames are absolute in the version's timeline."""

    __tablename__ = "reels"
    __table_args__ = (
        UniqueConstraint("picture_version_id", "number"),
        CheckConstraint("duration_frames >= 0", name="duration_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    picture_version_id: Mapped[int] = mapped_column(
        ForeignKey("picture_versions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    start_frame: Mapped[int]
    duration_frames: Mapped[int]

    picture_version: Mapped[PictureVersion] = relationship(back_populates="reels")

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames

    @property
    def label(self) -> str:
        return f"reel {self.number}"


class PictureEvent(Base):
    """One edit event (a clip on a track) of a picture version."""

    __tablename__ = "picture_events"
    __table_args__ = (
        CheckConstraint("record_out_frame >= record_in_frame", name="record_out_after_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    picture_version_id: Mapped[int] = mapped_column(
        ForeignKey("picture_versions.id", ondelete="CASCADE"), index=True)
    index: Mapped[int]
    track: Mapped[str] = mapped_column(String(32), default="V")
    kind: Mapped[str] = mapped_column(String(32), default="cut")
    clip_name: Mapped[str] = mapped_column(String(500), default="")
    source_reel: Mapped[str] = mapped_column(String(200), default="")
    source_in_frame: Mapped[int] = mapped_column(default=0)
    source_out_frame: Mapped[int] = mapped_column(default=0)
    record_in_frame: Mapped[int]
    record_out_frame: Mapped[int]

    picture_version: Mapped[PictureVersion] = relationship(back_populates="events")

    @property
    def label(self) -> str:
        return f"event {self.index}"


class Marker(Base):
    """A marker, shot change, line of dialogue or scene on a picture version."""

    __tablename__ = "markers"
    __table_args__ = (
        CheckConstraint("end_frame IS NULL OR end_frame > frame", name="end_after_frame"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    picture_version_id: Mapped[int] = mapped_column(
        ForeignKey("picture_versions.id", ondelete="CASCADE"), index=True)
    frame: Mapped[int]
    end_frame: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(16), default="marker")
    text: Mapped[str] = mapped_column(Text, default="")

    picture_version: Mapped[PictureVersion] = relationship(back_populates="markers")

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("marker kind", value, MARKER_KINDS)

    @property
    def label(self) -> str:
        return f"{self.kind} at frame {self.frame}"
