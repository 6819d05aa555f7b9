"""The alarms' clock: steps that fall due with time alone, recorded dated when they fell due.

A sweep at ``now`` raises the metric alarms whose value has stayed past its limit for the
rule's delay with no reading since to say so, unshelves alarms whose shelf time has passed and
escalates alarms nobody acknowledged in time (:func:`assets.facilities.alarms.due_events`). It is
one command on the alert stream, so running it twice, or in two processes at once, records
nothing twice. ``twin serve`` runs it every ``settings.alarm_sweep_interval_s``; ``twin
facilities alarms sweep`` once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from assets.events import DomainEvent
from assets.facilities.alarms import CLOCK, due_events
from assets.facilities.alerts import ALERT_STREAM, alert_events
from assets.history import State
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.facilities.alerting import RETRIES, held
from twin.facilities.state import FacilityState

log = logging.getLogger("twin.alarms")


def _pending_raises(
    state: FacilityState, active: Mapping[str, Any], now: datetime
) -> list[DomainEvent]:
    """Raises of metric alarms held past their limit for the delay by ``now``."""
    topology, found = state.topology, []
    for (facility, metric), (when, value) in sorted(state.metrics_at(now).items()):
        node = topology.facilities.get(facility)
        if (
            node is None
            or metric not in node.metrics
            or f"metric-limit:{facility}:{metric}" in active
        ):
            continue
        if not node.metrics[metric].within_limits(value):
            c = held(state, facility, metric, value, when, now)
            found += [c] if c and c.active else []
    return alert_events(active, found)


def sweep(state: FacilityState, now: datetime | None = None) -> list[RecordedEvent]:
    """Record what fell due by ``now`` (default: the wall clock); returns the events recorded."""
    at = now or datetime.now(UTC)
    state.refresh(force=True)

    def decide(states: Mapping[str, State], _now: datetime) -> list[DomainEvent]:
        alerts = states[ALERT_STREAM]
        raises = _pending_raises(state, alerts.get("active", {}), at)
        due = due_events(alerts.get("alarms", {}), at, state.policy)
        return sorted(raises + due, key=lambda e: e.effective_at)

    return run_command(
        state.store, state.projection, [ALERT_STREAM], decide, actor=CLOCK, retries=RETRIES
    )


class SweepTimer:
    """Runs :func:`sweep` at once and then every ``interval_s`` in a daemon thread (what
    ``twin serve`` starts)."""

    def __init__(self, state_of: Callable[[], FacilityState], interval_s: float) -> None:
        self._state_of, self._interval_s = state_of, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="twin-alarm-sweep", daemon=True)

    def start(self) -> SweepTimer:
        if self._interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                done = sweep(self._state_of())
                if done:
                    log.info("alarm sweep: %d steps recorded", len(done))
            except Exception:  # the next sweep tries again; serving goes on
                log.exception("alarm sweep failed")
            self._stop.wait(self._interval_s)
