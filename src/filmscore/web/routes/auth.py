"""Logging in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from filmscore.web.app import page
from filmscore.web.security import Allow, check_csrf, csrf_token

router = APIRouter()


def _next(target: str | None) -> str:
    """Only a path of this site (never another host) to go to after the login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str = "/"):  # noqa: A002 - the query's name
    """The login form."""
    csrf_token(request)
    return page(request, "login.html", {"next": _next(next), "error": ""})


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, name: str = Form(""), password: str = Form(""),
          next: str = Form("/")):  # noqa: A002
    """Check the name and password; start a session (a new CSRF token with it)."""
    from filmscore.users import authenticate

    user = authenticate(request.app.state.pctx, name, password)
    if user is None:
        return page(request, "login.html", {"next": _next(next), "name": name,
                                            "error": "Wrong name or password."},
                    status_code=401)
    request.session.clear()
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, user=Depends(Allow("view"))):
    """End the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
