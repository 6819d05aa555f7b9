"""The query benchmark's figures (medians of the rounds) and its targets with verdicts."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from bench.loadgen import LoadResult
from bench.machine import cpus
from bench.measure import percentile
from bench.section import Figure, Target

if TYPE_CHECKING:
    from bench.queries import Case

Measured = dict[tuple[str, str, int], list[tuple[LoadResult, float]]]
"""(case key, server name, concurrency) -> each round's wrk result and server CPU ms/request."""
PEER_RATIO = 20.0
"""Our req/s at least this many times pygeoapi's."""
CEILING_SHARE = 0.5
"""Our req/s at least this share of the ceiling's."""
P99_MS, P99_UNITS = 50.0, 20_000
"""Availability search p99 under this (ms) on a campus of at least this many units."""
TARGET_C = 16
"""Concurrency the targets are judged at."""


def median_of(
    samples: Sequence[tuple[LoadResult, float]], what: Callable[[LoadResult], float]
) -> float:
    return float(statistics.median(what(r) for r, _ in samples))


def _medians(measured: Measured, key: str, name: str, c: int) -> dict[str, float] | None:
    samples = measured.get((key, name, c))
    if not samples:
        return None
    return {
        "rps": median_of(samples, lambda r: r.rps),
        "p50": median_of(samples, lambda r: r.p50_ms),
        "p99": median_of(samples, lambda r: r.p99_ms),
        "cpu": float(statistics.median(cpu for _, cpu in samples)),
    }


def figures(measured: Measured, todo: Sequence[Case], cold: Sequence[float]) -> list[Figure]:
    """Per case and concurrency: our req/s against pygeoapi and the ceiling, our p50 and p99
    against pygeoapi's, our server CPU per request against the ceiling's; then the uncached
    availability searches."""
    out = []
    levels = sorted({c for (_, _, c) in measured})
    for case in todo:
        for c in levels:
            ours = _medians(measured, case.key, "ours", c)
            if ours is None:
                continue
            peer = _medians(measured, case.key, "pygeoapi", c)
            ceiling = _medians(measured, case.key, "ceiling", c)
            name = f"{case.title}, c={c}"
            vs_peer = ("pygeoapi", peer) if peer else (None, None)
            out += [
                _figure(name, "req/s", ours["rps"], "higher", vs_peer, "rps"),
                _figure(name, "req/s", ours["rps"], "higher", ("ceiling", ceiling), "rps"),
                _figure(name, "p50 ms", ours["p50"], "lower", vs_peer, "p50"),
                _figure(name, "p99 ms", ours["p99"], "lower", vs_peer, "p99"),
                _figure(
                    name, "server CPU ms/request", ours["cpu"], "lower", ("ceiling", ceiling), "cpu"
                ),
            ]
    if cold:
        name = f"availability search, uncached (distinct filters), c=1, {len(cold)} searches"
        out += [
            Figure(name, "p50 ms", percentile(cold, 50)),
            Figure(name, "p99 ms", percentile(cold, 99)),
        ]
    return out


def _figure(
    case: str,
    metric: str,
    value: float,
    better: str,
    baseline: tuple[str | None, Mapping[str, float] | None],
    field: str,
) -> Figure:
    name, values = baseline
    if name is None or values is None:
        return Figure(case, metric, value, better)  # type: ignore[arg-type]
    return Figure(case, metric, value, better, name, values[field])  # type: ignore[arg-type]


def targets(measured: Measured, todo: Sequence[Case], units: int, workers: int) -> list[Target]:
    """The issue's targets at c=16, each with the figure, the margin and, when missed, why."""
    out = []
    for case in todo:
        ours = _medians(measured, case.key, "ours", TARGET_C)
        if ours is None:
            continue
        out.append(
            _peer_target(case, ours, _medians(measured, case.key, "pygeoapi", TARGET_C), workers)
        )
        ceiling = _medians(measured, case.key, "ceiling", TARGET_C)
        if ceiling is not None:
            out.append(_ceiling_target(case, ours, ceiling))
        if case.key.startswith("availability"):
            out.append(_p99_target(case, ours, units, workers))
    return out


def _peer_target(
    case: Case, ours: Mapping[str, float], peer: Mapping[str, float] | None, workers: int
) -> Target:
    text = f"{case.title}: ≥ {PEER_RATIO:g}× pygeoapi's req/s at c={TARGET_C}"
    if peer is None:
        return Target(text, False, "pygeoapi not measured in this run")
    ratio = ours["rps"] / peer["rps"] if peer["rps"] else float("inf")
    detail = f"{ours['rps']:,.0f} req/s against pygeoapi's {peer['rps']:,.0f}: {ratio:.1f}×"
    if ratio < PEER_RATIO:
        detail += (
            f", {PEER_RATIO / ratio:.1f} times short (needs {PEER_RATIO * peer['rps']:,.0f} "
            f"req/s). {_cpu_bound(ours, workers)}"
        )
    return Target(text, ratio >= PEER_RATIO, detail)


def _ceiling_target(case: Case, ours: Mapping[str, float], ceiling: Mapping[str, float]) -> Target:
    share = ours["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
    detail = (
        f"{ours['rps']:,.0f} req/s against the ceiling's {ceiling['rps']:,.0f}: {share:.2f} of "
        f"it; server CPU {ours['cpu']:.2f} against {ceiling['cpu']:.2f} ms/request"
    )
    if share < CEILING_SHARE:
        detail += (
            f", {CEILING_SHARE / share:.2f} times short. The difference is the work the ceiling "
            f"skips: {_extra_work(case)}"
        )
    return Target(
        f"{case.title}: ≥ {CEILING_SHARE:g}× the ceiling's req/s at c={TARGET_C}",
        share >= CEILING_SHARE,
        detail,
    )


def _p99_target(case: Case, ours: Mapping[str, float], units: int, workers: int) -> Target:
    big = units >= P99_UNITS
    met = big and ours["p99"] < P99_MS
    detail = f"p99 {ours['p99']:.1f} ms at c={TARGET_C} on {units:,} units"
    if not big:
        detail += f" (fewer than {P99_UNITS:,}: not the campus the target names)"
    elif not met:
        detail += f", {ours['p99'] / P99_MS:.1f} times the limit. {_cpu_bound(ours, workers)}"
    return Target(
        f"{case.title}: p99 < {P99_MS:g} ms at {P99_UNITS:,} units, c={TARGET_C}", met, detail
    )


def _cpu_bound(ours: Mapping[str, float], workers: int) -> str:
    """Why throughput stops where it does: CPU per request against the cores there are."""
    cores = min(workers, cpus())
    return (
        f"Our server spends {ours['cpu']:.2f} ms of CPU a request; {cores} core(s), shared "
        f"with wrk and the other servers' idle processes, bound it near "
        f"{1000 * cores / ours['cpu']:,.0f} req/s."
    )


def _extra_work(case: Case) -> str:
    """What our server does per request that the ceiling does not."""
    common = (
        "request id and JSON access line, Prometheus metrics, body and rate limits, gzip "
        "negotiation, FastAPI routing across the whole API"
    )
    if not case.key.startswith("availability"):
        return f"{common}, the query's own checks (400 on any unknown parameter), `datetime` and links."
    token = (
        ", the bearer token looked up in the token table (so a revoked token fails at once)"
        if case.token
        else ""
    )
    return (
        f"{common}, FastAPI's validation of 14 query parameters{token}, the projection's "
        "catch-up with the log, the cached answer's validity window (same log, no event or hold "
        "expiry since, same day) and the role's allow-listed view."
    )
