"""The one write path of commands (twin.commands.run_command) on a real log, SQLite and
PostgreSQL: several streams at once or none, conflicts retried or raised, retries replayed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assets.events import DomainError, DomainEvent
from twin.commands import PreconditionFailed, run_command
from twin.eventlog import IdempotencyConflict, NewEvent, UnstorableText, VersionConflict, open_store
from twin.projection import Projection

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
A, B = "account:a", "account:b"


def apply(state: dict[str, Any], event_type: str, data: Mapping[str, Any], _at: datetime):
    """Balances: ``Moved`` adds ``amount`` (negative: takes)."""
    return {**state, "balance": state.get("balance", 0) + data["amount"]}


@pytest.fixture
def store(database_url):
    with open_store(database_url) as s:
        yield s


@pytest.fixture
def projection():
    return Projection(apply)


def moved(stream: str, amount: int) -> DomainEvent:
    return DomainEvent(stream, "Moved", NOW, {"amount": amount})


def transfer(amount: int):
    """Move ``amount`` from A to B; refused when A would go below zero."""

    def decide(states, _now):
        if states[A].get("balance", 0) < amount:
            raise DomainError(f"{A} holds {states[A].get('balance', 0)}, not {amount}")
        return [moved(A, -amount), moved(B, amount)]

    return decide


def fund(store, projection, amount: int = 10) -> None:
    run_command(store, projection, [A], lambda s, n: [moved(A, amount)], actor="bank")


def balances(store) -> dict[str, int]:
    return {s: sum(e.data["amount"] for e in store.read_stream(s)) for s in (A, B)}


def test_a_command_writes_every_stream_it_decides_on_in_one_append(store, projection):
    fund(store, projection)
    recorded = run_command(store, projection, [A, B], transfer(4), actor="alice")
    assert [(e.stream, e.version, e.actor) for e in recorded] == [
        (A, 2, "alice"),
        (B, 1, "alice"),
    ]
    assert recorded[1].seq == recorded[0].seq + 1  # one transaction
    assert projection.latest(B) == ({"balance": 4}, 1)  # caught up after the append


def test_a_refused_decision_writes_nothing(store, projection):
    fund(store, projection, 3)
    head = store.head()
    with pytest.raises(DomainError, match="holds 3, not 4"):
        run_command(store, projection, [A, B], transfer(4), actor="alice")
    assert store.head() == head


def test_a_conflict_on_one_stream_writes_no_stream(store, projection):
    fund(store, projection)

    def racing(states, now):
        store.append(B, 0, [NewEvent("Moved", {"amount": 1}, NOW, "bob")])  # B moves first
        return transfer(4)(states, now)

    with pytest.raises(VersionConflict, match="account:b"):
        run_command(store, projection, [A, B], racing, actor="alice")
    assert balances(store) == {A: 10, B: 1}  # A was not written either


def test_a_command_that_may_retry_is_decided_again_on_the_new_state(store, projection):
    fund(store, projection)
    decisions = []

    def racing_once(states, now):
        decisions.append(states[B].get("balance", 0))
        if len(decisions) == 1:
            store.append(B, 0, [NewEvent("Moved", {"amount": 1}, NOW, "bob")])
        return transfer(4)(states, now)

    recorded = run_command(store, projection, [A, B], racing_once, actor="alice", retries=2)
    assert decisions == [0, 1]  # the second decision saw bob's write
    assert [e.version for e in recorded] == [2, 2]
    assert balances(store) == {A: 6, B: 5}


def test_retries_run_out_into_the_conflict(store, projection):
    calls = []

    def always_racing(states, _now):
        calls.append(1)
        store.append(B, store.stream_version(B), [NewEvent("Moved", {"amount": 1}, NOW, "b")])
        return [moved(B, 1)]

    with pytest.raises(VersionConflict):
        run_command(store, projection, [B], always_racing, actor="alice", retries=2)
    assert len(calls) == 3


def test_a_retry_under_its_key_returns_the_original_events_undecided(store, projection):
    fund(store, projection)
    first = run_command(store, projection, [A, B], transfer(4), actor="a", idempotency_key="t1")
    assert [e.idempotency_key for e in first] == ["t1", "t1#1"]

    def must_not_decide(_states, _now):
        raise AssertionError("a retry is answered from the log")

    again = run_command(store, projection, [A, B], must_not_decide, actor="a", idempotency_key="t1")
    assert again == first
    assert balances(store) == {A: 6, B: 4}


def test_a_retry_racing_the_first_attempt_is_a_replay_in_the_log(store, projection):
    fund(store, projection)
    decided = []

    def first_attempt_lands_meanwhile(states, now):
        if not decided:  # the first attempt of the same request lands after our key check
            decided.append(1)
            store.append_streams(
                [
                    (A, 1, [NewEvent("Moved", {"amount": -4}, NOW, "a", "t2")]),
                    (B, 0, [NewEvent("Moved", {"amount": 4}, NOW, "a", "t2#1")]),
                ]
            )
        return transfer(4)(states, now)

    recorded = run_command(
        store, projection, [A, B], first_attempt_lands_meanwhile, actor="a", idempotency_key="t2"
    )
    assert [(e.stream, e.version) for e in recorded] == [(A, 2), (B, 1)]
    assert balances(store) == {A: 6, B: 4}  # written once


def test_a_key_reused_for_another_command_is_refused(store, projection):
    fund(store, projection)
    store.append(B, 0, [NewEvent("Other", {"amount": 0}, NOW, "x", "t3")])
    with pytest.raises(IdempotencyConflict, match="t3"):
        store.append_streams(
            [
                (A, 1, [NewEvent("Moved", {"amount": -4}, NOW, "a", "t3")]),
                (B, 1, [NewEvent("Moved", {"amount": 4}, NOW, "a", "t3#1")]),
            ]
        )


def test_if_versions_refuse_a_stale_caller_before_deciding(store, projection):
    fund(store, projection)
    with pytest.raises(PreconditionFailed, match="version 1, not 0"):
        run_command(store, projection, [A, B], transfer(1), actor="a", if_versions={A: 0})
    assert balances(store) == {A: 10, B: 0}


def test_text_the_log_cannot_read_back_is_refused_on_the_command_path(store, projection):
    with pytest.raises(UnstorableText):
        run_command(store, projection, [A], lambda s, n: [moved(A, 1)], actor="bad\x00actor")
    assert store.head() == 0


def test_the_worked_example_of_the_architecture_doc_runs():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 1
    exec(compile(blocks[0], "architecture.md", "exec"), {})  # asserts inside


def test_a_key_recorded_on_other_streams_is_refused_not_replayed(store, projection):
    run_command(store, projection, [A], lambda s, n: [moved(A, 5)], actor="a", idempotency_key="k")
    with pytest.raises(IdempotencyConflict, match="recorded on stream 'account:a'"):
        run_command(
            store, projection, [B], lambda s, n: [moved(B, 5)], actor="a", idempotency_key="k"
        )
    assert balances(store) == {A: 5, B: 0}
