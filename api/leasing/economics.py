"""Lease economics (role ``leasing``): what a lease or a hold's proposal is worth, the rent
roll, WALE and the lease-expiry profile, at any ``at=``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field

from api.auth import require
from api.deps import TwinDep
from api.leasing.convert import found, known
from api.leasing.routes import HoldId, LeaseId
from api.pictures import PictureFormat, picture, picture_responses
from api.problems import DESCRIPTIONS, problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from occupancy.occupancy_kpis import Tally
from occupancy.rent_roll import ExpiryYear, RentRollRow, Wale
from occupancy.terms import Economics
from twin.auth import Principal
from twin.leasing.economics import expiries, occupancy, roll, wale_by_scope, worth
from twin.leasing.read import agreement
from twin.runtime import Twin
from viewer.leasing_charts import expiry_chart

router = api_router("/api/v1/leasing", ["leasing economics"])
Staff = Annotated[Principal, Depends(require("leasing"))]
DiscountRate = Annotated[
    float,
    Query(ge=0, le=1, description="Discount rate a year for NER (0.08 = 8 %), compounded"),
]
Building = Annotated[
    str | None, Query(max_length=64, description="Only this building", examples=["office-building"])
]


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {403: "The token lacks the leasing role", 404: "No such lease, hold or building"}
    return problem_responses(described={c: described.get(c, DESCRIPTIONS[c]) for c in codes})


class EconomicsOut(BaseModel):
    """What the terms are worth over the whole term."""

    id: str
    kind: str = Field(description="lease, or hold (its proposal)")
    start: date
    end: date
    months: int
    rent_unit: str
    total_contract_value_cny: float = Field(
        description="TCV: every rent payment of the term, undiscounted, rent-free months excluded"
    )
    net_effective_rent: float = Field(
        description="NER, in rent_unit: the level rent worth as much, at discount_rate"
    )
    discount_rate: float
    service_charge_total_cny: float
    deposit_cny: float


def _economics(kind: str, ref: str, start: date, end: date, e: Economics) -> EconomicsOut:
    return EconomicsOut(
        id=ref,
        kind=kind,
        start=start,
        end=end,
        months=e.months,
        rent_unit=e.rent_unit,
        total_contract_value_cny=round(e.total_contract_value_cny, 2),
        net_effective_rent=round(e.net_effective_rent, 4),
        discount_rate=e.discount_rate,
        service_charge_total_cny=round(e.service_charge_total_cny, 2),
        deposit_cny=round(e.deposit_cny, 2),
    )


@router.get(
    "/leases/{lease_id}/economics",
    operation_id="getLeaseEconomics",
    summary="TCV and NER of a lease",
    responses=problems(401, 403, 404, 422),
)
def lease_economics(
    lease_id: LeaseId,
    who: Staff,
    twin: TwinDep,
    discount_rate: DiscountRate = 0.08,
    at: datetime = Depends(at_param),
) -> EconomicsOut:
    """Total contract value and net effective rent of a lease's terms (as recorded by `at`)."""
    a = found(agreement(twin, "lease", lease_id, at), "lease", lease_id)
    return _economics("lease", a.id, a.start, a.end, worth(twin, a, discount_rate))


@router.get(
    "/holds/{hold_id}/economics",
    operation_id="getHoldEconomics",
    summary="TCV and NER of a hold's proposal",
    responses=problems(401, 403, 404, 422),
)
def hold_economics(
    hold_id: HoldId,
    who: Staff,
    twin: TwinDep,
    discount_rate: DiscountRate = 0.08,
    at: datetime = Depends(at_param),
) -> EconomicsOut:
    """What the terms proposed on a hold would be worth if signed (404 without a proposal)."""
    a = found(agreement(twin, "hold", hold_id, at), "hold", hold_id)
    return _economics("hold", a.id, a.start, a.end, worth(twin, a, discount_rate))


class RentRollItem(BaseModel):
    lease: str
    tenant: str
    status: str
    pre_lease: bool
    spaces: list[str]
    buildings: list[str]
    area_m2: float
    racks: int
    start: date
    end: date = Field(description="First day no longer let")
    expiry: date = Field(description="Last day let")
    rent: float | None = Field(description="Face rent in force on the day, in rent_unit")
    rent_unit: str | None
    annual_rent_cny: float | None = Field(description="That rent as CNY a year")
    rent_free_until: date | None = Field(description="First day rent is paid, if rent-free first")
    next_escalation: date | None
    next_rent: float | None = Field(description="Face rent from the next escalation")
    remaining_years: float


class RentRoll(BaseModel):
    at: str
    total: int
    area_m2: float
    annual_rent_cny: float
    items: list[RentRollItem]


def _row(r: RentRollRow) -> RentRollItem:
    rounded = None if r.annual_rent_cny is None else round(r.annual_rent_cny, 2)
    return RentRollItem(
        **{
            k: getattr(r, k)
            for k in RentRollItem.model_fields
            if k not in ("spaces", "buildings", "area_m2", "annual_rent_cny", "remaining_years")
        },
        spaces=list(r.spaces),
        buildings=list(r.buildings),
        area_m2=round(r.area_m2, 2),
        annual_rent_cny=rounded,
        remaining_years=round(r.remaining_years, 3),
    )


def _by_scope(
    at: datetime, found: tuple[Any, Any, list[Any]], out: Callable[[Any], BaseModel]
) -> dict[str, Any]:
    """An answer's members from (campus, fish, buildings) figures, each through ``out``."""
    campus, fish, buildings = found
    return {
        "at": answer_time(at, at.tzinfo),
        "campus": out(campus),
        "fish": out(fish),
        "buildings": [out(b) for b in buildings],
    }


def _known_building(twin: Twin, at: datetime, building: str | None) -> None:
    if building is not None:
        known("building", building, twin.campus_at(at).buildings)


@router.get(
    "/rent-roll",
    operation_id="getRentRoll",
    summary="Every lease in force, with its rent, next escalation and expiry",
    responses=problems(401, 403, 404, 422),
)
def rent_roll(
    who: Staff, twin: TwinDep, building: Building = None, at: datetime = Depends(at_param)
) -> RentRoll:
    """The leases in force at `at` (signed, pre-leases included, not yet over), by expiry."""
    _known_building(twin, at, building)
    rows = roll(twin, at, building)
    return RentRoll(
        at=answer_time(at, at.tzinfo),
        total=len(rows),
        area_m2=round(sum(r.area_m2 for r in rows), 2),
        annual_rent_cny=round(sum(r.annual_rent_cny or 0.0 for r in rows), 2),
        items=[_row(r) for r in rows],
    )


class WaleOut(BaseModel):
    scope: str = Field(description="campus, fish, or a building id")
    leases: int
    area_m2: float
    annual_rent_cny: float
    by_area_years: float | None = Field(description="WALE weighted by let area, years")
    by_income_years: float | None = Field(description="WALE weighted by income, years")


class WaleReport(BaseModel):
    at: str
    campus: WaleOut
    fish: WaleOut = Field(description="The buildings on the fish's parcels (F4)")
    buildings: list[WaleOut]


def _wale(w: Wale) -> WaleOut:
    def years(v: float | None) -> float | None:
        return None if v is None else round(v, 3)

    return WaleOut(
        scope=w.scope,
        leases=w.leases,
        area_m2=round(w.area_m2, 2),
        annual_rent_cny=round(w.annual_rent_cny, 2),
        by_area_years=years(w.by_area_years),
        by_income_years=years(w.by_income_years),
    )


@router.get(
    "/wale",
    operation_id="getWale",
    summary="WALE by area and by income: campus, fish, buildings",
    responses=problems(401, 403, 422),
)
def get_wale(who: Staff, twin: TwinDep, at: datetime = Depends(at_param)) -> WaleReport:
    """Weighted average lease expiry, in years from `at`, of the leases in force then."""
    return WaleReport(**_by_scope(at, wale_by_scope(twin, at), _wale))


class ExpiryYearOut(BaseModel):
    year: int
    leases: int
    area_m2: float
    annual_rent_cny: float


class ExpiryProfile(BaseModel):
    at: str
    scope: str
    years: list[ExpiryYearOut]


def _years(found_years: list[ExpiryYear]) -> list[ExpiryYearOut]:
    return [
        ExpiryYearOut(
            year=y.year,
            leases=y.leases,
            area_m2=round(y.area_m2, 2),
            annual_rent_cny=round(y.annual_rent_cny, 2),
        )
        for y in found_years
    ]


@router.get(
    "/expiry-profile",
    operation_id="getExpiryProfile",
    summary="Area and income expiring per year",
    responses=problems(401, 403, 404, 422),
)
def expiry_profile(
    who: Staff, twin: TwinDep, building: Building = None, at: datetime = Depends(at_param)
) -> ExpiryProfile:
    """The leases in force at `at` by the year of their last day: how many, their area (m²)
    and their income (CNY a year, at the rent in force at `at`)."""
    _known_building(twin, at, building)
    return ExpiryProfile(
        at=answer_time(at, at.tzinfo),
        scope=building or "campus",
        years=_years(expiries(twin, at, building)),
    )


@router.get(
    "/expiry-profile.{fmt}",
    operation_id="getExpiryProfileChart",
    summary="The lease-expiry profile as a chart (PNG or SVG)",
    response_class=Response,
    responses={**picture_responses("The chart"), **problems(401, 403, 404, 422)},
)
def expiry_profile_chart(
    who: Staff,
    twin: TwinDep,
    fmt: PictureFormat,
    building: Building = None,
    at: datetime = Depends(at_param),
) -> Response:
    """Bars of the area expiring per year, a line of the income expiring."""
    _known_building(twin, at, building)
    title = f"Lease expiries, {building or 'campus'}, as of {answer_time(at, at.tzinfo)[:10]}"
    return picture(expiry_chart(expiries(twin, at, building), title, fmt), fmt, "no-cache")


class Counted(BaseModel):
    count: int
    area_m2: float


class OccupancyOut(BaseModel):
    scope: str = Field(description="campus, fish, or a building id")
    occupied: Counted = Field(description="A lease covers the day, in a building in use")
    signed: Counted = Field(description="Let from a later day, in a building in use")
    pre_leased: Counted = Field(description="Let, in a building not in use yet")
    held: Counted = Field(description="A live hold, no lease")
    vacant: Counted


class OccupancyReport(BaseModel):
    at: str
    campus: OccupancyOut
    fish: OccupancyOut
    buildings: list[OccupancyOut]


def _tally(t: Tally) -> OccupancyOut:
    parts = {k: Counted(count=t.count[k], area_m2=round(t.area_m2[k], 2)) for k in t.count}
    return OccupancyOut(scope=t.scope, **parts)


@router.get(
    "/occupancy",
    operation_id="getLeasingOccupancy",
    summary="Occupied, signed, pre-leased, held and vacant: campus, fish, buildings",
    responses=problems(401, 403, 422),
)
def get_occupancy(who: Staff, twin: TwinDep, at: datetime = Depends(at_param)) -> OccupancyReport:
    """Every office unit and rack in one class at `at`, counted and summed (m²) for the
    campus, the fish and each building."""
    return OccupancyReport(**_by_scope(at, occupancy(twin, at), _tally))
