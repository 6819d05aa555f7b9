"""Load generation with ``wrk`` in its own process: requests a second and latency percentiles.

``wrk`` (Debian package ``wrk``) keeps ``connections`` HTTP/1.1 connections busy for
``duration`` seconds. A small Lua ``done`` hook prints its exact summary as one JSON line
(requests, duration, errors, latency percentiles in µs), so nothing is scraped from the
human-readable report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MARKER = "WRK_SUMMARY "
"""Prefix of the JSON line the Lua hook prints."""

SUMMARY_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("@MARKER@" .. string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,'
    .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
""".replace("@MARKER@", MARKER)
"""wrk's ``done`` hook: the run's summary as one JSON line after :data:`MARKER`."""


class LoadError(RuntimeError):
    """wrk is missing, failed, or its output has no summary."""


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured.

    Attributes
    ----------
    url : what was requested.
    connections : concurrent connections (the concurrency).
    requests : completed requests.
    duration_s : how long wrk ran, s.
    p50_ms, p90_ms, p99_ms, max_ms, mean_ms : request latency, ms.
    bad_status : answers whose status was not 2xx or 3xx.
    socket_errors : connect, read and write errors and timeouts (a server closing the
        connection after an error answer counts there too).
    bytes_read : response bytes received.
    """

    url: str
    connections: int
    requests: int
    duration_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    bad_status: int
    socket_errors: int
    bytes_read: int

    @property
    def errors(self) -> int:
        """Anything that went wrong: bad statuses plus socket errors."""
        return self.bad_status + self.socket_errors

    @property
    def rps(self) -> float:
        """Completed requests a second."""
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0


def available() -> bool:
    """Whether ``wrk`` is on the PATH."""
    return shutil.which("wrk") is not None


def parse_summary(output: str, url: str, connections: int) -> LoadResult:
    """The :class:`LoadResult` in wrk's output (the line the Lua hook wrote)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            s = json.loads(line[len(MARKER) :])
            break
    else:
        raise LoadError(f"no summary in wrk's output for {url}:\n{output[-2000:]}")
    return LoadResult(
        url=url,
        connections=connections,
        requests=int(s["requests"]),
        duration_s=s["duration_us"] / 1e6,
        p50_ms=s["p50_us"] / 1000,
        p90_ms=s["p90_us"] / 1000,
        p99_ms=s["p99_us"] / 1000,
        max_ms=s["max_us"] / 1000,
        mean_ms=s["mean_us"] / 1000,
        bad_status=int(s["status"]),
        socket_errors=int(sum(s[k] for k in ("connect", "read", "write", "timeout"))),
        bytes_read=int(s["bytes"]),
    )


def load(
    url: str,
    connections: int,
    duration: float,
    headers: Mapping[str, str] | None = None,
    threads: int = 1,
    timeout_s: float = 30.0,
) -> LoadResult:
    """Run wrk against ``url`` with ``connections`` open connections for ``duration`` s.

    One wrk thread is enough to saturate a Python server on a 2-core machine and leaves the
    other core to the server. ``timeout_s`` is long so a slow peer's answers count as late,
    not as errors.
    """
    if not available():
        raise LoadError("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="loadgen-") as tmp:
        script = Path(tmp) / "summary.lua"
        script.write_text(SUMMARY_LUA)
        args = [
            "wrk",
            f"-t{max(1, min(threads, connections))}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            f"--timeout={timeout_s:g}s",
            "--latency",
            "-s",
            str(script),
        ]
        for name, value in (headers or {}).items():
            args += ["-H", f"{name}: {value}"]
        done = subprocess.run(
            [*args, url], capture_output=True, text=True, timeout=duration + timeout_s + 30
        )
    if done.returncode != 0:
        raise LoadError(f"wrk failed ({done.returncode}) on {url}:\n{done.stderr or done.stdout}")
    return parse_summary(done.stdout, url, connections)


def version() -> str:
    """``wrk 4.1.0`` or what ``wrk -v`` says first."""
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=30)
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"
