"""Construction pictures: the Gantt chart (PNG, SVG) and floor space in use over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query, Response
from starlette.datastructures import MutableHeaders

from api.deps import TwinDep
from api.pictures import PictureFormat, picture, picture_responses
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import AT_PATTERN, CLAMPED, at_param, parse_at
from assets.clock import local_date
from viewer.construction_charts import gantt_bytes, gfa_bytes

router = api_router("/api/v1/construction", ["construction"])
Parcel = Annotated[
    str | None,
    Query(description="Only this parcel, e.g. fish-head; default the whole campus", max_length=100),
]


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
"""Bounds of a GFA span: the campus's history begins in 2019 (F10)."""


def span(start: str, end: str, headers: MutableHeaders | dict[str, str]) -> tuple[date, date]:
    """The campus-local dates of ``from`` and ``to`` (in either order), within 2000-2100; a
    date outside is clamped to the bound, and the response ``headers`` say so in
    :data:`CLAMPED`."""
    asked = {"from": local_date(parse_at(start)), "to": local_date(parse_at(end))}
    used = {name: min(max(day, EARLIEST), LATEST) for name, day in asked.items()}
    moved = [f"{name}={day.isoformat()}" for name, day in used.items() if day != asked[name]]
    if moved:
        headers[CLAMPED] = ", ".join(moved)
    first, last = sorted(used.values())
    return first, last


GANTT_DOC = """Planned bars (upper, light) against actual ones (lower, solid) for every building
and work package (or one parcel's), with a dashed line at `at`, forecasts hatched and work
behind plan in red. Everything as known at `at`."""


@router.get(
    "/gantt.{fmt}",
    operation_id="getConstructionGantt",
    summary="The construction Gantt chart (PNG or SVG)",
    description=GANTT_DOC,
    response_class=Response,
    responses={
        **picture_responses("The chart"),
        **problem_responses(described={404: "No such parcel"}),
    },
)
def gantt(
    twin: TwinDep,
    fmt: PictureFormat,
    parcel: Parcel = None,
    at: datetime = Depends(at_param),
) -> Response:
    return picture(gantt_bytes(twin, at, parcel, fmt), fmt, "no-cache")


GFA_DOC = """Gross floor area (m²) topped out, accepted and in use from `from` to `to` (default
2019-2027; either order; within 2000-2100, a date outside moved to the bound and named in the
`Twin-Clamped` header): actual lines up to `at`, the plan as known at `at` dashed."""


FromDay = Annotated[
    str, Query(alias="from", pattern=AT_PATTERN, description="First month: an ISO date")
]
ToDay = Annotated[str, Query(alias="to", pattern=AT_PATTERN, description="Last month: an ISO date")]


@router.get(
    "/gfa-in-use.{fmt}",
    operation_id="getConstructionGfaInUse",
    summary="Floor space in use over time (PNG or SVG)",
    description=GFA_DOC,
    response_class=Response,
    responses={
        **picture_responses("The chart"),
        **problem_responses(described={404: "No such parcel"}),
    },
)
def gfa_in_use(
    twin: TwinDep,
    fmt: PictureFormat,
    parcel: Parcel = None,
    start: FromDay = "2019-01-01",
    end: ToDay = "2027-12-31",
    at: datetime = Depends(at_param),
) -> Response:
    clamped: dict[str, str] = {}
    first, last = span(start, end, clamped)
    answer = picture(gfa_bytes(twin, at, parcel, first, last, fmt), fmt, "no-cache")
    answer.headers.update(clamped)
    return answer
