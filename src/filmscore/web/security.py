"""Who is asking and what they may do: the session cookie, the logged-in user, the action
each route needs (``Allow``), CSRF on every form and every non-GET request, and paths that
never leave the project folder.

Sessions are Starlette's signed cookies (itsdangerous), HttpOnly, SameSite=Lax, Secure
unless the server was started with ``--insecure-cookies``.  The CSRF token lives in the
session and must come back with every POST, PUT, PATCH or DELETE: as the form field
``csrf`` or the header ``X-CSRF-Token``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Request

from filmscore.accounts import ACTIONS, can, roles_for
from filmscore.errors import FilmscoreError, InputError
from filmscore.limits import check_path

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotLoggedIn(Exception):
    """No user in the session: a page redirects to the login, an API call gets 401."""


class Forbidden(FilmscoreError):
    """The user's role may not do what the route does."""

    exit_code = 7
    http_status = 403


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf", "")
    given = request.headers.get("x-csrf-token", "")
    if not given and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        given = str((await request.form()).get("csrf", ""))
    if not expected or not secrets.compare_digest(str(given), str(expected)):
        raise Forbidden("the form has expired or did not come from this site (CSRF "
                        "token missing or wrong); reload the page and try again")


def current_user(request: Request):
    """The logged-in user (``users.UserInfo``) or None."""
    from filmscore.users import get_user

    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = get_user(request.app.state.pctx, uid)
    request.state.user = user
    return user


class Allow:
    """The dependency every route declares: the logged-in user, when their role may do
    ``action`` (a key of ``accounts.ACTIONS``); CSRF checked for state-changing requests.
    ``route_action(route)`` reads the action back (the role-matrix test uses it)."""

    def __init__(self, action: str) -> None:
        if action not in ACTIONS:
            raise KeyError(f"unknown action {action!r}")
        self.action = action

    async def __call__(self, request: Request):
        user = current_user(request)
        if user is None:
            raise NotLoggedIn()
        await check_csrf(request)
        if not can(user.role, self.action):
            raise Forbidden(f"a {user.role} may not {ACTIONS[self.action]} (allowed: "
                            f"{', '.join(roles_for(self.action))})")
        return user


def route_action(route) -> str | None:
    """The action an APIRoute needs (None: a public route such as the login page)."""
    dependant = getattr(route, "dependant", None)
    stack = list(dependant.dependencies) if dependant is not None else []
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Allow):
            return dep.call.action
        stack.extend(dep.dependencies)
    return None


def inside(root: Path, relative: str | Path, *, field: str = "path") -> Path:
    """``root / relative`` resolved, refused when it leaves ``root`` (``..``, an absolute
    path, a link pointing out)."""
    root = Path(root).resolve()
    check_path(relative, "not a file of this project", field=field)
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise InputError("not a file of this project", field=field, value=str(relative),
                         valid=f"a path inside {root.name}/")
    return target


def api_routes(app) -> list:
    """Every APIRoute of the app, routers included (FastAPI 0.165 keeps an included router
    as one ``_IncludedRouter`` entry: walked through its ``original_router``).  Routers are
    included without a prefix: each route declares its whole path."""
    from fastapi.routing import APIRoute

    out, stack = [], list(reversed(app.routes))
    while stack:
        route = stack.pop()
        if isinstance(route, APIRoute):
            out.append(route)
        elif getattr(route, "original_router", None) is not None:
            stack.extend(reversed(route.original_router.routes))
    return out
