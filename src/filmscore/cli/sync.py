"""`filmscore tempo|click|streamers ...`: tempo maps that land the hits, clicks, streamers."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table, working

tempo_app = typer.Typer(help="Tempo maps: find and solve tempos that land the hits, set, "
                        "show, MIDI export and import, click sheet.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(tempo_app, name="tempo")
    app.command("click")(click)
    app.command("streamers")(streamers)


def _range(text: str) -> tuple[Fraction, Fraction]:
    from filmscore.errors import InputError

    low, sep, high = text.partition("-")
    try:
        if not sep:
            raise ValueError
        return Fraction(low.strip()), Fraction(high.strip())
    except (ValueError, ZeroDivisionError):
        raise InputError("not a tempo range", field="range", value=text,
                         valid="LOW-HIGH in BPM, e.g. 40-240") from None


@tempo_app.command("find")
def tempo_find(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    tempo_range: str = typer.Option("40-240", "--range", help="Tempos to search, LOW-HIGH BPM."),
    tolerance: str = typer.Option("1", "--tolerance",
                                  help="Frames a hit may be off its beat (e.g. 1, 0.5)."),
    subdivision: int = typer.Option(1, "--subdivision",
                                    help="Hits may land on 1/N of a beat (2: eighths in 4/4)."),
    meter: str = typer.Option("4/4", "--meter", help="Meter, for bar|beat display and --apply."),
    start: str | None = typer.Option(None, "--start", help="Timecode of bar 1 (default: the "
                                     "cue's tempo map's, or the cue's start)."),
    top: int = typer.Option(10, "--top", help="How many candidates to show."),
    apply: int | None = typer.Option(None, "--apply",
                                     help="Store candidate N (1 = the best) as the tempo map."),
) -> None:
    """Every tempo at which the cue's hard hits land on beats, ranked."""
    from filmscore.sync.service import find_for_cue
    from filmscore.sync.tempomap import format_bpm, format_frameclick, parse_meter

    pctx = open_ctx(ctx)
    low, high = _range(tempo_range)
    result = find_for_cue(pctx, cue, tempo_range=(low, high), tolerance_frames=Fraction(tolerance),
                          subdivision=subdivision, meter=parse_meter(meter),
                          start=start, apply=apply)
    rate = pctx.rate
    rows = []
    for n, c in enumerate(result.candidates[:top], 1):
        click = (format_frameclick(c.frameclick_bpm, rate) if c.frameclick_bpm is not None
                 else format_frameclick(c.best_bpm, rate))
        rows.append([str(n), f"{format_bpm(c.low_bpm)}-{format_bpm(c.high_bpm)}",
                     format_bpm(c.best_bpm), click,
                     f"{c.landed}/{len(c.hits)}", str(c.near_misses),
                     f"{float(c.mean_frames_off):.2f}", f"{float(c.max_frames_off):.2f}"])
    console.print(table(f"Find tempo: cue {result.cue.number} {result.cue.title} "
                        f"({result.hard_hits} hard hits)",
                        ["#", "range BPM", "best", "frame-click", "hits", "near", "mean off",
                         "max off"], rows,
                        right=("best", "hits", "near", "mean off", "max off")))
    if result.candidates:
        best = result.candidates[0]
        hit_rows = [[h.hit.label or "", f"{h.bar}|{h.beat}", f"{float(h.frames_off):+.2f}",
                     "yes" if h.landed else "no"] for h in best.hits]
        console.print(table(f"Hits at {format_bpm(best.best_bpm)} BPM",
                            ["hit", "bar|beat", "frames off", "lands"], hit_rows,
                            right=("frames off",)))
    if result.applied is not None:
        bpm = result.applied.segments[0].tempo_bpm
        console.print(f"Stored {format_bpm(bpm)} BPM ({format_frameclick(bpm, rate)}, exactly "
                      f"{bpm} BPM) as the tempo map of {result.cue.number}, solved on "
                      f"1/{result.applied.subdivision} beats.")


@tempo_app.command("solve")
def tempo_solve(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    tempo_range: str = typer.Option("40-240", "--range", help="Allowed tempos, LOW-HIGH BPM."),
    tolerance: str = typer.Option("1", "--tolerance", help="Frames a hit may be off its beat."),
    max_change: str = typer.Option("15", "--max-change",
                                   help="Largest tempo change allowed, in percent."),
    meter: str = typer.Option("4/4", "--meter", help="Meter of the solved map."),
    bar_change: bool = typer.Option(False, "--bar-change/--no-bar-change",
                                    help="Allow a bar of another length instead of a change."),
    subdivision: int = typer.Option(1, "--subdivision",
                                    help="Hits may land on 1/N of a beat (2: eighths in 4/4)."),
    prefer: str = typer.Option("100", "--prefer", help="Tempo (BPM) to stay near when "
                               "several solutions need as few changes."),
    pin: str | None = typer.Option(None, "--pin", help="Bars whose tempo is fixed, e.g. "
                                   "'1-4@120, 9-10@12-2'; the rest is re-solved."),
    start: str | None = typer.Option(None, "--start", help="Timecode of bar 1."),
    save: bool = typer.Option(False, "--save", help="Store the solution as the tempo map."),
) -> None:
    """The fewest tempo changes that land every hard hit."""
    from filmscore.sync.service import solve_for_cue
    from filmscore.sync.tempomap import parse_meter

    pctx = open_ctx(ctx)
    low, high = _range(tempo_range)
    result = solve_for_cue(pctx, cue, tempo_range=(low, high),
                           tolerance_frames=Fraction(tolerance),
                           max_change_ratio=Fraction(max_change) / 100, meter=parse_meter(meter),
                           allow_bar_change=bar_change, start=start, save=save,
                           subdivision=subdivision, prefer_bpm=Fraction(prefer), pins=pin)
    _show_map(pctx, result.cue, result.tempo_map,
              title=f"Solved: cue {result.cue.number} in {len(result.tempo_map.segments)} "
                    f"segment(s)" + (" (stored)" if save else " (not stored: --save)"))


@tempo_app.command("set")
def tempo_set(
    ctx: typer.Context,
    cue: str = typer.Argument(..., help="Cue number."),
    tempo: str | None = typer.Option(None, "--tempo", help="BPM (120, 117.55) or frame-click "
                                     "(12-2) for the whole cue."),
    meter: str = typer.Option("4/4", "--meter", help="Meter with --tempo."),
    segments: str | None = typer.Option(None, "--segments", help="Several segments: "
                                        "'8x4/4@120, 2x3/4@120>90, 1xfree:48'."),
    start: str | None = typer.Option(None, "--start", help="Timecode of bar 1 (default: the "
                                     "cue's start)."),
    count_in: int = typer.Option(0, "--count-in", help="Bars of count-in before bar 1."),
    pickup: int = typer.Option(0, "--pickup", help="Beats of pickup before bar 1."),
    subdivision: int = typer.Option(1, "--subdivision", help="The grid the hits land on "
                                    "(2: eighths): the click sheet measures them from it."),
) -> None:
    """Set a cue's tempo map by hand."""
    from filmscore.sync.service import set_map_by_hand

    pctx = open_ctx(ctx)
    cs = set_map_by_hand(pctx, cue, tempo=tempo, meter=meter, segments=segments, start=start,
                         count_in=count_in, pickup=pickup, subdivision=subdivision)
    _show_map(pctx, cs.cue, cs.tempo_map, title=f"Tempo map of cue {cs.cue.number} (stored)")


@tempo_app.command("show")
def tempo_show(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number.")) -> None:
    """A cue's tempo map bar by bar: timecode, meter, tempo, frame-click and hits."""
    from filmscore.sync.service import cue_sync, require_map

    pctx = open_ctx(ctx)
    cs = cue_sync(pctx, cue)
    _show_map(pctx, cs.cue, require_map(cs), title=f"Tempo map of cue {cs.cue.number} "
              f"{cs.cue.title} ({cs.origin})")


def _show_map(pctx, cue, tmap, *, title: str) -> None:
    from filmscore.sync.clicksheet import format_hit
    from filmscore.sync.service import sheet_for
    from filmscore.sync.tempomap import format_bpm

    rows = []
    for r in sheet_for(cue, tmap):
        hits = "; ".join(format_hit(h) for h in r.hits)
        tempo = "free" if r.free else format_bpm(r.tempo_bpm)
        rows.append([str(r.bar), r.timecode, r.meter if r.meter_shown else "",
                     tempo if r.tempo_shown else "",
                     r.frameclick if r.tempo_shown and not r.free else "", hits])
    console.print(table(title, ["bar", "timecode", "meter", "BPM", "frame-click", "hits"],
                        rows, right=("BPM",), wrap=("hits",)))


@tempo_app.command("export")
def tempo_export(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                 file: Path = typer.Argument(..., help="Output .mid file.")) -> None:
    """Write the tempo map as a Standard MIDI File (tempos, meters, hits as markers)."""
    from filmscore.sync.service import export_midi

    export_midi(open_ctx(ctx), cue, file)
    console.print(f"Wrote {file}.")


@tempo_app.command("import")
def tempo_import(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                 file: Path = typer.Argument(..., help="A .mid file with a tempo map."),
                 start: str | None = typer.Option(
                     None, "--start", help="Timecode of bar 1 (default: the file's SMPTE "
                     "offset; a file without one: the cue's start).")) -> None:
    """Read a tempo map from a Standard MIDI File (from a DAW, Dorico, Sibelius)."""
    from filmscore.sync.service import BAR_ONE_FROM, import_midi
    from filmscore.timecode import format_label

    pctx = open_ctx(ctx)
    cs, placed = import_midi(pctx, cue, file, start=start)
    _show_map(pctx, cs.cue, cs.tempo_map, title=f"Imported {file.name} as the tempo map of "
              f"cue {cs.cue.number}")
    console.print(f"Bar 1 at {format_label(cs.tempo_map.start_frame, pctx.rate)}, from "
                  f"{BAR_ONE_FROM[placed]}" + (": --start to place it elsewhere."
                                               if placed == "cue" else "."))


@tempo_app.command("sheet")
def tempo_sheet(ctx: typer.Context, cue: str = typer.Argument(..., help="Cue number."),
                file: Path = typer.Argument(..., help="Output .pdf or .csv")) -> None:
    """Write the click sheet: each bar's timecode, tempo, frame-click and hits."""
    from filmscore.sync.service import write_sheet

    write_sheet(open_ctx(ctx), cue, file)
    console.print(f"Wrote {file}.")


def click(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all)."),
    all_cues: bool = typer.Option(False, "--all", help="Every cue that has a tempo map."),
    out: Path | None = typer.Option(None, "--out", help="Output .wav (default: "
                                    "clicks/<cue>.wav in the project)."),
    subdivision: int = typer.Option(1, "--subdivision", help="Clicks per beat (2: eighths)."),
    count_in: bool = typer.Option(True, "--count-in/--no-count-in",
                                  help="Play the map's count-in bars."),
    warning: int = typer.Option(0, "--warning", help="Warning clicks before bar 1 when there "
                                "is no count-in."),
) -> None:
    """Render the click track of a cue (WAV, 48 kHz, 24-bit) and its MIDI tempo map."""
    from filmscore.sync.service import render_clicks

    pctx = open_ctx(ctx)
    done = _batch(pctx, cue, all_cues, "click", lambda n, o, report: render_clicks(
        pctx, n, out=o, subdivision=subdivision, count_in=count_in, warning_beats=warning),
        out)
    for number, files in done:
        console.print(f"{number}: " + ", ".join(str(f) for f in files))


def streamers(
    ctx: typer.Context,
    cue: str | None = typer.Argument(None, help="Cue number (or --all)."),
    all_cues: bool = typer.Option(False, "--all", help="Every cue that has a tempo map."),
    out: Path | None = typer.Option(None, "--out", help="Output video (default: "
                                    "streamers/<cue>.mp4 in the project)."),
    length: str = typer.Option("3", "--length", help="Streamer length in seconds (2, 3, 4)."),
    flutters: bool = typer.Option(False, "--flutters/--no-flutters",
                                  help="Flash a flutter on every bar line."),
    handles: str = typer.Option("2", "--handles", help="Seconds of picture before and after."),
) -> None:
    """Render the cue's picture with streamers, punches, timecode and bar|beat (ffmpeg)."""
    from filmscore.sync.service import render_streamers

    pctx = open_ctx(ctx)
    if all_cues and cue is None and out is None:  # every cue: one background job each
        from filmscore import jobs
        from filmscore.sync.service import cues_with_maps

        numbers = cues_with_maps(pctx)
        with working("streamers", total=len(numbers)) as report:
            done = jobs.run(pctx, "streamers", numbers, {
                "streamer_seconds": Fraction(length), "flutters": flutters,
                "handles_seconds": Fraction(handles)},
                progress=lambda st: report(st.counts["done"], len(numbers)))
        for number, files in done:
            console.print(f"{number}: " + ", ".join(str(f) for f in files))
        return
    done = _batch(pctx, cue, all_cues, "streamers", lambda n, o, report: render_streamers(
        pctx, n, out=o, streamer_seconds=Fraction(length), flutters=flutters,
        handles_seconds=Fraction(handles),
        progress=lambda frames, total: report(frames, total, f"streamers {n}: frames")), out)
    for number, files in done:
        console.print(f"{number}: " + ", ".join(str(f) for f in files))


def _batch(pctx, cue, all_cues, what, job, out):
    """One cue, or every cue with a tempo map, under a progress line: ``job(number, out,
    report)`` may report its own progress (frames of a video) with ``report``."""
    from filmscore.errors import InputError
    from filmscore.spotting.cues import require_one_or_all
    from filmscore.sync.service import cues_with_maps

    require_one_or_all(cue, all_cues, what)
    if cue is not None:
        with working(f"{what} {cue}") as report:
            return [(cue, job(cue, out, report))]
    if out is not None:
        raise InputError("--out names one file; with --all files go to the project folder",
                         field="out", value=str(out), valid="no --out with --all")
    numbers = cues_with_maps(pctx)
    done = []
    with working(what, total=len(numbers)) as report:
        for n, number in enumerate(numbers):
            report(n, len(numbers), f"{what} {number} ({n + 1} of {len(numbers)})")
            done.append((number, job(number, None, lambda *_a: None)))
        report(len(numbers), len(numbers))
    return done
