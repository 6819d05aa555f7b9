"""Availability search benchmark: p50 and p99 of typical searches on two campuses.

1. **embedded**: the Flying Fish campus (3,622 units, 3,000 racks) in a running twin on a
   fresh SQLite log with its genesis (sample leases and holds), through
   :func:`twin.leasing.read.availability`: the projection's state at the instant included;
2. **synthetic**: the embedded campus plus generated office towers up to 20,000 units,
   searched with :func:`occupancy.availability.search` over in-memory ledger states in which
   about 55 % of units are let and 5 % held.

Each search of a fixed mix (everything; one building; floors and area; contiguous area;
ready by a date; 2N racks by hall; largest block first) runs ``--rounds`` times per campus.

Run ``python -m bench.leasing_availability [--rounds 30] [--units 20000]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from assets.campus import Campus
from assets.dataset import load_campus
from assets.history import CAMPUS_TZ, State
from assets.models import Building, Layout
from occupancy.availability import Availability, AvailabilityQuery, search
from occupancy.reducers import REDUCERS
from occupancy.spaces import SpaceCatalog, build_catalog
from occupancy.status import Readiness

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


def _time(
    run: Callable[[], Availability], rounds: int
) -> tuple[list[float], list[float], Availability]:
    """Wall-clock and CPU milliseconds of each run (CPU time shows the work itself when other
    processes share the machine's cores)."""
    result = run()  # warm
    wall, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu, result


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed runs per search")
    parser.add_argument("--units", type=int, default=20_000, help="units of the synthetic campus")
    args = parser.parse_args()
    console = Console()
    rows: list[tuple[str, str, int, float, list[float], list[float]]] = []

    from twin.leasing.read import availability
    from twin.runtime import Twin
    from twin.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        twin = Twin(Settings.from_env(db=Path(tmp) / "twin.db"))
        twin.fresh()
        for name, q in QUERIES.items():
            wall, cpu, r = _time(lambda q=q: availability(twin, AT, q), args.rounds)  # type: ignore[misc]
            rows.append(("embedded", name, len(r.matches), r.total_area_m2, wall, cpu))
        twin.close()

    campus = synthetic_campus(load_campus(), args.units)
    t0 = time.perf_counter()
    cat = build_catalog(campus)
    built_s = time.perf_counter() - t0
    ledger = synthetic_ledger(cat)
    ready = {b: Readiness(True, date(2025, 1, 1)) for b in campus.buildings}
    for name, q in QUERIES.items():
        wall, cpu, r = _time(lambda q=q: search(cat, ledger, ready, AT, q), args.rounds)  # type: ignore[misc]
        rows.append(("synthetic", name, len(r.matches), r.total_area_m2, wall, cpu))

    units = sum(1 for s in cat.spaces.values() if s.kind == "office")
    table = Table(title=f"Availability search, {args.rounds} runs each (ms)")
    for col in ("campus", "search", "matches", "area m²", "p50 ms", "p99 ms", "CPU p50 ms"):
        table.add_column(col, justify="left" if col in ("campus", "search") else "right")
    for campus_name, name, n, area, wall, cpu in rows:
        table.add_row(
            campus_name,
            name,
            f"{n:,}",
            f"{area:,.0f}",
            f"{statistics.median(wall):.1f}",
            f"{_p(wall, 99):.1f}",
            f"{statistics.median(cpu):.1f}",
        )
    console.print(table)
    load = os.getloadavg()[0]
    console.print(
        f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring (wall times grow with it)"
    )
    console.print(
        f"synthetic campus: {units:,} units and "
        f"{sum(1 for s in cat.spaces.values() if s.kind == 'rack'):,} racks in "
        f"{len(campus.buildings)} buildings; catalogue built in {built_s:.1f} s (once per process)"
    )


if __name__ == "__main__":
    main()
