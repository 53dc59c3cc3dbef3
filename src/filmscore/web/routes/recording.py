"""The recording page: the session plan and the take logger (keyboard only, entries queued
in the browser and sent to ``POST /api/takes`` with a key the server recognises when an
entry is sent again after a lost connection)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import AwareDatetime, BaseModel, Field

from filmscore.accounts import can
from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.security import Allow

router = APIRouter()

#: the logger's keys: key -> the take type it logs (vocabulary as data; the page's script
#: and its key help both read this table)
TAKE_KEYS: dict[str, str] = {
    "Enter": "complete",
    "f": "false start",
    "b": "breakdown",
    "p": "pickup",
    "a": "alternate",
    "w": "wild",
}


class TakeEntry(BaseModel):
    """One take as the page sends it."""

    cue: str = Field(min_length=1, max_length=40)
    kind: str = "complete"
    circled: bool = False
    notes: str = Field("", max_length=2000)
    entry_key: str | None = Field(None, max_length=64)
    #: when it was logged on the stage (the browser's clock, as an ISO time with its
    #: offset: a time without one is refused, not guessed)
    logged_at: AwareDatetime | None = None


class CircleEntry(BaseModel):
    circled: bool = True


def take_json(take, rate, entry_key: str | None = None) -> dict:
    """A take as the page shows it."""
    from filmscore.timecode import format_label

    return {"id": take.id, "cue": take.cue, "number": take.number, "kind": take.kind,
            "circled": take.circled, "notes": take.notes, "bars": take.bars,
            "session": take.session or "",
            "tc": format_label(take.timecode_frame, rate) if take.timecode_frame is not None
            else "", "entry_key": entry_key}


def _session_view(planned, rate) -> dict:
    from filmscore.timecode import format_duration

    spec = planned.session
    start, end = spec.local_start, spec.local_end
    return {
        "name": spec.name, "kind": spec.kind, "stage": spec.stage,
        "day": start.strftime("%a %d %b %Y"),
        "time": f"{start:%H:%M}–{end:%H:%M}", "tz": spec.tz or start.strftime("%Z"),
        "players": planned.players,
        "length": format_duration(planned.duration_frames, rate),
        "chairs": [f"{c.chair}{' ×' + str(c.players) if c.players > 1 else ''}"
                   for c in planned.chairs],
        "entries": [{"position": e.position, "cue": e.cue, "title": e.title,
                     "part": e.part, "bars": (f"{e.bar_from}–{e.bar_to}"
                                              if e.bar_from is not None else ""),
                     "length": format_duration(e.duration_frames, rate),
                     "players": e.players, "group": e.group, "pickup": e.pickup_id is not None}
                    for e in planned.entries],
    }


@router.get("/recording")
def recording_page(request: Request, user=Depends(Allow("view"))):
    """The session plan, the current session's cues and the take log."""
    from filmscore.recording.desk import recording_desk

    pctx = request.app.state.pctx
    desk = recording_desk(pctx)
    sessions = [_session_view(s, pctx.rate) for s in desk.sessions]
    titles = {e["cue"]: e["title"] for s in sessions for e in s["entries"]}
    return page(request, "recording.html", {
        "sessions": sessions, "current": desk.current,
        "cues": [{"cue": c, "title": titles.get(c, "")} for c in desk.cues],
        "takes": [take_json(t, pctx.rate) for t in desk.takes],
        "keys": TAKE_KEYS, "may_log": can(user.role, "log takes"),
        "project_key": str(request.app.state.project_dir.name),
    })


@router.post("/api/takes")
def log_take_api(request: Request, entry: TakeEntry, user=Depends(Allow("log takes"))):
    """Log one take (the same ``entry_key`` again returns the take already logged)."""
    from filmscore.recording.takes import log_take

    pctx = request.app.state.pctx
    take = log_take(pctx, entry.cue, kind=entry.kind, circled=entry.circled,
                    notes=entry.notes or None, logged_by=user.name, now=entry.logged_at,
                    entry_key=entry.entry_key)
    return take_json(take, pctx.rate, entry.entry_key)


@router.post("/api/takes/{cue}/{number}/circle")
def circle_take_api(request: Request, cue: str, number: Number, entry: CircleEntry | None = None,
                    user=Depends(Allow("log takes"))):
    """Circle (or, with ``{"circled": false}``, uncircle) a take."""
    from filmscore.recording.takes import circle_take

    pctx = request.app.state.pctx
    take = circle_take(pctx, cue, number, entry.circled if entry is not None else True)
    return take_json(take, pctx.rate)
