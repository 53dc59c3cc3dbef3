"""Every command with hostile values in its required arguments and options (or, for a
command that needs none, in its first option), on an empty project: the answer is a
result, a usage error or one line naming what is wrong; never an internal error (exit
70) or a traceback.  The commands are walked from the command table, so a new one is
tried without being listed here (the CLI side of issue 15's fuzz suite, as
tests/web/test_fuzz_addresses.py is the web's).  It found, the first time: an output
folder or file with a 300-byte name (`stagepack`, `roster export`, `roster ratecard`,
`takes sheet`: ENAMETOOLONG from a look at the path before it was written)."""

from __future__ import annotations

from filmscore.cli import COMMANDS, _load

HOSTILE = ["", "..", "x" * 300, "\x01", "-", "99:99:99:99", "nan", "²", "é" * 100,
           "/dev/zero", "a/b/../../.."]
#: commands that serve or wait (a web server, a queue worker) or build the whole demo
SKIP = {("serve",), ("worker",), ("demo",)}


def _leaves():
    for name in COMMANDS:
        stack = [((name,), _load(name))]
        while stack:
            path, command = stack.pop()
            subs = getattr(command, "commands", {})
            if subs:
                stack.extend(((*path, sub), c) for sub, c in subs.items())
            elif path not in SKIP:
                yield path, command


def test_no_command_ends_in_an_internal_error(cli, project24):
    tried, bad = 0, []
    for path, command in _leaves():
        required = [p for p in command.params if p.required]
        first = next((p for p in command.params if p.param_type_name == "option"
                      and not getattr(p, "is_flag", False) and p.name != "help"), None)
        if not required and first is None:
            continue
        for value in HOSTILE:
            args = ["--project", str(project24), *path]
            for param in required or [first]:
                args += [value] if param.param_type_name == "argument" else [
                    param.opts[0], value]
            result = cli.run(*args)
            tried += 1
            text = (result.stderr or "") + (result.stdout or "")
            crashed = result.exception is not None and not isinstance(result.exception,
                                                                      SystemExit)
            if result.exit_code == 70 or "Traceback" in text or crashed:
                bad.append((" ".join(path), value[:12], text.strip()[-200:]
                            or repr(result.exception)))
    assert tried > 1000   # every command was tried
    assert not bad, bad
