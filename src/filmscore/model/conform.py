"""The conform stage's tables: change lists between two picture versions, and the cues
each one flagged with the fixes proposed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.conform.vocabulary import FLAG_REASONS, FLAG_STATES
from filmscore.model.base import Base, UTCDateTime, VersionedMixin, one_of


class ChangeList(VersionedMixin, Base):
    """A change list from one picture version to another (numbered from 1 per project):
    ``data`` is ``conform.changes.ChangeList.to_json()``; ``applied_at`` when the cues
    were moved by it (None: compared only)."""

    __tablename__ = "change_lists"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int]
    old_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("picture_versions.id", ondelete="SET NULL"))
    new_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("picture_versions.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")

    @property
    def label(self) -> str:
        return f"change list {self.number}"


class ConformFlag(VersionedMixin, Base):
    """A cue a change list flagged: why, its hits off (``data``:
    ``conform.changes.Flag`` as JSON), the fixes proposed (``proposals``: a list of
    ``Proposal`` as JSON), the one chosen (index, None until chosen) and its state."""

    __tablename__ = "conform_flags"
    __table_args__ = (UniqueConstraint("change_list_id", "cue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_list_id: Mapped[int] = mapped_column(
        ForeignKey("change_lists.id", ondelete="CASCADE"), index=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON)
    proposals: Mapped[list] = mapped_column(JSON, default=list)
    chosen: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="open")
    author: Mapped[str] = mapped_column(String(200), default="")

    @validates("reason")
    def _check_reason(self, key: str, value: str) -> str:
        return one_of("flag reason", value, tuple(FLAG_REASONS), field=key)

    @validates("status")
    def _check_status(self, key: str, value: str) -> str:
        return one_of("flag state", value, FLAG_STATES, field=key)

    @property
    def label(self) -> str:
        return f"conform flag of cue {self.cue_id}"
