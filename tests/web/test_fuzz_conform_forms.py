"""The conform page's forms under hostile input (the web side of issue 15's fuzz suite): a
fix picked with any choice and version, on any change list number and cue in the address,
and fixes proposed again for any of them (the fix's background job stubbed: what is tried
is the form, not the fix).  The answer is the job started (303), the page again with the
message (409, 422), or no such change list or cue (404, and 422 for an address that is no
number); never a server error, and a refused form changes no flag and starts nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore import jobs
from filmscore.conform.board import change_list_board
from fuzzing import FUZZ
from web.conform_helpers import add_conform
from web_helpers import login, token


@pytest.fixture
def web_project(web_project):
    add_conform(web_project)
    return web_project


_typed = st.one_of(st.text(max_size=20), st.sampled_from(
    ["0", "1", "3", "4", "-1", "1e300", "NaN", "²", "①", "٣", "9" * 40, "", " ", "\x00",
     "0x1", "1.0", "+1", " 2 "]))
_NUMBERS = st.one_of(st.sampled_from(["1", "2", "3", "0", "-1", "9" * 30, "²", "1.5",
                                      "x"]), st.integers(-10, 10**20).map(str))
# (not "." or "..": a client resolves those in the address before sending it)
_CUES = st.one_of(st.sampled_from(["2M1", "1M1", "1M2", "9M9", "2M1 ", "²M1", "%00", "\x00"]),
                  st.text(min_size=1, max_size=12)).filter(lambda c: c not in (".", ".."))


def _flags(pctx) -> list[tuple]:
    return [(f.cue, f.status, f.chosen, f.version, len(f.proposals))
            for n in (1, 2) for f in change_list_board(pctx, n).flags]


@FUZZ
@given(action=st.sampled_from(["fix", "propose"]), number=_NUMBERS, cue=_CUES,
       values=st.fixed_dictionaries({}, optional={"choice": _typed, "version": _typed}))
def test_conform_forms_take_or_refuse_anything(app, monkeypatch, action, number, cue,
                                               values):
    started = []
    monkeypatch.setattr(jobs, "start", lambda *a, **k: started.append(a) or "b1")
    client = login(app, "music editor")
    csrf = token(client, "/conform/1")
    pctx = app.state.pctx
    before = _flags(pctx)
    answer = client.post(f"/conform/{quote(number, safe='')}/{quote(cue, safe='')}/{action}",
                         data={**values, "csrf": csrf}, follow_redirects=False)
    assert answer.status_code in (303, 404, 409, 422), (answer.status_code,
                                                         answer.text[:300])
    if answer.status_code >= 400 and "json" in answer.headers.get("content-type", ""):
        assert set(answer.json()) == {"error"} and "\n" not in answer.json()["error"]
    after = _flags(pctx)
    if answer.status_code == 303 and action == "fix":
        assert after == before and len(started) == 1   # the job (stubbed) does the fix
    elif answer.status_code != 303:
        assert after == before and not started
    else:
        assert not started
