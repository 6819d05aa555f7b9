"""The alarm lifecycle, pure: reducers, refused transitions, what the clock makes due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assets.events import DomainEvent
from assets.facilities import alarms
from assets.facilities.alerts import ALERT_STREAM, CLEARED, RAISED, alarm_id
from assets.facilities.reducers import REDUCERS

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
POLICY = alarms.AlarmPolicy()
ALERT = {"key": "feed-down:feed-a", "rule": "feed-down", "facility": "feed-a"}


def t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def fold(events, state=None):
    state = state or {}
    for e in sorted(events, key=lambda e: e.effective_at):
        state = REDUCERS[e.type](state, e.data, e.effective_at)
    return state


def raise_(minutes=0, severity="critical"):
    data = ALERT | {"severity": severity, "message": "feed-a is fault"}
    return DomainEvent(ALERT_STREAM, RAISED, t(minutes), data)


def clear(minutes):
    return DomainEvent(ALERT_STREAM, CLEARED, t(minutes), ALERT | {"message": "feed-a is up"})


def only(state):
    (alarm,) = state["alarms"].values()
    return alarm


def test_ids_are_stable_and_a_raise_after_a_clear_is_a_new_alarm():
    state = fold([raise_(0), clear(10), raise_(20)])
    first, second = alarm_id(ALERT["key"], t(0)), alarm_id(ALERT["key"], t(20))
    assert first == "feed-down:feed-a@20260105T020000Z"
    assert state["alarms"][first]["state"] == "cleared"
    assert state["alarms"][second]["state"] == "active"
    assert state["active"][ALERT["key"]]["since"] == t(20).isoformat()


def test_acknowledge_shelve_unshelve_and_clear():
    state = fold([raise_()])
    ack = alarms.acknowledge(only(state), "ops-1", "on it", t(1))
    state = fold([ack], state)
    assert only(state)["state"] == "acknowledged"
    assert only(state)["acknowledged"] == {
        "by": "ops-1",
        "at": t(1).isoformat(),
        "comment": "on it",
    }
    state = fold([alarms.shelve(only(state), "ops-1", t(60), "works", t(2))], state)
    assert only(state)["state"] == "shelved"
    state = fold([alarms.unshelve(only(state), "ops-1", t(3))], state)
    assert only(state)["state"] == "acknowledged"
    state = fold([clear(4)], state)
    assert only(state)["state"] == "cleared" and only(state)["cleared_at"] == t(4).isoformat()


@pytest.mark.parametrize(
    ("step", "kind", "words"),
    [
        (lambda a: alarms.acknowledge(a, "x", "", t(11)), "conflict", "cleared at"),
        (lambda a: alarms.shelve(a, "x", t(30), "", t(11)), "conflict", "nothing to shelve"),
        (lambda a: alarms.unshelve(a, "x", t(11)), "conflict", "nothing to unshelve"),
    ],
)
def test_a_cleared_alarm_refuses_every_step(step, kind, words):
    alarm = only(fold([raise_(), clear(10)]))
    with pytest.raises(alarms.AlarmRefused, match=words) as refused:
        step(alarm)
    assert refused.value.kind == kind and refused.value.details["state"] == "cleared"


def test_refusals_name_what_is_wrong():
    alarm = only(fold([raise_()]))
    acked = only(fold([raise_(), alarms.acknowledge(alarm, "ops-1", "", t(1))]))
    with pytest.raises(alarms.AlarmRefused, match="already acknowledged by ops-1"):
        alarms.acknowledge(acked, "ops-2", "", t(2))
    with pytest.raises(alarms.AlarmRefused, match="not shelved"):
        alarms.unshelve(alarm, "ops-1", t(2))
    with pytest.raises(alarms.AlarmRefused, match="must be after now") as past:
        alarms.shelve(alarm, "ops-1", t(1), "", t(2))
    assert past.value.kind == "invalid"
    with pytest.raises(alarms.AlarmRefused, match="more than 7 days"):
        alarms.shelve(alarm, "ops-1", t(60 * 24 * 8), "", t(2))
    with pytest.raises(alarms.AlarmRefused, match="no alarm 'nope'") as missing:
        alarms.find({}, "nope")
    assert missing.value.kind == "not_found"


def test_escalation_is_due_per_severity_dated_when_due_and_never_twice():
    state = fold([raise_(0, "critical")])
    assert alarms.due_events(state["alarms"], t(4), POLICY) == []
    due = alarms.due_events(state["alarms"], t(12), POLICY)
    assert [(e.type, e.effective_at, e.data["level"]) for e in due] == [
        (alarms.ESCALATED, t(5), 1),
        (alarms.ESCALATED, t(10), 2),
    ]
    state = fold(due, state)
    assert only(state)["escalation"] == 2 and only(state)["state"] == "active"
    assert alarms.due_events(state["alarms"], t(12), POLICY) == []
    assert [e.data["level"] for e in alarms.due_events(state["alarms"], t(99), POLICY)] == [3]


def test_acknowledged_or_info_alarms_do_not_escalate():
    state = fold([raise_(0, "critical")])
    state = fold([alarms.acknowledge(only(state), "ops-1", "", t(1))], state)
    assert alarms.due_events(state["alarms"], t(60), POLICY) == []
    assert alarms.due_events(fold([raise_(0, "info")])["alarms"], t(600), POLICY) == []


def test_a_shelf_expires_by_itself_then_the_escalation_clock_restarts():
    state = fold([raise_(0, "critical")])
    state = fold([alarms.shelve(only(state), "ops-1", t(30), "", t(1))], state)
    assert alarms.due_events(state["alarms"], t(29), POLICY) == []
    due = alarms.due_events(state["alarms"], t(36), POLICY)
    assert [(e.type, e.effective_at) for e in due] == [
        (alarms.UNSHELVED, t(30)),
        (alarms.ESCALATED, t(35)),
    ]
    assert due[0].data["reason"] == "expired" and due[0].data["by"] == alarms.CLOCK
    state = fold(due, state)
    assert only(state)["state"] == "active" and only(state)["escalation"] == 1


def _states_memory(cycles: int) -> int:
    """Bytes held by the alert stream's states after ``cycles`` alarms raised and cleared,
    each state kept as the projection keeps one per event (``twin/projection.py``)."""
    import tracemalloc

    tracemalloc.start()
    state: dict = {}
    kept = []
    for k in range(cycles):
        alert = ALERT | {"key": f"metric-limit:dc/hall-1/row-{k}"}
        for event in (
            DomainEvent(ALERT_STREAM, RAISED, t(2 * k), alert | {"severity": "warning"}),
            DomainEvent(ALERT_STREAM, CLEARED, t(2 * k + 1), alert | {"message": "back"}),
        ):
            state = REDUCERS[event.type](state, event.data, event.effective_at)
            kept.append(state)
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(state["alarms"]) == cycles and len(kept) == 2 * cycles
    return used


def test_the_states_of_every_instant_grow_linearly_with_the_alarms_not_quadratically():
    """Every cleared alarm stays listed (the API's `state=cleared`, `at=` any instant), and
    the projection keeps the stream's state after each event: the states share what did not
    change, so twice the alarms hold about twice the memory, not four times."""
    small, large = _states_memory(400), _states_memory(800)
    assert large / small < 2.5, f"{small:,} B for 400 alarms, {large:,} B for 800"
