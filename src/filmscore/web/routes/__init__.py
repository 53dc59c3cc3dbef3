"""One router per stage; ``register(app)`` adds them all."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    from filmscore.web.routes import auth, dashboard, jobs

    for module in (auth, dashboard, jobs):
        app.include_router(module.router)
