"""Operators' alarm commands (acknowledge, shelve, unshelve) and the alarm list.

Each command is decided on the alert stream's latest state by :func:`twin.commands.run_command`:
two operators acknowledging one alarm at once cannot both win (the second is re-decided on the
state the first left and refused, 409). Refusals record nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from assets.events import DomainEvent
from assets.facilities import alarms
from assets.facilities.alerts import ALERT_STREAM
from assets.history import State
from twin.commands import run_command
from twin.eventlog import RecordedEvent
from twin.facilities.alerting import RETRIES
from twin.facilities.state import FacilityState

Step = Callable[[alarms.Alarm, datetime], DomainEvent]


def _act(state: FacilityState, alarm: str, step: Step, actor: str) -> RecordedEvent:
    def decide(states: Mapping[str, State], now: datetime) -> list[DomainEvent]:
        return [step(alarms.find(states[ALERT_STREAM].get("alarms", {}), alarm), now)]

    state.refresh(force=True)
    (done,) = run_command(
        state.store, state.projection, [ALERT_STREAM], decide, actor=actor, retries=RETRIES
    )
    return done


def acknowledge(state: FacilityState, alarm: str, by: str, comment: str = "") -> RecordedEvent:
    """``by`` acknowledges ``alarm``."""
    return _act(state, alarm, lambda a, now: alarms.acknowledge(a, by, comment, now), by)


def shelve(
    state: FacilityState, alarm: str, by: str, until: datetime, comment: str = ""
) -> RecordedEvent:
    """``by`` shelves ``alarm`` until ``until`` (it unshelves by itself then)."""
    return _act(state, alarm, lambda a, now: alarms.shelve(a, by, until, comment, now), by)


def unshelve(state: FacilityState, alarm: str, by: str) -> RecordedEvent:
    """``by`` shows a shelved ``alarm`` again."""
    return _act(state, alarm, lambda a, now: alarms.unshelve(a, by, now), by)


def listed(
    state: FacilityState,
    at: datetime | None = None,
    states: set[str] | None = None,
    severities: set[str] | None = None,
    facilities: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Alarms as they were at ``at`` (None: now), filtered, the newest raised first."""
    found = [
        a
        for a in state.refresh().alarms(at).values()
        if (not states or a["state"] in states)
        and (not severities or a["severity"] in severities)
        and (not facilities or a["facility"] in facilities)
    ]
    return sorted(found, key=lambda a: (a["raised_at"], a["id"]), reverse=True)
