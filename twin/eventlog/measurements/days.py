"""The measurements store by UTC day, for incremental backups: what changed, and each day's rows.

A day's segment holds its raw readings and its rollups (the 1-minute and 1-hour buckets in
the day and the day's own bucket); the idempotency keys of its readings go to a segment of
their own. Whether a day changed is read from the rollups, never from the raw readings:

- the day's 1-day rollups count every reading ever recorded on the day (``n``; they are kept
  by the write path in the same transaction and never dropped), and their totals sum its
  values: a new reading, late or not, changes both;
- raw readings are only ever deleted by retention, which deletes before ``readings_horizon``
  (from when raw readings are complete, a UTC midnight). From the horizon on a day holds as
  many raw readings as its rollups count; before it, the few left (late readings retention
  has not yet reached) are counted, a cheap query over nearly empty ranges.

Keys are pruned by when they were recorded, which changes no day: a restore keeps only the
keys recorded at or after the earliest one the database held (:func:`keys_from`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from twin.eventlog.measurements.models import EPOCH, Times, from_us
from twin.eventlog.measurements.retention import raw_from_us

DAY_US = 86_400_000_000


@dataclass(frozen=True)
class DayState:
    """What the store holds of one UTC day: readings recorded (``n``), the sum of their
    values, and the raw readings kept."""

    n: int
    total: float
    raw: int

    def as_entry(self) -> dict[str, Any]:
        return {"n": self.n, "total": self.total, "raw": self.raw}


def day_start_us(day: date) -> int:
    """Microseconds since the epoch of the UTC midnight starting ``day``."""
    return (day - EPOCH.date()).days * DAY_US


def day_of(at_us: int) -> date:
    """The UTC day of an instant given in µs since the epoch."""
    return EPOCH.date() + timedelta(days=at_us // DAY_US)


def keys_from(conn: Connection) -> int | None:
    """When the earliest idempotency key held was recorded, µs (None: no key)."""
    kept = conn.exec_driver_sql("SELECT min(recorded_at) FROM reading_keys").scalar()
    return None if kept is None else Times(conn.dialect.name).from_db(kept)


def states(conn: Connection) -> dict[date, DayState]:
    """Every day of the store and what it holds (one indexed read of the 1-day rollups)."""
    times = Times(conn.dialect.name)
    counts: dict[date, int] = {}
    totals: dict[date, list[float]] = {}
    query = per_series(
        conn, "reading_rollups", "r.width_s = 86400", "r.bucket, r.n, r.total", "r.bucket"
    )
    for bucket, n, total in conn.exec_driver_sql(query):
        day = day_of(times.from_db(bucket))
        counts[day] = counts.get(day, 0) + int(n)
        totals.setdefault(day, []).append(float(total))
    horizon = raw_from_us(conn)
    below = _raw_before(conn, horizon)
    return {
        day: DayState(
            counts.get(day, 0),
            math.fsum(totals.get(day, [])),
            below.get(day, 0) if day_start_us(day) < horizon else counts[day],
        )
        for day in sorted(counts.keys() | below.keys())
    }


def _raw_before(conn: Connection, horizon_us: int) -> dict[date, int]:
    """Raw readings per day before the horizon (days retention left, or late readings)."""
    if horizon_us <= 0:
        return {}
    if conn.dialect.name == "sqlite":
        query = per_series(conn, "readings", "r.at < ?", f"r.at / {DAY_US} AS d", "r.at")
        rows = conn.exec_driver_sql(f"SELECT d, count(*) FROM ({query}) GROUP BY d", (horizon_us,))
        return {EPOCH.date() + timedelta(days=int(d)): int(c) for d, c in rows}
    rows = conn.exec_driver_sql(
        "SELECT (at AT TIME ZONE 'UTC')::date, count(*) FROM readings WHERE at < %s GROUP BY 1",
        (from_us(horizon_us),),
    )
    return {d: int(c) for d, c in rows}


def per_series(conn: Connection, table: str, where: str, columns: str, order: str) -> str:
    """A query of ``columns`` of ``table`` (as ``r``) where ``where``, series by series through
    its primary key (series, ``order``), in key order: a range per series, never a scan of
    the table (planners otherwise scan it, not knowing the few series cover it all)."""
    if conn.dialect.name == "sqlite":  # CROSS JOIN: SQLite keeps the series as the outer loop
        return (
            f"SELECT {columns} FROM reading_series s CROSS JOIN {table} r "
            f"WHERE r.series = s.id AND {where} ORDER BY s.id, {order}"
        )
    return (  # LATERAL with OFFSET 0: PostgreSQL does not flatten it into a hash join
        f"SELECT {columns} FROM reading_series s CROSS JOIN LATERAL (SELECT * FROM {table} r "
        f"WHERE r.series = s.id AND {where} OFFSET 0) r ORDER BY s.id, {order}"
    )


def day_rows(conn: Connection, day: date) -> Iterator[dict[str, Any]]:
    """The raw readings (``r``) and rollups (``u``) of ``day``, as rows of
    :mod:`twin.eventlog.measurements.dump`, in key order."""
    times = Times(conn.dialect.name)
    start, end = day_start_us(day), day_start_us(day) + DAY_US
    bounds = (times.to_db(start), times.to_db(end))
    streaming = conn.execution_options(stream_results=True, yield_per=5000)
    if times.sqlite:  # by the clustered key, series by series
        raw = per_series(
            conn, "readings", "r.at >= ? AND r.at < ?", "r.series, r.at, r.value", "r.at"
        )
    else:  # the day's partition
        raw = "SELECT series, at, value FROM readings WHERE at >= %s AND at < %s ORDER BY 1, 2"
    for series, at, value in streaming.exec_driver_sql(raw, bounds):
        yield {"r": [series, times.from_db(at), value]}
    mark = "?" if times.sqlite else "%s"
    rollups = per_series(
        conn,
        "reading_rollups",
        f"r.width_s IN (60, 3600, 86400) AND r.bucket >= {mark} AND r.bucket < {mark}",
        "r.series, r.width_s, r.bucket, r.n, r.total, r.low, r.high",
        "r.width_s, r.bucket",
    )
    for row in streaming.exec_driver_sql(rollups, bounds):
        values = list(row)
        values[2] = times.from_db(values[2])
        yield {"u": values}


def key_rows(conn: Connection, days: set[date]) -> Iterator[tuple[date, dict[str, Any]]]:
    """The idempotency keys of readings on ``days``, each with its day (one pass over the keys)."""
    if not days:
        return
    times = Times(conn.dialect.name)
    streaming = conn.execution_options(stream_results=True, yield_per=5000)
    query = "SELECT key, series, at, recorded_at FROM reading_keys ORDER BY key"
    for key, series, at, recorded_at in streaming.exec_driver_sql(query):
        at_us = times.from_db(at)
        day = day_of(at_us)
        if day in days:
            yield day, {"k": [key, series, at_us, times.from_db(recorded_at)]}


def series_rows(conn: Connection) -> list[dict[str, Any]]:
    """The dictionary of series (small: one row a facility metric), each with whether it holds
    simulated readings."""
    rows = conn.exec_driver_sql(
        "SELECT id, facility, metric, unit, simulated FROM reading_series ORDER BY id"
    )
    return [{"series": [*row[:4], bool(row[4])]} for row in rows]
