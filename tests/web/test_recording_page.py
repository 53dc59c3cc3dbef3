"""The recording page in-process: the plan shown, takes logged and circled through the JSON
routes, an entry sent again after a lost connection logged once, roles without "log takes"
refused; and ``log_take``'s entry key from Python."""

from __future__ import annotations

import uuid

import pytest

from filmscore.errors import ConflictError, InputError
from filmscore.project import open_project
from filmscore.recording.takes import list_takes, log_take
from web.browser import plan_a_session
from web_helpers import token


@pytest.fixture
def web_project(web_project):
    plan_a_session(web_project)
    return web_project


def _post(client, path, body):
    return client.post(path, json=body, headers={"x-csrf-token": token(client, "/recording"),
                                                 "accept": "application/json"})


def test_the_page_shows_the_plan_and_the_logger(as_role):
    client = as_role("music editor")
    html = client.get("/recording").text
    assert "Session plan" in html and "today" in html and "Stage A" in html
    for cue in ("1M1", "1M2", "2M1"):
        assert f'data-cue="{cue}"' in html  # the current session's cues to pick from
    assert 'id="notes-input"' in html and "/static/takes.js" in html
    assert "Violin I" in html  # the players called
    # a director sees the plan and the log, not the logger
    html = as_role("director").get("/recording").text
    assert "Session plan" in html and 'id="notes-input"' not in html


def test_logging_and_circling_takes(as_role, app):
    client = as_role("engineer")
    first = _post(client, "/api/takes", {"cue": "1M1", "entry_key": str(uuid.uuid4())})
    assert first.status_code == 200, first.text
    assert first.json()["number"] == 1 and first.json()["kind"] == "complete"
    assert first.json()["session"] == "today"  # the session under way
    second = _post(client, "/api/takes", {"cue": "1M1", "kind": "breakdown",
                                          "notes": "horns late", "entry_key": "k-2"})
    assert (second.json()["number"], second.json()["kind"]) == (2, "breakdown")
    circled = _post(client, "/api/takes/1M1/2/circle", {})
    assert circled.status_code == 200 and circled.json()["circled"] is True
    uncircled = _post(client, "/api/takes/1M1/2/circle", {"circled": False})
    assert uncircled.json()["circled"] is False
    _post(client, "/api/takes/1M1/1/circle", {"circled": True})
    takes = list_takes(app.state.pctx, "1M1")
    assert [(t.number, t.kind, t.circled, t.notes) for t in takes] == [
        (1, "complete", True, ""), (2, "breakdown", False, "horns late")]
    # the page shows them, newest first
    html = client.get("/recording").text
    assert html.index("horns late") < html.index('data-id="1"')


def test_an_entry_sent_again_is_logged_once(as_role, app):
    client = as_role("music editor")
    entry = {"cue": "1M2", "kind": "pickup", "notes": "bars 5-8", "entry_key": "abc-123"}
    first = _post(client, "/api/takes", entry)
    again = _post(client, "/api/takes", entry)  # the answer to the first was lost
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert len(list_takes(app.state.pctx, "1M2")) == 1
    # the same key for another cue is a conflict, not a silent second take
    other = _post(client, "/api/takes", {**entry, "cue": "2M1"})
    assert other.status_code == 409 and "abc-123" in other.json()["error"]


def test_bad_entries_are_refused_with_a_message(as_role):
    client = as_role("music editor")
    unknown = _post(client, "/api/takes", {"cue": "9M9", "entry_key": "x1"})
    assert unknown.status_code == 404 and "9M9" in unknown.json()["error"]
    kind = _post(client, "/api/takes", {"cue": "1M1", "kind": "brilliant", "entry_key": "x2"})
    assert kind.status_code == 422 and "brilliant" in kind.json()["error"]
    key = _post(client, "/api/takes", {"cue": "1M1", "entry_key": "no spaces"})
    assert key.status_code == 422 and "entry key" in key.json()["error"]
    missing = _post(client, "/api/takes/1M1/7/circle", {})
    assert missing.status_code == 404


@pytest.mark.parametrize("role", ["director", "copyist", "orchestrator", "contractor"])
def test_a_role_without_log_takes_is_refused(as_role, app, role):
    client = as_role(role)
    refused = _post(client, "/api/takes", {"cue": "1M1", "entry_key": "r1"})
    assert refused.status_code == 403 and role in refused.json()["error"]
    assert _post(client, "/api/takes/1M1/1/circle", {}).status_code == 403
    assert list_takes(app.state.pctx) == []


def test_without_the_csrf_token_nothing_is_logged(as_role, app):
    client = as_role("music editor")
    response = client.post("/api/takes", json={"cue": "1M1"},
                           headers={"accept": "application/json"})
    assert response.status_code == 403
    assert list_takes(app.state.pctx) == []


def test_log_take_entry_key_from_python(web_project):
    with open_project(web_project) as pctx:
        first = log_take(pctx, "1M1", entry_key="take-a")
        assert log_take(pctx, "1M1", entry_key="take-a") == first
        assert log_take(pctx, "1M1", entry_key="take-b").number == 2
        assert log_take(pctx, "1M1").number == 3  # no key: a new take every time
        with pytest.raises(ConflictError, match="take-a"):
            log_take(pctx, "2M1", entry_key="take-a")
        with pytest.raises(InputError, match="entry key"):
            log_take(pctx, "1M1", entry_key="x" * 65)
        assert [t.number for t in list_takes(pctx, "1M1")] == [1, 2, 3]
