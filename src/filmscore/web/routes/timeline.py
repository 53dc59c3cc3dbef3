"""The timeline: the film's reels, cues, sync points and dialogue to scale (inline SVG)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.security import Allow

router = APIRouter()


@router.get("/timeline")
def timeline(request: Request, reel: Number | None = None, zoom: Number = 1,
             user=Depends(Allow("view"))):
    """The whole film or one reel (``?reel=2``), at a zoom (``?zoom=4``)."""
    from filmscore.overview.service import film_timeline
    from filmscore.overview.timeline import ZOOMS
    from filmscore.spotting.cues import SYNC_KINDS

    return page(request, "timeline.html",
                {"tl": film_timeline(request.app.state.pctx, reel=reel, zoom=zoom),
                 "zooms": ZOOMS, "sync_kinds": list(SYNC_KINDS)})
