"""``twin serve``: the API and viewer over HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from twin.cli.app import app, console
from twin.cli.options import Database, DataDir, open_twin


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Serve the twin: the 3D viewer at /, the API under /api/v1, OpenAPI at /docs."""
    import uvicorn

    from api.app import create_app

    twin = open_twin(data, db)
    console.print(f"Flying Fish twin on [bold]http://{host}:{port}[/] (API docs at /docs)")
    uvicorn.run(create_app(twin), host=host, port=port, log_level="info")
