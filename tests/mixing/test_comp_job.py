"""The comp render, the mix and the delivery as background jobs (kinds ``comp``, ``mix``,
``deliver``: what the web pages start), on SQLite (the local pool) and PostgreSQL (the
queue and its workers): each job does what it was given and its result is what was stored;
"all" means every cue with a comp, and a delivery is one job for the whole film."""

from __future__ import annotations

import pytest

from filmscore import jobs
from filmscore.errors import NotFoundError
from filmscore.mixing.comps import comp_of
from filmscore.project import init_project, open_project
from web.mixing_helpers import add_comp_takes


def test_the_comp_job_renders_the_comp_it_was_given(tmp_path, db_url):
    folder = tmp_path / "film"
    init_project(folder, title="Job Film", fps="24", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        with pytest.raises(NotFoundError, match="no cue to make comp renders of yet"):
            jobs.start(pctx, "comp")
    add_comp_takes(folder, tmp_path / "recorded", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        assert jobs.KINDS["comp"].cues(pctx) == ["1M1"]
        assert jobs.KINDS["comp"].action == "mix"
        ((cue, result),) = jobs.run(pctx, "comp", None, {"number": 1}, workers=1)
        assert (cue, result.number, result.edit_list()) == ("1M1", 1, "1-16=3")
        assert [f.stem for f in result.files] == ["strings", "brass"]
        assert comp_of(pctx, "1M1", 1).files == result.files
        assert not comp_of(pctx, "1M1", 2).rendered  # only the version asked for
        ((_, latest),) = jobs.run(pctx, "comp", ["1M1"], {}, workers=1)
        assert latest.number == 2 and latest.edits == comp_of(pctx, "1M1").edits


def test_the_mix_and_deliver_jobs(tmp_path, db_url):
    """What the mixing page's mix form and the delivery page's button start."""
    from filmscore.mixing.mixes import mixes

    folder = tmp_path / "film"
    init_project(folder, title="Job Film", fps="24", db=db_url)
    add_comp_takes(folder, tmp_path / "recorded", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        jobs.run(pctx, "comp", ["1M1"], {}, workers=1)
        options = {"layout": "stereo", "comp": 2, "notes": "from the page",
                   "settings": {"strings": {"gain_db": -3.0, "pan": 0.0}},
                   "ceiling_dbtp": -1.0, "author": "ed"}
        ((_, mix),) = jobs.run(pctx, "mix", ["1M1"], options, workers=1)
        (stored,) = mixes(pctx, "1M1")
        assert (mix.number, mix.comp_number, mix.notes, mix.author) == (1, 2,
                                                                       "from the page", "ed")
        assert mix.loudness_lufs == stored.loudness_lufs and mix.files == stored.files
        assert jobs.KINDS["deliver"].cues(pctx) == [jobs.FILM]
        ((cue, delivery),) = jobs.run(pctx, "deliver", None, {}, workers=1)
        assert cue == "film"
        assert [f.name for f in delivery.files] == ["1M1_v1_STR.wav", "1M1_v1_BR.wav",
                                                    "1M1_v1_MIX.wav"]
        assert (folder / "delivery" / "delivery.csv").is_file()
