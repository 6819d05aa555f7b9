"""Spreadsheets for finance (role ``leasing``): the rent roll and the availability search as
.xlsx, the same rows as their JSON answers (:mod:`viewer.spreadsheets` for the formats)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Response

from api.auth import require
from api.deps import TwinDep
from api.leasing.economics import Building, problems
from api.leasing.search import Filters, known_places
from api.strict_query import api_router
from api.timeparam import at_param
from twin.auth import Principal
from twin.leasing.economics import roll
from twin.leasing.read import availability
from viewer.spreadsheets import XLSX, availability_xlsx, rent_roll_xlsx

router = api_router("/api/v1/leasing", ["leasing economics"])
Staff = Annotated[Principal, Depends(require("leasing"))]


def _xlsx(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type=XLSX,
        headers={
            "Cache-Control": "no-store",  # confidential
            "Content-Disposition": f'attachment; filename="{name}.xlsx"',
        },
    )


def _responses(what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {XLSX: {}}, "description": what}, **problems(401, 403, 404, 422)}


@router.get(
    "/rent-roll.xlsx",
    operation_id="getRentRollXlsx",
    summary="The rent roll as a spreadsheet (.xlsx)",
    response_class=Response,
    responses=_responses("The rent roll: one sheet, a frozen header, areas m², CNY, dates"),
)
def rent_roll_sheet(
    who: Staff, twin: TwinDep, building: Building = None, at: datetime = Depends(at_param)
) -> Response:
    """The rows of `GET /rent-roll` (same `building` and `at`) with units in the headers: area
    m² (2 decimals), rents in their unit, annual rent CNY with thousands separators, dates as
    dates."""
    if building is not None:
        known_places(twin, at, None, building)
    return _xlsx(rent_roll_xlsx(roll(twin, at, building)), f"rent-roll-{at.date()}")


@router.get(
    "/availability.xlsx",
    operation_id="getAvailabilityXlsx",
    summary="The availability search as a spreadsheet (.xlsx)",
    response_class=Response,
    responses=_responses("Every matching space (no paging): one row each, staff columns"),
)
def availability_sheet(
    who: Staff, twin: TwinDep, asked: Filters, at: datetime = Depends(at_param)
) -> Response:
    """Every space `GET /availability` finds with the same filters and `at`, for staff: status,
    area m², ready-on and free-from dates, contiguous block."""
    known_places(twin, at, asked.parcel, asked.building)
    found = availability(twin, at, asked)
    return _xlsx(availability_xlsx(found.matches), f"availability-{at.date()}")
