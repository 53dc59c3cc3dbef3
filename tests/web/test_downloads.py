"""Downloads: every report made on demand with the right type, and the project folder's
files served (with Range) while nothing outside the folder, nor its database, settings or
the web secret, can be read through the app."""

from __future__ import annotations

import os

import pytest

from filmscore.project import open_project
from filmscore.spotting.cues import CueSpec, SyncSpec, parse_cue_number
from filmscore.spotting.service import add_cue
from filmscore.sync.service import set_map_by_hand

OUTSIDE = "TOP SECRET: not of this project"


@pytest.fixture
def web_project(web_project, tmp_path):
    """The film with two cues (1M1 with a tempo map), a file of its own and a secret next
    to the project folder, and links pointing out of it."""
    with open_project(web_project) as pctx:
        add_cue(pctx, CueSpec(parse_cue_number("1M1"), "Main Title", 24, 24 * 20,
                              sync_points=(SyncSpec(24 * 5, "door"),)))
        add_cue(pctx, CueSpec(parse_cue_number("1M2"), "Chase", 24 * 30, 24 * 50))
        set_map_by_hand(pctx, "1M1", tempo="120")
    (tmp_path / "secret.txt").write_text(OUTSIDE)
    (web_project / "mockups").mkdir()
    (web_project / "mockups" / "1M1.wav").write_bytes(bytes(range(256)) * 40)
    os.symlink(tmp_path / "secret.txt", web_project / "mockups" / "out.txt")
    os.symlink(tmp_path, web_project / "up")
    (web_project / ".hidden").write_text(OUTSIDE)
    (web_project / "mockups" / "page.html").write_text("<script>alert(1)</script>")
    return web_project


def test_the_page_lists_the_reports_the_project_can_make(as_role):
    html = as_role("director").get("/downloads").text
    assert 'href="/downloads/spotting.pdf"' in html
    assert 'href="/downloads/clicksheet.csv?of=1M1"' in html
    assert "clicksheet.pdf?of=1M2" not in html  # no tempo map: no click sheet
    assert 'href="/files/mockups/1M1.wav"' in html
    assert "out.txt" not in html and ".hidden" not in html and "filmscore.db" not in html


@pytest.mark.parametrize(("path", "media_type", "head"), [
    ("/downloads/spotting.pdf", "application/pdf", b"%PDF"),
    ("/downloads/spotting.csv", "text/csv; charset=utf-8", "\ufefftype,cue".encode()),
    ("/downloads/clicksheet.pdf?of=1M1", "application/pdf", b"%PDF"),
    ("/downloads/clicksheet.csv?of=1M1", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
])
def test_a_report_downloads_with_its_type(as_role, path, media_type, head):
    response = as_role("copyist").get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(head) and len(response.content) > 100


@pytest.mark.parametrize(("path", "status"), [
    ("/downloads/nothing.pdf", 422),        # no such report
    ("/downloads/spotting.docx", 422),      # not a format of it
    ("/downloads/clicksheet.pdf", 422),     # made per cue: which one?
    ("/downloads/spotting.pdf?of=1M1", 422),
    ("/downloads/clicksheet.pdf?of=9M9", 404),
])
def test_a_report_that_cannot_be_made_is_refused_with_a_message(as_role, path, status):
    response = as_role("composer").get(path, headers={"accept": "application/json"})
    assert response.status_code == status
    assert "\n" not in response.json()["error"]


def test_a_file_of_the_project_is_served_with_range(as_role):
    client = as_role("engineer")
    whole = client.get("/files/mockups/1M1.wav")
    assert whole.status_code == 200 and len(whole.content) == 256 * 40
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get("/files/mockups/1M1.wav", headers={"range": "bytes=256-511"})
    assert part.status_code == 206
    assert part.content == bytes(range(256))
    assert part.headers["content-range"] == f"bytes 256-511/{256 * 40}"
    assert whole.headers["content-disposition"].startswith("inline")
    page = client.get("/files/mockups/page.html")  # never shown as a page of this site
    assert page.headers["content-disposition"].startswith("attachment")


ESCAPES = [
    "../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%2fsecret.txt",
    "mockups/../../secret.txt", "mockups/%2e%2e/%2e%2e/secret.txt",
    "%2Ftmp%2Fsecret.txt", "/etc/passwd", "%2fetc%2fpasswd", "..%5csecret.txt",
    "mockups/out.txt",  # a link pointing out of the folder
    "up/secret.txt",  # a folder link pointing out
    "filmscore.db", "filmscore.toml", ".filmscore-web-secret", ".hidden",
    "mockups/../filmscore.db", "./filmscore.db", "filmscore.db%00.wav",
]


def test_nothing_outside_the_project_nor_its_private_files_is_served(as_role, web_project):
    client = as_role("composer")
    secret = (web_project / ".filmscore-web-secret").read_text().strip()
    for path in ESCAPES:
        response = client.get("/files/" + path, headers={"accept": "application/json"})
        assert response.status_code in (404, 422), (path, response.status_code)
        assert OUTSIDE.encode() not in response.content, path
        assert b"SQLite format" not in response.content, path
        assert secret.encode() not in response.content, path


@pytest.mark.parametrize("path", [p.replace("%2e", ".").replace("%2E", ".")
                                  .replace("%2f", "/").replace("%2F", "/")
                                  .replace("%5c", "\\").replace("%00", "\x00")
                                  for p in ESCAPES])
def test_the_path_check_itself_refuses_every_escape(web_project, path):
    """The check under the route, given the paths as they arrive decoded (the HTTP client
    and the router may already have normalised some of them away)."""
    from filmscore.errors import InputError, NotFoundError
    from filmscore.overview.reports import project_file

    with pytest.raises((InputError, NotFoundError)):
        project_file(web_project, path, private=(".filmscore-web-secret",))
    assert project_file(web_project, "mockups/1M1.wav").name == "1M1.wav"


def test_a_missing_file_is_not_found(as_role):
    response = as_role("composer").get("/files/mockups/none.wav",
                                       headers={"accept": "application/json"})
    assert response.status_code == 404
