"""What the recording page shows at once: the session plan, the session under way (or
the next one), its cues in recording order and the take log, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from filmscore.recording.planning import PlannedSession, session_plan
from filmscore.recording.takelog import TakeSpec
from filmscore.recording.takes import list_takes


@dataclass(frozen=True)
class RecordingDesk:
    """The plan (sessions in time order), which of them is current (index, or None when
    nothing is planned), the cues to log in recording order, every take newest first."""

    sessions: tuple[PlannedSession, ...]
    current: int | None
    cues: tuple[str, ...]
    takes: tuple[TakeSpec, ...]

    @property
    def current_session(self) -> PlannedSession | None:
        return self.sessions[self.current] if self.current is not None else None


def current_index(sessions: tuple[PlannedSession, ...], now: datetime) -> int | None:
    """The session under way at ``now``, else the next to start, else the last one."""
    if not sessions:
        return None
    for i, planned in enumerate(sessions):
        if planned.session.ends_at > now:
            return i
    return len(sessions) - 1


def recording_desk(pctx, *, now: datetime | None = None) -> RecordingDesk:
    """The recording page's content (see :class:`RecordingDesk`)."""
    sessions = tuple(session_plan(pctx))
    current = current_index(sessions, now or datetime.now(UTC))
    cues: list[str] = []
    if current is not None:
        for entry in sessions[current].entries:
            if entry.cue not in cues:
                cues.append(entry.cue)
    takes = sorted(list_takes(pctx), key=lambda t: t.id or 0, reverse=True)
    return RecordingDesk(sessions, current, tuple(cues), tuple(takes))
