"""The campus schedule in the running twin: import (through :func:`twin.commands.run_command`,
one dated set of events), baselines, and the schedule, critical path, what-if and baseline
variance at any instant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from assets.clock import local_date
from assets.construction.activities import STREAM, Activity, Change, baseline_event, changes
from assets.construction.baselines import (
    Variance,
    activity_variance,
    baseline_plan,
    building_variance,
)
from assets.construction.catalogue import entities
from assets.construction.cpm import Timing, WhatIf, critical_path, what_if
from assets.construction.schedule_import import decide_import
from assets.construction.schedule_now import current_activities
from assets.events import DomainEvent
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.runtime import Twin


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file does: activity changes and every event it appends."""

    changes: list[Change]
    events: list[DomainEvent]


def _streams(twin: Twin, incoming: list[Activity]) -> list[str]:
    by_id = {e.id: e for e in entities(twin.campus)}
    mapped = {by_id[a.entity].stream for a in incoming if a.entity in by_id}
    return [STREAM, *sorted(mapped)]


def plan_import(twin: Twin, file: str, incoming: list[Activity], now: datetime) -> ImportPlan:
    """The dry run: what importing ``incoming`` would add and change; nothing is written.

    Raises
    ------
    ScheduleError
        Naming the file, the activity and the rule.
    """
    projection = twin.fresh()
    states = {s: projection.latest(s)[0] for s in _streams(twin, incoming)}
    by_id = {e.id: e for e in entities(twin.campus)}
    events = decide_import(file, incoming, by_id, states, now)
    return ImportPlan(changes(states[STREAM], incoming), events)


def import_schedule(
    twin: Twin, file: str, incoming: list[Activity], *, actor: str, now: datetime | None = None
) -> list[RecordedEvent]:
    """Import ``incoming`` (read from ``file``): its events appended in one transaction."""
    by_id = {e.id: e for e in entities(twin.campus)}

    def decision(states: Mapping[str, dict], at: datetime) -> list[DomainEvent]:
        return decide_import(file, incoming, by_id, states, at)

    return run_command(
        twin.store,
        twin.projection,
        _streams(twin, incoming),
        decision,
        actor=actor,
        now=now or datetime.now(UTC),
    )


def save_baseline(twin: Twin, name: str, *, actor: str) -> list[RecordedEvent]:
    """Save the planned dates of the one schedule network (the one the critical path reads:
    imported activities and the campus's own stages) as baseline ``name`` (an event)."""
    chosen = entities(twin.campus)
    streams = [STREAM, *sorted({e.stream for e in chosen})]

    def decision(states: Mapping[str, dict], at: datetime) -> list[DomainEvent]:
        stages = {e.id: states[e.stream] for e in chosen}
        network = current_activities(states[STREAM], chosen, stages, local_date(at))
        return [baseline_event(name, states[STREAM], network, at)]

    return run_command(twin.store, twin.projection, streams, decision, actor=actor)


def activities_at(twin: Twin, at: datetime) -> dict[str, Activity]:
    """The campus schedule as known at ``at``: one network of the imported activities and
    every building's stages (see :func:`current_activities`)."""
    projection = twin.fresh()
    chosen = entities(twin.campus_at(at))
    states = {e.id: projection.stream_at(e.stream, at) for e in chosen}
    return current_activities(projection.stream_at(STREAM, at), chosen, states, local_date(at))


def critical_at(twin: Twin, at: datetime) -> dict[str, Timing]:
    """Early and late dates, floats and the critical path as known at ``at``."""
    return critical_path(activities_at(twin, at), local_date(at))


def what_if_at(twin: Twin, at: datetime, slips: Mapping[str, float]) -> WhatIf:
    """What moves if ``slips`` (activity id -> days) happen, as known at ``at``."""
    return what_if(activities_at(twin, at), local_date(at), slips)


def baselines_at(twin: Twin, at: datetime) -> dict[str, str]:
    """Saved baselines as known at ``at``: name -> when saved."""
    saved = twin.fresh().stream_at(STREAM, at).get("baselines", {})
    return {k: v["saved_at"] for k, v in saved.items()}


def variance_at(twin: Twin, at: datetime, name: str) -> tuple[list[Variance], list[Variance]]:
    """Variance against baseline ``name`` per activity and per building, as known at ``at``."""
    plan = baseline_plan(twin.fresh().stream_at(STREAM, at), name)
    acts = activities_at(twin, at)
    per_activity = activity_variance(acts, plan)
    return per_activity, building_variance(acts, per_activity)
