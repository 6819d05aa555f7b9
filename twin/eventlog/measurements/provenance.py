"""Which series hold simulated readings (``reading_series.simulated``, migration 0005).

A series is measured or simulated for good: ingestion refuses a reading of the other kind
(:mod:`twin.facilities.ingest`). New series are made measured by
:mod:`twin.eventlog.measurements.write`; :func:`mark_simulated` marks those a simulated batch
made, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

IN_CLAUSE = 500


def simulated_series(conn: Connection) -> set[tuple[str, str]]:
    """(facility, metric) of every series marked simulated."""
    rows = conn.exec_driver_sql("SELECT facility, metric FROM reading_series WHERE simulated")
    return {(f, m) for f, m in rows}


def series_kinds(conn: Connection) -> dict[tuple[str, str], bool]:
    """Every series, (facility, metric) -> whether it is simulated."""
    rows = conn.exec_driver_sql("SELECT facility, metric, simulated FROM reading_series")
    return {(f, m): bool(s) for f, m, s in rows}


def mark_simulated(conn: Connection, series: Iterable[tuple[str, str]]) -> None:
    """Mark ``series`` (facility, metric) simulated."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    rows = sorted(set(series))
    if rows:
        conn.exec_driver_sql(
            "UPDATE reading_series SET simulated = true "
            f"WHERE facility = {mark} AND metric = {mark} AND NOT simulated",
            rows,
        )
