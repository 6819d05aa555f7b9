"""A view of the log limited to the low-volume facility events (statuses, plans, alerts),
and the prefix of readings' idempotency keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assets.facilities.alerts import CLEARED, RAISED
from assets.facilities.reducers import STATUS_REPORTED
from twin.eventlog import EventStore, NewEvent, RecordedEvent

STATUS_TYPES = ("FacilityStatusChanged", STATUS_REPORTED)
FACILITY_TYPES = (*STATUS_TYPES, "FacilityPlanned", RAISED, CLEARED)
"""Event types the facility state folds (metric values are indexed apart, see series)."""
KEY_PREFIX = "reading:"
"""Readings' idempotency keys in the log, so they never collide with commands' keys."""


class FacilityLog:
    """The log as the facility state sees it: reads return only ``types``; appends go to the
    store. Duck-types the :class:`EventStore` methods a projection and
    :func:`~twin.commands.run_command` use."""

    def __init__(self, store: EventStore, types: Sequence[str] = FACILITY_TYPES):
        self.store, self.types = store, tuple(types)

    def read(self, since_seq: int = 0, limit: int | None = 1000, **_: Any) -> list[RecordedEvent]:
        return self.store.read(since_seq=since_seq, limit=limit, types=self.types)

    def append_streams(
        self, batches: Sequence[tuple[str, int, Sequence[NewEvent]]]
    ) -> list[RecordedEvent]:
        return self.store.append_streams(batches)

    def recorded_under(self, key: str) -> list[RecordedEvent]:
        return self.store.recorded_under(key)
