"""The project at a glance, read from the database: every cue's progress and the film's
timeline (thin: the rules are in :mod:`.progress` and :mod:`.timeline`)."""

from __future__ import annotations

from sqlalchemy import func, select

from filmscore.errors import NotFoundError
from filmscore.model import Cue, MusicVersion, Orchestration
from filmscore.overview.progress import CueFacts, Progress, progress
from filmscore.overview.timeline import Layout, TimelineCue, layout, reels_from_cues
from filmscore.store import transaction


def _counts(pctx, table) -> dict[str, int]:
    with transaction(pctx.engine) as session:
        return dict(session.execute(
            select(Cue.number, func.count(table.id)).join(table, table.cue_id == Cue.id)
            .where(Cue.project_id == pctx.project_id).group_by(Cue.number)).all())


def _statuses(pctx) -> dict[str, str]:
    with transaction(pctx.engine) as session:
        return dict(session.execute(select(Cue.number, Cue.status)
                                    .where(Cue.project_id == pctx.project_id)).all())


def project_progress(pctx) -> Progress:
    """Every cue across the stages, the minutes of music at each, and the recording days
    (minutes planned against minutes recorded)."""
    from filmscore.recording.planning import session_plan
    from filmscore.recording.takes import take_sheet
    from filmscore.spotting.service import list_cues
    from filmscore.sync.service import cues_with_maps

    cues = list_cues(pctx)
    mapped = set(cues_with_maps(pctx))
    statuses = _statuses(pctx)
    versions = _counts(pctx, MusicVersion)
    orchestrations = _counts(pctx, Orchestration)
    planned: dict[str, list[str]] = {}
    for ps in session_plan(pctx):
        for entry in ps.entries:
            names = planned.setdefault(entry.cue, [])
            if ps.session.name not in names:
                names.append(ps.session.name)
    sheet = take_sheet(pctx)
    on_sheet = {str(c.cue.number): c for c in sheet.cues}
    facts = []
    for c in cues:
        number = str(c.number)
        row = on_sheet.get(number)
        facts.append(CueFacts(
            number=number, title=c.title, start_frame=c.start_frame, end_frame=c.end_frame,
            status=statuses.get(number, "spotted"), source=c.number.source,
            tempo_map=number in mapped,
            music_versions=versions.get(number, 0),
            orchestrations=orchestrations.get(number, 0),
            sessions=tuple(planned.get(number, ())), on_sheet=row is not None,
            takes=len(row.takes) if row else 0, circled=row.circled if row else (),
            remaining=row.remaining if row else ()))
    return progress(facts, sheet.days)


def film_timeline(pctx, *, reel: int | None = None, zoom: int = 1,
                  width_px: int = 1180) -> Layout:
    """The film (or one reel) laid out to scale: the latest picture's reels and dialogue
    markers, every cue with its sync points (the cues' span when there is no picture)."""
    from filmscore.spotting.service import list_cues, picture_markers, picture_summary

    statuses = _statuses(pctx)
    cues = [TimelineCue(str(c.number), c.title, c.start_frame, c.end_frame,
                        tuple((s.frame, s.kind, s.description) for s in c.sync_points),
                        c.number.source, statuses.get(str(c.number), ""), c.number.reel)
            for c in list_cues(pctx)]
    try:
        picture = picture_summary(pctx)
    except NotFoundError:
        picture = None
    film, reels, talk = None, (), ()
    if picture is not None:
        film = (picture.start_frame, picture.end_frame)
        reels = picture.reels
        talk = tuple((m.frame, m.end_frame, m.text)
                     for m in picture_markers(pctx, kinds=("dialogue",)))
        if cues:  # a cue spotted past the picture's end still shows
            film = (min(film[0], min(c.start_frame for c in cues)),
                    max(film[1], max(c.end_frame for c in cues)))
    if not reels:
        reels = reels_from_cues(cues)
    return layout(cues, pctx.rate, film=film, reels=reels, dialogue=talk, reel=reel,
                  zoom=zoom, width_px=width_px)
