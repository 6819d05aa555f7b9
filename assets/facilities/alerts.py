"""Alert rules: a feed goes down, a hall loses redundancy or power, a metric leaves its limits.

Rules are level-triggered: each evaluates a *condition* (active or not, since when) from the
latest statuses and values, and :func:`alert_events` turns the difference between the
conditions and the alerts already active into ``FacilityAlertRaised`` / ``FacilityAlertCleared``
events on one stream, :data:`ALERT_STREAM`. Evaluating twice, or late, raises nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from assets.events import DomainEvent
from assets.facilities.kinds import CARRYING, DOWN
from assets.facilities.power import design_statuses, hall_levels, power_levels
from assets.facilities.readings import EARLIEST
from assets.facilities.topology import Topology
from assets.units import quantity

ALERT_STREAM = "alerts:facilities"
RAISED, CLEARED = "FacilityAlertRaised", "FacilityAlertCleared"
RULES = {
    "feed-down": "an external power feed is in fault, offline or in maintenance",
    "hall-redundancy": "a 2N hall in service runs on one feed only",
    "hall-power": "a hall in service has rows without power",
    "metric-limit": "a metric's latest value is outside its alarm limits",
}


class StatusAt(NamedTuple):
    """A facility's status and the instant it took it."""

    status: str
    since: datetime


@dataclass(frozen=True)
class Condition:
    """What one rule says about one subject: ``active`` since ``at``."""

    key: str
    rule: str
    facility: str
    active: bool
    at: datetime
    severity: str
    message: str
    metric: str | None = None
    value: float | None = None


def feed_conditions(topology: Topology, statuses: Mapping[str, StatusAt]) -> list[Condition]:
    """``feed-down`` of every external feed."""
    out = []
    for feed in topology.sources:
        s = statuses.get(feed, StatusAt("planned", EARLIEST))
        active = s.status in DOWN
        message = f"{feed} is {s.status}" + (": the data centre has lost a feed" if active else "")
        out.append(
            Condition(
                f"feed-down:{feed}",
                "feed-down",
                feed,
                active,
                s.since,
                DOWN.get(s.status, "info"),
                message,
            )
        )
    return out


def hall_conditions(topology: Topology, statuses: Mapping[str, StatusAt]) -> list[Condition]:
    """``hall-redundancy`` and ``hall-power`` of every hall."""
    now = power_levels(topology, {k: v.status for k, v in statuses.items()})
    levels = hall_levels(topology, now)
    design = hall_levels(topology, power_levels(topology, design_statuses(topology)))
    out = []
    for hall in topology.of_kind("hall"):
        rows = [r.id for r in topology.rows(hall.id)]
        upstream = topology.upstream(rows) | {hall.id}
        at = max((statuses[f].since for f in upstream if f in statuses), default=EARLIEST)
        own = statuses.get(hall.id)
        in_service = own is not None and own.status in CARRYING
        level = levels[hall.id]
        no_power = in_service and level == "none"
        single = in_service and level == "N" and design[hall.id] == "2N"
        out.append(
            Condition(
                f"hall-power:{hall.id}",
                "hall-power",
                hall.id,
                no_power,
                at,
                "critical",
                f"{hall.id} has rows without power" if no_power else f"{hall.id} is powered",
            )
        )
        out.append(
            Condition(
                f"hall-redundancy:{hall.id}",
                "hall-redundancy",
                hall.id,
                single,
                at,
                "major",
                f"{hall.id} runs on one feed: redundancy lost"
                if single
                else f"{hall.id} is {level}",
            )
        )
    return out


def metric_condition(
    topology: Topology, facility: str, metric: str, value: float, at: datetime
) -> Condition:
    """``metric-limit`` of one metric, from its latest value."""
    spec = topology.facilities[facility].metrics[metric]
    active = not spec.within_limits(value)
    reading = f"{facility} {metric} = {quantity(value, spec.unit)}"
    if spec.limit_high is not None and value > spec.limit_high:
        message = f"{reading}, above its limit {quantity(spec.limit_high, spec.unit)}"
    elif spec.limit_low is not None and value < spec.limit_low:
        message = f"{reading}, below its limit {quantity(spec.limit_low, spec.unit)}"
    else:
        message = f"{reading}, within its limits"
    return Condition(
        f"metric-limit:{facility}:{metric}",
        "metric-limit",
        facility,
        active,
        at,
        "warning",
        message,
        metric,
        value,
    )


def alarm_id(key: str, raised_at: datetime) -> str:
    """The alarm id of the alert ``key`` raised at ``raised_at``: stable and URL-safe."""
    t = raised_at.astimezone(UTC)
    stamp = t.strftime("%Y%m%dT%H%M%S") + (f".{t.microsecond:06d}" if t.microsecond else "")
    return f"{key}@{stamp}Z"


def alert_events(
    active: Mapping[str, Mapping[str, Any]], conditions: Iterable[Condition]
) -> list[DomainEvent]:
    """Events raising the conditions that are active but not yet alerted, and clearing the
    alerts whose condition has ended (never before the alert was raised)."""
    out = []
    for c in conditions:
        alert = active.get(c.key)
        data: dict[str, Any] = {
            "key": c.key,
            "rule": c.rule,
            "facility": c.facility,
            "severity": c.severity,
            "message": c.message,
        }
        if c.metric is not None:
            data |= {"metric": c.metric, "value": c.value}
        if c.active and alert is None:
            out.append(
                DomainEvent(ALERT_STREAM, RAISED, c.at, data | {"alarm": alarm_id(c.key, c.at)})
            )
        elif not c.active and alert is not None:
            raised = datetime.fromisoformat(alert["since"])
            alarm = alert.get("alarm") or alarm_id(c.key, raised)
            out.append(
                DomainEvent(ALERT_STREAM, CLEARED, max(c.at, raised), data | {"alarm": alarm})
            )
    return sorted(out, key=lambda e: e.effective_at)
