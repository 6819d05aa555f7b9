"""Response and body models of the campus schedule: activities with their critical-path
dates, what-if moves, baselines and their variance. Dates are campus-local ISO dates; floats
and variances are days."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class LinkOut(BaseModel):
    activity: str = Field(description="The predecessor")
    type: str = Field(description="FS, SS, FF or SF")
    lag_days: float


class ActivityOut(BaseModel):
    id: str
    name: str
    building: str | None = Field(description="The building or work package it plans, if any")
    stage: str | None
    start: date = Field(description="Planned start")
    finish: date = Field(description="Planned finish")
    actual_start: date | None
    actual_finish: date | None
    percent: float
    milestone: bool
    predecessors: list[LinkOut]
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: float = Field(description="Days it can slip without moving the finish")
    free_float: float = Field(description="Days it can slip without moving a successor")
    critical: bool


class ScheduleReport(BaseModel):
    at: str
    finish: date | None = Field(description="The schedule's forecast finish (latest early finish)")
    critical_path: list[str] = Field(description="Critical activities, by early start")
    activities: list[ActivityOut]


class MoveOut(BaseModel):
    activity: str
    milestone: bool
    finish_before: date
    finish_after: date
    days: int = Field(description="Days its early finish moves")


class WhatIfReport(BaseModel):
    at: str
    slips: dict[str, float] = Field(description="Activity -> days of slip asked about")
    finish_before: date | None
    finish_after: date | None
    moved: list[MoveOut] = Field(description="What moves, most first; nothing is written")


class BaselineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class BaselineOut(BaseModel):
    name: str
    saved_at: str


class BaselinesReport(BaseModel):
    at: str
    baselines: list[BaselineOut]


class VarianceOut(BaseModel):
    subject: str = Field(description="Activity id, or building / work package id")
    baseline_start: date
    baseline_finish: date
    start: date = Field(description="Actual start, else planned")
    finish: date = Field(description="Actual finish, else planned")
    start_days: int = Field(description="start - baseline_start, days (positive: later)")
    finish_days: int = Field(description="finish - baseline_finish, days (positive: later)")


class VarianceReport(BaseModel):
    at: str
    baseline: str
    activities: list[VarianceOut]
    buildings: list[VarianceOut]
