"""Recording readings: values, their keys and the rollups, in the caller's transaction.

The caller holds the log's write lock. A reading is skipped as a duplicate when its key is
in ``reading_keys`` or when its series already has a value at that instant (one value per
facility, metric and instant: this also catches a retry after its key was pruned). Only the
readings actually inserted (``INSERT ... ON CONFLICT DO NOTHING RETURNING``) are added to
the 1-minute, 1-hour and 1-day rollups, whatever order they come in. On PostgreSQL all of
this is one statement (:data:`RECORD_POSTGRESQL`); SQLite, in process, runs a few.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from twin.eventlog.measurements import partitions
from twin.eventlog.measurements.models import (
    WIDTHS_S,
    Measurement,
    Skipped,
    bucket_us,
    from_us,
    to_us,
)
from twin.eventlog.measurements.retention import raw_from_us
from twin.eventlog.measurements.series import SeriesCatalogue

ROWS_PER_INSERT = 500
"""Readings per multi-row ``INSERT`` on SQLite (3 parameters each)."""
IN_CLAUSE = 500


def _arrays(conn: Connection, sql: str, arrays: Sequence[list[Any]]) -> list[tuple[Any, ...]]:
    """Run ``sql`` with whole columns as PostgreSQL arrays, sent in binary (one statement
    whatever the batch size); returns its rows (empty without ``RETURNING``)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor(binary=True) as cursor:
        cursor.execute(sql, tuple(arrays))
        return list(cursor.fetchall()) if cursor.description else []


def known_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The ``keys`` that ``reading_keys`` holds (SQLite)."""
    found: set[str] = set()
    for start in range(0, len(keys), IN_CLAUSE):
        part = keys[start : start + IN_CLAUSE]
        marks = ", ".join(["?"] * len(part))
        result = conn.exec_driver_sql(
            f"SELECT key FROM reading_keys WHERE key IN ({marks})", tuple(part)
        )
        found.update(result.scalars())
    return found


def record(
    conn: Connection, measurements: Sequence[Measurement], series: SeriesCatalogue
) -> Skipped:
    """Insert the new readings among ``measurements`` (their series looked up, or made, in
    ``series``); returns the keys of those skipped."""
    horizon = raw_from_us(conn) if measurements else 0
    expired = {m.key for m in measurements if to_us(m.observed_at) < horizon}
    kept = [m for m in measurements if m.key not in expired] if expired else measurements
    return Skipped(_record_kept(conn, kept, series), expired)


def _record_kept(
    conn: Connection, measurements: Sequence[Measurement], series: SeriesCatalogue
) -> set[str]:
    """Insert the new readings among ``measurements`` (none before the horizon); returns the
    keys of the duplicates."""
    if not measurements:
        return set()
    ids = series.ids_for_writing(conn, {(m.facility, m.metric): m.unit for m in measurements})
    if conn.dialect.name == "postgresql":
        return _record_postgresql(conn, measurements, ids)
    known = known_keys(conn, sorted({m.key for m in measurements}))
    wanted: dict[tuple[int, int], Measurement] = {}
    for m in measurements:
        spot = (ids[m.facility, m.metric], to_us(m.observed_at))
        if m.key in known or spot in wanted:
            known.add(m.key)
        else:
            wanted[spot] = m
    if not wanted:
        return known
    inserted = insert_readings(conn, [(s, at, m.value) for (s, at), m in wanted.items()])
    known.update(m.key for spot, m in wanted.items() if spot not in inserted)
    now = to_us(datetime.now(UTC))
    keys = [(m.key, s, at, now) for (s, at), m in wanted.items() if (s, at) in inserted]
    if keys:
        conn.exec_driver_sql(
            "INSERT INTO reading_keys (key, series, at, recorded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            keys,
        )
        add_to_rollups(conn, ((s, at, value) for (s, at), value in inserted.items()))
    return known


_US_SQL = "(timestamptz 'epoch' + {0} * interval '1 microsecond')"
RECORD_POSTGRESQL = f"""
WITH batch AS (
    SELECT * FROM unnest(%s::text[], %s::integer[], %s::bigint[], %s::double precision[])
        WITH ORDINALITY AS b(key, series, us, value, ord)
), fresh AS (  -- the first reading of each instant whose key is not recorded yet
    SELECT DISTINCT ON (series, us) key, series, us, value, {_US_SQL.format("us")} AS at
    FROM batch
    WHERE NOT EXISTS (SELECT 1 FROM reading_keys k WHERE k.key = batch.key)
    ORDER BY series, us, ord
), inserted AS (
    INSERT INTO readings (series, at, value) SELECT series, at, value FROM fresh
    ON CONFLICT DO NOTHING RETURNING series, at
), new AS (
    SELECT fresh.* FROM fresh JOIN inserted USING (series, at)
), keys AS (
    INSERT INTO reading_keys (key, series, at, recorded_at)
    SELECT key, series, at, now() FROM new ON CONFLICT DO NOTHING
), rollups AS (
    INSERT INTO reading_rollups (series, width_s, bucket, n, total, low, high)
    SELECT series, width_s, {_US_SQL.format("(us - us %% (width_s * 1000000::bigint))")},
        count(*), sum(value), min(value), max(value)
    FROM new CROSS JOIN unnest(%s::integer[]) AS w(width_s)
    GROUP BY series, width_s, us - us %% (width_s * 1000000::bigint)
    ON CONFLICT (series, width_s, bucket) DO UPDATE SET
        n = reading_rollups.n + excluded.n, total = reading_rollups.total + excluded.total,
        low = LEAST(reading_rollups.low, excluded.low),
        high = GREATEST(reading_rollups.high, excluded.high)
)
SELECT key FROM new
"""
"""One statement records a batch on PostgreSQL: duplicate keys and instants skipped, values,
keys and the rollups of every width written (times travel as µs integers: cheap to send)."""


def _record_postgresql(
    conn: Connection, measurements: Sequence[Measurement], ids: dict[tuple[str, str], int]
) -> set[str]:
    """:func:`record` on PostgreSQL, in one round trip once the days' partitions exist."""
    micros = [to_us(m.observed_at) for m in measurements]
    partitions.ensure(conn, {from_us(at).date() for at in set(micros)})
    columns: list[list[Any]] = [
        [m.key for m in measurements],
        [ids[m.facility, m.metric] for m in measurements],
        micros,
        [m.value for m in measurements],
        list(WIDTHS_S),
    ]
    recorded = {row[0] for row in _arrays(conn, RECORD_POSTGRESQL, columns)}
    return {m.key for m in measurements} - recorded


def insert_readings(
    conn: Connection, rows: Sequence[tuple[int, int, float]]
) -> dict[tuple[int, int], float]:
    """Insert (series, µs, value) rows, skipping taken instants; returns those inserted
    (SQLite: integer µs times)."""
    inserted: dict[tuple[int, int], float] = {}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        part = rows[start : start + ROWS_PER_INSERT]
        values = ", ".join(["(?, ?, ?)"] * len(part))
        flat = tuple(v for row in part for v in row)
        result = conn.exec_driver_sql(
            f"INSERT INTO readings (series, at, value) VALUES {values} "
            "ON CONFLICT DO NOTHING RETURNING series, at, value",
            flat,
        )
        inserted.update({(s, int(at)): v for s, at, v in result})
    return inserted


def add_to_rollups(conn: Connection, rows: Iterable[tuple[int, int, float]]) -> None:
    """Fold (series, µs, value) readings into the rollups of every width (SQLite)."""
    sums: dict[tuple[int, int, int], list[float]] = {}
    for series, at, value in rows:
        for width in WIDTHS_S:
            key = (series, width, bucket_us(at, width))
            acc = sums.get(key)
            if acc is None:
                sums[key] = [1, value, value, value]
            else:
                acc[0] += 1
                acc[1] += value
                acc[2] = min(acc[2], value)
                acc[3] = max(acc[3], value)
    if not sums:
        return
    buckets = [(s, w, b, int(acc[0]), acc[1], acc[2], acc[3]) for (s, w, b), acc in sums.items()]
    conn.exec_driver_sql(
        "INSERT INTO reading_rollups (series, width_s, bucket, n, total, low, high) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series, width_s, bucket) DO UPDATE SET "
        "n = reading_rollups.n + excluded.n, total = reading_rollups.total + excluded.total, "
        "low = min(reading_rollups.low, excluded.low), "
        "high = max(reading_rollups.high, excluded.high)",
        buckets,
    )
