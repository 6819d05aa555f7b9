"""Planned against actual, and forecasts: each stage's schedule as known at a date.

Forecast of a stage, as known on day ``today`` (all dates campus-local):

* completed: its actual dates (basis ``actual``);
* in progress with a percent ``p`` > 0 reported on day ``r`` after its start ``s``: the rate
  so far ``p / (r - s)`` %/day carries it to 100 %, finishing on
  ``r + ceil((100 - p) / rate)`` (basis ``progress``) -- when that is earlier than the
  forecast it would have with no report at all (the start plus the planned duration); else
  that one (basis ``plan``, the rate still given). Reporting progress can only bring a
  forecast forward, never push it back: slow work shows as late once its planned end passes
  (``overdue``), not by a forecast that punishes the report;
* in progress without such a report: the start plus the planned duration (basis ``plan``);
* not started: it starts on the latest of its planned start, today, and the forecast dates of
  the stages it waits for (:func:`~assets.construction.stages.plan_links`, the links of the
  schedule network: the start rules, and fit-out planned after acceptance), and lasts
  its planned duration (basis ``plan``). A stage whose planned start has passed therefore
  starts, in the forecast, on the instant asked about.

Percent complete of a stage (one number for the API, the CLI, the cards and the colours):
``actual`` 100 once completed and 0 before it starts; ``logged`` when a report gave it (any
report after the start, or a percent > 0); else ``estimate``: the elapsed share of its
planned duration, at most :data:`ESTIMATE_CAP` % (``none``, 0, with no plan to tell).

Lateness counts work that has not started but should have: a stage whose planned start is
more than :data:`TOLERANCE_DAYS` behind is ``late_start``, one whose planned end has passed
``overdue``, whether or not it has begun.

A stage not completed by ``today`` cannot finish before ``today``, nor before the forecast
end of the stages it must not finish ahead of
(its finish-to-start and finish-to-finish :func:`~assets.construction.stages.plan_links`): a
forecast earlier than that
moves to it. Slip is the forecast (or actual) end minus the planned end, days; positive is late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from assets.construction.catalogue import Entity
from assets.construction.stages import (
    STAGES,
    PlanLink,
    Requirement,
    StageRecord,
    State,
    known_stages,
    plan_links,
    stage_record,
)

Basis = Literal["actual", "progress", "plan", "none"]
PercentBasis = Literal["actual", "logged", "estimate", "none"]
ESTIMATE_CAP = 95.0
"""A running stage with no report is estimated at most this percent done, however late."""
Status = Literal["planned", "in_progress", "completed"]
Lateness = Literal[
    "on_track", "late_start", "forecast_late", "overdue", "finished_late", "unplanned"
]
LATE = ("late_start", "forecast_late", "overdue")
"""Open work that is behind plan (drawn red)."""
TOLERANCE_DAYS = 7
"""Slack before open work counts as late, days: a start or a forecast end up to a week behind
plan is on track (the slip is still reported); a planned end passed is overdue at once."""


@dataclass(frozen=True)
class StageSchedule:
    """One stage of one entity as known on ``today``: plan, actuals, forecast, slip."""

    entity: str
    stage: str
    record: StageRecord
    status: Status
    forecast_start: date | None
    forecast_end: date | None
    basis: Basis
    lateness: Lateness
    slip_days: int | None
    """Forecast (or actual) end minus planned end, days; > 0 is late."""
    start_slip_days: int | None
    """Actual (or forecast) start minus planned start, days."""
    baseline_slip_days: int | None
    """Forecast (or actual) end minus the first planned end, days."""
    rate_percent_per_day: float | None
    """Progress rate so far, % per day (None without a report to measure it)."""
    percent: float = 0.0
    """Percent complete on ``today``, 0-100: logged, or an estimate (see ``percent_basis``)."""
    percent_basis: PercentBasis = "actual"
    """How ``percent`` is known: actual, logged (reported), estimate (elapsed share of the
    plan) or none (begun, with neither a report nor a plan)."""

    @property
    def late(self) -> bool:
        return self.lateness in LATE


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else (a - b).days


def _rate(r: StageRecord) -> float | None:
    if r.actual_start is None or r.progress_on is None or r.percent <= 0:
        return None
    elapsed = (r.progress_on - r.actual_start).days
    return r.percent / elapsed if elapsed > 0 else None


def _forecast(
    r: StageRecord, today: date, start_after: date | None, end_after: date | None
) -> tuple[date | None, date | None, Basis, float | None]:
    """(start, end, basis, rate); ``start_after``/``end_after``: forecasts it waits for."""
    if r.actual_end is not None:
        return r.actual_start, r.actual_end, "actual", None
    duration = r.planned_days
    floor = max(today, end_after or today)
    if r.actual_start is not None:
        rate = _rate(r)
        planned = None if duration is None else r.actual_start + timedelta(days=duration)
        if rate is not None and r.progress_on is not None:
            end = r.progress_on + timedelta(days=math.ceil((100 - r.percent) / rate - 1e-9))
            if planned is None or end < planned:  # never worse than without the report
                return r.actual_start, max(end, floor), "progress", rate
        if planned is None:
            return r.actual_start, None, "none", None
        return r.actual_start, max(planned, floor), "plan", rate
    if r.planned_start is None or duration is None:
        return None, None, "none", None
    start = max(r.planned_start, today, start_after or today)
    return start, max(start + timedelta(days=duration), floor), "plan", None


def stage_percent(r: StageRecord, today: date) -> tuple[float, PercentBasis]:
    """Percent complete of a stage on ``today`` and how it is known (module docstring)."""
    if r.actual_end is not None:
        return 100.0, "actual"
    if r.actual_start is None:
        return 0.0, "actual"
    reported = r.progress_on is not None and r.progress_on > r.actual_start
    if r.percent > 0 or reported:
        return r.percent, "logged"
    days = r.planned_days
    if not days:
        return 0.0, "none"
    share = max(0.0, min((today - r.actual_start).days / days * 100, ESTIMATE_CAP))
    return round(share, 1), "estimate"


def _need(link: PlanLink) -> Requirement:
    """What a plan link asks of its predecessor: its start (SS), else its completion."""
    need: Literal["started", "completed"] = "started" if link.kind == "SS" else "completed"
    return Requirement(link.stage, need, link.rule)


def _latest(reqs: list[Requirement], done: dict[str, StageSchedule]) -> date | None:
    """The latest forecast date among the requirements met so far (None: none to wait for)."""
    dates = []
    for req in reqs:
        before = done.get(req.stage)
        if before is not None:
            when = before.forecast_end if req.need == "completed" else before.forecast_start
            if when is not None:
                dates.append(when)
    return max(dates) if dates else None


def _lateness(r: StageRecord, today: date, slip: int | None) -> Lateness:
    if r.planned_end is None:
        return "unplanned"
    if r.actual_end is not None:
        return "finished_late" if r.actual_end > r.planned_end else "on_track"
    if r.planned_end < today:
        return "overdue"
    grace = timedelta(days=TOLERANCE_DAYS)
    if r.actual_start is None and r.planned_start is not None and r.planned_start + grace < today:
        return "late_start"
    return "forecast_late" if slip is not None and slip > TOLERANCE_DAYS else "on_track"


def schedule(entity: Entity, state: State, today: date) -> list[StageSchedule]:
    """The stages of ``entity`` its history mentions, in order, as known on ``today``."""
    known = known_stages(state)
    out: dict[str, StageSchedule] = {}
    for stage in entity.stages:
        r = stage_record(state, stage)
        if not r.known:
            continue
        links = plan_links(stage, entity.stages, known)
        start_after = _latest([_need(p) for p in links if p.kind != "FF"], out)
        end_after = _latest([_need(p) for p in links if p.kind != "SS"], out)
        start, end, basis, rate = _forecast(r, today, start_after, end_after)
        slip = _days(end, r.planned_end)
        status: Status = "completed" if r.completed else "in_progress" if r.started else "planned"
        percent, percent_basis = stage_percent(r, today)
        out[stage] = StageSchedule(
            entity=entity.id,
            stage=stage,
            record=r,
            status=status,
            forecast_start=start,
            forecast_end=end,
            basis=basis,
            lateness=_lateness(r, today, slip),
            slip_days=slip,
            start_slip_days=_days(start, r.planned_start),
            baseline_slip_days=_days(end, r.baseline_end),
            rate_percent_per_day=rate,
            percent=percent,
            percent_basis=percent_basis,
        )
    return list(out.values())


def late_stages(
    schedules: list[StageSchedule], include_completed: bool = False
) -> list[StageSchedule]:
    """Stages behind plan, most slip first (then entity, stage order).

    Open work counts when it is overdue, started late or forecast to end late; finished work
    when it ended after its planned end and ``include_completed`` is set.
    """
    chosen = [
        s for s in schedules if s.late or (include_completed and s.lateness == "finished_late")
    ]
    return sorted(chosen, key=lambda s: (-(s.slip_days or 0), s.entity))


def current_stage_schedule(schedules: list[StageSchedule]) -> StageSchedule | None:
    """The latest stage begun (None before anything has)."""
    begun = [s for s in schedules if s.status != "planned"]
    return begun[-1] if begun else None


def current_percent(schedules: list[StageSchedule]) -> tuple[str, str, float]:
    """The latest stage begun, its status and percent (``("design", "planned", 0)`` if none);
    the percent is :attr:`StageSchedule.percent` (logged or estimated)."""
    last = current_stage_schedule(schedules)
    if last is None:
        return "design", "planned", 0.0
    return last.stage, last.status, last.percent


def ready_on(schedules: list[StageSchedule]) -> date | None:
    """The day the entity entered use, else the forecast day it will (its ``in_use`` stage's
    actual, else forecast, start); None when no plan mentions use.

    This, not a planned date, is what readiness reads: a planned start of use that has passed
    without the building entering use moves with the forecast.
    """
    use = next((s for s in schedules if s.stage == "in_use"), None)
    if use is None:
        return None
    return use.record.actual_start or use.forecast_start


_BUILDING = Entity("building", "building", "", "", "", 0.0, STAGES)
"""Any building, as :func:`schedule` sees it (stages and rules are those of every building)."""


def building_ready_on(state: State, today: date) -> date | None:
    """:func:`ready_on` of a building whose stream is in ``state``, as known on ``today``."""
    return ready_on(schedule(_BUILDING, state, today))


def built_share(schedules: list[StageSchedule], today: date) -> float:
    """Share of the storeys standing on ``today``, 0-1 (1 once topped out or beyond)."""
    structure = next((s for s in schedules if s.stage == "structure"), None)
    later = any(s.status != "planned" and STAGES.index(s.stage) > 2 for s in schedules)
    if structure is None:
        return 1.0 if later else 0.0
    r = structure.record
    if r.completed or later:
        return 1.0
    if not r.started:
        return 0.0
    if structure.percent_basis == "none":
        return 1.0  # begun, with neither a report nor a plan to tell how far: all of it
    return min(structure.percent / 100, 1.0)


def forecast_built_share(schedules: list[StageSchedule], today: date, day: date) -> float:
    """Share of the storeys the forecast known on ``today`` puts standing on ``day``, 0-1.

    Up to ``today`` it is :func:`built_share`; after it the structure rises, storey by storey,
    from today's share to all of them over its forecast days left (from its forecast start,
    or today if later, to its forecast end). Without a forecast structure: today's share.
    """
    now = built_share(schedules, today)
    structure = next((s for s in schedules if s.stage == "structure"), None)
    if day <= today or now >= 1 or structure is None:
        return now
    start, end = structure.forecast_start, structure.forecast_end
    if start is None or end is None:
        return now
    begin = max(start, today)
    if day >= end:
        return 1.0
    if day <= begin or end <= begin:
        return now
    return now + (1 - now) * (day - begin).days / (end - begin).days
