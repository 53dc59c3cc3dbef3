"""The conform service on SQLite and PostgreSQL: two picture versions imported from EDLs
with known edits, cues spotted on the first with sync points and a tempo map, the change
list compared, stored and applied (every cue, sync point and bar 1 exactly where its shot
went, flags kept, the move recorded), and the refusals: applying twice, a change list
from a cut the cues are not on, and a change list made for another project."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conform_follow_helpers import (
    EXPECTED,
    TITLE,
    H,
    film,
    foreign_csv,
    spot,
    write_cuts,
)
from filmscore.conform import service
from filmscore.errors import ConflictError, NotFoundError, ValidationError
from filmscore.model import ChangeList as ChangeListRow
from filmscore.model import ConformFlag
from filmscore.project import init_project, open_project
from filmscore.spotting.service import edit_cue, import_picture, list_cues, remove_cue
from filmscore.store import transaction
from filmscore.sync.service import cue_sync


@pytest.fixture
def pctx(db_url, tmp_path, monkeypatch):
    ctx = film(tmp_path / "film", db=db_url)
    yield ctx
    ctx.close()


def _frames(ctx) -> dict:
    return {str(c.number): (c.start_frame, c.end_frame, [s.frame for s in c.sync_points])
            for c in list_cues(ctx)}


def test_compare_stores_a_numbered_change_list(pctx):
    info, changes = service.compare(pctx, 1, 2, note="director's cut", author="ed")
    assert (info.number, info.old_version, info.new_version) == (1, 1, 2)
    assert info.project == f"{TITLE} #{pctx.project_id}" == changes.project
    assert info.applied_at is None and info.flags == 0 and info.note == "director's cut"
    assert changes.map_frame(H + 600) == H + 528 and changes.map_frame(H + 800) is None
    second, _ = service.compare(pctx, 1, 2)
    assert second.number == 2
    assert [i.number for i in service.change_lists(pctx)] == [1, 2]
    stored_info, stored = service.get_change_list(pctx, 1)
    assert stored == changes and stored_info.author == "ed"
    assert service.flags(pctx, 1) == []
    with pytest.raises(NotFoundError, match="no picture version v7 .*versions: v1, v2"):
        service.compare(pctx, 1, 7)
    with pytest.raises(NotFoundError, match="no change list 9 .*change lists: 1, 2"):
        service.get_change_list(pctx, 9)


def test_apply_moves_every_cue_and_sync_point_with_its_shot(pctx):
    assert service.cues_follow(pctx) == 1
    service.compare(pctx, 1, 2)
    done = service.apply(pctx, 1, author="ed")
    assert _frames(pctx) == EXPECTED
    assert done.moved == 4
    # bar 1 of 1M2's tempo map moved with its start
    assert cue_sync(pctx, "1M2").tempo_map.start_frame == H + 376
    assert service.cues_follow(pctx) == 2

    views = {v.cue: v for v in service.flags(pctx, 1)}
    assert {c: (v.reason, v.status) for c, v in views.items()} == {
        "1M1": ("moved", "kept"), "1M2": ("cut_into", "open"),
        "1M3": ("deleted", "open"), "1M4": ("moved", "kept")}
    cut = views["1M2"]
    assert [(h.kind, h.old_frame, h.new_frame, h.music_frame, h.off_frames)
            for h in cut.hits] == [("hard", H + 420, H + 396, H + 396, 0),
                                   ("downbeat", H + 600, H + 528, H + 576, -48),
                                   ("soft", H + 690, H + 618, H + 666, -48)]
    assert cut.worst_off == 48 and cut.needs_fix and cut.proposals == ()
    assert (cut.flag.new_start, cut.flag.new_end) == (H + 376, H + 628)
    assert views["1M3"].hits[0].new_frame is None
    assert [v.cue for v in service.flags(pctx, 1)] == ["1M1", "1M2", "1M4", "1M3"]

    info, _ = service.get_change_list(pctx, 1)
    assert info.applied_at is not None and (info.flags, info.open_flags) == (4, 2)
    with transaction(pctx.engine) as db:
        applied = db.scalars(select(ChangeListRow)).one().data["applied"]
    assert applied["author"] == "ed" and applied["cues_followed"] == 1
    moves = {m["cue"]: m for m in applied["moves"]}
    assert sorted(moves) == ["1M1", "1M2", "1M3", "1M4"]
    assert moves["1M3"]["start"] == [H + 760, H + 648]
    assert moves["1M2"]["start"] == [H + 400, H + 376]
    assert moves["1M2"]["end"] == [H + 700, H + 628]
    assert moves["1M2"]["tempo_start"] == [H + 400, H + 376]
    assert [s[1:] for s in moves["1M2"]["sync"]] == [[H + 420, H + 396], [H + 600, H + 528],
                                                     [H + 690, H + 618]]
    # the cue list is inside the new picture: once the deleted cue is removed, cues edit
    remove_cue(pctx, "1M3")
    assert edit_cue(pctx, "1M4", title="Kiss").start_frame == H + 688


def test_apply_twice_is_refused_and_changes_nothing(pctx):
    service.compare(pctx, 1, 2)
    service.apply(pctx, 1)
    before = _frames(pctx)
    with pytest.raises(ConflictError, match="change list 1 was applied already"):
        service.apply(pctx, 1)
    assert _frames(pctx) == before
    with transaction(pctx.engine) as db:
        assert db.scalar(select(func.count()).select_from(ConformFlag)) == 4


def test_a_change_list_from_a_cut_the_cues_are_not_on_is_refused(pctx):
    service.compare(pctx, 1, 2)
    service.compare(pctx, 2, 1)
    with pytest.raises(ValidationError, match="goes from v2 to v1 but the cues follow "
                                              "picture v1"):
        service.apply(pctx, 2)
    service.apply(pctx, 1)
    # the cues now follow v2: a second change list from v1 is refused, back to v1 is fine
    service.compare(pctx, 1, 2)
    with pytest.raises(ValidationError, match="cues follow picture v2"):
        service.apply(pctx, 3)
    with pytest.raises(Exception, match="--cues-on cannot change that"):
        service.apply(pctx, 3, cues_on=1)
    assert _frames(pctx) == EXPECTED


def test_a_change_list_for_another_project_is_refused(pctx, tmp_path, monkeypatch):
    path = foreign_csv(tmp_path / "other.csv", "Other Film #3")
    with pytest.raises(ValidationError) as caught:
        service.import_change_list(pctx, path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message and "Other Film #3" in message
    assert f"{TITLE} #{pctx.project_id}" in message
    assert service.change_lists(pctx) == []


def test_a_change_list_of_this_project_imports_and_applies(pctx, tmp_path, monkeypatch):
    path = foreign_csv(tmp_path / "ours.csv", f"{TITLE} #{pctx.project_id}")
    info, _ = service.import_change_list(pctx, path, note="from the cutting room")
    assert (info.number, info.old_version, info.new_version) == (1, 1, 2)
    service.apply(pctx, 1)
    assert _frames(pctx) == EXPECTED


def test_cues_spotted_after_both_cuts_follow_the_latest_unless_told(db_url, tmp_path,
                                                                    monkeypatch):
    init_project(tmp_path / "p", title=TITLE, fps="24", db=db_url)
    with open_project(tmp_path / "p") as ctx:
        cut1, cut2 = write_cuts(tmp_path)
        import_picture(ctx, cut1, shots=False)
        import_picture(ctx, cut2, shots=False)
        spot(ctx, "1M1", H + 260, H + 390, [(H + 330, "hard", "door")])
        assert service.cues_follow(ctx) == 2
        service.compare(ctx, 1, 2)
        with pytest.raises(ValidationError, match="the cues follow picture v2"):
            service.apply(ctx, 1)
        service.apply(ctx, 1, cues_on=1)  # they were spotted on v1: the editor says so
        assert _frames(ctx) == {"1M1": EXPECTED["1M1"]}
        assert service.cues_follow(ctx) == 2


def test_a_take_of_a_cue_moved_whole_is_still_a_take_of_it(pctx):
    """A cue that only moved keeps its recording (it slides with the cue): its takes
    follow its tempo map's new version; nothing is to record again."""
    from fractions import Fraction

    from filmscore.model import Cue, Take
    from filmscore.sync.service import set_tempo_map
    from filmscore.sync.tempomap import TempoMap

    set_tempo_map(pctx, "1M1", TempoMap.constant("24", H + 260, Fraction(120), bars=2))
    with transaction(pctx.engine) as session:
        cue = session.scalars(select(Cue).where(Cue.number == "1M1")).one()
        session.add(Take(project_id=pctx.project_id, cue_id=cue.id, number=1, circled=True,
                         tempo_map_version=cue.tempo_map.version))
    before = cue_sync(pctx, "1M1").version
    service.compare(pctx, 1, 2)
    service.apply(pctx, 1)
    after = cue_sync(pctx, "1M1").version
    assert after != before  # the map moved with the cue (1M1 moved whole, -24 frames)
    with transaction(pctx.engine) as session:
        take = session.scalars(select(Take)).one()
        assert take.tempo_map_version == after
        record = session.scalars(select(ChangeListRow)).one().data["applied"]
    moved = next(m for m in record["moves"] if m["cue"] == "1M1")
    assert moved["takes_moved"] == [take.id]
