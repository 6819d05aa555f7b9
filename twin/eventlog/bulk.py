"""Bulk appends: many batches in one transaction, checked per chunk, inserted by the driver."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from twin.eventlog.errors import IdempotencyConflict, VersionConflict
from twin.eventlog.idempotency import recorded_keys
from twin.eventlog.models import NewEvent
from twin.eventlog.rows import COLUMNS, insert_many, stream_versions, time_value

_KEY = COLUMNS.index("idempotency_key") - 1  # position in rows without seq


class BulkWriter:
    """Collects batches for one write transaction and inserts them ``chunk_size`` at a time.

    The caller holds the log's write lock on ``conn``. Versions are checked against the
    database once per stream (at its first batch) and then continued in memory.
    """

    def __init__(
        self, conn: Connection, chunk_size: int = 10_000, *, keys_checked: bool = False
    ) -> None:
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
        self._keys_checked = keys_checked  # the caller looked the keys up (a replay check)

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
        if not self._keys_checked:
            self._check_keys()
        insert_many(self._conn, self._rows)
        self._written += len(self._rows)
        self._rows = []

    def _check_versions(self) -> None:
        found = stream_versions(self._conn, list(self._unchecked))
        for stream, expected in self._unchecked.items():
            if found[stream] != expected:
                raise VersionConflict(stream, expected, found[stream])
        self._unchecked.clear()

    def _check_keys(self) -> None:
        keys = [row[_KEY] for row in self._rows if row[_KEY] is not None]
        repeated = [key for key, n in Counter(keys).items() if n > 1]
        if repeated:
            raise IdempotencyConflict(repeated[0], "it appears twice in the bulk append")
        recorded = recorded_keys(self._conn, keys)
        if recorded:
            raise IdempotencyConflict(min(recorded), "bulk appends do not replay recorded keys")
