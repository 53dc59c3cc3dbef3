"""`filmscore conform ...`: compare two picture versions into a change list, apply it so
the cues follow the new cut, and list and show change lists with the cues they flagged
(thin: the work is in filmscore.conform)."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table
from filmscore.limits import is_digits
from filmscore.timecode import format_label

conform_app = typer.Typer(help="Conform: when the picture is re-cut, the music follows "
                          "(compare two cuts, apply the change list, fix the music).",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(conform_app, name="conform")


def _version(text: str, field: str) -> int:
    from filmscore.errors import InputError

    digits = text.strip().lower().removeprefix("v")
    if not is_digits(digits) or int(digits) < 1:
        raise InputError("not a picture version", field=field, value=text,
                         valid="v1, v2, ... or 1, 2, ...")
    return int(digits)


def _tc(frame: int | None, rate) -> str:
    return "—" if frame is None else format_label(frame, rate)


def _signed(frames: int | None) -> str:
    return "—" if frames is None else f"{frames:+d}"


def _print_changes(changes, rate) -> None:
    rows = [[str(i), c.kind, c.clip, c.reel, _tc(c.old_in, rate), _tc(c.old_out, rate),
             _tc(c.new_in, rate), _tc(c.new_out, rate), _signed(c.frames), _signed(c.delta)]
            for i, c in enumerate(changes.changes, 1)]
    console.print(table(f"{changes.old_name} -> {changes.new_name} ({changes.rate_name} fps)",
                        ["#", "kind", "clip", "reel", "old in", "old out", "new in",
                         "new out", "frames", "delta"], rows,
                        right=("#", "frames", "delta")))
    for warning in changes.warnings:
        console.print(f"warning: {warning}")


def _print_flags(views, rate) -> None:
    if not views:
        console.print("No cue flagged.")
        return
    rows = [[v.cue, v.reason, v.status, _tc(v.flag.old_start, rate),
             _tc(v.flag.new_start, rate), _tc(v.flag.new_end, rate), str(len(v.hits)),
             str(v.worst_off), v.flag.note] for v in views]
    console.print(table("Flagged cues", ["cue", "reason", "status", "old start", "new start",
                                         "new end", "hits", "worst off", "notes"], rows,
                        right=("hits", "worst off")))
    hits = [[v.cue, h.kind, h.description, _tc(h.old_frame, rate), _tc(h.new_frame, rate),
             _tc(h.music_frame, rate),
             "cut out" if h.new_frame is None else _signed(h.off_frames)]
            for v in views if v.needs_fix for h in v.hits]
    if hits:
        console.print(table("Hits of the cues to fix (off: picture minus music, frames)",
                            ["cue", "kind", "what", "old", "picture now", "music now", "off"],
                            hits, right=("off",)))


@conform_app.command("compare")
def compare(
    ctx: typer.Context,
    old: str = typer.Argument(..., help="The old picture version (v1 or 1)."),
    new: str = typer.Argument(..., help="The new picture version (v2 or 2)."),
    convert: bool = typer.Option(False, "--convert", help="Compare cuts at different frame "
                                 "rates, converting the new one to the old one's rate."),
    csv: Path | None = typer.Option(None, "--csv", help="Also write the change list as CSV."),
    edl: Path | None = typer.Option(None, "--edl", help="Also write it as a change EDL."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also write a readable PDF report."),
    html: Path | None = typer.Option(None, "--html", help="Also write an HTML report."),
    note: str = typer.Option("", "--note", help="Why this change list (e.g. 'reel 2 "
                             "recut')."),
    by: str = typer.Option("", "--by", help="Who made it."),
) -> None:
    """Compare picture versions OLD and NEW and store the change list (nothing moves until
    it is applied)."""
    from filmscore.conform.service import compare as compare_versions
    from filmscore.conform.service import export_change_list

    with open_ctx(ctx) as pctx:
        info, changes = compare_versions(pctx, _version(old, "old"), _version(new, "new"),
                                         convert=convert, note=note, author=by)
        _print_changes(changes, pctx.rate)
        console.print(f"Stored change list {info.number}: v{info.old_version} -> "
                      f"v{info.new_version}, {info.changes} changes; apply it with "
                      f"'filmscore conform apply {info.number}'.")
        written = export_change_list(pctx, info.number, csv=csv, edl=edl, pdf=pdf, html=html)
    for path in written:
        console.print(f"Wrote {path}")


@conform_app.command("import")
def import_(ctx: typer.Context,
            file: Path = typer.Argument(..., help="A change-list CSV (as 'conform compare "
                                        "--csv' writes it) made for this project."),
            note: str = typer.Option("", "--note", help="Where it came from."),
            by: str = typer.Option("", "--by", help="Who brought it.")) -> None:
    """Store a change list read from CSV (it must be made for this project)."""
    from filmscore.conform.service import import_change_list

    with open_ctx(ctx) as pctx:
        info, changes = import_change_list(pctx, file, note=note, author=by)
        _print_changes(changes, pctx.rate)
    console.print(f"Stored change list {info.number}: v{info.old_version} -> "
                  f"v{info.new_version}, {info.changes} changes.")


@conform_app.command("apply")
def apply(ctx: typer.Context,
          number: int = typer.Argument(..., help="The change list's number (see 'conform "
                                       "list')."),
          cues_on: str | None = typer.Option(None, "--cues-on", help="The picture version "
                                             "the cues are on now, when it is not the one "
                                             "they were spotted on (only before the first "
                                             "change list is applied)."),
          by: str = typer.Option("", "--by", help="Who applied it.")) -> None:
    """Apply change list N: every cue, sync point and tempo map follows the picture; the
    cues cut into, whose hits moved or whose picture is gone are flagged."""
    from filmscore.conform.service import apply as apply_list

    with open_ctx(ctx) as pctx:
        done = apply_list(pctx, number, author=by,
                          cues_on=None if cues_on is None else _version(cues_on, "cues-on"))
        rate = pctx.rate
    info = done.info
    console.print(f"Applied change list {info.number} (v{info.old_version} -> "
                  f"v{info.new_version}): {done.moved} of {len(done.follows)} cues moved, "
                  f"{info.open_flags} to fix.")
    _print_flags(done.flags, rate)


@conform_app.command("show")
def show(ctx: typer.Context,
         number: int = typer.Argument(..., help="The change list's number.")) -> None:
    """Show change list N: its changes, and the cues it flagged with their hits off."""
    from filmscore.conform.service import flags, get_change_list

    with open_ctx(ctx) as pctx:
        info, changes = get_change_list(pctx, number)
        views = flags(pctx, number)
        rate = pctx.rate
    console.print(f"Change list {info.number}: v{info.old_version} {info.old_name} -> "
                  f"v{info.new_version} {info.new_name}"
                  + (f", {info.note}" if info.note else "")
                  + (f", by {info.author}" if info.author else "") + "; "
                  + (f"applied {info.applied_at:%Y-%m-%d %H:%M} UTC" if info.applied_at
                     else "not applied"))
    _print_changes(changes, rate)
    if info.applied_at is not None:
        _print_flags(views, rate)


@conform_app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the change lists: versions, changes, applied or not, cues to fix."""
    from filmscore.conform.service import change_lists, cues_follow

    with open_ctx(ctx) as pctx:
        infos = change_lists(pctx)
        following = cues_follow(pctx)
    rows = [[str(i.number), f"v{i.old_version} -> v{i.new_version}", str(i.changes),
             f"{i.created_at:%Y-%m-%d %H:%M}",
             f"{i.applied_at:%Y-%m-%d %H:%M}" if i.applied_at else "no",
             f"{i.open_flags} of {i.flags}" if i.applied_at else "—", i.note]
            for i in infos]
    console.print(table("Change lists", ["#", "versions", "changes", "made", "applied",
                                         "to fix", "notes"], rows, right=("#", "changes")))
    if following is not None:
        console.print(f"The cues follow picture v{following}.")
