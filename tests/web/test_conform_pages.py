"""The conform stage in the workspace, in-process: the change lists and a change list's
page as every role, the view model exact against the change list of ``conform_helpers``
(checked by hand), and the fixes: proposing again and picking one (a background job of
kind ``conform-fix``, with stand-ins for ``filmscore.conform.fixing``), CSRF, roles, bad
input and a stale form."""

from __future__ import annotations

import re
import sys
import types

import pytest
from sqlalchemy import select

from filmscore import jobs
from filmscore.accounts import ROLES, can
from filmscore.conform.board import change_list_board, change_lists, off_class, signed
from filmscore.model import ConformFlag, Cue
from filmscore.project import init_project, open_project
from filmscore.store import transaction
from filmscore.web.security import api_routes, route_action
from web.conform_helpers import add_conform
from web_helpers import jobs_on_threads, login, token, wait_batch


@pytest.fixture
def web_project(web_project):
    add_conform(web_project)
    return web_project


# --- every role ---------------------------------------------------------------------------------

def test_every_role_sees_the_change_lists_and_the_flagged_cues(app):
    for role in ROLES:
        client = login(app, role)
        listing = client.get("/conform")
        assert listing.status_code == 200, (role, listing.text)
        html = listing.text
        assert 'href="/conform">Conform</a>' in html  # in the navigation
        assert html.index('data-number="2"') < html.index('data-number="1"')  # latest first
        assert "v1 <span class=\"vname\">Popeye reel 1 v1</span> → v2" in html
        assert "2026-12-01 09:45 UTC" in html and "compared only" in html
        assert "1 trim tail" in html and "1 move" in html
        assert "+48" in html and "−264" in html
        assert "3 <span class=\"meta\">(2 open)</span>" in html

        page = client.get("/conform/1")
        assert page.status_code == 200, (role, page.text)
        html = page.text
        assert html.count('<section class="panel flagged-cue') == 3
        assert 'id="cue-2M1"' in html and "Chase" in html
        assert '<span class="frames-off off" title="off the hit">+48 fr</span>' in html
        assert '<span class="frames-off near" title="near the hit">-2 fr</span>' in html
        assert "cut out" in html
        assert "insert 2 bars of 4/4 before bar 9" in html
        assert 'class="seg k-delete" data-change="2" style="left: 20.0%; width: 10.0%"' in html
        assert "event 7 has no source timecode" in html
        forms = html.count('action="/conform/1/2M1/fix"')
        assert forms == (4 if can(role, "conform") else 0), role
        assert 'action="/conform/1/1M1/fix"' not in html  # fixed: no fix buttons
        assert ('action="/conform/1/3M1/propose"' in html) == can(role, "conform")
        assert "No fix proposed yet" in html


def test_the_conform_action_is_the_composers_and_the_music_editors(app):
    assert [r for r in ROLES if can(r, "conform")] == ["composer", "music editor"]
    actions = {(m, r.path): route_action(r) for r in api_routes(app)
               for m in r.methods - {"HEAD"} if r.path.startswith("/conform")}
    assert actions == {
        ("GET", "/conform"): "view",
        ("GET", "/conform/{number}"): "view",
        ("POST", "/conform/{number}/{cue}/fix"): "conform",
        ("POST", "/conform/{number}/{cue}/propose"): "conform",
    }
    assert jobs.KINDS["conform-fix"].action == "conform"
    # "all" a fix applies to: the cues still open, in film order
    assert jobs.KINDS["conform-fix"].cues(app.state.pctx) == ["2M1", "3M1"]


def test_an_unknown_change_list_or_cue(app):
    client = login(app, "music editor")
    csrf = token(client, "/conform")
    answer = client.get("/conform/7", headers={"accept": "application/json"})
    assert answer.status_code == 404
    assert answer.json()["error"] == "no change list 7 in this project (change lists: 1, 2)"
    assert "no change list 7" in client.get("/conform/7").text
    gone = client.post("/conform/1/9M9/fix", data={"csrf": csrf, "choice": "0",
                                                   "version": "1"},
                       headers={"accept": "application/json"})
    assert gone.status_code == 404
    assert gone.json()["error"] == ("change list 1 flagged no cue 9M9 (flagged: 1M1, 2M1, "
                                    "3M1)")


def test_no_change_list_yet(tmp_path):
    from filmscore.users import add_user
    from filmscore.web.app import create_app
    from web_helpers import PASSWORD

    folder = tmp_path / "empty"
    init_project(folder, title="Empty", fps="24")
    with open_project(folder) as pctx:
        add_user(pctx, "composer user", "composer", PASSWORD)
    app = create_app(folder)
    try:
        html = login(app, "composer").get("/conform").text
        assert "No change list yet" in html and "filmscore conform compare" in html
    finally:
        app.state.pctx.close()


# --- the view model -----------------------------------------------------------------------------

def test_the_change_list_read_by_hand(db_url, tmp_path):
    folder = tmp_path / "film"
    init_project(folder, title="Conform Film", fps="24", db=db_url)
    ids = add_conform(folder, db=db_url)
    with open_project(folder, db=db_url) as pctx:
        listed = change_lists(pctx)
        board = change_list_board(pctx, 1)
        second = change_list_board(pctx, 2)

    assert [s.number for s in listed] == [2, 1]
    two, one = listed
    assert (one.old_version, one.new_version, one.old_name, one.new_name) == (
        1, 2, "Popeye reel 1 v1", "Popeye reel 1 v2")
    assert (one.compared_at, one.applied_at, one.applied, one.author) == (
        "2026-12-01 09:30 UTC", "2026-12-01 09:45 UTC", True, "music editor user")
    assert one.counts == (("insert", 1), ("delete", 1), ("trim_tail", 1))
    assert (one.changes, one.frames_added, one.frames_removed, one.net_frames) == (
        3, 48, 264, -216)
    assert (one.flagged, one.open, one.worst_off) == (3, 2, 48)
    assert (two.applied, two.counts, two.flagged, two.worst_off) == (
        False, (("move", 1), ("replace", 1)), 0, 0)
    assert board.summary == one and board.rate == "24"
    assert board.warnings == ("event 7 has no source timecode: matched by its clip name",)

    # the changes in timecode at 24 fps
    assert [(c.index, c.kind, c.clip, c.old_in, c.old_out, c.new_in, c.new_out, c.old_frames,
             c.new_frames, c.delta_text, c.frames_text) for c in board.changes] == [
        (1, "trim_tail", "A010", "01:00:19:00", "01:00:20:00", "01:00:19:00", "01:00:19:00",
         24, 0, "0", "-24"),
        (2, "delete", "B020", "01:00:20:00", "01:00:30:00", "", "", 240, None, "0", "-240"),
        (3, "insert", "N100", "", "", "01:00:39:00", "01:00:41:00", None, 48, "0", "+48")]
    assert [c.delta_text for c in second.changes] == ["+120", "0"]

    # the two cuts on one scale: the old cut's 2400 frames
    old, new = board.strips
    assert (old.title, old.start, old.end, old.width_pct) == (
        "Popeye reel 1 v1", "01:00:00:00", "01:01:40:00", 100.0)
    assert (new.start, new.end, new.width_pct) == ("01:00:00:00", "01:01:31:00", 91.0)
    assert [(g.kind, g.label, g.x_pct, g.width_pct) for g in old.segments] == [
        ("kept", "", 0.0, 19.0), ("kept", "", 30.0, 20.0), ("kept", "", 50.0, 50.0),
        ("trim_tail", "1", 19.0, 1.0), ("delete", "2", 20.0, 10.0)]
    assert [(g.kind, g.label, g.x_pct, g.width_pct) for g in new.segments] == [
        ("kept", "", 0.0, 19.0), ("kept", "", 19.0, 20.0), ("kept", "", 41.0, 50.0),
        ("trim_tail", "1", 19.0, 0.0), ("insert", "3", 39.0, 2.0)]
    assert old.segments[1].title == "kept: C030 01:00:30:00-01:00:50:00 (moved -264)"
    # the cues where they were and are: 2M1 600 frames from 900 (37.5 %), 648 from 636
    assert [(c.label, c.x_pct, c.width_pct) for c in old.cues] == [
        ("1M1", 4.167, 20.833), ("2M1", 37.5, 25.0), ("3M1", 66.667, 25.0)]
    assert [(c.label, c.x_pct, c.width_pct) for c in new.cues] == [
        ("1M1", 4.167, 14.833), ("2M1", 26.5, 27.0), ("3M1", 57.667, 25.0)]

    # the flags in the old cut's order
    assert [(f.cue, f.title, f.reason, f.status, f.worst_off, f.worst_class)
            for f in board.flags] == [
        ("1M1", "Main Title", "cut_into", "fixed", 0, "ok"),
        ("2M1", "Chase", "hits_moved", "open", 48, "off"),
        ("3M1", "Finale", "moved", "open", 0, "ok")]
    main, chase, finale = board.flags
    assert (chase.old_start, chase.old_end, chase.new_start, chase.new_end, chase.moved,
            chase.moved_text) == ("01:00:37:12", "01:01:02:12", "01:00:26:12",
                                  "01:00:53:12", -264, "-264")
    assert [(h.sync_id, h.description, h.old_tc, h.new_tc, h.music_tc, h.off, h.off_text,
             h.size) for h in chase.hits] == [
        (ids["2M1"][0], "Car door", "01:00:41:16", "01:00:30:16", "01:00:30:16", 0, "0", "ok"),
        (ids["2M1"][1], "Crash", "01:00:54:04", "01:00:45:04", "01:00:43:04", 48, "+48",
         "off"),
        (ids["2M1"][2], "Glass", "01:00:58:08", "01:00:49:08", "01:00:47:08", 48, "+48",
         "off")]
    assert [(p.index, p.kind, p.worst_off, p.worst_class, p.best, p.chosen,
             [a[1] for a in p.after], [a[2] for a in p.after]) for p in chase.proposals] == [
        (0, "insert_bars", 0, "ok", True, False, ["0", "0", "0"], ["ok", "ok", "ok"]),
        (1, "resolve_tempo", 2, "near", False, False, ["0", "+1", "-2"],
         ["ok", "near", "near"]),
        (2, "move_start", 24, "off", False, False, ["-24", "+24", "+24"],
         ["off", "off", "off"]),
        (3, "keep", 48, "off", False, False, ["0", "+48", "+48"], ["ok", "off", "off"])]
    assert chase.proposals[0].detail == {"at_bar": 9, "bars": 2}
    assert chase.chosen_proposal is None and chase.version == 1
    # cut out: no frame now, no frames off; the fix chosen
    assert [(h.new_tc, h.off, h.size) for h in main.hits] == [
        ("01:00:08:08", 0, "ok"), ("", None, "gone"), ("", None, "gone")]
    assert main.chosen == 1 and main.chosen_proposal.kind == "cut_bars"
    assert chase.now_off == (48, "off") and main.now_off == (0, "ok")
    assert [a[2] for a in main.proposals[1].after] == ["ok", "gone", "gone"]
    assert (finale.moved, finale.proposals, finale.hits[0].new_tc) == (
        -216, (), "01:01:10:04")
    assert finale.reason_text.startswith("the cue moved whole")


def test_frames_off_by_size():
    assert [off_class(x) for x in (0, 1, -2, 3, -48, None)] == [
        "ok", "near", "near", "off", "off", "gone"]
    assert [signed(x) for x in (0, 3, -12, None)] == ["0", "+3", "-12", ""]


# --- proposing and fixing -----------------------------------------------------------------------

@pytest.fixture
def fake_fixing(monkeypatch):
    """``filmscore.conform.fixing`` stood in for (its real one is the fixing helper's):
    ``fix`` marks the flag fixed with the proposal chosen, ``proposals`` stores two and
    opens the flag again; the jobs run on threads of this process (a spawned worker would
    not see the stand-in); the calls are listed."""
    calls = []

    def _flag(session, pctx, number, cue):
        from filmscore.model import ChangeList

        return session.scalar(select(ConformFlag).join(
            ChangeList, ConformFlag.change_list_id == ChangeList.id).join(
            Cue, ConformFlag.cue_id == Cue.id).where(
            ChangeList.number == number, Cue.number == cue))

    def fix(pctx, change_list, cue, choice, *, author=""):
        calls.append(("fix", change_list, cue, choice, author))
        with transaction(pctx.engine) as session:
            row = _flag(session, pctx, change_list, cue)
            row.chosen, row.status, row.author = choice - 1, "fixed", author  # 1-based
        return {"cue": cue, "choice": choice}

    def proposals(pctx, change_list, cue, *, refresh=False, reopen=False):
        calls.append(("proposals", change_list, cue))
        with transaction(pctx.engine) as session:
            row = _flag(session, pctx, change_list, cue)
            sync = [h["sync_id"] for h in row.data["hits"]]
            row.proposals = [
                {"kind": "move_start", "description": "move the start 1 frame earlier",
                 "detail": {"frames": -1}, "hits_off": [[s, 1] for s in sync]},
                {"kind": "keep", "description": "keep the music as it is", "detail": {},
                 "hits_off": [[s, 0] for s in sync]}]
            row.status, row.chosen = "open", None
        return []

    module = types.ModuleType("filmscore.conform.fixing")
    module.fix, module.proposals = fix, proposals
    monkeypatch.setitem(sys.modules, "filmscore.conform.fixing", module)
    jobs_on_threads(monkeypatch)
    return calls


def _flag_row(project, cue: str) -> tuple[str, int | None, int]:
    with open_project(project) as pctx, transaction(pctx.engine) as session:
        row = session.scalar(select(ConformFlag).join(Cue, ConformFlag.cue_id == Cue.id)
                             .where(Cue.number == cue))
        return row.status, row.chosen, row.version


def test_the_music_editor_picks_a_fix_as_a_background_job(app, web_project, fake_fixing):
    client = login(app, "music editor")
    csrf = token(client, "/conform/1")
    answer = client.post("/conform/1/2M1/fix", data={"csrf": csrf, "choice": "1",
                                                     "version": "1"},
                         follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert re.fullmatch(r"/conform/1\?batch=[0-9a-f]{16}#cue-2M1", location)
    batch = location.split("batch=")[1].split("#")[0]
    (job,) = wait_batch(app.state.pctx, batch).jobs
    assert (job.kind, job.cue, job.state, job.error) == ("conform-fix", "2M1", "done", "")
    assert fake_fixing == [("fix", 1, "2M1", 2, "music editor user")]
    assert job.result == {"cue": "2M1", "choice": 2}  # the page's 1 is the service's 2
    assert _flag_row(web_project, "2M1") == ("fixed", 1, 2)
    page = client.get(location.split("#")[0]).text
    assert f'data-batch="{batch}"' in page and "conform-fix 2M1: done" in page
    assert 'action="/conform/1/2M1/fix"' not in page  # fixed: the buttons are gone
    assert re.search(r'<tr class="proposal chosen" data-index="1">', page)
    row = re.search(r'<tr class="st-fixed" data-cue="2M1">.*?</tr>', page, re.S).group(0)
    assert '>2 fr</span> <span class="meta">was 48</span>' in row

    # fixed already, or a stale page: refused (409), nothing started
    again = client.post("/conform/1/2M1/fix", data={"csrf": csrf, "choice": "0",
                                                    "version": "2"})
    assert again.status_code == 409
    assert "cue 2M1 is already fixed (proposal 2); propose again to fix it again" in again.text
    stale = client.post("/conform/1/3M1/fix", data={"csrf": csrf, "choice": "0",
                                                    "version": "1"},
                        headers={"accept": "application/json"})
    assert stale.status_code == 422  # 3M1 has no proposal yet
    assert stale.json()["error"] == ("field choice: not a proposal of cue 3M1 (got '0'); "
                                     "valid: none yet: propose fixes first")

    # propose again (at once): two proposals, the flag open again, then fix it as JSON
    proposed = client.post("/conform/1/3M1/propose", data={"csrf": csrf},
                           follow_redirects=False)
    assert proposed.status_code == 303 and proposed.headers["location"] == "/conform/1#cue-3M1"
    assert fake_fixing[-1] == ("proposals", 1, "3M1")
    status, chosen, version = _flag_row(web_project, "3M1")
    assert (status, chosen) == ("open", None)
    html = client.get("/conform/1").text
    assert html.count('action="/conform/1/3M1/fix"') == 2
    assert "move the start 1 frame earlier" in html
    old = client.post("/conform/1/3M1/fix", data={"csrf": csrf, "choice": "1",
                                                  "version": str(version - 1)},
                      headers={"accept": "application/json"})
    assert old.status_code == 409 and "changed since the page was read" in old.json()["error"]
    started = client.post("/conform/1/3M1/fix", data={"csrf": csrf, "choice": "1",
                                                      "version": str(version)},
                          headers={"accept": "application/json"})
    assert started.status_code == 202 and started.json()["jobs"][0]["cue"] == "3M1"
    wait_batch(app.state.pctx, started.json()["batch"])
    assert fake_fixing[-1] == ("fix", 1, "3M1", 2, "music editor user")
    as_json = client.post("/conform/1/2M1/propose", data={"csrf": csrf},
                          headers={"accept": "application/json"})
    assert as_json.status_code == 200
    assert [p["kind"] for p in as_json.json()["proposals"]] == ["move_start", "keep"]
    assert _flag_row(web_project, "2M1")[:2] == ("open", None)


def test_a_bad_pick_is_refused_and_starts_nothing(app, web_project, fake_fixing):
    client = login(app, "composer")
    csrf = token(client, "/conform/1")
    for choice, words in [("4", "valid: a proposal from 0 to 3"),
                          ("-1", "not a proposal of cue 2M1"),
                          ("two", "(got &#39;two&#39;)")]:
        bad = client.post("/conform/1/2M1/fix", data={"csrf": csrf, "choice": choice,
                                                      "version": "1"})
        assert bad.status_code == 422, choice
        assert words in bad.text and 'role="alert" id="form-error"' in bad.text
        assert "Nothing was started" in bad.text
    lost = client.post("/conform/1/2M1/fix", data={"csrf": csrf, "choice": "0"},
                       headers={"accept": "application/json"})
    assert lost.status_code == 422 and "lost the version" in lost.json()["error"]
    # no CSRF token; a role without "conform"
    assert client.post("/conform/1/2M1/fix", data={"choice": "0",
                                                   "version": "1"}).status_code == 403
    assert client.post("/conform/1/2M1/propose", data={}).status_code == 403
    for role in ("director", "engineer", "orchestrator"):
        other = login(app, role)
        refused = other.post("/conform/1/2M1/fix", data={
            "csrf": token(other, "/conform/1"), "choice": "0", "version": "1"},
            headers={"accept": "application/json"})
        assert refused.status_code == 403 and role in refused.json()["error"]
    assert fake_fixing == []
    assert _flag_row(web_project, "2M1") == ("open", None, 1)
    with open_project(web_project) as pctx:
        assert [j for j in jobs.recent_jobs(pctx) if j.kind == "conform-fix"] == []


def test_one_fix_of_a_cue_at_a_time(app, web_project, fake_fixing):
    client = login(app, "music editor")
    csrf = token(client, "/conform/1")
    batch = jobs.submit(app.state.pctx, "conform-fix", ["2M1"],
                        {"change_list": 1, "choice": 0, "author": "x"})  # queued, not run
    answer = client.post("/conform/1/2M1/fix", data={"csrf": csrf, "choice": "0",
                                                     "version": "1"},
                         headers={"accept": "application/json"})
    assert answer.status_code == 409
    assert answer.json()["error"] == (f"a fix of cue 2M1 is already under way (batch "
                                      f"{batch}); wait for it to end")
    assert fake_fixing == []


def test_hits_without_a_sync_point_are_matched_by_position(db_url, tmp_path):
    """A hit with no sync point (a cue's end) takes its frames off after a fix from the
    proposal's list by position; a flag stored with a field this version does not know
    still reads."""
    folder = tmp_path / "film"
    init_project(folder, title="Conform Film", fps="24", db=db_url)
    ids = add_conform(folder, db=db_url)
    with open_project(folder, db=db_url) as pctx:
        with transaction(pctx.engine) as session:
            row = session.scalar(select(ConformFlag).join(Cue, ConformFlag.cue_id == Cue.id)
                                 .where(Cue.number == "3M1"))
            data = dict(row.data)
            data["hits"] = [*data["hits"], {"sync_id": None, "kind": "end",
                                            "description": "cue end", "old_frame": 88600,
                                            "new_frame": 88384, "music_frame": 88381,
                                            "off_frames": 3, "later": "ignored"}]
            data["later"] = "ignored"
            row.data = data
            row.proposals = [{"kind": "move_start", "description": "3 frames later",
                              "detail": {}, "hits_off": [[ids["3M1"][0], 3], [None, 0]]}]
        (finale,) = [f for f in change_list_board(pctx, 1).flags if f.cue == "3M1"]
    assert [(h.description, h.off_text, h.size) for h in finale.hits] == [
        ("Kiss", "0", "ok"), ("cue end", "+3", "off")]
    assert (finale.worst_off, finale.worst_class) == (3, "off")
    (move,) = finale.proposals
    assert [a[:2] for a in move.after] == [(3, "+3"), (0, "0")]
    assert (move.worst_off, move.best) == (3, True)
