"""What a new plan of one stage moves: the later stages of the same building or work package
that would otherwise be planned before what they wait for (:func:`plan_links`).

A stage waiting finish to start is planned to start the day after its predecessor's planned
end; start to start, no earlier than its start; finish to finish, to end no earlier than its
end. A stage that must move keeps its planned duration and moves later, never earlier; a stage
already begun or completed keeps its plan (its dates are history or under way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from assets.construction.catalogue import Entity
from assets.construction.stages import State, known_stages, plan_links, stage_record


@dataclass(frozen=True)
class Moved:
    """A stage a reschedule moves: its new planned dates, and the stage and rule that moved it."""

    stage: str
    planned_start: date
    planned_end: date
    caused_by: str
    rule: str


def followers(entity: Entity, state: State, stage: str, start: date, end: date) -> list[Moved]:
    """The stages after ``stage`` that its new plan (``start``, ``end``) moves, in order."""
    plans: dict[str, tuple[date, date]] = {}
    for s in entity.stages:
        r = stage_record(state, s)
        if r.planned_start is not None and r.planned_end is not None:
            plans[s] = (r.planned_start, r.planned_end)
    plans[stage] = (start, end)
    known = known_stages(state) | {stage}
    moved: dict[str, Moved] = {}
    for s in entity.stages[entity.stages.index(stage) + 1 :]:
        r = stage_record(state, s)
        if s not in plans or r.started or r.completed:
            continue
        first, last = plans[s]
        shift, cause = 0, None
        for link in plan_links(s, entity.stages, known):
            if link.stage not in plans or (link.stage != stage and link.stage not in moved):
                continue  # only what this reschedule moved can push
            p_start, p_end = plans[link.stage]
            need = {
                "FS": (p_end + timedelta(days=1) - first).days,
                "SS": (p_start - first).days,
                "FF": (p_end - last).days,
            }[link.kind]
            if need > shift:
                shift, cause = need, link
        if cause is not None:
            plans[s] = (first + timedelta(days=shift), last + timedelta(days=shift))
            moved[s] = Moved(s, *plans[s], caused_by=cause.stage, rule=cause.rule)
    return list(moved.values())
