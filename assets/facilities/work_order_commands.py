"""Decisions on work orders (pure): open one, take it a step (:data:`TRANSITIONS`).

Each returns the events to record or raises :class:`WorkOrderError` (nothing is recorded):
``invalid`` for a bad field, ``not_found`` for an unknown order, ``conflict`` for
an action its state does not allow, naming the state. Completing an occurrence of a recurring
planned order also opens the next occurrence (cancelling one ends the series).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assets.events import DomainEvent
from assets.facilities.recurrence import Recurrence
from assets.facilities.work_orders import (
    KINDS,
    OPENED,
    PRIORITIES,
    TRANSITIONS,
    Action,
    Sla,
    WorkOrderError,
    due_times,
    stream_of,
)


@dataclass(frozen=True)
class NewWorkOrder:
    """What an operator asks for when opening a work order (see the module docstring of
    :mod:`assets.facilities.work_orders`)."""

    facility: str
    kind: str
    priority: str
    title: str
    note: str | None = None
    alert: str | None = None
    planned_start: datetime | None = None
    window_end: datetime | None = None
    recurrence: Recurrence | None = None


def series_ids(series: str, recurring: bool) -> str:
    """The id of a series' first order: ``<series>-1`` when it recurs, else ``<series>``."""
    return f"{series}-1" if recurring else series


def check_new(order: NewWorkOrder, now: datetime) -> None:
    """Refuse a new order whose fields do not hold together (facility and alert are checked
    against the campus by the caller)."""

    def bad(field: str, why: str) -> WorkOrderError:
        return WorkOrderError(f"{field}: {why}", field=field)

    if order.kind not in KINDS:
        raise bad("kind", f"one of {', '.join(KINDS)}, not {order.kind!r}")
    if order.priority not in PRIORITIES:
        raise bad("priority", f"one of {', '.join(PRIORITIES)}, not {order.priority!r}")
    if not order.title.strip():
        raise bad("title", "say what is to be done")
    if order.kind == "corrective":
        for name in ("planned_start", "window_end", "recurrence"):
            if getattr(order, name) is not None:
                raise bad(name, "only a planned order has one (a corrective order starts now)")
        return
    if order.alert is not None:
        raise bad("alert", "only a corrective order answers an alert")
    if order.planned_start is None:
        raise bad("planned_start", "a planned order needs the instant its work starts")
    until = None if order.recurrence is None else order.recurrence.until
    if until is not None and until < order.planned_start:
        raise bad("recurrence", "its `until` comes before the first planned start")
    if order.window_end is not None:
        if order.window_end <= order.planned_start:
            raise bad("window_end", "a maintenance window ends after it starts")
        if order.window_end <= now:
            raise bad("window_end", "this window is over already: history is not rewritten")


def open_events(
    order_id: str,
    order: NewWorkOrder,
    sla: Sla,
    now: datetime,
    by: str,
    occurrence: int = 1,
    first_start: datetime | None = None,
) -> list[DomainEvent]:
    """The event opening ``order`` as ``order_id`` at ``now`` (fields checked already)."""
    start_due, finish_due = due_times(order.kind, now, sla, order.planned_start, order.window_end)
    data: dict[str, Any] = {
        "id": order_id,
        "facility": order.facility,
        "kind": order.kind,
        "priority": order.priority,
        "title": order.title,
        "alert": order.alert,
        "start_due": start_due.isoformat(),
        "finish_due": finish_due.isoformat(),
        "by": by,
        "note": order.note,
    }
    if order.kind == "planned":
        assert order.planned_start is not None
        data |= {
            "planned_start": order.planned_start.isoformat(),
            "window_end": None if order.window_end is None else order.window_end.isoformat(),
            "first_start": (first_start or order.planned_start).isoformat(),
        }
    if order.recurrence is not None:
        data |= {
            "recurrence": order.recurrence.as_data(),
            "series": order_id.rsplit("-", 1)[0],
            "occurrence": occurrence,
        }
    return [DomainEvent(stream_of(order_id), OPENED, now, data)]


def next_occurrence(state: Mapping[str, Any]) -> tuple[str, NewWorkOrder, datetime] | None:
    """The next order of a recurring series after ``state`` (id, order, first start), or None
    when the order does not recur or the series has ended."""
    if not state.get("recurrence"):
        return None
    recurrence = Recurrence.of_data(state["recurrence"])
    first = datetime.fromisoformat(state["first_start"])
    start = recurrence.next_after(first, state["occurrence"])
    if start is None:
        return None
    end = state.get("window_end")
    length = (
        None
        if end is None
        else datetime.fromisoformat(end) - datetime.fromisoformat(state["planned_start"])
    )
    order = NewWorkOrder(
        state["facility"],
        "planned",
        state["priority"],
        state["title"],
        planned_start=start,
        window_end=None if length is None else start + length,
        recurrence=recurrence,
    )
    return f"{state['series']}-{state['occurrence'] + 1}", order, first


def step_events(
    order_id: str,
    state: Mapping[str, Any],
    action: Action,
    now: datetime,
    by: str,
    sla: Mapping[str, Sla],
    note: str | None = None,
    assignee: str | None = None,
) -> list[DomainEvent]:
    """The events of taking ``action`` on the order in ``state`` at ``now``."""
    if not state:
        raise WorkOrderError(
            f"no work order is called {order_id!r}", "not_found", work_order=order_id
        )
    allowed, _, event_type = TRANSITIONS[action]
    current = state["state"]
    if current not in allowed:
        raise WorkOrderError(
            f"work order {order_id} is {current}: it cannot {action} "
            f"(only from {', '.join(sorted(allowed))})",
            "conflict",
            work_order=order_id,
            state=current,
            action=action,
        )
    if action == "assign" and not (assignee or "").strip():
        raise WorkOrderError("assignee: name who takes the work", field="assignee")
    data: dict[str, Any] = {"by": by, "note": note}
    if action == "assign":
        data["assignee"] = assignee
    follow = next_occurrence(state) if action == "complete" else None
    out = []
    if follow is not None:
        next_id, order, first = follow
        data["next"] = next_id
        out = open_events(
            next_id, order, sla[order.priority], now, by, state["occurrence"] + 1, first
        )
    return [DomainEvent(stream_of(order_id), event_type, now, data), *out]


def next_stream(state: Mapping[str, Any]) -> list[str]:
    """The stream completing the order may open (its series' next occurrence), if any."""
    follow = next_occurrence(state)
    return [] if follow is None else [stream_of(follow[0])]
