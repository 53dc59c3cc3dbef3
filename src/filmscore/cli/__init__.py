"""The `filmscore` command: one Typer sub-app per stage, each command thin.

Errors from the library are turned into one line on stderr and an exit status here, and
only here (see filmscore.errors for the tree and the exit codes); a FilmscoreWarning
issued while a command runs is printed as one line, 'filmscore: warning: ...', as it
happens, and the command goes on.
"""

from __future__ import annotations

import os
import sys
import warnings

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from filmscore.errors import FilmscoreError, FilmscoreWarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, FilmscoreWarning):
        typer.echo(f"filmscore: warning: {message}", err=True)
    else:  # anyone else's warning: Python's own format
        _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


class _FilmscoreGroup(TyperGroup):
    """Top-level group: turns a FilmscoreError anywhere below into one line and an exit
    code, and prints every FilmscoreWarning as one line."""

    def invoke(self, ctx):  # type: ignore[override]
        with warnings.catch_warnings():
            warnings.simplefilter("always", FilmscoreWarning)
            warnings.showwarning = _show_warning
            return self._invoke(ctx)

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FilmscoreError as error:
            typer.echo(f"filmscore: error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except KeyboardInterrupt as stop:
            # SIGTERM and SIGHUP arrive as an Interrupted (filmscore.children): 128 + signal
            typer.echo("filmscore: interrupted; nothing was written", err=True)
            raise typer.Exit(128 + getattr(stop, "signum", 2)) from None
        except Exception as error:  # a bug: still one line, unless debugging
            if os.environ.get("FILMSCORE_DEBUG"):
                raise
            typer.echo(
                f"filmscore: internal error: {type(error).__name__}: {error} "
                "(nothing was written; set FILMSCORE_DEBUG=1 for the traceback and report it)",
                err=True,
            )
            raise typer.Exit(70) from None


app = typer.Typer(
    cls=_FilmscoreGroup,
    name="filmscore",
    help="Run the production of a film score, from the spotting session to the album.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from filmscore.cli import (
        album,
        comp,
        conform,
        conform_fix,
        cuesheet,
        deliver,
        demo,
        jobs,
        master,
        mix,
        musicians,
        orchestration,
        picture,
        plan,
        project,
        publish,
        release,
        sessions,
        spotting,
        stagepack,
        sync,
        takes,
        web,
        writing,
    )

    project.register(app)
    picture.register(app)
    spotting.register(app)
    sync.register(app)
    writing.register(app)
    orchestration.register(app)
    musicians.register(app)
    sessions.register(app)
    plan.register(app)
    takes.register(app)
    comp.register(app)
    cuesheet.register(app)
    stagepack.register(app)
    mix.register(app)
    web.register(app)
    jobs.register(app)
    demo.register(app)
    deliver.register(app)
    master.register(app)
    release.register(app)
    publish.register(app)
    album.register(app)
    conform.register(app)
    conform_fix.register(app)


_register()


def main() -> None:
    """Console entry point."""
    from filmscore.children import remove_own_scratch, stop_on_signals

    stop_on_signals()  # a stopped command stops its workers and programs, removes its scratch
    try:
        app()
    except SystemExit as exit_:
        sys.exit(exit_.code)
    finally:  # what an interrupted cleanup may have left (what the run kept was renamed)
        remove_own_scratch()
