"""The mixing stage in the workspace: a cue's mixing page (its takes laid out by bars, the
comp's segments and edits drawn over them, propose and set a comp, listen across an edit,
render the comp as a background job) and the delivery list (the PRO cue sheet).

Listening across an edit plays a short Broadcast WAV of one stem, ``EXCERPT_SECONDS``
either side of the edit, rendered on the first request by ``comp_render.render_excerpt``
(the very samples the comp's render writes there) into the project's
``web-cache/comp-excerpts/`` folder, named by the comp version, the edit, the stem and a
hash of where the plan places them (a changed take or tempo map renders it again).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from filmscore.errors import FilmscoreError, InputError, NotFoundError
from filmscore.fileio import inside, safe_name
from filmscore.limits import is_digits
from filmscore.web.app import page
from filmscore.web.routes.common import Number
from filmscore.web.routes.common import allowed_for as _allowed
from filmscore.web.routes.common import project_of as _pctx
from filmscore.web.routes.common import wants_json as _wants_json
from filmscore.web.security import Allow

router = APIRouter()

#: seconds of the comp played either side of an edit
EXCERPT_SECONDS = 2
#: the folder of the project where excerpts are kept
EXCERPT_FOLDER = ("web-cache", "comp-excerpts")
#: a stem's name as it may appear in a URL
_STEM = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
#: the folder of the project the PRO cue sheet is written into
CUESHEET_FOLDER = "cuesheet"
#: what the cue-sheet files are served as
CUESHEET_TYPES = {"csv": "text/csv", "pdf": "application/pdf", "xml": "application/xml"}


def _timecode(pctx, film_sample: int) -> str:
    from filmscore.mixing.placing import frame_of_sample
    from filmscore.timecode import format_label

    return format_label(frame_of_sample(film_sample, pctx.rate, pctx.sample_rate), pctx.rate)


def _length(pctx, samples: int) -> str:
    """A length in samples as M:SS+frames (the frames it reaches into, rounded up)."""
    from fractions import Fraction

    from filmscore.timecode import format_duration, get_rate

    frames = Fraction(samples) * get_rate(pctx.rate).fps / pctx.sample_rate
    return format_duration(frames.__ceil__(), pctx.rate)


def _frame(pctx, frame: int | None) -> str:
    from filmscore.timecode import format_label

    return "" if frame is None else format_label(frame, pctx.rate)


def _comp_view(pctx, spec) -> dict:
    """A comp version as the page lists it."""
    return {
        "number": spec.number, "edit_list": spec.edit_list(), "proposed": spec.proposed,
        "author": spec.author, "notes": spec.notes, "flagged": spec.flagged,
        "crossfade_ms": f"{spec.crossfade_ms:g}", "tempo_map": spec.tempo_map_version,
        "rendered": spec.rendered, "stems": [f.stem for f in spec.files],
        "length": _length(pctx, spec.frames) if spec.frames else "",
        "segments": [{"take": s.take, "bars": f"{s.from_text}-{s.to_text}",
                      "start": _timecode(pctx, a + spec.cue_start_sample),
                      "end": _timecode(pctx, b + spec.cue_start_sample)}
                     for s, (a, b) in zip(spec.segments, spec.segment_samples, strict=False)],
    }


def _mixing_page(request: Request, number: str, *, comp: int | None = None,
                 batch: str | None = None, form: str = "", error: str = "",
                 values: dict | None = None, status_code: int = 200):
    from filmscore.cueview import cue_overview, relative_path
    from filmscore.jobs import batch_status, live_workers
    from filmscore.mixing.board import comp_board
    from filmscore.mixing.comp_render import stem_order
    from filmscore.mixing.comps import comps
    from filmscore.mixing.mixes import mixes
    from filmscore.mixing.vocabulary import LAYOUTS

    pctx = _pctx(request)
    view = cue_overview(pctx, number)
    cue = view.form.cue
    number = str(cue.number)
    versions = comps(pctx, number)
    current = None
    if versions:
        current = versions[-1]
        if comp is not None:
            chosen = [c for c in versions if c.number == comp]
            if not chosen:
                raise NotFoundError(f"no comp v{comp} of cue {number} (versions: "
                                    f"{', '.join(str(c.number) for c in versions)})")
            current = chosen[0]
    board, board_error = None, ""
    try:
        board = comp_board(pctx, number, current)
    except FilmscoreError as exc:
        board_error = str(exc)
    takes = {t.number: t for t in view.files.takes}
    stems: list[str] = []
    if current is not None:
        used = {s.take for s in current.segments}
        stems = stem_order({link.label for t in used if t in takes
                            for link in takes[t].stems} | {f.stem for f in current.files})
    status, workers = None, None
    if batch:
        try:
            status = batch_status(pctx, batch)
        except NotFoundError:
            status = None
        else:
            workers = live_workers(pctx)

    def link(media):
        return {"label": media.label,
                "url": f"/cues/{number}/media/{quote(relative_path(pctx, media))}"}

    ctx = {
        "cue": cue, "number": number, "status": view.form.status,
        "start": _frame(pctx, cue.start_frame), "end": _frame(pctx, cue.end_frame),
        "board": board, "board_error": board_error,
        "comps": [_comp_view(pctx, c) for c in reversed(versions)],
        "current": _comp_view(pctx, current) if current is not None else None,
        "current_spec": current, "stems": stems,
        "excerpt_seconds": EXCERPT_SECONDS,
        "take_players": [{"number": t.number, "kind": t.kind, "circled": t.circled,
                          "stems": [link(s) for s in t.stems]} for t in view.files.takes],
        "mixes": [_mix_view(pctx, m) for m in reversed(mixes(pctx, number))],
        "mix_stems": _mix_stems(stems), "layouts": list(LAYOUTS),
        "batch": status, "workers": workers, "allowed": _allowed(request),
        "form": form, "error": error, "values": values or {},
    }
    return page(request, "mixing.html", ctx, status_code=status_code)


@router.get("/cues/{number}/mixing")
def mixing_page(number: str, request: Request, comp: Number | None = None,
                batch: str | None = None, user=Depends(Allow("view"))):
    """A cue's takes laid out by bars with its comp (``?comp=N``: another version) and,
    with ``?batch=``, the progress of a render started here."""
    return _mixing_page(request, number, comp=comp, batch=batch)


def _crossfade(values: dict) -> float | None:
    text = str(values.get("crossfade_ms", "")).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError("not a crossfade length", field="crossfade_ms", value=text,
                         valid="0 (a butt splice) or more milliseconds") from None
    if value < 0 or value != value:
        raise InputError("not a crossfade length", field="crossfade_ms", value=text,
                         valid="0 (a butt splice) or more milliseconds")
    return value


def _back(number: str, **query) -> RedirectResponse:
    tail = "&".join(f"{k}={v}" for k, v in query.items() if v is not None)
    return RedirectResponse(f"/cues/{number}/mixing{'?' + tail if tail else ''}#comp",
                            status_code=303)


@router.post("/cues/{number}/mixing/propose")
async def propose(number: str, request: Request, user=Depends(Allow("mix"))):
    """Propose a new comp from the circled takes (fewest edits)."""
    from filmscore.mixing.comps import propose_comp

    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        spec = propose_comp(_pctx(request), number, crossfade_ms=_crossfade(values),
                            author=user.name)
    except InputError as exc:
        return _mixing_page(request, number, form="propose", error=str(exc),
                            values=values, status_code=422)
    return _back(spec.cue)


@router.post("/cues/{number}/mixing/set")
async def set_edits(number: str, request: Request, user=Depends(Allow("mix"))):
    """Store an edit list (``1-12=4 13-20=7``) as the next comp version."""
    from filmscore.mixing.comps import set_comp

    values = {k: str(v) for k, v in (await request.form()).items()}
    items = values.get("edits", "").replace(",", " ").split()
    try:
        spec = set_comp(_pctx(request), number, items, crossfade_ms=_crossfade(values),
                        notes=values.get("notes", "").strip(), author=user.name)
    except InputError as exc:
        return _mixing_page(request, number, form="set", error=str(exc),
                            values=values, status_code=422)
    return _back(spec.cue)


@router.post("/cues/{number}/mixing/render")
async def render(number: str, request: Request, user=Depends(Allow("mix"))):
    """Render a comp version (the form's ``version``, else the latest) as a background job;
    the page follows its progress."""
    from filmscore import jobs
    from filmscore.mixing.comps import comp_of

    pctx = _pctx(request)
    values = {k: str(v) for k, v in (await request.form()).items()}
    text = values.get("version", "").strip()
    if text and not is_digits(text):
        raise InputError("not a comp version", field="version", value=text,
                         valid="a version number: 1, 2 ...")
    spec = comp_of(pctx, number, int(text) if text else None)
    batch = jobs.start(pctx, "comp", [spec.cue], {"number": spec.number},
                       started_by=user.name, workers=1)
    if _wants_json(request):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return _back(spec.cue, comp=spec.number, batch=batch)


def _excerpt_path(pctx, number: str, comp: int, edit: int, stem: str) -> Path:
    """The WAV of ``stem`` across edit ``edit`` (1-based) of comp v``comp``, rendered into
    the cache when it is not there yet."""
    from filmscore.fileio import atomic_path
    from filmscore.formats.bwf import Bext, BwfWriter
    from filmscore.mixing.comp_render import render_excerpt
    from filmscore.mixing.comps import comp_of, comp_plan

    if not _STEM.match(stem):
        raise InputError("not a stem name", field="stem", value=stem,
                         valid="letters, digits, _ and -, as the takes were logged")
    spec = comp_of(pctx, number, comp)
    if not 1 <= edit <= len(spec.edits):
        raise NotFoundError(f"{spec.label} has no edit {edit} (edits: "
                            + (f"1 to {len(spec.edits)})" if spec.edits else "none)"))
    plan, audio = comp_plan(pctx, spec.cue, spec.number)
    point = plan.edits[edit - 1]
    half = EXCERPT_SECONDS * plan.sample_rate
    files = sorted((take, name, str(source.path)) for take, stems in audio.items()
                   for name, source in stems.items())
    key = hashlib.sha256(json.dumps(
        [spec.cue, spec.number, edit, stem, point.sample, point.fade_start, point.fade_end,
         plan.cue_start_sample, plan.sample_rate, list(plan.offsets), plan.length, files]
    ).encode()).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9]+", "_", spec.cue).strip("_") or "cue"
    folder = Path(pctx.directory).joinpath(*EXCERPT_FOLDER)
    path = inside(folder, safe_name(f"{slug}_v{spec.number}_edit{edit}_{stem}_{key}",
                                    fallback="excerpt", suffix=".wav"))
    if path.is_file():
        return path
    start = max(point.sample - half, 0)
    samples = render_excerpt(plan, audio, stem, start, point.sample + half)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        bext = Bext(time_reference=plan.cue_start_sample + start,
                    description=f"{spec.label}, {stem}, across the edit at {point.at}",
                    originator_reference=f"{spec.cue} v{spec.number} e{edit}"[:32])
        with BwfWriter(tmp, plan.sample_rate, samples.shape[1], bext=bext) as out:
            out.write(samples)
    return path


@router.get("/cues/{number}/mixing/comps/{comp}/edits/{edit}/{stem}.wav")
def excerpt(number: str, comp: Number, edit: Number, stem: str, request: Request,
            user=Depends(Allow("view"))):
    """One stem of the comp, a few seconds either side of an edit, as WAV."""
    path = _excerpt_path(_pctx(request), number, comp, edit, stem)
    return FileResponse(path, media_type="audio/wav", filename=path.name,
                        content_disposition_type="inline")


@router.get("/cues/{number}/mixing/comps/{comp}/stems/{stem}.wav")
def comp_stem(number: str, comp: Number, stem: str, request: Request,
              user=Depends(Allow("view"))):
    """A rendered stem of a comp version (Range requests answered: the player seeks)."""
    from filmscore.mixing.comps import comp_stem_paths

    return _wav(comp_stem_paths(_pctx(request), number, comp), stem,
                f"comp v{comp} of cue {number}", f"{number}_comp{comp}_{stem}.wav")


# --- mixes ------------------------------------------------------------------------------------

def _db(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _mix_view(pctx, spec) -> dict:
    """A mix version as the page lists it."""
    return {
        "number": spec.number, "comp": spec.comp_number, "layout": spec.layout,
        "lufs": _db(spec.loudness_lufs), "dbtp": _db(spec.true_peak_dbtp),
        "master": f"{spec.master_gain_db:+.2f}", "notes": spec.notes, "author": spec.author,
        "settings": ", ".join(f"{stem} {float(v.get('gain_db', 0)):+g} dB"
                              + (f" pan {float(v.get('pan', 0)):+g}" if v.get("pan") else "")
                              for stem, v in (spec.settings or {}).items()),
        "files": [{"stem": f.stem, "channels": f.channels, "lufs": _db(f.loudness_lufs),
                   "dbtp": _db(f.true_peak_dbtp),
                   "length": _length(pctx, f.frames)} for f in spec.files],
    }


def _mix_stems(stems: list[str]) -> list[str]:
    """The mix's stems the comp's stems go into (their gain and pan are set per mix stem)."""
    from filmscore.mixing.stems import group_stems

    try:
        return list(group_stems(stems))
    except FilmscoreError:
        return list(stems)


def _number(values: dict, name: str, default: float) -> float:
    text = str(values.get(name, "")).strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise InputError("not a number", field=name, value=text,
                         valid="a number, e.g. -3 or 0.5") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError("not a number", field=name, value=text, valid="a finite number")
    return value


@router.post("/cues/{number}/mixing/mix")
async def start_mix(number: str, request: Request, user=Depends(Allow("mix"))):
    """Mix the comp's stems (per-stem gain and pan, a layout) as a background job: the
    next mix version."""
    from filmscore import jobs
    from filmscore.mixing.comps import comp_of
    from filmscore.mixing.mix import check_layout, check_setting

    pctx = _pctx(request)
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    try:
        layout = values.get("layout", "stereo").strip() or "stereo"
        check_layout(layout)
        text = values.get("comp", "").strip()
        if text and not is_digits(text):
            raise InputError("not a comp version", field="comp", value=text,
                             valid="a version number: 1, 2 ...")
        spec = comp_of(pctx, number, int(text) if text else None)
        settings = {}
        for key in values:
            if key.startswith("gain_") or key.startswith("pan_"):
                stem = key.split("_", 1)[1]
                if stem in settings:
                    continue
                setting = {"gain_db": _number(values, f"gain_{stem}", 0.0),
                           "pan": _number(values, f"pan_{stem}", 0.0)}
                check_setting(stem, setting)
                settings[stem] = setting
        ceiling = _number(values, "ceiling_dbtp", -1.0)
    except InputError as exc:
        return _mixing_page(request, number, form="mix", error=str(exc),
                            values=values, status_code=422)
    options = {"layout": layout, "settings": settings, "comp": spec.number,
               "ceiling_dbtp": ceiling, "notes": values.get("notes", "").strip(),
               "author": user.name}
    batch = jobs.start(pctx, "mix", [spec.cue], options, started_by=user.name, workers=1)
    if _wants_json(request):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return RedirectResponse(f"/cues/{spec.cue}/mixing?batch={batch}#mixes", status_code=303)


@router.get("/cues/{number}/mixing/mixes/{mix}/{stem}.wav")
def mix_file(number: str, mix: Number, stem: str, request: Request,
             user=Depends(Allow("view"))):
    """A file of a mix version: one of its stems, or the mix itself (``mix.wav``)."""
    from filmscore.mixing.mixes import mix_paths

    return _wav(mix_paths(_pctx(request), number, mix), stem,
                f"mix v{mix} of cue {number}", f"{number}_mix{mix}_{stem}.wav")


def _wav(paths: dict, stem: str, what: str, filename: str) -> FileResponse:
    """One of ``paths`` (stem -> file) played inline; NotFoundError naming the stems."""
    if stem not in paths:
        raise NotFoundError(f"{what} has no {stem!r} stem (stems: {', '.join(paths)})")
    return FileResponse(paths[stem], media_type="audio/wav", filename=filename,
                        content_disposition_type="inline")


# --- the delivery list ---------------------------------------------------------------------

@router.get("/delivery")
def delivery(request: Request, batch: str | None = None, user=Depends(Allow("view"))):
    """What goes to the dub and to the societies: the delivery folder's files (and, with
    ``?batch=``, the progress of a delivery started here), the PRO cue sheet (and why it
    cannot be made yet)."""
    from filmscore.jobs import batch_status, live_workers
    from filmscore.rights.service import pro_cue_sheet

    pctx = _pctx(request)
    status, workers = None, None
    if batch:
        try:
            status, workers = batch_status(pctx, batch), live_workers(pctx)
        except NotFoundError:
            status = None
    delivered, others = _delivered(pctx)
    sheet, problem = None, ""
    try:
        sheet = pro_cue_sheet(pctx)
    except FilmscoreError as exc:
        problem = str(exc)
    return page(request, "delivery.html", {
        "sheet": sheet, "problem": problem, "formats": list(CUESHEET_TYPES),
        "folder": CUESHEET_FOLDER, "delivered": delivered, "others": others,
        "dub_folder": DELIVERY_FOLDER, "batch": status, "workers": workers,
        "allowed": _allowed(request)})


@router.get("/delivery/cuesheet.{fmt}")
def cuesheet_file(fmt: str, request: Request, user=Depends(Allow("view"))):
    """The PRO cue sheet as CSV, PDF or XML, written now into the project's
    ``cuesheet/`` folder (so it is never stale) and sent."""
    from filmscore.rights.service import write_pro_cue_sheet

    if fmt not in CUESHEET_TYPES:
        raise InputError("unknown cue-sheet format", field="format", value=fmt,
                         valid=", ".join(CUESHEET_TYPES))
    pctx = _pctx(request)
    (path,) = write_pro_cue_sheet(pctx, Path(pctx.directory) / CUESHEET_FOLDER,
                                  formats=(fmt,))
    return FileResponse(path, media_type=CUESHEET_TYPES[fmt], filename=path.name)


#: the folder of the project the delivery to the dub is written into (deliver's default)
DELIVERY_FOLDER = "delivery"


def _delivered(pctx) -> tuple[list[dict], list[str]]:
    """The delivery folder's audio files as its report lists them, and its other files
    (timelines, reports), or nothing when there is no delivery yet."""
    import csv

    from filmscore.mixing.deliver import REPORT

    folder = Path(pctx.directory) / DELIVERY_FOLDER
    report = folder / f"{REPORT}.csv"
    if not report.is_file():
        return [], []
    # the report's own columns (formats.delivery_csv.COLUMNS); it is written, not read,
    # by the library: csv.DictReader reads it back
    with open(report, newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("file")]
    listed = {row["file"] for row in rows}
    others = sorted(p.name for p in folder.iterdir()
                    if p.is_file() and not p.name.startswith(".") and p.name not in listed)
    return rows, others


@router.post("/delivery/deliver")
async def start_delivery(request: Request, user=Depends(Allow("mix"))):
    """Deliver every placed, mixed cue to the project's ``delivery/`` folder as a
    background job (one job: the folder is written all or nothing)."""
    from filmscore import jobs

    pctx = _pctx(request)
    batch = jobs.start(pctx, "deliver", [jobs.FILM], {}, started_by=user.name, workers=1)
    if _wants_json(request):
        return JSONResponse(jobs.batch_status(pctx, batch).as_json(), status_code=202)
    return RedirectResponse(f"/delivery?batch={batch}#dub", status_code=303)
