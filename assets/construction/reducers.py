"""How stage events change a ``building:<id>`` or ``works:<id>`` stream (pure reducers).

The state is ``{"stages": {stage: {...}}}``; each stage holds ISO local dates
``planned_start``, ``planned_end``, ``baseline_start``, ``baseline_end`` (the first plan),
``actual_start``, ``actual_end``, ``percent`` (0-100), ``progress_on`` (date of the latest
percent), ``plan_history`` (reschedules with their reasons) and ``corrections`` (progress
set back, with reasons). An event's ``on`` date, when given, is the actual date; otherwise
the local date of its effective time. Reducers never mutate: they return new dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from assets.clock import local_day

State = dict[str, Any]
Reducer = Callable[[State, Mapping[str, Any], datetime], State]


def _stage(state: State, stage: str) -> dict[str, Any]:
    return dict(state.get("stages", {}).get(stage, {}))


def _with_stage(state: State, stage: str, values: Mapping[str, Any]) -> State:
    stages = dict(state.get("stages", {}))
    stages[stage] = {**_stage(state, stage), **values}
    return {**state, "stages": stages}


def _on(data: Mapping[str, Any], at: datetime) -> str:
    on = data.get("on")
    return str(on) if on else local_day(at)


def _planned(state: State, data: Mapping[str, Any], at: datetime) -> State:
    before = _stage(state, data["stage"])
    values: dict[str, Any] = {
        "planned_start": data.get("planned_start", before.get("planned_start")),
        "planned_end": data.get("planned_end", before.get("planned_end")),
    }
    if "baseline_start" not in before:
        values["baseline_start"] = values["planned_start"]
        values["baseline_end"] = values["planned_end"]
    if data.get("reason"):
        change = {
            "on": local_day(at),
            "reason": data["reason"],
            "from": [before.get("planned_start"), before.get("planned_end")],
            "to": [values["planned_start"], values["planned_end"]],
        }
        values["plan_history"] = [*before.get("plan_history", []), change]
    return _with_stage(state, data["stage"], values)


def stage_planned(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """A stage's plan (``planned_start``, ``planned_end``); the first one is the baseline."""
    return _planned(state, data, at)


def stage_rescheduled(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """New planned dates, with the ``reason`` kept in the stage's ``plan_history``."""
    return _planned(state, data, at)


def stage_started(state: State, data: Mapping[str, Any], at: datetime) -> State:
    on = _on(data, at)
    return _with_stage(state, data["stage"], {"actual_start": on, "percent": 0, "progress_on": on})


def stage_progressed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    """A percent complete (0-100); a ``correction_reason`` is kept with the value set back."""
    stage = data["stage"]
    values: dict[str, Any] = {"percent": data["percent"], "progress_on": _on(data, at)}
    if data.get("correction_reason"):
        before = _stage(state, stage)
        change = {
            "on": values["progress_on"],
            "from": before.get("percent", 0),
            "to": data["percent"],
            "reason": data["correction_reason"],
        }
        values["corrections"] = [*before.get("corrections", []), change]
    return _with_stage(state, stage, values)


def stage_completed(state: State, data: Mapping[str, Any], at: datetime) -> State:
    on = _on(data, at)
    return _with_stage(state, data["stage"], {"actual_end": on, "percent": 100, "progress_on": on})


REDUCERS: dict[str, Reducer] = {
    "StagePlanned": stage_planned,
    "StageRescheduled": stage_rescheduled,
    "StageStarted": stage_started,
    "StageProgressed": stage_progressed,
    "StageCompleted": stage_completed,
}
"""Event type -> reducer, registered in :mod:`twin.reducers`."""
