"""What every command shares: the project folder option, opening it, and printing tables."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

# Piped output (CI logs, `make demo | tee`) gets 120 columns instead of Rich's 80.
# No markup: user text such as "[barking and roaring]" or a title "[TEMP] Main" is printed
# as written (with markup on, Rich took it for a style tag and dropped it).
console = Console(highlight=False, markup=False, width=None if os.isatty(1) else max(
    120, shutil.get_terminal_size((120, 24)).columns))


@dataclass
class CliState:
    project_dir: Path
    db: str | None


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(Path("."), None)
    return root.obj


def open_ctx(ctx: typer.Context):
    """Open the project named by --project (or FILMSCORE_PROJECT, or the current folder)."""
    from filmscore.project import open_project

    st = state(ctx)
    return open_project(st.project_dir, db=st.db)


def table(title: str | None, columns: list[str], rows: list[list[str]], *,
          right: tuple[str, ...] = (), wrap: tuple[str, ...] = ("title", "notes", "text",
                                                                "name", "what")) -> Table:
    out = Table(title=title, title_justify="left", show_lines=False, pad_edge=False)
    for name in columns:
        out.add_column(name, justify="right" if name in right else "left",
                       overflow="ellipsis" if name in wrap else "fold",
                       no_wrap=name not in wrap)
    for row in rows:
        out.add_row(*row)
    return out


class _Report:
    """What ``working`` yields: call it with (done, total) and/or a new description."""

    def __init__(self, progress, task) -> None:
        self._progress, self._task = progress, task

    def __call__(self, done: int | None = None, total: int | None = None,
                 text: str | None = None) -> None:
        if self._progress is None:
            return
        fields: dict = {}
        if total is not None:
            fields["total"] = total
        if done is not None:
            fields["completed"] = done
        if text is not None:
            fields["description"] = text
        self._progress.update(self._task, **fields)

    def step(self, text: str) -> None:
        """A new step of work of unknown length (the bar pulses)."""
        if self._progress is not None:
            self._progress.update(self._task, description=text, total=None, completed=0)


@contextmanager
def working(description: str, *, total: int | None = None, enabled: bool = True):
    """Show long work while it runs, as `filmscore demo` shows its steps: a Rich progress
    line (spinner, what, a bar when the total is known, elapsed time) on the terminal,
    gone when the work ends.  Yields a ``_Report``: ``report(done, total)``,
    ``report(text=...)``, ``report.step(text)`` (pass them to a library's callback).
    Output that is not a terminal (a pipe, a log, a test) gets none of it."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    if not enabled or not console.is_terminal:  # piped output: no progress lines in it
        yield _Report(None, None)
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        yield _Report(progress, progress.add_task(description, total=total))
