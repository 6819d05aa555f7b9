"""One size on one database: load, cold build, ``all_at`` at random instants, naive replay.

Each size runs in its own Python process (:func:`measure_in_subprocess`), so the memory
figures of one size do not include another's.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console

from assets import history
from bench.databases import fresh_database, server_version
from bench.measure import Timing, median, peak_rss_mb, percentile, rss_mb, timed
from bench.time_travel.synthetic import load, random_instant, stream_count, stream_names
from twin.eventlog import EventStore, RecordedEvent, open_store
from twin.projection import Projection, State

ROOT = Path(__file__).resolve().parents[2]
NAIVE_QUERIES = 7
"""Most instants the naive baseline runs at (the first of the same random set)."""


@dataclass(frozen=True)
class SizeResult:
    """The figures of one size on one backend (times in s or ms, memory in MB = 2**20 B)."""

    backend: str
    backend_version: str
    size: int
    streams: int
    load_s: float
    build_s: float
    build_cpu_s: float
    state_p50_ms: float
    state_p95_ms: float
    state_cpu_p50_ms: float
    queries: int
    naive_p50_ms: float
    naive_runs: int
    identical: bool
    peak_rss_mb: float
    projection_mb: float
    naive_peak_rss_mb: float
    load_average: float
    """The machine's 1-minute load average right after the build (other work inflates times)."""

    @property
    def load_eps(self) -> float:
        """Bulk-load throughput (events/s)."""
        return self.size / self.load_s

    @property
    def build_eps(self) -> float:
        """Cold-build throughput (events/s)."""
        return self.size / self.build_s

    @property
    def speedup(self) -> float:
        """Naive replay median over indexed median (×)."""
        return self.naive_p50_ms / self.state_p50_ms

    @property
    def projection_bytes_per_event(self) -> float:
        """RSS growth of the cold build per event (B)."""
        return self.projection_mb * 2**20 / self.size


def build(store: EventStore) -> tuple[Projection, Timing]:
    """A projection caught up cold from the whole log, and the time it took."""
    projection = Projection(history.apply)
    with timed() as timing:
        projection.catch_up(store)
    return projection, timing[0]


def time_all_at(projection: Projection, instants: Sequence[datetime]) -> list[Timing]:
    """Time of ``projection.all_at(t)`` at each instant."""
    timings = []
    for at in instants:
        with timed() as timing:
            projection.all_at(at)
        timings.extend(timing)
    return timings


def fold_streams(events: Sequence[RecordedEvent]) -> dict[str, State]:
    """Each stream's state after its events, folded in effective-time order (ties by seq)."""
    by_stream: defaultdict[str, list[RecordedEvent]] = defaultdict(list)
    for event in events:
        by_stream[event.stream].append(event)
    states: dict[str, State] = {}
    for stream, line in by_stream.items():
        line.sort(key=lambda e: (e.effective_at, e.seq))
        state: State = {}
        for e in line:
            state = history.apply(state, e.type, e.data, e.effective_at)
        states[stream] = state
    return states


def naive_state_at(store: EventStore, at: datetime) -> dict[str, State]:
    """The whole campus at ``at`` with no index: read and fold every event effective by then."""
    return fold_streams(store.read(limit=None, until_effective=at))


def time_naive(
    store: EventStore, projection: Projection, instants: Sequence[datetime], budget_s: float
) -> tuple[list[float], bool]:
    """Durations of :func:`naive_state_at` (ms) and whether each matched ``all_at``.

    Runs at least one instant, and stops early when the next run would likely take the total
    past ``budget_s`` (the next run is assumed to take as long as the slowest so far).
    """
    durations: list[float] = []
    identical = True
    for at in instants:
        started = time.perf_counter()
        naive = naive_state_at(store, at)
        durations.append((time.perf_counter() - started) * 1000)
        identical = identical and naive == projection.all_at(at)
        if (sum(durations) + max(durations)) / 1000 > budget_s:
            break
    return durations, identical


def measure(
    size: int, db: str, queries: int, naive_budget_s: float, seed: int, console: Console
) -> SizeResult:
    """Load, build and query one size on a fresh database; see the package docstring."""
    rng = random.Random(f"{seed}:{size}")
    streams = stream_names(stream_count(size))
    with fresh_database(db) as url, open_store(url) as store:
        load_s = load(store, size, streams, rng, console)
        console.print(f"  loaded {size:,} events in {load_s:.1f} s; building cold ...")
        before_mb = rss_mb()
        projection, build_time = build(store)
        projection_mb, peak_mb = rss_mb() - before_mb, peak_rss_mb()
        load_average = os.getloadavg()[0]
        console.print(f"  built in {build_time.wall_s:.1f} s; {queries} queries, naive ...")
        instants = [random_instant(rng) for _ in range(queries)]
        state = time_all_at(projection, instants)
        state_ms = [t.wall_s * 1000 for t in state]
        naive_ms, identical = time_naive(
            store, projection, instants[:NAIVE_QUERIES], naive_budget_s
        )
        return SizeResult(
            backend=store.dialect,
            backend_version=server_version(url),
            size=size,
            streams=len(streams),
            load_s=load_s,
            build_s=build_time.wall_s,
            build_cpu_s=build_time.cpu_s,
            state_p50_ms=median(state_ms),
            state_p95_ms=percentile(state_ms, 95),
            state_cpu_p50_ms=median([t.cpu_s * 1000 for t in state]),
            queries=queries,
            naive_p50_ms=median(naive_ms),
            naive_runs=len(naive_ms),
            identical=identical,
            peak_rss_mb=peak_mb,
            projection_mb=projection_mb,
            naive_peak_rss_mb=peak_rss_mb(),
            load_average=load_average,
        )


def measure_in_subprocess(
    size: int, db: str, queries: int, naive_budget_s: float, seed: int
) -> SizeResult:
    """:func:`measure` in a fresh Python process (clean memory figures)."""
    with tempfile.TemporaryDirectory(prefix="twin-bench-out-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable, "-m", "bench.time_travel",
            "--sizes", str(size), "--db", db,
            "--queries", str(queries),
            "--naive-budget", str(naive_budget_s),
            "--seed", str(seed),
            "--worker-out", str(out),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT)
        return SizeResult(**json.loads(out.read_text()))


def write_result(result: SizeResult, path: Path) -> None:
    """Write ``result`` as JSON for :func:`measure_in_subprocess` to read."""
    path.write_text(json.dumps(asdict(result)))
