"""Request and response models of the work order endpoints (allow-lists)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from api.timeparam import answer_time
from assets.facilities.recurrence import Recurrence
from assets.facilities.topology import Topology
from assets.facilities.work_order_commands import NewWorkOrder
from assets.facilities.work_orders import overdue, window_active
from assets.text import SafeId, SafeName, SafeNote

Kind = Literal["corrective", "planned"]
Priority = Literal["P1", "P2", "P3", "P4"]
WorkState = Literal["open", "assigned", "in_progress", "done", "cancelled"]


class RecurrenceIn(BaseModel):
    """Every `every` days, weeks or months from the first planned start, until `until`."""

    model_config = ConfigDict(extra="forbid")
    every: int = Field(ge=1, le=366, examples=[1])
    unit: Literal["day", "week", "month"] = Field(examples=["month"])
    until: AwareDatetime | None = Field(None, description="No occurrence starts after this")


class WorkOrderIn(BaseModel):
    """A new work order. Corrective: starts now, may name an `alert` key. Planned: needs
    `planned_start`; `window_end` makes it a maintenance window (the facility is in
    maintenance from `planned_start` until then); `recurrence` repeats it."""

    model_config = ConfigDict(extra="forbid")
    facility: SafeId = Field(examples=["feed-a"])
    kind: Kind
    priority: Priority = Field(description="SLA clock: P1 4 h to start / 24 h to finish ...")
    title: SafeName = Field(examples=["Feed A switchgear service"])
    note: SafeNote | None = None
    alert: SafeId | None = Field(None, examples=["feed-down:feed-a"])
    planned_start: AwareDatetime | None = None
    window_end: AwareDatetime | None = None
    recurrence: RecurrenceIn | None = None

    def order(self) -> NewWorkOrder:
        """As the domain's new order."""
        r = self.recurrence
        return NewWorkOrder(
            self.facility,
            self.kind,
            self.priority,
            self.title,
            self.note,
            self.alert,
            self.planned_start,
            self.window_end,
            None if r is None else Recurrence(r.every, r.unit, r.until),
        )


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: SafeNote | None = None


class AssignIn(StepIn):
    assignee: SafeName = Field(examples=["Li Wei"])


class NoteOut(BaseModel):
    at: str
    state: WorkState
    by: str | None
    note: str | None


class WorkOrderOut(BaseModel):
    """A work order as it stood at `at`; `assignee` and `notes` for operations tokens only."""

    id: str = Field(examples=["wo-3f9c2a1b"])
    facility: str
    building: str | None = Field(description="The building housing the facility, if any")
    kind: Kind
    priority: Priority
    title: str
    alert: str | None
    state: WorkState
    opened_at: str
    assigned_at: str | None = None
    started_at: str | None = None
    done_at: str | None = None
    cancelled_at: str | None = None
    start_due: str = Field(description="Due to start by (SLA clock)")
    finish_due: str = Field(description="Due to finish by (SLA clock)")
    overdue: Literal["start", "finish"] | None = Field(
        description="At `at`: not started by start_due, or not finished by finish_due"
    )
    planned_start: str | None = None
    window_end: str | None = Field(None, description="End of its maintenance window")
    in_maintenance_window: bool = Field(description="Its facility is in maintenance at `at`")
    recurrence: RecurrenceIn | None = None
    occurrence: int | None = None
    next: str | None = Field(None, description="The next occurrence, once this one is done")
    assignee: str | None = None
    notes: list[NoteOut] | None = None


class WorkOrderList(BaseModel):
    at: str
    total: int
    work_orders: list[WorkOrderOut]


TIMES = (
    "opened_at",
    "assigned_at",
    "started_at",
    "done_at",
    "cancelled_at",
    "start_due",
    "finish_due",
    "planned_start",
    "window_end",
)


def work_order_out(
    state: dict[str, Any], at: Any, zone: tzinfo, ops: bool, topology: Topology
) -> WorkOrderOut:
    """``state`` (a work order's at ``at``) for the answer, in ``zone``."""
    node = topology.facilities.get(state["facility"])
    times = {k: answer_time(state[k], zone) for k in TIMES if state.get(k)}
    notes = [n | {"at": answer_time(n["at"], zone)} for n in state.get("notes", [])]
    return WorkOrderOut(
        **{k: state.get(k) for k in ("id", "facility", "kind", "priority", "title", "alert")},
        building=node.building if node else None,
        state=state["state"],
        **times,
        overdue=overdue(state, at),
        in_maintenance_window=window_active(state, at),
        recurrence=state.get("recurrence"),
        occurrence=state.get("occurrence"),
        next=state.get("next"),
        assignee=state.get("assignee") if ops else None,
        notes=[NoteOut(**n) for n in notes] if ops else None,
    )
