"""`filmscore conform fix N CUE [--choose K]`: the fixes proposed for a cue a change list
flagged, each with its hits' frames off, and applying one (thin: the work is in
filmscore.conform.fixing)."""

from __future__ import annotations

import typer

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.cli.conform import conform_app


def register(app: typer.Typer) -> None:
    conform_app.command("fix")(fix)
    conform_app.command("regenerate")(regenerate)


def regenerate(
    ctx: typer.Context,
    change_list: int = typer.Argument(..., help="Change list number (applied)."),
) -> None:
    """Write again the click, click sheet, streamers, parts and score of every cue the
    change list moved and no fix rewrote (moved whole, or kept as it is)."""
    from filmscore.conform.fixing import regenerate_moved

    pctx = open_ctx(ctx)
    with working(f"regenerating what change list {change_list} moved") as report:
        done = regenerate_moved(pctx, change_list, progress=lambda text: report.step(text))
    rows = [[r.cue, ", ".join(sorted({what for what, _ in r.files})),
             "; ".join(r.skipped)] for r in done]
    console.print(table(f"Change list {change_list}: {len(done)} moved cues written again",
                        ["cue", "written", "skipped"], rows, wrap=("written", "skipped")))


def _off(value: int | None) -> str:
    return "cut" if value is None else f"{value:+d}" if value else "0"


def fix(
    ctx: typer.Context,
    change_list: int = typer.Argument(..., help="Change list number (as 'conform apply' "
                                      "printed it)."),
    cue: str = typer.Argument(..., help="A cue the change list flagged."),
    choose: int | None = typer.Option(None, "--choose", help="Apply fix K of the list (1 "
                                      "= the best) and regenerate the click, MIDI tempo "
                                      "map, click sheet, streamers, parts and score."),
    refresh: bool = typer.Option(False, "--refresh", help="Compute the fixes again (after "
                                 "a sync point was edited)."),
    author: str = typer.Option("", "--by", help="Who chose the fix (kept with the flag and "
                               "the pickup)."),
) -> None:
    """The fixes for a flagged cue with each hit's frames off; --choose K applies one."""
    from filmscore.conform.fixing import fix as apply_fix
    from filmscore.conform.fixing import proposals
    from filmscore.timecode import format_label

    pctx = open_ctx(ctx)
    listed = proposals(pctx, change_list, cue, refresh=refresh and choose is None)
    if choose is None:
        rows = []
        for n, p in enumerate(listed.proposals, 1):
            mark = " (chosen)" if listed.chosen == n else ""
            rows.append([str(n), p.kind + mark, p.description, str(p.worst_off)])
        state = listed.status if listed.status != "open" else "open: choose one with --choose K"
        console.print(table(f"Fixes for cue {listed.cue} (change list {change_list}; "
                            f"{listed.flag.reason}; {state})",
                            ["#", "fix", "what", "worst off"], rows,
                            right=("worst off",), wrap=("what",)))
        offs = [dict(p.hits_off) for p in listed.proposals]
        hits = [[h.description or h.kind, h.kind, "cut" if h.new_frame is None else
                 format_label(h.new_frame, pctx.rate),
                 *(_off(o.get(h.sync_id)) for o in offs)] for h in listed.flag.hits]
        console.print(table("Frames off at each hit after each fix (+: the music is early)",
                            ["hit", "kind", "picture", *(f"#{n}" for n in range(
                                1, len(offs) + 1))], hits,
                            right=tuple(f"#{n}" for n in range(1, len(offs) + 1))))
        return
    with working(f"fixing {cue}") as report:
        done = apply_fix(pctx, change_list, cue, choose, author=author,
                         progress=lambda text: report.step(text))
    console.print(f"Cue {done.cue}: applied fix {done.choice}, {done.proposal.kind}: "
                  f"{done.proposal.description}; worst hit now {done.proposal.worst_off} "
                  f"frame(s) off.")
    if done.regenerated is not None:
        for what, path in done.regenerated.files:
            console.print(f"  rewrote {what}: {path}")
        for path in done.regenerated.removed:
            console.print(f"  removed the old {path.name}")
        for line in done.regenerated.skipped:
            console.print(f"  skipped {line}")
    if done.pickup is not None:
        p = done.pickup
        bars = "the whole cue" if p["bar_from"] is None else f"bars {p['bar_from']}-{p['bar_to']}"
        console.print(f"Pickup {p['id']}: {bars} of {done.cue} to record again "
                      f"({done.takes_flagged} take(s) flagged).")
