"""Recording admitted readings in the log: one event per reading, in one bulk insert.

Statuses go to ``facility:<id>`` as ``FacilityStatusReported``, values to
``metric:<id>:<metric>`` as ``FacilityMetricObserved``; every event is effective at its
observation time (so a late reading takes its place in history) and carries the reading's
idempotency key (so a reading sent twice is recorded once).

Readings are observations, not decisions: they need no expected version. So the batch is
written inside the log's write lock (as ``EventStore.append_many`` does), where the keys
already recorded and the streams' versions are read and the rows inserted by the driver in
one transaction: concurrent writers queue on the lock instead of conflicting, and the
``UNIQUE(stream, version)`` and ``UNIQUE(idempotency_key)`` constraints still hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from assets.facilities.readings import Reading
from assets.facilities.reducers import METRIC_OBSERVED, STATUS_REPORTED
from twin.eventlog import EventStore
from twin.eventlog.engine import lock_log, writer
from twin.eventlog.rows import insert_many, time_value
from twin.facilities.log import KEY_PREFIX, recorded_keys, stream_versions

CHUNK = 10_000


def event_data(reading: Reading) -> dict[str, Any]:
    """The ``data`` of a reading's event."""
    if reading.metric is None:
        data: dict[str, Any] = {"status": reading.status}
        if reading.note:
            data["note"] = reading.note
        return data
    return {"value": reading.value, "unit": reading.unit}


def _rows(conn: Connection, readings: Sequence[Reading], actor: str) -> list[tuple[Any, ...]]:
    by_stream: dict[str, list[Reading]] = {}
    for r in sorted(readings, key=lambda r: r.observed_at):
        by_stream.setdefault(r.stream, []).append(r)
    versions = stream_versions(conn, list(by_stream))
    time = time_value(conn.dialect.name)
    recorded_at = time(datetime.now(UTC))
    rows = []
    for stream, found in by_stream.items():
        for version, r in enumerate(found, start=versions[stream] + 1):
            kind = STATUS_REPORTED if r.metric is None else METRIC_OBSERVED
            data = json.dumps(event_data(r))
            rows.append(
                (
                    stream,
                    version,
                    kind,
                    time(r.observed_at),
                    recorded_at,
                    actor,
                    data,
                    KEY_PREFIX + r.key,
                )
            )
    return rows


def write_readings(
    store: EventStore, readings: Sequence[Reading], actor: str
) -> tuple[list[Reading], list[Reading]]:
    """Record ``readings`` (keys unique among them); returns (written, already recorded)."""
    if not readings:
        return [], []
    with writer(store.engine).begin() as conn:
        lock_log(conn)
        known = recorded_keys(conn, [KEY_PREFIX + r.key for r in readings])
        fresh = [r for r in readings if KEY_PREFIX + r.key not in known]
        duplicates = [r for r in readings if KEY_PREFIX + r.key in known]
        rows = _rows(conn, fresh, actor)
        for start in range(0, len(rows), CHUNK):
            insert_many(conn, rows[start : start + CHUNK])
    return fresh, duplicates
