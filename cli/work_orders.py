"""``twin facilities work-orders list|show|open|assign|start|complete|cancel``.

The same rules as the API (:mod:`twin.facilities.work_orders`): a step the order's state does
not allow is refused naming the state, and nothing is written. Commands act as the local
operator (actor ``cli:<user>``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from api.timeparam import answer_time
from assets.facilities.recurrence import UNITS, Recurrence
from assets.facilities.work_order_commands import NewWorkOrder
from assets.facilities.work_orders import PRIORITIES, STATES, Action, overdue, window_active
from cli.app import CliError, console
from cli.facilities import facilities_app
from cli.leasing import At, _actor, _at
from cli.options import Database, DataDir, open_twin
from twin.facilities.state import FacilityState
from twin.facilities.work_orders import (
    open_work_order,
    select_work_orders,
    step_work_order,
    work_order_at,
)

work_orders_app = typer.Typer(help="Work orders: corrective and planned maintenance.")
facilities_app.add_typer(work_orders_app, name="work-orders", no_args_is_help=True)
Note = Annotated[str | None, typer.Option(help="What was done or why.")]
Key = Annotated[
    str | None, typer.Option("--key", help="Idempotency key: a retry is recorded once.")
]


def _state(data: DataDir, db: Database) -> FacilityState:
    return open_twin(data, db).facilities.fresh()


def _one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise CliError(f"--{name} {value!r}: use one of {', '.join(allowed)}")
    return value


def _moment(value: str | None) -> datetime | None:
    return None if value is None else _at(value)


def _table(orders: list[dict[str, Any]], at: datetime) -> Table:
    table = Table(title=f"Work orders at {answer_time(at)[:16]}", title_justify="left")
    columns = (
        "id",
        "facility",
        "kind",
        "priority",
        "state",
        "assignee",
        "due",
        "overdue",
        "window",
    )
    for column in columns:
        table.add_column(column)
    for o in orders:
        due = o["finish_due"] if o["state"] == "in_progress" else o["start_due"]
        table.add_row(
            o["id"],
            o["facility"],
            o["kind"],
            o["priority"],
            o["state"],
            o.get("assignee") or "-",
            answer_time(due)[:16],
            overdue(o, at) or "-",
            "maintenance" if window_active(o, at) else "-",
        )
    return table


@work_orders_app.command("list")
def list_orders(
    state: Annotated[
        str | None, typer.Option(help=f"Only in this state: {', '.join(STATES)}.")
    ] = None,
    facility: Annotated[str | None, typer.Option(help="Only against this facility.")] = None,
    priority: Annotated[str | None, typer.Option(help="Only of this priority: P1-P4.")] = None,
    overdue_only: Annotated[
        bool | None, typer.Option("--overdue/--not-overdue", help="Only (not) overdue at --at.")
    ] = None,
    at: At = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Work orders as they stood at --at (default now), with their SLA state."""
    moment, found = _at(at), _state(data, db)
    if facility is not None and facility not in found.topology.facilities:
        raise CliError(f"no facility is called {facility!r}: see GET /api/v1/facilities")
    orders = select_work_orders(
        found,
        moment,
        status=_one_of("state", state, STATES),
        facility=facility,
        priority=_one_of("priority", priority, PRIORITIES),
        late=overdue_only,
    )
    console.print(_table(orders, moment))
    console.print(
        f"{len(orders)} work orders, {sum(bool(overdue(o, moment)) for o in orders)} overdue"
    )


@work_orders_app.command("show")
def show(order_id: str, at: At = None, db: Database = None, data: DataDir = None) -> None:
    """One work order at --at: its times, SLA due times and notes."""
    moment = _at(at)
    o = work_order_at(_state(data, db), order_id, moment)
    console.print(_table([o], moment))
    due = f"start due {answer_time(o['start_due'])}, finish due {answer_time(o['finish_due'])}"
    console.print(f"{o['title']} ({due})")
    for n in o.get("notes", []):
        console.print(
            f"  {n['at'][:16]}  {n['state']:<11} {n.get('by') or ''}  {n.get('note') or ''}"
        )


@work_orders_app.command("open")
def open_order(
    facility: Annotated[str, typer.Option(help="The facility, e.g. feed-a.")],
    title: Annotated[str, typer.Option(help="What is to be done.")],
    kind: Annotated[str, typer.Option(help="corrective or planned.")] = "corrective",
    priority: Annotated[str, typer.Option(help="P1 (4 h / 24 h) ... P4.")] = "P3",
    note: Note = None,
    alert: Annotated[str | None, typer.Option(help="The alert key it answers.")] = None,
    planned_start: Annotated[str | None, typer.Option(help="Planned start (ISO).")] = None,
    window_end: Annotated[str | None, typer.Option(help="End of the maintenance window.")] = None,
    every: Annotated[int | None, typer.Option(help="Repeat every N --unit.")] = None,
    unit: Annotated[str, typer.Option(help="day, week or month.")] = "month",
    until: Annotated[str | None, typer.Option(help="No occurrence after (ISO).")] = None,
    key: Key = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Open a work order; prints its id."""
    recurrence = None
    if every is not None:
        _one_of("unit", unit, UNITS)
        recurrence = Recurrence(every, unit, _moment(until))  # type: ignore[arg-type]
    order = NewWorkOrder(
        facility, kind, priority, title, note, alert,
        _moment(planned_start), _moment(window_end), recurrence,
    )  # fmt: skip
    order_id, _ = open_work_order(_state(data, db), order, actor=_actor(), idempotency_key=key)
    console.print(order_id)


def _step(
    action: Action, order_id: str, note: str | None, data: DataDir, db: Database, **kw: Any
) -> None:
    step_work_order(_state(data, db), order_id, action, actor=_actor(), note=note, **kw)
    console.print(f"{order_id}: {action} recorded")


@work_orders_app.command("assign")
def assign(
    order_id: str,
    assignee: Annotated[str, typer.Option(help="Who takes the work.")],
    note: Note = None,
    db: Database = None,
    data: DataDir = None,
) -> None:
    """Assign (or reassign) an open or assigned order."""
    _step("assign", order_id, note, data, db, assignee=assignee)


@work_orders_app.command("start")
def start(order_id: str, note: Note = None, db: Database = None, data: DataDir = None) -> None:
    """Start an assigned order."""
    _step("start", order_id, note, data, db)


@work_orders_app.command("complete")
def complete(order_id: str, note: Note = None, db: Database = None, data: DataDir = None) -> None:
    """Complete an order in progress (a recurring one opens its next occurrence)."""
    _step("complete", order_id, note, data, db)


@work_orders_app.command("cancel")
def cancel(order_id: str, note: Note = None, db: Database = None, data: DataDir = None) -> None:
    """Cancel an order not done (ends its maintenance window, and its series)."""
    _step("cancel", order_id, note, data, db)
