"""The album stage in the workspace: the albums and every candidate (its album title and
rating set in the row), and an album's page: for each medium the proposed sequence with
its timings, side breaks and capacity drawn to scale, a player per track and per
transition, and "propose" as a background job.

Listening across a transition plays the last ``TRANSITION_SECONDS`` of a track, the gap,
and the first seconds of the next, rendered on the first request by
``album.transition.transition_file`` into the project's ``web-cache/album-transitions/``
folder (beside the mixing page's comp excerpts), named by what it is made of.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from filmscore.errors import ConflictError, InputError
from filmscore.limits import is_digits
from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.routes.common import allowed_for as _allowed
from filmscore.web.routes.common import project_of as _pctx
from filmscore.web.routes.common import wants_json as _wants_json
from filmscore.web.security import Allow

router = APIRouter()

#: the folder of the project where transitions are kept
TRANSITION_FOLDER = ("web-cache", "album-transitions")
#: what audio files are served as, by suffix
AUDIO_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg",
               ".m4a": "audio/mp4"}


def _audio(path: Path, filename: str) -> FileResponse:
    """An audio file played inline (Range requests answered: the player seeks)."""
    kind = AUDIO_TYPES.get(path.suffix.lower(), "audio/wav")
    return FileResponse(path, media_type=kind, filename=filename,
                        content_disposition_type="inline")


# --- the albums and the candidates ---------------------------------------------------------

def _albums_page(request: Request, *, form: str = "", error: str = "",
                 values: dict | None = None, saved: str = "", status_code: int = 200):
    from filmscore.album.board import album_list, candidate_board
    from filmscore.album.vocabulary import CANDIDATE_KINDS, MEDIA, RATING_MAX, RATING_MIN

    pctx = _pctx(request)
    return page(request, "album.html", {
        "view": "list", "albums": album_list(pctx), "candidates": candidate_board(pctx),
        "media": MEDIA, "kinds": CANDIDATE_KINDS,
        "ratings": list(range(RATING_MIN, RATING_MAX + 1)), "allowed": _allowed(request),
        "form": form, "error": error, "values": values or {}, "saved": saved,
        "quote": quote}, status_code=status_code)


@router.get("/album")
def albums(request: Request, saved: str = "", user=Depends(Allow("view"))):
    """The albums (editions) and every candidate track in film order (``?saved=KEY``:
    the row just saved is marked)."""
    return _albums_page(request, saved=saved)


@router.post("/album/candidates/{key}")
async def choose(key: str, request: Request, user=Depends(Allow("album"))):
    """Set a candidate's album title and rating (refused when it changed since read)."""
    from filmscore.album.choices import set_choice

    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        # the form carries each field as read: per field (an older form: the version)
        read = {k: values[f"read_{k}"] for k in ("title", "rating") if f"read_{k}" in values}
        text = values.get("version", "").strip()
        if not read and not is_digits(text):
            raise InputError("the form lost the version it was read at", field="version",
                             value=text, valid="reload the page and edit again")
        set_choice(_pctx(request), key,
                   rating=values["rating"] if "rating" in values else None,
                   title=values["title"] if "title" in values else None,
                   read=read or None, expected_version=None if read else int(text))
    except InputError as exc:
        return _albums_page(request, form=key, error=str(exc), values=values,
                            status_code=422)
    except ConflictError as exc:
        return _choice_conflict(request, key, str(exc), values)
    return RedirectResponse(f"/album?saved={quote(key)}#cand-{quote(key)}", status_code=303)


def _choice_conflict(request: Request, key: str, message: str, values: dict):
    from filmscore.album.board import candidate_board

    now = next((c for c in candidate_board(_pctx(request)) if c.key == key), None)
    theirs = {"title": now.title if now else "", "rating": str(now.rating) if now else ""}

    def yours(name: str) -> str:  # a field left as read is theirs: not yours to save
        mine = values.get(name, theirs[name]).strip()
        read = values.get(f"read_{name}")
        return theirs[name] if read is not None and mine == read.strip() else mine

    rows = [{"field": name, "label": label, "theirs": theirs[name], "yours": yours(name),
             "changed": theirs[name] != yours(name)}
            for name, label in (("title", "Album title"), ("rating", "Rating"))]
    return page(request, "conflict.html", {
        "message": message, "what": f"candidate {key}", "rows": rows,
        "back_url": f"/album#cand-{quote(key)}", "back_label": "Back to the candidates",
        "action": f"/album/candidates/{quote(key)}", "version": now.version if now else None,
        "sync": None, "read": theirs if now else {}}, status_code=409)


@router.get("/album/candidates/{key}.wav")
def candidate_file(key: str, request: Request, user=Depends(Allow("view"))):
    """A candidate's audio, played inline."""
    from filmscore.album.board import candidate_audio

    path = candidate_audio(_pctx(request), key)
    return _audio(path, f"{key}{path.suffix or '.wav'}")


# --- an album ------------------------------------------------------------------------------------

def _album_page(request: Request, number: int, *, batch: str | None = None,
                form: str = "", error: str = "", values: dict | None = None,
                status_code: int = 200):
    from filmscore.album.board import album_board, candidate_board
    from filmscore.album.transition import TRANSITION_SECONDS
    from filmscore.album.vocabulary import ORDERS
    from filmscore.errors import NotFoundError
    from filmscore.jobs import batch_status, live_workers

    pctx = _pctx(request)
    candidates = candidate_board(pctx)
    board = album_board(pctx, number, candidates)
    status, workers = None, None
    if batch:
        try:
            status, workers = batch_status(pctx, batch), live_workers(pctx)
        except NotFoundError:
            status = None
    return page(request, "album.html", {
        "view": "album", "album": board, "candidates": candidates, "orders": ORDERS,
        "seconds": TRANSITION_SECONDS, "batch": status, "workers": workers,
        "allowed": _allowed(request), "form": form, "error": error,
        "values": values or {}, "quote": quote}, status_code=status_code)


@router.get("/album/{number}")
def album_page(number: Number, request: Request, batch: str | None = None,
               user=Depends(Allow("view"))):
    """An album: each medium's sequence with its timings and side breaks, players for
    every track and transition (and, with ``?batch=``, a proposal's progress)."""
    return _album_page(request, number, batch=batch)


@router.post("/album/{number}/{medium}/propose")
async def propose(number: Number, medium: str, request: Request, user=Depends(Allow("album"))):
    """Propose the medium's sequence (the form's ``order``: film or listening) as a
    background job."""
    from filmscore import jobs
    from filmscore.album.board import check_album
    from filmscore.album.vocabulary import MEDIUM_NAMES, ORDERS

    pctx = _pctx(request)
    check_album(pctx, number)
    values = {k: str(v) for k, v in (await request.form()).items()}
    order = values.get("order", "film").strip() or "film"
    try:
        if medium not in MEDIUM_NAMES:
            raise InputError("unknown medium", field="medium", value=medium,
                             valid=", ".join(MEDIUM_NAMES))
        if order not in ORDERS:
            raise InputError("unknown order", field="order", value=order,
                             valid=", ".join(ORDERS))
    except InputError as exc:
        if _wants_json(request):
            raise
        return _album_page(request, number, form=medium, error=str(exc), values=values,
                           status_code=422)
    batch = jobs.start(pctx, "album-propose", [jobs.album_target(number, medium)],
                       {"order": order}, started_by=user.name, workers=1)
    if _wants_json(request):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return RedirectResponse(f"/album/{number}?batch={batch}#{medium}", status_code=303)


@router.get("/album/{number}/{medium}/tracks/{position}.wav")
def track_file(number: Number, medium: str, position: Number, request: Request,
               user=Depends(Allow("view"))):
    """What a track plays: its master when it is mastered, else its candidate's audio."""
    from filmscore.album.board import track_audio

    path, mastered = track_audio(_pctx(request), number, medium, position)
    name = f"album{number}_{medium}_{position}{'_master' if mastered else ''}"
    return _audio(path, f"{name}{path.suffix or '.wav'}")


@router.get("/album/{number}/{medium}/transitions/{position}.wav")
def transition(number: Number, medium: str, position: Number, request: Request,
               seconds: Number | None = None, user=Depends(Allow("view"))):
    """Track ``position`` into the next: its last seconds, the gap, the next one's first
    seconds (``?seconds=``, default 6), as WAV."""
    from filmscore.album.transition import TRANSITION_SECONDS, transition_file

    pctx = _pctx(request)
    folder = Path(pctx.directory).joinpath(*TRANSITION_FOLDER)
    path = transition_file(pctx, number, medium, position, folder,
                           seconds=TRANSITION_SECONDS if seconds is None else seconds)
    return _audio(path, path.name)
