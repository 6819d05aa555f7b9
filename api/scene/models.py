"""Public response models of the viewer's endpoints (allow-lists, like api.schemas)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import LocalisedName


class Citation(BaseModel):
    """Where a fact was published: what a visitor sees (source and date, a link) and the id."""

    id: str = Field(examples=["F5"], description="Fact id (for staff)")
    source: str = Field(examples=["Shanghai Municipal People's Government"])
    date: str | None = Field(default=None, description="Publication day of the source, ISO")
    href: str = Field(
        description="Path of the fact's page for visitors (source, date, original wording and "
        "translation; ?lang=en|zh); /api/v1/facts/{id} gives it as JSON"
    )


class LegendEntry(BaseModel):
    en: str
    zh: str
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#e8a04b"])


class SceneColors(BaseModel):
    """Colours of features by id; a feature not named takes its nearest ancestor's colour
    (``b/L01/U01`` -> ``b/L01`` -> ``b``), else ``defaults`` by kind."""

    mode: str = Field(examples=["visitor"])
    at: str = Field(
        description="The instant answered for (ISO, campus time or the request's offset)"
    )
    colors: dict[str, str] = Field(description='Feature id -> "#rrggbb"')
    legend: list[LegendEntry]
    defaults: dict[str, str] = Field(description='Feature kind -> "#rrggbb"')
    fish_color: str = Field(description='Colour of the fish parcels (ids "fish-…") by default')
    modes: list[str] = Field(description="Every mode this server colours")


class Progress(BaseModel):
    """One building's construction at ``at`` (drives the viewer's ghosts and 4D playback)."""

    stage: str = Field(examples=["structure"])
    status: str = Field(examples=["in_progress"])
    begun: bool = Field(description="Work after design has started; if not, drawn as a ghost")
    rise: float = Field(ge=0, le=1, description="Share of the height standing")
    percent: float = Field(
        ge=0, le=100, description="Construction work done, foundation to fit-out"
    )
    late: bool = Field(description="A stage runs past its planned end or has not begun on time")
    ready: str | None = Field(description="Entered use, else the forecast day it will, ISO date")
    stage_percent: float = Field(ge=0, le=100, description="Percent complete of `stage`")
    percent_basis: str = Field(
        description="How `stage_percent` is known: actual, logged, estimate or none"
    )
    forecast_rise: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Past today: share of the height the forecast known today puts standing "
        "on `at` (then `rise` is the share standing today); null up to today",
    )


class SceneProgress(BaseModel):
    at: str
    buildings: dict[str, Progress]


class Outline(BaseModel):
    id: str
    kind: str = Field(description="park, core or complex")
    name: LocalisedName
    ring: list[tuple[float, float]] = Field(description="Scene-frame [x east, z south], m")


class PoiOut(BaseModel):
    id: str
    feature: str = Field(description="Scene feature id to fly to")
    name: LocalisedName
    description: LocalisedName
    facts: list[str]
    position: tuple[float, float, float] = Field(description="Label anchor, scene frame, m")
    sources: list[Citation] = Field(default=[], description="Where the facts were published")


class Target(BaseModel):
    id: str = Field(examples=["enterprises"])
    value: int
    facts: list[str]


class FacilityRef(BaseModel):
    id: str = Field(examples=["feed-a"])
    kind: str = Field(examples=["power_feed"])
    name: LocalisedName
    building: str | None = Field(description="The building that houses it")


class Pois(BaseModel):
    pois: list[PoiOut]
    outlines: list[Outline]
    targets: list[Target] = Field(description="The park's 2025 targets (F2)")
    names: dict[str, LocalisedName] = Field(description="Zone, parcel and building names by id")
    facilities: list[FacilityRef]
    citations: dict[str, Citation] = Field(
        default={}, description="Every fact of the campus by id: its source's name, date and link"
    )


class FeatureCard(BaseModel):
    """Public facts of one scene feature: what a visitor may see when picking it."""

    id: str
    kind: str = Field(examples=["unit"])
    name: LocalisedName
    building: str | None = None
    floor: str | None = None
    level: int | None = None
    use: str | None = None
    area_m2: float | None = Field(default=None, description="Planar area, m²")
    area_basis: Literal["land", "floor"] | None = Field(
        default=None,
        description="What area_m2 measures: land (zone, parcel) or floor (floor, unit)",
    )
    gfa_m2: float | None = Field(
        default=None,
        description="Floor space, m²: a building's, or of the buildings on a parcel or zone",
    )
    storeys: int | None = None
    height_m: float | None = None
    facts: list[str] = []
    sources: list[Citation] = Field(default=[], description="Where the facts were published")
    stage: str | None = None
    percent: float | None = Field(
        default=None, ge=0, le=100, description="Percent complete of the stage, 0-100"
    )
    percent_basis: str | None = Field(
        default=None,
        description="How the percent is known: actual (completed), logged (reported) or "
        "estimate (elapsed share of the planned duration, no report yet)",
    )
    late: bool | None = Field(default=None, description="Its building has work behind plan")
    ready: str | None = Field(
        default=None,
        description="Day its building entered use, else the forecast day it will (ISO)",
    )
    facility_status: str | None = Field(
        default=None,
        description="Effective status of the facilities in it (own reports and power: "
        "no_power, lost_redundancy...), as the facilities mode colours it",
    )


class ViewerCapabilities(BaseModel):
    """What this server offers the browser client: colouring modes and optional endpoints."""

    modes: list[str]
    availability: str | None = Field(description="Leasing availability search, if served")
    stacking_plan: str | None = Field(description="A building's stacking plan, path template")
    prospects: str | None = Field(None, description="The deal pipeline's prospects (leasing role)")
    proposals: str | None = Field(None, description="Proposals of adjacent units (leasing role)")
    occupancy: str | None = Field(None, description="Occupancy KPIs (leasing role)")
    facilities_stream: str | None = Field(description="Facility status events (SSE), if served")
    telemetry: Literal["measured", "simulated"] = Field(
        default="measured",
        description="`simulated` when the twin runs in simulation mode: the facilities mode "
        "then says its data are simulated",
    )
    alarms: str | None = Field(None, description="Facility alarms (operations role), if served")
