"""Time travel benchmark: the whole campus's state at an arbitrary instant, 10k to 1M events.

For each size N, in its own subprocess (so memory figures do not mix), on a fresh database:

1. bulk-load N synthetic events over ``max(1000, N / 100)`` streams (half ``facility:*``
   status changes, half ``building:*`` stage progress), effective times uniformly random in
   2019-01-01 .. 2026-12-31, so most arrive out of order within their stream (back-dating);
2. build a :class:`~twin.projection.Projection` cold (``catch_up`` from empty);
3. time ``projection.all_at(t)`` at ``--queries`` random instants;
4. time the naive baseline at a few of the same instants: read every event with
   ``effective_at <= t`` from the database and fold each stream in effective-time order,
   checking that it gives the same answer as the projection.

Run ``python -m bench.time_travel --help``; figures are explained in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy import create_engine, text

from assets import history
from twin.eventlog import EventStore, NewEvent, RecordedEvent, open_store, sqlite_url
from twin.eventlog.engine import normalize_url
from twin.projection import Projection, State

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORT = ROOT / "docs" / "performance.md"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
START = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2026, 12, 31, tzinfo=UTC)
TARGET_SIZE = 100_000
"""The target: whole-campus state at any instant in under TARGET_MS at this many events."""
TARGET_MS = 100.0
NAIVE_BUDGET_S = 60.0
"""Default cap on the naive baseline's total time per size (s)."""
NAIVE_QUERIES = 7
PROGRESS_STEP = 1000
ACTOR = "bench"


# -- results ---------------------------------------------------------------------------------


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


# -- synthetic history -----------------------------------------------------------------------


def stream_count(size: int) -> int:
    """Number of streams the ``size`` events are spread over."""
    return max(1000, size // 100)


def stream_names(count: int) -> list[str]:
    """``count`` stream names, alternately ``facility:bench-NNNNNN`` and ``building:...``."""
    return [
        f"facility:bench-{i:06d}" if i % 2 == 0 else f"building:bench-{i:06d}" for i in range(count)
    ]


def random_instant(rng: random.Random) -> datetime:
    """A uniformly random aware instant in START .. END (microsecond resolution)."""
    span_us = int((END - START) / timedelta(microseconds=1))
    return START + timedelta(microseconds=rng.randrange(span_us + 1))


def synthetic_event(stream: str, rng: random.Random) -> NewEvent:
    """A status change for a facility, a stage's progress for a building."""
    if stream.startswith("facility:"):
        data: dict[str, object] = {"status": rng.choice(history.FACILITY_STATUSES)}
        kind = "FacilityStatusChanged"
    else:
        data = {"stage": rng.choice(history.STAGES), "percent": rng.randint(0, 100)}
        kind = "StageProgressed"
    return NewEvent(type=kind, data=data, effective_at=random_instant(rng), actor=ACTOR)


def synthetic_batches(
    size: int, streams: Sequence[str], rng: random.Random, advance: Callable[[int], None]
) -> Iterator[tuple[str, int, list[NewEvent]]]:
    """``size`` one-event batches for ``append_many``, each on a random stream.

    ``advance(k)`` is called every PROGRESS_STEP events (and once at the end).
    """
    versions = dict.fromkeys(streams, 0)
    for i in range(1, size + 1):
        stream = rng.choice(streams)
        version = versions[stream]
        versions[stream] = version + 1
        yield stream, version, [synthetic_event(stream, rng)]
        if i % PROGRESS_STEP == 0:
            advance(PROGRESS_STEP)
    advance(size % PROGRESS_STEP)


def load(
    store: EventStore, size: int, streams: Sequence[str], rng: random.Random, console: Console
) -> float:
    """Bulk-load ``size`` synthetic events with a progress bar; returns the time taken (s)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"loading {size:,} events ({store.dialect})", total=size)
        started = time.perf_counter()
        store.append_many(
            synthetic_batches(size, streams, rng, lambda k: progress.advance(task, k))
        )
        return time.perf_counter() - started


# -- measurements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall-clock and this process's CPU time of one operation (s)."""

    wall_s: float
    cpu_s: float


@contextmanager
def timed() -> Iterator[list[Timing]]:
    """Time the ``with`` block; the yielded list holds its Timing afterwards."""
    out: list[Timing] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield out
    out.append(Timing(time.perf_counter() - wall, time.process_time() - cpu))


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
    store: EventStore,
    projection: Projection,
    instants: Sequence[datetime],
    budget_s: float,
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


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method; the value itself for one sample)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def rss_mb() -> float:
    """This process's resident memory now (MB), from /proc (peak RSS where unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB else


# -- databases -------------------------------------------------------------------------------


@contextmanager
def fresh_database(db: str) -> Iterator[str]:
    """Yield the URL of a new, empty database, removed afterwards.

    ``db`` is ``"sqlite"`` (a file in a temporary directory) or a PostgreSQL server URL,
    on which a database ``twin_bench_<hex>`` is created and then dropped.
    """
    if db == "sqlite":
        with tempfile.TemporaryDirectory(prefix="twin-bench-") as tmp:
            yield sqlite_url(Path(tmp) / "bench.db")
        return
    server = normalize_url(db)
    name = f"twin_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def backend_version(store: EventStore) -> str:
    """The database server's version, e.g. ``"SQLite 3.45.1"``."""
    if store.dialect == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with store.engine.connect() as conn:
        return "PostgreSQL " + str(conn.execute(text("SHOW server_version")).scalar_one())


# -- one size (worker) -----------------------------------------------------------------------


def measure(
    size: int, db: str, queries: int, naive_budget_s: float, seed: int, console: Console
) -> SizeResult:
    """Load, build and query one size on a fresh database; see the module docstring."""
    rng = random.Random(f"{seed}:{size}")
    streams = stream_names(stream_count(size))
    with fresh_database(db) as url, open_store(url) as store:
        load_s = load(store, size, streams, rng, console)
        console.print(f"  loaded in {load_s:.1f} s; building the projection cold ...")
        before_mb = rss_mb()
        projection, build_time = build(store)
        projection_mb, peak_mb = rss_mb() - before_mb, peak_rss_mb()
        load_average = os.getloadavg()[0]
        console.print(
            f"  built in {build_time.wall_s:.1f} s; {queries} queries, naive baseline ..."
        )
        instants = [random_instant(rng) for _ in range(queries)]
        state = time_all_at(projection, instants)
        state_ms = [t.wall_s * 1000 for t in state]
        naive_ms, identical = time_naive(
            store, projection, instants[:NAIVE_QUERIES], naive_budget_s
        )
        return SizeResult(
            backend=store.dialect,
            backend_version=backend_version(store),
            size=size,
            streams=len(streams),
            load_s=load_s,
            build_s=build_time.wall_s,
            build_cpu_s=build_time.cpu_s,
            state_p50_ms=statistics.median(state_ms),
            state_p95_ms=p95(state_ms),
            state_cpu_p50_ms=statistics.median(t.cpu_s * 1000 for t in state),
            queries=queries,
            naive_p50_ms=statistics.median(naive_ms),
            naive_runs=len(naive_ms),
            identical=identical,
            peak_rss_mb=peak_mb,
            projection_mb=projection_mb,
            naive_peak_rss_mb=peak_rss_mb(),
            load_average=load_average,
        )


def run_worker(args: argparse.Namespace) -> None:
    """Measure the single size in ``args`` and write its SizeResult as JSON to the out file."""
    (size,) = args.sizes
    (db,) = args.db
    console = Console(stderr=True)
    result = measure(size, db, args.queries, args.naive_budget, args.seed, console)
    Path(args.worker_out).write_text(json.dumps(asdict(result)))


def run_in_subprocess(size: int, db: str, args: argparse.Namespace) -> SizeResult:
    """Measure one size in a fresh Python process (clean memory figures)."""
    with tempfile.TemporaryDirectory(prefix="twin-bench-out-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable, "-m", "bench.time_travel",
            "--sizes", str(size), "--db", db,
            "--queries", str(args.queries),
            "--naive-budget", str(args.naive_budget),
            "--seed", str(args.seed),
            "--worker-out", str(out),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT)
        return SizeResult(**json.loads(out.read_text()))


# -- report ----------------------------------------------------------------------------------

HEADERS = (
    "db",
    "events",
    "streams",
    "load s",
    "build s",
    "build ev/s",
    "state-at p50 ms",
    "state-at p95 ms",
    "naive p50 ms",
    "naive runs",
    "speed-up ×",
    "peak RSS MB",
    "projection MB",
)


def row(r: SizeResult) -> list[str]:
    """One result as table cells (see HEADERS)."""
    return [
        r.backend,
        f"{r.size:,}",
        f"{r.streams:,}",
        f"{r.load_s:.1f}",
        f"{r.build_s:.1f}",
        f"{r.build_eps:,.0f}",
        f"{r.state_p50_ms:.2f}",
        f"{r.state_p95_ms:.2f}",
        f"{r.naive_p50_ms:,.0f}",
        str(r.naive_runs),
        f"{r.speedup:,.0f}",
        f"{r.peak_rss_mb:,.0f}",
        f"{r.projection_mb:,.0f}",
    ]


def rich_table(results: Sequence[SizeResult]) -> Table:
    """The results as one rich table."""
    table = Table(title="Whole-campus state at an arbitrary instant")
    for header in HEADERS:
        table.add_column(header, justify="left" if header == "db" else "right")
    for r in results:
        table.add_row(*row(r))
    return table


def markdown_table(results: Sequence[SizeResult]) -> list[str]:
    """The results as Markdown table lines."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(row(r)) + " |" for r in results]
    return lines


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (``platform.processor()`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> float:
    """Total physical memory (GB = 2**30 B)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def machine_lines(results: Sequence[SizeResult]) -> list[str]:
    """Markdown bullets describing the machine and software."""
    versions = sorted({r.backend_version for r in results})
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPUs (`nproc`): {len(os.sched_getaffinity(0))}; CPU: {cpu_model()}",
        f"- Memory: {memory_gb():.1f} GB; OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; databases: {', '.join(versions)}",
    ]


def target_verdict(results: Sequence[SizeResult]) -> str:
    """Whether the target is met, judged on the worst p95 at TARGET_SIZE events."""
    goal = f"whole-campus state at any instant under {TARGET_MS:.0f} ms at {TARGET_SIZE:,} events"
    at_target = [r.state_p95_ms for r in results if r.size == TARGET_SIZE]
    if not at_target:
        return f"{goal}: not measured in this run."
    worst = max(at_target)
    if worst < TARGET_MS:
        return f"{goal}: met, p95 {worst:.1f} ms, {TARGET_MS / worst:.1f}× under the limit."
    return f"{goal}: NOT met, p95 {worst:.1f} ms, {worst / TARGET_MS:.1f}× over the limit."


def observations(results: Sequence[SizeResult]) -> list[str]:
    """Markdown bullets derived from the figures (scaling, memory, correctness)."""
    lines = []
    for r in results:
        lines.append(
            f"- {r.backend}, {r.size:,} events: load {r.load_eps:,.0f} events/s, "
            f"build {r.build_eps:,.0f} events/s, state-at ≈ "
            f"{r.state_p50_ms * 1000 / r.streams:.1f} µs per stream, projection ≈ "
            f"{r.projection_bytes_per_event:,.0f} B/event, naive replay peak RSS "
            f"{r.naive_peak_rss_mb:,.0f} MB; naive answers "
            f"{'identical to' if r.identical else 'DIFFERENT from'} `all_at`; "
            f"CPU time: build {r.build_cpu_s:.1f} s, state-at p50 {r.state_cpu_p50_ms:.2f} ms "
            f"(1-min load average after the build {r.load_average:.1f} "
            f"on {len(os.sched_getaffinity(0))} CPUs: wall times above CPU times are waiting)."
        )
    return lines


def markdown(results: Sequence[SizeResult], command: str) -> str:
    """The whole docs/performance.md text."""
    parts = [
        "# Performance",
        "",
        f"Generated by `{command}` (see `bench/README.md`). Do not edit by hand: re-run it.",
        "",
        "## Machine",
        "",
        *machine_lines(results),
        "",
        "## Whole-campus state at an arbitrary instant",
        "",
        *markdown_table(results),
        "",
        "**Target**: " + target_verdict(results),
        "",
        "Method. Each size runs in its own Python process on a fresh database. N synthetic "
        "events are bulk-loaded (`EventStore.append_many`, one transaction) over "
        "max(1000, N/100) streams, half `facility:*` (`FacilityStatusChanged`) and half "
        "`building:*` (`StageProgressed`), with effective times uniformly random in "
        "2019-01-01 .. 2026-12-31, so most events are back-dated relative to their stream's "
        "earlier versions. *build* is a cold `Projection.catch_up` (reading included); "
        "*state-at* is `Projection.all_at(t)` at random instants (median and p95); the "
        "*naive replay* baseline, measured in the same run at the first instants of the same "
        "set, reads every event with `effective_at <= t` (`store.read(limit=None, "
        "until_effective=t)`) and folds each stream in effective-time order with "
        "`assets.history.apply` (runs capped at about a minute per size: *naive runs*). "
        "*speed-up* is naive p50 / state-at p50. *peak RSS* is the process's "
        "maximum resident memory right after the build (interpreter and libraries included); "
        "*projection MB* is the growth of resident memory during the build. Times are "
        "wall-clock; medians unless stated.",
        "",
        "## Observations",
        "",
        *observations(results),
        "",
    ]
    return "\n".join(parts)


# -- command line ----------------------------------------------------------------------------


def parse_sizes(value: str) -> list[int]:
    """``"10000,100k,1M"`` -> ``[10000, 100000, 1000000]``."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in value.split(","):
        part = part.strip().lower().replace("_", "")
        factor = scale.get(part[-1:], 1)
        number = part[:-1] if factor > 1 else part
        sizes.append(int(float(number) * factor))
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be positive: {value!r}")
    return sizes


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m bench.time_travel``."""
    p = argparse.ArgumentParser(
        prog="python -m bench.time_travel",
        description="Whole-campus state at an arbitrary instant, at several log sizes.",
    )
    p.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated event counts, k/M suffixes allowed (default: 10k,100k,1M)",
    )
    p.add_argument(
        "--queries", type=int, default=50, help="random instants for all_at (default: 50)"
    )
    p.add_argument(
        "--db",
        action="append",
        help="'sqlite' (default) or a PostgreSQL server URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test (a fresh database twin_bench_<hex> "
        "is created there and dropped); repeat to run on several",
    )
    p.add_argument(
        "--naive-budget",
        type=float,
        default=NAIVE_BUDGET_S,
        help=f"cap on the naive baseline's total time per size, s (default: {NAIVE_BUDGET_S:.0f})",
    )
    p.add_argument("--seed", type=int, default=20190101, help="random seed")
    p.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        help="Markdown report to write (default: docs/performance.md)",
    )
    p.add_argument("--no-report", action="store_true", help="print the table only")
    p.add_argument("--worker-out", help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> None:
    """Run every size on every backend, print the table and write the report."""
    args = parser().parse_args(argv)
    args.db = args.db or ["sqlite"]
    if args.worker_out:
        run_worker(args)
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # a log file: keep the table on one line per size
    results = []
    for db in args.db:
        for size in args.sizes:
            console.rule(f"{size:,} events on {'SQLite' if db == 'sqlite' else 'PostgreSQL'}")
            results.append(run_in_subprocess(size, db, args))
    console.print(rich_table(results))
    console.print("Target: " + target_verdict(results))
    if not args.no_report:
        command = "python -m bench.time_travel " + " ".join(redacted(argv or sys.argv[1:]))
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(markdown(results, command.strip()), encoding="utf-8")
        console.print(f"wrote {args.report}")


def redacted(argv: Sequence[str]) -> list[str]:
    """Command-line arguments with database passwords hidden."""
    return [
        normalize_url(a).render_as_string(hide_password=True) if "://" in a else a for a in argv
    ]


if __name__ == "__main__":
    main()
