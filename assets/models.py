"""Pydantic models of the dataset files (``assets/data/<dataset>/*.json``).

Coordinates are EPSG:32651 metres. Every published number is a :class:`Claim` citing a fact id
of ``facts.json``; detail the sources do not give is marked ``provenance: "schematic"``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Id = str
Ring = list[tuple[float, float]]
"""A closed or open exterior ring of (x, y) EPSG:32651 metres."""

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
UNIT_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*$"
"""A unit's code within its floor: the last part of its id (``fish-head-t1/L12/U03``)."""
Provenance = Literal["published", "derived", "schematic", "surveyed"]
"""Where geometry comes from: a publication, computed from one, invented, or a survey/BIM import."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(Strict):
    """A name in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Claim(Strict):
    """A published number the geometry must reproduce within ``tolerance`` (relative)."""

    quantity: Literal["area_m2", "gfa_m2"]
    value: float = Field(gt=0)
    tolerance: float = Field(ge=0, le=0.05)
    facts: list[str] = Field(min_length=1)
    note: str = ""


class Fact(Strict):
    """One published fact (``campus-facts.md``)."""

    id: str = Field(pattern=r"^[FS]\d+$")
    en: str
    zh: str = ""
    source: str


class Origin(Strict):
    """The campus origin of the local scene frame."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    provenance: Provenance
    facts: list[str] = []


class Zone(Strict):
    """An area of the park: the park itself, its core, the fish-shaped complex."""

    id: Id = Field(pattern=ID_PATTERN)
    kind: Literal["park", "core", "complex"]
    name: Name
    parent: Id | None = None
    polygon: Ring = Field(min_length=3)
    claims: list[Claim] = []
    provenance: Provenance
    facts: list[str] = []


class Parcel(Strict):
    """A plot of land inside a zone."""

    id: Id = Field(pattern=ID_PATTERN)
    name: Name
    zone: Id
    role: str = Field(description="head, body, tail, fin, plot", min_length=1)
    polygon: Ring = Field(min_length=3)
    claims: list[Claim] = []
    provenance: Provenance
    facts: list[str] = []


class Layout(Strict):
    """How each floor is cut into leasable units: facade depth and bay width, m."""

    depth_m: float = Field(gt=0)
    bay_width_m: float = Field(gt=0)


class UnitPlan(Strict):
    """A leasable unit drawn on a floor plate (from a survey or a BIM model)."""

    code: str = Field(pattern=UNIT_CODE_PATTERN, max_length=40)
    polygon: Ring = Field(min_length=3)
    name: Name | None = None


class FloorPlan(Strict):
    """One storey's plate and its units, as drawn (EPSG:32651 m)."""

    level: int = Field(ge=1, le=150)
    polygon: Ring = Field(min_length=3)
    units: list[UnitPlan] = []


class Building(Strict):
    """A building: a footprint extruded over ``storeys`` floors of ``storey_height_m``.

    Floors and units are derived from the footprint and ``layout`` unless ``floors`` draws
    them explicitly (one plan per storey, levels 1..storeys).
    """

    id: Id = Field(pattern=ID_PATTERN)
    name: Name
    parcel: Id
    use: Literal["office", "mixed", "data_centre", "service"]
    footprint: Ring = Field(min_length=3)
    storeys: int = Field(ge=1, le=150)
    storey_height_m: float = Field(gt=2, le=12)
    layout: Layout | None = Field(default=None, description="null: no leasable units")
    floors: list[FloorPlan] | None = Field(
        default=None, description="explicit floor plates and units; null: derived from layout"
    )
    claims: list[Claim] = []
    provenance: Provenance
    facts: list[str] = []


class Facility(Strict):
    """A facility or system of the campus (data centre, power feed, service centre...)."""

    id: Id = Field(pattern=ID_PATTERN)
    name: Name
    kind: Literal["data_centre", "power_feed", "service_centre"]
    building: Id | None = None
    location: tuple[float, float] | None = None
    rack_quota: int | None = Field(default=None, ge=0)
    description: Name | None = None
    provenance: Provenance
    facts: list[str] = []


class SiteFile(Strict):
    """``site.json``: the origin, zones and parcels."""

    crs: Literal["EPSG:32651"]
    origin: Origin
    zones: list[Zone]
    parcels: list[Parcel]


class BuildingsFile(Strict):
    """``buildings.json``."""

    crs: Literal["EPSG:32651"]
    buildings: list[Building]


class FacilitiesFile(Strict):
    """``facilities.json``."""

    crs: Literal["EPSG:32651"]
    facilities: list[Facility]


class FactsFile(Strict):
    """``facts.json``: the published facts the dataset cites."""

    facts: list[Fact]
