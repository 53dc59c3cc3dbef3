"""The conform stage in the workspace: the change lists between picture versions, and a
change list's page: its changes in timecode, the old and the new cut drawn to scale, and
every cue it flagged with its hits off and the fixes proposed; the music editor (re)computes
the proposals and picks one, which is applied as a background job (kind ``conform-fix``:
the fix and everything downstream regenerated)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse

from filmscore.errors import ConflictError, InputError, NotFoundError
from filmscore.limits import is_digits
from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.routes.common import allowed_for as _allowed
from filmscore.web.routes.common import project_of as _pctx
from filmscore.web.routes.common import wants_json as _wants_json
from filmscore.web.security import Allow

router = APIRouter()


def _anchor(cue: str) -> str:
    return "cue-" + quote(cue, safe="")


@router.get("/conform")
def change_lists_page(request: Request, user=Depends(Allow("view"))):
    """Every change list: the two picture versions, when compared and applied, the
    changes by kind, the frames added and removed, the cues flagged and still open."""
    from filmscore.conform.board import change_lists
    from filmscore.conform.vocabulary import CHANGE_KINDS

    return page(request, "conform.html", {
        "view": "list", "lists": change_lists(_pctx(request)), "kinds": CHANGE_KINDS,
        "allowed": _allowed(request)})


def _change_list_page(request: Request, number: int, *, batch: str | None = None,
                      form: str = "", error: str = "", status_code: int = 200):
    from filmscore.conform.board import change_list_board
    from filmscore.conform.vocabulary import CHANGE_KINDS
    from filmscore.jobs import batch_status, live_workers

    pctx = _pctx(request)
    board = change_list_board(pctx, number)
    status, workers = None, None
    if batch:
        try:
            status, workers = batch_status(pctx, batch), live_workers(pctx)
        except NotFoundError:
            status = None
    return page(request, "conform.html", {
        "view": "one", "board": board, "kinds": CHANGE_KINDS, "batch": status,
        "workers": workers, "allowed": _allowed(request), "form": form, "error": error,
        "quote": quote}, status_code=status_code)


@router.get("/conform/{number}")
def change_list_page(number: Number, request: Request, batch: str | None = None,
                     user=Depends(Allow("view"))):
    """A change list: its changes, the two cuts to scale, every flagged cue with its hits
    and proposals (and, with ``?batch=``, a fix's progress)."""
    return _change_list_page(request, number, batch=batch)


def _version(values: dict) -> int:
    text = values.get("version", "").strip()
    if not is_digits(text):
        raise InputError("the form lost the version it was read at", field="version",
                         value=text, valid="reload the page and choose again")
    return int(text)


@router.post("/conform/{number}/{cue}/fix")
async def fix(number: Number, cue: str, request: Request, user=Depends(Allow("conform"))):
    """Apply proposal ``choice`` (0-based, as listed) to a flagged cue as a background job:
    the fix, then the click, MIDI tempo map, click sheet, streamers and parts regenerated
    (a recorded cue marked for a pickup).  Refused when the flag changed since the page
    was read, is no longer open, or a fix of the cue is already under way."""
    from filmscore import jobs
    from filmscore.conform.board import fix_running, flag_for_fix

    pctx = _pctx(request)
    flag = flag_for_fix(pctx, number, cue)
    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        text = values.get("choice", "").strip()
        if not is_digits(text) or int(text) >= len(flag.proposals):
            valid = (f"a proposal from 0 to {len(flag.proposals) - 1}" if flag.proposals
                     else "none yet: propose fixes first")
            raise InputError(f"not a proposal of cue {cue}", field="choice", value=text,
                             valid=valid)
        choice = int(text)
        if _version(values) != flag.version:
            raise ConflictError(f"the fixes of cue {cue} changed since the page was read "
                                "(proposed again or fixed by someone else); reload the page "
                                "and choose again")
        if flag.status != "open":
            raise ConflictError(f"cue {cue} is already {flag.status} (proposal "
                                f"{'' if flag.chosen is None else flag.chosen + 1}); propose "
                                "again to fix it again")
        running = fix_running(pctx, cue)
        if running:
            raise ConflictError(f"a fix of cue {cue} is already under way (batch {running}); "
                                "wait for it to end")
    except (InputError, ConflictError) as exc:
        if _wants_json(request):
            raise
        return _change_list_page(request, number, form=cue, error=str(exc),
                                 status_code=exc.http_status)
    batch = jobs.start(pctx, "conform-fix", [cue],
                       {"change_list": number, "choice": choice, "author": user.name},
                       started_by=user.name, workers=1)
    if _wants_json(request):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return RedirectResponse(f"/conform/{number}?batch={batch}#{_anchor(cue)}",
                            status_code=303)


@router.post("/conform/{number}/{cue}/propose")
async def propose(number: Number, cue: str, request: Request, user=Depends(Allow("conform"))):
    """(Re)compute and store the fixes proposed for a flagged cue (at once: a fix is
    proposed in well under a second), then show them."""
    from filmscore.conform.board import flag_for_fix
    from filmscore.conform.fixing import proposals

    pctx = _pctx(request)
    flag_for_fix(pctx, number, cue)
    try:
        proposals(pctx, number, cue, refresh=True, reopen=True)
    except InputError as exc:
        if _wants_json(request):
            raise
        return _change_list_page(request, number, form=cue, error=str(exc),
                                 status_code=exc.http_status)
    if _wants_json(request):
        flag = flag_for_fix(pctx, number, cue)
        return JSONResponse({"cue": cue, "proposals": [
            {"index": p.index, "kind": p.kind, "description": p.description,
             "worst_off": p.worst_off} for p in flag.proposals]})
    return RedirectResponse(f"/conform/{number}#{_anchor(cue)}", status_code=303)
