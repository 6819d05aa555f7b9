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
