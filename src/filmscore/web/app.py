"""The web app: ``create_app(project_dir)``.  One router per stage (``web/routes``), pages
rendered on the server from Jinja templates, errors shown once (a FilmscoreError becomes
its HTTP status and its one-line message)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from filmscore.errors import FilmscoreError, InputError, NotFoundError
from filmscore.limits import is_digits
from filmscore.web.security import NotLoggedIn, csrf_token, current_user

HERE = Path(__file__).resolve().parent
#: the session cookie's name; the secret that signs it is kept in the project folder
COOKIE = "filmscore_session"
SECRET_FILE = ".filmscore-web-secret"
#: the largest request body accepted (a take's stems, a picture cut): 2 GiB
MAX_UPLOAD_BYTES = 2 * 1024**3
#: a login lasts a working day and a half
SESSION_SECONDS = 36 * 3600

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["current_user"] = current_user


def secret_key(project_dir: Path) -> str:
    """The key that signs session cookies: FILMSCORE_WEB_SECRET, else a file in the project
    folder (made once, readable by its owner only)."""
    given = os.environ.get("FILMSCORE_WEB_SECRET")
    if given:
        return given
    path = Path(project_dir) / SECRET_FILE
    if path.is_file():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def page(request: Request, name: str, context: dict | None = None,
         status_code: int = 200, headers: dict | None = None) -> HTMLResponse:
    """Render the template ``name`` with the request, the user and ``context``."""
    ctx = {"user": current_user(request), "pctx": request.app.state.pctx, **(context or {})}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code,
                                      headers=headers)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or (not accept and request.method == "GET")


def validation_error(exc: RequestValidationError) -> InputError:
    """The first of a request's validation errors as an InputError: the field, pydantic's
    reason and the value sent (when it is one)."""
    first = (exc.errors() or [{}])[0]
    loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path")]
    value = first.get("input")
    shown = value if isinstance(value, (str, int, float, bool)) and loc else None
    reason = str(first.get("msg", "not a valid request")).rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    if first.get("type") == "json_invalid":
        return InputError("the request body is not JSON", field="body",
                          valid="a JSON object")
    return InputError(reason, field=".".join(loc) or "body", value=shown,
                      valid="a JSON object with the fields the page sends" if not loc
                      else None)


def can_listen(host: str, port: int) -> None:
    """InputError (one line) when the workspace cannot listen on ``host``:``port``: an
    unknown host, an address not of this machine, a port in use or not ours to open.
    (uvicorn would log a traceback of its own and stop.)  Tried with a socket bound and
    closed at once, as uvicorn binds it (SO_REUSEADDR)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot listen on {host}:{port}: {reason}", field="--host/--port",
                         valid="an address of this machine (127.0.0.1, 0.0.0.0) and a free "
                         "port") from None


def create_app(project_dir: str | os.PathLike[str], db: str | None = None, *,
               secure_cookies: bool = True, pctx=None) -> FastAPI:
    """The web app over the project in ``project_dir`` (its database, or ``db``)."""
    from filmscore.project import open_project
    from filmscore.web.routes import register

    project_dir = Path(project_dir)
    app = FastAPI(title="filmscore", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pctx = pctx if pctx is not None else open_project(project_dir, db=db)
    app.state.project_dir = project_dir.resolve()
    app.add_middleware(SessionMiddleware, secret_key=secret_key(project_dir),
                       session_cookie=COOKIE, max_age=SESSION_SECONDS, same_site="lax",
                       https_only=secure_cookies)

    @app.middleware("http")
    async def limits(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and is_digits(length) and int(length) > MAX_UPLOAD_BYTES:
            return JSONResponse({"error": f"request body of {int(length)} bytes is over the "
                                          f"limit of {MAX_UPLOAD_BYTES} bytes"},
                                status_code=413)
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.exception_handler(NotLoggedIn)
    async def _login_first(request: Request, exc: NotLoggedIn):
        if request.method == "GET" and _wants_html(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return JSONResponse({"error": "log in first"}, status_code=401)

    @app.exception_handler(FilmscoreError)
    async def _refused(request: Request, exc: FilmscoreError):
        if _wants_html(request):
            return page(request, "error.html", {"message": str(exc),
                                                "status": exc.http_status},
                        status_code=exc.http_status)
        return JSONResponse({"error": str(exc)}, status_code=exc.http_status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        # no such route (404), a method the route does not take (405): said as every
        # other refusal is, not as {"detail": ...}
        reason = str(exc.detail)
        if reason in ("Not Found", "Method Not Allowed"):  # Starlette's words for them
            reason = {404: "no such page",
                      405: f"{request.method} is not taken here"}.get(exc.status_code,
                                                                      reason)
        if _wants_html(request):
            return page(request, "error.html", {"message": reason,
                                                "status": exc.status_code},
                        status_code=exc.status_code, headers=exc.headers)
        return JSONResponse({"error": reason}, status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, exc: RequestValidationError):
        # a JSON body the route's model refuses (a field missing, a wrong type): answered
        # like any bad input, one line naming the field (FastAPI's own answer is a list
        # of pydantic's records under "detail"); an address whose own parts are refused
        # (a record number out of range, a word where a number goes) names nothing: 404
        refused = validation_error(exc)
        if exc.errors() and all(tuple(e.get("loc", ()))[:1] == ("path",)
                                for e in exc.errors()):
            return await _refused(request, NotFoundError(f"no such page: {refused}"))
        return await _refused(request, refused)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    register(app)
    return app
