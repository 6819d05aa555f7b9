"""The measurements store: facility metric readings kept apart from the event log.

A reading is a value of one metric of one facility at an instant. Readings are not events:
they are many (tens a second for years), nobody decides on them, and each is small. They are
kept in ``readings`` (a series id, the time, the value), with ``reading_series`` naming each
series (facility, metric, unit), rollups per series at 1 minute, 1 hour and 1 day in
``reading_rollups`` (count, sum, min, max, kept as readings arrive, in the same transaction),
and the idempotency keys of recent readings in ``reading_keys`` (pruned with retention).

On PostgreSQL ``readings`` is partitioned by day of observation (declarative partitioning;
partitions are made ahead and on demand, and dropped whole by retention), with a BRIN index
on time and its primary key, a B-tree on (series, time). On SQLite it is a ``WITHOUT ROWID``
table clustered on (series, time).

Only :mod:`twin.eventlog` knows these tables: writes go through
:meth:`twin.eventlog.EventStore.record_readings`, reads through :class:`Readings`
(``EventStore.readings``).
"""

from twin.eventlog.measurements.models import (
    Measurement,
    RecordedReading,
    Retention,
    Skipped,
    Summary,
)
from twin.eventlog.measurements.queries import Readings

__all__ = ["Measurement", "Readings", "RecordedReading", "Retention", "Skipped", "Summary"]
