"""One router per stage; ``register(app)`` adds them all."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    from filmscore.web.routes import auth, cues, dashboard, recording, themes

    for module in (auth, dashboard, recording, cues, themes):
        app.include_router(module.router)
