"""What importing a schedule decides: activity events on ``schedule:campus`` and, for each
activity that plans a stage, the stage's plan and actuals through the stage rules.

A mapped activity reschedules its stage when the planned dates differ (reason "schedule
import <file>"; a completed stage keeps its plan), starts it on the activity's actual start,
reports its percent (only forward) and completes it on its actual finish. A stage rule that
refuses becomes a :class:`ScheduleError` naming the file, the activity and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from assets.construction.activities import (
    STREAM,
    Activity,
    ScheduleError,
    activity_events,
    check,
)
from assets.construction.catalogue import Entity
from assets.construction.commands import (
    Command,
    CompleteStage,
    ReportProgress,
    RescheduleStage,
    StartStage,
    decide,
)
from assets.construction.errors import ConstructionError
from assets.construction.reducers import REDUCERS
from assets.construction.stages import State, stage_record
from assets.events import DomainEvent


def stage_commands(a: Activity, state: State, file: str) -> list[Command]:
    """The stage commands that bring ``a.stage`` in ``state`` in line with activity ``a``."""
    stage = str(a.stage)
    r = stage_record(state, stage)
    out: list[Command] = []
    if not r.completed and (r.planned_start, r.planned_end) != (a.start, a.finish):
        out.append(RescheduleStage(stage, f"schedule import {file}", a.start, a.finish))
    if a.actual_start and not r.started:
        out.append(StartStage(stage, a.actual_start))
    if a.actual_start and not a.actual_finish and a.percent > r.percent:
        out.append(ReportProgress(stage, a.percent))
    if a.actual_finish and not r.completed:
        out.append(CompleteStage(stage, a.actual_finish))
    return out


def decide_import(
    file: str,
    incoming: list[Activity],
    entities: Mapping[str, Entity],
    states: Mapping[str, State],
    now: datetime,
) -> list[DomainEvent]:
    """Every event importing ``incoming`` from ``file`` appends, given the streams' ``states``
    (``schedule:campus`` and each mapped entity's stream).

    Raises
    ------
    ScheduleError
        Naming the file, the activity and the rule refused.
    """
    check(file, incoming)
    events = activity_events(file, states[STREAM], incoming, now)
    mapped = [a for a in incoming if a.entity]
    for a in mapped:
        if a.entity not in entities:
            raise ScheduleError(
                file, a.id, "known-entity", f"no building or work package {a.entity!r}"
            )
        if a.stage not in entities[str(a.entity)].stages:
            raise ScheduleError(file, a.id, "known-stage", f"{a.entity} has no stage {a.stage!r}")
    order = {e: i for i, e in enumerate(entities)}
    mapped.sort(
        key=lambda a: (order[str(a.entity)], entities[str(a.entity)].stages.index(str(a.stage)))
    )
    current = {a.entity: states[entities[str(a.entity)].stream] for a in mapped}
    for a in mapped:
        entity = entities[str(a.entity)]
        for command in stage_commands(a, current[a.entity], file):
            try:
                stage_events = decide(entity, command, current[a.entity], now)
            except ConstructionError as e:
                raise ScheduleError(file, a.id, e.rule, str(e)) from None
            for ev in stage_events:
                current[a.entity] = REDUCERS[ev.type](current[a.entity], ev.data, ev.effective_at)
            events += stage_events
    return events
