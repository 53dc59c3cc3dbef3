"""The web workspace's upload and forms under hostile input (issue 15's fuzz suite, its web
side): whatever is uploaded or typed, the answer is the change done (303) or the page again
with a message next to the field (422) or their values beside yours (409); never a server
error, and a refusal changes nothing.

The upload reaches the same readers as `filmscore music import` (fuzzed in tests/fuzz), but
through the route's own checks (name, suffix, size) and its scratch file; the forms parse
timecodes, kinds, versions and numbers of their own.  The test client raises a server
error (500) as the exception it was, so any would fail here with its traceback.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue, cue_form
from filmscore.writing.service import history, list_versions
from fuzzing import CORPUS, FUZZ, mutate
from web_helpers import token

START = 86400  # 01:00:00:00 at 24 fps
SEEDS = ("seed_theme.mid", "seed_oboe_chord.musicxml", "seed_beethoven_op21_3_melody.mxl")


@pytest.fixture
def cue(app):
    pctx = app.state.pctx
    add_cue(pctx, CueSpec(number=parse_cue_number("1M1"), title="Lions at the Gate",
                          start_frame=START, end_frame=START + 24 * 20,
                          sync_points=(SyncSpec(START + 48, "Sindbad swats", "hard"),)))
    return pctx


def _state(pctx) -> tuple:
    """What the cue page's forms can change: the cue and its sync points, its music
    versions, its notes and decisions."""
    form = cue_form(pctx, "1M1")
    return (form.cue, form.version, [(s.sync, s.version) for s in form.syncs],
            [v.number for v in list_versions(pctx, "1M1")], history(pctx, "1M1"))


def _message(html: str) -> str:
    found = re.search(r'<span class="msg" role="alert">([^<]+)</span>', html)
    return found.group(1) if found else ""


@FUZZ
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False))
def test_a_mutated_music_upload_is_taken_or_refused_next_to_the_field(cue, as_role, seed,
                                                                         rng):
    client = as_role("composer")
    csrf = token(client, "/cues/1M1")
    before = _state(cue)
    data = mutate((CORPUS / seed).read_bytes(), rng)
    response = client.post("/cues/1M1/music", data={"csrf": csrf, "reason": "fuzz"},
                           files={"file": (seed, data, "application/octet-stream")},
                           follow_redirects=False)
    assert response.status_code in (303, 422), (response.status_code, response.text[:300])
    if response.status_code == 422:
        assert _message(response.text), "a refusal shows its message"
        assert _state(cue) == before
    else:
        assert len(list_versions(cue, "1M1")) == len(before[3]) + 1


_typed = st.one_of(
    st.text(max_size=24),
    st.sampled_from(["01:00:02:00", "01:00:02;00", "99:99:99:99", "-1", "0", "1e300", "NaN",
                     "9" * 40, "1M1", "1M2", "hard", "soft", "end", "..", "\x00", " ",
                     "²", "①", "٣",  # '²'.isdigit(), and int('²') fails: a server error
                     "x" * 600, "é" * 201]),  # longer than its column (String(200), (500))
)


@FUZZ
@given(action=st.sampled_from(["edit", "sync", "change", "notes", "status", "tempo"]),
       values=st.fixed_dictionaries({}, optional={
           name: _typed for name in ("number", "title", "notes", "mood", "timecode", "kind",
                                     "description", "text", "decision", "note", "version",
                                     "read_title", "read_timecode", "candidate", "range",
                                     "subdivision", "tempo_version", "remove")}))
def test_typed_form_values_are_taken_or_refused(cue, as_role, action, values):
    client = as_role("music editor" if action in ("edit", "sync", "change", "tempo")
                     else "director")
    csrf = token(client, "/cues/1M1")
    point = cue_form(cue, "1M1").syncs[0].id
    path = {"edit": "/cues/1M1/edit", "sync": "/cues/1M1/sync",
            "change": f"/cues/1M1/sync/{point}", "notes": "/cues/1M1/notes",
            "status": "/cues/1M1/status", "tempo": "/cues/1M1/tempo/apply"}[action]
    before = _state(cue)
    response = client.post(path, data={**values, "csrf": csrf}, follow_redirects=False)
    assert response.status_code in (303, 409, 422), (response.status_code,
                                                     response.text[:300])
    if response.status_code != 303:
        assert _state(cue) == before
    if response.status_code == 303 and action == "edit" and values.get("number", "").strip():
        # a renumbered cue: put it back for the next example
        number = response.headers["location"].split("/")[2].split("#")[0]
        if number != "1M1":
            answer = client.post(f"/cues/{number}/edit",
                                 data={"csrf": csrf, "number": "1M1"},
                                 follow_redirects=False)
            assert answer.status_code == 303
