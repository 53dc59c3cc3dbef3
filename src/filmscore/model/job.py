"""Background jobs: one row per piece of long work (a cue's mockup, parts, streamers), its
state and progress, on both backends (``filmscore.jobs``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from filmscore.model.base import Base, TimestampMixin, UTCDateTime, one_of

#: a job's states, in the order it passes them ("failed" ends it as "done" does)
JOB_STATES = ("queued", "running", "done", "failed")


class Job(TimestampMixin, Base):
    """A piece of long work: what (``kind``, ``cue``, ``options`` as JSON), which batch it
    was started with, where it is (``state``, ``done`` of ``total``), what it made
    (``result`` as JSON) or why it failed (``error``), and how often it was started."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    cue: Mapped[str] = mapped_column(String(32), default="")
    options: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    started_by: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @validates("state")
    def _check_state(self, key: str, value: str) -> str:
        return one_of("job state", value, JOB_STATES, field=key)

    @property
    def label(self) -> str:
        return f"job {self.id} ({self.kind} {self.cue})"
