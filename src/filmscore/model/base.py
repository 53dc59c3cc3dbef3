"""The declarative base, constraint naming, UTC timestamps and the version column."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, validates
from sqlalchemy.types import TypeDecorator

#: Constraint names are derived, so migrations can name (and drop) them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every filmscore table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    #: how a record is named in a user-facing message, e.g. "cue 1M3"
    @property
    def label(self) -> str:
        return f"{type(self).__name__.lower()} {getattr(self, 'id', '?')}"


class TimestampMixin:
    """``created_at`` and ``updated_at``, both UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin(TimestampMixin):
    """An integer ``version`` bumped on every UPDATE; a stale write raises (a conflict).

    SQLAlchemy adds ``WHERE version = <the version read>`` to each UPDATE and DELETE;
    when someone else changed the row first, no row matches and the flush fails with
    StaleDataError, which :func:`filmscore.store.transaction` turns into ConflictError.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


def one_of(what: str, value: str, valid: tuple[str, ...], *, field: str | None = None) -> str:
    """Check a value against its vocabulary table (for ``@validates`` hooks)."""
    if value not in valid:
        from filmscore.errors import ValidationError

        raise ValidationError(f"unknown {what}", field=field or what, value=value,
                              valid=", ".join(valid))
    return value


class RateMixin:
    """A ``rate_name`` column checked against the frame-rate table, and its ``rate``."""

    rate_name: Mapped[str] = mapped_column(String(16))

    @validates("rate_name")
    def _check_rate(self, key: str, value: str) -> str:
        from filmscore.timecode import get_rate

        return get_rate(value, field=key).name

    @property
    def rate(self):
        from filmscore.timecode import get_rate

        return get_rate(self.rate_name)
