"""`filmscore plan make|show|export|pickup add|pickup list|pickups`: the session plan."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table
from filmscore.recording.plan import APART, DEFAULT_MINUTES_PER_DAY, DEFAULT_SPLIT_OVER_S

plan_app = typer.Typer(help="The session plan: which cue is recorded when, with whom.",
                       no_args_is_help=True)
pickup_app = typer.Typer(help="Pickups: bars of a cue to record again.",
                         no_args_is_help=True)


def _hours(value) -> str:
    return f"{float(value):,.1f}"


def _print_sessions(planned, rate) -> None:
    from filmscore.formats.plan_csv import bars_text, chairs_text
    from filmscore.timecode import format_duration

    free = [ps.session.name for ps in planned if not ps.entries]
    for ps in planned:
        if not ps.entries:
            continue
        spec = ps.session
        start = spec.local_start
        title = (f"{spec.name}  {start:%a %Y-%m-%d %H:%M}-{spec.local_end:%H:%M}  "
                 f"{spec.kind}: {len(ps.entries)} item{'s' if len(ps.entries) != 1 else ''}, "
                 f"{format_duration(ps.duration_frames, rate)} of music, {ps.players} players,"
                 f" {_hours(ps.player_hours)} player-hours")
        rows = [[str(e.position), e.cue, e.part, bars_text(e.bar_from, e.bar_to),
                 format_duration(e.duration_frames, rate), e.group, str(e.difficulty),
                 str(e.players)] for e in ps.entries]
        console.print(table(title, ["#", "cue", "part", "bars", "length", "group",
                                    "difficulty", "players"], rows,
                            right=("#", "difficulty", "players")))
        if ps.chairs:
            console.print("  called: " + chairs_text(ps.chairs))
    if free:
        console.print(f"nothing planned in {len(free)} sessions: {', '.join(free)}")


def _print_cost(report) -> None:
    plan = report.plan
    line = (f"cost: {_hours(plan.cost)} paid player-hours ({plan.method}) for "
            f"{report.cue_count} cues in {sum(1 for s in plan.sessions if s.items)} of "
            f"{len(plan.sessions)} sessions")
    console.print(line)
    if plan.bound is not None and plan.bound < plan.cost:
        console.print(f"no plan can cost less than {_hours(plan.bound)} player-hours (the "
                      "solver's bound; a longer --time-limit may close the gap)")
    if plan.greedy_cost is None:
        console.print("greedy plan (film order, first session with room): finds no room "
                      "for every item")
    else:
        saving = (1 - float(plan.cost / plan.greedy_cost)) * 100 if plan.greedy_cost else 0
        console.print(f"greedy plan (film order, first session with room): "
                      f"{_hours(plan.greedy_cost)} player-hours; this plan saves "
                      f"{saving:.1f}%")
    if report.created:
        console.print(f"added {len(report.created)} sessions: {', '.join(report.created)}")


@plan_app.command("make")
def make(ctx: typer.Context,
         days: str = typer.Option(..., "--days", help="Recording dates, ISO, comma-separated:"
                                  " 2027-03-01,2027-03-03."),
         minutes_per_day: int = typer.Option(DEFAULT_MINUTES_PER_DAY, "--minutes-per-day",
                                             help="Finished minutes of music a day."),
         sessions_per_day: int = typer.Option(2, "--sessions-per-day",
                                              help="3-hour sessions a day (1 to 3)."),
         apart: str = typer.Option("", "--apart", help="Record apart, in sessions of their "
                                   f"own: any of {', '.join(APART)} (comma-separated)."),
         split_over: float = typer.Option(DEFAULT_SPLIT_OVER_S / 60, "--split-over",
                                          help="Split cues longer than this many minutes "
                                          "into parts at bar lines (0: never)."),
         difficulty: str = typer.Option("", "--difficulty", help="Your own difficulty for "
                                        "cues, 1-5: 1M1=5,2M3=2."),
         greedy: bool = typer.Option(False, "--greedy", help="The greedy plan only (film "
                                     "order, first session with room)."),
         time_limit: float = typer.Option(10.0, "--time-limit", help="Seconds the solver "
                                          "may search."),
         workers: int = typer.Option(1, "--workers", help="Solver threads (1: the same "
                                     "plan every time)."),
         tz: str = typer.Option(None, "--tz", help="Time zone of the session times (IANA "
                                "name; default: this machine's)."),
         stage: str = typer.Option("", "--stage", help="The stage of new sessions.")) -> None:
    """Plan every score cue into sessions on the given days and store the plan."""
    from filmscore.errors import InputError
    from filmscore.recording.planning import (
        make_plan,
        parse_days,
        parse_difficulties,
        session_plan,
    )

    if split_over < 0 or time_limit <= 0:
        raise InputError("must be positive", field="split-over" if split_over < 0
                         else "time-limit", value=min(split_over, time_limit),
                         valid="a positive number (--split-over 0: never split)")
    dates = parse_days(days)
    overrides = parse_difficulties(difficulty)
    with open_ctx(ctx) as pctx:
        report = make_plan(pctx, dates, minutes_per_day=minutes_per_day,
                           sessions_per_day=sessions_per_day, apart=apart.split(","),
                           split_over_s=round(split_over * 60) or None, greedy=greedy,
                           time_limit_s=time_limit, workers=workers, difficulty=overrides,
                           tz=tz, stage=stage)
        planned = session_plan(pctx, only=[s.slot.name for s in report.plan.sessions])
        _print_sessions(planned, pctx.rate)
    _print_cost(report)


@plan_app.command("show")
def show(ctx: typer.Context) -> None:
    """The stored plan, session by session, in recording order."""
    from filmscore.recording.planning import session_plan

    with open_ctx(ctx) as pctx:
        planned = session_plan(pctx)
        _print_sessions(planned, pctx.rate)
    total = sum(p.player_hours for p in planned)
    console.print(f"{len(planned)} sessions planned, {_hours(total)} paid player-hours"
                  if planned else "no plan yet: make one with 'filmscore plan make --days ...'")


@plan_app.command("export")
def export(ctx: typer.Context,
           csv_path: Path = typer.Option(None, "--csv", help="Write the plan as CSV here."),
           pdf_path: Path = typer.Option(None, "--pdf", help="Write the plan as PDF here.")
           ) -> None:
    """Write the stored plan as CSV and/or PDF."""
    from filmscore.errors import InputError
    from filmscore.formats import writer_for
    from filmscore.recording.planning import session_plan

    if csv_path is None and pdf_path is None:
        raise InputError("nothing to export", field="csv", valid="--csv FILE and/or --pdf FILE")
    with open_ctx(ctx) as pctx:
        planned = session_plan(pctx)
        for path in (csv_path, pdf_path):
            if path is not None:
                writer_for("plan", path)(planned, path, rate=pctx.rate, title=pctx.title)
                console.print(f"wrote {path}")


@pickup_app.command("add")
def pickup_add(ctx: typer.Context, cue: str = typer.Argument(..., help="The cue, e.g. 2M3."),
               bars: str = typer.Option(None, "--bars", help="Bars, e.g. 12-20 (default: "
                                        "the whole cue)."),
               reason: str = typer.Option("", "--reason", help="Why: a picture change..."),
               author: str = typer.Option("", "--author", help="Who asked for it.")) -> None:
    """Mark bars of a cue for a pickup session."""
    from filmscore.recording.planning import add_pickup, parse_bars

    first, last = parse_bars(bars)
    with open_ctx(ctx) as pctx:
        info = add_pickup(pctx, cue, first, last, reason, author)
    where = f"bars {info.bar_from}-{info.bar_to}" if info.bar_from else "the whole cue"
    console.print(f"pickup {info.id}: {info.cue} {where} ({info.status})")


@pickup_app.command("list")
def pickup_list(ctx: typer.Context) -> None:
    """Every pickup and where it stands."""
    from filmscore.recording.planning import list_pickups

    with open_ctx(ctx) as pctx:
        infos = list_pickups(pctx)
    rows = [[str(p.id), p.cue, f"{p.bar_from}-{p.bar_to}" if p.bar_from else "whole cue",
             p.status, p.reason, p.author] for p in infos]
    console.print(table(f"{len(infos)} pickups", ["id", "cue", "bars", "status", "notes",
                                                  "author"], rows))


@plan_app.command("pickups")
def pickups(ctx: typer.Context,
            days: str = typer.Option(..., "--days", help="Pickup dates, ISO, comma-separated."),
            minutes_per_day: int = typer.Option(DEFAULT_MINUTES_PER_DAY, "--minutes-per-day",
                                                help="Finished minutes of music a day."),
            sessions_per_day: int = typer.Option(1, "--sessions-per-day",
                                                 help="3-hour pickup sessions a day (1 to 3)."),
            time_limit: float = typer.Option(10.0, "--time-limit", help="Seconds the solver "
                                             "may search."),
            tz: str = typer.Option(None, "--tz", help="Time zone of the session times (IANA "
                                   "name; default: this machine's)."),
            stage: str = typer.Option("", "--stage", help="The stage of new sessions.")) -> None:
    """Plan the open pickups into pickup sessions on the given days."""
    from filmscore.recording.planning import parse_days, plan_pickups, session_plan

    dates = parse_days(days)
    with open_ctx(ctx) as pctx:
        report = plan_pickups(pctx, dates, minutes_per_day=minutes_per_day,
                              sessions_per_day=sessions_per_day, time_limit_s=time_limit,
                              tz=tz, stage=stage)
        planned = session_plan(pctx, only=[s.slot.name for s in report.plan.sessions])
        _print_sessions(planned, pctx.rate)
    _print_cost(report)


def register(app: typer.Typer) -> None:
    plan_app.add_typer(pickup_app, name="pickup")
    app.add_typer(plan_app, name="plan")
