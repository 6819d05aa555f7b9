"""Public response models (allow-lists: only the fields named here leave the API)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class CampusSummary(BaseModel):
    """The campus at a glance: areas, floor space by parcel, counts."""

    name: LocalisedName
    origin: Origin
    zones: list[ZoneSummary]
    parcels: list[ParcelSummary]
    counts: Counts
