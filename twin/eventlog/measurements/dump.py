"""The rows of the measurements store in a backup: one JSON object a row, times as µs since
the epoch, and their loader. Format 3 backups write them by UTC day
(:mod:`twin.eventlog.measurements.days`); format 2 files hold them after the events.

``{"series": [id, facility, metric, unit, simulated]}`` (backups made before migration 0005
have no ``simulated``: measured), ``{"r": [series, at, value]}`` (raw readings),
``{"u": [series, width_s, bucket, n, sum, min, max]}`` (rollups, kept beyond raw retention),
``{"k": [key, series, at, recorded_at]}`` (recent idempotency keys), ``{"h": raw_from}``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from twin.eventlog.measurements import partitions
from twin.eventlog.measurements.models import Times

KINDS = ("series", "r", "u", "k", "h")
_CHUNK = 5000
_TIME_COLUMNS: dict[str, tuple[int, ...]] = {"series": (), "r": (1,), "u": (2,), "k": (2, 3)}
"""Which values of a row of each kind are times."""
_INSERTS = {
    "series": "INSERT INTO reading_series (id, facility, metric, unit, simulated) VALUES ({})",
    "r": "INSERT INTO readings (series, at, value) VALUES ({})",
    "u": "INSERT INTO reading_rollups (series, width_s, bucket, n, total, low, high) VALUES ({})",
    "k": "INSERT INTO reading_keys (key, series, at, recorded_at) VALUES ({})",
}


def is_row(record: dict[str, Any]) -> bool:
    """Whether a backup line is a row of the store."""
    return len(record) == 1 and next(iter(record)) in KINDS


def is_empty(conn: Connection) -> bool:
    """Whether the store holds no series (a restore's precondition)."""
    return conn.exec_driver_sql("SELECT count(*) FROM reading_series").scalar_one() == 0


class Loader:
    """Inserts backup rows into an empty store, a chunk at a time, in the caller's
    transaction (rollups are restored as they were, not recomputed)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._times = Times(conn.dialect.name)
        self._rows: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in _INSERTS}
        self.count = 0

    def add(self, record: dict[str, Any]) -> None:
        """Queue one row (a dict of :func:`is_row`)."""
        ((kind, values),) = record.items()
        self.count += 1
        if kind == "h":
            mark = "?" if self._times.sqlite else "%s"
            self._conn.exec_driver_sql(
                f"INSERT INTO readings_horizon (id, raw_from) VALUES (1, {mark}) "
                "ON CONFLICT (id) DO UPDATE SET raw_from = excluded.raw_from",
                (self._times.to_db(int(values)),),
            )
            return
        if not isinstance(values, list):
            raise TypeError(f"a {kind!r} row is not a list")
        row = list(values)
        for i in _TIME_COLUMNS[kind]:
            row[i] = self._times.to_db(int(row[i]))
        if kind == "series":  # readings refer to their series: flush what came before
            row[4:] = [bool(row[4]) if len(row) > 4 else False]  # SQLite's 0/1, older backups
            self.flush()
        self._rows[kind].append(tuple(row))
        if len(self._rows[kind]) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        """Insert what is queued."""
        mark = "?" if self._times.sqlite else "%s"
        for kind, rows in self._rows.items():
            if not rows:
                continue
            if kind == "r" and not self._times.sqlite:
                partitions.ensure(self._conn, {row[1].date() for row in rows})
            marks = ", ".join([mark] * len(rows[0]))
            self._conn.exec_driver_sql(_INSERTS[kind].format(marks), rows)
            rows.clear()

    def finish(self) -> None:
        """Insert what is queued and move PostgreSQL's series id sequence past the ids."""
        self.flush()
        if not self._times.sqlite:
            self._conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('reading_series', 'id'), "
                "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM reading_series"
            )
