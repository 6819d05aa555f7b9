"""Visibility: how soon a write through one ``twin serve`` is read through another.

Two real ``twin serve`` processes, A and B, share one database (a SQLite file, and a
PostgreSQL database when a server is given). A facility status report (``POST
/api/v1/facilities/readings`` with a unique note) goes to A; from A's answer on, B is read every
few milliseconds until it shows the note. The same is done reading through A itself: the
baseline, the staleness of one instance's own reads.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.databases import backend_name, backends, fresh_database, server_version
from bench.machine import busy_note, load_average
from bench.measure import median
from bench.processes import create_token, twin_servers
from bench.progress import steps_progress
from bench.section import Figure, Options, SectionResult, Target
from twin.runtime import CATCH_UP_INTERVAL_S

TARGET_MS = 1000.0
"""A write must be visible through another instance within this, ms."""
FACILITY = "office/lifts"
"""Whose status is reported: a building system no alert rule watches."""
STATUSES = ("maintenance", "operational")
POLL_PAUSE_S = 0.005
GIVE_UP_S = 30.0
SAME = "read through A (same instance)"

METHOD = (
    "Two real `twin serve` processes, A and B, on one database (a SQLite file; a PostgreSQL "
    "database), and an operations token made by `twin token create`. A status report of one "
    f"facility (`{FACILITY}`, alternately maintenance and operational, with a unique note) is "
    "`POST`-ed to A's `/api/v1/facilities/readings`; from A's answer on, B's "
    "`GET /api/v1/facilities` is read, 5 ms after each answer, until it shows the note. "
    "*visible ms* is the time from A's answer to the first answer of B that shows the write "
    "(an upper bound: it includes that read). The baseline does the same reading through A "
    "itself. Instances catch up on the log by sequence number when read, at most every "
    f"{CATCH_UP_INTERVAL_S * 1000:.0f} ms."
)


@dataclass(frozen=True)
class Plan:
    """How many writes are read through B and through A."""

    across: int
    same: int

    @classmethod
    def of(cls, options: Options) -> Plan:
        """Fewer writes for ``--quick``."""
        return cls(5, 3) if options.quick else cls(20, 10)


@dataclass(frozen=True)
class Latencies:
    """One backend's latencies, ms."""

    backend: str
    across: list[float]
    same: list[float]
    reads: list[float]
    """Duration of each read, through either instance, ms."""
    writes: list[float]
    """Duration of each write through A, ms."""

    @property
    def case(self) -> str:
        return f"write through A, read through B, {backend_name(self.backend)}"


def report(client: httpx.Client, note: str, status: str) -> float:
    """Report ``FACILITY``'s status with ``note`` now; the request's duration, ms."""
    reading = {
        "facility": FACILITY,
        "status": status,
        "note": note,
        "observed_at": datetime.now(UTC).isoformat(),
    }
    started = time.perf_counter()
    response = client.post("/api/v1/facilities/readings", json={"readings": [reading]})
    if response.status_code != 200 or response.json()["accepted"] != 1:
        raise RuntimeError(f"write through A: {response.status_code} {response.text[:300]}")
    return (time.perf_counter() - started) * 1000


def shown_note(client: httpx.Client, reads: list[float]) -> str | None:
    """``FACILITY``'s note as ``client``'s instance answers now (the read's ms go to ``reads``)."""
    started = time.perf_counter()
    response = client.get("/api/v1/facilities", params={"under": FACILITY})
    reads.append((time.perf_counter() - started) * 1000)
    response.raise_for_status()
    (facility,) = response.json()["facilities"]
    return facility.get("note")


def until_visible(reader: httpx.Client, note: str, since: float, reads: list[float]) -> float:
    """Read until ``note`` shows; ms from ``since`` (a perf_counter instant) to that answer."""
    while shown_note(reader, reads) != note:
        if time.perf_counter() - since > GIVE_UP_S:
            raise RuntimeError(f"the write {note!r} was not visible after {GIVE_UP_S:.0f} s")
        time.sleep(POLL_PAUSE_S)
    return (time.perf_counter() - since) * 1000


def measure_backend(db: str, plan: Plan, advance: Callable[[], None]) -> Latencies:
    """Two instances on a fresh database of backend ``db``; ``advance()`` after each write."""
    across: list[float] = []
    same: list[float] = []
    reads: list[float] = []
    writes: list[float] = []
    with (
        fresh_database(db, genesis=True) as url,
        tempfile.TemporaryDirectory() as tmp,
        ThreadPoolExecutor(1) as pool,
    ):
        token = pool.submit(create_token, url, "operations", "bench-visibility")
        with twin_servers(url, Path(tmp), 2) as (url_a, url_b):
            headers = {"Authorization": f"Bearer {token.result()}"}
            with (
                httpx.Client(base_url=url_a, headers=headers, timeout=60) as a,
                httpx.Client(base_url=url_b, headers=headers, timeout=60) as b,
            ):
                for warm in (a, b):
                    shown_note(warm, [])
                for i in range(plan.across + plan.same):
                    reader, into = (b, across) if i < plan.across else (a, same)
                    note = f"bench {uuid.uuid4().hex[:12]}"
                    writes.append(report(a, note, STATUSES[i % 2]))
                    into.append(until_visible(reader, note, time.perf_counter(), reads))
                    advance()
    return Latencies(db, across, same, reads, writes)


def figures(results: list[Latencies]) -> list[Figure]:
    """p50 and max of each backend, the p50 against reading through A itself."""
    out = []
    for r in results:
        out += [
            Figure(r.case, "visible p50 ms", median(r.across), "lower", SAME, median(r.same)),
            Figure(r.case, "visible max ms", max(r.across), "lower", SAME, max(r.same)),
        ]
    return out


def target(results: list[Latencies]) -> Target:
    """Every write visible through the other instance within TARGET_MS, on every backend."""
    worst = max(max(r.across) for r in results)
    per_backend = ", ".join(
        f"{backend_name(r.backend)} max {max(r.across):,.0f} ms (p50 {median(r.across):,.0f})"
        for r in results
    )
    text = f"a write visible through another instance within {TARGET_MS / 1000:.0f} s"
    if worst <= TARGET_MS:
        return Target(text, True, f"{per_backend}; {TARGET_MS / worst:.1f}× under the limit")
    slowest_read = max(max(r.reads) for r in results)
    return Target(
        text,
        False,
        f"{per_backend}; {worst - TARGET_MS:,.0f} ms over; a single read took up to "
        f"{slowest_read:,.0f} ms{busy_note(load_average())}",
    )


def run(options: Options) -> SectionResult:
    """Two instances on each database; writes through A read through B, and through A."""
    plan = Plan.of(options)
    dbs = backends(options.postgres_url)
    results = []
    with steps_progress() as progress:
        task = progress.add_task("visibility", total=len(dbs) * (plan.across + plan.same))
        for db in dbs:
            progress.update(task, description=f"visibility: {backend_name(db)}")
            results.append(measure_backend(db, plan, lambda: progress.advance(task)))
    notes = [
        f"{backend_name(r.backend)}: {len(r.across)} writes read through B, {len(r.same)} "
        f"through A; a write through A took p50 {median(r.writes):,.0f} ms, a read "
        f"p50 {median(r.reads):,.0f} ms (max {max(r.reads):,.0f})."
        for r in results
    ]
    return SectionResult(
        name="visibility",
        figures=figures(results),
        targets=[target(results)],
        method=METHOD,
        notes=notes,
        environment=[server_version(db) for db in dbs],
    )
