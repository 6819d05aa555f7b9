"""Live streams (SSE) on a real server: capped per client address (429) and in all (503), and
fed by one notifier per process, so idle streams cost next to nothing (issue #15, finding 7)."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from live_server import start_twin, stop_twin
from server_probe import connect, cpu_seconds

STREAM = "/api/v1/facilities/stream"
IDLE_STREAMS = 120


def _open_stream(url: str, source: str = "127.0.0.1") -> tuple[socket.socket, bytes]:
    """An SSE request from ``source``; the socket and the response head (and what followed)."""
    s = connect(url, source)
    s.sendall(
        f"GET {STREAM}?max_seconds=60 HTTP/1.1\r\nHost: twin\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    got = b""
    while b"\r\n\r\n" not in got or (b" 200 " in got[:16] and b"retry:" not in got):
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    return s, got


def _status(head: bytes) -> int:
    return int(head.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("streams-capped")
    env = {"TWIN_ANON_RATE": "0", "TWIN_SSE_PER_CLIENT": "2", "TWIN_SSE_TOTAL": "3"}
    live = start_twin(workdir, "--db", str(workdir / "twin.db"), env=env)
    yield live
    stop_twin(live)


def test_streams_are_capped_per_client_with_429_and_in_all_with_503(capped):
    opened = []
    try:
        for _ in range(2):
            s, head = _open_stream(capped.url)
            opened.append(s)
            assert _status(head) == 200
        s, head = _open_stream(capped.url)
        opened.append(s)
        assert _status(head) == 429 and b"retry-after:" in head.lower()
        body = json.loads(head.split(b"\r\n\r\n", 1)[1] or s.recv(65536))
        assert body["status"] == 429 and "stream" in body["detail"]
        s, head = _open_stream(capped.url, source="127.0.0.2")  # another client: the third
        opened.append(s)
        assert _status(head) == 200
        s, head = _open_stream(capped.url, source="127.0.0.3")
        opened.append(s)
        assert _status(head) == 503 and b"retry-after:" in head.lower()
        assert b"application/problem+json" in head
        polled = httpx.get(f"{capped.url}{STREAM}", params={"since": 0})  # JSON polling is free
        assert polled.status_code == 200
    finally:
        for s in opened:
            s.close()
    deadline = time.monotonic() + 5  # closed streams give their places back
    while time.monotonic() < deadline:
        s, head = _open_stream(capped.url, source="127.0.0.3")
        s.close()
        if _status(head) == 200:
            break
        time.sleep(0.2)
    assert _status(head) == 200


@pytest.fixture(scope="module")
def roomy(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("streams-many")
    env = {"TWIN_ANON_RATE": "0", "TWIN_SSE_PER_CLIENT": "1000", "TWIN_SSE_TOTAL": "1000"}
    live = start_twin(workdir, "--db", str(workdir / "twin.db"), env=env)
    yield live
    stop_twin(live)


def test_idle_streams_cost_the_server_next_to_nothing(roomy):
    """Before: each stream polled the database 4 times a second; 200 took a whole core."""
    pid = roomy.process.pid
    streams = [_open_stream(roomy.url) for _ in range(IDLE_STREAMS)]
    try:
        assert all(_status(head) == 200 for _, head in streams)
        time.sleep(0.5)
        used, started = cpu_seconds(pid), time.monotonic()
        time.sleep(3)
        share = (cpu_seconds(pid) - used) / (time.monotonic() - started)
        assert share < 0.15, f"{IDLE_STREAMS} idle streams use {share:.0%} of a core"
        assert httpx.get(f"{roomy.url}/health", timeout=5).status_code == 200
    finally:
        for s, _ in streams:
            s.close()
