"""Every route of the web app, tried as every role: a route that needs an action its role
does not have is refused (403), and no route of the app is without a declared action
except the login page."""

from __future__ import annotations

import pytest

from filmscore.accounts import ROLES, can
from filmscore.web.security import api_routes, route_action
from web_helpers import token

PUBLIC = {("GET", "/login"), ("POST", "/login")}


def _routes(app):
    for route in api_routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route


def _path(route) -> str:
    """A concrete path for the route (placeholders filled with a value that exists or
    not: the role check comes before any lookup)."""
    path = route.path
    for name in route.param_convertors:
        path = path.replace("{" + name + "}", "1M1").replace("{" + name + ":path}", "x")
    return path


def test_every_route_declares_the_action_it_needs(app):
    assert len(list(_routes(app))) >= 4
    missing = [f"{m} {r.path}" for m, r in _routes(app)
               if route_action(r) is None and (m, r.path) not in PUBLIC]
    assert missing == []


@pytest.mark.parametrize("role", list(ROLES))
def test_every_route_as_every_role(app, as_role, role):
    client = as_role(role)
    csrf = token(client, "/")  # sent as a header: the role check is what is tried
    tried = 0
    for method, route in _routes(app):
        action = route_action(route)
        if action is None or route.path == "/logout":
            continue
        response = client.request(method, _path(route), headers={"x-csrf-token": csrf,
                                                                 "accept": "application/json"})
        tried += 1
        if can(role, action):
            assert response.status_code != 403, (role, method, route.path, response.text)
        else:
            assert response.status_code == 403, (role, method, route.path, response.status_code)
            assert role in response.json()["error"]
    assert tried >= 1


def test_the_mixing_stage_routes_and_the_actions_they_need(app):
    """The mixing page's and the delivery list's routes (tried above as every role): seeing
    and listening is everyone's, changing a comp or starting a render needs "mix"."""
    actions = {(m, r.path): route_action(r) for m, r in _routes(app)}
    assert {key: actions.get(key) for key in [
        ("GET", "/cues/{number}/mixing"),
        ("POST", "/cues/{number}/mixing/propose"),
        ("POST", "/cues/{number}/mixing/set"),
        ("POST", "/cues/{number}/mixing/render"),
        ("GET", "/cues/{number}/mixing/comps/{comp}/edits/{edit}/{stem}.wav"),
        ("GET", "/cues/{number}/mixing/comps/{comp}/stems/{stem}.wav"),
        ("POST", "/jobs/comps"),
        ("POST", "/cues/{number}/mixing/mix"),
        ("GET", "/cues/{number}/mixing/mixes/{mix}/{stem}.wav"),
        ("POST", "/delivery/deliver"),
        ("GET", "/delivery"),
        ("GET", "/delivery/cuesheet.{fmt}"),
    ]} == {
        ("GET", "/cues/{number}/mixing"): "view",
        ("POST", "/cues/{number}/mixing/propose"): "mix",
        ("POST", "/cues/{number}/mixing/set"): "mix",
        ("POST", "/cues/{number}/mixing/render"): "mix",
        ("GET", "/cues/{number}/mixing/comps/{comp}/edits/{edit}/{stem}.wav"): "view",
        ("GET", "/cues/{number}/mixing/comps/{comp}/stems/{stem}.wav"): "view",
        ("POST", "/jobs/comps"): "mix",
        ("POST", "/cues/{number}/mixing/mix"): "mix",
        ("GET", "/cues/{number}/mixing/mixes/{mix}/{stem}.wav"): "view",
        ("POST", "/delivery/deliver"): "mix",
        ("GET", "/delivery"): "view",
        ("GET", "/delivery/cuesheet.{fmt}"): "view",
    }
    assert [r for r in ROLES if can(r, "mix")] == ["composer", "music editor", "engineer"]
