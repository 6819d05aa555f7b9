"""Facility ingestion benchmark: readings per second into the event log (SQLite by default).

Three paths, each on a fresh database with the genesis history loaded:

- ``service``: readings checked and recorded in-process (``FacilityIngest.record``: checks,
  duplicate lookup, bulk append, alert rules), ``B`` readings a batch;
- ``http``: ``POST /api/v1/facilities/readings`` to a real ``twin serve``, ``B`` a request;
- ``mqtt``: readings published at full speed (QoS 1) to the broker and recorded by a real
  ``twin ingest mqtt``, one reading a message and 20 a message (a gateway's batch); timed
  from the first publish until the last reading is in the log. A baseline row sends the
  same messages to a bare paho subscriber (no twin): the ceiling of the broker and the
  Python MQTT clients on this machine.

Every batch holds metric readings of the 120 rack rows with fresh keys (nothing is dropped).
Each case runs ``--repeats`` times; the table shows medians. Run
``python -m bench.facility_ingest --help``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from assets.dataset import load_campus
from assets.facilities.readings import check_reading
from bench.facility_common import free_port, fresh_db, process, readings
from twin.auth import TokenStore
from twin.eventlog import open_store
from twin.facilities.services import FacilityServices

TARGET = 5000.0
"""Readings a second the log must take on SQLite."""


def bench_service(batch: int, repeats: int) -> list[float]:
    rates = []
    with fresh_db() as url, open_store(url) as store:
        services = FacilityServices.open(store, load_campus())
        services.ingest.record(
            [check_reading(services.topology, r, datetime.now(UTC)) for r in readings(100)], "warm"
        )
        for _ in range(repeats):
            raw = readings(batch)
            started = time.perf_counter()
            now = datetime.now(UTC)
            report = services.ingest.record(
                [check_reading(services.topology, r, now) for r in raw], "bench"
            )
            elapsed = time.perf_counter() - started
            assert report.count("accepted") == batch, report.outcomes()
            rates.append(batch / elapsed)
    return rates


def bench_http(batch: int, repeats: int) -> list[float]:
    rates = []
    with fresh_db() as url, tempfile.TemporaryDirectory() as tmp:
        with open_store(url) as store:
            token = TokenStore(store.engine).create("operations", "bench")
        port = free_port()
        base = f"http://127.0.0.1:{port}"

        def up(_log: Path) -> bool:
            try:
                return httpx.get(f"{base}/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        args = [sys.executable, "-m", "twin", "serve", "--port", str(port), "--db", url]
        with (
            process(args, up, Path(tmp)),
            httpx.Client(
                base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}
            ) as c,
        ):
            c.post(
                "/api/v1/facilities/readings", json={"readings": readings(100)}
            ).raise_for_status()
            for _ in range(repeats):
                body = {"readings": readings(batch)}
                started = time.perf_counter()
                response = c.post("/api/v1/facilities/readings", json=body)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200 and response.json()["accepted"] == batch, (
                    response.text[:300]
                )
                rates.append(batch / elapsed)
    return rates


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batches", default="100,1000,5000", help="readings per batch/request")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mqtt-readings", type=int, default=10_000, help="readings per MQTT run")
    parser.add_argument(
        "--mqtt-url", default=os.environ.get("TWIN_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
    )
    parser.add_argument("--paths", default="service,http,mqtt", help="which paths to run")
    args = parser.parse_args(argv)
    console = Console(width=150)
    batches = [int(b) for b in args.batches.split(",")]
    paths = args.paths.split(",")
    rows: list[tuple[str, int, list[float]]] = []
    for batch in batches:
        for path, run in (("service", bench_service), ("http", bench_http)):
            if path in paths:
                with console.status(f"{path}, {batch:,} readings a batch…"):
                    rows.append((path, batch, run(batch, args.repeats)))
    if "mqtt" in paths:
        from bench.facility_mqtt import bench_broker, bench_mqtt

        n, runs = args.mqtt_readings, max(1, args.repeats // 2)
        with console.status(f"mqtt, {n:,} readings…"):
            rows.append(("mqtt: broker alone, no twin", 1, bench_broker(n, runs, args.mqtt_url)))
            for per in (1, 20):
                rows.append(
                    (
                        f"mqtt: broker + bridge ({per} a message)",
                        per,
                        bench_mqtt(n, per, runs, args.mqtt_url),
                    )
                )
    table = Table(
        title=f"Facility readings into SQLite (medians of {args.repeats} runs; target ≥ {TARGET:,.0f}/s)",
        title_justify="left",
    )
    for column in (
        "path",
        "readings a batch or message",
        "runs",
        "median readings/s",
        "min",
        "max",
        "median ms a batch",
        "target",
    ):
        table.add_column(column, justify="left" if column == "path" else "right")
    for path, batch, rates in rows:
        median = statistics.median(rates)
        size = args.mqtt_readings if path.startswith("mqtt") else batch
        table.add_row(
            path,
            f"{batch:,}",
            str(len(rates)),
            f"{median:,.0f}",
            f"{min(rates):,.0f}",
            f"{max(rates):,.0f}",
            f"{size / median * 1000:,.1f}",
            "✓" if median >= TARGET else "✗",
        )
    console.print(table)
    console.print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{datetime.now(UTC):%Y-%m-%d}, load average {os.getloadavg()[0]:.1f}; mqtt: QoS 1, "
        f"ms for all {args.mqtt_readings:,} readings"
    )


if __name__ == "__main__":
    main()
