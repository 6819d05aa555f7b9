"""API queries: throughput and latency of a real ``twin serve`` against a peer and a ceiling.

Five requests, each at concurrency 1, 16 and 64, by ``wrk`` in its own process
(:mod:`bench.loadgen`):

- **OGC items**: ``/ogc/collections/units/items?limit=10``;
- **bbox page**: the units meeting a box of a few hundred metres, ``limit=100``;
- **CQL2 page**: ``filter=level = 5`` (OGC API - Features Part 3), ``limit=100``: against
  pygeoapi's property filter ``level=5`` (its OGR provider has no CQL2), not on the ceiling;
- **availability**: ``/api/v1/leasing/availability`` for office units on levels 2-9, a page of
  100, the state at now: with a ``leasing`` bearer token (checked against the token table on
  every request; the staff view) and anonymously (the public view).

Against, in the same run and measured alternately (ours, pygeoapi, ceiling, then the next
round starting one further along), with medians of the rounds:

- **pygeoapi** (PyPI), OGR provider over the GeoPackage ``twin export --format gpkg`` wrote of
  the same campus (:mod:`bench.peer_pygeoapi`); for availability, which it has no notion of,
  its nearest request: a page of 100 units of one level (a property filter);
- **the ceiling**: a bare in-memory FastAPI server serving the same features
  (:mod:`bench.ceiling_server`).

Run ``python -m bench.queries [--quick] [--units 20000] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console

from bench import loadgen
from bench import peer_pygeoapi as peer
from bench.machine import cpus, load_average
from bench.progress import steps_progress
from bench.query_setup import (
    Dataset,
    Server,
    bbox_around,
    cpu_seconds,
    prepare,
    servers,
    synth_available,
)
from bench.query_targets import Measured, figures, targets
from bench.section import Options, SectionResult

CONCURRENCY, QUICK_CONCURRENCY = (1, 16, 64), (1, 16)
DURATION_S, QUICK_DURATION_S = 5.0, 1.0
ROUNDS, QUICK_ROUNDS = 3, 1
UNITS = 20_000
WORKERS = 1
"""Worker processes of every server. One: the server on one core, wrk on the other. With two,
uvicorn's workers share one listening socket and whichever wakes first accepts most of wrk's
16 connections, opened at once: a run measures one worker or two by chance (1,850 or 3,780
req/s for the same page, 2026-11-28), which drowns the comparison. ``twin serve --workers 2``
serves real clients, whose connections arrive over time, from both cores (it needed
``TCP_NODELAY`` on that socket, see :func:`cli.serve.run_workers`)."""
PAGE = 100
COLD_SEARCHES, QUICK_COLD_SEARCHES = 15, 3
"""Uncached availability searches timed one by one (distinct filters, so none is cached)."""
AVAILABILITY = "/api/v1/leasing/availability?kind=office&min_level=2&max_level=9&limit=100"


@dataclass(frozen=True)
class Case:
    """One request: its path on ours and the ceiling, and the peer's nearest request."""

    key: str
    title: str
    path: str
    peer_path: str | None
    token: bool = False
    on_ceiling: bool = True
    """Whether the ceiling serves it (it knows no CQL2)."""


def cases(bbox: str) -> list[Case]:
    """The five requests, with ``bbox`` for the bbox page."""
    page = f"bbox={bbox}&limit={PAGE}"
    return [
        Case(
            "items",
            "OGC items limit=10",
            "/ogc/collections/units/items?limit=10",
            "/collections/units/items?limit=10&f=json",
        ),
        Case(
            "bbox",
            f"OGC bbox page of {PAGE} units",
            f"/ogc/collections/units/items?{page}",
            f"/collections/units/items?{page}&f=json",
        ),
        Case(  # OGC API - Features Part 3; pygeoapi's OGR provider filters by property
            "cql2",
            f"OGC items, CQL2 filter level = 5, page of {PAGE}",
            f"/ogc/collections/units/items?filter=level%20%3D%205&limit={PAGE}",
            f"/collections/units/items?level=5&limit={PAGE}&f=json",
            on_ceiling=False,
        ),
        Case(
            "availability",
            f"availability search, page of {PAGE}, leasing token",
            AVAILABILITY,
            f"/collections/units/items?level=5&limit={PAGE}&f=json",
            token=True,
        ),
        Case(
            "availability-public",
            f"availability search, page of {PAGE}, public",
            AVAILABILITY,
            f"/collections/units/items?level=5&limit={PAGE}&f=json",
        ),
    ]


def check(case: Case, server: Server, headers: dict[str, str]) -> None:
    """Ask once and check the answer is what the case measures (RuntimeError if not)."""
    path = _path(case, server)
    assert path is not None
    response = httpx.get(server.url + path, headers=headers, timeout=120)
    if response.status_code != 200:
        raise RuntimeError(
            f"{server.name} {path}: HTTP {response.status_code} {response.text[:300]}"
        )
    body = response.json()
    found = len(body["features"]) if "features" in body else len(body["items"])
    wanted = 10 if case.key == "items" else PAGE
    if found != wanted:
        raise RuntimeError(f"{server.name} {path}: {found} results, the case needs {wanted}")


def measure(
    found: Sequence[Server],
    todo: Sequence[Case],
    token: str,
    concurrency: Sequence[int],
    duration: float,
    rounds: int,
    step: Callable[[str], None],
) -> Measured:
    """Every case on every server at every concurrency, ``rounds`` times, alternating servers
    (each round starts one server further along); wrk results and server CPU per request."""
    out: Measured = {}
    for case in todo:
        for c in concurrency:
            for r in range(rounds):
                for server in [*found[r % len(found) :], *found[: r % len(found)]]:
                    path = _path(case, server)
                    if path is None:
                        continue
                    step(f"{case.key} c={c} {server.name} round {r + 1}")
                    headers = _auth(case, server, token)
                    cpu = cpu_seconds(server.pid)
                    result = loadgen.load(server.url + path, c, duration, headers)
                    used_ms = (cpu_seconds(server.pid) - cpu) * 1000
                    out.setdefault((case.key, server.name, c), []).append(
                        (result, used_ms / max(1, result.requests))
                    )
    return out


def cold_searches(ours: Server, token: str, count: int) -> list[float]:
    """Milliseconds of ``count`` availability searches one at a time, each with a filter not
    asked before (a minimum area of 0.01, 0.02, ... m²), so none is a cached answer."""
    times = []
    with httpx.Client(base_url=ours.url, timeout=300) as client:
        for k in range(count):
            started = time.perf_counter()
            response = client.get(
                f"{AVAILABILITY}&min_area_m2={(k + 1) / 100:.2f}",
                headers={"Authorization": f"Bearer {token}"},
            )
            response.raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def run(options: Options, workers: int = WORKERS, units: int | None = UNITS) -> SectionResult:
    """Measure the four requests on ours, pygeoapi and the ceiling (see the module)."""
    if not loadgen.available():
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    quick = options.quick
    concurrency = QUICK_CONCURRENCY if quick else CONCURRENCY
    duration = QUICK_DURATION_S if quick else DURATION_S
    rounds = QUICK_ROUNDS if quick else ROUNDS
    notes: list[str] = []
    if quick or not synth_available():
        if not quick:
            notes.append("`twin synth` is not in this twin: measured on the embedded campus.")
        units = None
    with_peer = _peer_ready(quick, notes)
    loads = [load_average()]
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as tmp, steps_progress() as bar:
        workdir = Path(tmp)
        task = bar.add_task("preparing the campus", total=None)
        dataset = prepare(workdir, units, options.seed)
        todo = cases(bbox_around(dataset.gpkg, 2 * PAGE))
        bar.update(task, description="starting the servers")
        with servers(dataset, workdir, workers, with_peer) as (found, token):
            for case in todo:
                for server in found:
                    path = _path(case, server)
                    if path is None:
                        continue
                    check(case, server, _auth(case, server, token))
                    loadgen.load(server.url + path, 16, 1, _auth(case, server, token))
            total = len(todo) * len(concurrency) * rounds * len(found)
            bar.update(task, total=total, completed=0)

            def step(what: str) -> None:
                bar.update(task, description=what, advance=1)
                loads.append(load_average())

            measured = measure(found, todo, token, concurrency, duration, rounds, step)
            ours = next(s for s in found if s.name == "ours")
            cold = cold_searches(ours, token, QUICK_COLD_SEARCHES if quick else COLD_SEARCHES)
            versions = peer.versions() if with_peer else None
    return SectionResult(
        name="queries",
        figures=figures(measured, todo, cold),
        targets=targets(measured, todo, dataset.units, workers),
        method=method(dataset, workers, duration, rounds, concurrency),
        notes=[*notes, *run_notes(measured, loads)],
        environment=environment(workers, versions),
    )


def _peer_ready(quick: bool, notes: list[str]) -> bool:
    """Whether pygeoapi can run: its venv is there, or (not ``quick``) was made now; else a
    note says why not."""
    if peer.venv_ready():
        return True
    if quick:
        notes.append(f"pygeoapi not measured: quick run and no venv in {peer.VENV}.")
        return False
    try:
        peer.ensure_venv()
    except peer.PeerUnavailable as exc:
        notes.append(f"pygeoapi not measured: {exc}")
        return False
    return True


def method(
    dataset: Dataset, workers: int, duration: float, rounds: int, concurrency: Sequence[int]
) -> str:
    """The method paragraph of the report."""
    campus = (
        f"`twin synth` campus of {dataset.units:,} units in {dataset.buildings:,} buildings"
        if dataset.data is not None
        else f"embedded Flying Fish campus ({dataset.units:,} units)"
    )
    return (
        f"On a {campus}: a real `twin serve --workers {workers}` on a fresh SQLite log (genesis "
        f"loaded), pygeoapi with its OGR provider over the GeoPackage `twin export --format gpkg` "
        f"wrote of it, and a bare in-memory FastAPI server serving the same GeoJSON (STRtree, "
        f"orjson), each with {workers} uvicorn worker process(es). `wrk` (one thread, in its own "
        f"process) keeps c connections busy for {duration:g} s per measurement, c in "
        f"{', '.join(map(str, concurrency))}; servers alternate within a round and each round "
        f"starts one server further along; figures are medians of {rounds} round(s). *req/s*: "
        f"completed requests a second; *p50/p99 ms*: wrk's latency percentiles; *server CPU "
        f"ms/request*: the server processes' user+system CPU during the measurement divided by "
        f"the requests (robust to other load on the machine, unlike req/s). Our availability "
        f"requests carry a `leasing` bearer token; pygeoapi has no availability search, so its "
        f"figure is a page of {PAGE} units of one level (property filter). *uncached*: "
        f"availability searches one at a time with filters not asked before, so no cached "
        f"answer is reused."
    )


def run_notes(measured: Measured, loads: Sequence[float]) -> list[str]:
    """Errors seen and the machine's load while measuring."""
    notes = []
    for (key, name, c), samples in sorted(measured.items()):
        bad = sum(r.errors for r, _ in samples)
        if bad:
            notes.append(f"{name} {key} c={c}: {bad} failed or non-2xx responses (see wrk).")
    notes.append(
        f"1-minute load average {min(loads):.1f}..{max(loads):.1f} on {cpus()} CPUs while "
        f"measuring; the machine was shared, so req/s and latency vary between rounds more "
        f"than server CPU per request does."
    )
    return notes


def environment(workers: int, peer_versions: str | None) -> list[str]:
    """Versions of what was measured."""
    import fastapi
    import orjson
    import uvicorn

    lines = [
        f"twin serve: uvicorn {uvicorn.__version__} (h11), {workers} worker(s), FastAPI "
        f"{fastapi.__version__}, SQLite log",
        f"ceiling: FastAPI {fastapi.__version__}, orjson {orjson.__version__}",
        f"load generator: {loadgen.version()}",
    ]
    if peer_versions:
        lines.append(peer_versions)
    return lines


def _auth(case: Case, server: Server, token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if case.token and server.name == "ours" else {}


def _path(case: Case, server: Server) -> str | None:
    """The case's request on ``server``; None where that server does not serve it."""
    if server.name == "pygeoapi":
        return case.peer_path
    if server.name == "ceiling" and not case.on_ceiling:
        return None
    return case.path


def main(argv: Sequence[str] | None = None) -> None:
    from bench.report import figures_table, targets_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="embedded campus, 1 s runs")
    parser.add_argument("--units", type=int, default=UNITS, help="units of the synthetic campus")
    parser.add_argument("--workers", type=int, default=WORKERS, help="worker processes a server")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = run(Options(quick=args.quick, seed=args.seed), args.workers, args.units)
    console = Console() if sys.stdout.isatty() else Console(width=180)
    console.print(figures_table([result]))
    console.print(targets_table([result]))
    for note in result.notes:
        console.print(f"- {note}")


if __name__ == "__main__":
    main()
