"""The ORM model on SQLite and PostgreSQL: records, ordering, cascades, rules, versions."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from filmscore.errors import ConflictError, TimecodeError, ValidationError
from filmscore.model import (
    Cue,
    Marker,
    PictureEvent,
    PictureVersion,
    Project,
    Reel,
    SyncPoint,
)
from filmscore.store import transaction
from filmscore.timecode import RATES


def _project(engine: Engine, title: str = "The Film", rate: str = "23.976") -> int:
    with transaction(engine) as s:
        p = Project(title=title, rate_name=rate)
        s.add(p)
        s.flush()
        return p.id


def _cue(project_id: int, number: str = "1M1", start: int = 100, end: int = 200,
         **kw: object) -> Cue:
    reel = int(number.split("M")[0])
    return Cue(project_id=project_id, number=number, reel=reel, seq=1, start_frame=start,
               end_frame=end, **kw)


def test_project_defaults_rate_and_timestamps(db_engine: Engine) -> None:
    pid = _project(db_engine, rate="29.97 df")
    with transaction(db_engine) as s:
        p = s.get(Project, pid)
        assert p is not None
        assert p.rate_name == "29.97df"  # aliases are stored by their canonical name
        assert p.rate is RATES["29.97df"]
        assert (p.sample_rate, p.film_gauge, p.notes, p.version) == (48000, "35mm4p", "", 1)
        assert p.created_at.tzinfo is not None
        assert p.created_at.utcoffset() == UTC.utcoffset(None)
        first_update = p.updated_at
    with transaction(db_engine) as s:
        p = s.get(Project, pid)
        p.notes = "temp love"
    with transaction(db_engine) as s:
        p = s.get(Project, pid)
        assert p.version == 2
        assert p.updated_at >= first_update


def test_unknown_rate_is_refused() -> None:
    with pytest.raises(TimecodeError, match="unknown frame rate"):
        Project(title="x", rate_name="23.5")


def test_picture_version_with_reels_events_markers(db_engine: Engine) -> None:
    pid = _project(db_engine)
    with transaction(db_engine) as s:
        pv = PictureVersion(project_id=pid, number=1, name="director's cut", source_kind="edl",
                            source_name="cut.edl", rate_name="23.976", start_frame=86400,
                            duration_frames=2000)
        pv.reels = [Reel(number=2, name="R2", start_frame=87400, duration_frames=1000),
                    Reel(number=1, name="R1", start_frame=86400, duration_frames=1000)]
        pv.events = [
            PictureEvent(index=2, record_in_frame=86500, record_out_frame=88400,
                         clip_name="B", source_reel="A002"),
            PictureEvent(index=1, record_in_frame=86400, record_out_frame=86500,
                         clip_name="A", source_reel="A001", source_in_frame=10,
                         source_out_frame=110),
        ]
        pv.markers = [Marker(frame=87000, kind="dialogue", text="Where is she?",
                             end_frame=87048),
                      Marker(frame=86450, kind="shot")]
        s.add(pv)
    with transaction(db_engine) as s:
        pv = s.scalars(select(PictureVersion)).one()
        assert [r.number for r in pv.reels] == [1, 2]
        assert [e.clip_name for e in pv.events] == ["A", "B"]
        assert [m.kind for m in pv.markers] == ["shot", "dialogue"]
        assert pv.end_frame == 88400 and pv.reels[0].end_frame == 87400
        assert pv.markers[1].end_frame == 87048 and pv.markers[0].end_frame is None
        assert pv.media_hash is None and pv.imported_at.tzinfo is not None
        pv.reels.pop()  # delete-orphan
    with transaction(db_engine) as s:
        assert s.scalar(select(func.count()).select_from(Reel)) == 1
        s.delete(s.scalars(select(PictureVersion)).one())
    with transaction(db_engine) as s:
        for table in (Reel, PictureEvent, Marker):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def test_picture_version_number_is_unique_per_project(db_engine: Engine) -> None:
    pid = _project(db_engine)
    other = _project(db_engine, "Another Film")
    with transaction(db_engine) as s:
        for project_id in (pid, other):
            s.add(PictureVersion(project_id=project_id, number=1, source_kind="otio",
                                 rate_name="24"))
    with pytest.raises(ConflictError, match="picture version v1 already exists"):
        with transaction(db_engine) as s:
            s.add(PictureVersion(project_id=pid, number=1, source_kind="otio",
                                 rate_name="24"))


def test_bad_kinds_are_refused() -> None:
    with pytest.raises(ValidationError, match="marker kind"):
        Marker(frame=1, kind="explosion")
    with pytest.raises(ValidationError, match="sync point kind"):
        SyncPoint(frame=1, kind="maybe")
    with pytest.raises(ValidationError, match="source_kind"):
        PictureVersion(number=1, source_kind="avid", rate_name="24")


def test_cues_and_sync_points(db_engine: Engine) -> None:
    pid = _project(db_engine)
    with transaction(db_engine) as s:
        cue = _cue(pid, "1M1", 100, 400, title="Opening", mood="dread")
        cue.sync_points = [SyncPoint(frame=300, kind="hard", description="door slam"),
                           SyncPoint(frame=150, kind="soft", weight=0.5,
                                     tolerance_frames=2),
                           SyncPoint(frame=399, kind="end")]
        s.add_all([cue, _cue(pid, "2M3A", 5000, 5100, insert="A"),
                   _cue(pid, "1M4s", 900, 1000, source=True)])
    with transaction(db_engine) as s:
        cues = {c.number: c for c in s.scalars(select(Cue))}
        assert set(cues) == {"1M1", "2M3A", "1M4s"}
        c = cues["1M1"]
        assert [p.frame for p in c.sync_points] == [150, 300, 399]
        assert c.sync_points[0].weight == 0.5 and c.sync_points[0].tolerance_frames == 2
        assert c.sync_points[1].weight == 1.0 and c.sync_points[1].tolerance_frames is None
        assert (c.status, c.version, c.duration_frames, c.insert) == ("spotted", 1, 300, "")
        assert cues["1M4s"].source is True and cues["2M3A"].insert == "A"
        assert c.temp_in_frame is None and c.temp_out_frame is None
        c.sync_points.pop(0)
    with transaction(db_engine) as s:
        assert s.scalar(select(func.count()).select_from(SyncPoint)) == 2
        s.delete(s.scalars(select(Cue).where(Cue.number == "1M1")).one())
    with transaction(db_engine) as s:
        assert s.scalar(select(func.count()).select_from(SyncPoint)) == 0
        assert s.scalar(select(func.count()).select_from(Cue)) == 2


def test_cue_number_is_unique_per_project(db_engine: Engine) -> None:
    pid = _project(db_engine)
    other = _project(db_engine, "Sequel")
    with transaction(db_engine) as s:
        s.add_all([_cue(pid, "1M1"), _cue(other, "1M1")])
    with pytest.raises(ConflictError, match="cue 1M1 already exists") as caught:
        with transaction(db_engine) as s:
            s.add_all([_cue(pid, "1M2"), _cue(pid, "1M1", 500, 600)])
    assert "number" in str(caught.value)
    with transaction(db_engine) as s:
        assert s.scalar(select(func.count()).select_from(Cue)) == 2  # 1M2 not written


@pytest.mark.parametrize(("start", "end"), [(100, 100), (200, 100)])
def test_cue_must_end_after_it_starts(db_engine: Engine, start: int, end: int) -> None:
    pid = _project(db_engine)
    with pytest.raises(ValidationError, match="cue 1M1 breaks the rule: end after start"):
        with transaction(db_engine) as s:
            s.add(_cue(pid, "1M1", start, end))


def test_sync_point_weight_not_negative(db_engine: Engine) -> None:
    pid = _project(db_engine)
    with pytest.raises(ValidationError, match="breaks the rule: weight not negative"):
        with transaction(db_engine) as s:
            cue = _cue(pid)
            cue.sync_points = [SyncPoint(frame=150, weight=-1.0)]
            s.add(cue)


def test_versions_count_edits(db_engine: Engine) -> None:
    pid = _project(db_engine)
    with transaction(db_engine) as s:
        cue = _cue(pid)
        cue.sync_points = [SyncPoint(frame=150)]
        s.add(cue)
    for title in ("a", "b", "c"):
        with transaction(db_engine) as s:
            cue = s.scalars(select(Cue)).one()
            cue.title = title
            cue.sync_points[0].description = title
    with transaction(db_engine) as s:
        cue = s.scalars(select(Cue)).one()
        assert cue.version == 4 and cue.sync_points[0].version == 4
