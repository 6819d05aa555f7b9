"""Facility operations: readings in, what a feed failure would do, alerts, the catalogue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.facilities.routes import TOKEN, known, services
from api.facilities.schemas import (
    AlertEventOut,
    AlertOut,
    Alerts,
    ConsumerImpact,
    HallImpactOut,
    IngestOut,
    MetricSpecOut,
    ReadingIn,
    ReadingResult,
    Redundancy,
    TopologyNode,
    TopologyOut,
)
from api.problems import problem_responses
from api.schemas import LocalisedName
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.facilities.alerts import RAISED, RULES
from assets.facilities.kinds import STATUSES
from assets.facilities.readings import REASONS, check_reading
from twin.auth import Principal
from twin.facilities import queries
from twin.facilities.services import FacilityServices

router = api_router("/api/v1/facilities", ["facilities"])
MAX_READINGS = 10_000
_ITEM_DOC = ReadingIn.model_json_schema()
READINGS_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["readings"],
                "properties": {
                    "readings": {
                        "type": "array",
                        "maxItems": MAX_READINGS,
                        "description": "Readings, each checked on its own; the format of one is "
                        "`ReadingIn`: " + json.dumps(_ITEM_DOC["properties"], ensure_ascii=False),
                        "items": {},
                    }
                },
            },
            "example": {
                "readings": [
                    {
                        "facility": "feed-a",
                        "status": "fault",
                        "note": "breaker trip",
                        "observed_at": "2026-01-05T10:00:00+08:00",
                        "idempotency_key": "scada-81723",
                    },
                    {
                        "facility": "dc/hall-1",
                        "metric": "supply_temp_c",
                        "value": 23.5,
                        "unit": "°C",
                        "observed_at": "2026-01-05T10:00:00+08:00",
                    },
                ]
            },
        }
    },
}


@router.post(
    "/readings",
    operation_id="postFacilityReadings",
    summary="Report facility statuses and metric values (a batch)",
    response_model=IngestOut,
    responses={
        **TOKEN,
        **problem_responses(described={413: "Body too large", 422: "Not a batch"}),
    },
    openapi_extra={"requestBody": READINGS_BODY},
)
async def post_readings(
    request: Request,
    who: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> IngestOut:
    """A batch of readings `{"readings": [...]}`, each a status (`facility`, `status`, `note`?)
    or a metric value (`facility`, `metric`, `value`, `unit`), with `observed_at` (ISO datetime
    with offset) and an optional `idempotency_key` (default: derived from facility, metric or
    status, and time).

    Answers **200 whenever the batch itself is well-formed**, with a result per reading in
    request order: `accepted` (recorded, effective at its `observed_at`, so late readings take
    their place in history), `duplicate` (its key was already recorded or repeats an earlier
    reading of the batch: dropped) or `refused` with a `reason` code (see `reasons`:
    unknown_facility, unknown_metric, wrong_unit, not_finite, out_of_range, bad_status,
    bad_time, bad_key, malformed...) and a `detail`. Bad readings never keep the good ones of
    the same batch out. A body that is not such a batch is a 422; NaN and Infinity are read as
    numbers and refused per reading."""
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(422, f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("readings"), list):
        raise HTTPException(422, 'the body must be an object {"readings": [...]}')
    raw: list[Any] = body["readings"]
    if len(raw) > MAX_READINGS:
        raise HTTPException(
            422, f"{len(raw):,} readings: send at most {MAX_READINGS:,} per request"
        )
    now = datetime.now(UTC)
    topology = svc.topology  # the campus as built now: once for the batch
    items = [check_reading(topology, r, now) for r in raw]
    report = await run_in_threadpool(svc.ingest.record, items, who.actor)
    counter = getattr(getattr(request.app.state, "metrics", None), "ingested", None)
    if counter is not None:
        for outcome, n in report.outcomes().items():
            counter.labels("http", outcome).inc(n)
    return IngestOut(
        accepted=report.count("accepted"),
        duplicates=report.count("duplicate"),
        refused=report.count("refused"),
        results=[
            ReadingResult(
                index=r.index,
                result=r.result,
                facility=r.facility,
                idempotency_key=r.key,
                reason=r.reason,
                detail=r.detail,
            )
            for r in report.results
        ],
        alerts=len(report.alerts),
        reasons=REASONS,
    )


@router.get(
    "/redundancy",
    operation_id="getFacilityRedundancy",
    summary="Which halls and racks lose redundancy or power if facilities fail",
    response_model=Redundancy,
    responses={**TOKEN, **problem_responses(described={404: "No such facility"})},
)
def redundancy(
    failed: Annotated[
        list[str],
        Query(
            description="Facilities assumed failed (repeatable)",
            max_length=20,
            examples=[["feed-a"]],
        ),
    ],
    basis: Annotated[
        Literal["status", "design"],
        Query(description="status: the statuses at `at`; design: everything operational"),
    ] = "status",
    at: datetime = Depends(at_param),
    _: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> Redundancy:
    """A search of the power graph (feed -> substation -> UPS -> PDU -> rack row) with the
    statuses at `at` (only operational and degraded facilities carry power), then again with
    `failed` in fault. A row is 2N when no single facility's failure cuts it off, N when one
    would, none without power. Lists the halls and racks that go from 2N to N and those that
    lose power, per hall, and the other facilities whose power changes (cooling, network)."""
    for f in failed:
        known(svc, f)
    impact = queries.redundancy(svc, failed, at, basis)
    nodes = svc.topology.facilities
    return Redundancy(
        at=answer_time(at, at.tzinfo),
        basis=basis,
        failed=list(impact.failed),
        halls_losing_redundancy=impact.halls_losing_redundancy,
        halls_losing_power=impact.halls_losing_power,
        racks_losing_redundancy=impact.racks_losing_redundancy,
        racks_losing_power=impact.racks_losing_power,
        halls=[
            HallImpactOut(
                hall=h.hall,
                floor=nodes[h.hall].floor,
                design=h.design,
                before=h.before,
                after=h.after,
                racks=nodes[h.hall].racks,
                rows_lost_redundancy=list(h.rows_lost_redundancy),
                rows_lost_power=list(h.rows_lost_power),
                racks_lost_redundancy=h.racks_lost_redundancy,
                racks_lost_power=h.racks_lost_power,
            )
            for h in impact.halls
        ],
        others=[ConsumerImpact(facility=f, before=b, after=a) for f, b, a in impact.others],
    )


def _alert(data: dict[str, Any], zone: tzinfo | None, since: datetime | None = None) -> AlertOut:
    fields = {
        k: data.get(k)
        for k in ("key", "rule", "facility", "severity", "message", "metric", "value")
    }
    moment = since or data.get("since")
    return AlertOut(**fields, since=answer_time(moment, zone) if moment else None)


@router.get(
    "/alerts",
    operation_id="listFacilityAlerts",
    summary="Facility alerts active at any time, and the latest raised or cleared",
    response_model=Alerts,
    responses=TOKEN,
)
def alerts(
    at: datetime = Depends(at_param),
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many events")] = 100,
    _: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> Alerts:
    """Alerts come from rules run on every batch of readings: an external feed goes down, a 2N
    hall in service runs on one feed or loses power, a metric's latest value leaves its alarm
    limits. Each is raised once and cleared when its condition ends."""
    active, events = queries.alerts_at(svc, at, limit)
    return Alerts(
        at=answer_time(at, at.tzinfo),
        active=[_alert(a, at.tzinfo) for a in active.values()],
        events=[
            AlertEventOut(
                seq=e.seq,
                type="raised" if e.type == RAISED else "cleared",
                at=answer_time(e.effective_at, at.tzinfo),
                alert=_alert(e.data, at.tzinfo, e.effective_at),
            )
            for e in events
        ],
        rules=RULES,
    )


@router.get(
    "/topology",
    operation_id="getFacilityTopology",
    summary="The facility catalogue, each facility's metrics and the power graph",
    response_model=TopologyOut,
    responses=TOKEN,
)
def topology(
    _: Principal = Depends(require("operations")), svc: FacilityServices = Depends(services)
) -> TopologyOut:
    """Every facility with its metrics (unit, valid range, alarm limits) and the facilities it
    feeds power to: what a reading may say and what the redundancy search walks."""
    t = svc.topology
    return TopologyOut(
        facilities=[
            TopologyNode(
                id=n.id,
                kind=n.kind,
                name=LocalisedName(zh=n.name_zh, en=n.name_en),
                parent=n.parent,
                building=n.building,
                floor=n.floor,
                space=n.space,
                racks=n.racks,
                provenance=n.provenance,
                facts=list(n.facts),
                metrics=[MetricSpecOut(**vars(m)) for m in n.metrics.values()],
                supplies=list(t.supplies.get(n.id, ())),
            )
            for n in t.facilities.values()
        ],
        sources=list(t.sources),
        statuses=list(STATUSES),
    )
