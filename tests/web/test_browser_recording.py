"""The recording page in a real headless Chromium against the real server: takes logged and
circled with the keyboard only, what the page shows is what the database holds, and an
entry logged with the connection cut or the server away waits, survives a reload and is
sent once.  The server's side of a failure (503 away, an answer lost) is made by the
harness's gate in the server (``LiveServer.away``, ``lose_next_answer``), not by asking the
browser to intercept its own requests."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from filmscore.recording.takes import list_takes
from web.browser import plan_a_session, screenshot


@pytest.fixture
def web_project(web_project):
    plan_a_session(web_project)
    return web_project


def _shown(page) -> list[tuple[str, str, str, bool, str]]:
    """The take log as the page shows it: (cue, take, type, circled, state), newest first."""
    return [tuple(r) for r in page.eval_on_selector_all("#take-log tbody tr", """rows =>
        rows.filter(r => !r.classList.contains('empty')).map(r => [
          r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent,
          r.cells[3].textContent === '●', r.cells[6].textContent])""")]


def _held(server) -> list[tuple[str, str, str, bool, str]]:
    """The takes the database holds, newest first, as the page would show them."""
    with server.db() as pctx:
        takes = sorted(list_takes(pctx), key=lambda t: t.id, reverse=True)
    return [(t.cue, str(t.number), t.kind, t.circled, "logged") for t in takes]


def test_logging_takes_with_the_keyboard(as_browser, live_server):
    page = as_browser("music editor", "/recording")
    status = page.locator("#queue-status")
    expect(status).to_have_text("all sent")
    expect(page.locator("#cue-pick li.selected")).to_have_text("1M1 Cue 1M1")

    page.keyboard.press("Enter")                  # 1M1 take 1, complete
    page.keyboard.press("b")                      # 1M1 take 2, breakdown
    page.keyboard.press("ArrowDown")              # the next cue of the session: 1M2
    expect(page.locator("#cue-pick li.selected")).to_have_text("1M2 Cue 1M2")
    page.keyboard.press("n")                      # a note for the next take
    page.keyboard.type("lovely, print it")
    page.keyboard.press("Enter")                  # 1M2 take 1, complete, with the note
    expect(status).to_have_text("all sent")
    page.keyboard.press("ArrowRight")             # the take before the last: 1M1 take 2
    page.keyboard.press("ArrowRight")             # and before it: 1M1 take 1
    page.keyboard.press("c")                      # circled
    expect(status).to_have_text("all sent")
    page.reload()                                 # what the server renders agrees too
    expect(status).to_have_text("all sent")
    shown = _shown(page)
    assert shown == _held(live_server) == [
        ("1M2", "1", "complete", False, "logged"),
        ("1M1", "2", "breakdown", False, "logged"),
        ("1M1", "1", "complete", True, "logged")]
    with live_server.db() as pctx:
        assert [t.notes for t in list_takes(pctx, "1M2")] == ["lovely, print it"]
    screenshot(page, "recording")

    # the connection drops: the entry waits in the page, is sent when it returns
    page.context.set_offline(True)
    page.keyboard.press("p")                      # a pickup of 1M2
    expect(status).to_contain_text("1 waiting")
    expect(page.locator("#take-log tbody tr").first).to_contain_text("waiting")
    screenshot(page, "recording-offline")
    assert len(_held(live_server)) == 3
    page.context.set_offline(False)
    expect(status).to_have_text("all sent")
    assert _shown(page)[0] == ("1M2", "2", "pickup", False, "logged")
    assert _shown(page) == _held(live_server)
    assert [t.kind for t in _held_takes(live_server, "1M2")] == ["complete", "pickup"]
    assert page.js_errors == []


def _held_takes(server, cue):
    with server.db() as pctx:
        return list_takes(pctx, cue)


def test_a_waiting_entry_survives_a_reload_and_is_sent_once(as_browser, live_server):
    page = as_browser("engineer", "/recording")
    status = page.locator("#queue-status")
    expect(status).to_have_text("all sent")
    # the server does not take takes (the page itself still loads): nothing gets through.
    # (The server answers 503, as a proxy does with the app behind it down; a connection
    # that fails outright is the offline case of the test above.)
    with live_server.away("/api/takes"):
        page.keyboard.press("f")                  # a false start of 1M1
        page.keyboard.press("c")                  # circled while it waits
        expect(status).to_contain_text("1 waiting")
        page.reload()                             # the page closed and opened again
        expect(status).to_contain_text("1 waiting")
        row = page.locator("#take-log tbody tr").first
        expect(row).to_contain_text("false start")
        expect(row).to_contain_text("waiting")
        expect(status).to_contain_text("the server is away")   # what the server said
        assert _held(live_server) == []
    expect(status).to_have_text("all sent", timeout=15_000)   # back: sent on the retry
    assert _shown(page) == _held(live_server) == [("1M1", "1", "false start", True,
                                                   "logged")]
    assert page.js_errors == []


def test_an_entry_whose_answer_was_lost_is_logged_once(as_browser, live_server):
    page = as_browser("music editor", "/recording")
    status = page.locator("#queue-status")
    expect(status).to_have_text("all sent")
    lost = live_server.lose_next_answer("/api/takes")   # the server logs it, unanswered
    page.keyboard.press("Enter")                  # 1M1 take 1
    expect(status).to_contain_text("1 waiting")   # the page does not know it got there
    page.keyboard.press("c")                      # circled meanwhile
    expect(status).to_have_text("all sent", timeout=15_000)
    assert lost == [200]
    assert _shown(page) == _held(live_server) == [("1M1", "1", "complete", True, "logged")]
    screenshot(page, "recording-resent")
    assert page.js_errors == []
