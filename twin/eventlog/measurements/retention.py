"""Retention: raw readings older than a number of days are dropped, rollups are kept.

On PostgreSQL whole daily partitions are dropped (a reading is kept at least ``raw_days``
days, at most one day more); on SQLite the old rows of each series are deleted (a range of
the clustered key per series). Idempotency keys are pruned after ``key_days`` days of being
recorded: a retry later than that is still caught while its reading is kept raw (one value
per facility, metric and instant). The start of what raw readings cover is recorded in
``readings_horizon``, so reads know when to answer from rollups.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from twin.eventlog.measurements import partitions
from twin.eventlog.measurements.models import Retention, Times, from_us, to_us

RAW_DAYS = 90
"""Default days raw readings are kept."""
KEY_DAYS = 7
"""Default days the idempotency key of a reading is kept after it was recorded."""


def raw_from_us(conn: Connection) -> int:
    """From when raw readings are complete, µs since the epoch (0: retention never ran)."""
    kept = conn.exec_driver_sql("SELECT raw_from FROM readings_horizon WHERE id = 1").scalar()
    return Times(conn.dialect.name).from_db(kept) if kept is not None else 0


def apply(conn: Connection, raw_days: int, key_days: int, now: datetime) -> Retention:
    """Drop raw readings older than ``raw_days`` and keys older than ``key_days`` before
    ``now``; make partitions ahead (PostgreSQL). The caller holds the log's write lock."""
    if raw_days < 1 or key_days < 1:
        raise ValueError(f"retention must be at least a day, not {raw_days} and {key_days}")
    times = Times(conn.dialect.name)
    cutoff = datetime.combine((now - timedelta(days=raw_days)).date(), datetime.min.time(), UTC)
    cutoff_us = to_us(cutoff)
    if times.sqlite:
        dropped = 0
        for (series,) in conn.exec_driver_sql("SELECT id FROM reading_series").all():
            done = conn.exec_driver_sql(
                "DELETE FROM readings WHERE series = ? AND at < ?", (series, cutoff_us)
            )
            dropped += done.rowcount
        mark = "?"
    else:
        dropped = partitions.drop_before(conn, cutoff.date())
        partitions.ahead(conn, now.astimezone(UTC).date())
        mark = "%s"
    keys = conn.exec_driver_sql(
        f"DELETE FROM reading_keys WHERE recorded_at < {mark}",
        (times.to_db(to_us(now - timedelta(days=key_days))),),
    ).rowcount
    raw_from = max(cutoff_us, raw_from_us(conn))
    conn.exec_driver_sql(
        f"INSERT INTO readings_horizon (id, raw_from) VALUES (1, {mark}) "
        "ON CONFLICT (id) DO UPDATE SET raw_from = excluded.raw_from",
        (times.to_db(raw_from),),
    )
    return Retention(dropped, keys, from_us(raw_from))
