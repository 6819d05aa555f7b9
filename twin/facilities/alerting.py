"""Running the alert rules after readings are recorded: a command on the alert stream
(:func:`twin.commands.run_command`), re-deciding on a race (see :mod:`assets.facilities.alerts`).

A metric past its limit raises only once it has stayed past it for the rule's delay
(``AlarmPolicy.delays_s``), dated when that happened: by a later reading still past it, or by
the clock (:mod:`twin.facilities.sweep`) if none comes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

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
from twin.eventlog.measurements.models import from_us
from twin.facilities.state import FacilityState

RETRIES = 8


LOOKBACK = (1, 4, 16, 64)
"""How far back, in delays, a run of values past their limit is looked for (then: since the
earliest value read)."""


def run_start(state: FacilityState, facility: str, metric: str, end: datetime) -> datetime:
    """When the run of values past their limits that ends at ``end`` began (its first value)."""
    spec = state.topology.facilities[facility].metrics[metric]
    span = state.policy.delay("metric-limit")
    readings = state.store.readings
    for k in LOOKBACK:
        times, values = readings.between(facility, metric, end - k * span, end)
        inside = [i for i, v in enumerate(values) if spec.within_limits(float(v))]
        if inside:
            return from_us(int(times[inside[-1] + 1]))
        if readings.latest(facility, metric, end - k * span - timedelta(microseconds=1)) is None:
            break
    return from_us(int(times[0]))


def held(
    state: FacilityState, facility: str, metric: str, value: float, when: datetime, by: datetime
) -> Condition | None:
    """``metric-limit`` of a metric whose latest value is ``value`` at ``when``: active (dated
    when it had been past its limit for the rule's delay) once that is so by ``by``; None while
    it is past its limit for less (no event either way)."""
    c = metric_condition(state.topology, facility, metric, value, when)
    delay = state.policy.delay("metric-limit")
    if not c.active or not delay:
        return c
    due = run_start(state, facility, metric, when) + delay
    return replace(c, at=due) if due <= by else None


def conditions(
    state: FacilityState,
    statuses_changed: bool,
    metrics: Iterable[tuple[str, str]],
    by: datetime | None = None,
) -> list[Condition]:
    """The conditions worth re-evaluating: feeds and halls after a status report, and each
    ``(facility, metric)`` reported, from its latest value (a late reading changes nothing),
    as things stand at ``by`` (None: at each metric's latest value)."""
    topology = state.topology
    out: list[Condition] = []
    if statuses_changed:
        statuses = state.statuses()
        out += feed_conditions(topology, statuses) + hall_conditions(topology, statuses)
    latest = state.latest_metrics(set(metrics))
    for (facility, metric), (when, value) in sorted(latest.items()):
        found = held(state, facility, metric, value, when, by or when)
        out += [found] if found else []
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
