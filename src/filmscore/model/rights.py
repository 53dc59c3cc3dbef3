"""The performing-rights tables: the writers and publishers, and their shares of each cue."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.model.base import Base, VersionedMixin, one_of
from filmscore.rights.vocabulary import PROS, SHARE_ROLES


class RightsHolder(VersionedMixin, Base):
    """A writer or publisher on the cue sheet: name, society (PRO) and IPI number."""

    __tablename__ = "rights_holders"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="composer")
    pro: Mapped[str] = mapped_column(String(16), default="")
    ipi: Mapped[str] = mapped_column(String(16), default="")

    @validates("role")
    def _check_role(self, key: str, value: str) -> str:
        return one_of("rights role", value, SHARE_ROLES, field=key)

    @validates("pro")
    def _check_pro(self, key: str, value: str) -> str:
        return value if value == "" else one_of("performing-rights society", value, PROS,
                                                field=key)

    @property
    def label(self) -> str:
        return f"{self.role} {self.name}"


class CueShare(VersionedMixin, Base):
    """A holder's share of a cue (per cent, exact as text: "50", "33.34").  A cue with no
    rows of its own takes the project's default shares (``cue_id`` None)."""

    __tablename__ = "cue_shares"
    __table_args__ = (UniqueConstraint("project_id", "cue_id", "holder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    cue_id: Mapped[int | None] = mapped_column(ForeignKey("cues.id", ondelete="CASCADE"),
                                               index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("rights_holders.id",
                                                      ondelete="CASCADE"), index=True)
    share: Mapped[str] = mapped_column(String(16))

    @property
    def label(self) -> str:
        return f"share of holder {self.holder_id}"
