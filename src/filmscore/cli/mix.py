"""`filmscore mix` and `filmscore mixes`: mix a cue's comp into stems and a mix, in stereo
or 5.1, and keep the versions with notes.

``filmscore mix 1M3 --layout 5.1 --gain brass=-2 --pan strings=-0.3`` makes a new mix
version (``mix make`` is the same command spelled out); ``mix note CUE N TEXT`` notes a
version; ``mix show CUE [N]`` lists its files; ``filmscore mixes [CUE]`` lists versions.
"""

from __future__ import annotations

import math

import typer
from typer.core import TyperGroup

from filmscore.cli.common import console, open_ctx, table, working
from filmscore.errors import InputError
from filmscore.mixing.vocabulary import DEFAULT_CEILING_DBTP, LAYOUTS, STEM_NAMES


class _MixGroup(TyperGroup):
    """``mix CUE ...`` is ``mix make CUE ...``; ``mix`` alone shows the help."""

    def parse_args(self, ctx, args):  # type: ignore[override]
        if not args:
            args = ["--help"]
        elif args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


mix_app = typer.Typer(cls=_MixGroup, help=(
    "Mix a cue's comp: filmscore mix CUE [--layout stereo|5.1] [--gain STEM=DB ...] "
    "[--pan STEM=X ...] [--ceiling DBTP] [--note TEXT]; mix note|show CUE N."))


def _pairs(values: list[str] | None, option: str, example: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        stem, sep, number = item.partition("=")
        try:
            value = float(number)
        except ValueError:
            value = math.nan
        if not sep or not stem.strip() or not math.isfinite(value):
            raise InputError("not STEM=NUMBER", field=option, value=item,
                             valid=f"e.g. {example}; stems: {', '.join(STEM_NAMES)}")
        out[stem.strip()] = value
    return out


def settings_of(gains: list[str] | None, pans: list[str] | None) -> dict[str, dict]:
    """{stem: {"gain_db", "pan"}} from ``--gain STEM=DB`` and ``--pan STEM=X``."""
    settings: dict[str, dict] = {}
    for stem, value in _pairs(gains, "--gain", "brass=-3").items():
        settings.setdefault(stem, {})["gain_db"] = value
    for stem, value in _pairs(pans, "--pan", "strings=-0.5").items():
        settings.setdefault(stem, {})["pan"] = value
    return settings


def _num(value: float | None, unit: str) -> str:
    return f"{value:.1f} {unit}" if value is not None else "-"


@mix_app.command("make")
def make(ctx: typer.Context,
         cue: str = typer.Argument(..., help="The cue, e.g. 1M3."),
         layout: str = typer.Option("stereo", "--layout", "-l",
                                    help=f"Channel layout: {', '.join(LAYOUTS)}."),
         gain: list[str] = typer.Option(None, "--gain", "-g", help="STEM=DB, a stem's gain "
                                        "in dB (e.g. brass=-3); repeat per stem."),
         pan: list[str] = typer.Option(None, "--pan", "-p", help="STEM=X, a stem's pan from "
                                       "-1 (left) to 1 (right), 0 centre; repeat per stem."),
         ceiling: float = typer.Option(DEFAULT_CEILING_DBTP, "--ceiling", help="True-peak "
                                       "ceiling of the mix in dBTP (the master gain is "
                                       "lowered to keep under it)."),
         comp: int = typer.Option(None, "--comp", help="The comp version to mix (default: "
                                  "the latest)."),
         note: str = typer.Option("", "--note", "-n", help="Notes on this mix version."),
         by: str = typer.Option("", "--by", help="Who mixed it."),
         soundfont: str = typer.Option("fluidr3", "--soundfont", help="Soundfont for the "
                                       "electronics render: fluidr3, musescore, draft, or a "
                                       ".sf2 path.")) -> None:
    """Mix CUE's comp into stems and a mix (a new version; prints loudness and true peak)."""
    from filmscore.mixing.mixes import mix_cue

    settings = settings_of(gain, pan)
    with open_ctx(ctx) as pctx, working(f"mixing {cue} ({layout})"):
        spec = mix_cue(pctx, cue, layout=layout, settings=settings, comp=comp,
                       ceiling_dbtp=ceiling, notes=note, author=by, soundfont=soundfont)
    console.print(spec.line())


@mix_app.command("note")
def note_(ctx: typer.Context, cue: str = typer.Argument(..., help="The cue."),
          number: int = typer.Argument(..., help="The mix version."),
          text: str = typer.Argument(..., help="The notes."),
          append: bool = typer.Option(False, "--append", help="Add to the notes.")) -> None:
    """Set the notes of mix version N of CUE."""
    from filmscore.mixing.mixes import note_mix

    with open_ctx(ctx) as pctx:
        spec = note_mix(pctx, cue, number, text, append=append)
    console.print(f"{spec.cue} mix v{spec.number}: {spec.notes}")


@mix_app.command("show")
def show(ctx: typer.Context, cue: str = typer.Argument(..., help="The cue."),
         number: int = typer.Argument(None, help="The mix version (default: the latest).")
         ) -> None:
    """The files of a mix version: each stem and the mix, with loudness and peaks."""
    from filmscore.mixing.mixes import get_mix, mix_paths

    with open_ctx(ctx) as pctx:
        spec = get_mix(pctx, cue, number)
        paths = mix_paths(pctx, cue, spec.number)
        rate = pctx.sample_rate
    console.print(spec.line())
    rows = []
    for f in spec.files:
        chosen = spec.settings.get(f.stem, {})
        setting = ("" if f.stem == "mix" else
                   f"{chosen.get('gain_db', 0):+g} dB, pan {chosen.get('pan', 0):g}")
        rows.append([f.stem, str(f.channels), f"{f.frames / rate:.2f} s",
                     _num(f.loudness_lufs, "LUFS"), _num(f.true_peak_dbtp, "dBTP"),
                     _num(f.sample_peak_dbfs, "dBFS"), setting])
    console.print(table(None, ["stem", "ch", "length", "loudness", "true peak", "peak",
                               "setting"], rows))
    for f in spec.files:
        console.print(f"{f.stem}: {paths[f.stem]}")


def mixes_(ctx: typer.Context,
           cue: str = typer.Argument(None, help="Only this cue.")) -> None:
    """Every mix version (of one cue): layout, loudness, true peak, master gain, notes."""
    from filmscore.mixing.mixes import mixes

    with open_ctx(ctx) as pctx:
        specs = mixes(pctx, cue)
    rows = [[s.cue, f"v{s.number}", s.layout, f"v{s.comp_number}" if s.comp_number else "",
             _num(s.loudness_lufs, "LUFS"), _num(s.true_peak_dbtp, "dBTP"),
             f"{s.master_gain_db:+.2f} dB", str(len(s.stems)), s.author,
             s.created_at.strftime("%Y-%m-%d %H:%M") if s.created_at else "", s.notes]
            for s in specs]
    console.print(table(f"{len(specs)} mixes", ["cue", "mix", "layout", "comp", "loudness",
                                                "true peak", "master", "stems", "by", "made",
                                                "notes"], rows,
                        right=("loudness", "true peak", "master", "stems")))


def register(app: typer.Typer) -> None:
    app.add_typer(mix_app, name="mix")
    app.command("mixes")(mixes_)
