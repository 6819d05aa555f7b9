"""Backups: a full backup of a log with many readings, then an incremental one after a few new
readings (late ones on an old day and some on a new day), then a restore, on each database.

Not a target of the issue's list; it shows what incremental backups save: the incremental
one writes the new events and the days that changed, the full one everything.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.databases import backend_name, backends, fresh_database, server_version
from bench.progress import steps_progress
from bench.section import Figure, Options, SectionResult
from twin.eventlog import BackupReport, EventStore, Measurement, backup, open_store, restore

START = datetime(2026, 11, 1, tzinfo=UTC)
BATCH = 5000
METHOD = (
    "Each database gets a fresh log with the campus's genesis and raw readings of `series` "
    "facility metrics, one a series every `step` seconds over `days` UTC days, recorded in "
    "process (`EventStore.record_readings`, batches of 5,000). `twin backup`'s function then "
    "writes a full backup into a new directory (timed, bytes written), a few new readings are "
    "recorded (half of them late, on the second day, half on a new day after the last), and a "
    "second backup into the same directory writes only what changed (timed, bytes written; its "
    "baseline is the full backup). Last, the backup is restored into a new database (timed). "
    "One run of each."
)


@dataclass(frozen=True)
class Plan:
    """How many readings: ``series`` × ``days`` × (86,400 / ``step``), then ``new`` more."""

    series: int
    days: int
    step: int
    new: int

    @classmethod
    def of(cls, options: Options) -> Plan:
        """Small sizes for ``--quick``; else about a million readings."""
        return cls(10, 3, 120, 200) if options.quick else cls(100, 10, 90, 1000)

    @property
    def readings(self) -> int:
        return self.series * self.days * (86_400 // self.step)


def _record(store: EventStore, readings: list[Measurement]) -> None:
    for start in range(0, len(readings), BATCH):
        store.record_readings([], readings[start : start + BATCH], "bench")


def _history(plan: Plan) -> list[Measurement]:
    return [
        Measurement(
            f"bench/row-{s}",
            "load_kw",
            START + timedelta(seconds=t),
            float(t % 97 + s),
            "kW",
            f"b{s}:{t}",
        )
        for t in range(0, plan.days * 86_400, plan.step)
        for s in range(plan.series)
    ]


def _new(plan: Plan) -> list[Measurement]:
    """Half late (on the second day, between readings already there), half on a new day."""
    late = START + timedelta(days=1, milliseconds=500)
    later = START + timedelta(days=plan.days, hours=1)
    return [
        Measurement(
            f"bench/row-{i % plan.series}",
            "load_kw",
            (late if i % 2 else later) + timedelta(seconds=i),
            1.0,
            "kW",
            f"n{i}",
        )
        for i in range(plan.new)
    ]


def _timed_backup(store: EventStore, root: Path) -> tuple[float, BackupReport]:
    began = time.perf_counter()
    done = backup(store, root)
    return time.perf_counter() - began, done


def measure(db: str, plan: Plan) -> list[Figure]:
    """The full backup, the incremental one and the restore on ``db``."""
    name = backend_name(db)
    with tempfile.TemporaryDirectory(prefix="twin-bench-backup-") as tmp:
        root = Path(tmp) / "backup"
        with fresh_database(db, genesis=True) as url, open_store(url) as store:
            _record(store, _history(plan))
            full_s, full = _timed_backup(store, root)
            _record(store, _new(plan))
            incremental_s, incremental = _timed_backup(store, root)
        with fresh_database(db) as url, open_store(url) as target:
            began = time.perf_counter()
            restore(target, root)
            restore_s = time.perf_counter() - began
    full_case = f"full backup, {plan.readings:,} readings ({name})"
    step = f"incremental after {plan.new:,} new readings ({name})"
    mb = 1e6
    return [
        Figure(full_case, "s", full_s),
        Figure(full_case, "MB written", full.bytes_written / mb),
        Figure(step, "s", incremental_s, baseline="full", baseline_value=full_s),
        Figure(
            step,
            "MB written",
            incremental.bytes_written / mb,
            baseline="full",
            baseline_value=full.bytes_written / mb,
        ),
        Figure(step, "days written", incremental.days_written),
        Figure(f"restore of that backup ({name})", "s", restore_s),
    ]


def run(options: Options) -> SectionResult:
    """The backups on every database."""
    plan = Plan.of(options)
    dbs = backends(options.postgres_url)
    figures: list[Figure] = []
    with steps_progress() as progress:
        task = progress.add_task("backup", total=len(dbs))
        for db in dbs:
            figures += measure(db, plan)
            progress.advance(task)
    return SectionResult(
        name="backup",
        figures=figures,
        method=METHOD,
        notes=[
            f"{plan.series} series, one reading every {plan.step} s over {plan.days} days: "
            f"{plan.readings:,} readings; then {plan.new:,} new ones."
        ],
        environment=[server_version(db) for db in dbs],
    )
