"""The cue list costs one statement however many cues there are, and a cue found by its
number is loaded alone; counted on both backends with SQLAlchemy's cursor events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from filmscore.errors import NotFoundError
from filmscore.project import ProjectContext, init_project, open_project
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
from filmscore.spotting.service import (
    cue_form,
    get_cue,
    import_cues,
    list_cues,
    remove_cue,
    remove_sync,
)
from statements import statements


def _cues(count: int) -> list[CueSpec]:
    """``count`` cues, ten to a reel, each with a hard and a soft sync point."""
    out = []
    for i in range(count):
        start = i * 240
        out.append(CueSpec(number=CueNumber(i // 10 + 1, i % 10 + 1), title=f"Cue {i}",
                           start_frame=start, end_frame=start + 200,
                           sync_points=(SyncSpec(frame=start + 10),
                                        SyncSpec(frame=start + 50, kind="soft"))))
    return out


@contextmanager
def _project(folder: Path, db_url: str, count: int) -> Iterator[ProjectContext]:
    init_project(folder, title="Counted", fps="24", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        import_cues(pctx, _cues(count))
        yield pctx


def test_the_cue_list_is_one_statement_for_any_number_of_cues(tmp_path: Path,
                                                               db_url: str) -> None:
    # two projects in one database: the list is the project's own
    with _project(tmp_path / "few", db_url, 3) as pctx, statements(pctx.engine) as few:
        few_cues = list_cues(pctx)
    with _project(tmp_path / "many", db_url, 80) as pctx, statements(pctx.engine) as many:
        many_cues = list_cues(pctx)
    assert len(few_cues) == 3 and len(many_cues) == 80
    assert len(few) == len(many) == 1, many
    # what the list shows came with it: every cue's sync points, in time order
    assert all(len(c.sync_points) == 2 for c in many_cues)
    assert [s.kind for s in many_cues[-1].sync_points] == ["hard", "soft"]
    assert [str(c.number) for c in many_cues[:2]] == ["1M1", "1M2"]


def test_a_cue_is_found_without_loading_the_others(tmp_path: Path, db_url: str) -> None:
    with _project(tmp_path / "p", db_url, 30) as pctx:
        with statements(pctx.engine) as sent:
            spec = get_cue(pctx, "2m3")
        assert str(spec.number) == "2M3" and len(spec.sync_points) == 2
        assert len(sent) == 1 and "cues.number = " in sent[0], sent
        with statements(pctx.engine) as sent:
            form = cue_form(pctx, "3M1")
        assert form.cue.title == "Cue 20" and len(form.syncs) == 2
        assert len(sent) == 1, sent
        gone = remove_sync(pctx, "1M1", 2)
        assert gone.kind == "soft" and len(get_cue(pctx, "1M1").sync_points) == 1
        assert remove_cue(pctx, "1M2").title == "Cue 1"
        assert [str(c.number) for c in list_cues(pctx)][:2] == ["1M1", "1M3"]


def test_a_missing_cue_still_names_the_cues_there_are(tmp_path: Path, db_url: str) -> None:
    with _project(tmp_path / "p", db_url, 14) as pctx:
        with pytest.raises(NotFoundError) as caught:
            get_cue(pctx, "9M9")
    assert str(caught.value) == ("no cue 9M9 in this project (cues: 1M1, 1M2, 1M3, 1M4, "
                                 "1M5, 1M6, 1M7, 1M8, 1M9, 1M10, 2M1, 2M2)")
