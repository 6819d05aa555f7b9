"""Real twin processes for the benchmarks: ``twin serve``, ``twin ingest mqtt``, ``twin token``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT_S = 120.0
"""Longest wait for a process to be ready, s (a loaded machine imports slowly)."""
ENV = {"PYTHONUNBUFFERED": "1", "TWIN_ANON_RATE": "0", "TWIN_TOKEN_RATE": "0"}
"""Added to the environment of every twin process: unbuffered logs, no anonymous rate limit."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def twin_command(*args: str) -> list[str]:
    """The command line of ``twin ARGS`` run with this interpreter."""
    return [sys.executable, "-m", "cli", *args]


def start(args: list[str], workdir: Path, name: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Start ``args`` with its output in ``workdir/<name>-<hex>.log``; the process and log."""
    log = workdir / f"{name}-{uuid.uuid4().hex[:6]}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=workdir, env={**os.environ, **ENV}
        )
    return proc, log


def wait_ready(
    proc: subprocess.Popen[bytes],
    log: Path,
    ready: Callable[[Path], bool],
    timeout_s: float = START_TIMEOUT_S,
) -> None:
    """Wait until ``ready(log)``; RuntimeError with the log if the process exits or is not
    ready within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not ready(log):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{log.stem} did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate ``proc`` (SIGTERM, then SIGKILL after 30 s) and reap it."""
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@contextmanager
def running(
    args: list[str],
    ready: Callable[[Path], bool],
    workdir: Path,
    name: str,
    timeout_s: float = START_TIMEOUT_S,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``args``, wait up to ``timeout_s`` until ``ready(log)`` holds, stop the process
    afterwards."""
    proc, log = start(args, workdir, name)
    try:
        wait_ready(proc, log, ready, timeout_s)
        yield proc
    finally:
        stop(proc)


def answers(base: str) -> Callable[[Path], bool]:
    """A ``ready`` check: ``GET base/health`` answers 200."""

    def check(_log: Path) -> bool:
        try:
            return httpx.get(f"{base}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    return check


@contextmanager
def twin_servers(url: str, workdir: Path, count: int) -> Iterator[list[str]]:
    """``count`` real ``twin serve`` processes on ``url``'s database, started together, each on
    a free port; yields their base URLs."""
    started = []
    try:
        for _ in range(count):
            port = free_port()
            args = twin_command("serve", "--port", str(port), "--db", url)
            started.append((f"http://127.0.0.1:{port}", *start(args, workdir, f"serve-{port}")))
        for base, proc, log in started:
            wait_ready(proc, log, answers(base))
        yield [base for base, _, _ in started]
    finally:
        for _, proc, _ in started:
            stop(proc)


@contextmanager
def twin_serve(url: str, workdir: Path) -> Iterator[str]:
    """A real ``twin serve`` on ``url``'s database, on a free port; yields its base URL."""
    with twin_servers(url, workdir, 1) as (base,):
        yield base


@contextmanager
def mqtt_bridge(url: str, broker: str, prefix: str, workdir: Path) -> Iterator[None]:
    """A real ``twin ingest mqtt`` recording ``prefix/#`` from ``broker`` into ``url``."""
    args = twin_command(
        "ingest", "mqtt", "--url", broker, "--prefix", prefix, "--db", url,
        "--session-expiry", "60",
    )  # fmt: skip

    def subscribed(log: Path) -> bool:
        return "subscribed to" in log.read_text(errors="replace")

    with running(args, subscribed, workdir, "ingest-mqtt"):
        yield


def create_token(url: str, role: str, name: str) -> str:
    """A bearer token made with ``twin token create`` (the token is its last output line)."""
    done = subprocess.run(
        twin_command("token", "create", "--role", role, "--name", name, "--db", url),
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        timeout=START_TIMEOUT_S,
    )
    if done.returncode != 0:
        raise RuntimeError(f"twin token create failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip().splitlines()[-1]
