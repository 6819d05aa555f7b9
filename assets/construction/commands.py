"""Construction commands and the pure decisions that turn them into events or refuse them.

Each decision takes the entity, the command, the stream's latest state and the current instant
``now``, and returns the events to append or raises :class:`ConstructionError` naming the
building (or work package), the stage and the rule. Dates are campus-local; an actual date
(``on``) defaults to today and may not be in the future.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assets.clock import local_date, start_of
from assets.construction.cascade import followers
from assets.construction.catalogue import Entity
from assets.construction.errors import ConstructionError
from assets.construction.stages import (
    Requirement,
    StageRecord,
    State,
    complete_requirements,
    known_stages,
    stage_record,
    start_requirements,
)
from assets.events import DomainEvent


@dataclass(frozen=True)
class StartStage:
    """Record that ``stage`` started on ``on`` (today when None)."""

    stage: str
    on: date | None = None


@dataclass(frozen=True)
class ReportProgress:
    """Record ``percent`` (0-100) complete on ``on``; lower than before only with a reason."""

    stage: str
    percent: float
    on: date | None = None
    correction_reason: str | None = None


@dataclass(frozen=True)
class CompleteStage:
    """Record that ``stage`` completed on ``on`` (today when None)."""

    stage: str
    on: date | None = None


@dataclass(frozen=True)
class RescheduleStage:
    """New planned dates for ``stage`` (either or both), with the ``reason`` kept."""

    stage: str
    reason: str
    planned_start: date | None = None
    planned_end: date | None = None


Command = StartStage | ReportProgress | CompleteStage | RescheduleStage


def decide(entity: Entity, command: Command, state: State, now: datetime) -> list[DomainEvent]:
    """The events ``command`` causes on ``entity`` whose stream is in ``state`` at ``now``.

    Raises
    ------
    ConstructionError
        When a rule refuses it; nothing is to be written then.
    """
    if command.stage not in entity.stages:
        raise ConstructionError(
            entity.id,
            command.stage,
            "known-stage",
            f"a {'building' if entity.kind == 'building' else 'work package'} has no such stage: "
            f"use one of {', '.join(entity.stages)}",
        )
    check = _Check(entity, command.stage, state, local_date(now))
    if isinstance(command, StartStage):
        return check.start(command, now)
    if isinstance(command, ReportProgress):
        return check.progress(command, now)
    if isinstance(command, CompleteStage):
        return check.complete(command, now)
    return check.reschedule(command, now)


class _Check:
    def __init__(self, entity: Entity, stage: str, state: State, today: date):
        self.entity, self.stage, self.state, self.today = entity, stage, state, today
        self.record = stage_record(state, stage)

    def refuse(self, rule: str, message: str) -> ConstructionError:
        return ConstructionError(self.entity.id, self.stage, rule, message)

    def event(self, type_: str, at: datetime, **data: Any) -> list[DomainEvent]:
        return [DomainEvent(self.entity.stream, type_, at, {"stage": self.stage, **data})]

    def actual_day(self, on: date | None, now: datetime) -> tuple[date, datetime]:
        """The actual date and the event's effective instant (now for today, else midnight)."""
        day = on or self.today
        if day > self.today:
            raise self.refuse(
                "no-future-actual",
                f"an actual date cannot be in the future: {day} is after today, {self.today}",
            )
        return day, (now if day == self.today else start_of(day))

    def requirements(self, reqs: list[Requirement], verb: str, day: date) -> None:
        zh, en = self.entity.stage_name(self.stage)
        verb = f"{verb} {en[0].lower()}{en[1:]} ({zh})"
        for req in reqs:
            other = stage_record(self.state, req.stage)
            done = other.actual_end if req.need == "completed" else other.actual_start
            what = "topping out (结构封顶)" if req.rule.endswith("topping-out") else req.stage
            if done is None:
                raise self.refuse(
                    req.rule, f"cannot {verb} before {what}: {req.stage} has not {req.need}"
                )
            if done > day:
                raise self.refuse(
                    req.rule, f"cannot {verb} on {day}: {req.stage} {req.need} only on {done}"
                )

    def start(self, command: StartStage, now: datetime) -> list[DomainEvent]:
        if self.record.started:
            raise self.refuse("start-once", f"already started on {self.record.actual_start}")
        day, at = self.actual_day(command.on, now)
        known = known_stages(self.state)
        self.requirements(start_requirements(self.stage, self.entity.stages, known), "start", day)
        return self.event("StageStarted", at, on=day.isoformat())

    def progress(self, command: ReportProgress, now: datetime) -> list[DomainEvent]:
        r = self.record
        if not r.started:
            raise self.refuse(
                "progress-after-start", "cannot report progress on a stage that has not started"
            )
        if r.completed:
            raise self.refuse("progress-on-completed", f"completed on {r.actual_end}: it is 100 %")
        percent = command.percent
        if not math.isfinite(percent) or not 0 <= percent <= 100:
            raise self.refuse("percent-range", f"percent must be 0-100, not {percent}")
        reason = (command.correction_reason or "").strip()
        if percent < r.percent and not reason:
            raise self.refuse(
                "progress-forward",
                f"progress cannot go backwards (from {r.percent:g} % to {percent:g} %) "
                "without a correction_reason",
            )
        day, at = self.actual_day(command.on, now)
        self.not_before(day, "progress date")
        data: dict[str, Any] = {"percent": percent, "on": day.isoformat()}
        if reason:
            data["correction_reason"] = reason
        return self.event("StageProgressed", at, **data)

    def not_before(self, day: date, what: str) -> None:
        r: StageRecord = self.record
        if r.actual_start is not None and day < r.actual_start:
            raise self.refuse(
                "end-after-start", f"the {what} {day} is before the actual start {r.actual_start}"
            )
        if r.progress_on is not None and day < r.progress_on:
            raise self.refuse(
                "date-order", f"the {what} {day} is before the latest report, on {r.progress_on}"
            )

    def complete(self, command: CompleteStage, now: datetime) -> list[DomainEvent]:
        r = self.record
        if not r.started:
            raise self.refuse(
                "complete-after-start", "cannot complete a stage that has not started"
            )
        if r.completed:
            raise self.refuse("complete-once", f"already completed on {r.actual_end}")
        day, at = self.actual_day(command.on, now)
        self.not_before(day, "completion date")
        known = known_stages(self.state)
        reqs = complete_requirements(self.stage, self.entity.stages, known)
        self.requirements(reqs, "complete", day)
        return self.event("StageCompleted", at, on=day.isoformat())

    def reschedule(self, command: RescheduleStage, now: datetime) -> list[DomainEvent]:
        r = self.record
        reason = command.reason.strip()
        if not reason:
            raise self.refuse("reschedule-reason", "a reschedule needs a reason, kept in history")
        if command.planned_start is None and command.planned_end is None:
            raise self.refuse("reschedule-dates", "give planned_start, planned_end or both")
        if r.completed:
            raise self.refuse(
                "reschedule-completed", f"completed on {r.actual_end}: its plan is history"
            )
        start = command.planned_start or r.planned_start
        end = command.planned_end or r.planned_end
        if start is None or end is None:
            raise self.refuse(
                "reschedule-dates", "the stage has no plan yet: give planned_start and planned_end"
            )
        if end < start:
            raise self.refuse(
                "end-after-start", f"the planned end {end} is before the planned start {start}"
            )
        type_ = "StageRescheduled" if r.planned_start is not None else "StagePlanned"
        data = {"planned_start": start.isoformat(), "planned_end": end.isoformat()}
        out = self.event(type_, now, **data, reason=reason)
        for m in followers(self.entity, self.state, self.stage, start, end):
            why = f"follows {self.stage} rescheduled ({reason}): rule {m.rule}"
            out.append(
                DomainEvent(
                    self.entity.stream,
                    "StageRescheduled",
                    now,
                    {
                        "stage": m.stage,
                        "planned_start": m.planned_start.isoformat(),
                        "planned_end": m.planned_end.isoformat(),
                        "reason": why,
                        "caused_by": m.caused_by,
                        "rule": m.rule,
                    },
                )
            )
        return out
