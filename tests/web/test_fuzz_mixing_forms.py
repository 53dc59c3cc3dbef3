"""The mixing page's forms under hostile input (the web side of issue 15's fuzz suite): a
comp proposed or set with any edit list, crossfade and notes; a comp rendered or mixed
with any version, layout, gains, pans and ceiling (the background job's start stubbed:
what is tried is the form, not the render).  The answer is the change done (303), the
page again with the message (422) or no such comp (404); never a server error, and a
refused form leaves the comps as they were and starts nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore import jobs
from filmscore.mixing.comps import comps
from fuzzing import FUZZ
from web.mixing_helpers import add_comp_takes
from web_helpers import login, token


@pytest.fixture
def web_project(web_project, tmp_path):
    add_comp_takes(web_project, tmp_path / "recorded")
    return web_project


_typed = st.one_of(st.text(max_size=30), st.sampled_from(
    ["0", "2", "-3", "1e300", "-1e300", "NaN", "inf", "-inf", "²", "①", "٣", "9" * 40, "",
     " ", "\x00", "1-8=3 9-16=4", "1-8=3,9-16=9", "1-99=1", "16-1=2", "1-8=²", "stereo",
     "5.1", "mono", "quad", "-1", "1.5", "-0.5"]))
_STEMS = ("strings", "brass", "nothing", "..", "²")


@FUZZ
@given(action=st.sampled_from(["propose", "set", "render", "mix"]),
       values=st.fixed_dictionaries({}, optional={
           name: _typed for name in (
               "edits", "crossfade_ms", "notes", "version", "comp", "layout",
               "ceiling_dbtp", *(f"{kind}_{stem}" for kind in ("gain", "pan")
                                 for stem in _STEMS))}))
def test_mixing_forms_take_or_refuse_anything(app, monkeypatch, action, values):
    started = []
    monkeypatch.setattr(jobs, "start", lambda *a, **k: started.append(a) or "b1")
    client = login(app, "music editor")
    csrf = token(client, "/cues/1M1/mixing")
    pctx = app.state.pctx
    before = [c.edit_list() for c in comps(pctx, "1M1")]
    answer = client.post(f"/cues/1M1/mixing/{action}", data={**values, "csrf": csrf},
                         follow_redirects=False)
    assert answer.status_code in (303, 404, 422), (answer.status_code, answer.text[:300])
    after = [c.edit_list() for c in comps(pctx, "1M1")]
    if answer.status_code == 303:
        if action in ("propose", "set"):
            assert len(after) == len(before) + 1 and not started
        else:
            assert after == before and len(started) == 1
    else:
        assert after == before and not started
