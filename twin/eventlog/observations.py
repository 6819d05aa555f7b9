"""Observations: events that record what was seen, not what was decided (facility readings).

They need no expected version: a batch is appended to each stream at whatever version it is,
inside the log's write lock, where the keys already recorded are skipped and the streams'
versions read, and the rows inserted by the driver in one transaction. Concurrent writers
queue on the lock instead of conflicting; ``UNIQUE(stream, version)`` and
``UNIQUE(idempotency_key)`` still hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection

from twin.eventlog.idempotency import recorded_keys
from twin.eventlog.rows import insert_many, stream_versions, time_value

CHUNK = 10_000
"""Rows per driver insert."""


class Observation(NamedTuple):
    """One observation to record (a light tuple: readings come by the thousand).

    Parameters
    ----------
    stream : str
        The stream observed, e.g. ``"metric:chiller-1:supply_temp"``.
    type : str
        Event type.
    observed_at : datetime
        When it was observed (aware): the event's ``effective_at``.
    data : dict
        JSON-serialisable payload.
    key : str
        Idempotency key: an observation whose key is recorded is skipped.
    """

    stream: str
    type: str
    observed_at: datetime
    data: dict[str, Any]
    key: str


def append_observations(
    conn: Connection, observations: Sequence[Observation], actor: str
) -> set[str]:
    """Insert the observations whose keys are new; returns the keys already recorded.

    The caller holds the log's write lock on ``conn``. Each stream's observations are
    numbered in ``observed_at`` order after its current version. Text is checked by
    :func:`~twin.eventlog.rows.insert_many` (:class:`UnstorableText`: nothing is written).
    """
    known = recorded_keys(conn, [o.key for o in observations])
    by_stream: dict[str, list[Observation]] = {}
    for o in sorted(observations, key=lambda o: o.observed_at):
        if o.key not in known:
            by_stream.setdefault(o.stream, []).append(o)
    versions = stream_versions(conn, list(by_stream))
    time = time_value(conn.dialect.name)
    recorded_at = time(datetime.now(UTC))
    rows = [
        (
            stream,
            version,
            o.type,
            time(o.observed_at),
            recorded_at,
            actor,
            json.dumps(o.data),
            o.key,
        )
        for stream, found in by_stream.items()
        for version, o in enumerate(found, start=versions[stream] + 1)
    ]
    for start in range(0, len(rows), CHUNK):
        insert_many(conn, rows[start : start + CHUNK])
    return known
