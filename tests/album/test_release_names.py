"""Album and track titles that would leave the release folder: every file of a CD, digital
and vinyl release stays in ``<out>/<medium>`` under a safe name
(``filmscore.fileio.safe_name``); nothing beside ``out`` changes."""

from __future__ import annotations

import pytest

from filmscore.album.release import write_release
from release_helpers import plan
from test_output_names import assert_one_safe_name

TITLES = {
    "cd": ["..", "../../etc/passwd", "-rf", "con"],
    "digital": [".", "a/b", "\u202eevil\u202dcalf.exe", "x" * 300],
    "vinyl": ["..\\..\\win", "/abs", "   ", "шлях 🎻"],
}


@pytest.mark.parametrize("medium", sorted(TITLES))
def test_hostile_titles_stay_in_the_release_folder(tmp_path, medium):
    beside = tmp_path / "keep.txt"
    beside.write_text("not yours", encoding="utf-8")
    p = plan(tmp_path, medium, [4.0] * 4, titles=TITLES[medium], title="../../Album",
             sides=list("AABB") if medium == "vinyl" else None)
    before = sorted(q.name for q in tmp_path.iterdir())
    done = write_release(p, tmp_path / "out", date="2026-12-05")
    assert done.folder == tmp_path / "out" / medium
    made = [q for q in (tmp_path / "out").rglob("*") if q.is_file()]
    assert len(made) == len(done.files)
    for path in made:
        rel = path.relative_to(done.folder)
        for part in rel.parts:
            assert_one_safe_name(part)
    assert sorted(q.name for q in tmp_path.iterdir()) == before + ["out"]
    assert beside.read_text(encoding="utf-8") == "not yours"
