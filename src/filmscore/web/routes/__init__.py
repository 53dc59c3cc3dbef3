"""One router per stage; ``register(app)`` adds them all."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    from filmscore.web.routes import (
        album,
        auth,
        conform,
        cues,
        dashboard,
        downloads,
        jobs,
        mixing,
        recording,
        themes,
        timeline,
    )

    for module in (auth, dashboard, timeline, cues, mixing, themes, recording, downloads,
                   album, conform, jobs):
        app.include_router(module.router)
