"""A real `twin serve` process for tests: start it on a free port, wait for /health, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


class LiveTwin:
    """A `twin serve` subprocess on a free local port; ``url`` is its base URL."""

    def __init__(self, url: str, process: subprocess.Popen[str], log: Path):
        self.url, self.process, self.log = url, process, log


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_twin(
    workdir: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> LiveTwin:
    """Start `python -m cli serve` with ``args`` and wait until /health answers."""
    port = _free_port()
    log = workdir / f"serve-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), *args],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        cwd=workdir,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"twin serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return LiveTwin(url, process, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"twin serve did not answer within {timeout} s:\n{log.read_text()}")


def stop_twin(live: LiveTwin) -> None:
    live.process.terminate()
    try:
        live.process.wait(timeout=10)
    except Exception:
        live.process.kill()
