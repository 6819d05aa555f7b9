"""The campus schedule as it stands: one activity network of the imported activities (a
mapped one with its stage's current dates) and every stage of every building and work
package no activity plans, linked by the stage rules
(:func:`~assets.construction.stages.plan_links`). The critical path, what-if, Gantt and
export all read this network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from assets.construction.activities import Activity, Link, State, activities
from assets.construction.catalogue import Entity
from assets.construction.forecast import stage_percent
from assets.construction.stages import StageRecord, known_stages, plan_links, stage_record


def _from_stage(a: Activity, r: StageRecord, today: date | None) -> Activity:
    """``a`` with the stage's plan, actuals and percent (on ``today``, whole as MSPDI keeps
    it): the stage is the one truth."""
    percent = float(round(stage_percent(r, today)[0])) if today is not None else r.percent
    return replace(
        a,
        start=r.planned_start or a.start,
        finish=r.planned_end or a.finish,
        actual_start=r.actual_start,
        actual_finish=r.actual_end,
        percent=percent,
    )


def _span(r: StageRecord) -> tuple[date, date] | None:
    """The stage's planned dates, else its actual ones once completed (None: neither)."""
    if r.planned_start is not None and r.planned_end is not None:
        return r.planned_start, r.planned_end
    if r.actual_start is not None and r.actual_end is not None:
        return r.actual_start, r.actual_end
    return None


def stage_activities(
    entities: list[Entity],
    states: Mapping[str, State],
    covered: Mapping[str, str],
    today: date | None = None,
) -> dict[str, Activity]:
    """Every stage with a plan (or completed) that no activity in ``covered`` (stage code
    ``<entity>/<stage>`` -> activity id) plans, as an activity ``<entity>/<stage>``: its
    planned dates (a "start no earlier than" its planned start), actuals and percent on
    ``today``, and links to the stages it waits for (to the activity that plans one)."""
    out: dict[str, Activity] = {}
    for e in entities:
        state = states[e.id]
        records = {s: stage_record(state, s) for s in e.stages}
        spans = {s: _span(r) for s, r in records.items()}
        present = {s for s in e.stages if spans[s] is not None}
        known = known_stages(state) & present
        for stage in e.stages:
            span = spans[stage]
            code = f"{e.id}/{stage}"
            if span is None or code in covered:
                continue
            links = tuple(
                Link(covered.get(f"{e.id}/{p.stage}", f"{e.id}/{p.stage}"), p.kind)
                for p in plan_links(stage, e.stages, known)
            )
            r = records[stage]
            base = Activity(
                code,
                f"{e.name_en}: {e.stage_name(stage)[1]}",
                span[0],
                span[1],
                float((span[1] - span[0]).days),
                entity=e.id,
                stage=stage,
                predecessors=links,
                not_before=r.planned_start,
            )
            out[code] = _from_stage(base, r, today)
    return out


def current_activities(
    schedule: State,
    entities: list[Entity],
    states: Mapping[str, State],
    today: date | None = None,
) -> dict[str, Activity]:
    """The one activity network: the schedule's activities (a mapped one with its stage's
    current dates), then every stage no activity plans (:func:`stage_activities`)."""
    by_id = {e.id: e for e in entities}
    out = {}
    for k, a in activities(schedule).items():
        e = by_id.get(a.entity or "")
        out[k] = _from_stage(a, stage_record(states[e.id], str(a.stage)), today) if e else a
    covered = {str(a.code): k for k, a in out.items() if a.code and a.entity in by_id}
    return {**out, **stage_activities(entities, states, covered, today)}
