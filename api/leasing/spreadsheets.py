"""Spreadsheets for finance (role ``leasing``): the rent roll and the availability search as
.xlsx, the same rows as their JSON answers (:mod:`viewer.spreadsheets` for the formats), and
an existing rent roll imported from .xlsx or .csv (:mod:`twin.leasing.rent_roll_import`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.deps import TwinDep
from api.leasing.economics import Building, problems
from api.leasing.search import Filters
from api.problems import problem, problem_responses
from api.strict_query import api_router
from api.timeparam import at_param
from occupancy.errors import LeasingError
from occupancy.rent_roll_rows import FIELDS, read_mapping
from twin.auth import Principal
from twin.leasing.economics import roll
from twin.leasing.places import known_places
from twin.leasing.read import availability
from twin.leasing.rent_roll_import import Action, import_rent_roll
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
        known_places(twin, at, building=building)
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
    known_places(twin, at, building=asked.building, parcel=asked.parcel, zone=asked.zone)
    found = availability(twin, at, asked)
    return _xlsx(availability_xlsx(found.matches), f"availability-{at.date()}")


class ImportOut(BaseModel):
    """What an import did (or, a dry run, would do), row by row."""

    dry_run: bool
    added: int
    changed: int = Field(description="Signed leases amended: a new end or money terms")
    unchanged: int
    actions: list[Action] = Field(
        description="Row by row: add, change (with its changes, old -> new) or unchanged"
    )


SHEET_TYPES = {XLSX: "upload.xlsx", "text/csv": "upload.csv"}
MAPPING_HELP = (
    "Columns named otherwise than the rent roll export's: `field=Column header` pairs separated "
    f"by `;` (fields: {', '.join(FIELDS)})"
)


@router.post(
    "/rent-roll/import",
    operation_id="importRentRoll",
    summary="Import an existing rent roll (.xlsx or .csv): every row or none",
    response_model=ImportOut,
    responses=problem_responses(
        401,
        403,
        described={
            413: "The file is over the request body limit (TWIN_MAX_BODY_BYTES)",
            415: "Not an .xlsx or a .csv body",
            422: "Problems, each naming its row, column and rule: nothing was imported",
        },
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in SHEET_TYPES},
        }
    },
)
async def import_sheet(
    request: Request,
    who: Staff,
    twin: TwinDep,
    dry_run: Annotated[bool, Query(description="List what it would do; write nothing")] = False,
    mapping: Annotated[str | None, Query(max_length=2000, description=MAPPING_HELP)] = None,
) -> ImportOut | JSONResponse:
    """The body is the file (Content-Type `application/vnd.openxmlformats-officedocument.
    spreadsheetml.sheet` or `text/csv`, UTF-8). Every row is a lease signed in one event batch;
    a row already signed as given is unchanged; a row for a signed lease (its id, or the same
    tenant, spaces and start) with another end or rent terms amends it (`change`). Refused as a whole (422, `errors` with row,
    column, rule and message) for an unknown unit or tenant, overlapping leases (in the file
    or the ledger), a unit not ready at the lease's start, or missing terms."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in SHEET_TYPES:
        return problem(415, f"send the rent roll as {' or '.join(SHEET_TYPES)}, not {kind!r}")
    try:
        columns = read_mapping(mapping.replace(";", "\n")) if mapping else dict(FIELDS)
        data = await request.body()
        actions = await run_in_threadpool(
            import_rent_roll,
            twin,
            SHEET_TYPES[kind],
            data,
            columns,
            dry_run=dry_run,
            actor=who.actor,
        )
    except (ValueError, UnicodeDecodeError) as bad:
        if isinstance(bad, LeasingError):
            raise
        return problem(422, str(bad))
    count = {kind: sum(a.action == kind for a in actions) for kind in ("add", "change")}
    return ImportOut(
        dry_run=dry_run,
        added=count["add"],
        changed=count["change"],
        unchanged=len(actions) - count["add"] - count["change"],
        actions=actions,
    )
