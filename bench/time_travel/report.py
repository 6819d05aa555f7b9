"""The time travel figures as a section of the report, and as the detailed table of its CLI."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.table import Table

from bench.machine import busy_note
from bench.section import Figure, SectionResult, Target
from bench.time_travel.measurement import SizeResult

TARGET_SIZE = 100_000
"""The target: whole-campus state at any instant in under TARGET_MS at this many events."""
TARGET_MS = 100.0
BASELINE = "naive replay"

METHOD = (
    "Each size runs in its own Python process on a fresh database. N synthetic events are "
    "bulk-loaded (`EventStore.append_many`, one transaction) over max(1000, N/100) streams, half "
    "`facility:*` (`FacilityStatusChanged`) and half `building:*` (`StageProgressed`), with "
    "effective times uniformly random in 2019-01-01 .. 2026-12-31, so most events are back-dated "
    "relative to their stream's earlier versions. *cold build* is `Projection.catch_up` from "
    "empty (reading the log included); *state-at* is `Projection.all_at(t)`, every stream's "
    "state at a random instant t (median and p95 over the instants). The *naive replay* "
    "baseline, measured in the same run at the first instants of the same set, reads every "
    "event with `effective_at <= t` (`store.read(limit=None, until_effective=t)`) and folds "
    "each stream in effective-time order with `assets.history.apply` (capped at about a minute "
    "per size). *projection MB* is the growth of resident memory during the cold build "
    "(MB = 2^20 B). The target is judged on the p95 at 100,000 events."
)

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


BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def case(r: SizeResult) -> str:
    """The case name of one result, e.g. ``"100,000 events, SQLite"``."""
    return f"{r.size:,} events, {BACKENDS.get(r.backend, r.backend)}"


def figures(results: Sequence[SizeResult]) -> list[Figure]:
    """The headline figures of each size: state-at (against naive replay), build, memory."""
    out = []
    for r in results:
        out += [
            Figure(case(r), "state-at p50 ms", r.state_p50_ms, "lower", BASELINE, r.naive_p50_ms),
            Figure(case(r), "state-at p95 ms", r.state_p95_ms),
            Figure(case(r), "cold build s", r.build_s),
            Figure(case(r), "projection MB", r.projection_mb),
        ]
    return out


def target(results: Sequence[SizeResult]) -> Target | None:
    """Whether state-at stays under TARGET_MS at TARGET_SIZE, on the worst backend's p95."""
    at_target = [r for r in results if r.size == TARGET_SIZE]
    if not at_target:
        return None
    text = f"whole-campus state at any instant < {TARGET_MS:.0f} ms at {TARGET_SIZE:,} events"
    worst = max(at_target, key=lambda r: r.state_p95_ms)
    p95 = worst.state_p95_ms
    if p95 < TARGET_MS:
        detail = f"p95 {p95:.1f} ms ({case(worst)}), {TARGET_MS / p95:.0f}× under the limit"
        return Target(text, True, detail)
    detail = (
        f"p95 {p95:.1f} ms ({case(worst)}), {p95 - TARGET_MS:.0f} ms ({p95 / TARGET_MS:.1f}×) "
        f"over the limit; the fold is CPU-bound (CPU time p50 {worst.state_cpu_p50_ms:.1f} ms "
        f"for {worst.streams:,} streams){busy_note(worst.load_average)}"
    )
    return Target(text, False, detail)


def observations(results: Sequence[SizeResult]) -> list[str]:
    """Notes derived from the figures (throughput, memory, correctness, machine load)."""
    cpus = len(os.sched_getaffinity(0))
    return [
        f"{case(r)}, {r.streams:,} streams: load {r.load_eps:,.0f} "
        f"events/s, cold build {r.build_eps:,.0f} events/s, state-at ≈ "
        f"{r.state_p50_ms * 1000 / r.streams:.1f} µs per stream and {r.speedup:,.0f}× faster "
        f"than naive replay (naive runs: {r.naive_runs}, answers "
        f"{'identical to' if r.identical else 'DIFFERENT from'} `all_at`); projection ≈ "
        f"{r.projection_bytes_per_event:,.0f} B/event, peak RSS {r.peak_rss_mb:,.0f} MB "
        f"(naive replay {r.naive_peak_rss_mb:,.0f} MB); CPU time: build {r.build_cpu_s:.1f} s, "
        f"state-at p50 {r.state_cpu_p50_ms:.2f} ms (1-min load average "
        f"{r.load_average:.1f} on {cpus} CPUs)."
        for r in results
    ]


def section(results: Sequence[SizeResult]) -> SectionResult:
    """The whole time travel section."""
    goal = target(results)
    notes = observations(results)
    if goal is None:
        notes.append(f"The target needs a run at {TARGET_SIZE:,} events; this run had none.")
    return SectionResult(
        name="time_travel",
        figures=figures(results),
        targets=[goal] if goal else [],
        method=METHOD,
        notes=notes,
        environment=sorted({r.backend_version for r in results}),
    )


def row(r: SizeResult) -> list[str]:
    """One result as cells of the detailed table (see HEADERS)."""
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


def detailed_table(results: Sequence[SizeResult]) -> Table:
    """Every figure of every size, as printed by ``python -m bench.time_travel``."""
    table = Table(title="Whole-campus state at an arbitrary instant")
    for header in HEADERS:
        table.add_column(header, justify="left" if header == "db" else "right")
    for r in results:
        table.add_row(*row(r))
    return table
