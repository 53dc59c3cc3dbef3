"""`filmscore roster` and `filmscore book`: the orchestra contractor's commands (the roster,
the rate card, bookings, call lists, players' time per cue, costs)."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table

roster_app = typer.Typer(help="The musicians on the project's roster, and the rate card.",
                         no_args_is_help=True)
book_app = typer.Typer(help="Book musicians into sessions; call lists, time per cue, costs.",
                       no_args_is_help=True)


def _instruments(keys) -> str:
    from filmscore.musicians.roster import instruments_text

    return instruments_text(keys) if keys else ""


# --- roster ---------------------------------------------------------------------------------


@roster_app.command("add")
def roster_add(ctx: typer.Context,
               name: str = typer.Argument(..., help="The musician's name, e.g. 'Ann Lee'."),
               instruments: list[str] = typer.Argument(
                   ..., help="Instruments played, own first, then doubles: flute piccolo."),
               union: str = typer.Option("", "--union", help="e.g. 'AFM Local 47'."),
               contact: str = typer.Option("", "--contact", help="Phone or e-mail."),
               notes: str = typer.Option("", "--notes", help="Free notes; 'principal', "
                                         "'extra', 'orchestra manager' guide book auto.")
               ) -> None:
    """Add a musician to the roster."""
    from filmscore.musicians.roster import make_musician
    from filmscore.musicians.service import add_musician

    spec = make_musician(name, instruments, union=union, contact=contact, notes=notes)
    with open_ctx(ctx) as pctx:
        spec = add_musician(pctx, spec)
    console.print(f"added {spec.name!r}: {_instruments(spec.instruments)}")


@roster_app.command("import")
def roster_import(ctx: typer.Context,
                  path: Path = typer.Argument(..., help="A roster CSV: name,instruments,"
                                              "union,contact,notes."),
                  replace: bool = typer.Option(False, "--replace",
                                               help="Update musicians already on the roster.")
                  ) -> None:
    """Add every musician of a roster CSV (nothing is added when a line is bad)."""
    from filmscore.musicians.service import import_roster

    with open_ctx(ctx) as pctx:
        specs = import_roster(pctx, path, replace=replace)
    console.print(f"imported {len(specs)} musicians from {path}")


@roster_app.command("export")
def roster_export(ctx: typer.Context, path: Path = typer.Argument(...)) -> None:
    """Write the roster as CSV."""
    from filmscore.musicians.service import export_roster

    with open_ctx(ctx) as pctx:
        out = export_roster(pctx, path)
    console.print(f"wrote {out}")


@roster_app.command("list")
def roster_list(ctx: typer.Context,
                instrument: str = typer.Option(None, "--instrument",
                                               help="Only those who play it.")) -> None:
    """The roster by name."""
    from filmscore.musicians.service import list_musicians

    with open_ctx(ctx) as pctx:
        specs = list_musicians(pctx, instrument=instrument)
    rows = [[s.name, _instruments(s.instruments[:1]), _instruments(s.doubles), s.union,
             s.contact, s.notes] for s in specs]
    console.print(table(f"{len(specs)} musicians", ["name", "plays", "doubles", "union",
                                                    "contact", "notes"], rows))


@roster_app.command("remove")
def roster_remove(ctx: typer.Context, name: str = typer.Argument(...),
                  force: bool = typer.Option(False, "--force",
                                             help="Also remove their bookings.")) -> None:
    """Remove a musician (refused while booked, unless --force)."""
    from filmscore.musicians.service import remove_musician

    with open_ctx(ctx) as pctx:
        spec = remove_musician(pctx, name, force=force)
    console.print(f"removed {spec.name!r}")


@roster_app.command("ratecard")
def roster_ratecard(ctx: typer.Context,
                    export: Path = typer.Option(None, "--export", help="Write the card in use "
                                                "to this file (edit it, save it as the "
                                                "project's ratecard.toml).")) -> None:
    """The rate card in use, every figure with its source."""
    from filmscore.musicians.service import export_ratecard, project_ratecard, ratecard_text

    with open_ctx(ctx) as pctx:
        card = project_ratecard(pctx)
        where = ratecard_text(pctx)[0]
        if export is not None:
            export_ratecard(pctx, export)
    console.print(f"rate card: {card.name}")
    console.print(f"currency {card.currency}, effective {card.effective}, from {where}")
    console.print(table(None, ["what", "figure"], [[w, f] for w, f, _s in card.rows()],
                        wrap=("figure",)))
    console.print("sources:")
    for what, _figure, source in card.rows():
        console.print(f"  {what}: {source}")
    if export is not None:
        console.print(f"wrote {export}")


# --- bookings -------------------------------------------------------------------------------


@book_app.command("add")
def book_add(ctx: typer.Context, session: str = typer.Argument(..., help="The session."),
             musician: str = typer.Argument(..., help="A musician on the roster."),
             chair: str = typer.Option(None, "--chair", help="The chair, e.g. 'Horn 1', "
                                       "'Violin I' (none: a non-playing manager or leader)."),
             seat: int = typer.Option(None, "--seat", help="Seat in a section chair "
                                      "(default: the first free one)."),
             double: list[str] = typer.Option([], "--double", help="A double of the chair "
                                              "to play (repeat for more)."),
             role: str = typer.Option("player", "--role",
                                      help="player, orchestra manager or leader."),
             notes: str = typer.Option("", "--notes", help="Free notes on the booking.")
             ) -> None:
    """Book a musician into a session in a chair."""
    from filmscore.musicians.booking import book_musician

    with open_ctx(ctx) as pctx:
        spec = book_musician(pctx, session, musician, chair=chair, seat=seat, doubles=double,
                             role=role, notes=notes)
    where = f"{spec.chair} seat {spec.seat}" if spec.chair else "no chair"
    console.print(f"booked {spec.musician!r} in {spec.session!r}: {where}, "
                  f"{_instruments(spec.instruments) or 'not playing'}"
                  + (f" ({spec.role})" if spec.role != "player" else ""))


@book_app.command("remove")
def book_remove(ctx: typer.Context, session: str = typer.Argument(...),
                musician: str = typer.Argument(...)) -> None:
    """Remove a musician's booking in a session (and the time logged on it)."""
    from filmscore.musicians.booking import unbook

    with open_ctx(ctx) as pctx:
        unbook(pctx, session, musician)
    console.print(f"removed the booking of {musician!r} in {session!r}")


@book_app.command("auto")
def book_auto(ctx: typer.Context, session: str = typer.Argument(...)) -> None:
    """Book every seat the session's plan calls, from the roster."""
    from filmscore.musicians.booking import auto_book

    with open_ctx(ctx) as pctx:
        result = auto_book(pctx, session)
    console.print(f"booked {len(result.booked)} musicians in {session!r}"
                  + (f"; orchestra manager: {result.orchestra_manager}"
                     if result.orchestra_manager else ""))
    for chair, name, lacking in result.missing_doubles:
        console.print(f"  {chair}: {name} does not play {_instruments(lacking)}")
    for chair, seat, why in result.unfilled:
        console.print(f"  unfilled: {chair} seat {seat} ({why})")


@book_app.command("list")
def book_list(ctx: typer.Context, session: str = typer.Argument(...)) -> None:
    """The session's bookings in score order."""
    from filmscore.musicians.booking import list_bookings

    with open_ctx(ctx) as pctx:
        specs = list_bookings(pctx, session)
    rows = [[s.chair, str(s.seat) if s.chair else "", s.musician,
             _instruments(s.instruments[:1]), _instruments(s.doubles), s.role]
            for s in specs]
    console.print(table(f"{len(specs)} bookings in {session}",
                        ["chair", "seat", "name", "plays", "doubles", "role"], rows,
                        right=("seat",)))


@book_app.command("calls")
def book_calls(ctx: typer.Context, session: str = typer.Argument(...),
               pdf: Path = typer.Option(None, "--pdf", help="Write the call list as PDF."),
               csv: Path = typer.Option(None, "--csv", help="Write the call list as CSV."),
               tz: str = typer.Option(None, "--tz", help="Time zone of the printed times "
                                      "(IANA name; default: the session's own).")) -> None:
    """The session's call list (printed, and as PDF and/or CSV)."""
    from filmscore.formats.calllist_csv import write_calllist_csv
    from filmscore.formats.calllist_pdf import write_calllist_pdf
    from filmscore.musicians.timelog import session_call_list
    from filmscore.recording.sessions import zone

    with open_ctx(ctx) as pctx:
        calls = session_call_list(pctx, session)
        title = pctx.title
    zone_info = zone(tz or calls.tz or None)
    start = calls.starts_at.astimezone(zone_info)
    rows = [[r.chair, str(r.seat) if r.chair else "", r.musician, r.instrument_text,
             r.doubles_text, r.role, " ".join(r.cues)] for r in calls.rows]
    console.print(table(f"{calls.session}: {start:%a %Y-%m-%d}, call {start:%H:%M}, "
                        f"{calls.stage or 'no stage'}; {calls.players} players; orchestra "
                        f"manager: {calls.orchestra_manager or '-'}",
                        ["chair", "seat", "name", "plays", "doubles", "role", "cues"], rows))
    for warning in calls.warnings:
        console.print(f"warning: {warning}")
    if pdf is not None:
        console.print(f"wrote {write_calllist_pdf(calls, pdf, film_title=title, tz=zone_info)}")
    if csv is not None:
        console.print(f"wrote {write_calllist_csv(calls, csv, tz=zone_info)}")


@book_app.command("time")
def book_time(ctx: typer.Context, session: str = typer.Argument(None, help="The session "
                                                                 "(none: every session)."),
              from_plan: bool = typer.Option(False, "--from-plan", help="Log every booked "
                                             "player's time from the session's plan."),
              musician: str = typer.Option(None, "--musician", help="Log this player's time "
                                           "by hand (with --cue and --minutes)."),
              cue: str = typer.Option(None, "--cue", help="The cue (with --musician)."),
              minutes: int = typer.Option(None, "--minutes", help="Whole minutes on the cue "
                                          "(with --musician)."),
              instrument: list[str] = typer.Option([], "--instrument", help="Played on the "
                                                   "cue (default: as booked); repeat."),
              overdub: bool = typer.Option(False, "--overdub", help="An overdub."),
              notes: str = typer.Option("", "--notes", help="Free notes on the entry.")
              ) -> None:
    """Players' time per cue: list it, derive it from the plan, or log it by hand."""
    from filmscore.errors import InputError
    from filmscore.musicians.timelog import list_time, log_time, log_time_from_plan

    manual = musician is not None or cue is not None or minutes is not None
    if (from_plan or manual) and session is None:
        raise InputError("logging time needs a session", field="session",
                         valid="a session name")
    if manual and (musician is None or cue is None or minutes is None):
        raise InputError("logging by hand needs --musician, --cue and --minutes",
                         field="musician" if musician is None else
                         "cue" if cue is None else "minutes", valid="all three")
    with open_ctx(ctx) as pctx:
        if from_plan:
            log_time_from_plan(pctx, session)
        if manual:
            log_time(pctx, session, musician, cue, minutes, instruments=instrument,
                     overdub=overdub, notes=notes)
        entries = list_time(pctx, session)
    rows = [[t.session, t.cue, t.chair, t.musician, str(t.minutes),
             _instruments(t.instruments), "yes" if t.overdub else "", t.notes]
            for t in entries]
    console.print(table(f"{len(entries)} time entries", ["session", "cue", "chair", "name",
                                                         "minutes", "instruments", "overdub",
                                                         "notes"], rows, right=("minutes",)))


@book_app.command("costs")
def book_costs(ctx: typer.Context,
               session: str = typer.Option(None, "--session", help="One session (default: "
                                           "every session, the score)."),
               csv: Path = typer.Option(None, "--csv", help="Write the costs as CSV."),
               pdf: Path = typer.Option(None, "--pdf", help="Write the costs as PDF.")
               ) -> None:
    """What the musicians cost per session, per cue and for the score."""
    from filmscore.formats.calllist_csv import write_costs_csv
    from filmscore.formats.calllist_pdf import write_costs_pdf
    from filmscore.musicians.costs import UNALLOCATED
    from filmscore.musicians.service import project_ratecard
    from filmscore.musicians.timelog import project_costs

    with open_ctx(ctx) as pctx:
        cost = project_costs(pctx, session)
        card = project_ratecard(pctx)
        title = pctx.title
    cur = cost.currency
    rows = [[s.name, str(s.players), str(s.overtime_units),
             "yes" if s.orchestra_manager_booked else
             ("MISSING" if s.orchestra_manager_required else "-"), f"{s.total:,}"]
            for s in cost.sessions]
    console.print(table(f"musicians' costs ({cur})", ["session", "players", "overtime units",
                                                       "orchestra manager", "total"], rows,
                        right=("players", "overtime units", "total")))
    cues = [[c, f"{cost.per_cue[c]:,}"] for c in
            sorted(cost.per_cue, key=lambda c: (c == UNALLOCATED, c))]
    console.print(table("per cue", ["cue", "cost"], cues, right=("cost",)))
    console.print(f"total: {cur} {cost.total:,}")
    if csv is not None:
        console.print(f"wrote {write_costs_csv(cost, csv)}")
    if pdf is not None:
        console.print(f"wrote {write_costs_pdf(cost, pdf, film_title=title, card_name=card.name)}")


def register(app: typer.Typer) -> None:
    app.add_typer(roster_app, name="roster")
    app.add_typer(book_app, name="book")
