"""`filmscore release`: an album's release files for CD, vinyl and digital (thin: the work
is in filmscore.album.release)."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, working

MEDIA_HELP = "cd, vinyl, digital, or all (every medium the album has tracks on)."


def release(ctx: typer.Context,
            album: int = typer.Argument(..., help="The album's number."),
            medium: str = typer.Option(..., "--medium", "-m", help=MEDIA_HELP),
            out: Path = typer.Option(..., "--out", "-o", help="The folder to write into: "
                                     "each medium goes into its own subfolder (cd/, "
                                     "vinyl/, digital/)."),
            mp3: bool = typer.Option(False, "--mp3", help="Also make MP3 files (320 kbit/s, "
                                     "ID3v2.4 tags) beside the FLAC files (digital)."),
            aac: bool = typer.Option(False, "--aac", help="Also make AAC files (.m4a, 256 "
                                     "kbit/s, MP4 tags) beside the FLAC files (digital)."),
            cover: Path = typer.Option(None, "--cover", help="The cover art (PNG or JPEG, "
                                       "square, 1400 pixels or more); default: a generated "
                                       "cover with the album's and film's titles."),
            force: bool = typer.Option(False, "--force", help="Replace a medium's folder "
                                       "that is already in --out.")) -> None:
    """Write an album's release files: CD image, CUE sheet and PQ list; FLAC (MP3, AAC)
    tagged with cover art; vinyl premasters and side list; liner notes."""
    from filmscore.album.release import release as write

    lossy = tuple(kind for kind, wanted in (("mp3", mp3), ("aac", aac)) if wanted)
    with open_ctx(ctx) as pctx, working(f"writing album {album}'s release files"):
        done = write(pctx, album, medium, out, lossy=lossy, cover=cover, force=force)
    for item in done:
        minutes, seconds = divmod(int(item.seconds + 0.5), 60)
        console.print(f"{item.medium}: {item.tracks} tracks, {minutes}:{seconds:02d}, "
                      f"{len(item.files)} files into {item.folder}: "
                      + ", ".join(item.files), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("release")(release)
