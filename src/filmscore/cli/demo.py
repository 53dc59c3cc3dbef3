"""`filmscore demo`: run the main job on the demo film and print what it made."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import typer

from filmscore.cli.common import console


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        out: Path = typer.Argument(Path("demo-out"), help="Output folder (replaced if the "
                                   "demo made it before)."),
        data: Path | None = typer.Option(None, "--data", help="Folder with the demo film "
                                         "(default: demo/popeye1936 in the source tree)."),
    ) -> None:
        """Build the demo project on 'Popeye the Sailor Meets Sindbad the Sailor' (1936)."""
        from filmscore.cli.picture import _print
        from filmscore.cli.report import spotting_tables
        from filmscore.demo import run_demo

        result = run_demo(out, data, step=lambda msg: console.print(f"> {msg}", style="bold"))
        _print(result.picture)
        for item in spotting_tables(result.cues, result.picture.rate, title=result.title):
            console.print(item)
        _print_maps(result)
        _print_themes(result)
        _print_orchestrations(result)
        _print_recording(result)
        _print_album(result)
        _print_conform(result)
        _print_logins(result)
        console.print(f"Project: {result.project_dir}")
        for label, path in result.files.items():
            console.print(f"  {label}: {path}")


def _print_maps(result) -> None:
    from filmscore.cli.common import table
    from filmscore.sync.tempomap import format_bpm, format_frameclick

    rows = []
    for number, tmap in result.tempo_maps.items():
        seg = tmap.segments
        tempos = " > ".join(format_bpm(s.tempo_bpm) for s in seg)
        clicks = " > ".join(format_frameclick(s.tempo_bpm, tmap.rate) for s in seg)
        rows.append([number, str(tmap.bar_count), tempos, clicks])
    console.print(table("Tempo maps (hard hits landed within 1 frame)",
                        ["cue", "bars", "BPM", "frame-click"], rows, right=("bars",)))
    console.print(f"Clicks, MIDI and streamers: {result.project_dir}/clicks, "
                  f"{result.project_dir}/streamers; click sheets: "
                  f"{result.project_dir.parent}/click-sheets")


def _print_themes(result) -> None:
    from filmscore.cli.common import table

    report = result.theme_report
    if report is None:
        return
    rows = [[cue, ", ".join(themes) or "-"] for cue, themes in report.by_cue.items()]
    console.print(table("Themes in each cue's sketch (filmscore themes report)",
                        ["cue", "themes found"], rows, wrap=("themes found",)))
    console.print(f"Sketches: {result.project_dir.parent}/sketches; mockups: "
                  f"{result.project_dir}/mockups")


def _print_orchestrations(result) -> None:
    from filmscore.cli.common import table

    rows = [[o.cue, o.ensemble, str(o.chairs_playing), str(o.chairs_tacet), str(o.decisions),
             ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(o.check.items()) if n)
             or "clean"] for o in result.orchestrations]
    if rows:
        console.print(table("Orchestrations (filmscore decisions / check CUE for details)",
                            ["cue", "ensemble", "chairs playing", "tacet", "decisions",
                             "playability check"], rows,
                            right=("chairs playing", "tacet", "decisions"),
                            wrap=("playability check",)))
        console.print(f"Parts and tacet sheets: {result.files['parts']}; scores: "
                      f"{result.files['scores']}; session books: {result.files['books']}")


def _print_recording(result) -> None:
    from filmscore.cli.common import table
    from filmscore.timecode import format_duration, get_rate

    rec = result.recording
    if rec is None:
        return
    rate = get_rate(result.rate_name)
    plan = rec.plan.plan
    rows = []
    for planned in rec.sessions:
        spec = planned.session
        items = ", ".join(e.cue + (f" ({e.part})" if e.part else "")
                          + (" [pickup]" if e.pickup_id else "") for e in planned.entries)
        booked = rec.booked.get(spec.name)
        rows.append([spec.name, f"{spec.local_start:%a}", spec.kind, items,
                     format_duration(planned.duration_frames, rate), str(planned.players),
                     str(len(booked.booked)) if booked is not None else "-"])
    greedy = f"{float(plan.greedy_cost):g}" if plan.greedy_cost is not None else "no plan"
    console.print(table(
        f"Session plan (filmscore plan show): {float(plan.cost):g} paid player-hours "
        f"({plan.method}); the greedy plan: {greedy}",
        ["session", "day", "kind", "cues in recording order", "music", "players",
         "booked"], rows, right=("music", "players", "booked"),
        wrap=("cues in recording order",)))
    circled = sum(1 for t in rec.takes if t.circled)
    left = [c.cue.number for c in rec.sheet.cues if not c.done]
    console.print(f"Takes: {len(rec.takes)} logged, {circled} circled; still to record: "
                  f"{', '.join(left) or 'nothing'} (filmscore takes sheet)")
    console.print(f"Musicians' costs: {rec.costs.currency} {rec.costs.total:,.2f} for "
                  f"{len(rec.costs.sessions)} sessions (filmscore book costs)")
    files = rec.files
    console.print(f"Call lists: {files['call_lists']}; costs: {files['costs_pdf']}; plan: "
                  f"{files['plan_pdf']}; cue sheet: {files['cue_sheet_pdf']}; stage pack: "
                  f"{files['stage_pack']}")


def _print_album(result) -> None:
    from filmscore.album.sequence import clock
    from filmscore.cli.common import table

    album = result.album
    if album is None:
        return
    rows = []
    for medium, report in album.mastering.items():
        sequence = album.sequences[medium]
        on_side: dict[str, int] = {}
        for track in report.tracks:
            on_side[track.side] = on_side.get(track.side, 0) + 1
            label = f"{track.side}{on_side[track.side]}" if track.side else str(track.position)
            rows.append([medium, label, track.title,
                         clock(Fraction(track.frames, track.sample_rate)),
                         f"{track.loudness_lufs:.1f}", f"{track.true_peak_dbtp:.1f}"])
        sides = ", ".join(f"side {s} {clock(v)}" for s, v in sequence.side_seconds.items())
        rows.append([medium, "", f"{sequence.status}: {clock(sequence.seconds)}"
                     + (f" ({sides})" if sides else ""), "", "", ""])
    console.print(table(f"Album {album.album} (filmscore album show {album.album}): "
                        "sequenced, mastered, released",
                        ["medium", "track", "title", "length", "LUFS", "dBTP"], rows,
                        right=("length", "LUFS", "dBTP")))
    expanded = album.sequences.get("expanded cd")
    if expanded is not None:
        kept = {t.key for t in album.sequences["cd"].tracks}
        added = [t.key for t in expanded.tracks if t.key not in kept]
        console.print(f"Expanded edition (album {album.expanded}): the CD's tracks kept, "
                      f"added: {', '.join(added) or 'nothing'}")
    pdfs = "; ".join(str(e.pdf) for e in album.editions)
    console.print(f"Release files: {album.files.get('album')}; sheet music: {pdfs}")


def _print_conform(result) -> None:
    from filmscore.cli.common import table
    from filmscore.timecode import format_label, get_rate

    conform = result.conform
    if conform is None or conform.picture is None:
        return
    rate = get_rate(result.rate_name)
    fixed = {f.cue: f for f in conform.fixed}
    rows = []
    for flag in conform.flags:
        done = fixed.get(flag.cue)
        start = flag.flag.new_start
        rows.append([flag.cue, flag.reason,
                     format_label(start, rate) if start is not None else "gone",
                     str(flag.flag.worst_off),
                     done.proposal.description if done else flag.status,
                     str(done.proposal.worst_off) if done else "",
                     (f"bars {done.pickup['bar_from']}-{done.pickup['bar_to']}"
                      if done and done.pickup and done.pickup.get("bar_from")
                      else "whole cue" if done and done.pickup else "")])
    console.print(table(
        f"Conform: change list {conform.change_list}, picture v1 -> "
        f"v{conform.picture.number} (filmscore conform show {conform.change_list})",
        ["cue", "flag", "starts", "frames off", "fix", "off after", "pickup"], rows,
        right=("frames off", "off after"), wrap=("fix",)))
    console.print("Change list: " + "; ".join(
        str(p) for k, p in conform.files.items() if k.startswith("change_list_")))


def _print_logins(result) -> None:
    from filmscore.cli.common import table

    if not result.logins:
        return
    console.print(table("Web workspace logins (filmscore serve " f"{result.project_dir}" ")",
                        ["name", "role", "password"],
                        [list(login) for login in result.logins]))
