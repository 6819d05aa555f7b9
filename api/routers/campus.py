"""The campus summary."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_twin
from api.schemas import CampusSummary, Counts, LocalisedName, Origin, ParcelSummary, ZoneSummary
from assets.summary import summarize
from twin.runtime import Twin

router = APIRouter(prefix="/api/v1", tags=["campus"])


@router.get("/campus", operation_id="getCampus", summary="The campus at a glance")
def campus_summary(twin: Twin = Depends(get_twin)) -> CampusSummary:
    """Zone areas (park ~7 km², core ~3.2 km², the fish), floor space by parcel and counts.

    Areas are planar m² in EPSG:32651, computed from the geometry.
    """
    campus = twin.campus
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
    )
