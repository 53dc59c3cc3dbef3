"""Revised parts: a cue re-orchestrated (or re-written) after takes of it were logged.

A take records what it was played from (``Take.orchestration_number``,
``Take.music_version``).  When the cue gets a newer orchestration or music version, the
older takes are flagged (``Take.flagged``: "parts revised 2026-12-05 (orchestration v2);
this take was recorded from v1"), the new parts and score say "Revised 2026-12-05
(orchestration v2)" on page 1, and the run sheet marks the cue "parts revised".  A take
that does not say what it was played from (both None) is left alone: nothing shows it is
out of date.  A flag, once set, is kept (the first revision after the take is the one
that matters to the music editor).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from filmscore.model import MusicVersion, Orchestration, Take
from filmscore.store import transaction


def _day(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).date().isoformat()


def revised_text(kind: str, number: int, day: str) -> str:
    """'Revised 2026-12-05 (orchestration v2)' (``kind``: 'orchestration' or 'music')."""
    return f"Revised {day} ({kind} v{number})"


def take_flag(kind: str, number: int, old: int, day: str) -> str:
    """Why a take is out of date: 'parts revised 2026-12-05 (orchestration v2); this take
    was recorded from v1' (or 'music revised ... (music v3); ... from v2')."""
    what = "parts" if kind == "orchestration" else "music"
    return f"{what} revised {day} ({kind} v{number}); this take was recorded from v{old}"


def _latest(session, table, cue_id: int):
    return session.scalars(select(table).where(table.cue_id == cue_id)
                           .order_by(table.number.desc())).first()


def flag_takes_in(session, cue) -> list[int]:
    """Flag, inside an open transaction, the takes of the cue row ``cue`` recorded from an
    older orchestration or music version than its latest; the numbers of the takes flagged."""
    orch = _latest(session, Orchestration, cue.id)
    music = _latest(session, MusicVersion, cue.id)
    flagged = []
    for take in session.scalars(select(Take).where(Take.cue_id == cue.id, Take.flagged == "")
                                .order_by(Take.number)):
        why = ""
        if (orch is not None and take.orchestration_number is not None
                and take.orchestration_number < orch.number):
            why = take_flag("orchestration", orch.number, take.orchestration_number,
                            _day(orch.created_at))
        elif (music is not None and take.music_version is not None
              and take.music_version < music.number):
            why = take_flag("music", music.number, take.music_version, _day(music.created_at))
        if why:
            take.flagged = why
            flagged.append(take.number)
    return flagged


def flag_revised_takes(pctx, cue_number: str) -> list[int]:
    """Flag the cue's takes made from an older orchestration or music version (one
    transaction); the numbers of the takes flagged now."""
    from filmscore.sync.service import cue_row

    with transaction(pctx.engine) as session:
        return flag_takes_in(session, cue_row(session, pctx.project_id, cue_number))


def revision_of(session, cue_id: int, orchestration_number: int | None,
                music_version: int | None) -> str:
    """'Revised <date> (orchestration vN)' when a take of the cue was recorded from an
    older orchestration than N (or 'Revised <date> (music vM)' from an older music
    version than M); '' when no take predates these."""
    older_orch = older_music = 0
    if orchestration_number is not None:
        older_orch = session.scalar(select(func.count()).select_from(Take).where(
            Take.cue_id == cue_id, Take.orchestration_number < orchestration_number)) or 0
    if music_version is not None:
        older_music = session.scalar(select(func.count()).select_from(Take).where(
            Take.cue_id == cue_id, Take.music_version < music_version)) or 0
    if older_orch:
        row = session.scalars(select(Orchestration).where(
            Orchestration.cue_id == cue_id,
            Orchestration.number == orchestration_number)).first()
        return revised_text("orchestration", orchestration_number,
                            _day(row.created_at if row is not None else None))
    if older_music:
        row = session.scalars(select(MusicVersion).where(
            MusicVersion.cue_id == cue_id, MusicVersion.number == music_version)).first()
        return revised_text("music", music_version,
                            _day(row.created_at if row is not None else None))
    return ""


def cue_revision(pctx, cue_number: str, orchestration_number: int | None = None,
                 music_version: int | None = None) -> str:
    """The revision mark of a cue's parts (see :func:`revision_of`); the latest
    orchestration and music version when not given."""
    from filmscore.sync.service import cue_row

    with transaction(pctx.engine) as session:
        row = cue_row(session, pctx.project_id, cue_number)
        if orchestration_number is None:
            latest = _latest(session, Orchestration, row.id)
            orchestration_number = latest.number if latest is not None else None
        if music_version is None:
            latest = _latest(session, MusicVersion, row.id)
            music_version = latest.number if latest is not None else None
        return revision_of(session, row.id, orchestration_number, music_version)


__all__ = ["cue_revision", "flag_revised_takes", "flag_takes_in", "revised_text",
           "revision_of", "take_flag"]
