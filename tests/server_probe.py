"""Measuring a live `twin serve` from outside: raw sockets, its CPU time, memory and sockets."""

from __future__ import annotations

import os
import select
import socket
import time
from urllib.parse import urlsplit

TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def connect(url: str, source: str = "127.0.0.1") -> socket.socket:
    """A TCP connection to the server at ``url`` from the loopback address ``source``."""
    parts = urlsplit(url)
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect((parts.hostname or "127.0.0.1", parts.port or 80))
    sock.settimeout(5)
    return sock


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process ``pid`` has used, seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


def rss_mb(pid: int) -> float:
    """Resident memory of the process ``pid``, MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def open_sockets(pid: int) -> int:
    """How many sockets the process ``pid`` holds open."""
    fds = f"/proc/{pid}/fd"
    count = 0
    for fd in os.listdir(fds):
        try:
            count += os.readlink(f"{fds}/{fd}").startswith("socket:")
        except OSError:
            continue
    return count


def trickle_until_closed(
    socks: list[socket.socket], chunk: bytes, seconds: float, every: float = 0.25
) -> dict[socket.socket, bytes]:
    """Send ``chunk`` on every socket each ``every`` s for up to ``seconds``; what each socket
    received before the server closed it (sockets still open after ``seconds`` are left out)."""
    received = {s: b"" for s in socks}
    closed: dict[socket.socket, bytes] = {}
    deadline = time.monotonic() + seconds
    while len(closed) < len(socks) and time.monotonic() < deadline:
        for s in socks:
            if s in closed:
                continue
            try:
                s.sendall(chunk)
            except OSError:
                closed[s] = received[s]
        pause = time.monotonic() + every
        while (wait := pause - time.monotonic()) > 0:
            readable, _, _ = select.select([s for s in socks if s not in closed], [], [], wait)
            if not readable:
                break
            for s in readable:
                try:
                    data = s.recv(65536)
                except OSError:
                    data = b""
                if data:
                    received[s] += data
                else:
                    closed[s] = received[s]
    return closed
