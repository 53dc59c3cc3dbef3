"""Shared fixtures: a throwaway PostgreSQL server, and database URLs for both backends.

``pg_url`` is the URL of a PostgreSQL database for this test session: env
``FILMSCORE_TEST_PG`` when set (its role must be allowed to CREATE DATABASE), else a
server started with ``scripts/pg-test-server`` in a temporary folder and destroyed at
the end of the session.  PostgreSQL is never skipped: when no server can be had, the
tests that need one fail and say why.

``db_url`` runs a test twice, on SQLite (a file in tmp_path) and on PostgreSQL (a fresh
database made for the test and dropped after it).  ``db_engine`` is that database,
opened and migrated to head.

Every PDF and video a test writes into its ``tmp_path`` is looked at when the test ends
(``looking.look_at_pdf`` / ``look_at_video``): each page rendered to PNG must have ink and
none off the paper, each video's first, middle and last frames must be pictures.  A test
that writes a broken file on purpose says so with ``@pytest.mark.not_looked("why")``.

The demo (``filmscore demo``, about a third of the suite's time when built in line) is
built in a process of its own from the session's first test on, beside the rest of the
suite, whose tests mostly keep one of the machine's cores busy; tests/test_demo.py runs
last and its ``demo`` fixture waits for that build (``demo_build``).  ``make test`` runs
the suite in two pytest-xdist workers (``-n 2 --dist loadfile``: a file's tests in one
worker, in order); the demo is then built once, by the controlling process
(``pytest_configure``), and the worker that runs tests/test_demo.py waits for it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import Engine, make_url

from filmscore import children, store
from looking import PDF_SUFFIXES, VIDEO_SUFFIXES, look_at_files
from web.browser import as_browser, browser, live_server  # noqa: F401

# (the real-browser fixtures above are defined once, here, for every test that asks: a
# second Playwright cannot start in the process while the first one runs)

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-test-server"
DEMO_TESTS = Path(__file__).resolve().with_name("test_demo.py")
_DEMO_BUILD = pytest.StashKey["DemoBuild"]()


def _in_demo_tests(item: pytest.Item) -> bool:
    return Path(item.path) == DEMO_TESTS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """tests/test_demo.py last, so that the demo built in the background (``demo_build``)
    has the rest of the suite's time to finish."""
    demo = [item for item in items if _in_demo_tests(item)]
    if demo:
        items[:] = [item for item in items if not _in_demo_tests(item)] + demo


class SharedDemoBuild:
    """The demo another process (the xdist controller) is building into ``out``: its
    output beside ``out``, its exit status in ``demo.rc`` when it has ended."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.stdout = out.parent / "demo.stdout"
        self.stderr = out.parent / "demo.stderr"
        self.rc = out.parent / "demo.rc"

    def _ended(self, code: int) -> tuple[int, str, str]:
        return (code, self.stdout.read_text(encoding="utf-8"),
                self.stderr.read_text(encoding="utf-8"))

    def result(self, timeout: float) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) once the build has ended."""
        deadline = time.monotonic() + timeout
        while not self.rc.is_file():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the demo was not built in {timeout} s ({self.out})")
            time.sleep(1)
        return self._ended(int(self.rc.read_text()))

    def stop(self) -> None:
        """(the controller stops its build)"""


class DemoBuild(SharedDemoBuild):
    """``filmscore demo OUT`` running in a process of its own (its own process group);
    ``note_the_end`` writes its exit status to ``demo.rc`` for the workers'
    ``SharedDemoBuild``."""

    def __init__(self, out: Path) -> None:
        super().__init__(out)
        with open(self.stdout, "wb") as stdout, open(self.stderr, "wb") as stderr:
            # (children.popen: it dies with this process, killed or not)
            self.process = children.popen(
                [sys.executable, "-c", "from filmscore.cli import main; main()", "demo",
                 str(out)], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                start_new_session=True)

    def result(self, timeout: float) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) once the build has ended."""
        return self._ended(self.process.wait(timeout))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def note_the_end(self) -> None:
        """Wait for the build (in a thread of its own) and write its status to demo.rc."""
        def wait() -> None:
            code = self.process.wait()
            scratch = self.rc.with_suffix(".part")
            scratch.write_text(str(code))
            scratch.replace(self.rc)

        threading.Thread(target=wait, name="demo-build", daemon=True).start()


#: the environment variable naming the demo's output folder that the xdist controller is
#: building for its workers
SHARED_DEMO = "FILMSCORE_TEST_SHARED_DEMO"


def _demo_is_asked_for(config: pytest.Config) -> bool:
    """Whether the paths on the command line include tests/test_demo.py (before -k or -m:
    the controller does not collect)."""
    args = [Path(a.split("::")[0]).resolve() for a in config.args] or [
        Path(config.rootpath, p).resolve() for p in config.getini("testpaths")]
    return any(DEMO_TESTS == a or a in DEMO_TESTS.parents for a in args)


def pytest_configure(config: pytest.Config) -> None:
    """In the xdist controller: start the demo's build for the workers (``SHARED_DEMO``)."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if not _demo_is_asked_for(config):
        return
    folder = Path(tempfile.mkdtemp(prefix="filmscore-demo-"))
    build = DemoBuild(folder / "demo-out")
    build.note_the_end()
    config.stash[_DEMO_BUILD] = build
    os.environ[SHARED_DEMO] = str(build.out)  # (the workers start after this, with it)


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    build = config.stash.get(_DEMO_BUILD, None)
    if isinstance(build, DemoBuild) and os.environ.get(SHARED_DEMO) == str(build.out):
        build.stop()
        os.environ.pop(SHARED_DEMO, None)
        shutil.rmtree(build.out.parent, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _demo_in_background(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Start building the demo when the session's tests include tests/test_demo.py's (in
    an xdist worker: the controller builds it, ``pytest_configure``)."""
    if not any(_in_demo_tests(item) and "demo" in item.fixturenames
               for item in request.session.items):  # (the tests left after -k, -m)
        yield
        return
    if hasattr(request.config, "workerinput"):
        shared = os.environ.get(SHARED_DEMO)
        if shared:
            request.config.stash[_DEMO_BUILD] = SharedDemoBuild(Path(shared))
        yield
        return
    build = DemoBuild(tmp_path_factory.mktemp("demo") / "demo-out")
    request.config.stash[_DEMO_BUILD] = build
    try:
        yield
    finally:
        build.stop()


@pytest.fixture(scope="session")
def demo_build(request: pytest.FixtureRequest) -> DemoBuild:
    """The demo being built in the background (``_demo_in_background``)."""
    build = request.config.stash.get(_DEMO_BUILD, None)
    if build is None:
        pytest.fail("the demo is built only for tests/test_demo.py's tests", pytrace=False)
    return build


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL database for the whole session (started when first needed)."""
    given = os.environ.get("FILMSCORE_TEST_PG")
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="filmscore-pg-")
    try:
        done = subprocess.run([str(SCRIPT), "start", folder], capture_output=True, text=True,
                              timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"cannot start the PostgreSQL test server with {SCRIPT}: {exc}; "
                    "set FILMSCORE_TEST_PG to a server URL", pytrace=False)
    if done.returncode != 0 or not done.stdout.strip():
        subprocess.run([str(SCRIPT), "destroy", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"cannot start the PostgreSQL test server ({SCRIPT} start {folder}, "
                    f"exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}; "
                    "set FILMSCORE_TEST_PG to a server URL", pytrace=False)
    try:
        yield done.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(SCRIPT), "destroy", folder], capture_output=True, check=False,
                       timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _libpq(url: str) -> str:
    """A URL psycopg.connect takes (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = f"filmscore_t_{uuid.uuid4().hex[:16]}"
    admin = _libpq(pg_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: SQLite in tmp_path, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_database")


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """The ``db_url`` database, opened and migrated to head."""
    engine = store.open_engine(db_url)
    store.migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _look_at_what_the_test_made(request: pytest.FixtureRequest) -> Iterator[None]:
    """Render every PDF and video the test wrote into its tmp_path and check it."""
    looked = "tmp_path" in request.fixturenames and not request.node.get_closest_marker(
        "not_looked")
    folder = request.getfixturevalue("tmp_path") if looked else None  # torn down after us
    yield
    if folder is None:
        return
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        return  # the test failed already: its files may be half made
    look_at_files([path for path in sorted(folder.rglob("*")) if path.is_file() and
                   path.suffix.lower() in PDF_SUFFIXES + VIDEO_SUFFIXES])


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item (the look above skips failed tests)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
