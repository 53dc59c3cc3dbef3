"""`filmscore cue|sync|spotting ...`: the spotting session from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx
from filmscore.timecode import format_duration, format_label, parse_label

cue_app = typer.Typer(help="Cues: add, edit, list, move, remove, renumber.",
                      no_args_is_help=True)
sync_app = typer.Typer(help="Sync points inside a cue: add, list, remove.", no_args_is_help=True)
spotting_app = typer.Typer(help="Spotting lists: import (CSV, Pro Tools text), export "
                           "(CSV, PDF), print.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(cue_app, name="cue")
    app.add_typer(sync_app, name="sync")
    app.add_typer(spotting_app, name="spotting")


def _named(spec) -> str:
    """'1M1 Main Title', or just '1M1' when the cue has no title."""
    return f"{spec.number} {spec.title}" if spec.title else str(spec.number)


def _tc(text: str | None, rate, field: str) -> int | None:
    return None if text is None else parse_label(text, rate, field=field)


@cue_app.command("add")
def cue_add(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="Cue number, e.g. 1M1, 2M3A, 1M4s (source)."),
    start: str = typer.Option(..., "--start", help="Timecode where the cue starts."),
    end: str = typer.Option(..., "--end", help="Timecode where the cue ends."),
    title: str = typer.Option("", "--title", "-t", help="Cue title."),
    notes: str = typer.Option("", "--notes", help="Why the cue is there; what it must do."),
    mood: str = typer.Option("", "--mood", help="What it should feel like."),
    instrumentation: str = typer.Option("", "--instrumentation",
                                        help="Instruments or ensemble wanted."),
    temp_track: str = typer.Option("", "--temp-track", help="Temp music file it replaces."),
    temp_in: str | None = typer.Option(None, "--temp-in", help="In point in the temp file."),
    temp_out: str | None = typer.Option(None, "--temp-out", help="Out point in the temp file."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap",
                                       help="Allow this cue to overlap another score cue."),
) -> None:
    """Spot a new cue."""
    from filmscore.spotting.cues import CueSpec, parse_cue_number
    from filmscore.spotting.service import add_cue

    pctx = open_ctx(ctx)
    rate = pctx.rate
    spec = CueSpec(
        number=parse_cue_number(number), title=title,
        start_frame=parse_label(start, rate, field="start"),
        end_frame=parse_label(end, rate, field="end"),
        notes=notes, mood=mood, instrumentation=instrumentation, temp_track=temp_track,
        temp_in=_tc(temp_in, rate, "temp-in"), temp_out=_tc(temp_out, rate, "temp-out"),
    )
    add_cue(pctx, spec, allow_overlap=allow_overlap)
    console.print(f"Added {_named(spec)}, {start} to {end} "
                  f"({format_duration(spec.end_frame - spec.start_frame, rate)}).")


@cue_app.command("edit")
def cue_edit(
    ctx: typer.Context,
    number: str = typer.Argument(...),
    new_number: str | None = typer.Option(None, "--number", help="Give the cue a new number."),
    title: str | None = typer.Option(None, "--title", "-t", help="New title."),
    notes: str | None = typer.Option(None, "--notes", help="New notes (why, what it does)."),
    mood: str | None = typer.Option(None, "--mood", help="New mood (what it should feel like)."),
    instrumentation: str | None = typer.Option(None, "--instrumentation",
                                               help="New instrumentation."),
    temp_track: str | None = typer.Option(None, "--temp-track", help="New temp track file."),
    temp_in: str | None = typer.Option(None, "--temp-in", help="In point in the temp file."),
    temp_out: str | None = typer.Option(None, "--temp-out",
                                        help="Out point in the temp file."),
    end: str | None = typer.Option(None, "--end", help="New end timecode (start: use move)."),
    status: str | None = typer.Option(None, "--status",
                                      help="Cue status, e.g. spotted, sketched, approved."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap",
                                       help="Allow score cues to overlap on purpose."),
) -> None:
    """Change a cue's title, notes, temp track, end or number."""
    from filmscore.spotting.service import edit_cue

    pctx = open_ctx(ctx)
    rate = pctx.rate
    spec = edit_cue(
        pctx, number, new_number=new_number, allow_overlap=allow_overlap, title=title,
        notes=notes, mood=mood, instrumentation=instrumentation, temp_track=temp_track,
        temp_in=_tc(temp_in, rate, "temp-in"), temp_out=_tc(temp_out, rate, "temp-out"),
        end_frame=_tc(end, rate, "end"), status=status,
    )
    console.print(f"Changed {_named(spec)}, {format_label(spec.start_frame, rate)}"
                  f" to {format_label(spec.end_frame, rate)}.")


@cue_app.command("move")
def cue_move(
    ctx: typer.Context,
    number: str = typer.Argument(...),
    start: str = typer.Option(..., "--start", help="New start timecode; sync points follow."),
    end: str | None = typer.Option(None, "--end", help="New end (default: keep the length)."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap",
                                       help="Allow score cues to overlap on purpose."),
) -> None:
    """Move a cue in time; its sync points move with it."""
    from filmscore.spotting.service import move_cue

    pctx = open_ctx(ctx)
    rate = pctx.rate
    spec = move_cue(pctx, number, start_frame=parse_label(start, rate, field="start"),
                    end_frame=_tc(end, rate, "end"), allow_overlap=allow_overlap)
    console.print(f"Moved {spec.number} to {format_label(spec.start_frame, rate)}"
                  f"-{format_label(spec.end_frame, rate)}.")


@cue_app.command("remove")
def cue_remove(ctx: typer.Context, number: str = typer.Argument(...)) -> None:
    """Remove a cue and its sync points."""
    from filmscore.spotting.service import remove_cue

    spec = remove_cue(open_ctx(ctx), number)
    console.print(f"Removed {_named(spec)}.")


@cue_app.command("renumber")
def cue_renumber(
    ctx: typer.Context,
    across_reels: bool = typer.Option(False, "--across-reels",
                                      help="Number on across reels (2M5 after 1M4)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would change."),
) -> None:
    """Renumber cues in picture order (after inserts such as 2M3A)."""
    from filmscore.spotting.service import renumber_cues

    mapping = renumber_cues(open_ctx(ctx), per_reel=not across_reels, dry_run=dry_run)
    changed = {o: n for o, n in mapping.items() if o != n}
    for old, new in changed.items():
        console.print(f"{old} -> {new}")
    verb = "would change" if dry_run else "changed"
    console.print(f"{len(changed)} cue numbers {verb}.")


@cue_app.command("list")
def cue_list(ctx: typer.Context) -> None:
    """The spotting list with totals per reel and for the film."""
    from filmscore.cli.report import spotting_tables
    from filmscore.spotting.service import list_cues

    pctx = open_ctx(ctx)
    for item in spotting_tables(list_cues(pctx), pctx.rate, title=pctx.title):
        console.print(item)


@cue_app.command("show")
def cue_show(ctx: typer.Context, number: str = typer.Argument(...)) -> None:
    """One cue with its notes and sync points."""
    from filmscore.cli.report import cue_detail
    from filmscore.spotting.service import get_cue

    pctx = open_ctx(ctx)
    for item in cue_detail(get_cue(pctx, number), pctx.rate):
        console.print(item)


@sync_app.command("add")
def sync_add(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    at: str = typer.Argument(..., help="Timecode of the sync point."),
    kind: str = typer.Option("hard", "--kind", help="hard, soft, downbeat or end."),
    weight: float = typer.Option(1.0, "--weight", help="Importance: 1 normal, 2 high."),
    description: str = typer.Option("", "--description", "-d", help="What happens on screen."),
) -> None:
    """Add a sync point (a hit) inside a cue."""
    from filmscore.spotting.cues import SyncSpec, parse_sync_kind
    from filmscore.spotting.service import add_sync

    pctx = open_ctx(ctx)
    sp = SyncSpec(frame=parse_label(at, pctx.rate, field="at"), description=description,
                  kind=str(parse_sync_kind(kind)), weight=weight)
    spec = add_sync(pctx, cue, sp)
    console.print(f"{spec.number}: {len(spec.sync_points)} sync points.")


@sync_app.command("list")
def sync_list(ctx: typer.Context, cue: str = typer.Argument(...)) -> None:
    """A cue's sync points, numbered in time order."""
    cue_show(ctx, cue)


@sync_app.command("remove")
def sync_remove(ctx: typer.Context, cue: str = typer.Argument(...),
                index: int = typer.Argument(..., help="Number shown by 'sync list'.")) -> None:
    """Remove a sync point from a cue."""
    from filmscore.spotting.service import remove_sync

    pctx = open_ctx(ctx)
    gone = remove_sync(pctx, cue, index)
    console.print(f"Removed {gone.kind} hit at {format_label(gone.frame, pctx.rate)}.")


@spotting_app.command("import")
def spotting_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Spotting CSV, or a Pro Tools session text export."),
    replace: bool = typer.Option(False, "--replace", help="Replace the whole cue list."),
    cue_track: list[str] = typer.Option([], "--cue-track",
                                        help="Pro Tools: track whose clips become cues."),
    sync_track: list[str] = typer.Option([], "--sync-track",
                                         help="Pro Tools: track whose clips become sync points."),
    markers: str = typer.Option("sync", "--markers",
                                help="Pro Tools memory locations become: sync, cues, ignore."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap",
                                       help="Allow score cues to overlap on purpose."),
) -> None:
    """Import a spotting list; all of it is written, or none."""
    from filmscore.errors import InputError
    from filmscore.spotting.exchange import read_spotting
    from filmscore.spotting.service import import_cues

    pctx = open_ctx(ctx)
    cues = read_spotting(file, rate=pctx.rate, cue_tracks=cue_track or None,
                         sync_tracks=sync_track or None, markers_as=markers)
    try:
        import_cues(pctx, cues, replace_all=replace, allow_overlap=allow_overlap)
    except InputError as error:  # checked against the project: name the file it came from
        raise error.located(source=str(file)) from None
    console.print(f"Imported {len(cues)} cues and "
                  f"{sum(len(c.sync_points) for c in cues)} sync points from {file.name}.")


@spotting_app.command("export")
def spotting_export(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Output: .csv or .pdf"),
) -> None:
    """Write the spotting list as CSV or as a printable PDF."""
    from filmscore.spotting.exchange import write_spotting
    from filmscore.spotting.service import list_cues, list_pictures

    pctx = open_ctx(ctx)
    pictures = list_pictures(pctx)
    picture_name = f"v{pictures[-1].number} {pictures[-1].name}" if pictures else ""
    write_spotting(list_cues(pctx), file, pctx, picture_name=picture_name)
    console.print(f"Wrote {file}.")


@spotting_app.command("list")
def spotting_list(ctx: typer.Context) -> None:
    """Print the spotting list with totals (same as 'cue list')."""
    cue_list(ctx)
