"""The writing stage's tables: each cue's music versions, themes, review notes, statuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, TimestampMixin, VersionedMixin, one_of
from filmscore.spotting.cues import CUE_STATUSES

if TYPE_CHECKING:
    from filmscore.model.cue import Cue

#: what a theme is
THEME_KINDS = ("theme", "motif")
#: the files music versions come from
MUSIC_FORMATS = ("midi", "musicxml")


class MusicVersion(VersionedMixin, Base):
    """Version N of a cue's music: the file as imported (in the media store), who, why."""

    __tablename__ = "music_versions"
    __table_args__ = (UniqueConstraint("cue_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    media_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(500), default="")
    format: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    note_count: Mapped[int] = mapped_column(default=0)
    length_quarters: Mapped[str] = mapped_column(String(32), default="0")  # exact Fraction
    check: Mapped[dict] = mapped_column(JSON, default=dict)  # the import check's findings

    cue: Mapped[Cue] = relationship(back_populates="music_versions")

    @validates("format")
    def _check_format(self, key: str, value: str) -> str:
        return one_of("music format", value, MUSIC_FORMATS, field=key)

    @property
    def label(self) -> str:
        loaded = self.__dict__.get("cue")
        return f"music v{self.number}" + (f" of cue {loaded.number}" if loaded else "")


class Theme(VersionedMixin, Base):
    """A named theme or motif of the score, its music stored exactly (JSON of notes)."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    stands_for: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(16), default="theme")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    transformation: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    music: Mapped[dict] = mapped_column(JSON)

    @validates("kind")
    def _check_kind(self, key: str, value: str) -> str:
        return one_of("theme kind", value, THEME_KINDS, field=key)

    @property
    def label(self) -> str:
        return f"theme {self.name!r}"


class ReviewNote(TimestampMixin, Base):
    """A note from the director or a producer at a timecode inside a cue."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    music_version: Mapped[int | None]  # the version listened to
    frame: Mapped[int]
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    @property
    def label(self) -> str:
        return f"review note at frame {self.frame}"


class StatusEvent(TimestampMixin, Base):
    """One step of a cue's status history: spotted, sketched, mockup sent, ..."""

    __tablename__ = "cue_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    @validates("status")
    def _check_status(self, key: str, value: str) -> str:
        return one_of("cue status", value, CUE_STATUSES, field=key)

    @property
    def label(self) -> str:
        return f"status {self.status}"


#: what the composer said of an occurrence the theme search found
VERDICTS = ("confirmed", "rejected")


class ThemeVerdict(VersionedMixin, Base):
    """The composer's word on one occurrence of a theme in a cue: confirmed or rejected.

    Keyed by where the occurrence is, not by a row of the search (the search is run again
    on every report): the theme (by id, so a renamed theme keeps its verdicts), the cue,
    the part that carries it and its onset in quarter notes from bar 1 (an exact Fraction
    as text).  The report carries a verdict to the occurrence of the same theme, cue and
    part (or a part doubling it) whose onset lies within a beat of it (see
    ``writing.concordance.apply_verdicts``)."""

    __tablename__ = "theme_verdicts"
    __table_args__ = (UniqueConstraint("theme_id", "cue_id", "part", "onset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"),
                                          index=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(500))
    onset: Mapped[str] = mapped_column(String(32))  # exact Fraction, quarters from bar 1
    bar: Mapped[int]  # where it was when the verdict was given (for the listing)
    beat: Mapped[str] = mapped_column(String(16), default="1")
    music_version: Mapped[int | None]  # the cue's music version it was given on
    verdict: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    @validates("verdict")
    def _check_verdict(self, key: str, value: str) -> str:
        return one_of("verdict", value, VERDICTS, field=key)

    @property
    def label(self) -> str:
        return f"verdict on bar {self.bar} ({self.part})"
