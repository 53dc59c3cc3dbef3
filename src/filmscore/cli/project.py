"""`filmscore init` and `filmscore info`: make and describe a project folder."""

from __future__ import annotations

from pathlib import Path

import typer

from filmscore.cli.common import console, open_ctx, state


def register(app: typer.Typer) -> None:
    @app.callback()
    def _root(
        ctx: typer.Context,
        project: Path = typer.Option(
            Path("."), "--project", "-p", envvar="FILMSCORE_PROJECT",
            help="Project folder (default: the current folder).",
        ),
        db: str | None = typer.Option(
            None, "--db", envvar="FILMSCORE_DB",
            help="Database URL, e.g. postgresql://user@host/db (default: the project's SQLite).",
        ),
    ) -> None:
        """filmscore: the film score, from spotting to soundtrack album."""
        st = state(ctx)
        st.project_dir, st.db = project, db

    @app.command("init")
    def init(
        ctx: typer.Context,
        directory: Path = typer.Argument(..., help="Folder to create the project in."),
        title: str = typer.Option(..., "--title", "-t", help="Film title."),
        fps: str = typer.Option("24", "--fps", help="Picture rate: 23.976, 24, 25, "
                                "29.97df, 29.97, 30, 47.952, 48, 50, 59.94df, 59.94, 60."),
        db: str | None = typer.Option(None, "--db", help="Database URL (default: SQLite "
                                      "in the folder; FILMSCORE_DB works too)."),
        gauge: str = typer.Option("35mm4p", "--gauge", help="Film gauge for feet+frames: "
                                  "35mm4p, 35mm3p, 16mm."),
    ) -> None:
        """Make a new project folder: database, media store, title and frame rate."""
        from filmscore.project import init_project

        info = init_project(directory, title=title, fps=fps, db=db or state(ctx).db,
                            gauge=gauge)
        console.print(f"Made project '{title}' at {info.rate.name} fps in {directory} "
                      f"({info.db_label}).")

    @app.command("info")
    def info(ctx: typer.Context) -> None:
        """Show the project: title, rate, database, picture versions and cues."""
        from filmscore.spotting.service import list_cues, list_pictures

        pctx = open_ctx(ctx)
        pictures = list_pictures(pctx)
        cues = list_cues(pctx)
        console.print(f"{pctx.title}  ({pctx.rate.name} fps, {pctx.db_label})")
        console.print(f"picture versions: {len(pictures)}"
                      + (f", current v{pictures[-1].number} {pictures[-1].name}"
                         if pictures else ""))
        console.print(f"cues: {len(cues)}, sync points: "
                      f"{sum(len(c.sync_points) for c in cues)}")
