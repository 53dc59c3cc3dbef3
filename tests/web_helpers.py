"""Helpers for the web tests: the password every test user has, the CSRF token a page
carries, a client logged in as a role."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


def token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token the page at ``path`` carries (in its forms and its meta tag)."""
    html = client.get(path).text
    return re.search(r'name="csrf(?:-token)?" (?:value|content)="([^"]+)"', html).group(1)


def login(app, role: str) -> TestClient:
    """A client (HTTPS, so that the secure cookie is sent) logged in as '<role> user'."""
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/login", data={"name": f"{role} user", "password": PASSWORD,
                                           "csrf": token(client), "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def jobs_on_threads(monkeypatch) -> None:
    """Run background jobs on threads of this process, so a service a test stands in for
    (monkeypatched) is the one the job calls (a spawned worker would import the real one)."""
    from concurrent.futures import ThreadPoolExecutor

    from filmscore import jobs

    monkeypatch.setattr(jobs, "process_pool",
                        lambda workers, imports=(): ThreadPoolExecutor(max(1, workers)))


def wait_batch(pctx, batch: str, seconds: float = 60):
    """A batch of jobs' status once every job in it has finished (fails after ``seconds``)."""
    import time

    from filmscore import jobs

    deadline = time.monotonic() + seconds
    while not jobs.batch_status(pctx, batch).finished:
        assert time.monotonic() < deadline, jobs.batch_status(pctx, batch)
        time.sleep(0.05)
    return jobs.batch_status(pctx, batch)
