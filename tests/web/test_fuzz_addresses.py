"""Every address of the workspace with a hostile value in each of its parts (the web side
of issue 15's fuzz suite): each path and query parameter of every route, one at a time,
given a number past what the database stores, a negative one, a digit of another script,
a null byte and the like, the others plausible, as a user allowed to use the route.  The
answer is the page, a refusal or "no such ..." (below 500): never a server error, and a
JSON refusal is one line.  The routes are walked from the app, so a new one is tried
without being listed here."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from filmscore.accounts import ROLES, can
from filmscore.web.security import api_routes, route_action
from web.conform_helpers import add_conform
from web_helpers import login, token

HOSTILE = ["9" * 30, "2147483648", "-1", "²", "٣", "1e300", "NaN", "", " ", "\x00", "..",
           "%", "1M1/../2M1", "ё" * 200]
#: a plausible value for a parameter of that name (any other: "1")
PLAUSIBLE = {"number": "1", "cue": "2M1", "medium": "cd", "stem": "strings",
             "fmt": "csv", "name": "x", "batch": "0123456789abcdef", "key": "1M1",
             "path": "x.wav", "sync_id": "1"}


@pytest.fixture
def web_project(web_project):
    add_conform(web_project)
    return web_project


def _cases(app):
    for route in api_routes(app):
        dependant = route.dependant
        path_names = [p.name for p in dependant.path_params]
        query_names = [p.name for p in dependant.query_params]
        if not path_names and not query_names:
            continue
        action = route_action(route)
        role = next((r for r in ROLES if action is None or can(r, action)), None)
        for method in sorted(route.methods - {"HEAD"}):
            for hostile_name in path_names + query_names:
                for value in HOSTILE:
                    values = {n: PLAUSIBLE.get(n, "1") for n in path_names}
                    query = {}
                    if hostile_name in values:
                        values[hostile_name] = value
                    else:
                        query[hostile_name] = value
                    yield route, method, role, values, query


def _address(route, values: dict, query: dict) -> str:
    def fill(match):
        name = match.group(1).split(":")[0]
        return quote(values[name], safe="")
    url = re.sub(r"\{([^}]+)\}", fill, route.path)
    if query:
        url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    return url


def test_no_address_is_a_server_error(app):
    clients, tokens, tried = {}, {}, 0
    for route, method, role, values, query in _cases(app):
        if role not in clients:
            clients[role] = login(app, role)
            tokens[role] = token(clients[role], "/")
        client = clients[role]
        url = _address(route, values, query)
        if method == "GET":
            answer = client.get(url, follow_redirects=False)
        else:
            answer = client.post(url, data={"csrf": tokens[role]}, follow_redirects=False)
        tried += 1
        assert answer.status_code < 500, (method, url, answer.status_code,
                                          answer.text[:300])
        if "json" in answer.headers.get("content-type", "") and answer.status_code >= 400:
            body = answer.json()
            assert set(body) == {"error"} and "\n" not in body["error"], (url, body)
    assert tried > 400   # every route with a parameter was tried


def test_an_address_naming_nothing_is_not_found(app):
    """A number out of range or a word where the address takes a number names no page:
    404, saying which part of the address; the same value in a query is bad input (422)."""
    client = login(app, "composer")
    for url in ("/album/99999999999", "/album/abc"):
        answer = client.get(url, headers={"accept": "application/json"})
        assert answer.status_code == 404, url
        assert answer.json()["error"].startswith("no such page: ") and "number" in \
            answer.json()["error"], url
    page = client.get("/album/99999999999")
    assert page.status_code == 404 and "no such page" in page.text
    query = client.get("/album/1/cd/transitions/1.wav?seconds=99999999999",
                       headers={"accept": "application/json"})
    assert query.status_code == 422 and "seconds" in query.json()["error"]
