"""The facilities' state at any instant: statuses (with maintenance windows), plans and alerts (read from the twin's one
projection, caught up from the log) and metric values (queries of the measurements store,
``EventStore.readings``: nothing of them is kept in memory)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from assets.facilities.alarms import AlarmPolicy
from assets.facilities.alerts import ALERT_STREAM, StatusAt
from assets.facilities.kinds import CARRYING
from assets.facilities.topology import Topology
from assets.facilities.work_orders import STREAM_PREFIX, maintenance_at
from twin.eventlog import EventStore
from twin.projection import Projection

CATCH_UP_INTERVAL_S = 0.1
"""How stale a read may be before the state asks the log for newer events, s."""


class FacilityState:
    """Statuses, alerts and metric values of the facilities, from ``store``.

    ``projection`` is the twin's (shared, not a copy); ``topology_of`` answers the facility
    topology of the campus as built now (built once per campus version by the twin);
    ``policy`` the alarms' delays and escalation intervals."""

    def __init__(
        self,
        store: EventStore,
        projection: Projection,
        topology_of: Callable[[], Topology],
        policy: AlarmPolicy | None = None,
    ):
        self.store, self.projection, self._topology_of = store, projection, topology_of
        self.policy = policy or AlarmPolicy()
        self._lock = threading.Lock()
        self._caught_up_at = -1.0

    def refresh(self, force: bool = False) -> FacilityState:
        """Catch up with the log (at most every 0.1 s unless ``force``)."""
        with self._lock:
            now = time.monotonic()
            if force or now - self._caught_up_at >= CATCH_UP_INTERVAL_S:
                self.projection.catch_up(self.store)
                self._caught_up_at = now
        return self

    @property
    def topology(self) -> Topology:
        """The facility topology of the campus as built now."""
        return self._topology_of()

    def facility(self, facility_id: str, at: datetime) -> dict[str, Any]:
        """The facility stream's state at ``at`` (status, since, planned_operational...)."""
        return self.projection.stream_at(f"facility:{facility_id}", at)

    def statuses(self, at: datetime | None = None) -> dict[str, StatusAt]:
        """Status and since of every facility with one, at ``at`` (None: the latest).

        The one derivation of statuses every view reads: a facility in service (operational
        or degraded) inside a work order's maintenance window is ``maintenance`` since the
        window began (:func:`~assets.facilities.work_orders.maintenance_at`; None: windows
        now). A worse report (fault, offline) stays the truth."""
        out: dict[str, StatusAt] = {}
        for fid in self.topology.facilities:
            stream = f"facility:{fid}"
            state = (
                self.projection.latest(stream)[0]
                if at is None
                else self.projection.stream_at(stream, at)
            )
            if "status" in state:
                out[fid] = StatusAt(state["status"], datetime.fromisoformat(state["since"]))
        for fid, start in self.maintenance(at).items():
            if fid in out and out[fid].status in CARRYING:
                out[fid] = StatusAt("maintenance", start)
        return out

    def work_orders(self, at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Every work order's state at ``at`` (None: now), by id."""
        found = self.projection.all_at(at or datetime.now(UTC), STREAM_PREFIX)
        return {s.removeprefix(STREAM_PREFIX): state for s, state in found.items() if state}

    def maintenance(self, at: datetime | None = None) -> dict[str, datetime]:
        """Facilities inside a maintenance window at ``at`` (None: now) -> its start."""
        moment = at or datetime.now(UTC)
        return maintenance_at(self.projection.all_at(moment, STREAM_PREFIX).values(), moment)

    def _alerts(self, at: datetime | None) -> dict[str, Any]:
        if at is None:
            return self.projection.latest(ALERT_STREAM)[0]
        return self.projection.stream_at(ALERT_STREAM, at)

    def active_alerts(self, at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Alerts active at ``at`` (None: now), by key."""
        return dict(self._alerts(at).get("active", {}))

    def alarms(self, at: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Every alarm raised by ``at`` (None: now), in its state then, by id."""
        return dict(self._alerts(at).get("alarms", {}))

    def metric_at(
        self, facility_id: str, metric: str, at: datetime
    ) -> tuple[datetime, float] | None:
        """The metric's last value at or before ``at`` and when it was observed."""
        return self.store.readings.latest(facility_id, metric, at)

    def metrics_at(
        self, at: datetime | None = None
    ) -> dict[tuple[str, str], tuple[datetime, float]]:
        """Every metric's last value at or before ``at`` (None: the latest by observation
        time) and when it was observed, by (facility, metric): one query."""
        return self.store.readings.latest_all(at)

    def latest_metrics(
        self, series: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[datetime, float]]:
        """The latest value by observation time of each (facility, metric) in ``series`` that
        has one, with that time: one query."""
        return self.store.readings.latest_all(of=series)
