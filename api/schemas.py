"""Public response models (allow-lists: only the fields named here leave the API)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

MAX_OFFSET = 1_000_000_000
"""Largest ``offset`` of a paged list (beyond any list the twin holds): a declared range keeps
huge numbers a 4xx naming the parameter, never a failure deep inside."""


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class LocalisedName(BaseModel):
    zh: str
    en: str


class ZoneSummary(BaseModel):
    id: str = Field(examples=["core"])
    kind: str = Field(examples=["core"], description="park, core or complex")
    name: LocalisedName
    area_m2: float = Field(description="Planar area in EPSG:32651, m²")
    gfa_m2: float = Field(description="Gross floor area of the buildings inside, m²")
    facts: list[str] = Field(description="Ids of the published facts this zone encodes")


class ParcelSummary(BaseModel):
    id: str = Field(examples=["fish-head"])
    name: LocalisedName
    zone: str
    area_m2: float
    gfa_m2: float


class Counts(BaseModel):
    zones: int
    parcels: int
    buildings: int
    floors: int
    units: int
    facilities: int


class Origin(BaseModel):
    lon: float
    lat: float
    x: float = Field(description="EPSG:32651 easting, m")
    y: float = Field(description="EPSG:32651 northing, m")


class BuildingStatus(BaseModel):
    id: str = Field(examples=["fish-head-t1"])
    stage: str = Field(
        description="Latest stage begun (design … in_use)", examples=["envelope_mep"]
    )
    status: str = Field(description="planned, in_progress or completed", examples=["in_progress"])


class FacilityStatus(BaseModel):
    id: str = Field(examples=["feed-a"])
    status: str = Field(examples=["under_construction"])
    effective_status: str = Field(
        default="planned",
        description="Its own status combined with its power: no_power, lost_redundancy, or "
        "the reported status (what the facilities mode colours)",
    )
    planned_operational: str | None = None


class CampusState(BaseModel):
    """What the history says about the campus at ``at``."""

    at: str = Field(
        description="The instant answered for (ISO, campus time or the request's offset)"
    )
    milestones: list[str] = Field(description="Milestones reached by then (F1, F10, S1, S3)")
    enterprises: int | None = Field(description="Enterprises moved in, last reported (F9, S5)")
    enterprises_qualifier: str = ""
    buildings: list[BuildingStatus]
    facilities: list[FacilityStatus]


class EventOut(BaseModel):
    """One event of the log, as the public sees it (no actor)."""

    seq: int
    stream: str = Field(examples=["building:fish-head-t1"])
    version: int
    type: str = Field(examples=["StageCompleted"])
    effective_at: str
    recorded_at: str
    data: dict[str, object]


_SOURCED = ("facts", "provenance")
_STAGE = ("stage", "on", "percent", "planned_start", "planned_end", *_SOURCED)
PUBLIC_EVENT_DATA: dict[str, frozenset[str]] = {
    "MilestoneReached": frozenset({"milestone", "name", *_SOURCED}),
    "EnterprisesReported": frozenset({"count", "qualifier", *_SOURCED}),
    **{
        t: frozenset(_STAGE)  # not a reschedule's reason or a progress correction's reason
        for t in ("StagePlanned", "StageRescheduled", "StageStarted", "StageProgressed")
    },
    "StageCompleted": frozenset(_STAGE),
    "FacilityPlanned": frozenset({"planned_operational", *_SOURCED}),
    "FacilityStatusChanged": frozenset({"status", *_SOURCED}),
    "FacilityStatusReported": frozenset({"status"}),  # not the operator's note
    "GeometryDefined": frozenset({"kind", "id", "model"}),  # not the import's source file
    "GeometryRemoved": frozenset({"kind", "id"}),
}
"""The event types the public sees in the event log, each with the data fields it sees: an
allow-list (leasing streams, metric values, alerts, notes, reasons and actors are not named, so
not shown), as the other public endpoints answer with allow-listed models."""


def public_event_data(event_type: str, data: Mapping[str, object]) -> dict[str, object]:
    """The allow-listed fields of one public event's ``data`` (see :data:`PUBLIC_EVENT_DATA`)."""
    allowed = PUBLIC_EVENT_DATA[event_type]
    return {k: v for k, v in data.items() if k in allowed}


class StaffEventOut(EventOut):
    """One event of the log, as token holders see it."""

    actor: str = Field(description="Who caused it", examples=["construction:li.wei"])


class EventPage(BaseModel):
    events: list[StaffEventOut | EventOut]
    next: str | None = Field(description="URL of the next page, null at the end of the log")


class CampusSummary(BaseModel):
    """The campus at a glance: areas, floor space by parcel, counts."""

    name: LocalisedName
    origin: Origin
    zones: list[ZoneSummary]
    parcels: list[ParcelSummary]
    counts: Counts
    state: CampusState


def _iso_only(value: object) -> object:
    """Dates in request bodies are ISO strings (JSON has no date type): never numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("give a date as an ISO string such as 2026-01-01, not a number")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
"""A date field of a request body: an ISO date string."""
