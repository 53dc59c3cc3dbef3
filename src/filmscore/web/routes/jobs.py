"""Background jobs in the page: start every cue's mockups, parts, scores or streamers, and
follow their progress (a JSON status the page polls)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse

from filmscore.web.app import page
from filmscore.web.security import Allow

router = APIRouter()

#: what each start button makes: the kind of job and its options (the output in the project)
STARTS = {
    "mockups": ("mockup", {"soundfont": "fluidr3"}),
    "parts": ("copy", {"out": "parts", "parts": True, "score": False}),
    "scores": ("copy", {"out": "scores", "parts": False, "score": True}),
    "streamers": ("streamers", {}),
    "comps": ("comp", {}),
}


def _start(request: Request, user, what: str):
    from filmscore import jobs

    pctx = request.app.state.pctx
    kind, options = STARTS[what]
    options = dict(options)
    if "out" in options:
        options["out"] = pctx.directory / options["out"]
    batch = jobs.start(pctx, kind, None, options, started_by=user.name)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return RedirectResponse(f"/jobs?batch={batch}", status_code=303)


@router.post("/jobs/mockups")
def start_mockups(request: Request, user=Depends(Allow("write"))):
    """Render every cue's mockup in the background."""
    return _start(request, user, "mockups")


@router.post("/jobs/parts")
def start_parts(request: Request, user=Depends(Allow("copy"))):
    """Engrave every orchestrated cue's parts in the background."""
    return _start(request, user, "parts")


@router.post("/jobs/scores")
def start_scores(request: Request, user=Depends(Allow("copy"))):
    """Engrave every orchestrated cue's conductor's score in the background."""
    return _start(request, user, "scores")


@router.post("/jobs/streamers")
def start_streamers(request: Request, user=Depends(Allow("tempo"))):
    """Render every cue's streamer video in the background."""
    return _start(request, user, "streamers")


@router.post("/jobs/comps")
def start_comps(request: Request, user=Depends(Allow("mix"))):
    """Render every cue's latest comp in the background."""
    return _start(request, user, "comps")


@router.get("/jobs/batch/{batch}")
def batch_json(request: Request, batch: str, user=Depends(Allow("view"))):
    """A batch's jobs and progress, as JSON (what the page polls)."""
    from filmscore.jobs import batch_status

    return JSONResponse(batch_status(request.app.state.pctx, batch).as_json())


@router.get("/jobs")
def jobs_page(request: Request, batch: str | None = None, user=Depends(Allow("view"))):
    """The latest jobs, the start buttons the user may press, a batch's progress."""
    from filmscore.accounts import can
    from filmscore.jobs import KINDS, batch_status, live_workers, recent_jobs

    pctx = request.app.state.pctx
    status = batch_status(pctx, batch) if batch else None
    starts = [(what, KINDS[kind].title if what != "scores" else "conductor's scores")
              for what, (kind, _) in STARTS.items() if can(user.role, KINDS[kind].action)]
    return page(request, "jobs.html", {"jobs": recent_jobs(pctx, 50), "batch": status,
                                       "starts": starts,
                                       "workers": live_workers(pctx)})
