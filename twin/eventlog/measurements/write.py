"""Recording readings: values, their keys and the rollups, in the caller's transaction.

The caller holds the log's write lock. A reading is skipped as a duplicate when its key is
in ``reading_keys`` or when its series already has a value at that instant (one value per
facility, metric and instant: this also catches a retry after its key was pruned). Only the
readings actually inserted (``INSERT ... ON CONFLICT DO NOTHING RETURNING``) are added to
the 1-minute, 1-hour and 1-day rollups, whatever order they come in.
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
    Times,
    bucket_us,
    from_us,
    to_us,
)

ROWS_PER_INSERT = 500
"""Readings per multi-row ``INSERT`` (3 parameters each)."""
IN_CLAUSE = 500


def _marks(dialect: str, columns: int, rows: int) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    one = "(" + ", ".join([mark] * columns) + ")"
    return ", ".join([one] * rows)


def _arrays(conn: Connection, sql: str, arrays: Sequence[list[Any]]) -> list[tuple[Any, ...]]:
    """Run ``sql`` with whole columns as PostgreSQL arrays, sent in binary (one statement
    whatever the batch size); returns its rows (empty without ``RETURNING``)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor(binary=True) as cursor:
        cursor.execute(sql, tuple(arrays))
        return list(cursor.fetchall()) if cursor.description else []


def known_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The ``keys`` that ``reading_keys`` holds."""
    if conn.dialect.name == "postgresql":
        rows = _arrays(
            conn, "SELECT key FROM reading_keys WHERE key = ANY(%s::text[])", [list(keys)]
        )
        return {row[0] for row in rows}
    found: set[str] = set()
    for start in range(0, len(keys), IN_CLAUSE):
        part = keys[start : start + IN_CLAUSE]
        marks = ", ".join(["?"] * len(part))
        result = conn.exec_driver_sql(
            f"SELECT key FROM reading_keys WHERE key IN ({marks})", tuple(part)
        )
        found.update(result.scalars())
    return found


def series_ids(conn: Connection, units: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """The ids of the (facility, metric) series in ``units``, made for new ones (one query
    for those that exist: the dictionary is small, one row a facility metric)."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    rows = conn.exec_driver_sql("SELECT facility, metric, id FROM reading_series")
    known = {(f, m): int(i) for f, m, i in rows}
    out: dict[tuple[str, str], int] = {}
    for (facility, metric), unit in units.items():
        found = known.get((facility, metric))
        if found is None:
            found = conn.exec_driver_sql(
                f"INSERT INTO reading_series (facility, metric, unit) VALUES ({mark}, {mark}, "
                f"{mark}) RETURNING id",
                (facility, metric, unit),
            ).scalar_one()
        out[facility, metric] = int(found)
    return out


def record(conn: Connection, measurements: Sequence[Measurement]) -> set[str]:
    """Insert the new readings among ``measurements``; returns the keys of those skipped."""
    if not measurements:
        return set()
    known = known_keys(conn, sorted({m.key for m in measurements}))
    ids = series_ids(conn, {(m.facility, m.metric): m.unit for m in measurements})
    times = Times(conn.dialect.name)
    wanted: dict[tuple[int, int], Measurement] = {}
    for m in measurements:
        spot = (ids[m.facility, m.metric], to_us(m.observed_at))
        if m.key in known or spot in wanted:
            known.add(m.key)
        else:
            wanted[spot] = m
    if not wanted:
        return known
    if not times.sqlite:
        partitions.ensure(conn, {from_us(at).date() for _, at in wanted})
    inserted = insert_readings(conn, [(s, at, m.value) for (s, at), m in wanted.items()])
    known.update(m.key for spot, m in wanted.items() if spot not in inserted)
    now = to_us(datetime.now(UTC))
    keys = [
        (m.key, s, times.to_db(at), times.to_db(now))
        for (s, at), m in wanted.items()
        if (s, at) in inserted
    ]
    if not keys:
        return known
    if times.sqlite:
        conn.exec_driver_sql(
            "INSERT INTO reading_keys (key, series, at, recorded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            keys,
        )
    else:  # one statement of arrays: no round trip per row
        _arrays(
            conn,
            "INSERT INTO reading_keys (key, series, at, recorded_at) SELECT * FROM "
            "unnest(%s::text[], %s::integer[], %s::timestamptz[], %s::timestamptz[]) "
            "ON CONFLICT DO NOTHING",
            [list(column) for column in zip(*keys, strict=True)],
        )
    add_to_rollups(conn, ((s, at, value) for (s, at), value in inserted.items()))
    return known


def insert_readings(
    conn: Connection, rows: Sequence[tuple[int, int, float]]
) -> dict[tuple[int, int], float]:
    """Insert (series, µs, value) rows, skipping taken instants; returns those inserted."""
    times = Times(conn.dialect.name)
    inserted: dict[tuple[int, int], float] = {}
    if not times.sqlite:  # one statement of arrays
        returned = _arrays(
            conn,
            "INSERT INTO readings (series, at, value) SELECT * FROM "
            "unnest(%s::integer[], %s::timestamptz[], %s::double precision[]) "
            "ON CONFLICT DO NOTHING RETURNING series, at, value",
            [[r[0] for r in rows], [from_us(r[1]) for r in rows], [r[2] for r in rows]],
        )
        return {(s, to_us(at)): v for s, at, v in returned}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        part = rows[start : start + ROWS_PER_INSERT]
        values = _marks(conn.dialect.name, 3, len(part))
        flat = tuple(v for s, at, value in part for v in (s, times.to_db(at), value))
        result = conn.exec_driver_sql(
            f"INSERT INTO readings (series, at, value) VALUES {values} "
            "ON CONFLICT DO NOTHING RETURNING series, at, value",
            flat,
        )
        inserted.update({(s, times.from_db(at)): v for s, at, v in result})
    return inserted


def add_to_rollups(conn: Connection, rows: Iterable[tuple[int, int, float]]) -> None:
    """Fold (series, µs, value) readings into the rollups of every width."""
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
    times = Times(conn.dialect.name)
    buckets = [
        (s, w, times.to_db(b), int(acc[0]), acc[1], acc[2], acc[3])
        for (s, w, b), acc in sums.items()
    ]
    update = (
        " ON CONFLICT (series, width_s, bucket) DO UPDATE SET "
        "n = reading_rollups.n + excluded.n, total = reading_rollups.total + excluded.total, "
        "low = {0}(reading_rollups.low, excluded.low), "
        "high = {1}(reading_rollups.high, excluded.high)"
    )
    columns = "INSERT INTO reading_rollups (series, width_s, bucket, n, total, low, high) "
    if times.sqlite:
        conn.exec_driver_sql(
            columns + "VALUES (?, ?, ?, ?, ?, ?, ?)" + update.format("min", "max"), buckets
        )
        return
    _arrays(  # one statement of arrays (each bucket once: no row updated twice)
        conn,
        columns + "SELECT * FROM unnest(%s::integer[], %s::integer[], %s::timestamptz[], "
        "%s::integer[], %s::double precision[], %s::double precision[], "
        "%s::double precision[])" + update.format("LEAST", "GREATEST"),
        [list(column) for column in zip(*buckets, strict=True)],
    )
