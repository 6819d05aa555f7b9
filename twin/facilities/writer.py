"""Recording admitted readings in the log: one event per reading, in one bulk insert.

Statuses go to ``facility:<id>`` as ``FacilityStatusReported``, values to
``metric:<id>:<metric>`` as ``FacilityMetricObserved``; every event is effective at its
observation time (so a late reading takes its place in history) and carries the reading's
idempotency key (so a reading sent twice is recorded once).

Readings are observations, not decisions: they need no expected version, so they are
written by :meth:`~twin.eventlog.EventStore.append_observations` (inside the log's write
lock, at whatever version each stream is, skipping keys already recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assets.facilities.readings import Reading
from assets.facilities.reducers import METRIC_OBSERVED, STATUS_REPORTED
from twin.eventlog import EventStore, Observation
from twin.facilities.log import KEY_PREFIX


def event_data(reading: Reading) -> dict[str, Any]:
    """The ``data`` of a reading's event."""
    if reading.metric is None:
        data: dict[str, Any] = {"status": reading.status}
        if reading.note:
            data["note"] = reading.note
        return data
    return {"value": reading.value, "unit": reading.unit}


def observation(reading: Reading) -> Observation:
    """The reading as an observation for the log."""
    kind = STATUS_REPORTED if reading.metric is None else METRIC_OBSERVED
    return Observation(
        reading.stream, kind, reading.observed_at, event_data(reading), KEY_PREFIX + reading.key
    )


def write_readings(
    store: EventStore, readings: Sequence[Reading], actor: str
) -> tuple[list[Reading], list[Reading]]:
    """Record ``readings`` (keys unique among them); returns (written, already recorded)."""
    if not readings:
        return [], []
    known = store.append_observations([observation(r) for r in readings], actor)
    fresh = [r for r in readings if KEY_PREFIX + r.key not in known]
    duplicates = [r for r in readings if KEY_PREFIX + r.key in known]
    return fresh, duplicates
