"""``python -m bench``: every benchmark section, one table of figures, targets, the report.

Runs the sections of :data:`bench.runner.SECTIONS` in order, each in its own process, prints
one table (section | case | metric | value | baseline | ratio) and a table of targets, and
writes ``docs/performance.md`` (machine, date, the tables, each section's method and notes).
Exits 1 when a section chosen was missing or failed (after reporting the others).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from bench.databases import redacted
from bench.machine import describe, load_average
from bench.report import figures_table, markdown, targets_table
from bench.runner import BY_NAME, SECTIONS, missing, run_in_subprocess, run_worker
from bench.section import Options, SectionResult

DEFAULT_REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def section_names(value: str) -> list[str]:
    """``"scene,visibility"`` -> the names, checked against the known sections."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown section {', '.join(unknown) or '(none)'}; choose from " + ", ".join(BY_NAME)
        )
    return names


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m bench``."""
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run the benchmark sections; print one table of figures and the targets; "
        "write docs/performance.md.",
    )
    p.add_argument(
        "--quick", action="store_true", help="small sizes, short runs: checks the bench itself"
    )
    p.add_argument(
        "--only", type=section_names, help=f"comma-separated sections ({', '.join(BY_NAME)})"
    )
    p.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL server, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test "
        "(scratch databases twin_bench_<hex> are made there and dropped); without it, SQLite only",
    )
    p.add_argument(
        "--mqtt", metavar="URL", help="MQTT broker, e.g. mqtt://127.0.0.1:1883; without it, no MQTT"
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        help="Markdown report to write (default: docs/performance.md)",
    )
    where.add_argument("--no-report", action="store_true", help="print the tables only")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--worker-options", help=argparse.SUPPRESS)
    p.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    return p


def shown_command(argv: Sequence[str]) -> str:
    """The command as the report shows it (passwords hidden)."""
    return " ".join(["python -m bench", *(redacted(a) if "://" in a else a for a in argv)])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections, print the tables, write the report; the exit status."""
    args = parser().parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.worker_options, args.worker_out)
        return 0
    console = Console() if sys.stdout.isatty() else Console(width=180)
    options = Options(
        quick=args.quick, seed=args.seed, postgres_url=args.postgres, mqtt_url=args.mqtt
    )
    chosen = [s for s in SECTIONS if args.only is None or s.name in args.only]
    started, clock = datetime.now(UTC), time.monotonic()
    results: list[SectionResult] = []
    problems: list[str] = []
    loads = [load_average()]
    for i, section in enumerate(chosen, 1):
        console.rule(f"[bold][{i}/{len(chosen)}] {section.title}[/] ({section.name})")
        absent = missing(section)
        if absent:
            console.print(f"[yellow]skipped[/]: {absent}")
            problems.append(absent)
            continue
        began = time.monotonic()
        try:
            result = run_in_subprocess(section, options)
        except RuntimeError as exc:
            console.print(f"[bold red]failed[/]: {exc}")
            problems.append(f"{exc}: its traceback is in the output above")
            continue
        loads.append(load_average())
        results.append(result)
        met = sum(t.met for t in result.targets)
        console.print(
            f"{section.name}: {len(result.figures)} figures, targets met {met}/"
            f"{len(result.targets)}, {time.monotonic() - began:.0f} s"
        )
    console.print(figures_table(results))
    console.print(targets_table(results))
    for problem in problems:
        console.print(f"[bold red]not measured[/]: {problem}")
    if not args.no_report:
        text = markdown(
            results,
            describe([line for r in results for line in r.environment], loads),
            command=shown_command(argv if argv is not None else sys.argv[1:]),
            started=started,
            duration_s=time.monotonic() - clock,
            quick=args.quick,
            titles={s.name: s.title for s in SECTIONS},
            problems=problems,
        )
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text, encoding="utf-8")
        console.print(f"wrote {args.report}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
