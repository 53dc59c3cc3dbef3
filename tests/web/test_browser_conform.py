"""The conform page in a real headless Chromium against the real server: the music editor
opens a change list, sees the two cuts to scale and the flagged cue 2M1 with its hits off
(two of them 48 frames) and the four fixes proposed, picks one, and the page follows the
job until it shows the cue fixed with that proposal (a stand-in for the fixing service)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from web.browser import screenshot
from web.conform_helpers import add_conform
from web.test_conform_pages import fake_fixing  # noqa: F401 - a fixture used below
from web_helpers import wait_batch


@pytest.fixture
def web_project(web_project):
    add_conform(web_project)
    return web_project


def test_the_music_editor_picks_a_fix(as_browser, live_server, fake_fixing):  # noqa: F811
    page = as_browser("music editor", "/conform")
    expect(page.locator("table.changelists tbody tr")).to_have_count(2)
    screenshot(page, "conform-list")
    page.click("text=Change list 1")
    expect(page).to_have_url(page.url.split("/conform")[0] + "/conform/1")
    # the two cuts: the deleted shot on the old one, the insert on the new one
    expect(page.locator('.strip-row[data-cut="old"] .seg.k-delete')).to_have_count(1)
    expect(page.locator('.strip-row[data-cut="new"] .seg.k-insert')).to_have_count(1)
    expect(page.locator('.strip-row[data-cut="new"] .cue-lane a')).to_have_count(3)
    # at a glance: which cues are off, and by how much
    summary = page.locator('table.flags-summary tr[data-cue="2M1"]')
    expect(summary.locator(".frames-off")).to_have_text("48 fr")
    expect(summary.locator(".state")).to_have_text("open")
    chase = page.locator("#cue-2M1")
    expect(chase.locator("tr.now .frames-off.off")).to_have_count(3)  # +48 twice and the worst
    expect(chase.locator("tr.proposal")).to_have_count(4)
    best = chase.locator('tr.proposal[data-index="0"]')
    expect(best).to_contain_text("insert 2 bars of 4/4 before bar 9")
    expect(best).to_contain_text("fewest frames off")
    expect(chase.locator('tr.proposal[data-index="1"] .frames-off.near')).to_have_count(3)
    screenshot(page, "conform-change-list")

    # pick the first fix: the page follows the job, then shows the cue fixed
    best.get_by_role("button", name="Use this fix").click()
    expect(page.locator("#batch")).to_have_count(1)
    # the job itself, from the database: done (or the test says why not)
    with live_server.db() as pctx:
        status = wait_batch(pctx, page.locator("#batch").get_attribute("data-batch"), 30)
    assert [(j.state, j.error) for j in status.jobs] == [("done", "")], status
    expect(page.locator('#cue-2M1 tr.proposal.chosen[data-index="0"]')).to_have_count(
        1, timeout=20_000)
    expect(page.locator("#cue-2M1 h2 .state")).to_have_text("fixed")
    expect(page.locator("#cue-2M1 button")).to_have_text(["Propose again"])
    assert fake_fixing == [("fix", 1, "2M1", 1, "music editor user")]
    assert page.js_errors == []
    screenshot(page, "conform-fixed")
