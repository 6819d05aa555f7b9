"""The campus schedule as it stands: activities with their stages' current dates, and the
stages no activity plans, as activities of their own (for export)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from assets.construction.activities import Activity, State, activities
from assets.construction.catalogue import Entity
from assets.construction.stages import StageRecord, stage_record


def _from_stage(a: Activity, r: StageRecord) -> Activity:
    """``a`` with the stage's plan, actuals and percent: the stage is the one truth."""
    return replace(
        a,
        start=r.planned_start or a.start,
        finish=r.planned_end or a.finish,
        actual_start=r.actual_start,
        actual_finish=r.actual_end,
        percent=r.percent,
    )


def current_activities(
    schedule: State,
    entities: list[Entity],
    states: Mapping[str, State],
    *,
    stages: bool = False,
) -> dict[str, Activity]:
    """The schedule's activities (a mapped one with its stage's current dates), then, with
    ``stages``, every planned stage no activity covers, id ``<entity>/<stage>``."""
    by_id = {e.id: e for e in entities}
    out = {}
    for k, a in activities(schedule).items():
        e = by_id.get(a.entity or "")
        out[k] = _from_stage(a, stage_record(states[e.id], str(a.stage))) if e else a
    if not stages:
        return out
    covered = {a.code for a in out.values()}
    for e in entities:
        for stage in e.stages:
            r = stage_record(states[e.id], stage)
            code = f"{e.id}/{stage}"
            if code in covered or r.planned_start is None or r.planned_end is None:
                continue
            name = f"{e.name_en}: {e.stage_name(stage)[1]}"
            base = Activity(
                code,
                name,
                r.planned_start,
                r.planned_end,
                float(r.planned_days or 0),
                entity=e.id,
                stage=stage,
            )
            out[code] = _from_stage(base, r)
    return out
