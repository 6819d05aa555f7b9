"""``twin serve``: the API and viewer over HTTP."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from cli.app import app, console
from cli.options import Database, DataDir, Simulation, open_twin

if TYPE_CHECKING:
    import uvicorn

GRACE_S = 5
"""Seconds open requests (live SSE streams) get to finish when the server stops."""


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for several).", min=1, max=64)
    ] = 1,
    simulation: Simulation = False,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Serve the twin: the 3D viewer at /, the API under /api/v1, OpenAPI at /docs."""
    import uvicorn

    from api.platform.read_timeouts import timed_http
    from twin.facilities.sweep import SweepTimer
    from twin.retention import RetentionTimer

    twin = open_twin(data, db, simulation)  # validates the dataset before any worker starts
    RetentionTimer(twin.store, twin.settings).start()  # raw readings' retention, this process
    SweepTimer(lambda: twin.facilities.state, twin.settings.alarm_sweep_interval_s).start()
    limits = twin.settings  # header and body read timeouts (docs/deploy.md, "Limits")
    http = timed_http(limits.header_timeout_s, limits.body_timeout_s)
    mode = (
        " in [bold]simulation mode[/] (simulated telemetry only)"
        if twin.settings.simulation
        else ""
    )
    console.print(f"Flying Fish twin on [bold]http://{host}:{port}[/]{mode} (API docs at /docs)")
    if workers == 1:
        from api.app import create_app

        uvicorn.run(
            create_app(twin),
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=GRACE_S,
            proxy_headers=False,  # X-Forwarded-For: only from TWIN_TRUSTED_PROXIES (api.app)
            http=http,
        )
        return
    os.environ["TWIN_DATABASE_URL"] = twin.settings.database_url
    os.environ["TWIN_DATA_DIR"] = str(twin.settings.data_dir)
    run_workers(
        uvicorn.Config(
            "api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            proxy_headers=False,  # X-Forwarded-For: only from TWIN_TRUSTED_PROXIES (api.app)
            http=http,
        )
    )


def run_workers(config: uvicorn.Config) -> None:
    """uvicorn's multi-process mode (``config.workers`` processes on one listening socket),
    with ``TCP_NODELAY`` on that socket.

    uvicorn binds it with protocol 0, so asyncio does not set ``TCP_NODELAY`` on the
    connections it accepts; a response written in two parts (head, then body) then waits for
    the client's delayed ACK, about 40 ms on Linux: 16 connections served ~350 requests a
    second instead of ~2,000. Accepted connections inherit the option from the listening
    socket.
    """
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()
