"""The album's candidates on SQLite and PostgreSQL: made from every mixed cue and album
edit, measured (length, loudness, true peak, bass share, tempo), carrying the themes the
theme report finds (an edit only those in the bars it keeps), omitted cues as unused,
album versions, alternates and drafts added by hand; a refresh keeps the composer's
rating, title and notes and measures again only what changed."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import soundfile as sf

from album_helpers import SR, album_project, scored_cue
from filmscore.album.candidates import (
    add_candidate,
    candidates,
    get_candidate,
    refresh_candidates,
    remove_candidate,
    set_candidate,
)
from filmscore.album.edit_render import make_edit
from filmscore.album.measure import mean_tempo, measure_audio
from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.mixing.meter import measure_file
from filmscore.sync.tempomap import Meter, Segment, TempoMap
from filmscore.writing.service import add_theme, import_version, theme_music, write_theme_file


def _project(tmp_path, db_url):
    with album_project(tmp_path / "p", db_url) as ctx:
        scored_cue(ctx, "1M1", start_frame=24, bars=4, tmp=tmp_path, freq=60.0,
                   title="Main Title")
        scored_cue(ctx, "1M2", start_frame=24 * 30, bars=3, tmp=tmp_path, freq=2000.0,
                   tempo=Fraction(90))
        scored_cue(ctx, "2M1", start_frame=24 * 60, bars=2, tmp=tmp_path, seed=3,
                   status="omitted")
        hero = theme_music("4/4 c4 e g c' b g e c", notes_string=True)
        add_theme(ctx, "hero", hero)
        import_version(ctx, "1M1", write_theme_file(hero, tmp_path / "1M1.mid",
                                                    rate=ctx.rate))
        yield ctx


@pytest.fixture
def pctx(db_url, tmp_path):
    yield from _project(tmp_path, db_url)


@pytest.fixture
def lite(tmp_path):
    """The same project on SQLite only, for input refused before the database."""
    yield from _project(tmp_path, None)


def test_refresh_makes_and_measures_the_candidates(pctx):
    make_edit(pctx, "main-edit", ["1M1:3-4"], title="Main Title (Album Edit)")
    done = refresh_candidates(pctx)
    assert set(done.made) == {"1M1", "1M2", "2M1", "main-edit"}
    assert done.rendered == ("main-edit",) and done.missing == ()
    by_key = {c.key: c for c in done.candidates}
    assert [c.key for c in done.candidates] == ["1M1", "main-edit", "1M2", "2M1"]  # film order
    main, short, two, omitted = (by_key[k] for k in ("1M1", "main-edit", "1M2", "2M1"))
    assert (main.kind, two.kind, omitted.kind, short.kind) == ("cue", "cue", "unused", "edit")
    assert main.frames == (4 * 2 + 1) * SR and main.sample_rate == SR and main.channels == 2
    assert main.seconds == 9 and main.film_frame == 24 and main.rating == 3
    measured = measure_file(pctx.media.path(main.media_hash))
    assert main.loudness_lufs == pytest.approx(measured.loudness_lufs, abs=0.001)
    assert main.true_peak_dbtp == pytest.approx(measured.true_peak_dbtp, abs=0.001)
    assert main.bass_share > 0.99 and two.bass_share < 0.001  # 60 Hz against 2 kHz
    assert (main.tempo_bpm, two.tempo_bpm) == (120.0, 90.0)
    assert main.themes == ("hero",) and two.themes == ()
    assert short.themes == ()  # the theme is in bars 1-2, the edit keeps bars 3-4
    assert short.frames == 4 * SR and short.cue == "1M1" and short.cues == ("1M1",)
    assert short.working_title == "Main Title (Album Edit)" and main.working_title == \
        "Main Title"


def test_refresh_keeps_the_composers_choices_and_measures_only_what_changed(pctx, tmp_path):
    refresh_candidates(pctx)
    set_candidate(pctx, "1M1", rating=5, title="Popeye Main Title", notes="opens the album")
    again = refresh_candidates(pctx)
    assert again.made == () and again.measured == ()
    main = get_candidate(pctx, "1M1")
    assert (main.rating, main.title, main.notes) == (5, "Popeye Main Title",
                                                     "opens the album")
    assert main.display_title == "Popeye Main Title"
    scored_cue(pctx, "1M1", tmp=tmp_path, seed=7, freq=3000.0, mix_only=True)  # mix v2
    third = refresh_candidates(pctx)
    assert third.measured == ("1M1",)
    main = get_candidate(pctx, "1M1")
    assert main.rating == 5 and main.bass_share < 0.01


def test_album_versions_alternates_unused_and_drafts(pctx, tmp_path):
    scored_cue(pctx, "1M2", tmp=tmp_path, seed=5, mix_only=True)  # mix v2
    refresh_candidates(pctx)
    album = add_candidate(pctx, "1M2", kind="album_version", mix=2, title="Chase",
                          rating=4)
    assert (album.key, album.kind, album.mix, album.rating) == ("1M2-album", "album_version",
                                                                2, 4)
    alt = add_candidate(pctx, "1m2", kind="alternate", mix=1)
    latest = get_candidate(pctx, "1M2").media_hash  # the cue's own: its latest mix, v2
    assert alt.key == "1M2-alt" and album.media_hash == latest != alt.media_hash
    assert add_candidate(pctx, "1M2", kind="alternate", mix=1).key == "1M2-alt-2"
    assert add_candidate(pctx, "1M1", kind="unused").kind == "unused"
    assert get_candidate(pctx, "1M1").kind == "unused"
    assert set_candidate(pctx, "1M1", kind="cue").kind == "cue"
    # a draft: the cue's latest mockup mix in the project's mockups folder
    folder = pctx.directory / "mockups" / "1M1"
    folder.mkdir(parents=True)
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(3 * SR) / SR)
    sf.write(folder / "1M1_v1_mix.wav", np.stack([tone, tone], 1), SR, subtype="PCM_24")
    sf.write(folder / "1M1_v2_mix.wav", np.stack([tone, tone], 1)[:2 * SR], SR,
             subtype="PCM_24")
    draft = add_candidate(pctx, "1M1", kind="draft")
    assert (draft.key, draft.kind, draft.frames) == ("1M1-draft", "draft", 2 * SR)
    assert draft.cues == ("1M1",) and draft.themes == ("hero",)
    kinds = {c.key: c.kind for c in candidates(pctx)}
    assert kinds["1M1-draft"] == "draft" and len(candidates(pctx, kind="alternate")) == 2
    refresh_candidates(pctx)
    assert get_candidate(pctx, "1M2-album").title == "Chase"
    remove_candidate(pctx, "1M2-alt-2")
    with pytest.raises(NotFoundError, match="no candidate '1M2-alt-2'"):
        get_candidate(pctx, "1M2-alt-2")


def test_bad_candidate_input(lite):
    pctx = lite
    refresh_candidates(pctx)
    for value in (6, -1, 2.5):
        with pytest.raises(InputError, match="field rating: a rating is a whole number"):
            set_candidate(pctx, "1M1", rating=value)
    with pytest.raises(InputError, match="names its mix version"):
        add_candidate(pctx, "1M2", kind="alternate")
    with pytest.raises(InputError, match="not a kind of candidate added by hand"):
        add_candidate(pctx, "1M2", kind="edit")
    with pytest.raises(NotFoundError, match="cue 1M2 has no mix v9 \\(it has: v1\\)"):
        add_candidate(pctx, "1M2", kind="album_version", mix=9)
    with pytest.raises(NotFoundError, match="cue 1M2 has no mockup"):
        add_candidate(pctx, "1M2", kind="draft")
    with pytest.raises(ConflictError, match="candidate key '1M1' is taken"):
        add_candidate(pctx, "1M2", kind="alternate", mix=1, key="1M1")
    with pytest.raises(InputError, match="only a cue's own candidate changes kind"):
        add_candidate(pctx, "1M2", kind="alternate", mix=1)
        set_candidate(pctx, "1M2-alt", kind="unused")
    with pytest.raises(InputError, match="unknown candidate kind"):
        candidates(pctx, kind="bonus")


def test_measuring_a_file_and_a_tempo_map(tmp_path):
    path = tmp_path / "tone.wav"
    low = 0.25 * np.sin(2 * np.pi * 50 * np.arange(2 * SR) / SR)
    high = 0.25 * np.sin(2 * np.pi * 1000 * np.arange(2 * SR) / SR)
    sf.write(path, np.stack([low, high], 1), SR, subtype="PCM_24")
    facts = measure_audio(path, block_frames=10000)  # blocks: the filter state carries
    assert facts.frames == 2 * SR and facts.channels == 2
    assert facts.bass_share == pytest.approx(0.5, abs=0.01)
    assert facts.loudness_lufs == pytest.approx(measure_file(path).loudness_lufs, abs=0.001)
    tmap = TempoMap("24", 0, (Segment(4, Meter(4, 4), Fraction(120)),
                              Segment(2, Meter(4, 4), Fraction(60))))
    assert mean_tempo(tmap) == pytest.approx(24 * 60 / 16)  # 24 beats in 16 s
    assert mean_tempo(None) is None


def test_an_edit_that_cannot_be_rendered_is_reported_and_the_rest_go_on(lite):
    from sqlalchemy import delete, select

    from filmscore.errors import FilmscoreWarning
    from filmscore.model import Cue, Mix
    from filmscore.store import transaction

    make_edit(lite, "short-2", ["1M2:1-2"])
    with transaction(lite.engine) as db:  # 1M2's mix is gone
        cue = db.scalars(select(Cue).where(Cue.number == "1M2")).one()
        db.execute(delete(Mix).where(Mix.cue_id == cue.id))
    with pytest.warns(FilmscoreWarning, match="album edit 'short-2' cannot be rendered: "
                                              "segment 1 .*cue 1M2 has no mix yet"):
        done = refresh_candidates(lite, themes=False)
    assert "1M1" in done.made and "1M2" not in done.made
    edit = get_candidate(lite, "short-2")
    assert not edit.has_audio and edit.frames == 0


def test_a_cue_candidate_is_its_latest_stereo_mix_not_the_dubs_5_1(lite, tmp_path):
    """The demo mixes every cue in stereo (v1) and then in 5.1 for the dub (v2): the
    album takes the stereo one, and an edit of the cue cuts it too."""
    scored_cue(lite, "1M1", tmp=tmp_path, channels=6, mix_only=True)  # v2, 5.1
    make_edit(lite, "main-edit", ["1M1:3-4"])
    refresh_candidates(lite)
    found = {c.key: c for c in candidates(lite)}
    assert found["1M1"].channels == 2 and found["main-edit"].channels == 2
    assert found["1M2"].channels == 2
    scored_cue(lite, "1M2", tmp=tmp_path, channels=6, mix_only=True)
    scored_cue(lite, "1M2", tmp=tmp_path, channels=2, mix_only=True, seed=9)  # v3 stereo
    refresh_candidates(lite)
    assert {c.key: c for c in candidates(lite)}["1M2"].channels == 2
