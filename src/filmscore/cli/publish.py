"""`filmscore publish`: sheet-music editions of a cue (thin: the work is in
filmscore.album.editions)."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.album.editions import EDITIONS
from filmscore.cli.common import console, open_ctx


def publish(ctx: typer.Context,
            cue: str = typer.Argument(..., help="The cue, e.g. 1M1 (it must be orchestrated)."),
            edition: str = typer.Option("piano", "--edition", "-e", help="The edition: "
                                        + "; ".join(f"{k} ({v})" for k, v in EDITIONS.items())
                                        + "."),
            all_editions: bool = typer.Option(False, "--all-editions", help="Make every "
                                              "edition (piano and lead sheet)."),
            out: Path = typer.Option(Path("editions"), "--out", "-o", help="Folder the "
                                     "editions go into (a folder per cue)."),
            version: int = typer.Option(None, "--version", "-v", help="The orchestration "
                                        "version to publish from (default: the latest)."),
            melody: str = typer.Option(None, "--melody", help="The full score's part that "
                                       "carries the melody throughout, e.g. 'Violin I' "
                                       "(default: found bar by bar).")) -> None:
    """Publish a cue as sheet music: a piano solo or a lead sheet (MusicXML + PDF)."""
    from filmscore.album.editions import check_edition
    from filmscore.album.editions import publish as make

    editions = list(EDITIONS) if all_editions else [check_edition(edition)]
    with open_ctx(ctx) as pctx:
        for name in editions:
            done = make(pctx, cue, edition=name, out=out, version=version, melody_part=melody)
            console.print(f"{done.cue} {name}: {done.pdf} ({done.pages} "
                          f"page{'s' * (done.pages != 1)}), {done.musicxml.name}")
            for first, last, part in done.melody_parts:
                bars = f"bar {first}" if first == last else f"bars {first}-{last}"
                console.print(f"  melody: {bars} from {part}")
            for line in done.notes:
                console.print(f"  simplified: {line}")
            if done.chords:
                console.print("  chords: " + "  ".join(f"{at} {sym}" for at, sym in done.chords))
            n = len(done.findings)
            console.print(f"  engraving check: {n} finding{'s' * (n != 1)}" if n
                          else "  engraving check: no findings")
            for line in done.findings:
                console.print(f"    {line}")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
