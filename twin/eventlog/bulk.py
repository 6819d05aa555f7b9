"""Bulk appends: many batches in one transaction, checked per chunk, inserted by the driver."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from twin.eventlog.errors import IdempotencyConflict, VersionConflict
from twin.eventlog.models import NewEvent
from twin.eventlog.rows import COLUMNS, insert_many, time_value
from twin.eventlog.schema import events

_IN_CLAUSE = 500  # values per IN (...) lookup
_KEY = COLUMNS.index("idempotency_key") - 1  # position in rows without seq


class BulkWriter:
    """Collects batches for one write transaction and inserts them ``chunk_size`` at a time.

    The caller holds the log's write lock on ``conn``. Versions are checked against the
    database once per stream (at its first batch) and then continued in memory.
    """

    def __init__(self, conn: Connection, chunk_size: int = 10_000) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        self._conn = conn
        self._chunk_size = chunk_size
        self._time = time_value(conn.dialect.name)
        self._recorded_at = self._time(datetime.now(UTC))
        self._versions: dict[str, int] = {}  # stream -> version after the batches added so far
        self._unchecked: dict[str, int] = {}  # stream -> expected version, not yet checked
        self._rows: list[tuple[Any, ...]] = []
        self._written = 0

    def add(self, stream: str, expected_version: int, batch: list[NewEvent]) -> None:
        """Queue one batch; raise :class:`VersionConflict` if it does not follow on."""
        current = self._versions.get(stream)
        if current is None:
            self._unchecked[stream] = expected_version
        elif current != expected_version:
            raise VersionConflict(stream, expected_version, current)
        time, recorded_at = self._time, self._recorded_at
        self._rows.extend(
            (
                stream,
                expected_version + i,
                event.type,
                time(event.effective_at),
                recorded_at,
                event.actor,
                json.dumps(dict(event.data)),
                event.idempotency_key,
            )
            for i, event in enumerate(batch, start=1)
        )
        self._versions[stream] = expected_version + len(batch)
        if len(self._rows) >= self._chunk_size:
            self._flush()

    def finish(self) -> int:
        """Write what is queued and return the number of events written."""
        self._flush()
        return self._written

    def _flush(self) -> None:
        if not self._rows:
            return
        self._check_versions()
        self._check_keys()
        insert_many(self._conn, self._rows)
        self._written += len(self._rows)
        self._rows = []

    def _check_versions(self) -> None:
        streams = list(self._unchecked)
        for start in range(0, len(streams), _IN_CLAUSE):
            part = streams[start : start + _IN_CLAUSE]
            query = (
                select(events.c.stream, func.max(events.c.version))
                .where(events.c.stream.in_(part))
                .group_by(events.c.stream)
            )
            found = {stream: version for stream, version in self._conn.execute(query)}
            for stream in part:
                expected, actual = self._unchecked[stream], found.get(stream, 0)
                if actual != expected:
                    raise VersionConflict(stream, expected, actual)
        self._unchecked.clear()

    def _check_keys(self) -> None:
        keys = [row[_KEY] for row in self._rows if row[_KEY] is not None]
        repeated = [key for key, n in Counter(keys).items() if n > 1]
        if repeated:
            raise IdempotencyConflict(repeated[0], "it appears twice in the bulk append")
        for start in range(0, len(keys), _IN_CLAUSE):
            query = select(events.c.idempotency_key).where(
                events.c.idempotency_key.in_(keys[start : start + _IN_CLAUSE])
            )
            recorded = self._conn.execute(query).scalars().first()
            if recorded is not None:
                raise IdempotencyConflict(recorded, "bulk appends do not replay recorded keys")
