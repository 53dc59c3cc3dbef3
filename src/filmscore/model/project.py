"""A film project: its title, picture rate, audio sample rate, film gauge and credits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, RateMixin, VersionedMixin, one_of

if TYPE_CHECKING:
    from filmscore.model.cue import Cue
    from filmscore.model.picture import PictureVersion


class Project(RateMixin, VersionedMixin, Base):
    """One film; every other record belongs to exactly one project."""

    __tablename__ = "projects"
    __table_args__ = (CheckConstraint("sample_rate > 0", name="sample_rate_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    sample_rate: Mapped[int] = mapped_column(default=48000)
    film_gauge: Mapped[str] = mapped_column(String(16), default="35mm4p")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: credited on page 1 of every part and score (an orchestration's author overrides
    #: the orchestrator)
    composer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    orchestrator: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: sync points in parts and scores show their feet+frames from the cue's start too
    sync_feet: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: takes are numbered from 1 in every cue ("cue") or by one count across the project
    take_numbering: Mapped[str] = mapped_column(String(16), default="cue", server_default="cue")

    @validates("take_numbering")
    def _check_take_numbering(self, key: str, value: str) -> str:
        from filmscore.recording.vocabulary import TAKE_NUMBERING

        return one_of("take numbering", value, TAKE_NUMBERING, field=key)

    picture_versions: Mapped[list[PictureVersion]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="PictureVersion.number",
    )
    cues: Mapped[list[Cue]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="Cue.start_frame, Cue.number",
    )

    @property
    def label(self) -> str:
        return f"project {self.title!r}"
