"""What every command shares: the project folder option, opening it, and printing tables."""

from __future__ import annotations

import os
import shutil
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
