"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twin.runtime import Twin
from twin.settings import Settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Dataset directory (default: the embedded Flying Fish; env TWIN_DATA_DIR)."
    ),
]
Database = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or database URL (default var/twin.db; env TWIN_DATABASE_URL)."
    ),
]


def open_twin(data: Path | None = None, db: str | None = None) -> Twin:
    """Load the twin the options describe (validates the dataset)."""
    return Twin(Settings.from_env(db=db, data_dir=data))
