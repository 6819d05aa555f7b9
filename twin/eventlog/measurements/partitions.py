"""PostgreSQL's partitions of ``readings``: one per UTC day of observation.

Partitions are made ahead (today and the next :data:`AHEAD_DAYS` days, at migration and at
every retention pass) and on demand for a day a batch needs (a late or back-filled reading),
inside the log's write lock. Retention drops whole days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

AHEAD_DAYS = 7
"""Days of partitions made ahead of today."""
PREFIX = "readings_p"


def name_of(day: date) -> str:
    """The partition of ``day``: ``readings_pYYYYMMDD``."""
    return f"{PREFIX}{day:%Y%m%d}"


def ensure(conn: Connection, days: Iterable[date]) -> int:
    """Create the partitions of ``days`` that do not exist yet; returns how many were made."""
    wanted = {name_of(day): day for day in days}
    if not wanted:
        return 0
    found = conn.exec_driver_sql(
        "SELECT relname FROM pg_class WHERE relname = ANY(%s)", (list(wanted),)
    ).scalars()
    missing = set(wanted) - set(found)
    for name in sorted(missing):
        day = wanted[name]
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings FOR VALUES "
            f"FROM ('{day.isoformat()} 00:00:00+00') TO ('{(day + timedelta(1)).isoformat()} "
            "00:00:00+00')"
        )
    return len(missing)


def ahead(conn: Connection, today: date) -> int:
    """Make the partitions of today and the next :data:`AHEAD_DAYS` days."""
    return ensure(conn, (today + timedelta(n) for n in range(AHEAD_DAYS + 1)))


def existing(conn: Connection) -> dict[str, date]:
    """Every partition of ``readings`` -> its day."""
    names = conn.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'readings'"
    ).scalars()
    return {
        name: datetime.strptime(name.removeprefix(PREFIX), "%Y%m%d").date()
        for name in names
        if name.startswith(PREFIX)
    }


def drop_before(conn: Connection, day: date) -> int:
    """Drop the partitions of days before ``day``; returns the readings they held."""
    dropped = 0
    for name, start in sorted(existing(conn).items()):
        if start < day:
            dropped += int(conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one())
            conn.exec_driver_sql(f"DROP TABLE {name}")
    return dropped
