"""A film project: its title, picture rate, audio sample rate and film gauge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from filmscore.model.base import Base, VersionedMixin
from filmscore.timecode import Rate, get_rate

if TYPE_CHECKING:
    from filmscore.model.cue import Cue
    from filmscore.model.picture import PictureVersion


class Project(VersionedMixin, Base):
    """One film; every other record belongs to exactly one project."""

    __tablename__ = "projects"
    __table_args__ = (CheckConstraint("sample_rate > 0", name="sample_rate_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    rate_name: Mapped[str] = mapped_column(String(16))
    sample_rate: Mapped[int] = mapped_column(default=48000)
    film_gauge: Mapped[str] = mapped_column(String(16), default="35mm4p")
    notes: Mapped[str] = mapped_column(Text, default="")

    picture_versions: Mapped[list[PictureVersion]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="PictureVersion.number",
    )
    cues: Mapped[list[Cue]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="Cue.start_frame, Cue.number",
    )

    @validates("rate_name")
    def _check_rate(self, key: str, value: str) -> str:
        return get_rate(value, field=key).name

    @property
    def rate(self) -> Rate:
        return get_rate(self.rate_name)

    @property
    def label(self) -> str:
        return f"project {self.title!r}"
