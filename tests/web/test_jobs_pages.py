"""Background jobs from the page: start every cue's mockups, follow the batch as JSON and
on the jobs page; each role sees only the start buttons it may press."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from filmscore import store
from filmscore.accounts import ROLES
from filmscore.project import open_project
from filmscore.users import add_user
from jobs_helpers import make_project
from web_helpers import PASSWORD, login, token


@pytest.fixture
def music_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from filmscore.web.app import create_app

    monkeypatch.delenv(store.DB_ENV, raising=False)
    folder = make_project(tmp_path / "film", None)
    with open_project(folder) as pctx:
        for role in ROLES:
            add_user(pctx, f"{role} user", role, PASSWORD)
    application = create_app(folder)
    yield application
    application.state.pctx.close()


def test_start_mockups_and_follow_them(music_app) -> None:
    client = login(music_app, "composer")
    csrf = token(client, "/jobs")
    response = client.post("/jobs/mockups", headers={"x-csrf-token": csrf,
                                                     "accept": "application/json"})
    assert response.status_code == 202, response.text
    batch = response.json()["batch"]
    assert [j["cue"] for j in response.json()["jobs"]] == ["1M1", "1M2"]
    deadline = time.monotonic() + 120
    while True:
        status = client.get(f"/jobs/batch/{batch}").json()
        if status["finished"]:
            break
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert status["counts"]["done"] == 2 and status["fraction"] == 1.0
    folder = music_app.state.pctx.directory
    assert (folder / "mockups" / "1M2" / "1M2_v1_mix.wav").is_file()
    html = client.get(f"/jobs?batch={batch}").text
    assert f'data-batch="{batch}"' in html and "2 done" in html and "mockup" in html
    assert "local pool" in html  # SQLite: no workers to wait for
    # a form post goes back to the page of its batch
    response = client.post("/jobs/mockups", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs?batch=")
    assert client.get("/jobs/batch/nothing").status_code == 404


def test_each_role_sees_its_own_buttons(music_app) -> None:
    html = login(music_app, "copyist").get("/jobs").text
    assert 'action="/jobs/parts"' in html and 'action="/jobs/mockups"' not in html
    html = login(music_app, "director").get("/jobs").text
    assert 'action="/jobs/' not in html and "Background jobs" in html
    director = login(music_app, "director")
    refused = director.post("/jobs/mockups", headers={
        "x-csrf-token": token(director, "/jobs"), "accept": "application/json"})
    assert refused.status_code == 403
