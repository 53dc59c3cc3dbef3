"""Logging in and out, CSRF on every form, the session cookie, roles."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from filmscore.accounts import ROLES, can, hash_password, verify_password
from web_helpers import PASSWORD, token


def test_a_password_is_kept_as_an_argon2id_hash_only():
    digest = hash_password("a long enough one")
    assert digest.startswith("$argon2id$") and "a long enough one" not in digest
    assert verify_password(digest, "a long enough one")
    assert not verify_password(digest, "another one")


def test_pages_need_a_login_and_a_wrong_password_is_refused(app):
    client = TestClient(app, base_url="https://testserver")
    first = client.get("/", follow_redirects=False, headers={"accept": "text/html"})
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/"
    bad = client.post("/login", data={"name": "composer user", "password": "wrong one!",
                                      "csrf": token(client)})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    unknown = client.post("/login", data={"name": "nobody", "password": PASSWORD,
                                          "csrf": token(client)})
    assert unknown.status_code == 401 and "Wrong name or password" in unknown.text


def test_the_session_cookie_is_secure_httponly_and_samesite(app):
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/login", data={"name": "composer user", "password": PASSWORD,
                                           "csrf": token(client)}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert client.get("/").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(app, as_role):
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/login", data={"name": "composer user", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF" in response.text
    composer = as_role("composer")
    assert composer.post("/logout", data={}).status_code == 403
    html = composer.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    out = composer.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert composer.get("/", follow_redirects=False).status_code in (303, 401)


def test_the_roles_table():
    assert set(ROLES) == {"composer", "music editor", "orchestrator", "copyist", "contractor",
                          "engineer", "director"}
    assert can("director", "review") and can("director", "approve")
    assert not can("director", "log takes") and not can("director", "edit takes")
    assert can("copyist", "copy") and not can("copyist", "spot")
    for role in ROLES:
        assert can(role, "view")


def test_one_account_logged_in_from_many_places_at_once(app):
    """Simultaneous logins of one account (a phone and a laptop) all succeed."""
    from concurrent.futures import ThreadPoolExecutor

    from web_helpers import login

    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(lambda _n: login(app, "music editor"), range(8)))
    assert all(c.get("/").status_code == 200 for c in clients)
