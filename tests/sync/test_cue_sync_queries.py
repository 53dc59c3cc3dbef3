"""Every cue with its sync points and tempo map (click, streamers and mockup ``--all``, the
writing service) costs one statement however many cues there are, and one cue one
statement; counted on both backends with SQLAlchemy's cursor events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

from filmscore.project import ProjectContext, init_project, open_project
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
from filmscore.spotting.service import import_cues
from filmscore.sync.service import all_cue_syncs, cue_sync, set_tempo_map
from filmscore.sync.tempomap import TempoMap
from statements import statements


def _cues(count: int) -> list[CueSpec]:
    """``count`` cues, ten to a reel, each with a hard and a soft sync point."""
    return [CueSpec(number=CueNumber(i // 10 + 1, i % 10 + 1), title=f"Cue {i}",
                    start_frame=i * 240, end_frame=i * 240 + 200,
                    sync_points=(SyncSpec(frame=i * 240 + 50, kind="soft"),
                                 SyncSpec(frame=i * 240 + 10)))
            for i in range(count)]


@contextmanager
def _project(folder: Path, db_url: str, count: int) -> Iterator[ProjectContext]:
    """A project of ``count`` cues, every other one with a tempo map."""
    init_project(folder, title="Counted", fps="24", db=db_url)
    with open_project(folder, db=db_url) as pctx:
        cues = _cues(count)
        import_cues(pctx, cues)
        for n, cue in enumerate(cues):
            if n % 2 == 0:
                set_tempo_map(pctx, str(cue.number), TempoMap.constant(
                    "24", cue.start_frame, Fraction(120 + n), bars=2))
        yield pctx


def test_every_cue_with_its_syncs_is_one_statement(tmp_path: Path, db_url: str) -> None:
    # two projects in one database: the list is the project's own
    with _project(tmp_path / "few", db_url, 3) as pctx, statements(pctx.engine) as few:
        few_syncs = all_cue_syncs(pctx)
    with _project(tmp_path / "many", db_url, 30) as pctx, statements(pctx.engine) as many:
        many_syncs = all_cue_syncs(pctx)
    assert len(few_syncs) == 3 and len(many_syncs) == 30
    assert len(few) == len(many) == 1, many  # before: 1 + 2N (61 for 30 cues)
    # what came with the one statement: the sync points in time order, the maps
    assert [str(cs.cue.number) for cs in many_syncs[:3]] == ["1M1", "1M2", "1M3"]
    assert all([s.kind for s in cs.cue.sync_points] == ["hard", "soft"] for cs in many_syncs)
    assert [cs.tempo_map is not None for cs in many_syncs[:4]] == [True, False, True, False]
    assert many_syncs[2].tempo_map.segments[0].tempo_bpm == 122
    assert many_syncs[2].version == 1 and many_syncs[1].version == 0


def test_one_cue_with_its_syncs_is_one_statement(tmp_path: Path, db_url: str) -> None:
    with _project(tmp_path / "p", db_url, 12) as pctx, statements(pctx.engine) as sent:
        with_map, without = cue_sync(pctx, "2m1"), cue_sync(pctx, "1M2")
    assert len(sent) == 2 and all("cues.number = " in s for s in sent), sent
    assert with_map.tempo_map.segments[0].tempo_bpm == 130 and with_map.origin == "set"
    assert without.tempo_map is None and without.origin == "" and without.version == 0
    assert [s.frame for s in with_map.cue.sync_points] == [2410, 2450]
