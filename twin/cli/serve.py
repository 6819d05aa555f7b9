"""``twin serve``: the API and viewer over HTTP."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from twin.cli.app import app, console
from twin.cli.options import Database, DataDir, open_twin

GRACE_S = 5
"""Seconds open requests (live SSE streams) get to finish when the server stops."""


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for several).", min=1, max=64)
    ] = 1,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Serve the twin: the 3D viewer at /, the API under /api/v1, OpenAPI at /docs."""
    import uvicorn

    twin = open_twin(data, db)  # validates the dataset before any worker starts
    console.print(f"Flying Fish twin on [bold]http://{host}:{port}[/] (API docs at /docs)")
    if workers == 1:
        from api.app import create_app

        uvicorn.run(
            create_app(twin),
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=GRACE_S,
        )
        return
    os.environ["TWIN_DATABASE_URL"] = twin.settings.database_url
    os.environ["TWIN_DATA_DIR"] = str(twin.settings.data_dir)
    uvicorn.run(
        "api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
