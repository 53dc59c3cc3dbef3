"""The dashboard: every cue across the stages, links to the cue pages, the minutes of
music per stage and, with no cues, a word on what to do first."""

from __future__ import annotations

import re

import pytest

from filmscore.project import open_project
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_map_by_hand
from filmscore.writing.service import set_status


@pytest.fixture
def web_project(web_project):
    """Three cues: 1M1 (20 s) approved with a tempo map, 1M2 (10 s) with changes asked
    for, 1M3s (5 s) source music spotted."""
    with open_project(web_project) as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Main Title", 0, 24 * 20))
        add_cue(pctx, CueSpec(parse_cue_number("1M2"), "Chase <b>", 24 * 30, 24 * 40))
        add_cue(pctx, CueSpec(parse_cue_number("1M3s"), "Radio", 24 * 50, 24 * 55))
        set_map_by_hand(pctx, "1M1", tempo="120")
        set_status(pctx, "1M1", "approved", author="director")
        set_status(pctx, "1M2", "changes requested", author="director")
    return web_project


def _total(html: str, stage: str) -> tuple[str, str]:
    block = re.search(rf'<div class="total {stage}">(.*?)</div>', html, re.S).group(1)
    minutes = re.search(r'class="minutes tc">([^<]+)<', block).group(1)
    count = re.search(r'class="count">([^<]+)<', block).group(1)
    return minutes, " ".join(count.split())


def test_every_cue_with_its_state_and_a_link_to_its_page(as_role):
    response = as_role("director").get("/")
    assert response.status_code == 200
    html = response.text
    for number in ("1M1", "1M2", "1M3s"):
        assert f'<a href="/cues/{number}">{number}</a>' in html
    assert "Chase &lt;b&gt;" in html  # titles are escaped
    assert 's-approved">approved<' in html and 's-changes-requested">changes requested<' in html
    assert html.count("not yet") >= 3  # mixing is a later stage


def test_totals_are_the_minutes_of_music_at_each_stage(as_role):
    html = as_role("copyist").get("/").text
    assert _total(html, "spotted") == ("0:35+00", "3 cues")
    assert _total(html, "approved") == ("0:20+00", "1 cue · 57%")
    assert _total(html, "written") == ("0:00+00", "0 cues · 0%")
    assert _total(html, "mixed") == ("0:00+00", "0 cues · 0%")
    assert "No recording plan yet" in html


def test_an_empty_project_says_what_to_do_first(app, as_role):
    from filmscore.spotting.service import remove_cue

    for number in ("1M1", "1M2", "1M3s"):
        remove_cue(app.state.pctx, number)
    html = as_role("composer").get("/").text
    assert "No cues yet" in html
    assert _total(html, "spotted") == ("0:00+00", "0 cues")
