"""The facility readings' side of the event log: which keys and stream versions it holds,
and a view of the log limited to the low-volume facility events (statuses, plans, alerts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from assets.facilities.alerts import CLEARED, RAISED
from assets.facilities.reducers import STATUS_REPORTED
from twin.eventlog import EventStore, NewEvent, RecordedEvent
from twin.eventlog.schema import events

STATUS_TYPES = ("FacilityStatusChanged", STATUS_REPORTED)
FACILITY_TYPES = (*STATUS_TYPES, "FacilityPlanned", RAISED, CLEARED)
"""Event types the facility state folds (metric values are indexed apart, see series)."""
KEY_PREFIX = "reading:"
"""Readings' idempotency keys in the log, so they never collide with commands' keys."""
_IN = 500


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _IN):
        yield items[start : start + _IN]


def recorded_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The ``keys`` that the log already holds."""
    found: set[str] = set()
    for part in _chunks(keys):
        query = select(events.c.idempotency_key).where(events.c.idempotency_key.in_(part))
        found.update(conn.execute(query).scalars())
    return found


def stream_versions(conn: Connection, streams: Sequence[str]) -> dict[str, int]:
    """The current version of each stream (0 for a new one)."""
    found = dict.fromkeys(streams, 0)
    for part in _chunks(streams):
        query = (
            select(events.c.stream, func.max(events.c.version))
            .where(events.c.stream.in_(part))
            .group_by(events.c.stream)
        )
        found.update({stream: int(version) for stream, version in conn.execute(query)})
    return found


class FacilityLog:
    """The log as the facility state sees it: reads return only ``types``; appends go to the
    store. Duck-types the :class:`EventStore` methods a projection and ``execute`` use."""

    def __init__(self, store: EventStore, types: Sequence[str] = FACILITY_TYPES):
        self.store, self.types = store, tuple(types)

    def read(self, since_seq: int = 0, limit: int | None = 1000, **_: Any) -> list[RecordedEvent]:
        return self.store.read(since_seq=since_seq, limit=limit, types=self.types)

    def append(
        self, stream: str, expected_version: int, new: Sequence[NewEvent]
    ) -> list[RecordedEvent]:
        return self.store.append(stream, expected_version, new)
