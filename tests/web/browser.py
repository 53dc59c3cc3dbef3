"""The real-browser harness: the real server (uvicorn on a free loopback port, in a thread)
over a project made in the test, Debian's Chromium driven by Playwright, pages logged in as
a role, and screenshots kept as test artefacts.

Fixtures (made available to every test under tests/web by its conftest):

``live_server``  the app over ``web_project`` (override ``web_project`` in a test module to
                 serve another project, e.g. a copy of the demo), served for real:
                 ``.url``, ``.project_dir``; ``.db()`` opens the project's database apart
                 from the server, to check what it holds; ``with .away(path):`` the
                 server answers 503 to ``path`` while the rest of it (the page) works;
                 ``.lose_next_answer(path)``: the app does the next request to ``path``,
                 the page gets a 502.
``browser``      one headless Chromium for the whole session (``/usr/bin/chromium`` or
                 ``FILMSCORE_CHROMIUM``: nothing downloads a browser).
``as_browser``   ``as_browser(role, start="/") -> Page``: a fresh browser context logged in
                 through the login form as '<role> user' (password
                 ``web_helpers.PASSWORD``), on ``start`` (checked to answer below 400);
                 ``page.js_errors`` collects the page's uncaught script errors; contexts
                 are closed when the test ends.

``screenshot(page, name)`` saves the whole page to ``test-artifacts/screenshots/NAME.png``
(gitignored) and returns the path; look at them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from web_helpers import PASSWORD

CHROMIUM = os.environ.get("FILMSCORE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
#: how long a page may take to do what a test waits for (ms)
TIMEOUT_MS = 15_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Gate:
    """The app as an ASGI callable that answers 503 to the paths set away: the server
    side of "the server cannot be reached", which the test does not have to ask the
    browser to fake.  (Playwright's ``page.route`` abort let one request through to the
    server once in a CI run of the whole suite, 1.65.3: a test of the page's queue must
    not depend on it.)"""

    def __init__(self, app) -> None:
        self.app, self.away = app, set()
        self.lose: dict[str, list[int]] = {}   # path -> the statuses of answers lost

    async def __call__(self, scope, receive, send) -> None:
        path = scope["path"] if scope["type"] == "http" else None
        if path in self.away:
            await self._answer(send, 503, b'{"error": "the server is away"}')
            return
        lost = self.lose.pop(path, None)
        if lost is None:
            await self.app(scope, receive, send)
            return
        # the app does the work; its answer never reaches the page (a proxy's 502)
        async def keep(message) -> None:
            if message["type"] == "http.response.start":
                lost.append(message["status"])
        await self.app(scope, receive, keep)
        await self._answer(send, 502, b'{"error": "the answer was lost"}')

    @staticmethod
    async def _answer(send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


@dataclass
class LiveServer:
    """A running server: its address and the project it serves."""

    url: str
    project_dir: Path
    app: object
    gate: _Gate

    @contextlib.contextmanager
    def away(self, path: str):
        """Within the block the server answers 503 to ``path``; the rest works."""
        self.gate.away.add(path)
        try:
            yield
        finally:
            self.gate.away.discard(path)

    def lose_next_answer(self, path: str) -> list[int]:
        """The next request to ``path`` is done by the app, but its answer is lost on the
        way (the page gets a 502); the list returned gets the status the app answered."""
        lost: list[int] = []
        self.gate.lose[path] = lost
        return lost

    @contextlib.contextmanager
    def db(self):
        """The project opened apart from the server (its own engine): what the database
        holds, not what the server's objects remember."""
        from filmscore.project import open_project

        with open_project(self.project_dir) as pctx:
            yield pctx


@pytest.fixture
def live_server(web_project: Path) -> Iterator[LiveServer]:
    """``filmscore serve`` as it runs (uvicorn, secure cookies: Chromium sends them to a
    loopback address over plain HTTP), on a free port, stopped when the test ends."""
    import uvicorn

    from filmscore.web.app import create_app

    app = create_app(web_project)
    port = free_port()
    gate = _Gate(app)
    server = uvicorn.Server(uvicorn.Config(gate, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name=f"uvicorn:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", Path(web_project), app, gate)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.pctx.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, at CHROMIUM) for the test session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: 'make install' installs Debian's chromium "
                    "package (or set FILMSCORE_CHROMIUM)")
    with sync_playwright() as pw:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def as_browser(browser, live_server) -> Iterator[Callable]:
    """``as_browser(role, start)``: a page logged in as '<role> user', on ``start``."""
    contexts = []

    def login(role: str, start: str = "/", *, width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # a test asserts this stays empty
        page.goto(f"/login?next={start}")
        page.fill("input[name=name]", f"{role} user")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}{start}") as landed:
            page.click("form.login button[type=submit]")
        response = landed.value
        assert response is not None and response.status < 400, (
            f"{start} answered {response.status if response else None} after the login "
            f"as {role}: {page.inner_text('body')[:300]}")
        return page

    yield login
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


def screenshot(page, name: str) -> Path:
    """The whole page as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def plan_a_session(project_dir: Path, cues: tuple[str, ...] = ("1M1", "1M2", "2M1")) -> None:
    """Give the project ``cues`` (8 seconds each at 24 fps) and a session under way now
    ('today') with them planned in that order: what the recording page needs."""
    from datetime import UTC, datetime, timedelta

    from filmscore.model import Cue, PlanEntry, RecordingSession
    from filmscore.project import open_project
    from filmscore.store import transaction

    with open_project(project_dir) as pctx, transaction(pctx.engine) as db:
        rows = []
        for i, number in enumerate(cues):
            start = 24 * (10 + 20 * i)
            rows.append(Cue(project_id=pctx.project_id, number=number, reel=int(number[0]),
                            seq=i + 1, title=f"Cue {number}", start_frame=start,
                            end_frame=start + 8 * 24))
        db.add_all(rows)
        now = datetime.now(UTC).replace(microsecond=0)
        session = RecordingSession(project_id=pctx.project_id, name="today",
                                   starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=2), kind="orchestra",
                                   stage="Stage A", tz="UTC")
        db.add(session)
        db.flush()
        db.add_all(PlanEntry(session_id=session.id, position=i + 1, cue_id=cue.id,
                             duration_frames=8 * 24, chairs=["Violin I", "Cello"])
                   for i, cue in enumerate(rows))
