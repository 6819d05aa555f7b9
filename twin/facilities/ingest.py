"""Ingestion: checked readings in, a result per reading out, alerts raised on the way.

Good readings of a batch are recorded whatever the bad ones are; each bad one is refused with
its reason; a reading whose key is already in the log, or earlier in the same batch, is a
``duplicate`` and dropped. Used alike by ``POST /api/v1/facilities/readings`` and the MQTT
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

    def __init__(self, state: FacilityState):
        self.state = state
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, items: Sequence[Reading | Refusal], actor: str) -> IngestReport:
        """Record the readings among ``items``; refusals are reported as they are."""
        results: list[Result | None] = [None] * len(items)
        first: dict[str, int] = {}
        readings: list[tuple[int, Reading]] = []
        for i, item in enumerate(items):
            if isinstance(item, Refusal):
                results[i] = Result(i, "refused", item.facility, item.key, item.reason, item.detail)
            elif item.key in first:
                detail = f"reading {first[item.key]} of this batch has the same key"
                results[i] = Result(i, "duplicate", item.facility, item.key, "duplicate", detail)
            else:
                first[item.key] = i
                readings.append((i, item))
        outcome = write_readings(self.state.store, [r for _, r in readings], actor)
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

    def _alerts(self, written: list[Reading], actor: str) -> list[RecordedEvent]:
        statuses = any(r.metric is None for r in written)
        metrics = [(r.facility, r.metric) for r in written if r.metric is not None]
        try:
            return reconcile_alerts(self.state, statuses, metrics, actor)
        except Exception:  # the readings are recorded; the next batch re-evaluates
            log.exception("alert rules failed after recording %d readings", len(written))
            return []
