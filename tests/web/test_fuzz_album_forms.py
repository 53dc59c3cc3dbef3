"""The album page's forms under hostile input (the web side of issue 15's fuzz suite): a
candidate's title and rating, with any version or read values, and a medium's sequence
proposal with any medium and order.  The answer is the change done (303, or 202 for a
proposal started), the page again with the message (422), theirs beside yours (409) or
no such album or candidate (404); never a server error, and a refused edit leaves the
candidate as it was."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from filmscore import jobs
from filmscore.model import AlbumCandidate
from filmscore.store import transaction
from fuzzing import FUZZ
from web.album_helpers import add_album
from web_helpers import login, token


@pytest.fixture
def web_project(web_project, tmp_path):
    add_album(web_project, tmp_path / "mixes")
    return web_project


def _candidates(pctx) -> list[tuple]:
    with transaction(pctx.engine) as db:
        return [(c.key, c.title, c.rating, c.version)
                for c in db.scalars(select(AlbumCandidate).order_by(AlbumCandidate.key))]


_typed = st.one_of(st.text(max_size=30), st.sampled_from(
    ["0", "5", "7", "-1", "4.5", "²", "①", "٣", "9" * 40, "NaN", "", " ", "\x00", "y" * 301]))


@FUZZ
@given(key=st.sampled_from(["1M1", "2M1", "1M3-alt", "nothing", "..", "1M1.wav"]),
       values=st.fixed_dictionaries({}, optional={
           name: _typed for name in ("title", "rating", "version", "read_title",
                                     "read_rating")}),
       medium=st.sampled_from(["cd", "vinyl", "digital", "tape", "", "²"]),
       order=_typed, album=st.sampled_from(["1", "2", "0"]))
def test_album_forms_take_or_refuse_anything(app, monkeypatch, key, values, medium, order,
                                             album):
    started = []
    monkeypatch.setattr(jobs, "start", lambda *a, **k: started.append(a) or "b1")
    monkeypatch.setattr(jobs, "batch_status", lambda *a, **k: None)
    client = login(app, "composer")
    csrf = token(client, "/album")
    pctx = app.state.pctx
    before = _candidates(pctx)
    answer = client.post(f"/album/candidates/{key}", data={**values, "csrf": csrf},
                         follow_redirects=False)
    assert answer.status_code in (303, 404, 405, 409, 422), (answer.status_code,
                                                        answer.text[:300])
    if answer.status_code != 303:
        assert _candidates(pctx) == before
        assert answer.json()["error"] if answer.headers["content-type"].startswith(
            "application/json") else "msg" in answer.text or "error" in answer.text
    proposed = client.post(f"/album/{album}/{medium}/propose",
                           data={"csrf": csrf, "order": order}, follow_redirects=False)
    assert proposed.status_code in (303, 404, 405, 422), (proposed.status_code,
                                                          proposed.text[:300])
    assert (proposed.status_code == 303) == bool(started)
