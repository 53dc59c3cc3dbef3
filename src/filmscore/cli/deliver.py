"""`filmscore place`, `filmscore timeline` and `filmscore deliver`: fitting the music to
the film and delivering it to the dub (thin: the work is in filmscore.mixing)."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.mixing.vocabulary import FADE_SHAPE_NAMES
from filmscore.rights.vocabulary import USAGES

FADES_HELP = ("Fade curve: " + ", ".join(FADE_SHAPE_NAMES) + " (segue crossfades are always "
              "equal_power).")


def _ms(samples: int, sample_rate: int) -> str:
    return f"{samples * 1000 / sample_rate:g}"


def place(ctx: typer.Context,
          cue: str = typer.Argument(..., help="The cue, e.g. 1M3."),
          use: int = typer.Option(None, "--use", "-u", help="Which use of the cue: 1 (at "
                                  "its own start, the default) or a further use 2, 3 ..."),
          at: str = typer.Option(None, "--at", help="Timecode where a further use's music "
                                 "starts (sample 0 of its mix), e.g. 01:20:00:00."),
          head_trim: float = typer.Option(None, "--head-trim", help="Milliseconds cut from "
                                          "the head of the mix."),
          tail_trim: float = typer.Option(None, "--tail-trim", help="Milliseconds cut from "
                                          "its tail."),
          fade_in: float = typer.Option(None, "--fade-in", help="Fade-in, milliseconds."),
          fade_out: float = typer.Option(None, "--fade-out", help="Fade-out, milliseconds."),
          usage: str = typer.Option(None, "--usage", help="Cue-sheet usage: "
                                    + ", ".join(USAGES) + "."),
          mix: int = typer.Option(None, "--mix", "-m", help="The mix version heard "
                                  "(default: the latest).")) -> None:
    """Place a use of CUE on the film: trims, fades, usage, mix (prints where it is heard)."""
    from filmscore.mixing.placing import place as place_use
    from filmscore.timecode import format_label

    with open_ctx(ctx) as pctx:
        placed = place_use(pctx, cue, use=use, at=at, head_trim_ms=head_trim,
                           tail_trim_ms=tail_trim, fade_in_ms=fade_in, fade_out_ms=fade_out,
                           usage=usage, mix=mix)
        sr, rate = pctx.sample_rate, pctx.rate
    console.print(f"{placed.name} {placed.usage}: {format_label(placed.record_in, rate)} to "
                  f"{format_label(placed.record_out, rate)} (samples {placed.start_sample}"
                  f"-{placed.end_sample}), "
                  + (f"mix v{placed.mix}" if placed.mix else "not mixed yet")
                  + f", trims {_ms(placed.head_trim, sr)}/{_ms(placed.tail_trim, sr)} ms, "
                  f"fades {_ms(placed.fade_in, sr)}/{_ms(placed.fade_out, sr)} ms")


def timeline(ctx: typer.Context,
             render: Path = typer.Option(None, "--render", "-r", help="Render the film's "
                                         "music into this folder: one Broadcast WAV per "
                                         "stem and one for the mix."),
             reel: int = typer.Option(None, "--reel", help="Render only this reel's cues "
                                      "(music_R2_STR.wav ...)."),
             fades: str = typer.Option("equal_power", "--fades", help=FADES_HELP)) -> None:
    """Show the film's music timeline (every use of every cue on the current picture)."""
    from filmscore.mixing.placing import music_timeline, render_timeline
    from filmscore.timecode import format_label

    with open_ctx(ctx) as pctx:
        music = music_timeline(pctx)
        segues = {b.name for _a, b in music.overlaps()}
        rows = [[p.name, p.title, format_label(p.record_in, music.rate),
                 format_label(p.record_out, music.rate), str(p.start_sample),
                 str(p.end_sample - p.start_sample), p.usage,
                 f"v{p.mix}" if p.mix else "—", p.layout or "—",
                 "segue" if p.name in segues else ""] for p in music.placements]
        console.print(table(f"{music.title}: the music timeline"
                            + (f" (picture v{music.picture_version})"
                               if music.picture_version else ""),
                            ["cue", "title", "in", "out", "start sample", "samples",
                             "usage", "mix", "layout", "segue"], rows,
                            right=("start sample", "samples")))
        if render is not None:
            with working("rendering the film's music"):
                done = render_timeline(pctx, render, fades=fades, reel=reel)
            console.print(f"Rendered {len(done.files)} files ({done.layout}, "
                          f"{done.frames} samples from sample {done.start_sample}) into "
                          f"{render}: " + ", ".join(p.name for p in done.files.values()))
            if done.clipped:
                console.print(f"{done.clipped} samples clipped where cues overlap")


def deliver(ctx: typer.Context,
            out: Path = typer.Option(None, "--out", "-o", help="The delivery folder "
                                     "(default: delivery/ in the project); a previous "
                                     "delivery there is replaced."),
            cues: list[str] = typer.Option(None, "--cues", "-c", help="Deliver only these "
                                           "cues (repeat, or 1M1,1M2)."),
            fades: str = typer.Option("equal_power", "--fades", help=FADES_HELP)) -> None:
    """Deliver the cues to the dub: stems and mix as Broadcast WAV, the timeline as OTIO,
    AAF and EDL, and a delivery report (PDF and CSV)."""
    from filmscore.mixing.deliver import deliver as deliver_all

    wanted = [c for item in cues or [] for c in item.split(",") if c.strip()] or None
    with open_ctx(ctx) as pctx, working("delivering to the dub") as report:
        done = deliver_all(pctx, out, cues=wanted, fades=fades, progress=report)
    console.print(f"Delivered {len(done.files)} files of "
                  f"{len({f.cue for f in done.files})} cues ({done.layout}) into "
                  f"{done.folder}: " + ", ".join((*done.timelines, *done.reports)))


def register(app: typer.Typer) -> None:
    app.command("place")(place)
    app.command("timeline")(timeline)
    app.command("deliver")(deliver)
