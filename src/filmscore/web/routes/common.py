"""What every page's routes ask of a request: the open project, what the logged-in user
may do (for the templates), and whether the caller wants JSON rather than a page."""

from __future__ import annotations

from fastapi import Request


def project_of(request: Request):
    """The project the workspace serves (its ``ProjectContext``)."""
    return request.app.state.pctx


def allowed_for(request: Request):
    """``allowed(action)`` for the templates: may the logged-in user do it?"""
    from filmscore.accounts import can
    from filmscore.web.security import current_user

    user = current_user(request)
    return lambda action: user is not None and can(user.role, action)


def wants_json(request: Request) -> bool:
    """A form posted by the page's script (it asks for JSON) rather than by the browser."""
    return "application/json" in request.headers.get("accept", "")
