"""Response and request models of the construction API (dates are campus-local ISO dates)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import IsoDate, LocalisedName
from assets.construction.catalogue import Entity
from assets.construction.forecast import StageSchedule, current_percent, current_stage_schedule
from assets.text import SafeNote


class StageOut(BaseModel):
    """One stage: the plan, what happened, the forecast and the slip."""

    stage: str = Field(examples=["envelope_mep"])
    name: LocalisedName
    status: str = Field(description="planned, in_progress or completed")
    planned_start: date | None
    planned_end: date | None
    baseline_start: date | None = Field(description="The first planned start")
    baseline_end: date | None = Field(description="The first planned end")
    actual_start: date | None
    actual_end: date | None
    percent: float = Field(description="Percent complete, 0-100 (logged, or an estimate)")
    percent_basis: str = Field(
        description="actual, logged (reported), estimate (elapsed share of the plan) or none"
    )
    logged_percent: float = Field(description="The latest reported percent, 0-100")
    progress_on: date | None = Field(description="Date of the latest percent")
    forecast_start: date | None
    forecast_end: date | None
    forecast_basis: str = Field(description="actual, progress (rate so far), plan or none")
    rate_percent_per_day: float | None = Field(description="Progress rate so far, %/day")
    lateness: str = Field(
        description="on_track, late_start, forecast_late, overdue, finished_late or unplanned"
    )
    late: bool = Field(description="Open work behind plan")
    slip_days: int | None = Field(description="Forecast (or actual) end minus planned end, days")
    start_slip_days: int | None = Field(
        description="Actual (or forecast) start minus planned start"
    )
    baseline_slip_days: int | None = Field(description="Forecast (or actual) end minus first plan")


class EntityStatus(BaseModel):
    """A building or work package: its current stage and percent."""

    id: str = Field(examples=["fish-head-t1"])
    kind: str = Field(description="building or works (a facility work package)")
    name: LocalisedName
    parcel: str = Field(examples=["fish-head"])
    gfa_m2: float = Field(description="Gross floor area, m² (0 for a work package)")
    stage: str = Field(description="Latest stage begun (design … in_use)")
    stage_name: LocalisedName
    status: str = Field(description="planned, in_progress or completed")
    percent: float = Field(description="Percent complete of that stage, 0-100")
    percent_basis: str = Field(description="actual, logged, estimate or none")
    late: bool = Field(description="Any open stage behind plan")


class EntitySchedule(EntityStatus):
    """A building or work package with every stage its history mentions."""

    stages: list[StageOut]


class BuildingsReport(BaseModel):
    at: str = Field(
        description="The instant answered for (ISO, campus time or the request's offset)"
    )
    buildings: list[EntityStatus]


class LateStage(StageOut):
    """A stage behind plan, with the building or work package it belongs to."""

    building: str = Field(examples=["fish-head-t1"])
    kind: str
    parcel: str


class LateReport(BaseModel):
    at: str
    count: int
    stages: list[LateStage] = Field(description="Most slip first")


class MilestoneOut(BaseModel):
    id: str = Field(examples=["fish-head-ready-for-acceptance"])
    name: LocalisedName
    due: date
    facts: list[str]
    stage: str
    edge: str = Field(description="start or end of the stage")
    buildings: list[str] = Field(description="Buildings or work packages that must reach it")
    status: str = Field(description="achieved, achieved_late, on_track, at_risk or late")
    reached: int = Field(description="How many have reached it")
    actual: date | None = Field(description="When the last one reached it")
    forecast: date | None = Field(description="When the last one is expected to")
    margin_days: int | None = Field(description="Due minus actual or forecast date; < 0 is late")


class MilestonesReport(BaseModel):
    at: str
    milestones: list[MilestoneOut]


class GfaScope(BaseModel):
    scope: str = Field(description="A parcel id, or campus", examples=["fish-head"])
    total_m2: float = Field(description="GFA of the scope's buildings, m²")
    actual_m2: dict[str, float] = Field(description="topped_out, accepted, in_use: m² by then")
    planned_m2: dict[str, float] = Field(description="The same, had the plan held, m²")


class GfaReport(BaseModel):
    at: str
    scopes: list[GfaScope] = Field(description="Each parcel with buildings, then the campus")


class GfaPoint(BaseModel):
    day: date
    actual_m2: dict[str, float] | None = Field(description="Null after the as-of date")
    planned_m2: dict[str, float]


class GfaSeries(BaseModel):
    at: str
    scope: str
    total_m2: float
    points: list[GfaPoint] = Field(description="The first of each month, and the as-of date")


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # unknown fields are refused, not ignored

    on: IsoDate | None = Field(default=None, description="Actual start date; default today")


class CompleteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # unknown fields are refused, not ignored

    on: IsoDate | None = Field(default=None, description="Actual completion date; default today")


class ProgressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # unknown fields are refused, not ignored

    percent: float = Field(description="Percent complete, 0-100", examples=[45])
    on: IsoDate | None = Field(default=None, description="Date of the report; default today")
    correction_reason: SafeNote | None = Field(
        default=None, max_length=500, description="Required to set progress back"
    )


class RescheduleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")  # unknown fields are refused, not ignored

    planned_start: IsoDate | None = None
    planned_end: IsoDate | None = None
    reason: SafeNote = Field(max_length=500, description="Why; kept in the history")


class CommandResult(BaseModel):
    """What a command wrote and the stage as it is now."""

    building: str
    events: list[int] = Field(description="Sequence numbers of the events written")
    stage: StageOut


def stage_out(entity: Entity, s: StageSchedule) -> StageOut:
    r = s.record
    zh, en = entity.stage_name(s.stage)
    return StageOut(
        stage=s.stage,
        name=LocalisedName(zh=zh, en=en),
        status=s.status,
        planned_start=r.planned_start,
        planned_end=r.planned_end,
        baseline_start=r.baseline_start,
        baseline_end=r.baseline_end,
        actual_start=r.actual_start,
        actual_end=r.actual_end,
        percent=s.percent,
        percent_basis=s.percent_basis,
        logged_percent=r.percent,
        progress_on=r.progress_on,
        forecast_start=s.forecast_start,
        forecast_end=s.forecast_end,
        forecast_basis=s.basis,
        rate_percent_per_day=(
            None if s.rate_percent_per_day is None else round(s.rate_percent_per_day, 4)
        ),
        lateness=s.lateness,
        late=s.late,
        slip_days=s.slip_days,
        start_slip_days=s.start_slip_days,
        baseline_slip_days=s.baseline_slip_days,
    )


def entity_status(entity: Entity, schedules: list[StageSchedule]) -> EntityStatus:
    stage, status, percent = current_percent(schedules)
    current = current_stage_schedule(schedules)
    zh, en = entity.stage_name(stage)
    return EntityStatus(
        id=entity.id,
        kind=entity.kind,
        name=LocalisedName(zh=entity.name_zh, en=entity.name_en),
        parcel=entity.parcel,
        gfa_m2=entity.gfa_m2,
        stage=stage,
        stage_name=LocalisedName(zh=zh, en=en),
        status=status,
        percent=percent,
        percent_basis=current.percent_basis if current else "actual",
        late=any(s.late for s in schedules),
    )


def late_stage(entity: Entity, s: StageSchedule) -> LateStage:
    return LateStage(
        **stage_out(entity, s).model_dump(),
        building=entity.id,
        kind=entity.kind,
        parcel=entity.parcel,
    )
