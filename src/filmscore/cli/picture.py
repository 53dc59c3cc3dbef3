"""`filmscore picture ...`: import cuts and list picture versions, reels and markers."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.limits import is_digits
from filmscore.timecode import format_duration, format_label

picture_app = typer.Typer(help="Picture versions: import a cut, list versions and markers.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(picture_app, name="picture")


@picture_app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="EDL, Final Cut 7/Premiere XML, .otio, or video."),
    name: str | None = typer.Option(None, "--name", help="Name of this picture version."),
    video: Path | None = typer.Option(None, "--video", help="The cut's reference video: its "
                                      "length is checked and its shot changes become markers."),
    shots: bool = typer.Option(True, "--shots/--no-shots",
                               help="Detect shot changes in a video file (ffmpeg)."),
    subtitles: list[Path] = typer.Option([], "--subtitles",
                                         help="SRT file(s) whose lines become dialogue markers."),
    note: str = typer.Option("", "--note", help="Why this version (e.g. 'director's cut')."),
) -> None:
    """Import a cut as the next picture version (v1, v2, ...)."""
    from filmscore.spotting.service import import_picture

    pctx = open_ctx(ctx)
    with working(f"reading {file.name}") as report:
        pv = import_picture(pctx, file, name=name, shots=shots, video=video,
                            subtitles=subtitles or None, note=note, progress=report.step)
    _print(pv)
    for warning in pv.warnings:
        console.print(f"warning: {warning}")


def _print(pv) -> None:
    rate = pv.rate
    console.print(
        f"v{pv.number} {pv.name}: {pv.source_kind} {pv.source_name}, {pv.events} events, "
        f"{format_label(pv.start_frame, rate)} to {format_label(pv.end_frame, rate)} "
        f"({format_duration(pv.duration_frames, rate)})"
    )
    rows = [[str(n), name, format_label(s, rate), format_duration(d, rate)]
            for n, name, s, d in pv.reels]
    console.print(table(None, ["reel", "name", "start", "length"], rows, right=("length",)))
    if pv.markers:
        console.print("markers: " + ", ".join(f"{k} {v}" for k, v in sorted(pv.markers.items())))


@picture_app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the picture versions."""
    from filmscore.spotting.service import list_pictures

    pctx = open_ctx(ctx)
    rows = [[f"v{p.number}", p.name, p.source_kind, p.source_name, str(p.events),
             format_label(p.start_frame, p.rate), format_duration(p.duration_frames, p.rate)]
            for p in list_pictures(pctx)]
    console.print(table("Picture versions", ["version", "name", "kind", "source", "events",
                                             "start", "length"], rows))


@picture_app.command("show")
def show(ctx: typer.Context,
         version: str = typer.Argument("", help="v1, v2 ... (default: the latest)")) -> None:
    """Show one picture version with its reels."""
    from filmscore.spotting.service import picture_summary

    pctx = open_ctx(ctx)
    _print(picture_summary(pctx, _version_number(version)))


@picture_app.command("markers")
def markers(ctx: typer.Context,
            version: str = typer.Argument("", help="v1, v2 ... (default: the latest)"),
            kind: list[str] = typer.Option([], "--kind",
                                           help="Only these kinds: shot, dialogue, marker, scene.")
            ) -> None:
    """List a picture version's markers: shot changes, dialogue lines, locators."""
    from filmscore.spotting.service import picture_markers

    pctx = open_ctx(ctx)
    rows = [[format_label(m.frame, pctx.rate), m.kind, m.text.replace("\n", " / ")]
            for m in picture_markers(pctx, _version_number(version), tuple(kind))]
    console.print(table(None, ["timecode", "kind", "text"], rows))


def _version_number(text: str) -> int | None:
    from filmscore.errors import InputError

    if not text:
        return None
    digits = text.lower().removeprefix("v")
    if not is_digits(digits):
        raise InputError("not a picture version", field="version", value=text,
                         valid="v1, v2, ... or 1, 2, ...")
    return int(digits)
