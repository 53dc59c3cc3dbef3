"""The cue page: spotting notes and sync points, the tempo map and find-tempo, mockups,
takes and the streamer to play, parts to download, review notes, approval, history.

Every edit form carries the version of the row it was read from; a stale edit is refused
(409) with a page of their values beside yours, and bad input re-renders the page (422)
with the message next to the field.  Nothing is written in either case.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse

from filmscore import children
from filmscore.errors import ConflictError, InputError
from filmscore.limits import is_digits
from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.routes.common import allowed_for as _allowed
from filmscore.web.routes.common import project_of as _pctx
from filmscore.web.security import Allow

router = APIRouter()

#: the cue fields the spotting form edits, with their labels
CUE_FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "Number"), ("title", "Title"), ("notes", "Notes"), ("mood", "Mood"),
    ("instrumentation", "Instrumentation"), ("temp_track", "Temp track"))
#: decisions the approve buttons make (the status each sets)
DECISIONS = ("approved", "changes requested")
#: suffixes a music version may be uploaded as
MUSIC_SUFFIXES = (".mid", ".midi", ".musicxml", ".xml", ".mxl")
#: the largest music file accepted (a cue's MIDI or MusicXML)
MAX_MUSIC_BYTES = 20 * 1024**2


def _tc(frame: int | None, rate) -> str:
    from filmscore.timecode import format_label

    return "" if frame is None else format_label(frame, rate)


def _cue_values(cue) -> dict[str, str]:
    return {"number": str(cue.number), "title": cue.title, "notes": cue.notes,
            "mood": cue.mood, "instrumentation": cue.instrumentation,
            "temp_track": cue.temp_track}


def _error_field(exc: InputError, default: str) -> str:
    """The form field an error belongs next to."""
    field = exc.field or default
    return {"cue": "number", "sync": "timecode", "start": "timecode", "frame": "timecode",
            "sync_kind": "kind", "path": "file"}.get(field, field)


def _page(request: Request, number: str, *, form: str = "", errors: dict | None = None,
          values: dict | None = None, find=None, status_code: int = 200):
    """Render the cue page; ``form`` names the form that ``errors`` and ``values`` fill."""
    from filmscore.cueview import cue_overview, relative_path
    from filmscore.sync.tempomap import format_bpm, format_frameclick

    pctx = _pctx(request)
    view = cue_overview(pctx, number)
    cue, rate = view.form.cue, pctx.rate
    number = str(cue.number)
    tmap = None
    if view.tempo_map is not None:
        tm = view.tempo_map
        bar = 1
        segments = []
        for seg in tm.segments:
            segments.append({
                "bars": f"{bar}-{bar + seg.bars - 1}", "count": seg.bars,
                "meter": f"{seg.meter.numerator}/{seg.meter.denominator}",
                "bpm": "free" if seg.free_frames else format_bpm(seg.tempo_bpm) + (
                    f" → {format_bpm(seg.end_tempo_bpm)}" if seg.end_tempo_bpm else ""),
                "click": "" if seg.free_frames else format_frameclick(seg.tempo_bpm, rate)})
            bar += seg.bars
        tmap = {"start": _tc(tm.start_frame, rate), "segments": segments,
                "origin": view.tempo_origin, "subdivision": tm.subdivision,
                "count_in": tm.count_in_bars}
    files = view.files

    def link(media):
        return {"label": media.label,
                "url": f"/cues/{number}/media/{quote(relative_path(pctx, media))}"}

    ctx = {
        "cue": cue, "number": number, "status": view.form.status,
        "version": view.form.version, "tempo_version": view.tempo_version,
        "start": _tc(cue.start_frame, rate), "end": _tc(cue.end_frame, rate),
        "cue_values": _cue_values(cue), "cue_fields": CUE_FIELDS,
        "syncs": [{"id": s.id, "version": s.version, "timecode": _tc(s.sync.frame, rate),
                   "kind": s.sync.kind, "description": s.sync.description}
                  for s in view.form.syncs],
        "kinds": _sync_kinds(), "tmap": tmap, "find": find,
        "mockups": [link(m) for m in files.mockups],
        "streamer": link(files.streamer) if files.streamer else None,
        "parts": [link(m) for m in files.parts], "scores": [link(m) for m in files.scores],
        "takes": [{"number": t.number, "kind": t.kind, "circled": t.circled, "bars": t.bars,
                   "notes": t.notes, "stems": [link(s) for s in t.stems]}
                  for t in files.takes],
        "steps": view.steps, "notes": view.notes, "versions": view.versions,
        "decisions": DECISIONS, "allowed": _allowed(request),
        "form": form, "errors": errors or {}, "values": values or {},
    }
    return page(request, "cue.html", ctx, status_code=status_code)


def _sync_kinds() -> list[str]:
    from filmscore.spotting.cues import SYNC_KINDS

    return list(SYNC_KINDS)


def _refused(request: Request, number: str, form: str, exc: InputError, values: dict,
             default_field: str):
    """The page again, 422, with the message next to the field and the values kept."""
    return _page(request, number, form=form, values=values, status_code=422,
                 errors={_error_field(exc, default_field): exc.reason
                         + (f" (got {exc.value!r})" if exc.value not in (None, "") else "")
                         + (f"; valid: {exc.valid}" if exc.valid else "")})


def _back(number: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cues/{number}{'#' + anchor if anchor else ''}",
                            status_code=303)


def _version(values: dict, name: str = "version") -> int:
    text = str(values.get(name, "")).strip()
    if not is_digits(text):
        raise InputError("the form lost the version it was read at", field=name,
                         value=text, valid="reload the page and edit again")
    return int(text)


@router.get("/cues/{number}")
def cue_page(number: str, request: Request, user=Depends(Allow("view"))):
    """The cue page."""
    return _page(request, number)


@router.get("/cues/{number}/tempo/find")
def find_tempo(number: str, request: Request, user=Depends(Allow("view"))):
    """The cue page with find-tempo results for the range and subdivision asked."""
    from filmscore.sync.service import find_for_cue, parse_tempo_range
    from filmscore.sync.tempomap import format_bpm, format_frameclick

    values = {"range": request.query_params.get("range", "40-240"),
              "subdivision": request.query_params.get("subdivision", "1")}
    try:
        sub = _subdivision(values["subdivision"])
        result = find_for_cue(_pctx(request), number,
                              tempo_range=parse_tempo_range(values["range"]),
                              subdivision=sub, top=10)
    except InputError as exc:
        return _refused(request, number, "find", exc, values, "range")
    rate = _pctx(request).rate
    rows = [{"n": n, "range": f"{format_bpm(c.low_bpm)}–{format_bpm(c.high_bpm)}",
             "best": format_bpm(c.best_bpm),
             "click": format_frameclick(c.frameclick_bpm if c.frameclick_bpm is not None
                                        else c.best_bpm, rate),
             "hits": f"{c.landed}/{len(c.hits)}", "mean": f"{float(c.mean_frames_off):.2f}",
             "max": f"{float(c.max_frames_off):.2f}"}
            for n, c in enumerate(result.candidates, 1)]
    find = {"rows": rows, "hard": result.hard_hits, **values}
    return _page(request, number, form="find", values=values, find=find)


def _subdivision(text: str) -> int:
    text = str(text).strip()
    if not is_digits(text) or not 1 <= int(text) <= 8:
        raise InputError("not a subdivision", field="subdivision", value=text,
                         valid="1 (beats) to 8; 2 is eighths in 4/4")
    return int(text)


@router.post("/cues/{number}/tempo/apply")
async def apply_tempo(number: str, request: Request, user=Depends(Allow("tempo"))):
    """Store find-tempo candidate N as the cue's tempo map."""
    from filmscore.sync.service import find_for_cue, parse_tempo_range

    values = dict(await request.form())
    try:
        candidate = str(values.get("candidate", "")).strip()
        if not is_digits(candidate):
            raise InputError("not a candidate number", field="candidate", value=candidate,
                             valid="1 or more")
        find_for_cue(_pctx(request), number,
                     tempo_range=parse_tempo_range(str(values.get("range", "40-240"))),
                     subdivision=_subdivision(str(values.get("subdivision", "1"))),
                     apply=int(candidate), expected_version=_version(values,
                                                                     "tempo_version"))
    except InputError as exc:
        return _refused(request, number, "find", exc, values, "range")
    except ConflictError as exc:  # the page shows their map; nothing was saved
        return _page(request, number, form="find", values=values, status_code=409,
                     errors={"candidate": str(exc)})
    return _back(number, "tempo")


@router.post("/cues/{number}/edit")
async def edit_cue(number: str, request: Request, user=Depends(Allow("spot"))):
    """Change the cue's number, title and spotting notes (refused when stale)."""
    from filmscore.spotting.service import edit_cue as edit

    values = {k: str(v) for k, v in (await request.form()).items()}
    # a field the form did not send is left as it is (never blanked)
    changes = {name: values[name].strip() for name, _ in CUE_FIELDS
               if name != "number" and name in values}
    # the form carries each field as it was read: only a field changed both here and
    # since is a conflict (an older form carries the cue's version only: any change is)
    read = _read(values)
    try:
        new = edit(_pctx(request), number, read=read or None,
                   expected_version=None if read else _version(values),
                   new_number=values.get("number", "").strip() or None, **changes)
    except InputError as exc:
        return _refused(request, number, "cue", exc, values, "number")
    except ConflictError as exc:
        return _cue_conflict(request, number, str(exc), values)
    return _back(str(new.number))


def _read(values: dict, fields=None) -> dict[str, str]:
    """The values a form says it read (``read_<field>``)."""
    names = fields or [name for name, _ in CUE_FIELDS]
    return {name: values[f"read_{name}"] for name in names if f"read_{name}" in values}


def _yours(values: dict, theirs: dict, names) -> dict[str, str]:
    """What the editor asked for: a field they left as they read it is theirs (now)."""
    read = _read(values, names)
    return {name: values[name].strip() if name in values and (
        name not in read or values[name].strip() != read[name].strip()) else theirs[name]
        for name in names}


def _cue_conflict(request: Request, number: str, message: str, values: dict):
    from filmscore.spotting.service import cue_form

    now = cue_form(_pctx(request), number)
    theirs = _cue_values(now.cue)
    yours = _yours(values, theirs, [name for name, _ in CUE_FIELDS])
    rows = [{"field": name, "label": label, "theirs": theirs[name], "yours": yours[name],
             "changed": theirs[name] != yours[name]} for name, label in CUE_FIELDS]
    return page(request, "conflict.html", {
        "message": message, "what": f"cue {now.cue.number}", "rows": rows,
        "number": str(now.cue.number), "action": f"/cues/{now.cue.number}/edit",
        "version": now.version, "sync": None, "read": theirs}, status_code=409)


@router.post("/cues/{number}/sync")
async def add_sync(number: str, request: Request, user=Depends(Allow("spot"))):
    """Add a sync point (timecode, kind, description)."""
    from filmscore.spotting.service import add_sync as add

    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        add(_pctx(request), number, _sync_spec(request, values))
    except InputError as exc:
        return _refused(request, number, "sync-new", exc, values, "timecode")
    return _back(number, "sync")


def _sync_spec(request: Request, values: dict):
    from filmscore.spotting.cues import SyncSpec, parse_sync_kind
    from filmscore.timecode import parse_label

    frame = parse_label(values.get("timecode", "").strip(), _pctx(request).rate,
                        field="timecode")
    return SyncSpec(frame=frame, kind=parse_sync_kind(values.get("kind", "hard"),
                                                      field="kind"),
                    description=values.get("description", "").strip())


@router.post("/cues/{number}/sync/{sync_id}")
async def change_sync(number: str, sync_id: Number, request: Request,
                      user=Depends(Allow("spot"))):
    """Change or (with ``remove``) remove one sync point (refused when stale)."""
    from filmscore.spotting.service import change_sync as change

    values = {k: str(v) for k, v in (await request.form()).items()}
    remove = "remove" in values
    try:
        read = None  # the point as the form read it: per-field (else its version: whole)
        if "read_timecode" in values:
            read = _sync_spec(request, {k[5:]: v for k, v in values.items()
                                        if k.startswith("read_")})
        change(_pctx(request), number, sync_id, read=read,
               version=None if read else _version(values),
               sync=None if remove else _sync_spec(request, values))
    except InputError as exc:
        return _refused(request, number, f"sync-{sync_id}", exc, values, "timecode")
    except ConflictError as exc:
        return _sync_conflict(request, number, sync_id, str(exc), values, remove)
    return _back(number, "sync")


def _sync_conflict(request: Request, number: str, sync_id: int, message: str,
                   values: dict, remove: bool):
    from filmscore.spotting.service import cue_form

    now = cue_form(_pctx(request), number)
    rate = _pctx(request).rate
    point = next((s for s in now.syncs if s.id == sync_id), None)
    theirs = ({"timecode": _tc(point.sync.frame, rate), "kind": point.sync.kind,
               "description": point.sync.description} if point else
              {"timecode": "(removed)", "kind": "", "description": ""})
    names = ("timecode", "kind", "description")
    yours = ({"timecode": "(remove)", "kind": "", "description": ""} if remove else
             _yours(values, theirs, names) if point else
             {k: values.get(k, "").strip() for k in names})
    rows = [{"field": k, "label": k.capitalize(), "theirs": theirs[k], "yours": yours[k],
             "changed": theirs[k] != yours[k]} for k in ("timecode", "kind", "description")]
    return page(request, "conflict.html", {
        "message": message, "what": f"a sync point of cue {now.cue.number}", "rows": rows,
        "number": str(now.cue.number),
        "action": f"/cues/{now.cue.number}/sync/{sync_id}" if point else "",
        "version": point.version if point else None, "sync": yours,
        "read": theirs if point else {}, "remove": remove}, status_code=409)


@router.post("/cues/{number}/notes")
async def add_note(number: str, request: Request, user=Depends(Allow("review"))):
    """A review note at a timecode."""
    from filmscore.writing.service import add_note as add

    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        add(_pctx(request), number, values.get("timecode", "").strip(),
            values.get("text", ""), author=user.name)
    except InputError as exc:
        return _refused(request, number, "note", exc, values, "timecode")
    return _back(number, "review")


@router.post("/cues/{number}/status")
async def decide(number: str, request: Request, user=Depends(Allow("approve"))):
    """Approve the cue, or ask for changes (with a note)."""
    from filmscore.writing.service import set_status

    values = {k: str(v) for k, v in (await request.form()).items()}
    decision = values.get("decision", "")
    try:
        if decision not in DECISIONS:
            raise InputError("not a decision", field="decision", value=decision,
                             valid=", ".join(DECISIONS))
        set_status(_pctx(request), number, decision, author=user.name,
                   note=values.get("note", "").strip())
    except InputError as exc:
        return _refused(request, number, "decide", exc, values, "decision")
    return _back(number, "review")


@router.post("/cues/{number}/music")
async def upload_music(number: str, request: Request, user=Depends(Allow("write"))):
    """Upload a MIDI or MusicXML file as the cue's next music version."""
    from filmscore.writing.service import import_version

    form = await request.form()
    upload = form.get("file")
    values = {"reason": str(form.get("reason", ""))}
    name = Path(getattr(upload, "filename", "") or "").name
    try:
        if not name:
            raise InputError("choose a file", field="file", valid=", ".join(MUSIC_SUFFIXES))
        suffix = Path(name).suffix.lower()
        if suffix not in MUSIC_SUFFIXES:
            raise InputError("not a music file", field="file", value=name,
                             valid=", ".join(MUSIC_SUFFIXES))
        data = await upload.read(MAX_MUSIC_BYTES + 1)
        if len(data) > MAX_MUSIC_BYTES:
            raise InputError("the file is too large", field="file", value=name,
                             valid=f"at most {MAX_MUSIC_BYTES // 1024**2} MB")
        with children.scratch_folder(prefix="filmscore-upload-") as work:
            path = Path(work) / ("upload" + suffix)
            path.write_bytes(data)
            try:
                import_version(_pctx(request), number, path, author=user.name,
                               reason=values["reason"])
            except InputError as exc:
                exc.field, exc.source = "file", name
                raise
    except InputError as exc:
        return _refused(request, number, "music", exc, values, "file")
    return _back(number, "music")


@router.get("/cues/{number}/media/{path:path}")
def cue_media(number: str, path: str, request: Request, user=Depends(Allow("view"))):
    """One of the cue's files (mockup, streamer, part, score, stem); nothing else."""
    from filmscore.cueview import cue_file
    from filmscore.web.security import inside

    pctx = _pctx(request)
    inside(pctx.directory, path)  # refuses '..' and absolute paths with a 422
    return FileResponse(cue_file(pctx, number, path))
