"""The album page in a real headless Chromium against the real server: the music editor
sees that the CD is over its capacity and where side B of the LP starts, plays the
transition from track 1 into track 2 of the CD (its audio element loads the WAV and its
time advances), and the candidates list with its edit forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from web.album_helpers import add_album
from web.browser import screenshot


@pytest.fixture
def web_project(web_project, tmp_path):
    add_album(web_project, tmp_path / "mixes")
    return web_project


def test_the_album_page_shows_the_side_break_and_plays_a_transition(as_browser):
    page = as_browser("music editor", "/album/1")
    # at a glance: the CD tab and section say it is over, by how much
    cd_tab = page.locator('a.medium-tab[data-medium="cd"]')
    expect(cd_tab).to_have_class("medium-tab over")
    expect(cd_tab).to_contain_text("0:54 / 0:45")
    expect(page.locator("#cd p.capacity")).to_contain_text("OVER BY 0:09")
    expect(page.locator("#cd .side-row .overflow")).to_have_count(1)
    # the LP: side B starts with track B1 "Bluto", its side full to the second
    vinyl = page.locator("#vinyl")
    expect(vinyl.locator(".side-row")).to_have_count(2)
    side_b = vinyl.locator("tr.side-break").nth(1)
    expect(side_b).to_contain_text("Side B starts with B1 Bluto")
    expect(side_b).to_contain_text("0:30 of 0:30 · 0:00 to spare")
    first_b = vinyl.locator('tbody[data-side="B"] tr.track').first
    expect(first_b.locator("td.pos")).to_have_text("B1")
    # no transition across the flip: A2 is the last of side A
    assert vinyl.locator('tr.transition[data-from="2"]').count() == 0
    screenshot(page, "album-page")

    # play the CD's transition from track 1 into track 2
    player = page.locator('#cd tr.transition[data-from="1"] audio')
    assert player.get_attribute("src") == "/album/1/cd/transitions/1.wav"
    player.scroll_into_view_if_needed()
    page.evaluate("""async (el) => { el.muted = true; el.preload = "auto"; el.load();
        await el.play(); }""", player.element_handle())
    page.wait_for_function("el => el.currentTime > 0.3 && el.duration > 0",
                           arg=player.element_handle())
    # 6 s of track 1, the 2 s gap, 6 s of track 2
    assert abs(player.evaluate("el => el.duration") - 14.0) < 0.01
    assert player.evaluate("el => el.error") is None
    player.evaluate("el => el.pause()")
    assert page.js_errors == []

    # the candidates, with the rating and title forms for the music editor
    page.goto("/album")
    rows = page.locator("table.candidates tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.last).to_contain_text("not in the film")
    page.fill('input[name=title][form="f-1M2"]', "Spinach Can")
    page.select_option('select[name=rating][form="f-1M2"]', "5")
    page.click('#cand-1M2 button[type=submit]')
    expect(page.locator('input[name=title][form="f-1M2"]')).to_have_value("Spinach Can")
    expect(page.locator('select[name=rating][form="f-1M2"]')).to_have_value("5")
    expect(page.locator("#cand-1M2 .saved-note")).to_have_text("saved")
    screenshot(page, "album-candidates")
