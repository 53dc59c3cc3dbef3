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
        composer: str = typer.Option("", "--composer", help="Credited on every part and "
                                     "score ('Music: NAME')."),
        orchestrator: str = typer.Option("", "--orchestrator", help="Credited on every "
                                         "part and score (an orchestration's --by wins)."),
    ) -> None:
        """Make a new project folder: database, media store, title and frame rate."""
        from filmscore.project import init_project, open_project

        info = init_project(directory, title=title, fps=fps, db=db or state(ctx).db,
                            gauge=gauge)
        if composer or orchestrator:
            from filmscore.orchestration.service import set_project_credits

            with open_project(directory, db=db or state(ctx).db) as pctx:
                set_project_credits(pctx, composer=composer, orchestrator=orchestrator)
        console.print(f"Made project '{title}' at {info.rate.name} fps in {directory} "
                      f"({info.db_label}).")

    project_app = typer.Typer(help="The project's settings: credits for parts and scores.",
                              no_args_is_help=True)
    app.add_typer(project_app, name="project")

    @project_app.command("show")
    def project_show(ctx: typer.Context) -> None:
        """The project's title, rate and credits."""
        from filmscore.orchestration.service import project_credits

        pctx = open_ctx(ctx)
        credits = project_credits(pctx)
        console.print(f"title: {pctx.title}\nrate: {pctx.rate.name} fps\n"
                      f"gauge: {pctx.film_gauge}\ncomposer: {credits.composer or '-'}\n"
                      f"orchestrator: {credits.orchestrator or '-'}\n"
                      f"sync-feet: {'yes' if credits.sync_feet else 'no'}",
                      markup=False, highlight=False)

    @project_app.command("set")
    def project_set(
        ctx: typer.Context,
        key: str = typer.Argument(..., help="composer, orchestrator or sync-feet."),
        value: str = typer.Argument(..., help="The name ('' to clear); for sync-feet "
                                    "yes or no (sync points show feet+frames too)."),
    ) -> None:
        """Set a project setting: who is credited on every part and score, and whether
        sync points show their feet+frames."""
        from filmscore.errors import InputError
        from filmscore.orchestration.service import set_project_credits

        pctx = open_ctx(ctx)
        name = key.strip().lower().replace("_", "-")
        if name in ("composer", "orchestrator"):
            set_project_credits(pctx, **{name: value})
        elif name == "sync-feet":
            flag = value.strip().lower()
            if flag not in ("yes", "no", "true", "false", "on", "off", "1", "0"):
                raise InputError("not yes or no", field="sync-feet", value=value,
                                 valid="yes or no")
            set_project_credits(pctx, sync_feet=flag in ("yes", "true", "on", "1"))
        else:
            raise InputError("not a project setting", field="key", value=key,
                             valid="composer, orchestrator, sync-feet")
        console.print(f"{name}: {value or '-'}", markup=False, highlight=False)

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
