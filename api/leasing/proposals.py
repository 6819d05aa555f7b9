"""Proposals (role ``leasing``): sets of adjacent available units whose total area falls in
the range a prospect asks for, best fit first, each with its outline (GeoJSON)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from api.deps import TwinDep
from api.leasing.economics import Staff, problems
from api.strict_query import api_router
from api.timeparam import DAY_ONLY_PATTERN, answer_time, at_param
from geometry.features import Feature
from geometry.geojson import feature_collection
from occupancy.proposals import BEAM, MAX_UNITS, Proposal, ProposalQuery
from twin.leasing.proposals import Where, proposals_at

router = api_router("/api/v1/leasing", ["leasing"])
MAX_PROPOSALS = 50


class ProposalUnit(BaseModel):
    id: str = Field(examples=["fish-head-t1/L05/U02"])
    floor: str
    level: int
    area_m2: float
    status: str = Field(description="available, held, leased or not_ready at `at`")
    free_from: date = Field(description="First day no booking takes it")
    ready_on: date | None = Field(description="Day its building entered or enters use")


class ProposalOut(BaseModel):
    rank: int = Field(description="1 = best fit")
    building: str
    floors: list[str]
    units: list[ProposalUnit]
    unit_count: int
    area_m2: float = Field(description="Total area of the units, m²")
    excess_m2: float = Field(description="Area over `min_area_m2`, m²")
    shape: float = Field(
        description="Outline perimeter over a square's of the same area (1 = square)"
    )
    ready_from: date = Field(description="First day every unit is free and ready")
    outline: dict[str, Any] = Field(
        description="GeoJSON FeatureCollection (EPSG:4326): the union of the units' "
        "footprints, one feature per floor"
    )


class ProposalList(BaseModel):
    at: str
    min_area_m2: float
    max_area_m2: float | None
    stacked: bool
    ranking: str
    found: int = Field(description="Proposals found in all (the best `limit` are listed)")
    items: list[ProposalOut]


RANKING = (
    "least excess over min_area_m2 (to the whole m²), then fewest units, then the most "
    f"compact outline, then catalogue order; a beam search keeping {BEAM} partial sets per "
    f"floor (building when stacked), at most {MAX_UNITS} units a proposal"
)


def _out(rank: int, p: Proposal) -> ProposalOut:
    features = [
        Feature(o.floor, "proposal", o.polygon, {"floor": o.floor, "level": o.level})
        for o in p.outlines
    ]
    return ProposalOut(
        rank=rank,
        building=p.building,
        floors=[o.floor for o in p.outlines],
        units=[
            ProposalUnit(
                id=m.space.id,
                floor=m.space.floor,
                level=m.space.level,
                area_m2=round(m.space.area_m2, 2),
                status=m.status,
                free_from=m.free_from,
                ready_on=m.ready_on,
            )
            for m in p.matches
        ],
        unit_count=len(p.matches),
        area_m2=round(p.area_m2, 2),
        excess_m2=round(p.excess_m2, 2),
        shape=round(p.shape, 3),
        ready_from=p.ready_from,
        outline=feature_collection(features),
    )


@router.get(
    "/proposals",
    operation_id="listProposals",
    summary="Adjacent units that together fit an area asked for",
    responses={
        200: {"model": ProposalList, "description": "Proposals, best fit first"},
        **problems(401, 403, 404, 422),
    },
)
def list_proposals(
    who: Staff,
    twin: TwinDep,
    min_area_m2: Annotated[float, Query(gt=0, le=500_000, description="Least total area, m²")],
    max_area_m2: Annotated[
        float | None, Query(gt=0, le=500_000, description="Most total area, m²")
    ] = None,
    building: Annotated[str | None, Query(max_length=64, examples=["fish-head-t1"])] = None,
    parcel: Annotated[str | None, Query(max_length=64, examples=["fish-head"])] = None,
    zone: Annotated[str | None, Query(max_length=64, examples=["fish"])] = None,
    ready_by: Annotated[
        str | None,
        Query(
            pattern=DAY_ONLY_PATTERN,
            examples=["2026-09-01"],
            description="Free, and its building in use or forecast to be, by this day",
        ),
    ] = None,
    stacked: Annotated[
        bool, Query(description="A proposal may also join units on the floors above and below")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PROPOSALS)] = 10,
    at: datetime = Depends(at_param),
) -> ProposalList:
    """Sets of adjacent office units (sharing an edge on a floor plate; with `stacked`, also
    overlapping on the floors just above and below) that are free (by `ready_by`: free then,
    and the building in use or forecast to be), whose total area is between `min_area_m2` and
    `max_area_m2`. Ranked: least excess, fewest units, most compact outline."""
    query = ProposalQuery(min_area_m2, max_area_m2, stacked, limit)
    where = Where(building, parcel, zone, date.fromisoformat(ready_by) if ready_by else None)
    found, total = proposals_at(twin, at, where, query)
    return ProposalList(
        at=answer_time(at, at.tzinfo),
        min_area_m2=min_area_m2,
        max_area_m2=max_area_m2,
        stacked=stacked,
        ranking=RANKING,
        found=total,
        items=[_out(i, p) for i, p in enumerate(found, 1)],
    )
