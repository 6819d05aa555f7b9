"""The campus summary, as of any instant."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from api.deps import TwinDep
from api.schemas import (
    BuildingStatus,
    CampusState,
    CampusSummary,
    Counts,
    FacilityStatus,
    LocalisedName,
    Origin,
    ParcelSummary,
    ZoneSummary,
)
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.history import current_stage
from assets.summary import summarize
from twin.facilities.effective import effective_at
from twin.runtime import Twin

router = api_router("/api/v1", ["campus"])


def _state(twin: Twin, at: datetime) -> CampusState:
    streams = twin.state_at(at)
    campus = streams.get("campus", {})
    buildings = []
    for building_id in twin.campus_at(at).buildings:
        stage, status = current_stage(streams.get(f"building:{building_id}", {}))
        buildings.append(BuildingStatus(id=building_id, stage=stage, status=status))
    facilities = []
    effective = effective_at(twin, at)
    for facility_id in twin.campus_at(at).facilities:
        s = streams.get(f"facility:{facility_id}", {})
        status = s.get("status", "planned")
        facilities.append(
            FacilityStatus(
                id=facility_id,
                status=status,
                effective_status=effective.get(facility_id, status),
                planned_operational=s.get("planned_operational"),
            )
        )
    return CampusState(
        at=answer_time(at, at.tzinfo),
        milestones=list(campus.get("milestones", [])),
        enterprises=campus.get("enterprises"),
        enterprises_qualifier=campus.get("enterprises_qualifier", ""),
        buildings=buildings,
        facilities=facilities,
    )


@router.get("/campus", operation_id="getCampus", summary="The campus at a glance, at any time")
def campus_summary(twin: TwinDep, at: datetime = Depends(at_param)) -> CampusSummary:
    """Zone areas (park ~7 km², core ~3.2 km², the fish), floor space by parcel, counts, and
    the state of the history at `at`: milestones reached, enterprises moved in, each
    building's stage and each facility's status.

    Areas are planar m² in EPSG:32651, computed from the geometry as built at `at`.
    """
    campus = twin.campus_at(at)
    s = summarize(campus)
    park = next(z for z in campus.zones.values() if z.kind == "park")
    return CampusSummary(
        name=LocalisedName(zh=park.name.zh, en=park.name.en),
        origin=Origin(
            lon=campus.origin.lon,
            lat=campus.origin.lat,
            x=campus.frame.origin_x,
            y=campus.frame.origin_y,
        ),
        zones=[
            ZoneSummary(
                id=z.id,
                kind=z.kind,
                name=LocalisedName(zh=z.name_zh, en=z.name_en),
                area_m2=round(z.area_m2, 1),
                gfa_m2=round(z.gfa_m2, 1),
                facts=list(z.facts),
            )
            for z in s.zones
        ],
        parcels=[
            ParcelSummary(
                id=p.id,
                name=LocalisedName(zh=p.name_zh, en=p.name_en),
                zone=campus.parcels[p.id].zone,
                area_m2=round(p.area_m2, 1),
                gfa_m2=round(p.gfa_m2, 1),
            )
            for p in s.parcels
        ],
        counts=Counts(**s.counts),
        state=_state(twin, at),
    )


class Whereabouts(BaseModel):
    """The features at a point, outermost first."""

    lon: float
    lat: float
    ids: list[str] = Field(examples=[["park", "core", "fish", "fish-head", "fish-head-t1"]])


@router.get("/where", operation_id="whatIsAt", summary="What is at a point")
def what_is_at(
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, degrees (EPSG:4326)")],
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, degrees (EPSG:4326)")],
    twin: TwinDep,
) -> Whereabouts:
    """Ids of the zones, parcels, buildings and facilities at a lon/lat point (an empty list
    outside the park). Floors and units stack on their building: ask the building's floors."""
    return Whereabouts(lon=lon, lat=lat, ids=twin.lookup.at_lonlat(lon, lat))
