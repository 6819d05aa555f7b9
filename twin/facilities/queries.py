"""Reads of the facilities at any instant: statuses, rack counts, status changes, metric
history (downsampled for long ranges), what a failure would do, alerts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np

from assets.facilities.alerts import ALERT_STREAM, CLEARED, RAISED
from assets.facilities.effective import effective_statuses
from assets.facilities.power import Impact, design_statuses, failure_impact, racks_with_2n
from assets.facilities.topology import FacilityNode
from twin.facilities.log import STATUS_TYPES
from twin.facilities.services import FacilityServices

Basis = Literal["status", "design"]


@dataclass(frozen=True)
class MetricValue:
    value: float
    unit: str
    observed_at: datetime
    within_limits: bool


@dataclass(frozen=True)
class FacilityView:
    """A facility at an instant: its catalogue entry, status and latest metric values."""

    node: FacilityNode
    status: str
    effective_status: str
    """``status`` combined with power (:mod:`assets.facilities.effective`)."""
    since: datetime | None
    planned_operational: str | None
    note: str | None
    metrics: dict[str, MetricValue] = field(default_factory=dict)


def facility_views(
    services: FacilityServices, at: datetime, *, metrics: bool
) -> list[FacilityView]:
    """Every facility at ``at`` (``planned`` before its history begins)."""
    state = services.fresh()
    statuses = state.statuses(at)
    effective = effective_statuses(services.topology, {k: v.status for k, v in statuses.items()})
    latest = state.metrics_at(at) if metrics else {}
    out = []
    for node in services.topology.facilities.values():
        s = state.facility(node.id, at)
        values = {}
        for name, spec in node.metrics.items() if metrics else ():
            found = latest.get((node.id, name))
            if found is not None:
                values[name] = MetricValue(
                    found[1], spec.unit, found[0], spec.within_limits(found[1])
                )
        own = statuses.get(node.id)
        out.append(
            FacilityView(
                node,
                own.status if own else "planned",
                effective[node.id],
                own.since if own else None,
                s.get("planned_operational"),
                s.get("note"),
                values,
            )
        )
    return out


@dataclass(frozen=True)
class RackCounts:
    """Rack positions of a data centre: planned, installed and energised (reported), 2N."""

    facility: str
    quota: int
    planned: int
    installed: int
    energised: int
    with_2n: int


def rack_counts(services: FacilityServices, at: datetime) -> list[RackCounts]:
    state, topology = services.fresh(), services.topology
    statuses = {k: v.status for k, v in state.statuses(at).items()}
    two_n = racks_with_2n(topology, statuses)
    latest = state.metrics_at(at)
    out = []
    for dc in topology.of_kind("data_centre"):
        rows = [r for r in topology.of_kind("rack_row") if r.id.startswith(f"{dc.id}/")]

        def reported(metric: str, rows: list[FacilityNode] = rows) -> int:
            found = (latest.get((r.id, metric)) for r in rows)
            return int(sum(f[1] for f in found if f is not None))

        out.append(
            RackCounts(
                dc.id,
                dc.racks,
                sum(r.racks for r in rows),
                reported("racks_installed"),
                reported("racks_energised"),
                sum(r.racks for r in rows if r.id in two_n),
            )
        )
    return out


@dataclass(frozen=True)
class StatusChange:
    facility: str
    at: datetime
    status: str
    previous: str | None
    note: str | None
    seq: int
    provenance: str = "measured"
    """The event's: ``published`` or ``schematic`` (the campus's history), ``simulated`` (a
    report of ``twin simulate``); a report that says none is ``measured``."""


def status_changes(
    services: FacilityServices, facility: str | None, start: datetime, end: datetime, limit: int
) -> list[StatusChange]:
    """Changes of status effective in ``[start, end]``, newest first (repeats skipped)."""
    store = services.state.store
    if facility is None:
        found = store.read(
            stream_prefix="facility:", types=STATUS_TYPES, until_effective=end, limit=None
        )
    else:
        found = store.read(
            stream=f"facility:{facility}", types=STATUS_TYPES, until_effective=end, limit=None
        )
    found.sort(key=lambda e: (e.effective_at, e.seq))
    previous: dict[str, str] = {}
    out = []
    for e in found:
        fid = e.stream.removeprefix("facility:")
        before, status = previous.get(fid), e.data["status"]
        previous[fid] = status
        if status != before and e.effective_at >= start:
            note, kind = e.data.get("note"), e.data.get("provenance", "measured")
            out.append(StatusChange(fid, e.effective_at, status, before, note, e.seq, kind))
    return out[::-1][:limit]


@dataclass(frozen=True)
class History:
    """A metric over a range: raw points, or per bucket the mean, min and max."""

    unit: str
    bucket_s: float | None
    points: list[dict[str, Any]]
    total: int
    provenance: str = "measured"


def metric_history(
    services: FacilityServices,
    facility: str,
    metric: str,
    start: datetime,
    end: datetime,
    points: int,
) -> History:
    """Values of ``facility``'s ``metric`` from ``start`` to ``end``; more than ``points``
    values are averaged into ``points`` equal buckets (empty buckets left out).

    The one read of a metric's history (the API's ``/api/v1/facilities/metrics`` calls it):
    raw readings from the measurements store, or its 1-minute, 1-hour and 1-day rollups for
    ranges too long for raw readings or older than their retention
    (:meth:`twin.eventlog.measurements.Readings.summary`). ``provenance``: the series'
    (simulated or measured), or the twin's telemetry if nothing is recorded for it yet."""
    spec = services.topology.facilities[facility].metrics[metric]
    store = services.state.store
    found = store.history.summary(facility, metric, start, end, points)
    simulated = store.readings.series_kinds([(facility, metric)]).get((facility, metric))
    provenance = services.telemetry if simulated is None else _kind(simulated)
    return History(spec.unit, found.bucket_s, found.points, found.total, provenance)


def _kind(simulated: bool) -> str:
    return "simulated" if simulated else "measured"


def redundancy(
    services: FacilityServices, failed: Iterable[str], at: datetime, basis: Basis
) -> Impact:
    """What ``failed`` failing would do, with the statuses at ``at`` or the design's."""
    topology = services.topology
    if basis == "design":
        statuses = design_statuses(topology)
    else:
        statuses = {k: v.status for k, v in services.fresh().statuses(at).items()}
    return failure_impact(topology, statuses, failed)


def alerts_at(
    services: FacilityServices, at: datetime, limit: int
) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    """Alerts active at ``at``, and the latest alert events (raised, cleared) effective by then
    (newest first); the alarms' lifecycle steps on the same stream are not alert events."""
    state = services.fresh()
    kinds = (RAISED, CLEARED)
    found = state.store.read(stream=ALERT_STREAM, types=kinds, until_effective=at, limit=None)
    found.sort(key=lambda e: (e.effective_at, e.seq), reverse=True)
    return state.active_alerts(at), found[:limit]


def metric_values(
    services: FacilityServices,
    facility: str,
    metric: str,
    start: datetime,
    end: datetime,
    *,
    limit: int | None = None,
    newest_first: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``facility``'s ``metric`` observed from ``start`` to ``end`` inclusive
    (only the first ``limit`` in time order, the newest with ``newest_first``, when given):
    observation times (POSIX s, ascending) and the values, in the metric's unit."""
    times_us, values = services.fresh().store.history.between(
        facility, metric, start, end, limit=limit, newest_first=newest_first
    )
    return times_us / 1e6, values
