"""Work orders against facilities: their states, their SLA clock and maintenance windows.

A work order is one stream, ``workorder:<id>``. It is *corrective* (work to put something
right, optionally naming the alert that called for it) or *planned* (maintenance planned to
start at ``planned_start``, optionally recurring, see :mod:`assets.facilities.recurrence`).
Its state moves ``open -> assigned -> in_progress -> done``, or to ``cancelled`` from any state
before ``done`` (:data:`TRANSITIONS`); each step is an event carrying who, when and a note.

The SLA clock: an order is due to *start* by ``start_due`` and to *finish* by ``finish_due``,
fixed when it opens. A corrective order gets them from its priority's hours after it opened
(:class:`Sla`, defaults in ``twin.settings.WORK_ORDER_SLA``); a planned one is due to start at
its planned start and to finish at the end of its maintenance window, else its priority's
finishing hours after the planned start. It is *overdue* at an instant when it has not started
by ``start_due`` or not finished by ``finish_due`` (:func:`overdue`).

A planned order with ``window_end`` is a *maintenance window*: from ``planned_start`` until
``window_end`` (or until the order is done or cancelled, if sooner) the facility is in
``maintenance`` (:func:`maintenance_at`; the one derivation of statuses reads it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from assets.events import DomainError, ErrorKind

STREAM_PREFIX = "workorder:"
KINDS = ("corrective", "planned")
PRIORITIES = ("P1", "P2", "P3", "P4")
STATES = ("open", "assigned", "in_progress", "done", "cancelled")
CLOSED = frozenset({"done", "cancelled"})
OPENED = "WorkOrderOpened"
Action = Literal["assign", "start", "complete", "cancel"]
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "assign": (frozenset({"open", "assigned"}), "assigned", "WorkOrderAssigned"),
    "start": (frozenset({"assigned"}), "in_progress", "WorkOrderStarted"),
    "complete": (frozenset({"in_progress"}), "done", "WorkOrderCompleted"),
    "cancel": (frozenset({"open", "assigned", "in_progress"}), "cancelled", "WorkOrderCancelled"),
}
"""Action -> (states it may be taken from, state it leads to, event type)."""
EVENT_TYPES = (OPENED, *(t[2] for t in TRANSITIONS.values()))
TIME_OF_STATE = {
    "assigned": "assigned_at",
    "in_progress": "started_at",
    "done": "done_at",
    "cancelled": "cancelled_at",
}

State = dict[str, Any]


class WorkOrderError(DomainError):
    """A work order command refused: names the order, its state and the action (or field)."""

    def __init__(self, message: str, kind: ErrorKind = "invalid", **facts: Any):
        self.kind, self.facts = kind, facts
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        return dict(self.facts)


@dataclass(frozen=True)
class Sla:
    """Hours allowed to start and to finish a work order of one priority."""

    start_h: float
    finish_h: float


def stream_of(order_id: str) -> str:
    """The stream of work order ``order_id``."""
    return STREAM_PREFIX + order_id


def due_times(
    kind: str,
    opened_at: datetime,
    sla: Sla,
    planned_start: datetime | None = None,
    window_end: datetime | None = None,
) -> tuple[datetime, datetime]:
    """``(start_due, finish_due)`` of an order opening at ``opened_at`` (module docstring)."""
    if kind == "planned":
        assert planned_start is not None
        return planned_start, window_end or planned_start + timedelta(hours=sla.finish_h)
    return opened_at + timedelta(hours=sla.start_h), opened_at + timedelta(hours=sla.finish_h)


def _time(state: Mapping[str, Any], name: str) -> datetime | None:
    value = state.get(name)
    return datetime.fromisoformat(value) if value else None


def overdue(state: Mapping[str, Any], at: datetime) -> Literal["start", "finish"] | None:
    """What an order (its state at ``at``) is late for at ``at``: ``finish``, ``start`` or None."""
    if not state or state["state"] in CLOSED:
        return None
    if at > datetime.fromisoformat(state["finish_due"]):
        return "finish"
    if state["state"] in ("open", "assigned") and at > datetime.fromisoformat(state["start_due"]):
        return "start"
    return None


def window_active(state: Mapping[str, Any], at: datetime) -> bool:
    """Whether the order (its state at ``at``) holds its facility in maintenance at ``at``."""
    start, end = _time(state, "planned_start"), _time(state, "window_end")
    if start is None or end is None or state["state"] in CLOSED:
        return False
    return start <= at < end


def maintenance_at(orders: Iterable[Mapping[str, Any]], at: datetime) -> dict[str, datetime]:
    """Facilities in a maintenance window at ``at`` -> the start of the (earliest) window.

    ``orders``: work orders' states at ``at`` (the projection's ``all_at``)."""
    out: dict[str, datetime] = {}
    for state in orders:
        if window_active(state, at):
            start = datetime.fromisoformat(state["planned_start"])
            fid = state["facility"]
            out[fid] = min(start, out.get(fid, start))
    return out


# --- reducers ----------------------------------------------------------------------------------
def _note(data: Mapping[str, Any], at: datetime, state: str) -> dict[str, Any]:
    return {"at": at.isoformat(), "state": state, "by": data.get("by"), "note": data.get("note")}


def opened(state: State, data: Mapping[str, Any], at: datetime) -> State:
    fields = {k: v for k, v in data.items() if k not in ("note", "by")}
    return {
        **fields,
        "state": "open",
        "opened_at": at.isoformat(),
        "notes": [_note(data, at, "open")],
    }


def _moved(to: str) -> Any:
    def reducer(state: State, data: Mapping[str, Any], at: datetime) -> State:
        out = {**state, "state": to, TIME_OF_STATE[to]: at.isoformat()}
        if data.get("assignee"):
            out["assignee"] = data["assignee"]
        if data.get("next"):
            out["next"] = data["next"]
        return out | {"notes": [*state.get("notes", []), _note(data, at, to)]}

    return reducer


REDUCERS = {OPENED: opened} | {t[2]: _moved(t[1]) for t in TRANSITIONS.values()}
"""Reducers of the work order streams, by event type."""
