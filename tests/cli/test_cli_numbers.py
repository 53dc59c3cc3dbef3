"""A whole number on the command line is refused past what the database stores, and a
decimal one when it is NaN or infinite: every such parameter of every command (walked
from the command table, so a new one is covered), and end to end for the numbers that
once reached the database and came back as an internal error ("Python int too large to
convert to SQLite INTEGER")."""

from __future__ import annotations

import pytest
from typer._click.exceptions import BadParameter

from filmscore.cli import COMMANDS, _load
from filmscore.limits import bound

HUGE = "99999999999999999999"


def _params(kind: type = int):
    for name in COMMANDS:
        stack = [(name, _load(name))]
        while stack:
            path, command = stack.pop()
            stack.extend((f"{path} {sub}", c) for sub, c in
                         getattr(command, "commands", {}).items())
            for param in command.params:
                descriptor = getattr(param, "type_descriptor", None)
                if descriptor is not None and descriptor.annotation is kind:
                    yield path, param


def test_every_integer_parameter_is_bounded():
    params = list(_params(int))
    assert len(params) > 50
    limit = bound("cli_int")
    for path, param in params:
        for number in (limit.high + 1, -limit.high - 1, 10**20):
            with pytest.raises(BadParameter, match="too (large|small)"):
                param.callback(None, param, number)
            with pytest.raises(BadParameter):
                param.callback(None, param, [1, number])   # a repeated option too
        assert callable(param.callback), path


@pytest.mark.parametrize("args", [
    ("conform", "show", HUGE), ("album", "show", HUGE), ("mix", "show", "1M1", HUGE),
    ("take", "circle", "1M1", HUGE), ("plan", "make", "--workers", HUGE)])
def test_a_huge_number_is_a_usage_error_naming_it(cli, project24, args):
    result = cli.run("--project", project24, *args)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    text = " ".join(result.stderr.split())
    assert "Invalid value for" in text and f"{HUGE} is too large" in text, text
    assert "internal error" not in text and "Traceback" not in text


def test_every_decimal_parameter_is_a_finite_number():
    params = list(_params(float))
    assert len(params) >= 19
    for _path, param in params:
        for number in (float("nan"), float("inf"), float("-inf")):
            with pytest.raises(BadParameter, match="is not a number"):
                param.callback(None, param, number)


def test_nan_is_a_usage_error_naming_the_option(cli, project24):
    result = cli.run("--project", project24, "plan", "make", "--days", "2026-12-10",
                     "--time-limit", "nan")
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    text = " ".join(result.stderr.split())
    assert "Invalid value for '--time-limit': nan is not a number" in text, text
