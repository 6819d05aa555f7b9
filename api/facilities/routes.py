"""Facility status: every facility at any instant, status changes, metric history, topology."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Query

from api.auth import WhoDep, require
from api.deps import TwinDep
from api.facilities.schemas import (
    FacilityList,
    FacilityOut,
    MetricHistory,
    MetricPoint,
    MetricValueOut,
    RackCountsOut,
    StatusChangeOut,
    StatusChanges,
)
from api.problems import problem_responses
from api.schemas import LocalisedName
from api.strict_query import api_router
from api.timeparam import AT_PATTERN, answer_time, at_param, parse_at, request_zone
from twin.auth import Principal
from twin.facilities import queries
from twin.facilities.services import FacilityServices

router = api_router("/api/v1/facilities", ["facilities"])
NOT_FOUND = problem_responses(described={404: "No such facility or metric"})
TOKEN = problem_responses(401, described={403: "Not the operations role"})
FacilityId = Annotated[
    str,
    Query(description="A facility id (see listFacilities)", max_length=200, examples=["dc/hall-1"]),
]
Instant = Annotated[
    str | None,
    Query(
        description="ISO date or datetime (campus time UTC+8 without an offset)", pattern=AT_PATTERN
    ),
]


def services(twin: TwinDep) -> FacilityServices:
    """The facility services of the twin this application serves."""
    return twin.facilities


def known(svc: FacilityServices, facility: str) -> None:
    """404 unless ``facility`` is in the catalogue."""
    if facility not in svc.topology.facilities:
        raise HTTPException(404, f"no facility is called {facility!r}: see /api/v1/facilities")


def instant(value: str | None, default: datetime, start_of_day: bool = False) -> datetime:
    """A range bound: ``value`` parsed like ``at=`` (a date is its start when ``start_of_day``)."""
    if value is None or value == "":
        return default
    moment = parse_at(value)
    if start_of_day and len(value.strip()) == 10:
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return moment


@router.get(
    "",
    operation_id="listFacilities",
    summary="Every facility and its status, at any time",
    response_model=FacilityList,
    responses=problem_responses(
        described={
            401: "A bad token (none is needed)",
            404: "No such facility (`under`) or kind, naming it",
        }
    ),
)
def list_facilities(
    who: WhoDep,
    at: datetime = Depends(at_param),
    kind: Annotated[
        str | None, Query(description="Only this kind, e.g. hall", max_length=40)
    ] = None,
    under: Annotated[
        str | None,
        Query(description="Only this facility and those inside it, e.g. dc", max_length=200),
    ] = None,
    svc: FacilityServices = Depends(services),
) -> FacilityList:
    """The data centre (halls, rack rows, power distribution), its two external feeds, cooling,
    networks, the cross-border data service centre and the office building's systems, each with
    its status at `at`, and the data centre's rack counts (planned, installed, energised, 2N).

    Statuses are public; the latest metric values are shown to operations and admin tokens."""
    ops = who.may("operations")
    if under:
        known(svc, under)
    if kind:
        kinds = {f.kind for f in svc.topology.facilities.values()}
        if kind not in kinds:
            raise HTTPException(
                404, f"no facility is of kind {kind!r}: use one of {', '.join(sorted(kinds))}"
            )
    out = []
    for v in queries.facility_views(svc, at, metrics=ops):
        n = v.node
        if (kind and n.kind != kind) or (
            under and n.id != under and not n.id.startswith(under + "/")
        ):
            continue
        metrics = {
            name: MetricValueOut(
                value=m.value,
                unit=m.unit,
                observed_at=answer_time(m.observed_at, at.tzinfo),
                within_limits=m.within_limits,
            )
            for name, m in v.metrics.items()
        }
        out.append(
            FacilityOut(
                id=n.id,
                kind=n.kind,
                name=LocalisedName(zh=n.name_zh, en=n.name_en),
                parent=n.parent,
                building=n.building,
                floor=n.floor,
                space=n.space,
                racks=n.racks,
                status=v.status,
                effective_status=v.effective_status,
                since=answer_time(v.since, at.tzinfo) if v.since else None,
                planned_operational=v.planned_operational,
                note=v.note if ops else None,  # operators' notes are internal
                metrics=metrics if ops else None,
            )
        )
    racks = [RackCountsOut(**vars(r)) for r in queries.rack_counts(svc, at)]
    return FacilityList(
        at=answer_time(at, at.tzinfo), facilities=out, racks=racks, telemetry=svc.telemetry
    )


@router.get(
    "/changes",
    operation_id="listFacilityStatusChanges",
    summary="Status changes of one or every facility over a period",
    response_model=StatusChanges,
    responses=NOT_FOUND,
)
def status_changes(
    who: WhoDep,
    facility: Annotated[str | None, Query(description="Only this facility", max_length=200)] = None,
    start: Instant = None,
    end: Instant = None,
    limit: Annotated[
        int, Query(ge=1, le=1000, description="At most this many, newest first")
    ] = 100,
    svc: FacilityServices = Depends(services),
) -> StatusChanges:
    """Each change of status effective between `start` (default: the beginning) and `end`
    (default: now), newest first; a report repeating the status in force is not a change.
    Operators' notes only with an `operations` token."""
    if facility is not None:
        known(svc, facility)
    until = instant(end, datetime.now(UTC))
    since = instant(start, datetime(2019, 1, 1, tzinfo=UTC), start_of_day=True)
    changes = queries.status_changes(svc, facility, since, until, limit)
    zone = request_zone(end, start)
    return StatusChanges(
        changes=[
            StatusChangeOut(
                seq=c.seq,
                facility=c.facility,
                at=answer_time(c.at, zone),
                status=c.status,
                previous=c.previous,
                note=c.note if who.may("operations") else None,
                provenance=c.provenance,
            )
            for c in changes
        ]
    )


@router.get(
    "/metrics",
    operation_id="getFacilityMetricHistory",
    summary="History of one metric of a facility, downsampled for long ranges",
    response_model=MetricHistory,
    responses={**NOT_FOUND, **TOKEN},
)
def metric_history(
    facility: FacilityId,
    metric: Annotated[
        str,
        Query(description="A metric of the facility", max_length=60, examples=["supply_temp_c"]),
    ],
    start: Instant = None,
    end: Instant = None,
    points: Annotated[
        int,
        Query(
            ge=10, le=5000, description="More values than this are averaged into this many buckets"
        ),
    ] = 500,
    _: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> MetricHistory:
    """Values from `start` (default: a day before `end`) to `end` (default: now), by observation
    time. Up to `points` values come as they are; more are averaged into `points` equal
    buckets with their min, max and count (empty buckets are left out)."""
    known(svc, facility)
    if metric not in svc.topology.facilities[facility].metrics:
        names = ", ".join(svc.topology.facilities[facility].metrics) or "none"
        raise HTTPException(404, f"{facility} reports no metric {metric!r}; it reports {names}")
    until = instant(end, datetime.now(UTC))
    since = instant(start, until - timedelta(days=1), start_of_day=True)
    history = queries.metric_history(svc, facility, metric, since, max(since, until), points)
    zone = request_zone(end, start)
    return MetricHistory(
        facility=facility,
        metric=metric,
        unit=history.unit,
        start=answer_time(since, zone),
        end=answer_time(until, zone),
        total=history.total,
        downsampled=history.bucket_s is not None,
        bucket_s=history.bucket_s,
        points=[MetricPoint(**{**p, "at": answer_time(p["at"], zone)}) for p in history.points],
        provenance=history.provenance,
    )
