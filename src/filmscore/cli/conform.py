"""`filmscore conform ...`: follow a re-cut picture (placeholder on this branch: the
compare and apply commands and this sub-app come from the conform CLI; `fix` is in
:mod:`filmscore.cli.conform_fix`)."""

from __future__ import annotations

import typer

conform_app = typer.Typer(help="Conform: compare two cuts, apply the change list to the "
                          "cues, fix the music of the cues it flagged.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(conform_app, name="conform")
