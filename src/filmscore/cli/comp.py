"""`filmscore comp`: a cue's comp (which take covers which bars), proposed, set, rendered.

``filmscore comp CUE`` shows the current comp; ``comp propose|set|render|list`` do the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.mixing.vocabulary import DEFAULT_CROSSFADE_MS

if TYPE_CHECKING:  # the comps module brings numpy and the database: imported when used
    from filmscore.mixing.comps import CompSpec


class _CompGroup(TyperGroup):
    """``comp CUE`` is ``comp show CUE``; ``comp`` alone shows the help."""

    def parse_args(self, ctx, args):  # type: ignore[override]
        if not args:
            args = ["--help"]
        elif args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


comp_app = typer.Typer(cls=_CompGroup, help=(
    "A cue's comp, the takes edited together at bar lines: filmscore comp CUE shows it; "
    "comp propose|set|render|list."))


def _head(spec: CompSpec) -> str:
    how = "proposed" if spec.proposed else "set"
    who = f" by {spec.author}" if spec.author else ""
    stems = (f"; rendered: {', '.join(f.stem for f in spec.files)}" if spec.files
             else "; not rendered")
    return (f"{spec.cue} comp v{spec.number} ({how}{who}; {spec.crossfade_ms:g} ms crossfades; "
            f"tempo map v{spec.tempo_map_version}){stems}")


def _timecode(pctx, film_sample: int) -> str:
    from filmscore.mixing.placing import frame_of_sample
    from filmscore.timecode import format_label

    return format_label(frame_of_sample(film_sample, pctx.rate, pctx.sample_rate), pctx.rate)


def _show(pctx, spec: CompSpec) -> None:
    console.print(_head(spec))
    console.print(f"edit list: {spec.edit_list()}")
    rows = []
    for seg, (a, b) in zip(spec.segments, spec.segment_samples, strict=False):
        rows.append([str(seg.take), f"{seg.from_text}-{seg.to_text}",
                     _timecode(pctx, a + spec.cue_start_sample),
                     _timecode(pctx, b + spec.cue_start_sample)])
    console.print(table(None, ["take", "bars", "from", "to"], rows, right=("take",)))
    if spec.edits:
        console.print(table(None, ["edit at", "timecode", "sample", "takes", "crossfade"], [
            [str(e.at), _timecode(pctx, e.film_sample), str(e.sample),
             f"{e.out_take} > {e.in_take}", f"{e.fade_start}-{e.fade_end}"]
            for e in spec.edits], right=("sample",)))
    if spec.flagged:
        console.print(f"flagged: {spec.flagged}")
    if spec.notes:
        console.print(f"notes: {spec.notes}")


_CROSSFADE_HELP = (f"Crossfade length at every edit, in milliseconds, centred on the edit "
                   f"(default {DEFAULT_CROSSFADE_MS}; 0: a butt splice).")


@comp_app.command("show")
def show(ctx: typer.Context,
         cue: str = typer.Argument(..., help="The cue, e.g. 1M2."),
         version: int = typer.Option(None, "--version", "-v",
                                     help="The comp version (default: the latest).")) -> None:
    """Show a cue's comp: its segments, the edits' timecodes and samples, flagged takes."""
    from filmscore.mixing.comps import comp_of

    with open_ctx(ctx) as pctx:
        _show(pctx, comp_of(pctx, cue, version))


@comp_app.command("propose")
def propose(ctx: typer.Context,
            cue: str = typer.Argument(..., help="The cue, e.g. 1M2."),
            crossfade_ms: float = typer.Option(None, "--crossfade-ms", help=_CROSSFADE_HELP),
            by: str = typer.Option("", "--by", help="Who made it.")) -> None:
    """Propose a new comp from the circled takes with the fewest edits."""
    from filmscore.mixing.comps import propose_comp

    with open_ctx(ctx) as pctx:
        _show(pctx, propose_comp(pctx, cue, crossfade_ms=crossfade_ms, author=by))


@comp_app.command("set")
def set_(ctx: typer.Context,
         cue: str = typer.Argument(..., help="The cue, e.g. 1M2."),
         edits: list[str] = typer.Argument(..., help="Segments FROM-TO=TAKE in cue order, "
                                           "e.g. 1-12=4 13-20=7, or 1-12.3=4 12.3-20=7 to "
                                           "cut on beat 3 of bar 12."),
         crossfade_ms: float = typer.Option(None, "--crossfade-ms", help=_CROSSFADE_HELP
                                            + " Default here: the latest comp's."),
         note: str = typer.Option("", "--note", "-n", help="Why this comp (kept with it)."),
         by: str = typer.Option("", "--by", help="Who made it.")) -> None:
    """Set the cue's comp by hand: a new version."""
    from filmscore.mixing.comps import set_comp

    with open_ctx(ctx) as pctx:
        _show(pctx, set_comp(pctx, cue, edits, crossfade_ms=crossfade_ms, notes=note,
                             author=by))


@comp_app.command("render")
def render(ctx: typer.Context,
           cue: str = typer.Argument(..., help="The cue, e.g. 1M2."),
           version: int = typer.Option(None, "--version", "-v",
                                       help="The comp version (default: the latest)."),
           convert: bool = typer.Option(False, "--convert", help="Convert takes at another "
                                        "sample rate or bit depth (soxr; 24-bit) instead of "
                                        "refusing them."),
           silence_missing: bool = typer.Option(False, "--silence-missing", help="A take "
                                                "without a stem other takes have is silent "
                                                "in it, instead of refused.")) -> None:
    """Render a comp to one 24-bit Broadcast WAV per stem (in the media store)."""
    from filmscore.mixing.comps import render_comp

    with open_ctx(ctx) as pctx, working("rendering the comp's stems") as report:
        spec = render_comp(pctx, cue, version, convert=convert,
                           silence_missing=silence_missing, report=report)
    seconds = spec.frames / spec.sample_rate
    console.print(f"{spec.cue} comp v{spec.number}: {len(spec.files)} stem"
                  f"{'s' if len(spec.files) != 1 else ''}, {seconds:.3f} s "
                  f"({spec.frames} samples)")
    console.print(table(None, ["stem", "channels", "samples", "media"], [
        [f.stem, str(f.channels), str(f.frames), f.media_hash[:12]] for f in spec.files],
        right=("channels", "samples")))
    if spec.flagged:
        console.print(f"flagged: {spec.flagged}")


@comp_app.command("list")
def list_(ctx: typer.Context,
          cue: str = typer.Argument(None, help="Only this cue's comps.")) -> None:
    """List every comp version (of one cue)."""
    from filmscore.mixing.comps import comps

    with open_ctx(ctx) as pctx:
        found = comps(pctx, cue)
    if not found:
        console.print("no comps yet (filmscore comp propose CUE)")
        return
    console.print(table(None, ["cue", "comp", "edit list", "made", "by", "rendered", "flagged",
                               "notes"], [
        [c.cue, f"v{c.number}", c.edit_list(), "proposed" if c.proposed else "set", c.author,
         ", ".join(f.stem for f in c.files) or "-", "yes" if c.flagged else "", c.notes]
        for c in found]))


def register(app: typer.Typer) -> None:
    app.add_typer(comp_app, name="comp")
