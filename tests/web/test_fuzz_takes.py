"""The take logger's JSON routes under hostile entries (the web side of issue 15's fuzz
suite): whatever a page, a stale tab or a hand-made request sends, a take is logged (200),
or refused with a message (404 no such cue or take, 409 an entry key used for another cue,
422 a bad value: found by it, a time without its offset and a year 1 or 9999 with one were
server errors); never a server error (the test client raises it), and a refused entry
logs nothing: the takes of each cue stay numbered 1, 2, 3 ... without a gap."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore.recording.takes import list_takes
from fuzzing import FUZZ
from web.browser import plan_a_session
from web_helpers import token

CUES = ("1M1", "1M2", "2M1")


@pytest.fixture
def web_project(web_project):
    plan_a_session(web_project, CUES)
    return web_project


_anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                      st.text(max_size=80), st.lists(st.integers(), max_size=3),
                      st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
_entry = st.fixed_dictionaries({}, optional={
    "cue": st.one_of(st.sampled_from([*CUES, "9M9", "1m1", " 1M1", "", "1M1" * 20]),
                     _anything),
    "kind": st.one_of(st.sampled_from(["complete", "breakdown", "pickup", "false start",
                                       "wild", ""]), _anything),
    "circled": _anything,
    "notes": st.one_of(st.text(max_size=60), st.just("n" * 2001), _anything),
    "entry_key": st.one_of(st.uuids().map(str), st.sampled_from(["k1", "k1", "a b", "x" * 65,
                                                                 "../x", "\x00"]), _anything),
    "logged_at": st.one_of(
        st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                     timezones=st.sampled_from([None, UTC])).map(datetime.isoformat),
        st.sampled_from(["now", "2026-13-01T00:00:00", "9999-12-31T23:59:59+14:00",
                         "0001-01-01T00:00:00-14:00", "1e300"]), _anything),
})


@FUZZ
@given(entry=_entry, circle=st.tuples(st.sampled_from([*CUES, "9M9", "1m1", "x" * 50]),
                                      st.integers(-2, 5), _anything))
def test_any_take_entry_is_logged_or_refused_with_a_message(as_role, app, entry, circle):
    client = as_role("music editor")
    headers = {"x-csrf-token": token(client, "/recording"), "accept": "application/json",
               "content-type": "application/json"}
    before = {cue: [t.number for t in list_takes(app.state.pctx, cue)] for cue in CUES}
    # sent as text: JSON's NaN and Infinity as Python's json writes them (the test
    # client's own encoder refuses them; a hand-made request need not)
    logged = client.post("/api/takes", content=json.dumps(entry), headers=headers)
    assert logged.status_code in (200, 404, 409, 422), (logged.status_code, logged.text)
    after = {cue: [t.number for t in list_takes(app.state.pctx, cue)] for cue in CUES}
    for cue in CUES:  # numbered without a gap; at most the one entry added
        assert after[cue] == list(range(1, len(after[cue]) + 1)), after
    added = sum(len(after[c]) - len(before[c]) for c in CUES)
    if logged.status_code == 200:
        assert added <= 1  # an entry key sent again gives back the take it logged
    else:
        assert added == 0 and logged.json()["error"], logged.text
    cue, number, body = circle
    circled = client.post(f"/api/takes/{cue}/{number}/circle", content=json.dumps(
        body if isinstance(body, dict) else {"circled": body}), headers=headers)
    assert circled.status_code in (200, 404, 422), (circled.status_code, circled.text)
