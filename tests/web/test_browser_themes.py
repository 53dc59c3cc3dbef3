"""The themes page in a real headless Chromium: the composer sees where each theme is
heard, with its timecode, the parts doubling it, the confidence and the verdict given."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from filmscore.project import open_project
from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.writing.service import (
    add_theme,
    import_version,
    set_verdict,
    theme_music,
    write_theme_file,
)
from web.browser import screenshot

START = 86400  # 01:00:00:00 at 24 fps


@pytest.fixture
def web_project(web_project, tmp_path):
    with open_project(web_project) as pctx:
        hero = theme_music("4/4 c4 e g c' b g e c", notes_string=True)
        add_theme(pctx, "hero", hero, stands_for="the sailor's cheek")
        add_cue(pctx, CueSpec(number=parse_cue_number("1M1"), title="Main",
                              start_frame=START, end_frame=START + 24 * 30))
        import_version(pctx, "1M1", write_theme_file(hero, tmp_path / "1M1.mid",
                                                     rate=pctx.rate))
        set_verdict(pctx, "hero", "1M1", 1, "confirmed", author="composer")
    return web_project


def test_the_composer_reads_where_the_theme_is_heard(as_browser):
    page = as_browser("composer", "/themes")
    row = page.locator("#theme-hero table tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("1M1")
    expect(cells.nth(3)).to_have_text("01:00:00:00")
    expect(cells.nth(7)).to_have_text("1.00")
    expect(cells.nth(8)).to_contain_text("confirmed")
    screenshot(page, "themes")
    assert page.js_errors == []
