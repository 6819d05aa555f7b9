"""Backups, restores and schema migrations of the event log, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from helpers_eventlog import T0, new_event
from sqlalchemy import inspect

from twin.eventlog import (
    EventStore,
    RestoreRefused,
    backup,
    current_revision,
    head_revision,
    open_store,
    restore,
    upgrade,
)
from twin.eventlog.migrate import downgrade_engine

FORMAT_2 = Path(__file__).with_name("data") / "backup-format2.jsonl.gz"


def _fill(store: EventStore) -> None:
    store.append(
        "unit:fish-head-t1/L12/U03", 0, [new_event("UnitCreated", key="c1", m2=80.5, big=2**70)]
    )
    store.append("stage:fish-head-t1/shell", 0, [new_event("StageStarted", T0 + timedelta(1))])
    store.append(
        "unit:fish-head-t1/L12/U03",
        1,
        [new_event("LeaseSigned", tenant='飞鱼 "Ltd"\n', rent=None), new_event("UnitLet")],
    )


def test_backup_then_restore_gives_an_identical_log(
    database_factory: Callable[[], str], tmp_path: Path
) -> None:
    with open_store(database_factory()) as source:
        _fill(source)
        assert backup(source, tmp_path / "backup").events == 4
        original = source.read(limit=None)
    assert (tmp_path / "backup" / "manifest.json").exists()
    assert not list(tmp_path.rglob("*.partial"))
    with open_store(database_factory()) as target:
        assert restore(target, tmp_path / "backup") == 4
        assert target.read(limit=None) == original
        after = target.append("unit:new", 0, [new_event("UnitCreated")])
        assert after[0].seq == 5  # the sequence continues after the restored events


def test_restore_into_a_non_empty_log_is_refused(store: EventStore, tmp_path: Path) -> None:
    _fill(store)
    backup(store, tmp_path / "backup")
    with pytest.raises(RestoreRefused, match="already holds 4 events"):
        restore(store, tmp_path / "backup")
    assert store.count() == 4


def test_truncated_format_2_backup_is_refused_and_nothing_restored(
    database_factory: Callable[[], str], tmp_path: Path
) -> None:
    lines = gzip.decompress(FORMAT_2.read_bytes()).splitlines(keepends=True)
    (tmp_path / "cut.jsonl").write_bytes(b"".join(lines[:-1]))
    (tmp_path / "other.jsonl").write_text('{"hello": "world"}\n')
    with open_store(database_factory()) as target:
        with pytest.raises(RestoreRefused, match="truncated"):
            restore(target, tmp_path / "cut.jsonl")
        with pytest.raises(RestoreRefused, match="not a twin backup"):
            restore(target, tmp_path / "other.jsonl")
        assert target.count() == 0 and target.readings.count() == 0


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    upgrade(database_url)
    with open_store(database_url) as store:
        _fill(store)
        assert current_revision(store.engine) == head_revision()
    upgrade(database_url)
    with open_store(database_url) as store:
        assert current_revision(store.engine) == head_revision()
        assert store.count() == 4


def test_downgrade_to_base_then_upgrade_recreates_the_schema(database_url: str) -> None:
    with open_store(database_url) as store:
        downgrade_engine(store.engine, "base")
        assert "events" not in inspect(store.engine).get_table_names()
        assert current_revision(store.engine) is None
    with open_store(database_url) as store:
        indexes = {ix["name"] for ix in inspect(store.engine).get_indexes("events")}
        assert {"ix_events_effective_at_seq", "ix_events_type_seq"} <= indexes
        assert store.append("unit:a", 0, [new_event()])[0].seq == 1
