"""Response models of the PUE and power capacity endpoints (allow-lists)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.facilities.schemas import Level


class Provenance(BaseModel):
    value: float = Field(description="The design figure")
    provenance: str = Field(description="`schematic`: an engineering assumption, not published")
    source: str = Field(description="Where the figure is defined")


class RatioOut(BaseModel):
    value: float | None = Field(description="Total over IT power; null without readings")
    total_kw: float = Field(description="Facility (or distribution) input power, kW")
    it_kw: float = Field(description="IT power: the rack rows' load, kW")
    readings: int = Field(description="Facilities whose latest reading was used")
    missing: list[str] = Field(description="Facilities without a reading by then")


class HallPue(BaseModel):
    hall: str = Field(examples=["dc/hall-1"])
    partial_pue: RatioOut = Field(description="The hall's PDUs' input over its rows' load")


class DataCentrePue(BaseModel):
    data_centre: str = Field(examples=["dc"])
    pue: RatioOut = Field(description="External feeds' load over rack rows' load")
    halls: list[HallPue]


class PuePoint(BaseModel):
    at: str
    pue: float | None
    total_kw: float
    it_kw: float


class PueSeries(BaseModel):
    data_centre: str
    points: list[PuePoint]


class PueOut(BaseModel):
    at: str = Field(description="The instant of `data_centres` (live figures)")
    design_pue: Provenance
    wue: None = Field(
        None, description="Water usage effectiveness: not computed, no water metric is catalogued"
    )
    data_centres: list[DataCentrePue]
    start: str | None = Field(None, description="Start of the series (with `start`/`end`)")
    end: str | None = None
    step_s: float | None = Field(None, description="Seconds between the series' instants")
    series: list[PueSeries] | None = Field(
        None, description="PUE every `step` from `start` to `end` (latest readings at each)"
    )


class CapacityOut(BaseModel):
    facility: str = Field(examples=["dc/hall-1/row-01"])
    kind: str = Field(examples=["rack_row"])
    parent: str | None
    space: str | None = Field(description="Leasing space id of a hall or row")
    floor: str | None = Field(
        description="Scene floor id it stands on", examples=["data-centre/L02"]
    )
    level: Level | None = Field(description="Power redundancy of a hall or row now")
    racks: int = Field(description="Rack positions fed or held")
    racks_allocated: int = Field(description="Of them, taken by leases and holds")
    design_kw: float
    allocated_kw: float = Field(description="Racks allocated × the rack design power")
    drawn_kw: float | None = Field(description="Latest power reading; null without one")
    headroom_kw: float = Field(description="design − max(allocated, drawn)")
    load_share: float | None = Field(description="drawn / design (the heat map's figure)")


class RowFitOut(BaseModel):
    row: str
    space: str | None
    free_racks: int = Field(description="Racks the leasing search finds free in the row")
    headroom_kw: float
    placeable: int = Field(description="Racks of the size asked the row can take")


class HallFitOut(BaseModel):
    hall: str
    space: str | None
    level: Level | None
    placeable: int = Field(description="Racks of the size asked the hall's rows can take")
    fits: bool
    rows: list[RowFitOut]


class FitOut(BaseModel):
    racks: int
    kw_per_rack: float
    redundancy: Level | None
    total_kw: float = Field(description="racks × kw_per_rack")
    fits: list[str] = Field(description="Halls that take every rack, most room first")
    halls: list[HallFitOut]


class CapacityList(BaseModel):
    at: str
    rack_design_kw: Provenance
    design_pue: Provenance
    facilities: list[CapacityOut]
    fit: FitOut | None = Field(None, description="Where the racks asked for fit (`racks=`)")
