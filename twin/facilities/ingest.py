"""Ingestion: checked readings in, a result per reading out, alerts raised on the way.

Good readings of a batch are recorded whatever the bad ones are; each bad one is refused with
its reason; a reading whose key is already in the log, or earlier in the same batch, is a
``duplicate`` and dropped. Simulated and measured readings never mix: a twin in simulation
mode (``TWIN_SIMULATION=1``) takes simulated readings only, any other twin measured ones only,
and a metric series holds one kind for good (``wrong_provenance`` otherwise). Used alike by ``POST /api/v1/facilities/readings`` and the MQTT
bridge.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from assets.facilities.readings import Reading, Refusal
from twin.eventlog import RecordedEvent
from twin.facilities.alerting import reconcile_alerts
from twin.facilities.state import FacilityState
from twin.facilities.writer import write_readings

log = logging.getLogger("twin.facilities")
Outcome = Literal["accepted", "duplicate", "refused"]


@dataclass(frozen=True)
class Result:
    """What became of one reading; ``reason`` and ``detail`` unless accepted."""

    index: int
    result: Outcome
    facility: str | None
    key: str | None
    reason: str | None = None
    detail: str | None = None


@dataclass
class IngestReport:
    """Results in input order, and the alert events the batch raised or cleared."""

    results: list[Result]
    alerts: list[RecordedEvent] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(r.result == outcome for r in self.results)

    def outcomes(self) -> Counter[str]:
        """Counts by outcome, refusals by reason (``accepted``, ``duplicate``, ``wrong_unit``...)."""
        return Counter(
            r.reason if r.result == "refused" and r.reason else r.result for r in self.results
        )


class FacilityIngest:
    """Records batches of checked readings in ``state``'s log and keeps running counts."""

    def __init__(self, state: FacilityState, simulation: bool = False):
        self.state, self.simulation = state, simulation
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, items: Sequence[Reading | Refusal], actor: str) -> IngestReport:
        """Record the readings among ``items``; refusals are reported as they are."""
        results: list[Result | None] = [None] * len(items)
        first: dict[str, int] = {}
        readings: list[tuple[int, Reading]] = []
        kinds = self._series_kinds(items)
        for i, item in enumerate(items):
            if isinstance(item, Refusal):
                results[i] = Result(i, "refused", item.facility, item.key, item.reason, item.detail)
            elif (wrong := self._wrong_provenance(item, kinds)) is not None:
                results[i] = Result(
                    i, "refused", item.facility, item.key, "wrong_provenance", wrong
                )
            elif item.key in first:
                detail = f"reading {first[item.key]} of this batch has the same key"
                results[i] = Result(i, "duplicate", item.facility, item.key, "duplicate", detail)
            else:
                first[item.key] = i
                readings.append((i, item))
        outcome = write_readings(self.state.store, [r for _, r in readings], actor, self.simulation)
        done = {id(r) for r in outcome.written}
        expired = {id(r) for r in outcome.expired}
        for i, r in readings:
            if id(r) in done:
                results[i] = Result(i, "accepted", r.facility, r.key)
            elif id(r) in expired:
                results[i] = Result(i, "refused", r.facility, r.key, "expired", self._expired())
            else:
                detail = "a reading with this key was already recorded"
                results[i] = Result(i, "duplicate", r.facility, r.key, "duplicate", detail)
        report = IngestReport([r for r in results if r is not None])
        report.alerts = self._alerts(outcome.written, actor)
        with self._lock:
            self.counts.update(report.outcomes())
        return report

    def _expired(self) -> str:
        """Why a value before the kept raw readings is refused, naming where they start."""
        start = self.state.store.readings.raw_from().isoformat().replace("+00:00", "Z")
        return (
            f"observed_at is before {start}, where the kept raw readings start (retention): "
            "a value that old could not be told from one already counted"
        )

    def _series_kinds(self, items: Sequence[Reading | Refusal]) -> dict[tuple[str, str], bool]:
        """Of the series ``items`` hold values of, those that exist -> whether simulated."""
        return self.state.store.readings.series_kinds(
            {(r.facility, r.metric) for r in items if isinstance(r, Reading) and r.metric}
        )

    def _wrong_provenance(self, reading: Reading, kinds: dict[tuple[str, str], bool]) -> str | None:
        """Why ``reading`` may not be recorded here for its provenance, or None."""
        if reading.simulated and not self.simulation:
            return (
                "a simulated reading: this twin records measured readings only "
                "(simulated ones go to a twin in simulation mode, TWIN_SIMULATION=1)"
            )
        if not reading.simulated and self.simulation:
            return (
                "a measured reading: this twin runs in simulation mode and records simulated "
                'readings only (send "provenance": "simulated", or use a twin of its own)'
            )
        series = (reading.facility, reading.metric or "")
        if reading.metric is not None and series in kinds and kinds[series] != self.simulation:
            held = "simulated" if kinds[series] else "measured"
            return f"the series {reading.facility} {reading.metric} holds {held} readings"
        return None

    def _alerts(self, written: list[Reading], actor: str) -> list[RecordedEvent]:
        statuses = any(r.metric is None for r in written)
        metrics = [(r.facility, r.metric) for r in written if r.metric is not None]
        try:
            return reconcile_alerts(self.state, statuses, metrics, actor)
        except Exception:  # the readings are recorded; the next batch re-evaluates
            log.exception("alert rules failed after recording %d readings", len(written))
            return []
