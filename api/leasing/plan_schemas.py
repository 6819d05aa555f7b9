"""Response models of the stacking plan (JSON). The public's cells carry no tenant; staff cells
name the tenant and the hold or lease that takes the space."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas import LocalisedName


class PublicStackCell(BaseModel):
    space: str = Field(examples=["office-building/L03/U02"])
    label: str = Field(examples=["U02"])
    area_m2: float
    status: str = Field(description="available, unavailable or not_ready (staff: held, leased)")


class StaffStackCell(PublicStackCell):
    tenant: str | None = None
    tenant_name: str | None = None
    ref: str | None = Field(None, description="The hold or lease that takes the space")
    kind: str | None = Field(None, description="hold or lease")
    until: str | None = Field(None, description="First day it is free again")


class PublicStackFloor(BaseModel):
    floor: str
    level: int
    area_m2: float
    vacant_m2: float = Field(description="Area neither held nor let, m²")
    counts: dict[str, int] = Field(description="Spaces by status")
    cells: list[PublicStackCell]


class StaffStackFloor(PublicStackFloor):
    cells: list[StaffStackCell]  # type: ignore[assignment]


class StatusKey(BaseModel):
    status: str = Field(examples=["available"])
    color: str = Field(examples=["#2e8540"], description="sRGB hex, as the 3D view and plans")
    name: LocalisedName


class PublicStackingPlan(BaseModel):
    building: str
    name: LocalisedName
    at: str
    statuses: list[str]
    legend: list[StatusKey] = Field(description="Each status's colour and label, in order")
    area_m2: float
    vacant_m2: float
    floors: list[PublicStackFloor] = Field(description="Top floor first")


class StaffStackingPlan(PublicStackingPlan):
    floors: list[StaffStackFloor]  # type: ignore[assignment]
