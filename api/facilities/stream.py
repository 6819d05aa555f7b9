"""Live facility events: status changes (public) and alerts (operations), as Server-Sent
Events for the viewer, or as a JSON page for pollers."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from api.auth import WhoDep
from api.facilities.alarms import alarm_out
from api.facilities.live_streams import RETRY_AFTER_S, LiveStreams, LogHeadNotifier, StreamRefused
from api.facilities.routes import services
from api.facilities.schemas import FacilityEvent, FacilityEvents
from api.problems import problem, problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time
from assets.facilities.alarms import LIFECYCLE
from assets.facilities.alerts import ALERT_STREAM, CLEARED, RAISED
from twin.eventlog import RecordedEvent
from twin.facilities.log import STATUS_TYPES
from twin.facilities.services import FacilityServices

router = api_router("/api/v1/facilities", ["facilities"])
POLL_S = 0.25
"""Seconds between two reads of the log's head by the process's one notifier."""
WAKE_S = 1.0
"""Seconds a quiet stream waits before it checks its client is still there."""
RETRY_AFTER = str(RETRY_AFTER_S)
KEEPALIVE_S = 15.0
PAGE = 500
SSE = "text/event-stream"


def _events(
    svc: FacilityServices, since: int, alerts: bool, limit: int
) -> tuple[list[FacilityEvent], int]:
    """Stream events after ``since`` that the state has folded in, and the last seq looked at.

    A status report is sent only when it changes the status in force at its time."""
    state = svc.state.refresh(force=True)
    head = state.projection.head
    types = (*STATUS_TYPES, RAISED, CLEARED, *LIFECYCLE) if alerts else STATUS_TYPES
    found = [
        e for e in state.store.read(since_seq=since, limit=limit, types=types) if e.seq <= head
    ]
    out = []
    for e in found:
        if e.stream.startswith("facility:"):
            out += [item] if (item := _status(svc, e)) else []
        else:
            out += ([_alert(e)] if e.type in (RAISED, CLEARED) else []) + [_alarm(svc, e)]
    return out, (found[-1].seq if found else since)


def _status(svc: FacilityServices, e: RecordedEvent) -> FacilityEvent | None:
    projection = svc.state.projection
    before = projection.stream_at(e.stream, e.effective_at - timedelta(microseconds=1))
    if before.get("status") == e.data["status"]:
        return None
    data = {
        "facility": e.stream.removeprefix("facility:"),
        "status": e.data["status"],
        "previous": before.get("status"),
        "current": projection.latest(e.stream)[0].get("status"),
        "at": answer_time(e.effective_at),
    }  # operators' notes stay out of the public stream (GET /changes shows them to operations)
    return FacilityEvent(seq=e.seq, event="status", data=data)


STEPS = {RAISED: "raised", CLEARED: "cleared"} | {
    t: t.removeprefix("FacilityAlarm").lower() for t in LIFECYCLE
}


def _alarm(svc: FacilityServices, e: RecordedEvent) -> FacilityEvent:
    """An alarm's step (raised, acknowledged, shelved, unshelved, escalated, cleared) with the
    alarm as it stood right after it."""
    alarms = svc.state.projection.stream_at(ALERT_STREAM, e.effective_at).get("alarms", {})
    alarm = alarms[e.data["alarm"]] if e.data.get("alarm") in alarms else None
    data: dict[str, Any] = {"step": STEPS[e.type], "alarm": e.data.get("alarm")}
    data["at"] = answer_time(e.effective_at)
    if alarm is not None:
        data["state"] = alarm_out(alarm, e.effective_at, None, svc.topology).model_dump()
    return FacilityEvent(seq=e.seq, event="alarm", data=data)


def _alert(e: RecordedEvent) -> FacilityEvent:
    data: dict[str, Any] = {**e.data, "state": "raised" if e.type == RAISED else "cleared"}
    data["at"] = answer_time(e.effective_at)
    return FacilityEvent(seq=e.seq, event="alert", data=data)


async def _sse(
    request: Request,
    svc: FacilityServices,
    since: int,
    alerts: bool,
    seconds: float,
    notifier: LogHeadNotifier,
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    async with notifier.listening():
        deadline, quiet_since, seen = time.monotonic() + seconds, time.monotonic(), since
        while (left := deadline - time.monotonic()) > 0 and not await request.is_disconnected():
            head = await notifier.wait(seen, min(left, WAKE_S))
            if head > seen:  # the log moved: read every page of what is new, once
                while True:
                    events, last = await run_in_threadpool(_events, svc, since, alerts, PAGE)
                    for e in events:
                        yield f"id: {e.seq}\nevent: {e.event}\ndata: {json.dumps({'seq': e.seq, **e.data}, ensure_ascii=False)}\n\n"
                    if events:
                        quiet_since = time.monotonic()
                    if last == since:
                        break
                    since = last
                seen = head
            elif time.monotonic() - quiet_since > KEEPALIVE_S:
                yield ": keepalive\n\n"
                quiet_since = time.monotonic()


class _CountedStream(StreamingResponse):
    """A stream that gives its place back (:class:`LiveStreams`) however it ends."""

    def __init__(self, content: AsyncIterator[str], release: Callable[[], None], **kwargs: Any):
        super().__init__(content, **kwargs)
        self.release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.release()


@router.get(
    "/stream",
    operation_id="streamFacilityEvents",
    summary="Live status changes and alerts (Server-Sent Events, or JSON for pollers)",
    response_model=FacilityEvents,
    responses={
        200: {"content": {SSE: {"schema": {"type": "string"}}}},
        **problem_responses(
            described={
                401: "A bad token (none is needed)",
                429: "This client has its live streams open",
                503: "This server has its live streams open",
            }
        ),
    },
)
async def stream(
    who: WhoDep,
    request: Request,
    since: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Events after this sequence number")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="JSON form: at most this many")] = 100,
    max_seconds: Annotated[
        int,
        Query(ge=1, le=3600, description="SSE form: close after this long (clients reconnect)"),
    ] = 120,
    last_event_id: Annotated[
        int | None,
        Header(
            ge=0, le=2**63 - 1, description="SSE resume point (sent by EventSource on reconnect)"
        ),
    ] = None,
    svc: FacilityServices = Depends(services),
) -> Any:
    """With `Accept: text/event-stream` (what a browser's EventSource sends): a stream of
    `status` events (a facility's status changed: facility, status, previous, current, at) and,
    for operations and admin tokens, `alert` events (raised or cleared) and `alarm` events (a
    step of an alarm: raised, acknowledged, shelved, unshelved, escalated, cleared, with the
    alarm as it stood after it, see getFacilityAlarm), each with `id:` its
    sequence number. It starts after `since`, else after `Last-Event-ID`, else with what
    happens from now on; a comment line keeps it alive every 15 s. A client may have
    `TWIN_SSE_PER_CLIENT` streams open at once (more: 429), a server `TWIN_SSE_TOTAL` (more:
    503), both with `Retry-After`.

    Otherwise: the same events after `since` (default 0) as one JSON page, for polling."""
    alerts = who.may("operations")
    start = since if since is not None else last_event_id
    if SSE in request.headers.get("accept", ""):
        live: LiveStreams = request.app.state.live_streams
        try:
            release = live.admit(request.scope)
        except StreamRefused as refused:
            answer = problem(refused.status, refused.detail)
            answer.headers["Retry-After"] = RETRY_AFTER
            return answer
        if start is None:
            start = await run_in_threadpool(svc.state.store.head)
        return _CountedStream(
            _sse(request, svc, start, alerts, max_seconds, live.notifier),
            release,
            media_type=SSE,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    events, last = await run_in_threadpool(_events, svc, start or 0, alerts, limit)
    return FacilityEvents(events=events, last_seq=last)
