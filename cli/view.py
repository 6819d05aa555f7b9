"""``twin view``: the campus in a desktop window (pyvista), coloured by viewer mode."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.app import CliError, app, console
from cli.construction import At, parse_at
from cli.options import Database, DataDir, open_twin


@app.command()
def view(
    mode: Annotated[
        str, typer.Option("--mode", help="visitor, leasing, construction or facilities.")
    ] = "visitor",
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Open the campus in a desktop window (needs a display); returns when it is closed."""
    from viewer.pictures import show_mode

    twin = open_twin(data, db)
    console.print("Opening the campus in a window; close it to return.")
    try:
        show_mode(twin, mode, parse_at(at))
    except RuntimeError as exc:
        raise CliError(str(exc)) from None
