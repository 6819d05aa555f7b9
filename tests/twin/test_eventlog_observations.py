"""Observations (facility readings) appended at whatever version their streams are, on SQLite
and PostgreSQL: recorded keys skipped, versions continued, bad text refused whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from twin.eventlog import NewEvent, Observation, UnstorableText, open_store

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


@pytest.fixture
def store(database_url):
    with open_store(database_url) as s:
        yield s


def seen(stream: str, minutes: int, key: str, value: float = 1.0) -> Observation:
    return Observation(stream, "Seen", T0 + timedelta(minutes=minutes), {"v": value}, key)


def test_observations_continue_each_stream_in_observation_order(store):
    store.append("m:a", 0, [NewEvent("Seen", {"v": 0}, T0, "x")])
    known = store.append_observations([seen("m:a", 5, "k2"), seen("m:a", 1, "k1")], "probe")
    assert known == set()
    recorded = store.read_stream("m:a")
    assert [(e.version, e.idempotency_key, e.actor) for e in recorded] == [
        (1, None, "x"),
        (2, "k1", "probe"),  # observed first: numbered first
        (3, "k2", "probe"),
    ]


def test_recorded_keys_are_skipped_and_reported(store):
    store.append_observations([seen("m:a", 1, "k1")], "probe")
    known = store.append_observations([seen("m:a", 1, "k1", 9.0), seen("m:b", 2, "k2")], "probe")
    assert known == {"k1"}
    assert [e.data for e in store.read_stream("m:a")] == [{"v": 1.0}]
    assert store.stream_version("m:b") == 1


def test_text_the_log_cannot_read_back_refuses_the_whole_batch(store):
    bad = Observation("m:a", "Seen", T0, {"note": "bad\ud800"}, "k2")
    with pytest.raises(UnstorableText):
        store.append_observations([seen("m:a", 1, "k1"), bad], "probe")
    assert store.head() == 0


def test_one_append_names_each_stream_once(store):
    batch = [NewEvent("Seen", {"v": 1}, T0, "x")]
    with pytest.raises(ValueError, match="twice"):
        store.append_streams([("m:a", 0, batch), ("m:a", 1, batch)])
    assert store.head() == 0
