"""Recording admitted readings: status reports as events in the log, metric values in the
measurements store, in one transaction.

Statuses go to ``facility:<id>`` as ``FacilityStatusReported`` events, effective at their
observation time (so a late report takes its place in history) and carrying the reading's
idempotency key. Metric values are not events: they go to the measurements store
(:mod:`twin.eventlog.measurements`) with their key, and update its rollups. A reading sent
twice is recorded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from assets.facilities.readings import Reading
from assets.facilities.reducers import STATUS_REPORTED
from twin.eventlog import EventStore, Measurement, Observation
from twin.facilities.log import KEY_PREFIX


def event_data(reading: Reading) -> dict[str, Any]:
    """The ``data`` of a status report's event."""
    data: dict[str, Any] = {"status": reading.status}
    if reading.note:
        data["note"] = reading.note
    if reading.simulated:
        data["provenance"] = "simulated"
    return data


class Written(NamedTuple):
    """What became of a batch: ``written``, ``duplicates`` (already recorded) and
    ``expired`` (metric values observed before the kept raw readings, refused)."""

    written: list[Reading]
    duplicates: list[Reading]
    expired: list[Reading]


def observation(reading: Reading) -> Observation:
    """A status report as an observation for the log."""
    return Observation(
        reading.stream,
        STATUS_REPORTED,
        reading.observed_at,
        event_data(reading),
        KEY_PREFIX + reading.key,
    )


def measurement(reading: Reading) -> Measurement:
    """A metric value for the measurements store."""
    assert reading.metric is not None and reading.value is not None
    return Measurement(
        reading.facility,
        reading.metric,
        reading.observed_at,
        float(reading.value),
        reading.unit or "",
        KEY_PREFIX + reading.key,
    )


def write_readings(
    store: EventStore, readings: Sequence[Reading], actor: str, simulated: bool = False
) -> Written:
    """Record ``readings`` (keys unique among them; all simulated when ``simulated``, else
    none): what was written, what was already recorded, and what came before the kept raw
    readings (not recorded)."""
    if not readings:
        return Written([], [], [])
    skipped = store.record_readings(
        [observation(r) for r in readings if r.metric is None],
        [measurement(r) for r in readings if r.metric is not None],
        actor,
        simulated,
    )

    def among(keys: set[str]) -> list[Reading]:
        return [r for r in readings if KEY_PREFIX + r.key in keys]

    gone = skipped.duplicates | skipped.expired
    fresh = [r for r in readings if KEY_PREFIX + r.key not in gone]
    return Written(fresh, among(skipped.duplicates), among(skipped.expired))
