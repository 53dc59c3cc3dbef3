"""`filmscore plan`: (being written for issue 10)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Nothing yet."""
