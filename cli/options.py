"""Options shared by several commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cli.app import CliError
from twin.runtime import Twin
from twin.settings import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Dataset directory (default: the embedded Flying Fish; env TWIN_DATA_DIR)."
    ),
]
Simulation = Annotated[
    bool,
    typer.Option(
        "--simulation",
        help="Simulation mode: record simulated readings (twin simulate) only, and say so in "
        "every view (env TWIN_SIMULATION=1). Use a database of its own.",
    ),
]
Database = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or database URL (default var/twin.db; env TWIN_DATABASE_URL)."
    ),
]


def open_twin(data: Path | None = None, db: str | None = None, simulation: bool = False) -> Twin:
    """Load the twin the options describe (validates the dataset); ``simulation`` sets
    TWIN_SIMULATION=1 for it and the processes it starts (uvicorn's workers)."""
    if simulation:
        os.environ["TWIN_SIMULATION"] = "1"
    return Twin(Settings.from_env(db=db, data_dir=data))


def check_output_dir(output: Path, what: str) -> None:
    """Refuse an output directory that is a file, is not empty or cannot be made (``what`` it
    is for, e.g. ``"tileset"``, names it in the message)."""
    if output.exists() and not output.is_dir():
        raise CliError(f"cannot write the {what} to {output}: it is a file, not a directory")
    if output.is_dir():
        if any(output.iterdir()):
            raise CliError(f"{output} is not empty: give a new or empty directory for the {what}")
        if not os.access(output, os.W_OK | os.X_OK):
            raise CliError(f"cannot write to {output}: permission denied")
        return
    parent = next(p for p in output.absolute().parents if p.exists())
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise CliError(f"cannot create {output}: {parent} is not a writable directory")
