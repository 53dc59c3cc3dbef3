"""What every page's routes ask of a request: the open project, what the logged-in user
may do (for the templates), and whether the caller wants JSON rather than a page."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from fastapi import Request

from filmscore.limits import bound

#: A number in a page's address or query (a change list, an album, a track's position, a
#: comp, a take, a sync point): refused (422, naming it and the range) past what the
#: database stores, instead of reaching it ("Python int too large to convert to SQLite
#: INTEGER", a server error).
Number = Annotated[int, Interval(ge=bound("record_number").low,
                                 le=bound("record_number").high)]


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
