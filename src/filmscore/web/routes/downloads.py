"""Downloads: every report the project can give, made on demand in a scratch folder, and
the files of the project folder (audio and video with HTTP Range), nothing outside it."""

from __future__ import annotations

import shutil

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from filmscore.web.app import SECRET_FILE, page
from filmscore.web.security import Allow

router = APIRouter()


@router.get("/downloads")
def downloads(request: Request, user=Depends(Allow("view"))):
    """The list of reports and of the project folder's files."""
    from filmscore.overview.reports import REPORTS, available_reports, by_subject, project_files

    reports = available_reports(request.app.state.pctx)
    return page(request, "downloads.html", {
        "kinds": [(spec, by_subject(reports, kind)) for kind, spec in REPORTS.items()],
        "files": project_files(request.app.state.project_dir)})


@router.get("/downloads/{name}")
def download_report(request: Request, name: str, of: str = "",
                    user=Depends(Allow("view"))):
    """One report (``/downloads/clicksheet.pdf?of=1M1``), made now, sent, then removed."""
    from filmscore.overview.reports import make_report

    report, path = make_report(request.app.state.pctx, name, of)
    return FileResponse(path, media_type=report.media_type, filename=path.name,
                        background=BackgroundTask(shutil.rmtree, path.parent,
                                                  ignore_errors=True))


@router.get("/files/{path:path}")
def project_file(request: Request, path: str, user=Depends(Allow("view"))):
    """A file of the project folder (Range requests answered: audio and video seek)."""
    from filmscore.overview.reports import INLINE_SUFFIXES
    from filmscore.overview.reports import project_file as find

    target = find(request.app.state.project_dir, path, private=(SECRET_FILE,))
    shown = target.suffix.lower() in INLINE_SUFFIXES
    return FileResponse(target, filename=target.name,
                        content_disposition_type="inline" if shown else "attachment")
