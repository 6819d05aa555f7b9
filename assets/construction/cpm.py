"""The critical path method over schedule activities: forward and backward pass, floats, what-if.

Time is counted in calendar days from the earliest planned start (working calendars are not
modelled). An activity lasts ``finish - start`` days of its plan; links constrain (with lag L):
FS: successor start >= predecessor finish + L; SS: start >= start + L; FF: finish >= finish +
L; SF: finish >= start + L. As of a date ``today``: a finished activity keeps its actual dates,
a started one its actual start and ends no earlier than today plus its remaining share of the
duration, one not started starts no earlier than today. An activity without predecessors
starts no earlier than its planned start, and one with a ``not_before`` date (a stage's
planned start) no earlier than that date. Total float = late start - early start; free float
= the days an activity can slip without moving any successor's early dates (or the project's
finish). Critical: total float <= 0 and not finished.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from graphlib import CycleError, TopologicalSorter

from assets.construction.activities import Activity, Link, ScheduleError


@dataclass(frozen=True)
class Timing:
    """One activity's early and late dates (campus-local) and floats (days)."""

    activity: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: float
    free_float: float
    critical: bool
    finished: bool


def _order(acts: Mapping[str, Activity], file: str) -> list[str]:
    graph = {
        a.id: {p.activity for p in a.predecessors if p.activity in acts} for a in acts.values()
    }
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as e:
        cycle = " -> ".join(e.args[1])
        raise ScheduleError(file, e.args[1][0], "no-cycle", f"the links loop: {cycle}") from None


def _span(a: Activity, today: date) -> float:
    """Days the activity lasts as of ``today`` (its remaining share carried from today)."""
    planned = float((a.finish - a.start).days)
    if a.actual_finish and a.actual_start:
        return float((a.actual_finish - a.actual_start).days)
    if a.actual_start:
        remaining = math.ceil(planned * (100 - a.percent) / 100)
        return max(planned, float((today - a.actual_start).days + remaining))
    return planned


def _earliest(link: Link, es: float, ef: float, duration: float) -> float:
    """The earliest start a link from a predecessor (early ``es``, ``ef``) allows."""
    return {
        "FS": ef + link.lag_days,
        "SS": es + link.lag_days,
        "FF": ef + link.lag_days - duration,
        "SF": es + link.lag_days - duration,
    }[link.type]


def _latest(link: Link, ls: float, lf: float, duration: float) -> float:
    """The latest finish of a predecessor of ``duration`` a successor (late ``ls``, ``lf``) allows."""
    return {
        "FS": ls - link.lag_days,
        "SS": ls - link.lag_days + duration,
        "FF": lf - link.lag_days,
        "SF": lf - link.lag_days + duration,
    }[link.type]


def critical_path(
    acts: Mapping[str, Activity],
    today: date,
    slips: Mapping[str, float] | None = None,
    file: str = "schedule",
) -> dict[str, Timing]:
    """Early and late dates and floats of every activity as of ``today``.

    Parameters
    ----------
    acts : mapping of id to Activity
    today : date
        The data date: nothing unfinished starts or ends before it.
    slips : mapping of id to days, optional
        Extra days of duration per activity (a what-if; nothing is written); a negative
        slip shortens it, never below 0 days.

    Raises
    ------
    ScheduleError
        ``no-cycle`` when links loop.
    """
    if not acts:
        return {}
    slips = slips or {}
    origin = min(a.start for a in acts.values())
    t0 = float((today - origin).days)
    order = _order(acts, file)
    dur = {k: max(_span(a, today) + slips.get(k, 0.0), 0.0) for k, a in acts.items()}
    es: dict[str, float] = {}
    for k in order:
        a = acts[k]
        if a.actual_start:
            es[k] = float((a.actual_start - origin).days)
            continue
        lows = [
            _earliest(p, es[p.activity], es[p.activity] + dur[p.activity], dur[k])
            for p in a.predecessors
            if p.activity in acts
        ]
        own = [] if lows else [float((a.start - origin).days)]
        if a.not_before is not None:
            own.append(float((a.not_before - origin).days))
        es[k] = max([t0, *lows, *own])
    ef = {k: es[k] + dur[k] for k in order}
    finish = max(ef.values())
    successors: dict[str, list[tuple[str, Link]]] = {k: [] for k in acts}
    for a in acts.values():
        for p in a.predecessors:
            if p.activity in acts:
                successors[p.activity].append((a.id, p))
    lf: dict[str, float] = {}
    for k in reversed(order):
        highs = [_latest(link, lf[s] - dur[s], lf[s], dur[k]) for s, link in successors[k]]
        lf[k] = min([finish, *highs])
    out = {}
    for k in order:
        done = acts[k].actual_finish is not None
        total = 0.0 if done else lf[k] - ef[k]
        room = [es[s] - _earliest(link, es[k], ef[k], dur[s]) for s, link in successors[k]]
        free_float = 0.0 if done else min([*room, finish - ef[k]])
        out[k] = Timing(
            activity=k,
            early_start=origin + timedelta(days=es[k]),
            early_finish=origin + timedelta(days=ef[k]),
            late_start=origin + timedelta(days=lf[k] - dur[k]),
            late_finish=origin + timedelta(days=lf[k]),
            total_float=total,
            free_float=max(free_float, 0.0),
            critical=not done and total <= 0,
            finished=done,
        )
    return {k: out[k] for k in acts}


@dataclass(frozen=True)
class Move:
    """An activity a slip moves: its early finish before and after, and the days moved."""

    activity: str
    milestone: bool
    finish_before: date
    finish_after: date
    days: int


@dataclass(frozen=True)
class WhatIf:
    """The answer to "what if these activities slip": what moves, and the schedule's finish."""

    moves: list[Move]
    finish_before: date | None
    finish_after: date | None


def what_if(acts: Mapping[str, Activity], today: date, slips: Mapping[str, float]) -> WhatIf:
    """The activities (and milestones) whose early finish moves if ``slips`` (id -> days of
    extra duration) happen, most moved first, and the schedule's finish before and after;
    nothing is written."""
    before = critical_path(acts, today)
    after = critical_path(acts, today, slips)
    moves = [
        Move(
            k,
            acts[k].milestone,
            before[k].early_finish,
            after[k].early_finish,
            (after[k].early_finish - before[k].early_finish).days,
        )
        for k in acts
        if after[k].early_finish != before[k].early_finish
    ]
    return WhatIf(
        sorted(moves, key=lambda m: (-m.days, m.activity)),
        max((t.early_finish for t in before.values()), default=None),
        max((t.early_finish for t in after.values()), default=None),
    )
