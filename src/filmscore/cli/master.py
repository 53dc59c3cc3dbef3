"""`filmscore master ALBUM --medium cd|vinyl|digital|all`: master an album's tracks for
a medium (gain to the loudness target, true-peak limiting, the release's rate and bits)
and print what was done to each track."""

from __future__ import annotations

import math

import typer

from filmscore.album.vocabulary import MASTER_MODES, MEDIUM_NAMES
from filmscore.cli.common import console, open_ctx, table, working
from filmscore.errors import InputError


def _num(value: float | None, unit: str = "", signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return (f"{value:+.1f}" if signed else f"{value:.1f}") + (f" {unit}" if unit else "")


def master(ctx: typer.Context,
           album: int = typer.Argument(..., help="The album's number (1 for the first "
                                       "edition)."),
           medium: str = typer.Option(..., "--medium", "-m", help="The medium to master "
                                      f"for: {', '.join(MEDIUM_NAMES)}, or all (every "
                                      "medium the album has tracks on)."),
           mode: str = typer.Option(None, "--mode", help="track: each track to the target; "
                                    "album: one gain for the album, the tracks keeping "
                                    "their relative levels (default: the album's setting "
                                    "for the medium, else track)."),
           target: float = typer.Option(None, "--target", help="Integrated loudness target "
                                        "in LUFS (default: the album's setting, else the "
                                        "medium's: CD -12, vinyl -16, digital -14).")) -> None:
    """Master an album for CD, vinyl or digital: gain to the loudness target, a true-peak
    limiter under the medium's ceiling, the medium's sample rate and bits (CD: 44.1 kHz,
    16 bits with TPDF dither)."""
    from filmscore.album.mastering import master_album, media_with_tracks

    if medium != "all" and medium not in MEDIUM_NAMES:
        raise InputError("unknown medium", field="--medium", value=medium,
                         valid=", ".join((*MEDIUM_NAMES, "all")))
    if mode is not None and mode not in MASTER_MODES:
        raise InputError("unknown mastering mode", field="--mode", value=mode,
                         valid=", ".join(MASTER_MODES))
    with open_ctx(ctx) as pctx:
        media = media_with_tracks(pctx, album) if medium == "all" else [medium]
        if not media:
            raise InputError(f"album {album} has no tracks on any medium yet",
                             field="--medium", value="all",
                             valid="an album sequenced for cd, vinyl or digital")
        for name in media:
            with working(f"mastering album {album} for {name}") as report:
                done = master_album(pctx, album, name, mode=mode, target_lufs=target,
                                    progress=lambda i, n: report(i, n))
            rows = [[str(t.position) + (f" {t.side}" if t.side else ""), t.title,
                     _num(t.loudness_before_lufs, "LUFS"), _num(t.true_peak_before_dbtp, "dBTP"),
                     _num(t.gain_db, "dB", signed=True),
                     _num(t.limiter_db, "dB") if t.limiter_db < -0.05 else "-",
                     _num(t.loudness_lufs, "LUFS"), _num(t.true_peak_dbtp, "dBTP"),
                     _num(t.loudness_range_lu, "LU")] for t in done.tracks]
            console.print(table(
                f"Album {album}, {name}: {done.mode} mode, target {done.target_lufs:g} LUFS, "
                f"ceiling {done.ceiling_dbtp:g} dBTP, {done.sample_rate} Hz {done.bits}-bit",
                ["track", "title", "before", "peak before", "gain", "limiting", "after",
                 "true peak", "LRA"], rows,
                right=("before", "peak before", "gain", "limiting", "after", "true peak",
                       "LRA")))
            for t in done.tracks:
                if done.mode == "track" and t.loudness_lufs < done.target_lufs - 0.1:
                    console.print(f"Track {t.position} is {done.target_lufs - t.loudness_lufs:.1f} "
                                  f"LU under the target: the limiter already takes "
                                  f"{-t.limiter_db:.1f} dB; lower the target, or master in "
                                  "album mode.")


def register(app: typer.Typer) -> None:
    app.command("master")(master)
