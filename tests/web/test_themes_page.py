"""The themes page in-process: themes and variants, a preview to listen to (rendered once
into the project's web-cache), where each appears."""

from __future__ import annotations

import pytest

from filmscore.spotting.cues import CueSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.writing.service import (
    add_theme,
    derive_theme,
    import_version,
    theme_music,
    write_theme_file,
)

START = 86400


@pytest.fixture
def themes(app, tmp_path):
    pctx = app.state.pctx
    hero = theme_music("4/4 c4 e g c' b g e c", notes_string=True)
    add_theme(pctx, "hero", hero, stands_for="the sailor's cheek")
    derive_theme(pctx, "hero", "invert", {}, save_as="hero inverted")
    add_theme(pctx, "giant", theme_music("4/4 CC4 CC# CC BBB", notes_string=True),
              stands_for="the giant", kind="motif")
    add_cue(pctx, CueSpec(number=parse_cue_number("1M1"), title="Main", start_frame=START,
                          end_frame=START + 24 * 30))
    music = write_theme_file(hero, tmp_path / "1M1.mid", rate=pctx.rate)
    import_version(pctx, "1M1", music)
    return pctx


def test_the_themes_page_lists_themes_variants_and_uses(themes, as_role):
    html = as_role("director").get("/themes").text
    for text in ("hero", "the sailor&#39;s cheek", "hero inverted", "variant of",
                 "giant", "motif", 'src="/themes/hero/preview.wav"',
                 'src="/themes/hero%20inverted/preview.wav"'):
        assert text in html, text
    hero = html[html.index('id="theme-hero"'):html.index('id="theme-hero-inverted"')]
    assert 'href="/cues/1M1"' in hero  # where it appears
    assert "Timecode" in hero and "Confidence" in hero and "Verdict" in hero
    assert "Not found in any cue" in html[html.index('id="theme-giant"'):]
    # the inverted variant matches the hero's statement (as an inversion), less well:
    # the passage is the hero's, and the variant's section says where it is heard
    assert "prime; also matches hero inverted" in hero
    inverted = html[html.index('id="theme-hero-inverted"'):html.index('id="theme-giant"')]
    assert "Heard only within statements of hero: 1M1 bar 1." in inverted
    assert html.index('id="theme-hero-inverted"') < html.index('id="theme-giant"')


def test_a_preview_is_rendered_once_into_the_web_cache(themes, as_role):
    client = as_role("copyist")
    response = client.get("/themes/hero/preview.wav")
    assert response.status_code == 200 and response.content[:4] == b"RIFF"
    cached = list((themes.directory / "web-cache" / "themes").glob("*.wav"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    assert client.get("/themes/hero/preview.wav").content == response.content
    assert cached[0].stat().st_mtime_ns == stamp


def test_an_unknown_theme_is_not_found(themes, as_role):
    client = as_role("composer")
    response = client.get("/themes/nobody/preview.wav", headers={"accept": "application/json"})
    assert response.status_code == 404 and "no theme 'nobody'" in response.json()["error"]


def test_no_themes_yet(app, as_role):
    assert "No themes yet" in as_role("composer").get("/themes").text


def test_themes_before_any_music(app, as_role):
    add_theme(app.state.pctx, "hero", theme_music("4/4 c4 e g c'", notes_string=True))
    html = as_role("composer").get("/themes").text
    assert "hero" in html and "Not found in any cue" in html


def test_the_wide_reading_shows_less_likely_places_and_links_back(themes, tmp_path,
                                                                  as_role):
    """The theme in the minor (three notes a semitone off) scores under the report's
    threshold: the page shows it only in the wide reading, which links back."""
    from filmscore.writing.service import theme_usage
    from filmscore.writing.themesearch import MIN_SCORE, WIDE_SCORE

    near = theme_music("4/4 c4 e- g c' b- g e- c", notes_string=True)
    import_version(themes, "1M1", write_theme_file(near, tmp_path / "near.mid",
                                                   rate=themes.rate))
    wide = theme_usage(themes, wide=True)["hero"]
    assert wide and all(WIDE_SCORE <= u.score < MIN_SCORE for u in wide)
    assert theme_usage(themes)["hero"] == []
    client = as_role("director")
    default = client.get("/themes").text
    assert 'href="/themes?wide=1"' in default
    hero = default[default.index('id="theme-hero"'):default.index('id="theme-hero-inverted"')]
    assert "Not found in any cue" in hero
    page = client.get("/themes?wide=1").text
    assert 'href="/themes"' in page and "The wide reading" in page
    hero = page[page.index('id="theme-hero"'):page.index('id="theme-hero-inverted"')]
    assert 'href="/cues/1M1"' in hero and f"{wide[0].score:.2f}" in hero
