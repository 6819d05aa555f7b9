"""The event log, page by page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from api.auth import WhoDep
from api.deps import TwinDep
from api.schemas import PUBLIC_EVENT_DATA, EventOut, EventPage, StaffEventOut, public_event_data
from api.strict_query import api_router
from api.timeparam import answer_time
from occupancy.reducers import CONFIDENTIAL_STREAM_PREFIXES

router = api_router("/api/v1", ["history"])
MAX_PAGE = 1000


@router.get("/events", operation_id="listEvents", summary="The event log, in order")
def list_events(
    who: WhoDep,
    twin: TwinDep,
    request: Request,
    stream: Annotated[
        str | None,
        Query(description="Only this stream, e.g. building:fish-head-t1", max_length=300),
    ] = None,
    since: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Events after this sequence number")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")] = 100,
) -> EventPage:
    """Events in sequence order, `limit` at a time; follow `next` for the following page.

    Leasing streams (spaces, holds, leases, tenants) are shown only to the `leasing` role:
    their pages may hold fewer than `limit` events for other token holders. The public sees
    only public event types (construction, milestones, facility statuses, geometry) and their
    public fields: no notes, metric values, alerts, reasons or actors."""
    staff = who.role != "public"
    types = None if staff else PUBLIC_EVENT_DATA
    read = twin.store.read(since_seq=since, limit=limit, stream=stream, types=types)
    events = (
        read
        if who.may("leasing")
        else [e for e in read if not e.stream.startswith(CONFIDENTIAL_STREAM_PREFIXES)]
    )
    page: list[StaffEventOut | EventOut] = []
    for e in events:
        fields = {
            "seq": e.seq,
            "stream": e.stream,
            "version": e.version,
            "type": e.type,
            "effective_at": answer_time(e.effective_at),
            "recorded_at": answer_time(e.recorded_at),
            "data": dict(e.data) if staff else public_event_data(e.type, e.data),
        }
        page.append(StaffEventOut(**fields, actor=e.actor) if staff else EventOut(**fields))
    following = None
    if len(read) == limit:
        following = str(request.url.include_query_params(since=read[-1].seq))
    return EventPage(events=page, next=following)
