"""The measurements store on SQLite and PostgreSQL: rollups, retention, out-of-order readings,
the migration that moves metric events out of the log, and backups."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from twin.eventlog import (
    EventStore,
    Measurement,
    NewEvent,
    Observation,
    backup,
    make_engine,
    open_store,
    restore,
)
from twin.eventlog.migrate import upgrade_engine

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
HALL = "dc/hall-1"


def value(minutes: float, v: float, key: str, metric: str = "supply_temp_c") -> Measurement:
    return Measurement(HALL, metric, T0 + timedelta(minutes=minutes), v, "°C", key)


def three_hours(seed: int = 7) -> list[Measurement]:
    """A reading every 20 s for 3 hours, values at random, in random order."""
    rng = random.Random(seed)
    found = [value(i / 3, round(rng.uniform(15, 30), 3), f"k{i}") for i in range(540)]
    rng.shuffle(found)
    return found


def test_a_range_answered_from_rollups_equals_the_mean_of_the_raw_readings(store: EventStore):
    for start in range(0, 540, 90):  # in batches, out of order within and across them
        store.record_readings([], three_hours()[start : start + 90], "probe")
    end = T0 + timedelta(hours=3)  # no reading at 11:00: the buckets are whole hours
    raw = store.readings.summary(HALL, "supply_temp_c", T0, end, 3)
    assert raw.source == "raw" and raw.total == 540
    _, values = store.readings.between(HALL, "supply_temp_c", T0, end)
    hourly = [values[i * 180 : (i + 1) * 180] for i in range(3)]
    for width in (60, 3600, 86400):
        rollups = store.readings.rollups(HALL, "supply_temp_c", width, T0 - timedelta(1), end)
        assert sum(r["count"] for r in rollups) == 540
    store.apply_retention(raw_days=90, now=T0 + timedelta(days=200))  # raw gone, rollups kept
    assert store.readings.count() == 0
    kept = store.readings.summary(HALL, "supply_temp_c", T0, end, 3)
    assert kept.source == "rollup_3600s" and kept.total == 540
    assert [p["count"] for p in kept.points] == [180, 180, 180]
    assert [p["value"] for p in kept.points] == pytest.approx([h.mean() for h in hourly])
    assert [(p["min"], p["max"]) for p in kept.points] == [(h.min(), h.max()) for h in hourly]
    assert [p["value"] for p in raw.points] == pytest.approx([h.mean() for h in hourly])


def test_retention_drops_old_raw_readings_and_keeps_rollups_and_recent_ones(store: EventStore):
    now = T0 + timedelta(days=100)
    old = [value(i, 20.0 + i, f"old{i}") for i in range(5)]
    recent = [
        Measurement(HALL, "supply_temp_c", now - timedelta(days=1, minutes=i), 25.0, "°C", f"n{i}")
        for i in range(3)
    ]
    store.record_readings([], old + recent, "probe")
    done = store.apply_retention(raw_days=90, key_days=7, now=now)
    assert done.readings_dropped == 5 and store.readings.count() == 3
    assert done.raw_from == datetime(2025, 6, 11, tzinfo=UTC)
    assert store.readings.raw_from() == done.raw_from
    day = store.readings.rollups(HALL, "supply_temp_c", 86400, T0 - timedelta(hours=8), T0)
    assert [(r["count"], r["sum"]) for r in day] == [(5, sum(m.value for m in old))]
    assert store.readings.latest(HALL, "supply_temp_c")[1] == 25.0
    assert {r.key for r in store.readings.recorded()} == {"n0", "n1", "n2"}


def test_a_reading_older_than_the_kept_raw_readings_is_refused_not_counted_twice(
    store: EventStore,
):
    """After retention, a retry whose key is pruned and whose raw value is dropped could not
    be told from a new reading: it is refused as expired, and the rollups count it once."""
    store.record_readings([], [value(0, 20.0, "first")], "probe")
    store.apply_retention(raw_days=30, key_days=1, now=T0 + timedelta(days=60))
    retry = value(0, 20.0, "retry")
    skipped = store.record_readings([], [retry, value(60 * 24 * 59, 1.0, "new")], "probe")
    assert skipped.expired == {"retry"} and skipped.duplicates == set()
    day = store.readings.rollups(HALL, "supply_temp_c", 86400, T0 - timedelta(hours=8), T0)
    assert [(r["count"], r["sum"]) for r in day] == [(1, 20.0)]
    assert store.readings.count() == 1


def test_an_out_of_order_reading_lands_in_its_own_buckets(store: EventStore):
    store.record_readings([], [value(0.5, 20.0, "a"), value(65, 30.0, "b")], "probe")
    store.record_readings([], [value(-0.25, 10.0, "late"), value(0.75, 26.0, "c")], "probe")

    def buckets(width: int) -> list[tuple[datetime, int, float, float, float]]:
        found = store.readings.rollups(
            HALL, "supply_temp_c", width, T0 - timedelta(1), T0 + timedelta(1)
        )
        return [(r["bucket"], r["count"], r["sum"], r["min"], r["max"]) for r in found]

    minute = timedelta(minutes=1)
    assert buckets(60) == [
        (T0 - minute, 1, 10.0, 10.0, 10.0),
        (T0, 2, 46.0, 20.0, 26.0),
        (T0 + 65 * minute, 1, 30.0, 30.0, 30.0),
    ]
    assert buckets(3600) == [
        (T0 - 60 * minute, 1, 10.0, 10.0, 10.0),
        (T0, 2, 46.0, 20.0, 26.0),
        (T0 + 60 * minute, 1, 30.0, 30.0, 30.0),
    ]
    assert buckets(86400) == [(T0 - timedelta(hours=8), 4, 86.0, 10.0, 30.0)]
    assert store.readings.latest(HALL, "supply_temp_c", T0) == (T0 - minute / 4, 10.0)


def test_a_reading_recorded_twice_counts_once(store: EventStore):
    assert store.record_readings([], [value(1, 20.0, "a")], "probe").duplicates == set()
    again = [value(1, 20.0, "a"), value(1, 99.0, "other key, same instant"), value(2, 21.0, "b")]
    assert store.record_readings([], again, "probe").duplicates == {"a", "other key, same instant"}
    hour = store.readings.rollups(HALL, "supply_temp_c", 3600, T0, T0)
    assert [(r["count"], r["sum"]) for r in hour] == [(2, 41.0)]


def test_within_a_batch_the_first_reading_of_an_instant_wins(store: EventStore):
    batch = [value(5, 30.0, "x"), value(5, 31.0, "y"), value(6, 32.0, "z"), value(4, 1.0, "w")]
    assert store.record_readings([], batch, "probe").duplicates == {"y"}
    minute = store.readings.rollups(HALL, "supply_temp_c", 60, T0, T0 + timedelta(minutes=10))
    assert [(r["count"], r["sum"]) for r in minute] == [(1, 1.0), (1, 30.0), (1, 32.0)]
    assert store.record_readings([], [value(7, 5.0, "y")], "probe").duplicates == set()


def _metric_event(minutes: float, v: float, i: int) -> NewEvent:
    return NewEvent(
        "FacilityMetricObserved",
        {"value": v, "unit": "°C"},
        T0 + timedelta(minutes=minutes),
        actor="probe",
        idempotency_key=f"reading:m{i}",
    )


def test_the_migration_moves_every_metric_event_into_the_store(database_url: str):
    engine = make_engine(database_url)
    try:
        upgrade_engine(engine, "0003_quarantine")
        log = EventStore(engine)
        for n, stream in enumerate(["metric:dc/hall-1:supply_temp_c", "metric:feed-a:load_kw"]):
            days = range(0, 3 * 24 * 60, 37)  # three days, some readings a day apart
            log.append(stream, 0, [_metric_event(m + n, m / 100, n * 10_000 + m) for m in days])
        status = NewEvent("FacilityStatusReported", {"status": "operational"}, T0, actor="probe")
        log.append("facility:feed-a", 0, [status])
        before = log.count()
        metric_before = len(log.read(types="FacilityMetricObserved", limit=None))
        values = sorted(
            e.data["value"] for e in log.read(types="FacilityMetricObserved", limit=None)
        )
        upgrade_engine(engine)
        assert metric_before == 2 * len(range(0, 3 * 24 * 60, 37))
        assert log.count() == before - metric_before == 1
        assert log.readings.count() == metric_before
        moved = log.readings.recorded()
        assert sorted(r.value for r in moved) == values
        assert {r.key for r in moved} == {
            f"reading:m{n * 10_000 + m}" for n in range(2) for m in range(0, 3 * 24 * 60, 37)
        }
        assert {r.unit for r in moved} == {"°C"}
        for facility, metric in [(HALL, "supply_temp_c"), ("feed-a", "load_kw")]:
            for width in (60, 3600, 86400):
                found = log.readings.rollups(
                    facility, metric, width, T0 - timedelta(1), T0 + timedelta(4)
                )
                assert sum(r["count"] for r in found) == metric_before // 2
        # what was moved is recorded: sent again, it is a duplicate
        again = Measurement(HALL, "supply_temp_c", T0, 0.0, "°C", "reading:m0")
        assert log.record_readings([], [again], "probe").duplicates == {"reading:m0"}
    finally:
        engine.dispose()


def test_backup_and_restore_give_back_the_same_answers(
    database_factory: Callable[[], str], tmp_path: Path
):
    with open_store(database_factory()) as source:
        status = Observation(
            "facility:feed-a", "FacilityStatusReported", T0, {"status": "fault"}, "s1"
        )
        source.record_readings([status], three_hours(), "probe")
        source.record_readings([], [value(-60 * 24 * 200, 3.0, "ancient")], "probe")
        source.apply_retention(raw_days=90, now=T0 + timedelta(days=30))  # one raw day dropped
        assert backup(source, tmp_path / "all").events == source.count()
        answers = _answers(source)
    with open_store(database_factory()) as target:
        restore(target, tmp_path / "all")
        assert _answers(target) == answers
        more = target.record_readings([], [value(400, 1.0, "after"), value(1, 1.0, "k3")], "probe")
        assert more.duplicates == {"k3"}  # keys came back too


def _answers(store: EventStore) -> tuple[object, ...]:
    end = T0 + timedelta(hours=3)
    return (
        store.read(limit=None),
        store.readings.recorded(),
        store.readings.latest_all(),
        store.readings.raw_from(),
        store.readings.summary(HALL, "supply_temp_c", T0, end, 10),
        store.readings.summary(HALL, "supply_temp_c", T0 - timedelta(days=300), end, 10),
        [
            store.readings.rollups(HALL, "supply_temp_c", w, T0 - timedelta(days=300), end)
            for w in (60, 3600, 86400)
        ],
    )


def test_two_instances_share_series_and_a_rolled_back_one_leaves_no_id(database_url: str):
    """Each instance keeps the series it has read (:mod:`twin.eventlog.measurements.series`):
    one made by the other instance is found, and a series made in a transaction that rolled
    back is not kept (its id would name nothing)."""
    with open_store(database_url) as one, open_store(database_url) as two:
        one.record_readings([], [value(0, 20.0, "a")], "one")
        assert two.readings.series_id(HALL, "supply_temp_c") is not None  # read on a miss
        two.record_readings([], [value(1, 21.0, "b", metric="return_temp_c")], "two")
        one.record_readings([], [value(2, 22.0, "c", metric="return_temp_c")], "one")
        assert one.readings.latest(HALL, "return_temp_c") == (T0 + timedelta(minutes=2), 22.0)
        with pytest.raises(RuntimeError), one.engine.begin() as conn:
            one.readings.series.ids_for_writing(conn, {(HALL, "flow_m3h"): "m³/h"})
            raise RuntimeError("rolled back")
        assert one.readings.series_id(HALL, "flow_m3h") is None
        one.record_readings([], [value(3, 5.0, "d", metric="flow_m3h")], "one")
        assert two.readings.latest(HALL, "flow_m3h") == (T0 + timedelta(minutes=3), 5.0)
        assert one.readings.series_kinds([(HALL, "flow_m3h"), (HALL, "nope")]) == {
            (HALL, "flow_m3h"): False
        }
