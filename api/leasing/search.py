"""Availability search and tenants: open to everyone, with more for the leasing team.

The public sees only spaces that are free (or free once their building opens), never why a
space is taken, and only tenants that consented to be named. Bookings are judged for the
public no later than now, so a future ``at=`` cannot reveal when a lease ends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import WhoDep
from api.deps import TwinDep
from api.leasing import answer_pages
from api.leasing.convert import json_of, tenant_out
from api.leasing.schemas import (
    PublicAvailability,
    PublicSpace,
    PublicTenant,
    PublicTenantList,
    StaffAvailability,
    StaffSpace,
    StaffTenantList,
)
from api.problems import problem_responses
from api.schemas import MAX_OFFSET, LocalisedName
from api.strict_query import api_router
from api.timeparam import CLAMPED, DAY_ONLY_PATTERN, answer_time, at_param
from occupancy.availability import (
    SORTS,
    Availability,
    AvailabilityQuery,
    Match,
    page,
    with_matches,
)
from twin.leasing.places import known_places
from twin.leasing.read import availability, cached_availability, kept_availability, tenants_at

router = api_router("/api/v1/leasing", ["leasing"])
MAX_PAGE = 2000


def _public_space(m: Match) -> PublicSpace:
    s = m.space
    return PublicSpace(
        id=s.id,
        kind=s.kind,
        parcel=s.parcel,
        building=s.building,
        floor=s.floor,
        level=s.level,
        hall=s.group if s.kind == "rack" else None,
        area_m2=round(s.area_m2, 2),
        status="available" if m.status == "available" else "not_ready",
        ready_on=m.ready_on,
        two_n=m.two_n if s.kind == "rack" else None,
        block=m.block,
        block_area_m2=round(m.block_area_m2, 2),
        block_spaces=m.block_spaces,
    )


def _staff_space(m: Match) -> StaffSpace:
    return StaffSpace(
        **{**_public_space(m).model_dump(), "status": m.status}, free_from=m.free_from
    )


def availability_query(
    kind: Annotated[Literal["office", "rack"] | None, Query(description="office or rack")] = None,
    min_area_m2: Annotated[float | None, Query(ge=0, description="Smallest unit area, m²")] = None,
    max_area_m2: Annotated[float | None, Query(ge=0, description="Largest unit area, m²")] = None,
    parcel: Annotated[str | None, Query(max_length=64, examples=["fish-head"])] = None,
    zone: Annotated[
        str | None,
        Query(max_length=64, examples=["fish"], description="Any parcel of this zone"),
    ] = None,
    building: Annotated[str | None, Query(max_length=64, examples=["office-building"])] = None,
    min_level: Annotated[int | None, Query(ge=1, le=200, description="Lowest floor")] = None,
    max_level: Annotated[int | None, Query(ge=1, le=200, description="Highest floor")] = None,
    available_from_day: Annotated[
        str | None,
        Query(
            alias="available_from",
            pattern=DAY_ONLY_PATTERN,
            examples=["2025-06-01"],
            description="Free and in a building in use (or planned to be) by this day (ISO date)",
        ),
    ] = None,
    min_contiguous_m2: Annotated[
        float | None,
        Query(ge=0, description="Only units in a block of touching units this big on one floor"),
    ] = None,
    two_n: Annotated[bool | None, Query(description="Racks fed by both external feeds")] = None,
    min_racks: Annotated[
        int | None,
        Query(ge=1, le=100_000, description="Only racks in halls offering this many matches"),
    ] = None,
    kw_per_rack: Annotated[
        float | None,
        Query(
            ge=0.1,
            le=200,
            description="Racks of this power, kW: each row offers only as many as its power "
            "headroom takes (as GET /api/v1/facilities/capacity figures it; staff only)",
        ),
    ] = None,
    sort: Annotated[
        Literal["location", "area", "-area", "block", "ready"],
        Query(description=f"Order: {', '.join(SORTS)}"),
    ] = "location",
) -> AvailabilityQuery:
    """The search's filters, from the query string (shared by the JSON and .xlsx answers)."""
    return AvailabilityQuery(
        kind=kind,
        min_area_m2=min_area_m2,
        max_area_m2=max_area_m2,
        parcel=parcel,
        zone=zone,
        building=building,
        min_level=min_level,
        max_level=max_level,
        available_from=date.fromisoformat(available_from_day) if available_from_day else None,
        min_contiguous_m2=min_contiguous_m2,
        two_n=two_n,
        min_racks=min_racks,
        kw_per_rack=kw_per_rack,
        sort=sort,
    )


Filters = Annotated[AvailabilityQuery, Depends(availability_query)]


@router.get(
    "/availability",
    operation_id="searchAvailability",
    summary="Find available office units and racks",
    responses={
        200: {
            "model": StaffAvailability | PublicAvailability,
            "description": "Matching spaces, sorted, with totals",
        },
        **problem_responses(
            described={
                401: "Bad bearer token, or kw_per_rack without one",
                403: "kw_per_rack with a token of neither the leasing nor the operations role",
                404: "No such parcel, zone or building, naming it",
                422: "Invalid filter, naming it",
            }
        ),
    },
)
async def search_availability(
    who: WhoDep,
    twin: TwinDep,
    asked: Filters,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
    at: datetime = Depends(at_param),
) -> Response:
    """Spaces free on and after `available_from` (default: the day of `at`), matching every
    filter, sorted (`location`: building, floor, unit; `block`: largest contiguous block
    first), with the count and area of all matches. Staff also see held and leased spaces'
    `free_from` day when asking with `available_from`; the public sees free spaces only, and
    for an `at` still to come is answered as of now (header `Twin-Clamped: at=<now>`).
    """
    known_places(twin, at, building=asked.building, parcel=asked.parcel, zone=asked.zone)
    available_from = asked.available_from
    staff = who.may("leasing")
    power = asked.kw_per_rack is not None
    if power and not who.may("leasing", "operations"):
        # headroom follows the power readings, which only staff see
        raise HTTPException(
            401 if who.role == "public" else 403,
            "kw_per_rack needs a bearer token with the role leasing or operations",
        )
    now = datetime.now(UTC)
    query = asked if staff else replace(asked, available_from=None)
    seen_at = at if staff else min(at, now)
    # A kept answer and page are served here on the event loop; a search or a page not yet
    # encoded (tens of ms to seconds of work) goes to a worker thread. Power headroom moves
    # with readings, which the cache does not watch: such a search is made afresh.
    result = None if power else kept_availability(twin, seen_at, query)
    if result is None:
        search = availability if power else cached_availability
        result = await run_in_threadpool(search, twin, seen_at, query)
    view = (staff, None if staff else available_from, offset, limit)
    rest = answer_pages.kept(result, view)
    if rest is None:
        rest = await run_in_threadpool(answer_pages.body, result, view, _body_after_at)
    # the public's future is now: say so rather than answer silently for another instant
    clamped = {CLAMPED: f"at={seen_at.isoformat()}"} if seen_at != at else None
    return Response(answer_pages.with_at(at, rest), media_type="application/json", headers=clamped)


def _body_after_at(result: Availability, view: tuple[bool, date | None, int, int]) -> bytes:
    """Everything of the answer but its ``at``: totals and the page, built from the role's
    allow-listed model (staff or public) and serialised; the same for every request that gets
    the same answer, so :mod:`api.leasing.answer_pages` keeps it."""
    staff, public_from, offset, limit = view
    if public_from is not None:  # readiness only: lease dates stay private
        ready = [
            m
            for m in result.matches
            if m.status == "available" or (m.ready_on is not None and m.ready_on <= public_from)
        ]
        result = with_matches(ready, result.day)
    shown = page(result, offset, limit)
    common = {
        "at": "",
        "total": len(result.matches),
        "total_area_m2": round(result.total_area_m2, 2),
        "racks": result.racks,
        "racks_two_n": result.racks_two_n,
        "blocks": result.blocks,
        "offset": offset,
        "limit": limit,
    }
    if staff:
        model: BaseModel = StaffAvailability(
            **common, items=[_staff_space(m) for m in shown.matches]
        )
    else:
        model = PublicAvailability(**common, items=[_public_space(m) for m in shown.matches])
    return answer_pages.after_at(model.model_dump(mode="json"))


@router.get(
    "/tenants",
    operation_id="listTenants",
    summary="Tenants: the public sees those who consented to be named",
    responses={
        200: {
            "model": StaffTenantList | PublicTenantList,
            "description": "Tenants registered by `at`",
        },
        **problem_responses(described={401: "Bad bearer token"}),
    },
)
def list_tenants(
    who: WhoDep,
    twin: TwinDep,
    at: datetime = Depends(at_param),
) -> JSONResponse:
    """Staff: every tenant with category, head-enterprise flag and consent. The public: how many
    tenants there are (F9) and the names of those who consented, never the others."""
    found = tenants_at(twin, at)
    stamp = answer_time(at, at.tzinfo)
    if who.may("leasing"):
        items = [tenant_out(t) for t in found]
        return json_of(StaffTenantList(at=stamp, total=len(items), items=items))
    named = [
        PublicTenant(name=LocalisedName(zh=t.name_zh, en=t.name_en), category=t.category)
        for t in found
        if t.public
    ]
    return json_of(PublicTenantList(at=stamp, total=len(found), named=named))
