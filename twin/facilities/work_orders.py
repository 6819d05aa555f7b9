"""Work order commands through :func:`twin.commands.run_command` (one stream per order,
appended at the version decided on) and their reads at any instant.

See :mod:`assets.facilities.work_orders` for the states, the SLA clock and maintenance
windows; the SLA hours are ``twin.settings.WORK_ORDER_SLA``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from assets.events import DomainEvent
from assets.facilities.alerts import ALERT_STREAM, RAISED
from assets.facilities.work_order_commands import (
    NewWorkOrder,
    check_new,
    next_stream,
    open_events,
    series_ids,
    step_events,
)
from assets.facilities.work_orders import Action, WorkOrderError, overdue, stream_of
from assets.history import State
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.facilities.state import FacilityState
from twin.settings import WORK_ORDER_SLA

RETRIES = 0
"""A work order step raced by another is refused (409), not decided again."""


def new_series_id(idempotency_key: str | None) -> str:
    """``wo-`` and 8 hex digits: from the idempotency key (a retry opens the same order), else
    random."""
    if idempotency_key is None:
        return f"wo-{uuid.uuid4().hex[:8]}"
    return f"wo-{hashlib.sha256(idempotency_key.encode()).hexdigest()[:8]}"


def open_work_order(
    state: FacilityState,
    order: NewWorkOrder,
    *,
    actor: str,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> tuple[str, list[RecordedEvent]]:
    """Open ``order``; returns its id and the events recorded (or replayed for a known key).

    Raises :class:`WorkOrderError` for an unknown facility or alert, or fields that do not
    hold together (nothing is written)."""
    moment = now or datetime.now(UTC)
    if order.facility not in state.topology.facilities:
        raise WorkOrderError(
            f"no facility is called {order.facility!r}: see /api/v1/facilities",
            "not_found",
            field="facility",
        )
    if order.alert is not None and order.alert not in raised_alerts(state):
        raise WorkOrderError(
            f"alert: no alert {order.alert!r} was ever raised on {ALERT_STREAM}", field="alert"
        )
    check_new(order, moment)
    order_id = series_ids(new_series_id(idempotency_key), order.recurrence is not None)

    def decide(states: Mapping[str, State], at: datetime) -> list[DomainEvent]:
        if states[stream_of(order_id)]:
            raise WorkOrderError(
                f"work order {order_id} exists already", "conflict", work_order=order_id
            )
        return open_events(order_id, order, WORK_ORDER_SLA[order.priority], at, actor)

    recorded = run_command(
        state.store,
        state.projection,
        [stream_of(order_id)],
        decide,
        actor=actor,
        idempotency_key=idempotency_key,
        now=moment,
    )
    return order_id, recorded


def step_work_order(
    state: FacilityState,
    order_id: str,
    action: Action,
    *,
    actor: str,
    note: str | None = None,
    assignee: str | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> list[RecordedEvent]:
    """Take ``action`` (assign, start, complete, cancel) on work order ``order_id``.

    Raises :class:`WorkOrderError` (``not_found``; ``conflict`` naming the state) or
    :class:`~twin.eventlog.VersionConflict` when another step got there first."""
    stream = stream_of(order_id)
    state.refresh(force=True)
    current = state.projection.latest(stream)[0]

    def decide(states: Mapping[str, State], at: datetime) -> list[DomainEvent]:
        return step_events(
            order_id, states[stream], action, at, actor, WORK_ORDER_SLA, note, assignee
        )

    return run_command(
        state.store,
        state.projection,
        [stream, *(next_stream(current) if current else [])],
        decide,
        actor=actor,
        idempotency_key=idempotency_key,
        retries=RETRIES,
        now=now,
    )


def raised_alerts(state: FacilityState) -> set[str]:
    """Keys of every alert ever raised."""
    return {e.data["key"] for e in state.projection.events(ALERT_STREAM) if e.type == RAISED}


def work_order_at(state: FacilityState, order_id: str, at: datetime) -> dict[str, Any]:
    """Work order ``order_id`` as it stood at ``at``; :class:`WorkOrderError` if none yet."""
    found = state.refresh().projection.stream_at(stream_of(order_id), at)
    if not found:
        raise WorkOrderError(
            f"no work order {order_id!r} at {at.isoformat()}", "not_found", work_order=order_id
        )
    return found


def select_work_orders(
    state: FacilityState,
    at: datetime,
    *,
    status: str | None = None,
    facility: str | None = None,
    priority: str | None = None,
    late: bool | None = None,
) -> list[dict[str, Any]]:
    """Work orders as they stood at ``at``, oldest first: only in ``status``, against
    ``facility``, of ``priority``, overdue at ``at`` (``late`` True) or not (False)."""
    found = [
        s
        for s in state.refresh().work_orders(at).values()
        if (status is None or s["state"] == status)
        and (facility is None or s["facility"] == facility)
        and (priority is None or s["priority"] == priority)
        and (late is None or (overdue(s, at) is not None) == late)
    ]
    return sorted(found, key=lambda s: (s["opened_at"], s["id"]))
