"""Director review: notes at timecodes within a cue, approval or changes, status history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from filmscore.errors import ValidationError
from filmscore.model import ReviewNote, StatusEvent
from filmscore.spotting.cues import parse_cue_status
from filmscore.store import transaction
from filmscore.sync.cuemaps import cue_row
from filmscore.timecode import format_label, parse_label


@dataclass(frozen=True)
class Note:
    timecode: str
    author: str
    text: str
    music_version: int | None
    at: datetime | None


@dataclass(frozen=True)
class Step:
    status: str
    author: str
    note: str
    at: datetime | None


def add_note(pctx, number: str, timecode: str, text: str, *, author: str = "") -> Note:
    """A note at a timecode inside the cue, on the latest music version."""
    frame = parse_label(timecode, pctx.rate, field="timecode")
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        if not row.start_frame <= frame < row.end_frame:
            raise ValidationError(f"the note is outside cue {row.number}", field="timecode",
                                  value=timecode,
                                  valid=f"{format_label(row.start_frame, pctx.rate)} to "
                                        f"{format_label(row.end_frame - 1, pctx.rate)}")
        if not text.strip():
            raise ValidationError("an empty note", field="text", valid="what to change")
        version = row.music_versions[-1].number if row.music_versions else None
        session.add(ReviewNote(cue_id=row.id, music_version=version, frame=frame,
                               author=author, text=text.strip()))
        return Note(format_label(frame, pctx.rate), author, text.strip(), version, None)


def set_status(pctx, number: str, status: str, *, author: str = "", note: str = "") -> Step:
    """Move a cue to a status (approved, changes requested, mockup sent, ...), recorded."""
    status = parse_cue_status(status)
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        row.status = status
        session.add(StatusEvent(cue_id=row.id, status=status, author=author, note=note))
        return Step(status, author, note, None)


def history(pctx, number: str) -> tuple[list[Step], list[Note]]:
    """The cue's status steps (spotted first) and its review notes, oldest first."""
    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, number)
        events = session.scalars(select(StatusEvent).where(StatusEvent.cue_id == row.id)
                                 .order_by(StatusEvent.created_at, StatusEvent.id)).all()
        notes = session.scalars(select(ReviewNote).where(ReviewNote.cue_id == row.id)
                                .order_by(ReviewNote.frame, ReviewNote.id)).all()
        steps = [Step("spotted", "", "", row.created_at)]
        steps += [Step(e.status, e.author, e.note, e.created_at) for e in events]
        return steps, [Note(format_label(n.frame, pctx.rate), n.author, n.text,
                            n.music_version, n.created_at) for n in notes]
