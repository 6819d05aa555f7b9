"""How far each building stands at an instant: the viewer's ghosts and 4D construction playback.

A thin reading of the construction view (:mod:`twin.construction`): a building where nothing
after design has begun is drawn as a ghost of its planned volume; from its foundation on, it
rises storey by storey with its structure (the construction colourer's ``built_share``); its
work done weighs the work stages by their days (:func:`work_done`). Every number is read from
the construction forecast (:mod:`assets.construction.forecast`): the stage's percent (logged or
an estimate, which says it is one), lateness, and the ready date (actual or forecast use).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from assets.clock import local_date
from assets.construction.forecast import (
    StageSchedule,
    built_share,
    current_percent,
    current_stage_schedule,
    forecast_built_share,
    ready_on,
)
from assets.construction.stages import STAGES
from twin.construction import view
from twin.runtime import Twin

WORK_STAGES = ("foundation", "structure", "envelope_mep", "acceptance", "fit_out")
"""Stages that are construction work (design is before it, use after it)."""
UNKNOWN_STAGE_DAYS = 180.0
"""Weight of a work stage still to come that no plan mentions yet, days."""
UNKNOWN_SHARE = 0.5
"""Share counted done of a running stage with neither a report nor a plan (its percent basis
``none``): its weight grows with the days it has run, so counting it 0 would make the building's
work done fall as time passes."""


@dataclass(frozen=True)
class BuildingProgress:
    """One building's construction at an instant.

    Attributes
    ----------
    stage, status : the latest stage begun and ``planned``, ``in_progress`` or ``completed``.
    percent : construction done, 0..100: foundation to fit-out, each stage weighted by its
        planned days and counted at its stage percent (see :func:`work_done`).
    stage_percent, percent_basis : the percent of ``stage`` and how it is known (actual,
        logged, estimate, none), as the construction API gives it.
    begun : whether work after design has started (if not, the building is a ghost).
    rise : share of the storeys standing, 0..1.
    late : any stage behind plan, begun or not (a start that should have happened is late).
    ready : when the building entered use, else the forecast day it will, ISO date, if known.
    """

    stage: str
    status: str
    percent: float
    begun: bool
    rise: float
    late: bool
    ready: str | None
    stage_percent: float = 0.0
    percent_basis: str = "actual"
    forecast_rise: float | None = None
    """Past today: the share of the storeys the forecast known today puts standing on the
    day asked about (``rise`` is then the share standing today); None up to today."""


def buildings_progress(
    twin: Twin, at: datetime, now: datetime | None = None
) -> dict[str, BuildingProgress]:
    """The progress of every building of the campus at ``at`` (work packages left out).

    Past today (``now``, default the clock) each building also carries its forecast rise:
    the storeys the forecast known today puts standing on ``at``'s day (4D playback of the
    rest of the programme), with ``rise`` the storeys standing today.
    """
    v = view(twin, at)
    out = {}
    for entity in v.entities:
        if entity.kind == "building":
            out[entity.id] = _progress(v.schedules[entity.id], v.today, entity.stages)
    now = now or datetime.now(UTC)
    if local_date(at) <= local_date(now):
        return out
    known = view(twin, now)
    for k, p in out.items():
        schedules = known.schedules[k]
        rise = round(built_share(schedules, known.today), 3) if p.begun else 0.0
        ahead = forecast_built_share(schedules, known.today, v.today)
        out[k] = replace(p, rise=rise, forecast_rise=round(max(ahead, rise), 3))
    return out


def _progress(
    schedules: list[StageSchedule], today: date, stages: tuple[str, ...]
) -> BuildingProgress:
    stage, status, stage_percent = current_percent(schedules)
    current = current_stage_schedule(schedules)
    begun = any(s.status != "planned" and s.stage != "design" for s in schedules)
    ready = ready_on(schedules)
    return BuildingProgress(
        stage=stage,
        status=status,
        percent=round(100 * work_done(schedules, today, stages), 1),
        begun=begun,
        rise=round(built_share(schedules, today), 3) if begun else 0.0,
        late=any(s.late for s in schedules),
        ready=ready.isoformat() if ready else None,
        stage_percent=stage_percent,
        percent_basis=current.percent_basis if current else "actual",
    )


def work_done(
    schedules: list[StageSchedule], today: date, stages: tuple[str, ...] = WORK_STAGES
) -> float:
    """Share of the construction work done on ``today``, 0..1.

    Each work stage of ``stages`` weighs its planned days, else the days it took (or has taken
    so far); one the history does not mention yet weighs :data:`UNKNOWN_STAGE_DAYS` if it comes
    after the latest stage begun (earlier ones were skipped). Each counts its stage percent
    (:attr:`~assets.construction.forecast.StageSchedule.percent`: done, logged or estimated;
    :data:`UNKNOWN_SHARE` when nothing tells).
    """
    known = {s.stage: s for s in schedules if s.stage in WORK_STAGES}
    begun = [STAGES.index(s.stage) for s in schedules if s.record.actual_start is not None]
    latest = max(begun, default=-1)
    total = done = 0.0
    for stage in stages:
        if stage not in WORK_STAGES:
            continue
        if stage in known:
            weight = float(max(_stage_days(known[stage], today), 1))
            total, done = total + weight, done + weight * _share(known[stage])
        elif STAGES.index(stage) > latest:
            total += UNKNOWN_STAGE_DAYS
    return done / total if total else 0.0


def _share(s: StageSchedule) -> float:
    """The share of a stage counted done: its stage percent, or :data:`UNKNOWN_SHARE`."""
    return UNKNOWN_SHARE if s.percent_basis == "none" else s.percent / 100


def _stage_days(s: StageSchedule, today: date) -> int:
    """A stage's length for weighting: as planned, else as it went (or has gone so far)."""
    r = s.record
    if r.planned_days:
        return r.planned_days
    if r.actual_start is not None:
        return ((r.actual_end or today) - r.actual_start).days
    return 0
