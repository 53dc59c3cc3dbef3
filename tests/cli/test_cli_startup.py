"""Start-up: the command line pays only for what a command uses.

Timing is left to bench/bench_startup.py; these tests guard the cause instead: which
modules a fresh interpreter has imported after starting `filmscore`, asking for help, and
listing the cues of a project at the current schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueNumber, CueSpec, SyncSpec
from filmscore.spotting.service import import_cues

SRC = Path(__file__).resolve().parents[2] / "src"

#: what no command needs to start: the numeric, music, timeline, PDF, solver and web
#: stacks (each imported by the commands that use them)
HEAVY = ("numpy", "scipy", "music21", "opentimelineio", "reportlab", "ortools", "fastapi",
         "starlette", "jinja2", "soundfile", "mido", "PIL")
#: what a command that reads the project needs, and a help text does not
DATABASE = ("sqlalchemy", "alembic", "psycopg")


def _imported_after(code: str, cwd: Path | None = None) -> tuple[list[str], str]:
    """Run ``code`` in a fresh interpreter (this checkout's sources first); the top-level
    packages it imported, and what it printed."""
    probe = (f"{code}\nimport json, sys\n"
             "sys.stderr.write('\\nMODULES ' + json.dumps(sorted({m.split('.')[0] "
             "for m in sys.modules})) + '\\n')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("FILMSCORE_DB", None)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out, _, modules = done.stderr.rpartition("\nMODULES ")
    return json.loads(modules), done.stdout + out


def _run_cli(*args: str) -> str:
    return (f"import sys\nsys.argv = ['filmscore', *{list(args)!r}]\n"
            "from filmscore.cli import main\ntry:\n    main()\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n")


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    modules, _ = _imported_after("import filmscore.cli")
    assert [m for m in (*HEAVY, *DATABASE) if m in modules] == []


def test_help_loads_no_heavy_library() -> None:
    modules, out = _imported_after(_run_cli("--help"))
    assert "spotting" in out and "mix" in out  # the whole help, every stage
    assert [m for m in (*HEAVY, *DATABASE) if m in modules] == []


def test_a_sub_command_help_loads_no_heavy_library() -> None:
    modules, out = _imported_after(_run_cli("mix", "make", "--help"))
    assert "--ceiling" in out and "-1.0" in out  # the default shown without numpy
    assert [m for m in (*HEAVY, *DATABASE) if m in modules] == []


def test_cue_list_at_the_current_schema_loads_no_alembic(tmp_path: Path) -> None:
    info = init_project(tmp_path / "p", title="Lean", fps="24")
    with open_project(info.directory) as pctx:
        import_cues(pctx, [CueSpec(number=CueNumber(1, 1), title="Main Title",
                                   start_frame=0, end_frame=240,
                                   sync_points=(SyncSpec(frame=24),))])
    modules, out = _imported_after(_run_cli("--project", str(info.directory), "cue", "list"),
                                   cwd=tmp_path)
    assert "Main Title" in out and "1 (1 hard)" in out
    assert "sqlalchemy" in modules  # it did read the database
    assert [m for m in (*HEAVY, "alembic") if m in modules] == []


#: run in a fresh interpreter: every command and group as the lazy command line makes it,
#: then as an app with every module registered up front (the way the command line was
#: built before), and which commands each module defines.  What a help text is made of
#: (each command's texts and each parameter's every attribute) is compared both ways;
#: the texts are rendered both ways at the top level only (the same rendering code lays
#: out the rest), and every help is rendered once, lazily, to show that it renders.
_BOTH_WAYS = """
import importlib, json, pkgutil, re, sys
import typer, typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner
import filmscore.cli as cli

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_TEXTS = ("name", "help", "epilog", "short_help", "options_metavar", "hidden",
          "deprecated", "no_args_is_help", "rich_help_panel", "add_help_option")

def _plain(value):
    return _ADDRESS.sub("", repr(value))

def describe(command):
    return {"texts": {a: _plain(getattr(command, a, None)) for a in _TEXTS},
            "params": [{k: _plain(v) for k, v in sorted(vars(p).items())}
                       for p in command.params],
            "callback": getattr(command.callback, "__qualname__", None),
            "summary": " ".join((command.help or "").split()[:6])}

def walk(app, render, bound=False):
    runner, out = CliRunner(), {}
    root = typer.main.get_command(app)
    if bound:  # what _load does to every command it makes: its whole numbers bounded
        for name in list(root.commands):
            cli._bounded(root.commands[name])
    ctx = root.make_context("filmscore", ["--help"], resilient_parsing=True)
    paths = [((), root)]
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        paths.append(((name,), command))
        if hasattr(command, "commands"):
            paths += [((name, sub), command.commands[sub]) for sub in command.commands]
    for path, command in paths:
        entry = {"made": describe(command)}
        if render or not path:
            result = runner.invoke(app, [*path, "--help"], prog_name="filmscore")
            entry["help"] = [result.exit_code, result.output]
        out[" ".join(path)] = entry
    return out

lazy = walk(cli.app, render=True)
modules = sorted(m.name for m in pkgutil.iter_modules(cli.__path__) if m.name != "__main__"
                 and hasattr(importlib.import_module(f"filmscore.cli.{m.name}"), "register"))
made = {}
for module in modules:
    staged = typer.Typer()
    importlib.import_module(f"filmscore.cli.{module}").register(staged)
    made[module] = list(typer.main.get_group(staged).commands)
eager = typer.Typer(cls=TyperGroup, name="filmscore", help=cli.app.info.help,
                    no_args_is_help=True, pretty_exceptions_enable=False,
                    add_completion=False)
for module in modules:
    importlib.import_module(f"filmscore.cli.{module}").register(eager)
print(json.dumps({"lazy": lazy, "eager": walk(eager, render=False, bound=True), "made": made,
                  "table": {k: list(v) for k, v in cli.COMMANDS.items()}}))
"""


def test_the_lazy_command_table_is_what_the_modules_define() -> None:
    """Every command of every module is in COMMANDS under that module, and every help (the
    top level, each group, each command in a group) is made of what the command line gave
    when every module was loaded up front, and renders."""
    _, out = _imported_after(_BOTH_WAYS)
    got = json.loads(out.strip().splitlines()[-1])
    table, made = got["table"], got["made"]
    defined = {name: module for module, names in made.items() for name in names}
    assert set(defined) == set(table)
    for name, modules in table.items():
        assert defined[name] == modules[0], name
    lazy, eager = got["lazy"], got["eager"]
    assert set(lazy) == set(eager) and len(lazy) > 100
    # every help renders, lazily: exit 0, its usage line and its own summary
    for path, entry in lazy.items():
        code, text = entry["help"]
        assert code == 0 and f"Usage: filmscore {path}".rstrip() in text, path
        assert entry["made"]["summary"] in " ".join(text.split()), path
    # the top level: the same lines (its order is the table's, not the modules')
    assert eager[""]["help"][0] == 0
    assert sorted(lazy[""]["help"][1].splitlines()) == sorted(
        eager[""]["help"][1].splitlines())
    # the rest: each command's texts and parameters, attribute for attribute
    assert {path: entry["made"] for path, entry in lazy.items() if path} == {
        path: entry["made"] for path, entry in eager.items() if path}
    assert any(entry["made"]["params"] for entry in lazy.values())


def test_the_fade_shapes_the_help_names_are_the_ones_there_are() -> None:
    from filmscore.mixing.fit import FADE_SHAPES
    from filmscore.mixing.vocabulary import FADE_SHAPE_NAMES

    assert tuple(FADE_SHAPES) == FADE_SHAPE_NAMES


#: a command whose reader has gone once some of its text was written: as `filmscore cue
#: add --help | head -20` fails, in Click's echo of the last lines (Rich handles a broken
#: pipe in its own writes; `| head -c 200` fails there and was already quiet)
_BROKEN_PIPE = """
import os, sys
import typer
from filmscore.cli import app, main

@app.command("piped")
def piped() -> None:
    typer.echo("a line the reader read")
    sys.stdout.flush()
    read, write = os.pipe()
    os.close(read)  # the reader has gone
    os.dup2(write, sys.stdout.fileno())
    typer.echo("a line after it went")

sys.argv = ["filmscore", "piped"]
main()
"""


def test_a_reader_that_closes_the_pipe_is_no_internal_error() -> None:
    """It said "internal error: BrokenPipeError" before; now it stops without a word."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", _BROKEN_PIPE], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert (done.stdout, done.stderr) == ("a line the reader read\n", "")
    assert done.returncode == 141  # 128 + SIGPIPE, as a shell reports it
