"""Running the alert rules after readings are recorded: a command on the alert stream
(:func:`twin.commands.run_command`), re-deciding on a race (see :mod:`assets.facilities.alerts`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from assets.events import DomainEvent
from assets.facilities.alerts import (
    ALERT_STREAM,
    Condition,
    alert_events,
    feed_conditions,
    hall_conditions,
    metric_condition,
)
from assets.history import State
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.facilities.state import FacilityState

RETRIES = 8


def conditions(
    state: FacilityState, statuses_changed: bool, metrics: Iterable[tuple[str, str]]
) -> list[Condition]:
    """The conditions worth re-evaluating: feeds and halls after a status report, and each
    ``(facility, metric)`` reported, from its latest value (a late reading changes nothing)."""
    topology = state.topology
    out: list[Condition] = []
    if statuses_changed:
        statuses = state.statuses()
        out += feed_conditions(topology, statuses) + hall_conditions(topology, statuses)
    latest = state.latest_metrics(set(metrics))
    for (facility, metric), (when, value) in sorted(latest.items()):
        out.append(metric_condition(topology, facility, metric, value, when))
    return out


def reconcile_alerts(
    state: FacilityState,
    statuses_changed: bool,
    metrics: Iterable[tuple[str, str]],
    actor: str,
) -> list[RecordedEvent]:
    """Raise and clear alerts so they match the conditions; returns the events recorded."""
    touched = list(metrics)
    if not statuses_changed and not touched:
        return []
    state.refresh(force=True)
    if not alert_events(state.active_alerts(), conditions(state, statuses_changed, touched)):
        return []  # the usual case, decided without a round trip; a race is re-decided below

    def decide(states: Mapping[str, State], _now: datetime) -> list[DomainEvent]:
        found = conditions(state, statuses_changed, touched)
        return alert_events(states[ALERT_STREAM].get("active", {}), found)

    return run_command(
        state.store, state.projection, [ALERT_STREAM], decide, actor=actor, retries=RETRIES
    )
