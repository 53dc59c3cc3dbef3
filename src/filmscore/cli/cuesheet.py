"""`filmscore rights`, `filmscore usage` and `filmscore cuesheet`: the performing-rights
(PRO) cue sheet: who wrote and publishes the music, their shares of each cue, each use's
usage code, and the sheet itself as CSV, PDF and DDEX-shaped XML.

Not `filmscore takes sheet` (the music editor's sheet of takes).
"""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table
from filmscore.rights.vocabulary import PROS, SHARE_ROLES, USAGES

rights_app = typer.Typer(help=(
    "Writers and publishers and their shares of each cue, for the PRO cue sheet: "
    "rights add|edit|list|remove|share."), no_args_is_help=True)


def _pct(value) -> str:
    from filmscore.rights.cuesheet import format_percent

    return format_percent(value) + "%"


@rights_app.command("add")
def add(ctx: typer.Context,
        name: str = typer.Argument(..., help="The writer's or publisher's name."),
        role: str = typer.Option(..., "--role", help=f"One of: {', '.join(SHARE_ROLES)}."),
        pro: str = typer.Option("", "--pro", help="Performing-rights society, e.g. ASCAP, "
                                f"BMI, PRS, SACEM (one of: {', '.join(PROS)})."),
        ipi: str = typer.Option("", "--ipi", help="IPI name number, 9 to 11 digits (kept "
                                "zero-padded to 11).")) -> None:
    """Add a writer (--role composer) or publisher (--role publisher)."""
    from filmscore.rights.service import add_holder

    with open_ctx(ctx) as pctx:
        holder = add_holder(pctx, name, role=role, pro=pro, ipi=ipi)
    console.print(f"added {holder.role} {holder.name}"
                  + (f" ({holder.pro})" if holder.pro else "")
                  + (f" IPI {holder.ipi}" if holder.ipi else ""))


@rights_app.command("edit")
def edit(ctx: typer.Context,
         name: str = typer.Argument(..., help="The writer or publisher to change."),
         role: str = typer.Option(None, "--role", help=f"New role: {', '.join(SHARE_ROLES)} "
                                  "(refused while they hold shares)."),
         pro: str = typer.Option(None, "--pro", help="New society ('' to clear)."),
         ipi: str = typer.Option(None, "--ipi", help="New IPI name number ('' to clear).")
         ) -> None:
    """Correct a writer's or publisher's role, society or IPI number."""
    from filmscore.rights.service import update_holder

    with open_ctx(ctx) as pctx:
        holder = update_holder(pctx, name, role=role, pro=pro, ipi=ipi)
    console.print(f"{holder.role} {holder.name}: {holder.pro or 'no society'}, "
                  f"{'IPI ' + holder.ipi if holder.ipi else 'no IPI'}")


@rights_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every writer and publisher, then the default shares and each cue's own shares."""
    from filmscore.rights.service import holders, shares

    with open_ctx(ctx) as pctx:
        people = holders(pctx)
        split = shares(pctx)
    console.print(table("rights holders", ["name", "role", "society", "IPI"],
                        [[h.name, h.role, h.pro or "—", h.ipi or "—"] for h in people]))
    if not people:
        console.print("no rights holders yet: filmscore rights add NAME --role composer")
    rows = [["default" if cue is None else cue,
             ", ".join(f"{name} {_pct(pct)}" for name, pct in split[cue].items())]
            for cue in sorted(split, key=lambda c: (c is not None, c or ""))]
    console.print(table("shares", ["cue", "shares"], rows))
    if None not in split:
        console.print("no default shares yet: filmscore rights share --default NAME=PCT ...")


@rights_app.command("remove")
def remove(ctx: typer.Context,
           name: str = typer.Argument(..., help="The holder to remove."),
           force: bool = typer.Option(False, "--force", help="Also remove their shares "
                                      "(those cues must then be given shares again).")
           ) -> None:
    """Remove a writer or publisher (refused while they hold shares, unless --force)."""
    from filmscore.rights.service import remove_holder

    with open_ctx(ctx) as pctx:
        holder = remove_holder(pctx, name, force=force)
    console.print(f"removed {holder.role} {holder.name}")


@rights_app.command("share")
def share(ctx: typer.Context,
          items: list[str] = typer.Argument(None, help="CUE then NAME=PCT ... (or only "
                                            "NAME=PCT ... with --default); a CUE with no "
                                            "NAME=PCT takes the default shares again."),
          default: bool = typer.Option(False, "--default", help="Set the project's default "
                                       "shares (every cue without its own).")) -> None:
    """Set a cue's shares (or the default shares): composers add up to 100, publishers
    too."""
    from filmscore.errors import InputError
    from filmscore.rights.service import set_shares

    items = list(items or [])
    cue = None
    if not default:
        if not items or "=" in items[0]:
            raise InputError("name the cue first, or give --default", field="CUE",
                             value=items[0] if items else "",
                             valid="e.g. 'rights share 1M3 \"Jane Doe=50\" ...' or "
                                   "'rights share --default \"Jane Doe=100\"'")
        cue, items = items[0], items[1:]
    wanted: dict[str, str] = {}
    for item in items:
        name, sep, pct = item.rpartition("=")
        if not sep or not name.strip():
            raise InputError("a share is NAME=PCT", field="share", value=item,
                             valid="e.g. \"Jane Doe=50\" or Tidewater=33.34")
        wanted[name.strip()] = pct
    with open_ctx(ctx) as pctx:
        result = set_shares(pctx, cue, wanted)
    what = "default shares" if cue is None else f"shares of {cue}"
    console.print(f"{what}: " + (", ".join(f"{n} {_pct(p)}" for n, p in result.items())
                                 or ("cleared" if cue is None else "the default")))


def usage(ctx: typer.Context,
          cue: str = typer.Argument(..., help="The cue, e.g. 1M3."),
          code: str = typer.Argument(..., help="The usage code: " + ", ".join(
              f"{c} ({m.split(' (')[0]})" for c, m in USAGES.items()) + "."),
          use: int = typer.Option(1, "--use", help="Which use of the cue (1: at its own "
                                  "place; 2, 3...: further uses).")) -> None:
    """Set how a use of a cue is heard, for the PRO cue sheet (BI, VV, MT...)."""
    from filmscore.rights.service import set_usage

    with open_ctx(ctx) as pctx:
        value = set_usage(pctx, cue, code, use=use)
    console.print(f"{cue}" + (f" (use {use})" if use != 1 else "")
                  + f": {value} ({USAGES[value].split(' (')[0]})")


def cuesheet(ctx: typer.Context,
             out: Path = typer.Option(None, "--out", help="Folder to write the files in "
                                      "(default: show the sheet, write nothing)."),
             formats: str = typer.Option("csv,pdf,xml", "--format", help="Which files, "
                                         "comma-separated: csv, pdf, xml (DDEX-shaped)."),
             date: str = typer.Option(None, "--date", help="The date on the sheet "
                                      "(default: today), e.g. 2027-05-01.")) -> None:
    """The performing-rights cue sheet: every use of every cue on the film, with usage,
    duration and shares; --out writes it as CSV, PDF and XML."""
    from filmscore.rights.service import parse_formats, pro_cue_sheet, write_pro_cue_sheet

    chosen = parse_formats(formats)
    with open_ctx(ctx) as pctx:
        written = (write_pro_cue_sheet(pctx, out, formats=chosen, date=date)
                   if out is not None else [])
        sheet = pro_cue_sheet(pctx, date=date)
    rows = [[str(r.sequence), r.label, r.title, r.tc_in, r.tc_out, r.duration, r.usage,
             ", ".join(f"{s.holder.name} {s.text}%" for s in r.composers),
             ", ".join(f"{s.holder.name} {s.text}%" for s in r.publishers) or "—"]
            for r in sheet.rows]
    console.print(table(f"{sheet.title}: PRO cue sheet", ["#", "cue", "title", "in", "out",
                                                          "dur", "usage", "composers",
                                                          "publishers"], rows,
                        right=("#", "dur")))
    for total in sheet.totals:
        console.print(f"{total.usage} ({total.meaning.split(' (')[0]}): {total.uses} "
                      f"use{'s' if total.uses != 1 else ''}, {total.duration}")
    console.print(f"all music: {len(sheet.rows)} uses, {sheet.total_duration}")
    for path in written:
        console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(rights_app, name="rights")
    app.command("usage")(usage)
    app.command("cuesheet")(cuesheet)
