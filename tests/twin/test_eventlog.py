"""The event log's API on SQLite and PostgreSQL: appends, conflicts, retries and reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers_eventlog import T0, new_event
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from twin.eventlog import (
    EventStore,
    IdempotencyConflict,
    NewEvent,
    VersionConflict,
    open_store,
)

SHANGHAI = timezone(timedelta(hours=8))
UNIT = "unit:fish-head-t1/L12/U03"


def test_append_and_read_back(store: EventStore) -> None:
    at = datetime(2021, 3, 4, 9, 30, 15, 123456, tzinfo=SHANGHAI)
    before = datetime.now(UTC)
    recorded = store.append(
        UNIT,
        0,
        [
            new_event("UnitCreated", at, key="create-u03", area_m2=812.5, name="U03 飞鱼"),
            new_event("UnitHeld", at, tenant={"id": "t-1", "tags": ["a", None]}),
        ],
    )
    assert [(e.seq, e.version, e.type) for e in recorded] == [
        (1, 1, "UnitCreated"),
        (2, 2, "UnitHeld"),
    ]
    first = recorded[0]
    assert first.stream == UNIT
    assert first.data == {"area_m2": 812.5, "name": "U03 飞鱼"}
    assert first.effective_at == at and first.effective_at.tzinfo == UTC
    assert first.effective_at.hour == 1  # 09:30 in Shanghai is 01:30 UTC
    assert first.recorded_at.tzinfo == UTC and first.recorded_at >= before - timedelta(seconds=1)
    assert first.actor == "tester" and first.idempotency_key == "create-u03"
    assert recorded[1].data == {"tenant": {"id": "t-1", "tags": ["a", None]}}
    assert store.read_stream(UNIT) == recorded
    assert store.read_stream(UNIT, after_version=1) == recorded[1:]
    assert (store.stream_version(UNIT), store.head(), store.count()) == (2, 2, 2)
    assert store.stream_version("unit:nobody") == 0


def test_empty_log(store: EventStore) -> None:
    assert (store.head(), store.count(), store.read(), list(store.iter_all())) == (0, 0, [], [])


@pytest.mark.parametrize("expected", [0, 2, 7])
def test_taken_version_is_refused_and_nothing_written(store: EventStore, expected: int) -> None:
    store.append(UNIT, 0, [new_event("UnitCreated")])
    with pytest.raises(VersionConflict) as info:
        store.append(UNIT, expected, [new_event("LeaseSigned"), new_event("UnitLet")])
    conflict = info.value
    assert (conflict.stream, conflict.expected_version, conflict.actual_version) == (
        UNIT,
        expected,
        1,
    )
    assert f"is at version 1, not {expected}" in str(conflict)
    assert store.count() == 1 and [e.type for e in store.read_stream(UNIT)] == ["UnitCreated"]


def test_idempotent_retry_returns_the_original_events(store: EventStore) -> None:
    batch = [new_event("LeaseSigned", key="lease-42"), new_event("UnitLet")]
    original = store.append(UNIT, 0, batch)
    store.append(UNIT, 2, [new_event("UnitInspected")])
    retried = store.append(UNIT, 0, batch)  # a retry after a lost reply: stale version
    assert retried == original
    assert store.count() == 3


@pytest.mark.parametrize(
    ("stream", "batch"),
    [
        ("unit:other", [new_event("LeaseSigned", key="lease-42"), new_event("UnitLet")]),
        (UNIT, [new_event("UnitSold", key="lease-42"), new_event("UnitLet")]),
        (UNIT, [new_event("LeaseSigned"), new_event("UnitLet", key="lease-42")]),
        (UNIT, [new_event("LeaseSigned", key="lease-42"), new_event("UnitLet", key="x")]),
    ],
    ids=["other-stream", "other-type", "key-on-later-event", "other-later-key"],
)
def test_reused_key_for_another_write_is_refused(
    store: EventStore, stream: str, batch: list[NewEvent]
) -> None:
    store.append(UNIT, 0, [new_event("LeaseSigned", key="lease-42"), new_event("UnitLet")])
    with pytest.raises(IdempotencyConflict, match="lease-42"):
        store.append(stream, store.stream_version(stream), batch)
    assert store.count() == 2


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        NewEvent("UnitCreated", {}, datetime(2020, 1, 1), "tester")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": ""}, "type"),
        ({"actor": ""}, "actor"),
        ({"data": {"when": datetime(2020, 1, 1, tzinfo=UTC)}}, "JSON"),
        ({"data": ["not", "an", "object"]}, "mapping"),
        ({"idempotency_key": ""}, "idempotency_key"),
    ],
)
def test_malformed_events_are_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"type": "T", "data": {}, "effective_at": T0, "actor": "a"}
    with pytest.raises(ValueError, match=message):
        NewEvent(**(fields | kwargs))  # type: ignore[arg-type]


def test_malformed_appends_are_refused(store: EventStore) -> None:
    with pytest.raises(ValueError, match="empty"):
        store.append(UNIT, 0, [])
    with pytest.raises(ValueError, match="0"):
        store.append(UNIT, -1, [new_event()])
    with pytest.raises(ValueError, match="repeats"):
        store.append(UNIT, 0, [new_event(key="k"), new_event(key="k")])
    with pytest.raises(ValueError, match="naive"):
        store.read(until_effective=datetime(2020, 1, 1))
    assert store.count() == 0


def test_reads_are_ordered_by_seq_and_filtered(store: EventStore) -> None:
    days = [T0 + timedelta(days=d) for d in range(6)]
    store.append("unit:a/1", 0, [new_event("UnitCreated", days[3])])
    store.append("unit:a_b", 0, [new_event("UnitCreated", days[0])])
    store.append("stage:t1/shell", 0, [new_event("StageStarted", days[1])])
    store.append("unit:a/1", 1, [new_event("LeaseSigned", days[5]), new_event("UnitLet", days[2])])
    store.append("Unit:A/2", 0, [new_event("UnitCreated", days[4])])
    everything = store.read()
    assert [e.seq for e in everything] == [1, 2, 3, 4, 5, 6]

    def seqs(**filters: object) -> list[int]:
        return [e.seq for e in store.read(**filters)]  # type: ignore[arg-type]

    assert seqs(since_seq=2, limit=2) == [3, 4]
    assert seqs(stream="unit:a/1") == [1, 4, 5]
    assert seqs(stream_prefix="unit:a/") == [1, 4, 5]  # case-sensitive, not "Unit:A/2"
    assert seqs(stream_prefix="unit:a_") == [2]  # "_" is literal, not a wildcard
    assert seqs(types=["UnitCreated", "UnitLet"]) == [1, 2, 5, 6]
    assert seqs(types="StageStarted") == [3]
    assert seqs(types=[]) == []
    assert seqs(until_effective=days[2]) == [2, 3, 5]  # time travel: effective by day 2
    assert seqs(until_effective=days[2].astimezone(SHANGHAI)) == [2, 3, 5]
    assert seqs(until_effective=days[2] - timedelta(microseconds=1)) == [2, 3]
    assert seqs(stream_prefix="unit:", types="UnitCreated", until_effective=days[3]) == [1, 2]
    assert list(store.iter_all(batch=2)) == everything
    assert [e.seq for e in store.iter_all(batch=2, since_seq=3, types="UnitCreated")] == [6]


def test_append_many_loads_in_one_transaction(store: EventStore) -> None:
    store.append("unit:0", 0, [new_event("UnitCreated")])
    batches = [
        (f"unit:{n % 7}", n // 7 + (1 if n % 7 == 0 else 0), [new_event("Tick", n=n)])
        for n in range(70)
    ]
    assert store.append_many(batches, chunk_size=16) == 70
    assert store.count() == 71 and store.stream_version("unit:0") == 11
    assert [e.data["n"] for e in store.read_stream("unit:3")] == list(range(3, 70, 7))

    with pytest.raises(VersionConflict):  # the last batch conflicts: none is written
        store.append_many([("unit:new", 0, [new_event()]), ("unit:0", 3, [new_event()])])
    with pytest.raises(IdempotencyConflict):
        store.append_many(
            [("unit:x", 0, [new_event(key="k")]), ("unit:y", 0, [new_event(key="k")])]
        )
    assert store.count() == 71


def test_the_log_refuses_updates_and_deletes(store: EventStore) -> None:
    store.append(UNIT, 0, [new_event("UnitCreated")])
    for statement in ("UPDATE events SET type = 'Forged'", "DELETE FROM events"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.type for e in store.read()] == ["UnitCreated"]


def test_sqlite_file_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/nested/dir/twin.db"
    with open_store(url) as store:
        store.append(UNIT, 0, [new_event()])
        with store.engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            rowid = conn.exec_driver_sql("SELECT rowid = seq FROM events").scalar()
    assert pragmas["journal_mode"] == "wal" and pragmas["synchronous"] == 2  # FULL
    assert pragmas["foreign_keys"] == 1 and pragmas["busy_timeout"] == 60_000
    assert rowid == 1  # seq is INTEGER PRIMARY KEY: the rowid itself
