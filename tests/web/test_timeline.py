"""The timeline page: cues as links to their pages, sync points coloured by kind, the
ruler's timecodes, views by reel and zoom; a bad zoom or reel refused with a message."""

from __future__ import annotations

import pytest

from filmscore.project import open_project
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue


@pytest.fixture
def web_project(web_project):
    with open_project(web_project) as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24 * 10, 24 * 70,
                              sync_points=(SyncSpec(24 * 20, "door", "hard"),
                                           SyncSpec(24 * 40, "scene", "downbeat"))))
        add_cue(pctx, CueSpec(parse_cue_number("1M2"), "Chase", 24 * 80, 24 * 120))
    return web_project


def test_the_film_to_scale_with_links_to_the_cues(as_role):
    client = as_role("director")
    html = client.get("/timeline").text
    assert '<a class="cue" href="/cues/1M1">' in html
    assert '<a class="cue" href="/cues/1M2">' in html
    assert "1M1 Main Title" in html  # the number and title fit on the bar
    assert 'class="sync sync-hard"' in html and 'class="sync sync-downbeat"' in html
    assert "1M1 hard at 00:00:20:00: door" in html
    assert ">00:00:10:00<" in html  # the ruler starts at the first cue (no picture)
    zoomed = client.get("/timeline?zoom=4").text
    assert 'class="on">4×<' in zoomed
    assert len(zoomed) > len(html) // 2


def test_a_bad_view_is_refused_with_a_message(as_role):
    client = as_role("composer")
    for query, field in (("zoom=3", "zoom"), ("reel=2", "reel")):
        response = client.get(f"/timeline?{query}", headers={"accept": "application/json"})
        assert response.status_code == 422
        assert f"field {field}" in response.json()["error"]
