"""The comp render as a background job (kind ``comp``, what the web page starts), on SQLite
(the local pool) and PostgreSQL (the queue and its workers): the job renders the comp it
was given, its result is the comp as stored, and "all" means every cue with a comp."""

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
