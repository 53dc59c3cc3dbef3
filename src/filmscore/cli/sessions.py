"""`filmscore session add|list|remove`: the sessions on the scoring stage."""

from __future__ import annotations

from datetime import timedelta

import typer

from filmscore.cli.common import console, open_ctx, table
from filmscore.recording.vocabulary import DEFAULT_SESSION_HOURS, SESSION_KINDS

session_app = typer.Typer(help="The sessions on the scoring stage (dates, times, kind).",
                          no_args_is_help=True)


@session_app.command("add")
def add(ctx: typer.Context,
        name: str = typer.Argument(..., help="The session's name, e.g. 'Day 1 AM'."),
        start: str = typer.Option(..., "--start", help="When it starts: 2027-03-01 10:00 "
                                  "(local time) or with an offset, 2027-03-01T10:00-08:00."),
        end: str = typer.Option(None, "--end", help="When it ends (default: "
                                f"{DEFAULT_SESSION_HOURS} hours after the start)."),
        kind: str = typer.Option("orchestra", "--kind",
                                 help=f"One of: {', '.join(SESSION_KINDS)}."),
        stage: str = typer.Option("", "--stage", help="The stage or room, e.g. 'Stage A'."),
        tz: str = typer.Option(None, "--tz", help="Time zone of times without an offset "
                               "(IANA name; default: this machine's)."),
        notes: str = typer.Option("", "--notes", help="A note for the run sheet.")) -> None:
    """Add a session (refused when it overlaps another on the same stage)."""
    from filmscore.recording.sessions import SessionSpec, add_session, parse_time

    starts = parse_time(start, field="start", tz=tz)
    ends = (parse_time(end, field="end", tz=tz) if end
            else starts + timedelta(hours=DEFAULT_SESSION_HOURS))
    with open_ctx(ctx) as pctx:
        spec = add_session(pctx, SessionSpec(name, starts, ends, kind, stage, notes,
                                             tz=tz or ""))
    console.print(f"added session {spec.name!r}: {spec.local_start:%a %Y-%m-%d %H:%M}-"
                  f"{spec.local_end:%H:%M} ({spec.kind})")


@session_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every session, in time order."""
    from filmscore.recording.sessions import list_sessions

    with open_ctx(ctx) as pctx:
        specs = list_sessions(pctx)
    rows = [[s.name, f"{s.local_start:%a %Y-%m-%d}",
             f"{s.local_start:%H:%M}-{s.local_end:%H:%M} {s.local_start:%Z}", s.kind,
             s.stage, s.notes] for s in specs]
    console.print(table(f"{len(specs)} sessions", ["session", "day", "time", "kind", "stage",
                                                   "notes"], rows))


@session_app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """Remove a session with its bookings and plan entries (takes keep their cue)."""
    from filmscore.recording.sessions import remove_session

    with open_ctx(ctx) as pctx:
        remove_session(pctx, name)
    console.print(f"removed session {name!r}")


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
