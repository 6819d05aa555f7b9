"""The alarm lifecycle: raised by an alert rule, acknowledged, shelved, escalated, cleared.

An alarm is one occurrence of an alert (:mod:`assets.facilities.alerts`): ``FacilityAlertRaised``
starts it, ``FacilityAlertCleared`` ends it when its condition ends; a raise after a clear is a
new alarm. Its id, ``<rule key>@<raised, UTC>``, is derived from the raise alone, so it is
stable and addressable. In between, operators acknowledge and shelve it (until an instant) and
the clock (:func:`due_events`) unshelves it when its shelf time passes and escalates it while
nobody has acknowledged it. Every step is an event on :data:`ALERT_STREAM`, folded here into one
derived state that every view reads. Transitions that cannot happen are refused with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from assets import growing_maps
from assets.events import DomainError, DomainEvent, ErrorKind
from assets.facilities.alerts import ALERT_STREAM, alarm_id

ACKNOWLEDGED = "FacilityAlarmAcknowledged"
SHELVED = "FacilityAlarmShelved"
UNSHELVED = "FacilityAlarmUnshelved"
ESCALATED = "FacilityAlarmEscalated"
LIFECYCLE = (ACKNOWLEDGED, SHELVED, UNSHELVED, ESCALATED)
"""Event types of the lifecycle (raise and clear are the alert rules' own)."""
AlarmState = Literal["active", "acknowledged", "shelved", "cleared"]
"""``active``: raised and unacknowledged; ``cleared``: its condition ended (final)."""
STATES: tuple[AlarmState, ...] = get_args(AlarmState)
Severity = Literal["critical", "major", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
CLOCK = "clock"
"""The actor of the steps the clock takes (unshelve on expiry, escalation, delayed raise)."""
MAX_LEVEL = 3
"""Escalation levels an unacknowledged alarm climbs at most."""
MAX_SHELVE = timedelta(days=7)
"""Longest shelf time: an alarm cannot be hidden for longer."""

DELAYS_S = (("metric-limit", 300.0),)
"""Default delays, s: a metric must stay past its limit 5 min (a spike raises nothing); a
status report (feed down, hall without redundancy) is deliberate and raises at once."""
ESCALATION_S = (("critical", 300.0), ("major", 900.0), ("warning", 3600.0))
"""Default escalation intervals, s, by severity (``info`` never escalates)."""

Alarm = dict[str, Any]


@dataclass(frozen=True)
class AlarmPolicy:
    """Delays before a rule raises (s), and escalation intervals per severity (s)."""

    delays_s: Mapping[str, float] = field(default_factory=lambda: dict(DELAYS_S))
    escalation_s: Mapping[str, float] = field(default_factory=lambda: dict(ESCALATION_S))

    def delay(self, rule: str) -> timedelta:
        """How long a rule's condition must hold before it raises an alarm."""
        return timedelta(seconds=self.delays_s.get(rule, 0.0))


class AlarmRefused(DomainError):
    """A lifecycle step the alarm's state does not allow (or an alarm that does not exist)."""

    def __init__(self, kind: ErrorKind, message: str, alarm: str, state: str | None = None):
        super().__init__(message)
        self.kind, self.alarm, self.state = kind, alarm, state

    @property
    def details(self) -> dict[str, Any]:
        return {"alarm": self.alarm} | ({"state": self.state} if self.state else {})


def state_of(alarm: Alarm) -> str:
    """The alarm's state, from its facts."""
    if alarm.get("cleared_at"):
        return "cleared"
    if alarm.get("shelved"):
        return "shelved"
    return "acknowledged" if alarm.get("acknowledged") else "active"


# -- reducers (on ALERT_STREAM, with the alert rules' own) -----------------------------------


def _put(state: Mapping[str, Any], alarm: Alarm) -> dict[str, Any]:
    alarm = {**alarm, "state": state_of(alarm)}
    return growing_maps.put(state, "alarms", alarm["id"], alarm)


def raised(state: Mapping[str, Any], data: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """A new alarm (and the alert active under its key)."""
    alarm = data.get("alarm") or alarm_id(data["key"], at)
    fields = {k: v for k, v in data.items() if k != "alarm"}
    active = {**state.get("active", {}), data["key"]: {**fields, "since": at.isoformat()}}
    record = {**fields, "id": alarm, "raised_at": at.isoformat(), "clock_from": at.isoformat()}
    return _put({**state, "active": active}, record | {"escalation": 0})


def cleared(state: Mapping[str, Any], data: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """The alert's condition ended: its alarm is cleared."""
    alert = state.get("active", {}).get(data["key"])
    out = {
        **state,
        "active": {k: v for k, v in state.get("active", {}).items() if k != data["key"]},
    }
    if alert is None:
        return out
    alarm = data.get("alarm") or alarm_id(data["key"], datetime.fromisoformat(alert["since"]))
    found = state.get("alarms", {}).get(alarm)
    if found is None:
        return out
    return _put(out, {**found, "cleared_at": at.isoformat(), "cleared_message": data["message"]})


def _step(change: Any) -> Any:
    def reduce(state: Mapping[str, Any], data: Mapping[str, Any], at: datetime) -> dict[str, Any]:
        found = state.get("alarms", {}).get(data["alarm"])
        return dict(state) if found is None else _put(state, change(found, data, at))

    return reduce


def _acknowledged(alarm: Alarm, data: Mapping[str, Any], at: datetime) -> Alarm:
    return {
        **alarm,
        "acknowledged": {
            "by": data["by"],
            "at": at.isoformat(),
            "comment": data.get("comment", ""),
        },
    }


def _shelved(alarm: Alarm, data: Mapping[str, Any], at: datetime) -> Alarm:
    shelf = {"by": data["by"], "at": at.isoformat(), "until": data["until"]}
    return {**alarm, "shelved": shelf | {"comment": data.get("comment", "")}}


def _unshelved(alarm: Alarm, data: Mapping[str, Any], at: datetime) -> Alarm:
    return {**alarm, "shelved": None, "clock_from": at.isoformat()}


def _escalated(alarm: Alarm, data: Mapping[str, Any], at: datetime) -> Alarm:
    return {
        **alarm,
        "escalation": data["level"],
        "escalated_at": at.isoformat(),
        "clock_from": at.isoformat(),
    }


REDUCERS = {
    ACKNOWLEDGED: _step(_acknowledged),
    SHELVED: _step(_shelved),
    UNSHELVED: _step(_unshelved),
    ESCALATED: _step(_escalated),
}


# -- what operators may do -------------------------------------------------------------------


def find(alarms: Mapping[str, Alarm], alarm: str) -> Alarm:
    """The alarm ``alarm``, or a 404 naming it."""
    if alarm not in alarms:
        raise AlarmRefused("not_found", f"no alarm {alarm!r}", alarm)
    return alarms[alarm]


def _open(alarm: Alarm, doing: str) -> None:
    if alarm["state"] == "cleared":
        message = f"alarm {alarm['id']!r} cleared at {alarm['cleared_at']}: nothing to {doing}"
        raise AlarmRefused("conflict", message, alarm["id"], "cleared")


def _event(kind: str, alarm: Alarm, at: datetime, **data: Any) -> DomainEvent:
    return DomainEvent(
        ALERT_STREAM, kind, at, {"alarm": alarm["id"], "facility": alarm["facility"], **data}
    )


def acknowledge(alarm: Alarm, by: str, comment: str, at: datetime) -> DomainEvent:
    """``by`` takes the alarm on; an alarm is acknowledged once."""
    _open(alarm, "acknowledge")
    if alarm.get("acknowledged"):
        ack = alarm["acknowledged"]
        message = f"alarm {alarm['id']!r} was already acknowledged by {ack['by']} at {ack['at']}"
        raise AlarmRefused("conflict", message, alarm["id"], alarm["state"])
    return _event(ACKNOWLEDGED, alarm, at, by=by, comment=comment)


def shelve(alarm: Alarm, by: str, until: datetime, comment: str, at: datetime) -> DomainEvent:
    """Hide the alarm until ``until`` (a shelved alarm may be shelved again, to a new time)."""
    _open(alarm, "shelve")
    if until <= at:
        message = f"until ({until.isoformat()}) must be after now ({at.isoformat()})"
        raise AlarmRefused("invalid", message, alarm["id"], alarm["state"])
    if until - at > MAX_SHELVE:
        message = f"until ({until.isoformat()}) is more than {MAX_SHELVE.days} days away"
        raise AlarmRefused("invalid", message, alarm["id"], alarm["state"])
    return _event(SHELVED, alarm, at, by=by, until=until.isoformat(), comment=comment)


def unshelve(alarm: Alarm, by: str, at: datetime, reason: str = "operator") -> DomainEvent:
    """Show a shelved alarm again (``reason``: ``operator`` or ``expired``)."""
    _open(alarm, "unshelve")
    if not alarm.get("shelved"):
        message = f"alarm {alarm['id']!r} is not shelved (it is {alarm['state']})"
        raise AlarmRefused("conflict", message, alarm["id"], alarm["state"])
    return _event(UNSHELVED, alarm, at, by=by, reason=reason)


# -- what the clock does ---------------------------------------------------------------------


def _next_due(alarm: Alarm, policy: AlarmPolicy) -> tuple[datetime, DomainEvent] | None:
    if alarm["state"] == "shelved":
        until = datetime.fromisoformat(alarm["shelved"]["until"])
        return until, unshelve(alarm, CLOCK, until, "expired")
    interval = policy.escalation_s.get(alarm["severity"])
    if alarm["state"] != "active" or not interval or alarm["escalation"] >= MAX_LEVEL:
        return None
    when = datetime.fromisoformat(alarm["clock_from"]) + timedelta(seconds=interval)
    level = alarm["escalation"] + 1
    return when, _event(ESCALATED, alarm, when, by=CLOCK, level=level, severity=alarm["severity"])


def due_events(
    alarms: Mapping[str, Alarm], now: datetime, policy: AlarmPolicy
) -> list[DomainEvent]:
    """Unshelves and escalations due by ``now``, each dated when it became due (none twice:
    what is recorded moves the alarm's clock on)."""
    out = []
    for alarm in alarms.values():
        state: dict[str, Any] = {"alarms": {alarm["id"]: alarm}}
        while (due := _next_due(state["alarms"][alarm["id"]], policy)) and due[0] <= now:
            out.append(due[1])
            state = REDUCERS[due[1].type](state, due[1].data, due[0])
    return sorted(out, key=lambda e: e.effective_at)


def age_s(alarm: Alarm, now: datetime) -> float:
    """Seconds since the alarm was raised (until it cleared, if it did)."""
    end = datetime.fromisoformat(alarm["cleared_at"]) if alarm.get("cleared_at") else now
    return max(0.0, (end - datetime.fromisoformat(alarm["raised_at"])).total_seconds())
