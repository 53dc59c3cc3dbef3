"""The mixing page in a real headless Chromium against the real server: the music editor
sees the takes laid out by bars and the comp's edits, starts the comp's render as a
background job and watches it end, the player of an edit answers a WAV, and a mix with a
stem's level changed is made as a job and listed with its loudness."""

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
    screenshot(page, "mixing-page-rendered")

    # stem levels: the strings down 3 dB, mixed in 5.1 as a background job
    page.fill("input[name=gain_strings]", "-3")
    page.select_option("select[name=layout]", "5.1")
    page.fill(".mix-form input[name=notes]", "first pass")
    page.click(".mix-form button[type=submit]")
    expect(page.locator("#batch")).to_have_attribute("data-finished", "yes", timeout=60_000)
    expect(page.locator("#batch-state")).to_have_text("mix 1M1: done")
    row = page.locator('#mixes tr[data-mix="1"]')
    expect(row.locator("td").nth(2)).to_have_text("5.1")
    expect(row).to_contain_text("LUFS")
    expect(row).to_contain_text("strings -3 dB")
    expect(row.locator("audio")).to_have_count(3)  # strings, brass and the mix
    assert page.js_errors == []
    page.locator("#mixes").scroll_into_view_if_needed()
    screenshot(page, "mixing-page-mixed")

    # the delivery to the dub, as a job from the delivery page: the files with their
    # channels and loudness from the delivery's report
    page.goto("/delivery")
    page.click("form.deliver button")
    expect(page.locator("#batch")).to_have_attribute("data-finished", "yes", timeout=60_000)
    expect(page.locator("#batch-state")).to_have_text("deliver film: done")
    files = page.locator("table.delivered tbody tr")
    expect(files).to_have_count(3)
    expect(files.nth(2).locator("td").nth(0)).to_have_text("1M1_v1_MIX.wav")
    expect(files.nth(2).locator("td").nth(5)).to_have_text("6")
    assert page.js_errors == []
    screenshot(page, "delivery-page")
