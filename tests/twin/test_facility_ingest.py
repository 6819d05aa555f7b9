"""Facility readings through the service layer into a real log (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from assets.dataset import load_campus
from assets.facilities.readings import check_reading
from twin.eventlog import open_store
from twin.facilities import queries
from twin.facilities.services import FacilityServices
from twin.genesis import ensure_genesis

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def campus():
    return load_campus()


@pytest.fixture
def services(store, campus):
    ensure_genesis(store, campus)
    return FacilityServices.open(store, campus)


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def status(facility, value, minutes, key=None):
    out = {"facility": facility, "status": value, "observed_at": at(minutes)}
    return out | ({"idempotency_key": key} if key else {})


def temp(value, minutes, key=None, facility="dc/hall-1"):
    out = {
        "facility": facility,
        "metric": "supply_temp_c",
        "value": value,
        "unit": "°C",
        "observed_at": at(minutes),
    }
    return out | ({"idempotency_key": key} if key else {})


def recorded(store) -> int:
    """Everything recorded: events in the log and readings in the measurements store."""
    return store.count() + store.readings.count()


def send(services, raws, actor="test"):
    now = datetime.now(UTC)
    return services.ingest.record([check_reading(services.topology, r, now) for r in raws], actor)


def test_good_readings_are_recorded_whatever_the_bad_ones_are(services, store):
    before = recorded(store)
    report = send(
        services,
        [
            temp(22, 0),
            temp(22, 1, facility="nope"),
            temp(float("nan"), 2),
            status("feed-a", "exploded", 3),
            temp(23, 4),
        ],
    )
    assert [r.result for r in report.results] == [
        "accepted",
        "refused",
        "refused",
        "refused",
        "accepted",
    ]
    assert [r.reason for r in report.results if r.reason] == [
        "unknown_facility",
        "not_finite",
        "bad_status",
    ]
    assert recorded(store) == before + 2
    values = store.readings.recorded("dc/hall-1", "supply_temp_c")
    assert [(r.value, r.unit) for r in values] == [(22.0, "°C"), (23.0, "°C")]


@pytest.mark.parametrize("bad", ["x\ud800y", "nul\x00"])
def test_a_bad_note_is_refused_and_the_good_readings_of_its_batch_kept(services, store, bad):
    before = recorded(store)
    batch = [temp(20 + i % 5, i) for i in range(50)]
    batch.insert(25, status("feed-a", "fault", 25.5) | {"note": bad})
    batch.append(status("feed-a", "operational", 60) | {"note": "fine again"})
    report = send(services, batch)
    results = [r.result for r in report.results]
    assert results.count("accepted") == 51 and results[25] == "refused"
    assert report.results[25].reason == "bad_text"
    assert recorded(store) == before + 51
    assert services.fresh().facility("feed-a", T0 + timedelta(minutes=61))["note"] == "fine again"


def test_duplicates_are_dropped_by_key(services, store):
    first = send(services, [temp(20, 0, "a"), temp(21, 1, "b"), temp(20, 0, "a")])
    assert [r.result for r in first.results] == ["accepted", "accepted", "duplicate"]
    count = recorded(store)
    again = send(services, [temp(20, 0, "a"), temp(21, 1, "b"), temp(24, 2, "c")])
    assert [r.result for r in again.results] == ["duplicate", "duplicate", "accepted"]
    assert recorded(store) == count + 1
    no_key = send(services, [temp(25, 9), temp(25, 9)])  # the same observation, twice
    assert [r.result for r in no_key.results] == ["accepted", "duplicate"]


def test_out_of_order_readings_are_placed_by_their_own_time(services):
    send(services, [status("feed-b", "operational", 0)])
    send(services, [status("feed-b", "operational", 30), temp(26, 30)])
    send(services, [status("feed-b", "fault", 10), temp(21, 10)])  # arrives last, happened first
    send(services, [status("feed-b", "maintenance", 20), temp(19, 20)])
    state = services.fresh()
    seen = [state.facility("feed-b", T0 + timedelta(minutes=m))["status"] for m in (5, 15, 25, 40)]
    assert seen == ["operational", "fault", "maintenance", "operational"]
    changes = queries.status_changes(services, "feed-b", T0, T0 + timedelta(hours=1), 10)
    assert [(c.status, c.previous) for c in changes][::-1] == [
        ("operational", "under_construction"),
        ("fault", "operational"),
        ("maintenance", "fault"),
        ("operational", "maintenance"),
    ]
    history = queries.metric_history(
        services, "dc/hall-1", "supply_temp_c", T0, T0 + timedelta(hours=1), 100
    )
    assert [p["value"] for p in history.points] == [21, 19, 26]
    assert state.metric_at("dc/hall-1", "supply_temp_c", T0 + timedelta(minutes=15))[1] == 21


def test_long_ranges_are_downsampled(services):
    raws = [temp(18 + (i % 10), i) for i in range(600)]
    for part in range(0, 600, 200):
        send(services, raws[part : part + 200])
    h = queries.metric_history(
        services, "dc/hall-1", "supply_temp_c", T0, T0 + timedelta(minutes=600), 60
    )
    assert h.total == 600 and h.bucket_s == 600.0 and len(h.points) == 60
    assert all(p["count"] == 10 and p["min"] == 18 and p["max"] == 27 for p in h.points)
    assert h.points[0]["value"] == pytest.approx(22.5)


def _all(services, status_value, minutes):
    ids = [f for f in services.topology.facilities if f != "cross-border-centre"]
    return send(services, [status(f, status_value, minutes) for f in ids])


def test_alert_rules_raise_once_and_clear(services):
    _all(services, "operational", 0)
    send(services, [temp(29, 0)])  # past its limit: an alarm once it stays so for 5 min
    assert services.fresh().active_alerts() == {}
    report = send(services, [status("feed-a", "fault", 5), temp(29, 5)])
    keys = set(services.fresh().active_alerts())
    assert {
        "feed-down:feed-a",
        "hall-redundancy:dc/hall-1",
        "hall-power:dc/hall-8",
        "metric-limit:dc/hall-1:supply_temp_c",
    } <= keys and len(report.alerts) == 10
    assert send(services, [status("feed-a", "fault", 6, "again")]).alerts == []
    send(services, [status("feed-a", "operational", 7), temp(22, 7)])
    assert services.fresh().active_alerts() == {}
    active_then, events = queries.alerts_at(services, T0 + timedelta(minutes=6), 100)
    assert "feed-down:feed-a" in active_then and len(events) == 10


def test_two_writers_on_one_log_record_each_reading_once(services, database_url, campus):
    with open_store(database_url) as other_store:
        other = FacilityServices.open(other_store, campus)
        batches = {
            0: [temp(20 + i % 5, i, f"w{i}") for i in range(0, 400)],
            1: [temp(20 + i % 5, i, f"w{i}") for i in range(200, 600)],  # half overlap
        }
        reports = {}

        def run(n, svc):
            reports[n] = [send(svc, batches[n][k : k + 50]) for k in range(0, 400, 50)]

        threads = [
            threading.Thread(target=run, args=(0, services)),
            threading.Thread(target=run, args=(1, other)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    accepted = sum(r.count("accepted") for rs in reports.values() for r in rs)
    duplicates = sum(r.count("duplicate") for rs in reports.values() for r in rs)
    assert (accepted, duplicates) == (600, 200)
    values = services.state.store.readings.recorded("dc/hall-1", "supply_temp_c")
    assert sorted(r.key for r in values) == sorted(f"reading:w{i}" for i in range(600))
    assert [r.observed_at for r in values] == [T0 + timedelta(minutes=i) for i in range(600)]


def test_a_reading_before_the_kept_raw_readings_is_refused_with_the_horizon(services, store):
    store.apply_retention(raw_days=30, key_days=7, now=T0 + timedelta(days=40))
    report = send(services, [temp(21.0, 0), temp(22.0, 60 * 24 * 20)])
    assert [r.result for r in report.results] == ["refused", "accepted"]
    refused = report.results[0]
    assert refused.reason == "expired"
    assert "2026-01-15" in (refused.detail or "") and "retention" in (refused.detail or "")
    assert store.readings.count() == 1
