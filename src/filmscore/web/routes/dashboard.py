"""The dashboard: every cue and where it stands."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from filmscore.web.app import page
from filmscore.web.security import Allow

router = APIRouter()


@router.get("/")
def dashboard(request: Request, user=Depends(Allow("view"))):
    """Every cue with its status."""
    from filmscore.spotting.service import list_cues
    from filmscore.timecode import format_duration, format_label

    pctx = request.app.state.pctx
    cues = list_cues(pctx)
    rows = [{"number": str(c.number), "title": c.title,
             "start": format_label(c.start_frame, pctx.rate),
             "length": format_duration(c.end_frame - c.start_frame, pctx.rate)}
            for c in cues]
    return page(request, "dashboard.html", {"cues": rows})
