"""The cue page in-process: what it shows, its forms, bad input next to the field (422,
nothing written), a stale edit refused with their values beside yours (409), the cue's
files served and nothing else."""

from __future__ import annotations

import re

import pytest

from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue, cue_form
from filmscore.sync.service import cue_sync
from filmscore.writing.service import history
from web_helpers import token

START = 86400  # 01:00:00:00 at 24 fps


@pytest.fixture
def cue(app):
    pctx = app.state.pctx
    add_cue(pctx, CueSpec(number=parse_cue_number("1M1"), title="Lions at the Gate",
                          start_frame=START, end_frame=START + 24 * 20, notes="Main title",
                          mood="brash", sync_points=(
                              SyncSpec(START + 48, "Sindbad swats", "hard"),
                              SyncSpec(START + 96, "the right lion", "hard"))))
    return pctx


def _version(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}"'):]
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def _msg_after(html: str, name: str) -> str:
    """The message shown next to the field ``name`` (the first such field)."""
    found = re.search(rf'name="{name}"[^>]*>.*?<span class="msg" role="alert">([^<]+)</span>',
                      html, re.S)
    return found.group(1) if found else ""


def test_the_cue_page_shows_the_cue(cue, as_role):
    client = as_role("composer")
    html = client.get("/cues/1M1").text
    for text in ("Lions at the Gate", "Main title", "brash", "Sindbad swats",
                 "01:00:00:00", "01:00:02:00", "No tempo map yet", "Find tempo",
                 "Approve", "Ask for changes", "Status history", "spotted"):
        assert text in html, text
    assert 'action="/cues/1M1/edit"' in html and 'action="/cues/1M1/music"' in html


def test_a_director_reviews_but_does_not_edit(cue, as_role):
    director = as_role("director")
    html = director.get("/cues/1M1").text
    assert 'action="/cues/1M1/edit"' not in html and 'action="/cues/1M1/sync"' not in html
    assert 'action="/cues/1M1/notes"' in html and 'action="/cues/1M1/status"' in html
    csrf = token(director, "/cues/1M1")
    response = director.post("/cues/1M1/notes", data={"csrf": csrf, "timecode": "01:00:03:00",
                                                      "text": "Brass louder"},
                             follow_redirects=False)
    assert response.status_code == 303
    response = director.post("/cues/1M1/status", data={
        "csrf": csrf, "decision": "changes requested", "note": "see notes"},
        follow_redirects=False)
    assert response.status_code == 303
    steps, notes = history(cue, "1M1")
    assert [n.text for n in notes] == ["Brass louder"] and notes[0].author == "director user"
    assert steps[-1].status == "changes requested" and steps[-1].note == "see notes"
    html = director.get("/cues/1M1").text
    assert "Brass louder" in html and "changes requested" in html
    refused = director.post("/cues/1M1/edit", data={"csrf": csrf, "mood": "x", "version": "1"})
    assert refused.status_code == 403


@pytest.mark.parametrize("bad", ["01:00:99:00", "one o'clock", "01:00:30:00"])
def test_a_bad_note_timecode_is_shown_next_to_the_field(cue, as_role, bad):
    client = as_role("director")
    response = client.post("/cues/1M1/notes", data={"csrf": token(client, "/cues/1M1"),
                                                    "timecode": bad, "text": "louder"})
    assert response.status_code == 422
    assert bad.replace("'", "&#39;") in response.text  # the value is kept in the field
    assert _msg_after(response.text, "timecode")
    assert history(cue, "1M1")[1] == []


def test_a_bad_sync_timecode_writes_nothing(cue, as_role):
    client = as_role("music editor")
    before = cue_form(cue, "1M1")
    response = client.post("/cues/1M1/sync", data={"csrf": token(client, "/cues/1M1"),
                                                   "timecode": "01:00:05:77", "kind": "hard",
                                                   "description": "a door"})
    assert response.status_code == 422
    assert "01:00:05:77" in response.text and "a door" in response.text
    assert _msg_after(response.text, "timecode")
    assert cue_form(cue, "1M1") == before
    ok = client.post("/cues/1M1/sync", data={"csrf": token(client, "/cues/1M1"),
                                             "timecode": "01:00:05:00", "kind": "soft",
                                             "description": "a door"}, follow_redirects=False)
    assert ok.status_code == 303
    assert [s.sync.description for s in cue_form(cue, "1M1").syncs][-1] == "a door"


def test_a_bad_cue_number_writes_nothing(cue, as_role):
    client = as_role("composer")
    html = client.get("/cues/1M1").text
    response = client.post("/cues/1M1/edit", data={
        "csrf": token(client, "/cues/1M1"), "version": _version(html, "/cues/1M1/edit"),
        "number": "M-one", "title": "Lions", "mood": "calm"})
    assert response.status_code == 422
    assert _msg_after(response.text, "number")
    assert "M-one" in response.text
    assert "Main title" in response.text.split('action="/cues/1M1/edit"')[1]  # not sent: kept
    now = cue_form(cue, "1M1")
    assert now.cue.mood == "brash" and now.cue.title == "Lions at the Gate"


def test_a_stale_cue_edit_is_refused_and_shows_what_changed(cue, as_role):
    editor, composer = as_role("music editor"), as_role("composer")
    page_a, page_b = editor.get("/cues/1M1").text, composer.get("/cues/1M1").text
    form = {"number": "1M1", "title": "Lions at the Gate", "notes": "Main title",
            "instrumentation": "", "temp_track": ""}
    first = editor.post("/cues/1M1/edit", data={
        **form, "csrf": token(editor, "/cues/1M1"), "mood": "menacing",
        "version": _version(page_a, "/cues/1M1/edit")}, follow_redirects=False)
    assert first.status_code == 303
    second = composer.post("/cues/1M1/edit", data={
        **form, "csrf": token(composer, "/cues/1M1"), "mood": "playful",
        "version": _version(page_b, "/cues/1M1/edit")})
    assert second.status_code == 409
    assert "changed by someone else" in second.text
    row = re.search(r'<tr class="changed"><td>Mood</td><td>([^<]*)</td><td>([^<]*)</td>',
                    second.text)
    assert row.groups() == ("menacing", "playful")  # theirs, yours
    assert cue_form(cue, "1M1").cue.mood == "menacing"  # nothing overwritten
    # the conflict page offers to save yours deliberately, at the version now saved
    forced = composer.post("/cues/1M1/edit", data={
        **form, "csrf": token(composer, "/cues/1M1"), "mood": "playful",
        "version": _version(second.text, "/cues/1M1/edit")}, follow_redirects=False)
    assert forced.status_code == 303
    assert cue_form(cue, "1M1").cue.mood == "playful"


def test_a_stale_sync_edit_is_refused(cue, as_role):
    editor, composer = as_role("music editor"), as_role("composer")
    point = cue_form(cue, "1M1").syncs[0]
    action = f"/cues/1M1/sync/{point.id}"
    first = editor.post(action, data={"csrf": token(editor, "/cues/1M1"),
                                      "version": str(point.version),
                                      "timecode": "01:00:02:12", "kind": "hard",
                                      "description": "Sindbad swats"}, follow_redirects=False)
    assert first.status_code == 303
    second = composer.post(action, data={"csrf": token(composer, "/cues/1M1"),
                                         "version": str(point.version), "remove": "1"})
    assert second.status_code == 409
    assert "01:00:02:12" in second.text and "(remove)" in second.text
    syncs = cue_form(cue, "1M1").syncs
    assert len(syncs) == 2 and syncs[0].sync.frame == START + 60


def test_a_removed_sync_point_cannot_be_changed(cue, as_role):
    editor = as_role("music editor")
    point = cue_form(cue, "1M1").syncs[1]
    csrf = token(editor, "/cues/1M1")
    gone = editor.post(f"/cues/1M1/sync/{point.id}", data={
        "csrf": csrf, "version": str(point.version), "remove": "1"}, follow_redirects=False)
    assert gone.status_code == 303
    again = editor.post(f"/cues/1M1/sync/{point.id}", data={
        "csrf": csrf, "version": str(point.version), "timecode": "01:00:04:00",
        "kind": "hard", "description": "x"})
    assert again.status_code == 409 and "(removed)" in again.text
    assert len(cue_form(cue, "1M1").syncs) == 1


@pytest.mark.parametrize("name, data", [("notes.txt", b"hello"),
                                        ("cue.mid", b"not a midi file at all")])
def test_a_bad_music_file_is_refused_next_to_the_field(cue, as_role, name, data):
    client = as_role("composer")
    response = client.post("/cues/1M1/music", data={"csrf": token(client, "/cues/1M1")},
                           files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 422
    assert _msg_after(response.text, "file")
    assert "No music yet" in response.text


def test_find_tempo_lists_results_and_apply_needs_tempo(cue, as_role):
    director = as_role("director")
    bad = director.get("/cues/1M1/tempo/find?range=fast&subdivision=1")
    assert bad.status_code == 422 and _msg_after(bad.text, "range")
    found = director.get("/cues/1M1/tempo/find?range=60-180&subdivision=1")
    assert found.status_code == 200 and "Frame-click" in found.text
    assert 'action="/cues/1M1/tempo/apply"' not in found.text  # a director may not apply
    editor = as_role("music editor")
    found = editor.get("/cues/1M1/tempo/find?range=60-180&subdivision=1")
    assert 'action="/cues/1M1/tempo/apply"' in found.text
    tempo_version = re.search(r'name="tempo_version" value="(\d+)"', found.text).group(1)
    assert tempo_version == "0"  # no map when the results were found
    data = {"csrf": token(editor, "/cues/1M1"), "range": "60-180", "subdivision": "1",
            "tempo_version": tempo_version}
    applied = editor.post("/cues/1M1/tempo/apply", data={**data, "candidate": "1"},
                          follow_redirects=False)
    assert applied.status_code == 303
    assert "No tempo map yet" not in editor.get("/cues/1M1").text
    stored = cue_sync(cue, "1M1")
    # a second apply from the same (now stale) results is refused: the map stays
    stale = editor.post("/cues/1M1/tempo/apply", data={**data, "candidate": "2"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert cue_sync(cue, "1M1") == stored


@pytest.mark.not_looked("its PDF and WAV are stand-in bytes: only serving them is tried")
def test_the_cue_files_are_served_and_nothing_else(cue, as_role, web_project):
    folder = web_project / "mockups" / "1M1"
    folder.mkdir(parents=True)
    (folder / "1M1_v1_mix.wav").write_bytes(b"RIFF....WAVE")
    (web_project / "parts" / "1M1").mkdir(parents=True)
    (web_project / "parts" / "1M1" / "1M1 Horn 1.pdf").write_bytes(b"%PDF-1.4")
    client = as_role("copyist")
    html = client.get("/cues/1M1").text
    assert 'src="/cues/1M1/media/mockups/1M1/1M1_v1_mix.wav"' in html
    assert 'href="/cues/1M1/media/parts/1M1/1M1%20Horn%201.pdf"' in html
    assert client.get("/cues/1M1/media/mockups/1M1/1M1_v1_mix.wav").content == b"RIFF....WAVE"
    assert client.get("/cues/1M1/media/parts/1M1/1M1 Horn 1.pdf").status_code == 200
    for path in ("filmscore.db", ".filmscore-web-secret", "../film/filmscore.db",
                 "%2e%2e/%2e%2e/etc/passwd", "mockups/1M1/../../filmscore.db"):
        response = client.get(f"/cues/1M1/media/{path}", headers={"accept": "application/json"})
        assert response.status_code in (404, 422), path


def test_a_field_the_form_did_not_send_is_kept(cue, as_role):
    client = as_role("composer")
    html = client.get("/cues/1M1").text
    response = client.post("/cues/1M1/edit", data={
        "csrf": token(client, "/cues/1M1"), "version": _version(html, "/cues/1M1/edit"),
        "mood": "calm"}, follow_redirects=False)
    assert response.status_code == 303
    now = cue_form(cue, "1M1").cue
    assert (now.mood, now.notes, now.title) == ("calm", "Main title", "Lions at the Gate")


def test_an_unknown_or_malformed_cue(cue, as_role):
    client = as_role("director")
    assert client.get("/cues/1M9").status_code == 404
    response = client.get("/cues/M-one", headers={"accept": "application/json"})
    assert response.status_code == 422 and "M-one" in response.json()["error"]


def test_changing_a_sync_point_keeps_its_weight(app, as_role):
    pctx = app.state.pctx
    add_cue(pctx, CueSpec(number=parse_cue_number("1M2"), title="Weighted",
                          start_frame=START, end_frame=START + 240,
                          sync_points=(SyncSpec(START + 24, "door", "hard", 3.0),)))
    point = cue_form(pctx, "1M2").syncs[0]
    client = as_role("music editor")
    response = client.post(f"/cues/1M2/sync/{point.id}", data={
        "csrf": token(client, "/cues/1M2"), "version": str(point.version),
        "timecode": "01:00:02:00", "kind": "soft", "description": "door opens"},
        follow_redirects=False)
    assert response.status_code == 303
    now = cue_form(pctx, "1M2").syncs[0]
    assert (now.sync.frame, now.sync.kind, now.sync.description, now.sync.weight) == (
        START + 48, "soft", "door opens", 3.0)
    assert now.version == point.version + 1


def _form(html: str, action: str) -> dict[str, str]:
    """Every named input of the form posting to ``action``, as a browser sends it."""
    import html as entities

    start = html.index(f'action="{action}"')
    form = html[start:html.index("</form>", start)]
    fields = {}
    for tag in re.findall(r"<(?:input|textarea)[^>]*>(?:[^<]*</textarea>)?", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name is None or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag) if tag.startswith("<input") else \
            re.search(r">([^<]*)</textarea>", tag)
        fields[name.group(1)] = entities.unescape(value.group(1) if value else "")
    for name, option in re.findall(r'<select name="([^"]+)">.*?<option selected>([^<]*)<',
                                   form, re.S):
        fields[name] = option
    return fields


def test_edits_of_different_fields_of_a_cue_both_save(cue, as_role):
    editor, composer = as_role("music editor"), as_role("composer")
    form_a = _form(editor.get("/cues/1M1").text, "/cues/1M1/edit")
    form_b = _form(composer.get("/cues/1M1").text, "/cues/1M1/edit")
    assert form_a["read_mood"] == "brash" and form_a["mood"] == "brash"
    first = editor.post("/cues/1M1/edit", data={**form_a, "mood": "menacing"},
                        follow_redirects=False)
    second = composer.post("/cues/1M1/edit", data={**form_b, "title": "The Lions"},
                           follow_redirects=False)
    assert (first.status_code, second.status_code) == (303, 303)
    now = cue_form(cue, "1M1").cue
    assert (now.mood, now.title) == ("menacing", "The Lions")  # neither lost


def test_edits_of_one_field_the_second_is_refused_showing_both(cue, as_role):
    editor, composer = as_role("music editor"), as_role("composer")
    form_a = _form(editor.get("/cues/1M1").text, "/cues/1M1/edit")
    form_b = _form(composer.get("/cues/1M1").text, "/cues/1M1/edit")
    assert editor.post("/cues/1M1/edit", data={**form_a, "mood": "menacing"},
                       follow_redirects=False).status_code == 303
    second = composer.post("/cues/1M1/edit", data={**form_b, "mood": "playful",
                                                   "notes": "Main title, louder"})
    assert second.status_code == 409
    assert ("mood was &#39;brash&#39; when you read it, is &#39;menacing&#39; now, you wanted "
            "&#39;playful&#39;") in second.text
    rows = dict(re.findall(r'<tr class="changed"><td>(\w[^<]*)</td><td>[^<]*</td>'
                           r"<td>([^<]*)</td>", second.text))
    assert rows == {"Mood": "playful", "Notes": "Main title, louder"}  # yours, where yours
    assert cue_form(cue, "1M1").cue.notes == "Main title"  # nothing of it saved
    # saved over theirs deliberately: read as they are now, so it is checked again
    forced = _form(second.text, "/cues/1M1/edit")
    assert forced["read_mood"] == "menacing" and forced["mood"] == "playful"
    assert composer.post("/cues/1M1/edit", data=forced,
                         follow_redirects=False).status_code == 303
    now = cue_form(cue, "1M1").cue
    assert (now.mood, now.notes, now.title) == ("playful", "Main title, louder",
                                                "Lions at the Gate")


def test_sync_point_edits_of_different_fields_both_save(cue, as_role):
    editor, composer = as_role("music editor"), as_role("composer")
    point = cue_form(cue, "1M1").syncs[0]
    action = f"/cues/1M1/sync/{point.id}"
    form_a = _form(editor.get("/cues/1M1").text, action)
    form_b = _form(composer.get("/cues/1M1").text, action)
    assert form_a["read_timecode"] == "01:00:02:00"
    assert editor.post(action, data={**form_a, "timecode": "01:00:02:12"},
                       follow_redirects=False).status_code == 303
    assert composer.post(action, data={**form_b, "description": "Sindbad swings"},
                         follow_redirects=False).status_code == 303
    now = cue_form(cue, "1M1").syncs[0].sync
    assert (now.frame, now.description) == (START + 60, "Sindbad swings")
    clash = composer.post(action, data={**form_b, "timecode": "01:00:03:00"})
    assert clash.status_code == 409 and "01:00:02:12 now" in clash.text
