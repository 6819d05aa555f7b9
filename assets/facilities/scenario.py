"""Simulation scenarios as data: one JSON file each in ``assets/data/scenarios``, checked on load.

A scenario names when a run starts (campus time of day), how long it lasts, how often the
facilities report, how often a sensor glitches (a value outside its valid range, which the
twin refuses), the status changes it scripts (``events``: feed A trips at 14:00) and the
windows in which a chiller plant runs below capacity (``cooling``). Times of day are
``HH:MM`` campus time (UTC+8) on the run's first day; ``24:00`` and later fall on the next.
Every error names the field, e.g. ``events[1].status``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from assets.facilities.kinds import STATUSES
from assets.facilities.topology import Topology

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "scenarios"
FIELDS = frozenset(
    {"name", "description", "start", "duration_min", "step_s", "glitch_rate", "events", "cooling"}
)


class ScenarioError(ValueError):
    """A scenario file that is not valid; the message names the field."""


@dataclass(frozen=True)
class StatusEvent:
    """``facility`` reports ``status`` at ``at`` after the first day's midnight."""

    at: timedelta
    facility: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class CoolingWindow:
    """``facility`` (a chiller plant) runs at ``capacity`` (0–1) of its design from ``start``
    to ``end`` after the first day's midnight."""

    start: timedelta
    end: timedelta
    facility: str
    capacity: float


@dataclass(frozen=True)
class Scenario:
    """A scripted run; ``start`` is the time of day (after midnight) a run starts by default."""

    name: str
    description: str
    start: timedelta
    duration: timedelta
    step: timedelta
    glitch_rate: float
    events: tuple[StatusEvent, ...] = ()
    cooling: tuple[CoolingWindow, ...] = ()


def scenario_names() -> list[str]:
    """The scenarios shipped with the twin."""
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


def load_scenario(name_or_path: str | Path, topology: Topology) -> Scenario:
    """A shipped scenario by name, or a scenario file, checked against ``topology``."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIOS / f"{name_or_path}.json"
        if not path.is_file():
            known = ", ".join(scenario_names())
            raise ScenarioError(f"no scenario is called {name_or_path!r}: use one of {known}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ScenarioError(f"{path.name}: not a readable JSON file ({exc})") from exc
    return parse_scenario(raw, topology)


def parse_scenario(raw: Any, topology: Topology) -> Scenario:
    """A scenario from its decoded JSON; :class:`ScenarioError` names the first bad field."""
    if not isinstance(raw, Mapping):
        raise ScenarioError("a scenario is a JSON object")
    extra = set(raw) - FIELDS
    if extra:
        raise ScenarioError(
            f"{sorted(extra)[0]}: unknown field (fields: {', '.join(sorted(FIELDS))})"
        )
    name = _text(raw, "name") or ""
    duration = timedelta(minutes=_number(raw, "duration_min", 1, 7 * 24 * 60))
    step = timedelta(seconds=_number(raw, "step_s", 1, 3600))
    events = tuple(_event(e, f"events[{i}]", topology) for i, e in enumerate(_list(raw, "events")))
    cooling = tuple(
        _window(w, f"cooling[{i}]", topology) for i, w in enumerate(_list(raw, "cooling"))
    )
    return Scenario(
        name,
        _text(raw, "description", required=False) or "",
        _time_of_day(raw.get("start", "00:00"), "start"),
        duration,
        step,
        _number(raw, "glitch_rate", 0, 1, default=0.0),
        tuple(sorted(events, key=lambda e: e.at)),
        cooling,
    )


def _text(raw: Mapping[str, Any], field: str, where: str = "", required: bool = True) -> str | None:
    value = raw.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{where}{field}: must be non-empty text, not {value!r}")
    return value


def _number(
    raw: Mapping[str, Any],
    field: str,
    low: float,
    high: float,
    where: str = "",
    default: float | None = None,
) -> float:
    value = raw.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ScenarioError(
            f"{where}{field}: must be a number from {low:g} to {high:g}, not {value!r}"
        )
    return float(value)


def _list(raw: Mapping[str, Any], field: str) -> list[Any]:
    value = raw.get(field, [])
    if not isinstance(value, list):
        raise ScenarioError(f"{field}: must be a list, not {type(value).__name__}")
    return value


def _time_of_day(value: Any, field: str) -> timedelta:
    """``HH:MM`` (hours 0–47: the first day or the next) as time after the first midnight."""
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
    except ValueError:
        raise ScenarioError(f"{field}: {value!r} is not a time of day HH:MM") from None
    if not (0 <= hours < 48 and 0 <= minutes < 60):
        raise ScenarioError(f"{field}: {value!r} is not a time of day HH:MM (hours 0 to 47)")
    return timedelta(hours=hours, minutes=minutes)


def _facility(
    raw: Mapping[str, Any], where: str, topology: Topology, kinds: tuple[str, ...]
) -> str:
    fid = _text(raw, "facility", where)
    node = topology.facilities.get(fid or "")
    if node is None:
        raise ScenarioError(f"{where}facility: no facility is called {fid!r}")
    if kinds and node.kind not in kinds:
        raise ScenarioError(f"{where}facility: {fid} is a {node.kind}, not a {' or '.join(kinds)}")
    return node.id


def _event(raw: Any, field: str, topology: Topology) -> StatusEvent:
    if not isinstance(raw, Mapping) or set(raw) - {"at", "facility", "status", "note"}:
        raise ScenarioError(f"{field}: must be an object with at, facility, status and note")
    where = field + "."
    status = raw.get("status")
    if status not in STATUSES:
        raise ScenarioError(f"{where}status: {status!r} is not one of {', '.join(STATUSES)}")
    return StatusEvent(
        _time_of_day(raw.get("at"), where + "at"),
        _facility(raw, where, topology, ()),
        status,
        _text(raw, "note", where, required=False),
    )


def _window(raw: Any, field: str, topology: Topology) -> CoolingWindow:
    if not isinstance(raw, Mapping) or set(raw) - {"from", "to", "facility", "capacity"}:
        raise ScenarioError(f"{field}: must be an object with from, to, facility and capacity")
    where = field + "."
    start = _time_of_day(raw.get("from"), where + "from")
    end = _time_of_day(raw.get("to"), where + "to")
    if end <= start:
        raise ScenarioError(f"{where}to: must be after {where}from")
    return CoolingWindow(
        start,
        end,
        _facility(raw, where, topology, ("cooling",)),
        _number(raw, "capacity", 0, 1, where),
    )
