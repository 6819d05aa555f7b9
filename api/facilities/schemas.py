"""Response and request models of the facility endpoints (allow-lists, like api.schemas)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import LocalisedName
from assets.text import SafeId, SafeNote

Status = Literal[
    "planned", "under_construction", "operational", "degraded", "fault", "offline", "maintenance"
]
Level = Literal["2N", "N", "none"]
Provenance = Literal["measured", "simulated"]


class MetricValueOut(BaseModel):
    value: float
    unit: str = Field(examples=["°C"])
    observed_at: str
    within_limits: bool = Field(description="Inside the metric's alarm limits")


class FacilityOut(BaseModel):
    """A facility at ``at``: catalogue entry and status; metric values for operations only."""

    id: str = Field(examples=["dc/hall-1"])
    kind: str = Field(examples=["hall"])
    name: LocalisedName
    parent: str | None = Field(examples=["dc"])
    building: str | None = Field(examples=["data-centre"])
    floor: str | None = Field(description="Floor id in the scene", examples=["data-centre/L02"])
    space: str | None = Field(
        description="Leasing space id of a hall or row", examples=["data-centre/H1"]
    )
    racks: int = Field(description="Rack positions (rows; a hall's or data centre's total)")
    status: Status
    effective_status: str = Field(
        description="status combined with power: no_power when nothing feeds it, "
        "lost_redundancy when a 2N facility runs on one feed, else status"
    )
    since: str | None = Field(description="When it took this status (ISO)")
    planned_operational: str | None = Field(description="Planned operational date (ISO)")
    note: str | None = None
    metrics: dict[str, MetricValueOut] | None = Field(
        description="Latest value of each metric at `at` (operations and admin tokens only)"
    )


class RackCountsOut(BaseModel):
    facility: str = Field(examples=["dc"])
    quota: int = Field(description="Energy quota in racks (F6: about 3,000)")
    planned: int = Field(description="Rack positions laid out")
    installed: int = Field(description="Racks installed, as last reported by the rows")
    energised: int = Field(description="Racks energised, as last reported by the rows")
    with_2n: int = Field(description="Rack positions with 2N power at `at`")


class FacilityList(BaseModel):
    at: str = Field(
        description="The instant answered for (ISO, campus time or the request's offset)"
    )
    facilities: list[FacilityOut]
    racks: list[RackCountsOut]
    telemetry: Provenance = Field(
        description="`simulated` when this twin runs in simulation mode (its statuses and "
        "metric values come from `twin simulate`, not from the campus), else `measured`"
    )


class StatusChangeOut(BaseModel):
    seq: int = Field(description="Sequence number of the event in the log")
    facility: str
    at: str = Field(
        description="When the change took effect (ISO, campus time or the request's offset)"
    )
    status: Status
    previous: str | None
    note: str | None
    provenance: Literal["published", "schematic", "measured", "simulated"] = Field(
        default="measured",
        description="Where the change comes from: the campus's history (`published`, "
        "`schematic`), a report (`measured`) or `twin simulate` (`simulated`)",
    )


class StatusChanges(BaseModel):
    changes: list[StatusChangeOut] = Field(description="Newest first")


class MetricPoint(BaseModel):
    at: str = Field(
        description="Observation time, or the start of the bucket "
        "(ISO, campus time or the request's offset)"
    )
    value: float = Field(description="The value, or the bucket's mean")
    min: float | None = None
    max: float | None = None
    count: int | None = Field(default=None, description="Values in the bucket")


class MetricHistory(BaseModel):
    facility: str
    metric: str
    unit: str
    start: str
    end: str
    total: int = Field(description="Values in the range")
    downsampled: bool
    bucket_s: float | None = Field(description="Bucket width (s) when downsampled")
    points: list[MetricPoint]
    provenance: Provenance = Field(
        description="`simulated` when the series holds simulated readings (`twin simulate`), "
        "else `measured`; a series never holds both"
    )


class ReadingIn(BaseModel):
    """One reading (documentation of the request body; each reading is checked on its own)."""

    facility: str = Field(examples=["dc/hall-1"])
    status: Status | None = Field(default=None, description="A status report; or metric")
    note: SafeNote | None = Field(default=None, description="With a status")
    metric: str | None = Field(default=None, examples=["supply_temp_c"])
    value: float | None = None
    unit: str | None = Field(default=None, examples=["°C"])
    observed_at: str = Field(examples=["2025-06-01T08:00:00+08:00"])
    idempotency_key: SafeId | None = None
    provenance: Provenance | None = Field(
        default=None,
        description="`simulated` for readings of `twin simulate` (a twin in simulation mode "
        "takes only those, any other twin none of them); default `measured`",
    )


class ReadingResult(BaseModel):
    index: int = Field(description="Position of the reading in the request")
    result: Literal["accepted", "duplicate", "refused"]
    facility: str | None
    idempotency_key: str | None
    reason: str | None = Field(description="Why not accepted (a code of `reasons`)")
    detail: str | None


class IngestOut(BaseModel):
    accepted: int
    duplicates: int
    refused: int
    results: list[ReadingResult] = Field(description="One per reading, in request order")
    alerts: int = Field(description="Alert events this batch raised or cleared")
    reasons: dict[str, str] = Field(description="Refusal codes and what they mean")


class HallImpactOut(BaseModel):
    hall: str
    floor: str | None
    design: Level
    before: Level
    after: Level
    racks: int
    rows_lost_redundancy: list[str]
    rows_lost_power: list[str]
    racks_lost_redundancy: int
    racks_lost_power: int


class ConsumerImpact(BaseModel):
    facility: str
    before: Level
    after: Level


class Redundancy(BaseModel):
    at: str
    basis: Literal["status", "design"]
    failed: list[str]
    halls_losing_redundancy: list[str]
    halls_losing_power: list[str]
    racks_losing_redundancy: int
    racks_losing_power: int
    halls: list[HallImpactOut]
    others: list[ConsumerImpact] = Field(description="Other facilities whose power changes")


class AlertOut(BaseModel):
    key: str = Field(examples=["feed-down:feed-a"])
    rule: str
    facility: str
    severity: str = Field(examples=["critical"])
    message: str
    since: str | None = None
    metric: str | None = None
    value: float | None = None


class AlertEventOut(BaseModel):
    seq: int
    type: Literal["raised", "cleared"]
    at: str
    alert: AlertOut


class Alerts(BaseModel):
    at: str
    active: list[AlertOut]
    events: list[AlertEventOut] = Field(description="Latest alert events by then, newest first")
    rules: dict[str, str]


class FacilityEvent(BaseModel):
    """One event of the live stream (also its JSON polling form)."""

    seq: int
    event: Literal["status", "alert", "alarm"]
    data: dict[str, object]


class FacilityEvents(BaseModel):
    events: list[FacilityEvent]
    last_seq: int = Field(description="Pass as `since` (or Last-Event-ID) to continue")


class MetricSpecOut(BaseModel):
    name: str
    unit: str
    low: float = Field(description="Valid range: readings outside are refused")
    high: float
    limit_low: float | None = Field(description="Alarm limits: values outside raise an alert")
    limit_high: float | None
    description: str


class TopologyNode(BaseModel):
    id: str
    kind: str
    name: LocalisedName
    parent: str | None
    building: str | None
    floor: str | None
    space: str | None
    racks: int
    provenance: str
    facts: list[str]
    metrics: list[MetricSpecOut]
    supplies: list[str] = Field(description="Facilities this one feeds power to")


class TopologyOut(BaseModel):
    facilities: list[TopologyNode]
    sources: list[str] = Field(description="The external power feeds")
    statuses: list[str] = Field(description="The statuses a facility may report")
