"""The `filmscore` command: one Typer sub-app per stage, each command thin.

Errors from the library are turned into one line on stderr and an exit status here, and
only here (see filmscore.errors for the tree and the exit codes); a FilmscoreWarning
issued while a command runs is printed as one line, 'filmscore: warning: ...', as it
happens, and the command goes on.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import math
import os
import sys
import warnings
from collections.abc import Iterator, MutableMapping

import typer
import typer.main
from typer import _click
from typer._click.exceptions import BadParameter
from typer.core import TyperGroup
from typer.exceptions import TyperException

from filmscore.errors import FilmscoreError, FilmscoreWarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, FilmscoreWarning):
        typer.echo(f"filmscore: warning: {message}", err=True)
    else:  # anyone else's warning: Python's own format
        _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


#: every command under `filmscore`, in the order its help lists them, with the modules of
#: filmscore.cli that define it.  A command's modules are imported when it is run (or
#: when the help lists it), so a command pays for its own stage only; tests/cli
#: (test_cli_startup.py) holds this table equal to what registering every module gives.
COMMANDS: dict[str, tuple[str, ...]] = {
    "init": ("project",), "info": ("project",),
    "click": ("sync",), "streamers": ("sync",),
    "mockup": ("writing",),
    **dict.fromkeys(("ensembles", "orchestrate", "decisions", "instrumentation", "check",
                     "parts", "score", "books"), ("orchestration",)),
    "usage": ("cuesheet",), "cuesheet": ("cuesheet",),
    "stagepack": ("stagepack",),
    "mixes": ("mix",),
    "serve": ("web",),
    "worker": ("jobs",), "jobs": ("jobs",),
    "demo": ("demo",),
    "place": ("deliver",), "timeline": ("deliver",), "deliver": ("deliver",),
    "master": ("master",), "release": ("release",), "publish": ("publish",),
    "project": ("project",), "picture": ("picture",),
    "cue": ("spotting",), "sync": ("spotting",), "spotting": ("spotting",),
    "tempo": ("sync",),
    "music": ("writing",), "themes": ("writing",), "review": ("writing",),
    "roster": ("musicians",), "book": ("musicians",),
    "session": ("sessions",), "plan": ("plan",),
    "take": ("takes",), "takes": ("takes",),
    "comp": ("comp",), "rights": ("cuesheet",), "mix": ("mix",), "user": ("web",),
    "album": ("album",),
    "conform": ("conform", "conform_fix"),  # conform_fix adds `conform fix|regenerate`
}

#: the commands loaded so far, made once a process (Typer rebuilds its own on every call;
#: a module's register() may add to another's sub-app, so it must run only once)
_LOADED: dict[str, _click.Command] = {}


def _load(name: str) -> _click.Command:
    """The command ``name``, its modules imported and registered on a Typer of their own
    (every command those modules define is kept for later)."""
    if name not in _LOADED:
        staged = typer.Typer()
        for module in COMMANDS[name]:
            importlib.import_module(f"filmscore.cli.{module}").register(staged)
        for made, command in typer.main.get_group(staged).commands.items():
            _LOADED.setdefault(made, _bounded(command))
    return _LOADED[name]


def _bounded(command: _click.Command) -> _click.Command:
    """``command`` (and its subcommands) with every whole-number parameter refused past
    the bound 'cli_int' (what the database stores in an INTEGER) and every decimal one
    refused when it is not a finite number: an album, change list, take or version number
    of 10^20 is a usage error naming the parameter, not an "int too large" from the
    database, and ``--time-limit nan`` never reaches a solver.  One place for the 61
    integer and 19 decimal parameters; each command checks its own range after."""
    from filmscore.limits import bound

    limit = bound("cli_int")
    stack = [command]
    while stack:
        cmd = stack.pop()
        stack.extend(getattr(cmd, "commands", {}).values())
        for param in cmd.params:
            kind = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            if kind is int or kind is float:
                param.callback = _within(limit if kind is int else None, param.callback)
    return command


def _within(limit, then):
    """A parameter callback refusing a whole number outside ``limit`` (None: a decimal
    that is NaN or infinite), then calling the parameter's own callback ``then``."""
    def check(ctx, param, value):
        for number in value if isinstance(value, list | tuple) else (value,):
            if limit is None:
                if isinstance(number, float) and not math.isfinite(number):
                    raise BadParameter(f"{number} is not a number (valid: a finite "
                                       "number)", ctx=ctx, param=param)
            elif isinstance(number, int) and not limit.holds(number):
                size = "large" if number > limit.high else "small"
                raise BadParameter(f"{number} is too {size} (valid: {limit.valid})",
                                   ctx=ctx, param=param)
        return value if then is None else then(ctx, param, value)
    return check


class _LazyCommands(MutableMapping):
    """A group's commands: every name of COMMANDS is there, its command made when asked
    for.  Names and ``in`` cost nothing (Typer's "did you mean" uses them); reading one
    loads it, listing every value (the help) loads all."""

    def __init__(self, made: MutableMapping[str, _click.Command]) -> None:
        self._made = dict(made)

    def __getitem__(self, name: str) -> _click.Command:
        if name in self._made:
            return self._made[name]
        if name not in COMMANDS:
            raise KeyError(name)
        return _load(name)

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._made[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._made if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(1 for name in self._made if name not in COMMANDS)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._made


class _FilmscoreGroup(TyperGroup):
    """Top-level group: turns a FilmscoreError anywhere below into one line and an exit
    code, and prints every FilmscoreWarning as one line; its commands are loaded when
    used (see COMMANDS)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx):  # type: ignore[override]
        return list(self.commands)  # the names only: nothing is loaded to list them

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
        except BrokenPipeError:  # `filmscore cue list | head`: the reader has had enough
            _quiet_stdout()
            raise typer.Exit(128 + 13) from None  # as a shell reports SIGPIPE
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
    from filmscore.cli import project

    # the root options (--project, --db) and init, info, project: every command needs the
    # first, and they cost nothing to define; the rest are loaded by _LazyCommands
    project.register(app)


_register()


def _quiet_stdout() -> None:
    """Point standard output at /dev/null: the reader of a pipe has closed it, and the
    interpreter's last flush would otherwise fail again (with "Exception ignored")."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console entry point."""
    from filmscore.children import remove_own_scratch, stop_on_signals

    stop_on_signals()  # a stopped command stops its workers and programs, removes its scratch
    try:
        app()
    except SystemExit as exit_:
        code = exit_.code
        try:  # what is still buffered goes now, while a closed pipe can still be told
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_stdout()
            code = code or 128 + 13
        sys.exit(code)
    finally:  # what an interrupted cleanup may have left (what the run kept was renamed)
        remove_own_scratch()
        # The interpreter's shutdown runs full garbage collections over every object the
        # imports made (SQLAlchemy, the model, Typer): about 0.15 s of CPU, a quarter of a
        # command that opens the project.  Frozen objects are skipped by them; what is
        # still alive is freed as usual, atexit handlers and weakref finalizers still run,
        # and only unreachable cycles are left for the operating system to reclaim.
        gc.freeze()
