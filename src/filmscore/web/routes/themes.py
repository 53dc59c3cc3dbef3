"""The themes page: every theme and variant, a preview to listen to, where each appears."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from filmscore.web.app import page
from filmscore.web.security import Allow

router = APIRouter()


@router.get("/themes")
def themes_page(request: Request, wide: bool = False, user=Depends(Allow("view"))):
    """Every theme with its variants under it, a player each, and where it appears
    (``?wide=1``: the wide reading, every place it may be heard)."""
    from filmscore.writing.concordance import found_as, heard_within, within_words
    from filmscore.writing.service import list_themes, theme_usage
    from filmscore.writing.themesearch import MIN_SCORE, WIDE_SCORE

    pctx = request.app.state.pctx
    themes = list_themes(pctx)
    usage = theme_usage(pctx, wide=wide)
    children: dict[str | None, list] = {}
    for theme in themes:
        parent = theme.parent if theme.parent in {t.name for t in themes} else None
        children.setdefault(parent, []).append(theme)
    rows = []

    def walk(parent: str | None, depth: int) -> None:
        for theme in children.get(parent, []):
            rows.append({"name": theme.name, "stands_for": theme.stands_for,
                         "kind": theme.kind, "parent": theme.parent,
                         "transformation": theme.transformation, "notes": theme.notes,
                         "depth": depth, "preview": f"/themes/{quote(theme.name, safe='')}"
                                                    f"/preview.wav",
                         "uses": [{"cue": u.cue, "bar": u.bar, "beat": u.beat,
                                   "timecode": u.timecode, "part": u.part,
                                   "doubled_by": ", ".join(u.doubled_by),
                                   "transform": found_as(u),
                                   "score": f"{u.score:.2f}",
                                   "verdict": u.verdict}
                                  for u in usage.get(theme.name, [])],
                         "within": within_words(heard_within(
                             (u for uses in usage.values() for u in uses), theme.name))})
            walk(theme.name, depth + 1)

    walk(None, 0)
    return page(request, "themes.html", {"themes": rows, "wide": wide,
                                         "min_score": MIN_SCORE, "wide_score": WIDE_SCORE})


@router.get("/themes/{name}/preview.wav")
def theme_preview(name: str, request: Request, user=Depends(Allow("view"))):
    """The theme's audio preview (rendered on first request into the project's web-cache)."""
    from filmscore.writing.service import theme_preview as preview

    return FileResponse(preview(request.app.state.pctx, name), media_type="audio/wav")
