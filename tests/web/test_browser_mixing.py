"""The mixing page in a real headless Chromium against the real server: the music editor
sees the takes laid out by bars and the comp's edits, starts the comp's render as a
background job and watches it end, and the player of an edit answers a WAV."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from filmscore.mixing.comps import comp_of
from web.browser import screenshot
from web.mixing_helpers import add_comp_takes


@pytest.fixture
def web_project(web_project, tmp_path):
    add_comp_takes(web_project, tmp_path / "recorded")
    return web_project


def test_the_mixing_page_renders_a_comp_and_plays_an_edit(as_browser, live_server):
    page = as_browser("music editor", "/cues/1M1/mixing")
    board = page.locator("svg.board")
    expect(board).to_be_visible()
    # one row per take, the circled ones marked, the flagged one marked
    assert page.locator("svg.board g.take").count() == 4
    assert page.locator("svg.board g.take.circled").count() == 2
    assert page.get_attribute("svg.board g.take.flagged", "data-take") == "1"
    # the comp's three segments and two edits, at bars 9 and 13
    assert page.locator("svg.board g.segment").count() == 3
    edits = page.locator("table.edits tbody tr")
    expect(edits).to_have_count(2)
    expect(edits.nth(0).locator("td").nth(1)).to_have_text("9")
    expect(edits.nth(0).locator("td").nth(2)).to_have_text("00:00:26:00")  # 10 s + 8 bars
    expect(edits.nth(1).locator("td").nth(1)).to_have_text("13")
    expect(page.locator("p.flagged")).to_contain_text("take 1 (tempo map v1)")
    expect(page.locator("input[name=edits]")).to_have_value("1-8=3 9-12=4 13-16=1")
    screenshot(page, "mixing-page")

    # the edit's excerpt answers a WAV (the player's source; nothing is played)
    src = edits.nth(0).locator("audio").first.get_attribute("src")
    assert src == "/cues/1M1/mixing/comps/2/edits/1/strings.wav"
    answer = page.request.get(src)
    assert answer.status == 200 and answer.headers["content-type"] == "audio/wav"
    assert answer.body()[:4] == b"RIFF" and answer.body()[8:12] == b"WAVE"

    # render comp v2 as a background job: the page follows it and shows the stems
    page.click("form.render button")
    expect(page.locator("#batch")).to_be_visible()
    expect(page.locator("#batch")).to_have_attribute("data-finished", "yes", timeout=60_000)
    expect(page.locator("#batch-state")).to_have_text("comp 1M1: done")
    rendered = page.locator("#versions tr.on td.rendered audio")
    expect(rendered).to_have_count(2)
    with live_server.db() as pctx:
        spec = comp_of(pctx, "1M1")
    assert (spec.number, [f.stem for f in spec.files]) == (2, ["strings", "brass"])
    stem = page.request.get(rendered.first.get_attribute("src"))
    assert stem.status == 200 and stem.headers["content-type"] == "audio/wav"
    assert page.js_errors == []
    screenshot(page, "mixing-page-rendered")
