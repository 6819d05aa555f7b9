"""Work orders against facilities: open, list (any instant), read, and take a step.

Writes need an ``operations`` token and are events (one stream per order,
:mod:`twin.facilities.work_orders`). A step the order's state does not allow is a 409 naming
the state (members ``work_order``, ``state``, ``action``); so is a step raced by another.
Nothing is written on a refusal. Send ``Idempotency-Key`` to make a retry safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Query
from starlette.concurrency import run_in_threadpool

from api.auth import WhoDep, require
from api.construction.commands import IdempotencyKey
from api.facilities.routes import known, services
from api.facilities.work_order_schemas import (
    AssignIn,
    Priority,
    StepIn,
    WorkOrderIn,
    WorkOrderList,
    WorkOrderOut,
    WorkState,
    work_order_out,
)
from api.problems import problem_responses
from api.strict_query import api_router
from api.timeparam import answer_time, at_param
from assets.clock import CAMPUS_TZ
from assets.facilities.work_orders import Action
from twin.auth import Principal
from twin.facilities.services import FacilityServices
from twin.facilities.work_orders import (
    open_work_order,
    select_work_orders,
    step_work_order,
    work_order_at,
)

router = api_router("/api/v1/facilities/work-orders", ["facilities"])
WRITE = problem_responses(
    401,
    described={
        403: "Not the operations role",
        404: "No such work order or facility",
        409: "Its state does not allow this step (naming the state), or changed meanwhile",
        422: "Refused: the detail names the field",
    },
)


@router.post(
    "",
    operation_id="openWorkOrder",
    summary="Open a work order (corrective, or planned maintenance)",
    response_model=WorkOrderOut,
    status_code=201,
    responses=WRITE,
)
async def open_order(
    body: WorkOrderIn,
    key: IdempotencyKey = None,
    who: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> WorkOrderOut:
    """Open a work order against a facility. **Corrective**: work from now, optionally
    answering an `alert` (a key raised on the alert stream, e.g. `feed-down:feed-a`); due to
    start and finish within its priority's SLA hours (schematic defaults: P1 4 h / 24 h, P2
    8 h / 72 h, P3 24 h / 7 d, P4 72 h / 30 d). **Planned**: from `planned_start`, due to
    start then and to finish by `window_end` (else the SLA's finishing hours); `window_end`
    makes it a maintenance window, during which the facility's status is `maintenance` and the
    halls it feeds lose its redundancy (statuses, effective statuses, redundancy, colours);
    `recurrence` (every N days, weeks or months) opens the next occurrence when one is done."""
    order_id, _ = await run_in_threadpool(
        open_work_order, svc.state, body.order(), actor=who.actor, idempotency_key=key or None
    )
    return _answer(svc, order_id)


@router.get(
    "",
    operation_id="listWorkOrders",
    summary="Work orders at any time, with filters (state, facility, priority, overdue)",
    response_model=WorkOrderList,
    responses=problem_responses(described={404: "No such facility", 422: "A bad filter value"}),
)
def list_orders(
    who: WhoDep,
    at: datetime = Depends(at_param),
    state: Annotated[WorkState | None, Query(description="Only in this state")] = None,
    facility: Annotated[
        str | None, Query(description="Only against this facility", max_length=200)
    ] = None,
    priority: Annotated[Priority | None, Query(description="Only of this priority")] = None,
    overdue_only: Annotated[
        bool | None,
        Query(alias="overdue", description="true: only overdue at `at`; false: only not overdue"),
    ] = None,
    svc: FacilityServices = Depends(services),
) -> WorkOrderList:
    """Every work order as it stood at `at` (default now), oldest first, with its SLA state at
    `at` (`overdue`: `start` or `finish`) and whether its maintenance window holds its facility
    at `at`. Assignees and notes only with an `operations` token."""
    if facility is not None:
        known(svc, facility)
    found = select_work_orders(
        svc.state, at, status=state, facility=facility, priority=priority, late=overdue_only
    )
    ops = who.may("operations")
    orders = [work_order_out(s, at, at.tzinfo or UTC, ops, svc.topology) for s in found]
    return WorkOrderList(at=answer_time(at, at.tzinfo), total=len(orders), work_orders=orders)


@router.get(
    "/{order_id}",
    operation_id="getWorkOrder",
    summary="One work order at any time",
    response_model=WorkOrderOut,
    responses=problem_responses(described={404: "No such work order (at `at`)"}),
)
def get_order(
    order_id: str,
    who: WhoDep,
    at: datetime = Depends(at_param),
    svc: FacilityServices = Depends(services),
) -> WorkOrderOut:
    """The work order as it stood at `at` (default now), with its times, SLA due times and
    overdue state at `at`; assignee and notes (who, when, what) for operations tokens."""
    state = work_order_at(svc.state, order_id, at)
    return work_order_out(state, at, at.tzinfo or UTC, who.may("operations"), svc.topology)


def _answer(svc: FacilityServices, order_id: str) -> WorkOrderOut:
    now = datetime.now(UTC)
    return work_order_out(
        work_order_at(svc.state, order_id, now), now, CAMPUS_TZ, True, svc.topology
    )


async def _step(
    svc: FacilityServices,
    who: Principal,
    order_id: str,
    action: Action,
    body: StepIn,
    key: str | None,
    assignee: str | None = None,
) -> WorkOrderOut:
    await run_in_threadpool(
        step_work_order,
        svc.state,
        order_id,
        action,
        actor=who.actor,
        note=body.note,
        assignee=assignee,
        idempotency_key=key or None,
    )
    return _answer(svc, order_id)


@router.post(
    "/{order_id}/assign",
    operation_id="assignWorkOrder",
    summary="Assign (or reassign) a work order before it starts",
    response_model=WorkOrderOut,
    responses=WRITE,
)
async def assign(
    order_id: str,
    body: AssignIn,
    key: IdempotencyKey = None,
    who: Principal = Depends(require("operations")),
    svc: FacilityServices = Depends(services),
) -> WorkOrderOut:
    """Name who takes the work (`assignee`), with an optional `note`: from `open` or
    `assigned` to `assigned`."""
    return await _step(svc, who, order_id, "assign", body, key, body.assignee)


def _simple_step(action: Action, summary: str, doc: str) -> None:
    """Register ``POST /{order_id}/<action>`` taking an optional note."""

    async def endpoint(
        order_id: str,
        body: StepIn,
        key: IdempotencyKey = None,
        who: Principal = Depends(require("operations")),
        svc: FacilityServices = Depends(services),
    ) -> WorkOrderOut:
        return await _step(svc, who, order_id, action, body, key)

    endpoint.__doc__ = doc
    router.post(
        f"/{{order_id}}/{action}",
        operation_id=f"{action}WorkOrder",
        summary=summary,
        response_model=WorkOrderOut,
        responses=WRITE,
    )(endpoint)


_simple_step("start", "Start an assigned work order", "From `assigned` to `in_progress`.")
_simple_step(
    "complete",
    "Complete a work order in progress",
    "From `in_progress` to `done`; a recurring planned order opens its next occurrence "
    "(its id in `next`). The maintenance window, if any, ends now.",
)
_simple_step(
    "cancel",
    "Cancel a work order not done",
    "From `open`, `assigned` or `in_progress` to `cancelled`; its maintenance window ends "
    "now; a recurring series ends with it.",
)
