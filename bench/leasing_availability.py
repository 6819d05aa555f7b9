"""Availability search benchmark: p50 and p99 of typical searches on two campuses.

1. **embedded**: the Flying Fish campus (3,622 units, 3,000 racks) in a running twin on a
   fresh SQLite log with its genesis (sample leases and holds), through
   :func:`twin.leasing.read.availability`: the projection's state at the instant included;
2. **synthetic**: the embedded campus plus generated office towers up to 20,000 units,
   searched with :func:`occupancy.availability.search` over in-memory ledger states in which
   about 55 % of units are let and 5 % held.

Each search of a fixed mix (everything; one building; floors and area; contiguous area;
ready by a date; 2N racks by hall; largest block first) runs ``--rounds`` times per campus;
and proposals (:mod:`occupancy.proposals`): 500-1,000 m² of adjacent units in the fish head of
the synthetic campus, and 3,000 m² on one floor of 60 x 60 units of 100 m² (its bound: the
beam search stays polynomial on a floor of 3,600 units).

:func:`run` is the section of ``python -m bench``; ``python -m bench.leasing_availability
[--rounds 30] [--units 20000]`` prints its figures alone.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from rich.console import Console

from assets.campus import Campus
from assets.dataset import load_campus
from assets.history import CAMPUS_TZ, State
from assets.models import Building, Layout
from bench.measure import median, percentile
from bench.progress import steps_progress
from bench.report import figures_table
from bench.section import Figure, Options, SectionResult
from occupancy.availability import Availability, AvailabilityQuery, Match, search, with_matches
from occupancy.proposals import ProposalQuery, proposals
from occupancy.reducers import REDUCERS
from occupancy.spaces import Space, SpaceCatalog, build_catalog
from occupancy.status import Readiness

METHOD = (
    "A fixed mix of searches (everything; one building; floors and area; contiguous area; "
    "ready by a date; 2N racks by hall; largest block first), each run {rounds} times after a "
    "warm-up on two campuses: *embedded*, the Flying Fish campus in a running twin on a fresh "
    "SQLite log with its genesis, through `twin.leasing.read.availability` (the projection's "
    "state at the instant included); *synthetic*, the campus "
    "plus generated office towers of 500 units each up to the stated size, searched with "
    "`occupancy.availability.search` over in-memory ledger states where about 55 % of units "
    "are let and 5 % held. Times are wall-clock, in process (no HTTP: the API's figures are "
    "in the queries section)."
)
AT = datetime(2026, 3, 1, 12, tzinfo=CAMPUS_TZ)
TOWER_W, TOWER_D, STOREYS = 100.0, 60.0, 25
"""Synthetic towers: a 100 m x 60 m plate cut into 20 units, 25 storeys: 500 units each."""
QUERIES: dict[str, AvailabilityQuery] = {
    "everything": AvailabilityQuery(),
    "one building": AvailabilityQuery(building="office-building"),
    "floors 5-12, 100-200 m²": AvailabilityQuery(
        kind="office", min_level=5, max_level=12, min_area_m2=100, max_area_m2=200
    ),
    "contiguous ≥ 1,000 m²": AvailabilityQuery(kind="office", min_contiguous_m2=1000),
    "ready by 2027-01-01": AvailabilityQuery(available_from=date(2027, 1, 1)),
    "2N racks, ≥ 100 per hall": AvailabilityQuery(kind="rack", two_n=True, min_racks=100),
    "largest block first": AvailabilityQuery(kind="office", parcel="fish-head", sort="block"),
}


def synthetic_campus(base: Campus, units: int) -> Campus:
    """``base`` plus towers in a row south of the campus until it has about ``units`` units."""
    have = len(base.units())
    per_tower = 20 * STOREYS
    towers = max(0, -(-(units - have) // per_tower))
    parcel = next(iter(base.parcels.values()))
    x0, y0 = base.frame.origin_x, base.frame.origin_y - 5_000
    extra = [
        Building(
            id=f"synthetic-t{k + 1:03d}",
            name={"zh": f"合成塔楼{k + 1}", "en": f"Synthetic tower {k + 1}"},
            parcel=parcel.id,
            use="office",
            footprint=[
                (x0 + k * 150, y0),
                (x0 + k * 150 + TOWER_W, y0),
                (x0 + k * 150 + TOWER_W, y0 + TOWER_D),
                (x0 + k * 150, y0 + TOWER_D),
            ],
            storeys=STOREYS,
            storey_height_m=4.0,
            layout=Layout(depth_m=12.0, bay_width_m=16.0),
            provenance="schematic",
        )
        for k in range(towers)
    ]
    return Campus(
        base.origin,
        list(base.zones.values()),
        list(base.parcels.values()),
        [*base.buildings.values(), *extra],
        list(base.facilities.values()),
        list(base.facts.values()),
    )


def synthetic_ledger(cat: SpaceCatalog, seed: int = 7) -> dict[str, State]:
    """Space states where about 55 % of units are let and 5 % held, in runs along floors."""
    rng = random.Random(seed)
    states: dict[str, State] = {}
    now = AT.astimezone(UTC)
    for n, sid in enumerate(cat.spaces):
        roll = rng.random()
        if roll > 0.6:
            continue
        kind = "hold" if roll < 0.05 else "lease"
        data = {
            kind: f"{kind[0].upper()}-{n:06d}",
            "tenant": f"t{n % 97}",
            "start": "2025-01-01",
            "end": rng.choice(["2026-06-01", "2028-01-01", "2031-01-01"]),
            "expires_at": (now + timedelta(days=10)).isoformat(),
        }
        event = "SpaceHeld" if kind == "hold" else "SpaceLeased"
        states[f"space:{sid}"] = REDUCERS[event]({}, data, now)
    return states


@dataclass(frozen=True)
class Search:
    """One search's timed runs on one campus (ms) and what it found."""

    campus: str
    name: str
    matches: int
    area_m2: float
    wall_ms: list[float]
    cpu_ms: list[float]


def timed_search(
    campus: str, name: str, search_once: Callable[[], Availability], rounds: int
) -> Search:
    """Wall-clock and CPU milliseconds of ``rounds`` runs after one warm-up (CPU time shows
    the work itself when other processes share the machine's cores)."""
    result = search_once()
    wall, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        result = search_once()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return Search(campus, name, len(result.matches), result.total_area_m2, wall, cpu)


def proposals_as_answer(
    found: list[Match], order: dict[str, int], q: ProposalQuery
) -> Availability:
    """Proposals among ``found``, as an answer whose matches are the best proposal's units."""
    best, _ = proposals(found, order, q)
    return with_matches(list(best[0].matches) if best else [], AT.date())


def grid_floor(side: int, unit_m: float = 10.0) -> tuple[list[Match], dict[str, int]]:
    """One floor of ``side`` x ``side`` free square units (``unit_m`` wide), as matches."""
    from shapely.geometry import box

    units = []
    for i in range(side):
        for j in range(side):
            poly = box(i * unit_m, j * unit_m, (i + 1) * unit_m, (j + 1) * unit_m)
            sid = f"grid/L01/U{i:03d}{j:03d}"
            units.append(
                Space(sid, "office", "p", "grid", "grid/L01", 1, "grid/L01", poly, poly.area)
            )
    day = AT.date()
    found = [Match(u, "available", day, None, False, u.id, u.area_m2, 1) for u in units]
    return found, {u.id: k for k, u in enumerate(units)}


def proposal_searches(
    cat: SpaceCatalog, ledger: dict[str, State], ready, rounds: int
) -> list[Search]:
    """Proposals on the synthetic campus's fish head and on a floor of 3,600 units."""
    head = search(cat, ledger, ready, AT, AvailabilityQuery(kind="office", parcel="fish-head"))
    grid, grid_order = grid_floor(60)
    return [
        timed_search(
            "synthetic",
            "proposals 500-1,000 m², fish head",
            partial(proposals_as_answer, head.matches, cat.order, ProposalQuery(500, 1000)),
            rounds,
        ),
        timed_search(
            "synthetic",
            "proposals 3,000 m², one floor of 3,600 units",
            partial(proposals_as_answer, grid, grid_order, ProposalQuery(3000, 3000)),
            max(1, rounds // 5),
        ),
    ]


def embedded_searches(rounds: int) -> list[Search]:
    """Every search of QUERIES through a running twin on a fresh SQLite log with its genesis."""
    from twin.leasing.read import availability
    from twin.runtime import Twin
    from twin.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        twin = Twin(Settings.from_env(db=Path(tmp) / "twin.db"))
        twin.fresh()
        try:
            return [
                timed_search("embedded", name, partial(availability, twin, AT, q), rounds)
                for name, q in QUERIES.items()
            ]
        finally:
            twin.close()


def synthetic_searches(units: int, rounds: int) -> tuple[list[Search], str]:
    """Every search of QUERIES on the synthetic campus; and a line describing that campus."""
    campus = synthetic_campus(load_campus(), units)
    t0 = time.perf_counter()
    cat = build_catalog(campus)
    built_s = time.perf_counter() - t0
    ledger = synthetic_ledger(cat)
    ready = {b: Readiness(True, date(2025, 1, 1)) for b in campus.buildings}
    searches = [
        timed_search("synthetic", name, partial(search, cat, ledger, ready, AT, q), rounds)
        for name, q in QUERIES.items()
    ]
    searches += proposal_searches(cat, ledger, ready, rounds)
    offices = sum(1 for s in cat.spaces.values() if s.kind == "office")
    racks = sum(1 for s in cat.spaces.values() if s.kind == "rack")
    line = (
        f"Synthetic campus: {offices:,} office units and {racks:,} racks in "
        f"{len(campus.buildings)} buildings; its space catalogue built in {built_s:.1f} s "
        "(once per process)."
    )
    return searches, line


def section(searches: list[Search], rounds: int, campus_line: str) -> SectionResult:
    """The searches as figures: p50 per search, the worst p99 per campus."""
    figures = [Figure(f"{s.campus}: {s.name}", "p50 ms", median(s.wall_ms)) for s in searches]
    for campus in dict.fromkeys(s.campus for s in searches):
        worst = max(
            (s for s in searches if s.campus == campus), key=lambda s: percentile(s.wall_ms, 99)
        )
        figures.append(
            Figure(
                f"{campus}: every search ({worst.name})",
                "worst p99 ms",
                percentile(worst.wall_ms, 99),
            )
        )
    notes = [
        f"{s.campus}, {s.name}: {s.matches:,} matches, {s.area_m2:,.0f} m²; p99 "
        f"{percentile(s.wall_ms, 99):.1f} ms, CPU p50 {median(s.cpu_ms):.1f} ms."
        for s in searches
    ]
    return SectionResult(
        name="leasing_availability",
        figures=figures,
        method=METHOD.format(rounds=rounds),
        notes=[campus_line, *notes],
    )


def run(options: Options) -> SectionResult:
    """Both campuses; fewer rounds and a smaller synthetic campus for ``--quick``."""
    rounds, units = (5, 5_000) if options.quick else (30, 20_000)
    with steps_progress() as progress:
        task = progress.add_task("availability: embedded campus", total=2)
        searches = embedded_searches(rounds)
        progress.update(task, advance=1, description=f"availability: {units:,} units")
        synthetic, line = synthetic_searches(units, rounds)
        progress.advance(task)
    return section(searches + synthetic, rounds, line)


def main() -> None:
    """Print the figures of chosen rounds and campus size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed runs per search")
    parser.add_argument("--units", type=int, default=20_000, help="units of the synthetic campus")
    args = parser.parse_args()
    searches = embedded_searches(args.rounds)
    synthetic, line = synthetic_searches(args.units, args.rounds)
    result = section(searches + synthetic, args.rounds, line)
    console = Console()
    console.print(figures_table([result]))
    for note in result.notes:
        console.print(f"- {note}", highlight=False)


if __name__ == "__main__":
    main()
