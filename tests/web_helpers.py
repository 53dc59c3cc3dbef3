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
