"""``twin ingest mqtt``: the MQTT bridge that records facility readings in the event log."""

from __future__ import annotations

import re
import signal
import socket
from typing import Annotated, Any

import typer

from cli.app import app, console
from cli.options import Database, DataDir, Simulation, open_twin

ingest_app = typer.Typer(help="Live facility readings into the event log.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")


@ingest_app.command("mqtt")
def mqtt(
    url: Annotated[
        str, typer.Option(help="Broker URL: mqtt://host:1883 or mqtts://user:pw@host:8883.")
    ] = "mqtt://127.0.0.1:1883",
    prefix: Annotated[
        str, typer.Option(help="Topic prefix: <prefix>/<facility-id>/status|metrics.")
    ] = "campus",
    client_id: Annotated[
        str | None,
        typer.Option(
            help="MQTT client id of the persistent session (default: per host and prefix)."
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option(min=1, max=50_000, help="Most messages recorded in one append.")
    ] = 5000,
    flush_ms: Annotated[
        int, typer.Option(min=1, max=5000, help="Longest wait before recording, ms.")
    ] = 50,
    session_expiry: Annotated[
        int,
        typer.Option(
            min=0, help="How long the broker keeps the session while the bridge is away, s."
        ),
    ] = 3600,
    simulation: Simulation = False,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Subscribe to <prefix>/<facility-id>/status and /metrics (JSON payloads) and record every
    good reading; refusals go to <prefix>/_bridge/refused, counts to <prefix>/_bridge/stats.
    Runs until Ctrl-C or SIGTERM, then records what is queued. A message is acknowledged only
    once recorded: after a crash, restart it and the broker delivers what was not."""
    from twin.facilities.mqtt import Bridge, BridgeConfig

    if not prefix or any(c in prefix for c in "#+") or prefix.endswith("/"):
        raise typer.BadParameter(f"{prefix!r}: a topic prefix without wildcards or a trailing /")
    cid = client_id or f"twin-ingest-{socket.gethostname()}-{re.sub(r'[^A-Za-z0-9]+', '-', prefix)}"
    twin = open_twin(data, db, simulation)
    config = BridgeConfig(url, prefix, cid, batch, flush_ms / 1000, session_expiry_s=session_expiry)
    bridge = Bridge(
        twin.facilities,
        config,
        say=lambda line: console.print(line, markup=False, highlight=False),
    )

    def stop(_signum: int, _frame: Any) -> None:
        bridge.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        counts = bridge.run()
    finally:
        twin.close()
    console.print(f"stopped after {counts.get('messages', 0):,} messages")
