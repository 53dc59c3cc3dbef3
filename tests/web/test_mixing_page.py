"""The mixing stage in the workspace, in-process: the mixing page as every role, propose
and set a comp (CSRF, roles, bad edit lists refused in one line with nothing written),
listen across an edit (the very samples the render writes, as WAV, cached), render the
comp as a background job, and the delivery page with the PRO cue sheet."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from filmscore.accounts import ROLES, can
from filmscore.jobs import batch_status
from filmscore.mixing.comps import comp_of, comp_stem_paths, comps, render_comp
from filmscore.project import open_project
from filmscore.rights.service import add_holder, set_shares
from web.mixing_helpers import BAR, SR, add_comp_takes
from web_helpers import login, token

EXCERPT = "/cues/1M1/mixing/comps/2/edits/1/strings.wav"


@pytest.fixture
def web_project(web_project, tmp_path):
    add_comp_takes(web_project, tmp_path / "recorded")
    return web_project


def _versions(project: Path) -> list[str]:
    with open_project(project) as pctx:
        return [c.edit_list() for c in comps(pctx, "1M1")]


def test_every_role_sees_the_takes_by_bars_and_the_comp(app):
    for role in ROLES:
        _sees_the_page(app, role)


def _sees_the_page(app, role: str) -> None:
    client = login(app, role)
    html = client.get("/cues/1M1/mixing").text
    assert html.count('class="take') >= 4 and 'data-take="1"' in html
    assert html.count('<g class="segment') == 3 and html.count('<g class="edit"') == 2
    assert "00:00:26:00" in html and "00:00:34:00" in html  # the edits' timecodes
    assert "take 1 (tempo map v1)" in html  # flagged
    assert EXCERPT in html
    forms = ("/cues/1M1/mixing/propose", "/cues/1M1/mixing/set", "/cues/1M1/mixing/render")
    assert all((f in html) == can(role, "mix") for f in forms)
    # the cue page and the dashboard link to it
    assert 'href="/cues/1M1/mixing"' in client.get("/cues/1M1").text
    assert 'href="/cues/1M1/mixing"' in client.get("/").text


def test_mix_is_given_to_the_composer_the_music_editor_and_the_engineer():
    assert [r for r in ROLES if can(r, "mix")] == ["composer", "music editor", "engineer"]


def test_propose_and_set_a_comp(app, web_project):
    client = login(app, "music editor")
    csrf = token(client, "/cues/1M1/mixing")
    answer = client.post("/cues/1M1/mixing/set", data={
        "csrf": csrf, "edits": "1-12=3, 13-16=4", "crossfade_ms": "10", "notes": "cleaner"},
        follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cues/1M1/mixing#comp"
    answer = client.post("/cues/1M1/mixing/propose", data={"csrf": csrf},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert _versions(web_project) == ["1-16=3", "1-8=3 9-12=4 13-16=1", "1-12=3 13-16=4",
                                      "1-16=3"]
    with open_project(web_project) as pctx:
        third = comp_of(pctx, "1M1", 3)
    assert (third.crossfade_ms, third.notes, third.author, third.proposed) == (
        10.0, "cleaner", "music editor user", False)
    page = client.get("/cues/1M1/mixing?comp=3").text
    assert 'value="1-12=3 13-16=4"' in page and "comp v3" in page
    assert client.get("/cues/1M1/mixing?comp=9").status_code == 404


BAD_EDITS = [
    ("1-8=3 9-12=4", "", "field edits: bars 13-16 are not covered"),
    ("1-8=3 9-16=2", "", "take 2 (breakdown, bars 1-5) does not play"),
    ("one to eight", "", "not a segment (got 'one')"),
    ("1-16=3", "soft", "field crossfade_ms: not a crossfade length (got 'soft')"),
    ("1-16=3", "-5", "not a crossfade length (got '-5')"),
]


def test_a_bad_edit_list_is_refused_in_one_line_and_nothing_is_written(app, web_project):
    client = login(app, "engineer")
    for edits, crossfade, message in BAD_EDITS:
        _refused(client, web_project, edits, crossfade, message)


def _refused(client, web_project, edits: str, crossfade: str, message: str) -> None:
    answer = client.post("/cues/1M1/mixing/set", data={
        "csrf": token(client, "/cues/1M1/mixing"), "edits": edits, "crossfade_ms": crossfade})
    assert answer.status_code == 422
    alert = answer.text.split('<span class="msg" role="alert">')[1].split("</span>")[0]
    assert message in alert.replace("&#39;", "'") and "\n" not in alert
    assert f'value="{edits}"' in answer.text  # what was typed is kept
    assert _versions(web_project) == ["1-16=3", "1-8=3 9-12=4 13-16=1"]


def test_forms_need_the_csrf_token_and_the_right(app, web_project):
    editor = login(app, "music editor")
    assert editor.post("/cues/1M1/mixing/propose", data={}).status_code == 403
    assert editor.post("/cues/1M1/mixing/set", data={"edits": "1-16=3",
                                                     "csrf": "forged"}).status_code == 403
    director = login(app, "director")
    answer = director.post("/cues/1M1/mixing/propose", headers={"accept": "application/json"},
                           data={"csrf": token(director, "/cues/1M1/mixing")})
    assert answer.status_code == 403
    assert answer.json()["error"] == ("a director may not comp, mix and deliver (allowed: "
                                      "composer, music editor, engineer)")
    assert _versions(web_project) == ["1-16=3", "1-8=3 9-12=4 13-16=1"]


def test_listening_across_an_edit_plays_the_samples_the_render_writes(app, web_project):
    client = login(app, "director")  # everyone may listen
    answer = client.get(EXCERPT)
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/wav"
    heard, rate = sf.read(io.BytesIO(answer.content), dtype="int32", always_2d=True)
    assert rate == SR and heard.shape == (4 * SR, 1)
    with open_project(web_project) as pctx:
        render_comp(pctx, "1M1")
        stems = comp_stem_paths(pctx, "1M1")
        assert comp_of(pctx, "1M1").edits[0].sample == 8 * BAR
    written, _ = sf.read(stems["strings"], dtype="int32", always_2d=True)
    np.testing.assert_array_equal(heard, written[8 * BAR - 2 * SR:8 * BAR + 2 * SR])
    brass = client.get("/cues/1M1/mixing/comps/2/edits/2/brass.wav")
    assert sf.info(io.BytesIO(brass.content)).channels == 2
    cached = sorted(p.name for p in (web_project / "web-cache" / "comp-excerpts").iterdir())
    assert len(cached) == 2 and cached[0].startswith("1M1_v2_edit1_strings_")
    again = client.get(EXCERPT)  # from the cache, the same file
    assert again.content == answer.content
    assert len(list((web_project / "web-cache" / "comp-excerpts").iterdir())) == 2


BAD_EXCERPTS = [
    ("/cues/1M1/mixing/comps/2/edits/3/strings.wav", 404, "comp v2 of cue 1M1 has no edit 3"),
    ("/cues/1M1/mixing/comps/1/edits/1/strings.wav", 404, "has no edit 1 (edits: none)"),
    ("/cues/1M1/mixing/comps/7/edits/1/strings.wav", 404, "no comp v7 of cue 1M1"),
    ("/cues/1M1/mixing/comps/2/edits/1/piano.wav", 422, "the comp has no 'piano' stem"),
    ("/cues/1M1/mixing/comps/2/edits/1/a%20b.wav", 422, "field stem: not a stem name"),
    ("/cues/9M9/mixing/comps/2/edits/1/strings.wav", 404, "9M9"),
    ("/cues/1M1/mixing/comps/2/stems/strings.wav", 404, "comp v2 of cue 1M1 is not rendered"),
]


def test_bad_excerpts_are_refused_in_one_line(app):
    client = login(app, "copyist")
    for path, status, message in BAD_EXCERPTS:
        answer = client.get(path, headers={"accept": "application/json"})
        assert answer.status_code == status, path
        assert message in answer.json()["error"] and "\n" not in answer.json()["error"]


def test_rendering_the_comp_is_a_background_job(app, web_project):
    client = login(app, "engineer")
    csrf = token(client, "/cues/1M1/mixing")
    answer = client.post("/cues/1M1/mixing/render", data={"csrf": csrf, "version": "2"},
                         follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith("/cues/1M1/mixing?comp=2&batch=")
    batch = location.split("batch=")[1].split("#")[0]
    pctx = app.state.pctx
    deadline = time.monotonic() + 60
    while not batch_status(pctx, batch).finished:
        assert time.monotonic() < deadline, batch_status(pctx, batch)
        time.sleep(0.2)
    (job,) = batch_status(pctx, batch).jobs
    assert (job.kind, job.cue, job.state, job.error) == ("comp", "1M1", "done", "")
    assert job.result.number == 2 and [f.stem for f in job.result.files] == ["strings",
                                                                             "brass"]
    page = client.get(location).text
    assert 'data-finished="yes"' in page and "comp 1M1: done" in page
    stem = client.get("/cues/1M1/mixing/comps/2/stems/brass.wav")
    assert stem.status_code == 200 and stem.headers["content-type"] == "audio/wav"
    assert sf.info(io.BytesIO(stem.content)).channels == 2
    missing = client.get("/cues/1M1/mixing/comps/2/stems/piano.wav",
                         headers={"accept": "application/json"})
    assert missing.status_code == 404 and "no 'piano' stem" in missing.json()["error"]
    bad = client.post("/cues/1M1/mixing/render", data={"csrf": csrf, "version": "two"},
                      headers={"accept": "application/json"})
    assert bad.status_code == 422 and "field version: not a comp version" in bad.json()["error"]
    # a JSON client gets the batch
    again = client.post("/cues/1M1/mixing/render", data={"csrf": csrf},
                        headers={"accept": "application/json"})
    assert again.status_code == 202 and again.json()["jobs"][0]["kind"] == "comp"


def test_the_delivery_page_and_the_pro_cue_sheet(app, web_project):
    client = login(app, "director")
    page = client.get("/delivery").text
    assert 'id="cuesheet-problem"' in page and "no composer shares" in page
    refused = client.get("/delivery/cuesheet.csv", headers={"accept": "application/json"})
    assert refused.status_code == 422 and "no composer shares" in refused.json()["error"]
    with open_project(web_project) as pctx:
        add_holder(pctx, "Ann Writer", role="composer", pro="ASCAP", ipi="00123456789")
        set_shares(pctx, None, {"Ann Writer": "100"})
    page = client.get("/delivery").text
    assert "cuesheet-problem" not in page and "Ann Writer ASCAP 100%" in page
    csv = client.get("/delivery/cuesheet.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "1,1M1,1,Main Title,00:00:10:00,00:00:45:00,0:35,35,BI" in csv.text
    pdf = client.get("/delivery/cuesheet.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    xml = client.get("/delivery/cuesheet.xml")
    assert xml.headers["content-type"] == "application/xml" and b"Ann Writer" in xml.content
    kept = sorted(p.name for p in (web_project / "cuesheet").iterdir())
    assert kept == ["Test_Film_pro_cue_sheet.csv", "Test_Film_pro_cue_sheet.pdf",
                    "Test_Film_pro_cue_sheet.xml"]
    bad = client.get("/delivery/cuesheet.doc", headers={"accept": "application/json"})
    assert bad.status_code == 422
    assert bad.json()["error"] == ("field format: unknown cue-sheet format (got 'doc'); "
                                   "valid: csv, pdf, xml")


def test_every_comp_renders_from_the_jobs_page(app):
    client = login(app, "composer")
    assert 'action="/jobs/comps"' in client.get("/jobs").text
    assert 'action="/jobs/comps"' not in login(app, "director").get("/jobs").text


def _wait(app, location: str):
    batch = location.split("batch=")[1].split("#")[0]
    deadline = time.monotonic() + 120
    while not batch_status(app.state.pctx, batch).finished:
        assert time.monotonic() < deadline, batch_status(app.state.pctx, batch)
        time.sleep(0.2)
    return batch_status(app.state.pctx, batch).jobs


def test_mixing_the_comp_is_a_background_job(app, web_project):
    from filmscore.mixing.mixes import mixes

    with open_project(web_project) as pctx:
        render_comp(pctx, "1M1")
    client = login(app, "music editor")
    page = client.get("/cues/1M1/mixing").text
    assert 'name="gain_strings"' in page and 'name="pan_brass"' in page
    assert "No mix yet." in page
    csrf = token(client, "/cues/1M1/mixing")
    answer = client.post("/cues/1M1/mixing/mix", data={
        "csrf": csrf, "comp": "2", "gain_strings": "-3", "pan_strings": "0",
        "gain_brass": "0", "pan_brass": "0.2", "layout": "5.1", "ceiling_dbtp": "-1",
        "notes": "first pass"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/cues/1M1/mixing?batch=")
    (job,) = _wait(app, answer.headers["location"])
    assert (job.kind, job.cue, job.state, job.error) == ("mix", "1M1", "done", "")
    with open_project(web_project) as pctx:
        (mix,) = mixes(pctx, "1M1")
    assert (mix.number, mix.comp_number, mix.layout, mix.notes, mix.author) == (
        1, 2, "5.1", "first pass", "music editor user")
    assert mix.settings["strings"]["gain_db"] == -3 and mix.settings["brass"]["pan"] == 0.2
    assert job.result.number == 1 and job.result.loudness_lufs == mix.loudness_lufs
    page = client.get(answer.headers["location"]).text
    row = page.split('<tr data-mix="1">')[1].split("</tr>")[0]
    assert f"{mix.loudness_lufs:.1f} LUFS" in row and f"{mix.true_peak_dbtp:.1f} dBTP" in row
    assert "5.1" in row and "strings -3 dB" in row and "first pass" in row
    heard = client.get("/cues/1M1/mixing/mixes/1/mix.wav")
    assert heard.status_code == 200 and heard.headers["content-type"] == "audio/wav"
    assert sf.info(io.BytesIO(heard.content)).channels == 6
    missing = client.get("/cues/1M1/mixing/mixes/1/piano.wav",
                         headers={"accept": "application/json"})
    assert missing.status_code == 404 and "no 'piano' stem" in missing.json()["error"]
    for data, message in [
        ({"gain_strings": "loud"}, "field gain_strings: not a number (got 'loud')"),
        ({"pan_brass": "3"}, "field brass.pan: pan of stem brass out of range (got '3.0')"),
        ({"layout": "7.1"}, "field layout: unknown channel layout (got '7.1')"),
        ({"ceiling_dbtp": "nan"}, "field ceiling_dbtp: not a number"),
        ({"comp": "9"}, None),
    ]:
        refused = client.post("/cues/1M1/mixing/mix", data={"csrf": csrf, **data})
        if message is None:
            assert refused.status_code == 404 and "no comp v9 of cue 1M1" in refused.text
            continue
        assert refused.status_code == 422, data
        alert = refused.text.split('<span class="msg" role="alert">')[1].split("</span>")[0]
        assert message in alert.replace("&#39;", "'"), alert
    director = login(app, "director")
    assert director.post("/cues/1M1/mixing/mix", data={
        "csrf": token(director, "/cues/1M1/mixing")}).status_code == 403
    with open_project(web_project) as pctx:
        assert len(mixes(pctx, "1M1")) == 1  # nothing more was mixed


def test_delivering_to_the_dub_is_a_background_job(app, web_project):
    from filmscore.mixing.mixes import mix_cue

    with open_project(web_project) as pctx:
        render_comp(pctx, "1M1")
        mix_cue(pctx, "1M1", notes="for the dub")
    client = login(app, "director")
    page = client.get("/delivery").text
    assert "Nothing delivered yet." in page and 'action="/delivery/deliver"' not in page
    engineer = login(app, "engineer")
    answer = engineer.post("/delivery/deliver", data={"csrf": token(engineer, "/delivery")},
                           follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith(
        "/delivery?batch=")
    (job,) = _wait(app, answer.headers["location"])
    assert (job.kind, job.cue, job.state, job.error) == ("deliver", "film", "done", "")
    assert [f.name for f in job.result.files] == ["1M1_v1_STR.wav", "1M1_v1_BR.wav",
                                                  "1M1_v1_MIX.wav"]
    page = client.get("/delivery").text
    table = page.split('<table class="grid delivered">')[1].split("</table>")[0]
    for f in job.result.files:
        row = table.split(f'>{f.name}</a>')[1].split("</tr>")[0]
        assert f"<td>{f.stem}</td><td>stereo</td>" in row
        assert f'<td class="num">{f.channels}</td>' in row
        assert f"{f.loudness_lufs:.1f}" in row and f"{f.true_peak_dbtp:.1f}" in row
    for name in ("delivery.csv", "delivery.pdf", "music.otio", "music.aaf", "music_MIX.edl"):
        assert f'href="/files/delivery/{name}"' in page
    wav = client.get("/files/delivery/1M1_v1_MIX.wav")
    assert wav.status_code == 200 and sf.info(io.BytesIO(wav.content)).channels == 2
    assert engineer.post("/delivery/deliver", data={}).status_code == 403  # no CSRF token
