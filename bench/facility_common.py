"""Shared by the facility benchmarks: synthetic readings, fresh databases, subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assets.dataset import load_campus
from twin.eventlog import open_store, sqlite_url
from twin.genesis import ensure_genesis

START = datetime.now(UTC) - timedelta(days=20)
_serial = iter(range(10**12))


def readings(n: int) -> list[dict]:
    """``n`` fresh load readings of the rack rows, a second apart per row."""
    out = []
    for _ in range(n):
        i = next(_serial)
        row = f"dc/hall-{1 + i % 8}/row-{1 + (i // 8) % 15:02d}"
        out.append(
            {
                "facility": row,
                "metric": "load_kw",
                "value": 40 + i % 90,
                "unit": "kW",
                "observed_at": (START + timedelta(seconds=i // 120)).isoformat(),
                "idempotency_key": f"bench-{i}",
            }
        )
    return out


@contextmanager
def fresh_db() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="twin-bench-") as tmp:
        url = sqlite_url(Path(tmp) / "twin.db")
        with open_store(url) as store:
            ensure_genesis(store, load_campus())
        yield url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def process(
    args: list[str], ready: Callable[[Path], bool], workdir: Path
) -> Iterator[subprocess.Popen]:
    log = workdir / f"{args[3]}-{uuid.uuid4().hex[:6]}.log"
    proc = subprocess.Popen(
        args,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=workdir,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "TWIN_ANON_RATE": "0"},
    )
    try:
        deadline = time.monotonic() + 120
        while not ready(log):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(args[2:4])} did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(30)
