"""The dashboard: every cue across the stages, and the minutes of music at each against
the recording plan."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from filmscore.timecode import format_duration, format_label
from filmscore.web.app import page, templates
from filmscore.web.security import Allow

router = APIRouter()
# formatting for the pages: a length as M:SS+FF, a frame as its timecode
templates.env.globals.setdefault("duration", format_duration)
templates.env.globals.setdefault("timecode", format_label)


@router.get("/")
def dashboard(request: Request, user=Depends(Allow("view"))):
    """Every cue with its state at each stage; totals per stage; the recording days."""
    from filmscore.overview.service import project_progress

    return page(request, "dashboard.html",
                {"progress": project_progress(request.app.state.pctx)})
