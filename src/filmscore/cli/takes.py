"""`filmscore take` and `filmscore takes`: the take log on the stage, built for speed.

The common case is one short line, ``filmscore take 1M2 --circle``: ``take`` logs by
default, and ``take circle|uncircle|note|kind CUE N ...`` change a take already logged.
``filmscore takes [CUE]`` lists; ``takes sheet|export|numbering`` do the rest.
"""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperGroup

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.recording.takelog import TakeSpec
from filmscore.recording.vocabulary import TAKE_NUMBERING, TAKE_TYPES
from filmscore.timecode import format_label


class _DefaultGroup(TyperGroup):
    """A group whose first word, when it is not one of its commands, is the first
    argument of its default command (``take 1M2`` is ``take log 1M2``)."""

    default_command = ""

    def parse_args(self, ctx, args):  # type: ignore[override]
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class _TakeGroup(_DefaultGroup):
    default_command = "log"

    def parse_args(self, ctx, args):  # type: ignore[override]
        if not args:  # `filmscore take` alone: its help
            args = ["--help"]
        return super().parse_args(ctx, args)


class _TakesGroup(_DefaultGroup):
    default_command = "list"


take_app = typer.Typer(cls=_TakeGroup, help=(
    "Log a take: filmscore take CUE [--bars 12-20] [--kind pickup] [--circle] "
    "[--note TEXT] [--tc TC] [--audio STEM=FILE ...]; or change one: take circle|uncircle|"
    "note|kind CUE N."))
takes_app = typer.Typer(cls=_TakesGroup, help=(
    "The take log: filmscore takes [CUE] lists; takes sheet|export|numbering."))


def _line(spec: TakeSpec, extra: str = "") -> str:
    return spec.line() + extra


@take_app.command("log")
def log(ctx: typer.Context,
        cue: str = typer.Argument(..., help="The cue, e.g. 1M2."),
        bars: str = typer.Option(None, "--bars", "-b", help="Bars covered, e.g. 12-20 "
                                 "(default: the whole cue)."),
        kind: str = typer.Option(None, "--kind", "-k", help="One of: "
                                 f"{', '.join(TAKE_TYPES)} (default complete, or what the "
                                 "WAV's iXML says)."),
        circle: bool = typer.Option(None, "--circle/--no-circle", "-c",
                                    help="Circle it (a print)."),
        note: str = typer.Option(None, "--note", "-n", help="What happened in the take."),
        section: str = typer.Option("", "--section", help="e.g. 'strings only', 'letter C'."),
        tc: str = typer.Option(None, "--tc", help="Record timecode at the project rate, "
                               "e.g. 01:02:03:04."),
        session: str = typer.Option(None, "--session", "-s", help="The session (default: the "
                                    "one under way now, else none)."),
        audio: list[str] = typer.Option(None, "--audio", "-a", help="STEM=FILE or FILE (the "
                                        "stem is then the file's name); repeat per stem."),
        number: int = typer.Option(None, "--number", help="The take number (default: the "
                                   "next)."),
        by: str = typer.Option("", "--by", help="Who logged it.")) -> None:
    """Log a take of CUE (prints one line: '1M2 take 4 (pickup, bars 12-20) circled')."""
    from filmscore.recording.takes import log_take

    with open_ctx(ctx) as pctx, working("storing the take's audio", enabled=bool(audio)):
        spec = log_take(pctx, cue, number=number, kind=kind, circled=circle, bars=bars,
                        section=section, notes=note, tc=tc, session=session, audio=audio,
                        logged_by=by)
    extra = f" [{len(spec.stems)} stem{'s' if len(spec.stems) != 1 else ''}]" if spec.stems \
        else ""
    console.print(_line(spec, extra))


@take_app.command("circle")
def circle(ctx: typer.Context, cue: str = typer.Argument(...),
           number: int = typer.Argument(...)) -> None:
    """Circle take N of CUE (a circled pickup marks its pickup recorded)."""
    from filmscore.recording.takes import circle_take

    with open_ctx(ctx) as pctx:
        console.print(_line(circle_take(pctx, cue, number, True)))


@take_app.command("uncircle")
def uncircle(ctx: typer.Context, cue: str = typer.Argument(...),
             number: int = typer.Argument(...)) -> None:
    """Take the circle off take N of CUE."""
    from filmscore.recording.takes import circle_take

    with open_ctx(ctx) as pctx:
        console.print(_line(circle_take(pctx, cue, number, False)))


@take_app.command("note")
def note_(ctx: typer.Context, cue: str = typer.Argument(...),
          number: int = typer.Argument(...), text: str = typer.Argument(...),
          append: bool = typer.Option(False, "--append", help="Add to the notes.")) -> None:
    """Set the notes of take N of CUE."""
    from filmscore.recording.takes import note_take

    with open_ctx(ctx) as pctx:
        spec = note_take(pctx, cue, number, text, append=append)
    console.print(_line(spec, f": {spec.notes}"))


@take_app.command("kind")
def kind_(ctx: typer.Context, cue: str = typer.Argument(...),
          number: int = typer.Argument(...),
          kind: str = typer.Argument(..., help=f"One of: {', '.join(TAKE_TYPES)}.")) -> None:
    """Change the type of take N of CUE."""
    from filmscore.recording.takes import set_take_kind

    with open_ctx(ctx) as pctx:
        console.print(_line(set_take_kind(pctx, cue, number, kind)))


@takes_app.command("list")
def list_(ctx: typer.Context, cue: str = typer.Argument(None, help="Only this cue.")) -> None:
    """Every take (of one cue), with its status."""
    from filmscore.recording.takes import list_takes

    with open_ctx(ctx) as pctx:
        specs = list_takes(pctx, cue)
        rate = pctx.rate
    rows = [[s.cue, str(s.number), s.kind, s.bars or "all", "◯" if s.circled else "",
             format_label(s.timecode_frame, rate) if s.timecode_frame is not None else "",
             s.session or "", ", ".join(s.stems), s.notes] for s in specs]
    console.print(table(f"{len(specs)} takes", ["cue", "take", "type", "bars", "circled",
                                                "timecode", "session", "stems", "notes"],
                        rows, right=("take",)))


@takes_app.command("sheet")
def sheet(ctx: typer.Context,
          csv: Path = typer.Option(None, "--csv", help="Write the cue sheet as CSV."),
          pdf: Path = typer.Option(None, "--pdf", help="Write the cue sheet as PDF.")) -> None:
    """The cue sheet: every cue's takes, what is still to record, minutes per day."""
    from filmscore.formats.cuesheet_csv import minutes
    from filmscore.recording.takes import take_sheet, write_take_sheet

    with open_ctx(ctx) as pctx:
        written = write_take_sheet(pctx, csv=csv, pdf=pdf) if (csv or pdf) else []
        result = take_sheet(pctx)
        rate = pctx.rate
    rows = [[c.cue.number, str(len(c.takes)), ", ".join(map(str, c.circled)),
             "; ".join(c.remaining) or "done"] for c in result.cues]
    console.print(table("cue sheet", ["cue", "takes", "circled", "to record"], rows,
                        right=("takes",)))
    for day in result.days:
        console.print(f"{day.day:%a %Y-%m-%d}: recorded {minutes(day.recorded_frames, rate)}"
                      f" of {minutes(day.planned_frames, rate)} min planned")
    for path in written:
        console.print(f"wrote {path}")


@takes_app.command("export")
def export(ctx: typer.Context, folder: Path = typer.Argument(..., help="Where to write."),
           circled: bool = typer.Option(False, "--circled", help="Circled takes only."),
           cue: str = typer.Option(None, "--cue", help="Only this cue.")) -> None:
    """Copy the takes' audio into FOLDER as WAV files with iXML (CIRCLED, TAKE_TYPE, ...)."""
    from filmscore.recording.takes import export_takes

    with open_ctx(ctx) as pctx, working("writing the takes with iXML"):
        written = export_takes(pctx, folder, circled_only=circled, cue=cue)
    console.print(f"wrote {len(written)} files with iXML to {folder}")


@takes_app.command("numbering")
def numbering(ctx: typer.Context, how: str = typer.Argument(
        None, help=f"One of: {', '.join(TAKE_NUMBERING)} (none: show it).")) -> None:
    """How takes are numbered: from 1 in every cue, or one count across the project."""
    from filmscore.recording.takes import set_take_numbering, take_numbering

    with open_ctx(ctx) as pctx:
        value = set_take_numbering(pctx, how) if how else take_numbering(pctx)
    console.print(f"takes are numbered {'per cue' if value == 'cue' else 'across the project'}"
                  f" ({value})")


def register(app: typer.Typer) -> None:
    app.add_typer(take_app, name="take")
    app.add_typer(takes_app, name="takes")
