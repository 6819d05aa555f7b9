"""``python -m bench.time_travel``: chosen sizes on chosen databases, every figure printed.

``python -m bench`` runs this section with the others; this command is for a closer look.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from bench.databases import SQLITE, backend_name, redacted
from bench.machine import describe
from bench.report import markdown
from bench.time_travel.measurement import measure, measure_in_subprocess, write_result
from bench.time_travel.report import detailed_table, section


def parse_sizes(value: str) -> list[int]:
    """``"10000,100k,1M"`` -> ``[10000, 100000, 1000000]``."""
    scale = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in value.split(","):
        part = part.strip().lower().replace("_", "")
        factor = scale.get(part[-1:], 1)
        number = part[:-1] if factor > 1 else part
        try:
            sizes.append(int(float(number) * factor))
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}") from None
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
        default=[10_000, 100_000, 1_000_000],
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
        default=60.0,
        help="cap on the naive baseline's total time per size, s (default: 60)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    p.add_argument(
        "--report", type=Path, help="also write this section as a Markdown report to PATH"
    )
    p.add_argument("--no-report", action="store_true", help="print only (the default)")
    p.add_argument("--worker-out", help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> None:
    """Run every size on every database, print the table and the target's verdict."""
    args = parser().parse_args(argv)
    dbs = args.db or [SQLITE]
    if args.worker_out:
        (size,), (db,) = args.sizes, dbs
        console = Console(stderr=True)
        one = measure(size, db, args.queries, args.naive_budget, args.seed, console)
        write_result(one, Path(args.worker_out))
        return
    console = Console() if sys.stdout.isatty() else Console(width=160)
    results = []
    for db in dbs:
        for size in args.sizes:
            console.rule(f"{size:,} events on {backend_name(db)}")
            results.append(
                measure_in_subprocess(size, db, args.queries, args.naive_budget, args.seed)
            )
    console.print(detailed_table(results))
    result = section(results)
    for t in result.targets:
        console.print(f"Target: {t.text}: {'met' if t.met else 'NOT met'}, {t.detail}")
    if args.report and not args.no_report:
        command = " ".join(["python -m bench.time_travel", *map(_shown, argv or sys.argv[1:])])
        args.report.parent.mkdir(parents=True, exist_ok=True)
        text = markdown([result], describe([*result.environment]), command=command)
        args.report.write_text(text, encoding="utf-8")
        console.print(f"wrote {args.report}")


def _shown(arg: str) -> str:
    return redacted(arg) if "://" in arg else arg


if __name__ == "__main__":
    main()
