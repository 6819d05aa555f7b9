"""Schedule activities: the ``schedule:campus`` stream, its events and what an import changes.

An activity is one line of a construction manager's schedule (Microsoft Project, Primavera
P6): an ``id``, planned ``start`` and ``finish`` (campus-local ISO dates), the file's
``duration_days``, ``percent`` complete, ``actual_start``/``actual_finish``, whether it is a
``milestone``, links to its ``predecessors`` (``FS``, ``SS``, ``FF``, ``SF`` with a lag in
calendar days) and, when it maps to one, the ``entity`` (building or work package) and
``stage`` it plans. Named baselines keep each activity's planned start and finish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from graphlib import CycleError, TopologicalSorter
from typing import Any, Literal

from assets import growing_maps
from assets.events import DomainError, DomainEvent

STREAM = "schedule:campus"
"""The one stream of the campus schedule's activities and baselines."""
LinkType = Literal["FS", "SS", "FF", "SF"]
LINK_TYPES: tuple[LinkType, ...] = ("FS", "SS", "FF", "SF")
State = dict[str, Any]


@dataclass(frozen=True)
class Link:
    """``activity`` precedes the one holding this link: ``type`` with ``lag_days`` (days)."""

    activity: str
    type: LinkType = "FS"
    lag_days: float = 0.0


@dataclass(frozen=True)
class Activity:
    """One schedule activity (see the module docstring); dates are campus-local."""

    id: str
    name: str
    start: date
    finish: date
    duration_days: float = 0.0
    percent: float = 0.0
    actual_start: date | None = None
    actual_finish: date | None = None
    milestone: bool = False
    entity: str | None = None
    stage: str | None = None
    predecessors: tuple[Link, ...] = field(default_factory=tuple)
    not_before: date | None = None
    """Starts no earlier than this ("start no earlier than"), links or not: a stage's plan."""

    @property
    def code(self) -> str | None:
        """``entity/stage`` when the activity plans a stage."""
        return f"{self.entity}/{self.stage}" if self.entity and self.stage else None

    def record(self) -> dict[str, Any]:
        """The JSON form kept in the stream (ISO dates)."""
        out = asdict(self)
        for key in ("start", "finish", "actual_start", "actual_finish", "not_before"):
            out[key] = out[key].isoformat() if out[key] else None
        out["predecessors"] = [asdict(link) for link in self.predecessors]
        return out


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def activity_of(record: Mapping[str, Any]) -> Activity:
    """The :class:`Activity` kept as ``record`` (the inverse of :meth:`Activity.record`)."""
    links = tuple(
        Link(p["activity"], p["type"], float(p["lag_days"])) for p in record["predecessors"]
    )
    return Activity(
        id=record["id"],
        name=record["name"],
        start=date.fromisoformat(record["start"]),
        finish=date.fromisoformat(record["finish"]),
        duration_days=float(record["duration_days"]),
        percent=float(record["percent"]),
        actual_start=_day(record["actual_start"]),
        actual_finish=_day(record["actual_finish"]),
        milestone=bool(record["milestone"]),
        entity=record["entity"],
        stage=record["stage"],
        predecessors=links,
        not_before=_day(record.get("not_before")),
    )


def activities(state: State) -> dict[str, Activity]:
    """The activities of a ``schedule:campus`` state, by id, in the order first recorded."""
    return {k: activity_of(v) for k, v in state.get("activities", {}).items()}


class ScheduleError(DomainError):
    """A schedule import refused: names the ``file``, the ``activity`` and the ``rule``."""

    def __init__(self, file: str, activity: str | None, rule: str, message: str):
        self.file, self.activity, self.rule = file, activity, rule
        self.kind = "refused"
        where = f"{file}, activity {activity}" if activity else file
        super().__init__(f"{where}: {message} (rule: {rule})")

    @property
    def details(self) -> dict[str, Any]:
        """``file``, ``activity`` and ``rule`` for a problem+json body."""
        return {"file": self.file, "activity": self.activity, "rule": self.rule}


@dataclass(frozen=True)
class Change:
    """What an import does to one activity: ``added`` or ``changed`` (``fields`` that differ)."""

    activity: str
    kind: Literal["added", "changed"]
    fields: tuple[str, ...] = ()


def changes(state: State, incoming: list[Activity]) -> list[Change]:
    """The activities of ``incoming`` that are new or differ from ``state``, in file order."""
    known = state.get("activities", {})
    out = []
    for a in incoming:
        before = known.get(a.id)
        if before is None:
            out.append(Change(a.id, "added"))
            continue
        after = a.record()
        differ = tuple(k for k in after if after[k] != before.get(k))
        if differ:
            out.append(Change(a.id, "changed", differ))
    return out


def check(file: str, incoming: list[Activity]) -> None:
    """Refuse a schedule whose activities repeat an id, end before they start, link to an
    activity the file does not hold, or whose links loop (:class:`ScheduleError` naming the
    file and activity)."""
    seen: set[str] = set()
    for a in incoming:
        if a.id in seen:
            raise ScheduleError(file, a.id, "unique-id", "two activities have this id")
        seen.add(a.id)
        if a.finish < a.start:
            raise ScheduleError(
                file, a.id, "finish-after-start", f"finish {a.finish} is before start {a.start}"
            )
        if a.actual_finish and a.actual_start and a.actual_finish < a.actual_start:
            raise ScheduleError(
                file, a.id, "finish-after-start", "the actual finish is before the actual start"
            )
        if not 0 <= a.percent <= 100:
            raise ScheduleError(file, a.id, "percent-range", f"percent {a.percent} is not 0-100")
    ids = {a.id for a in incoming}
    for a in incoming:
        for link in a.predecessors:
            if link.activity not in ids:
                raise ScheduleError(
                    file, a.id, "known-predecessor", f"links to {link.activity}, not in the file"
                )
    try:
        TopologicalSorter({a.id: {p.activity for p in a.predecessors} for a in incoming}).prepare()
    except CycleError as e:
        loop = " -> ".join(e.args[1])
        raise ScheduleError(file, e.args[1][0], "no-cycle", f"the links loop: {loop}") from None


def activity_events(
    file: str, state: State, incoming: list[Activity], at: datetime
) -> list[DomainEvent]:
    """One ``ScheduleActivitySet`` for each activity ``incoming`` adds or changes."""
    by_id = {a.id: a for a in incoming}
    return [
        DomainEvent(
            STREAM, "ScheduleActivitySet", at, {"source": file, **by_id[c.activity].record()}
        )
        for c in changes(state, incoming)
    ]


def baseline_event(
    name: str, state: State, network: Mapping[str, Activity], at: datetime
) -> DomainEvent:
    """Save the planned dates of every activity of ``network`` (the one schedule network:
    imported activities and the campus's own stages) as baseline ``name``.

    Raises
    ------
    ScheduleError
        When the network has no activities, or the name is taken in ``state``.
    """
    if not network:
        raise ScheduleError("schedule", None, "baseline-needs-activities", "no activities yet")
    if name in state.get("baselines", {}):
        raise ScheduleError("schedule", None, "baseline-unique", f"baseline {name!r} exists")
    plan = {k: [a.start.isoformat(), a.finish.isoformat()] for k, a in network.items()}
    return DomainEvent(STREAM, "ScheduleBaselineSaved", at, {"name": name, "activities": plan})


def activity_set(state: State, data: Mapping[str, Any], at: datetime) -> State:
    record = {k: v for k, v in data.items() if k != "source"}
    return growing_maps.put(state, "activities", data["id"], record)


def baseline_saved(state: State, data: Mapping[str, Any], at: datetime) -> State:
    saved = {"saved_at": at.isoformat(), "activities": data["activities"]}
    return growing_maps.put(state, "baselines", data["name"], saved)


REDUCERS = {"ScheduleActivitySet": activity_set, "ScheduleBaselineSaved": baseline_saved}
"""Event type -> reducer of the schedule stream, registered in :mod:`twin.reducers`."""
