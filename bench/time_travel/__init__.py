"""Time travel benchmark: the whole campus's state at an arbitrary instant, 10k to 1M events.

For each size N, in its own subprocess (so memory figures do not mix), on a fresh database:

1. bulk-load N synthetic events (:mod:`bench.time_travel.synthetic`): many streams, most
   events back-dated within their stream;
2. build a :class:`~twin.projection.Projection` cold (``catch_up`` from empty);
3. time ``projection.all_at(t)`` at random instants;
4. time the naive baseline at a few of the same instants: read every event with
   ``effective_at <= t`` and fold each stream in effective-time order, checking that it gives
   the same answer (:mod:`bench.time_travel.measurement`).

:func:`run` is the section of ``python -m bench``; ``python -m bench.time_travel`` runs chosen
sizes and prints every figure (:mod:`bench.time_travel.report`).
"""

from __future__ import annotations

from rich.console import Console

from bench.databases import SQLITE, backend_name
from bench.section import Options, SectionResult
from bench.time_travel.measurement import measure_in_subprocess
from bench.time_travel.report import section

FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
POSTGRES_SIZE = 100_000
"""Size run on PostgreSQL too in a full run (the target's size): the fold is the same code."""


def plan(options: Options) -> list[tuple[int, str]]:
    """The (size, database) pairs a run measures."""
    sizes = QUICK_SIZES if options.quick else FULL_SIZES
    pairs = [(size, SQLITE) for size in sizes]
    if options.postgres_url:
        pairs.append((sizes[0] if options.quick else POSTGRES_SIZE, options.postgres_url))
    return pairs


def run(options: Options) -> SectionResult:
    """Every size of :func:`plan`, each in its own process."""
    console = Console(stderr=True)
    queries, budget_s = (20, 5.0) if options.quick else (50, 60.0)
    results = []
    for size, db in plan(options):
        console.print(f"[bold]time travel[/]: {size:,} events on {backend_name(db)}")
        results.append(measure_in_subprocess(size, db, queries, budget_s, options.seed))
    return section(results)
