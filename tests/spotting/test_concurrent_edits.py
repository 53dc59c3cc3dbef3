"""Concurrent edits of one cue, on SQLite and PostgreSQL (``db_url``): edits of different
fields all succeed (each thread its own connection); only an edit of a field someone
changed since it was read is refused, showing the value read, now and wanted."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from filmscore.errors import ConflictError
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue, change_sync, cue_form, edit_cue, get_cue

TEXT_FIELDS = ("title", "notes", "mood", "instrumentation", "temp_track")


@pytest.fixture
def pctx(tmp_path, db_url):
    init_project(tmp_path / "p", title="Edits", fps="24", db=db_url)
    ctx = open_project(tmp_path / "p", db=db_url)
    add_cue(ctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24, 24 * 30,
                         sync_points=(SyncSpec(frame=48, description="door"),)))
    try:
        yield ctx
    finally:
        ctx.close()


def _together(jobs) -> list[BaseException | None]:
    """Run every job on its own thread, all released at once; each one's error or None."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException | None] = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_twenty_parallel_edits_as_the_cli_makes_them_all_succeed(pctx):
    """`filmscore cue edit 1M1 --mood ...` twenty times at once (it sends no read values):
    each is applied, none refused as a conflict."""
    wanted = [(TEXT_FIELDS[i % len(TEXT_FIELDS)], f"value {i}") for i in range(20)]
    errors = _together([lambda f=f, v=v: edit_cue(pctx, "1M1", **{f: v}) for f, v in wanted])
    assert errors == [None] * 20
    now = get_cue(pctx, "1M1")
    for field in TEXT_FIELDS:
        assert getattr(now, field) in {v for f, v in wanted if f == field}


def test_parallel_edits_of_different_fields_read_before_all_succeed(pctx):
    """Editors who each read the cue, then change one field each, at once: all saved."""
    read = get_cue(pctx, "1M1")
    fields = [*TEXT_FIELDS, "status", "end_frame"]
    values = {**{f: f"new {f}" for f in TEXT_FIELDS}, "status": "sketched",
              "end_frame": 24 * 40}
    seen = {f: getattr(read, f) for f in TEXT_FIELDS} | {"status": "spotted",
                                                         "end_frame": read.end_frame}
    errors = _together([lambda f=f: edit_cue(pctx, "1M1", read={f: seen[f]}, **{f: values[f]})
                        for f in fields])
    assert errors == [None] * len(fields)
    now = get_cue(pctx, "1M1")
    for field in TEXT_FIELDS:
        assert getattr(now, field) == values[field]
    assert now.end_frame == 24 * 40 and cue_form(pctx, "1M1").status == "sketched"


def test_two_edits_of_one_field_one_is_refused_showing_the_values(pctx):
    read = get_cue(pctx, "1M1").title
    edit_cue(pctx, "1M1", read={"title": read}, title="Lions at the Gate")
    with pytest.raises(ConflictError) as caught:
        edit_cue(pctx, "1M1", read={"title": read}, title="Sindbad's Isle")
    message = str(caught.value)
    assert ("title was 'Main Title' when you read it, is 'Lions at the Gate' now, you wanted "
            "\"Sindbad's Isle\"") in message and "nothing was saved" in message
    assert get_cue(pctx, "1M1").title == "Lions at the Gate"
    # the same value wanted by both is no conflict; a field left as read is not written
    edit_cue(pctx, "1M1", read={"title": read}, title="Lions at the Gate")
    edit_cue(pctx, "1M1", read={"title": read, "mood": ""}, title="Lions at the Gate",
             mood="brash")
    assert get_cue(pctx, "1M1").mood == "brash"


def test_two_parallel_edits_of_one_field_exactly_one_succeeds(pctx):
    read = get_cue(pctx, "1M1").notes
    errors = _together([lambda v=v: edit_cue(pctx, "1M1", read={"notes": read}, notes=v)
                        for v in ("mine", "theirs")])
    assert sorted(type(e).__name__ for e in errors if e) == ["ConflictError"]
    winner = get_cue(pctx, "1M1").notes
    (refused,) = [e for e in errors if e]
    assert f"is {winner!r} now" in str(refused)


def test_sync_point_edits_are_per_field(pctx):
    point = cue_form(pctx, "1M1").syncs[0]
    read = point.sync
    # one editor moves the point, another (reading before) renames it: both saved
    change_sync(pctx, "1M1", point.id, read=read, sync=replace(read, frame=60))
    change_sync(pctx, "1M1", point.id, read=read, sync=replace(read, description="bell"))
    now = cue_form(pctx, "1M1").syncs[0].sync
    assert (now.frame, now.description) == (60, "bell")
    # a third, from the first read, moving it elsewhere: a real conflict, timecodes shown
    with pytest.raises(ConflictError) as caught:
        change_sync(pctx, "1M1", point.id, read=read, sync=replace(read, frame=72))
    assert "frame was 00:00:02:00 when you read it, is 00:00:02:12 now, you wanted " \
           "00:00:03:00" in str(caught.value)
    with pytest.raises(ConflictError, match="removed"):  # it changed since: not removed
        change_sync(pctx, "1M1", point.id, read=read, sync=None)
    assert len(cue_form(pctx, "1M1").syncs) == 1
