"""Upload limits: a request body over the limit is refused before it is read."""

from __future__ import annotations

from web_helpers import token


def test_a_body_over_the_limit_is_refused_with_413(app, as_role, monkeypatch):
    import filmscore.web.app as web_app

    client = as_role("composer")
    csrf = token(client, "/")
    monkeypatch.setattr(web_app, "MAX_UPLOAD_BYTES", 1000)
    response = client.post("/cues/1M1/music", headers={"x-csrf-token": csrf},
                           files={"file": ("big.mid", b"0" * 5000, "audio/midi")})
    assert response.status_code == 413
    assert "over the limit of 1000 bytes" in response.json()["error"]
    small = client.post("/cues/1M1/music", headers={"x-csrf-token": csrf,
                                                    "accept": "application/json"},
                        files={"file": ("small.mid", b"0" * 10, "audio/midi")})
    assert small.status_code != 413  # (refused for what it is: no such cue, not a MIDI)
