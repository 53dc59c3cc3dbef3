"""The team's accounts for the web workspace: a name, a role, a password hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.model.base import Base, UTCDateTime, VersionedMixin, one_of


class User(VersionedMixin, Base):
    """A member of the team: logs in to the web workspace with a password (only its
    argon2 hash is kept) and may do what its role allows (``filmscore.accounts``)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @validates("role")
    def _check_role(self, key: str, value: str) -> str:
        from filmscore.accounts import ROLES

        return one_of("role", value, tuple(ROLES), field=key)

    @property
    def label(self) -> str:
        return f"user {self.name!r}"
