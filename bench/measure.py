"""Timing, percentiles and memory of the running process, shared by the benchmark sections."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    """Wall-clock and this process's CPU time of one operation (s)."""

    wall_s: float
    cpu_s: float


@contextmanager
def timed() -> Iterator[list[Timing]]:
    """Time the ``with`` block; the yielded list holds its :class:`Timing` afterwards."""
    out: list[Timing] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield out
    out.append(Timing(time.perf_counter() - wall, time.process_time() - cpu))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100, inclusive method; the value itself for one sample)."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if len(values) < 2:
        return float(values[0])
    if q == 50:
        return float(statistics.median(values))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return float(cuts[min(98, max(0, round(q) - 1))])


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return float(statistics.median(values))


def rss_mb() -> float:
    """This process's resident memory now (MB = 2**20 B), from /proc (peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB = 2**20 B)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB else
