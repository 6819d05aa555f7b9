"""Bodies and answers of the alarm routes (times in the request's zone, campus time by default)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas import LocalisedName


class OperatorStep(BaseModel):
    by: str = Field(description="The token name of who took the step (`clock`: the twin)")
    at: str
    comment: str = ""


class ShelfOut(OperatorStep):
    until: str = Field(description="When the alarm unshelves by itself")


class AlarmOut(BaseModel):
    id: str = Field(
        description="Stable id: the rule's key, `@`, the instant raised (UTC)",
        examples=["feed-down:feed-a@20261204T060000Z"],
    )
    key: str = Field(description="The alert rule's key (one alarm at a time per key)")
    rule: str
    facility: str
    facility_name: LocalisedName
    building: str | None = Field(description="The building that houses the facility")
    severity: str = Field(examples=["critical"])
    state: str = Field(description="active (unacknowledged), acknowledged, shelved or cleared")
    message: str
    metric: str | None = None
    value: float | None = None
    raised_at: str
    age_s: float = Field(description="Seconds from its raise to the answer's instant (or clear)")
    escalation: int = Field(description="Escalations so far while unacknowledged (0: none)")
    escalated_at: str | None = None
    acknowledged: OperatorStep | None = None
    shelved: ShelfOut | None = None
    cleared_at: str | None = None
    cleared_message: str | None = None


class AlarmList(BaseModel):
    at: str
    alarms: list[AlarmOut]
    counts: dict[str, int] = Field(description="Alarms by state among those listed")


class AcknowledgeIn(BaseModel):
    comment: str = Field("", max_length=500, description="What is being done about it")


class ShelveIn(BaseModel):
    until: AwareDatetime = Field(
        description="When the alarm unshelves by itself (ISO 8601 with an offset; at most 7 "
        "days ahead)",
        examples=["2026-12-04T16:00:00+08:00"],
    )
    comment: str = Field("", max_length=500, description="Why it is shelved")
