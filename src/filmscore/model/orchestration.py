"""The orchestration stage's table: each cue's orchestrations (full scores) and what made them."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from filmscore.model.base import Base, VersionedMixin


class Orchestration(VersionedMixin, Base):
    """Orchestration N of a cue: the full score (MusicXML, written transposed, in the media
    store), the ensemble it is for, the cue's instrumentation, the decisions to check."""

    __tablename__ = "orchestrations"
    __table_args__ = (UniqueConstraint("cue_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[int] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    music_version: Mapped[int | None]  # the cue's music version orchestrated, if any
    source_name: Mapped[str] = mapped_column(String(500), default="")  # a short-score file
    ensemble: Mapped[dict] = mapped_column(JSON)  # the ensemble, as data (templates change)
    instrumentation: Mapped[dict] = mapped_column(JSON)  # chairs used, doubles, divisi
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    check: Mapped[dict] = mapped_column(JSON, default=dict)  # playability findings (counts)
    media_hash: Mapped[str] = mapped_column(String(64))  # the full score MusicXML
    author: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def label(self) -> str:
        return f"orchestration v{self.number}"
