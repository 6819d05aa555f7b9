"""Helpers of the MQTT bridge tests: ``twin ingest mqtt`` as a real process, paho clients."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest


def start_bridge(
    workdir: Path, url: str, prefix: str, db: Path, *args: str, log_name: str = "bridge.log"
) -> tuple[subprocess.Popen, Path]:
    """Start ``twin ingest mqtt`` (its output in ``workdir/log_name``) and wait until it has
    subscribed; ``args`` are further options (e.g. ``--client-id``)."""
    log = workdir / log_name
    command = [
        sys.executable,
        "-m",
        "cli",
        "ingest",
        "mqtt",
        "--url",
        url,
        "--prefix",
        prefix,
        "--db",
        str(db),
        "--session-expiry",
        "60",
        *args,
    ]
    process = subprocess.Popen(
        command,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=workdir,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 90
    while "subscribed to" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the bridge did not subscribe:\n{log.read_text()}")
        time.sleep(0.1)
    return process, log


def client(url: str) -> mqtt.Client:
    """A connected paho client running its network loop."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    host, port = url.removeprefix("mqtt://").split(":")
    c.connect(host, int(port))
    c.loop_start()
    return c
