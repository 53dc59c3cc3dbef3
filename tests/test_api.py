"""The public API map resolves, and every command and option of the CLI is documented."""

from __future__ import annotations

import typer

import filmscore
from filmscore.cli import app


def test_every_public_name_resolves():
    for name in filmscore.__all__:
        assert getattr(filmscore, name) is not None, name


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


def test_every_command_and_option_has_help():
    root = typer.main.get_command(app)
    missing = []
    seen = 0
    for path, command in _commands(root):
        seen += 1
        if not (command.help or "").strip():
            missing.append(" ".join(path))
        for param in command.params:
            if param.param_type_name == "option" and not (getattr(param, "help", "") or ""):
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert seen >= 20
    assert missing == [], "undocumented: " + ", ".join(missing)


def test_every_command_is_in_a_user_guide():
    from pathlib import Path

    guide = "\n".join(p.read_text() for p in (Path(__file__).parents[1] / "docs").glob("*.md"))
    root = typer.main.get_command(app)
    for path, command in _commands(root):
        if hasattr(command, "commands") or path[0] in {"demo", "info"}:
            continue
        assert f"filmscore {' '.join(path)}" in guide, " ".join(path)
