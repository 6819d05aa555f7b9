"""The alarm lifecycle on a real log (SQLite, and PostgreSQL when configured): delayed raises,
operators' commands, the clock's sweep, two operators at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from assets.dataset import load_campus
from assets.facilities.alarms import ESCALATED, UNSHELVED, AlarmPolicy, AlarmRefused
from assets.facilities.alerts import alarm_id
from assets.facilities.readings import check_reading
from twin.eventlog import open_store
from twin.facilities import alarms
from twin.facilities.services import FacilityServices
from twin.facilities.sweep import sweep
from twin.genesis import ensure_genesis

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
KEY = "metric-limit:dc/hall-1:supply_temp_c"
POLICY = AlarmPolicy({"metric-limit": 300.0}, {"critical": 300.0, "warning": 600.0})


@pytest.fixture(scope="module")
def campus():
    return load_campus()


@pytest.fixture
def services(store, campus):
    ensure_genesis(store, campus)
    return FacilityServices.open(store, campus, policy=POLICY)


def t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def temp(value, minutes):
    return {
        "facility": "dc/hall-1",
        "metric": "supply_temp_c",
        "value": value,
        "unit": "°C",
        "observed_at": t(minutes).isoformat(),
    }


def feed(status, minutes):
    return {"facility": "feed-a", "status": status, "observed_at": t(minutes).isoformat()}


def send(services, *raws):
    now = datetime.now(UTC)
    checked = [check_reading(services.topology, r, now) for r in raws]
    return services.ingest.record(checked, "test")


def alarm_of(services, key=KEY):
    (found,) = [a for a in services.fresh().alarms().values() if a["key"] == key]
    return found


def test_a_spike_raises_nothing_a_value_held_past_its_limit_raises_when_held(services):
    send(services, temp(22, 0), temp(29, 1), temp(22, 2))  # one batch: only the last counts
    send(services, temp(29, 3))
    send(services, temp(22, 4))
    assert services.fresh().alarms() == {}
    send(services, temp(29, 10))
    send(services, temp(29, 12))
    assert services.fresh().alarms() == {}  # past its limit for 2 min of 5
    send(services, temp(30, 16))
    alarm = alarm_of(services)
    assert alarm["id"] == alarm_id(KEY, t(15)) and alarm["raised_at"] == t(15).isoformat()
    assert alarm["state"] == "active" and alarm["severity"] == "warning"


def test_the_sweep_raises_a_held_value_with_no_reading_since_and_records_nothing_twice(services):
    send(services, temp(29, 0))
    assert sweep(services.state, t(4)) == []
    done = sweep(services.state, t(12))
    assert [(e.type, e.effective_at) for e in done] == [("FacilityAlertRaised", t(5))]
    assert sweep(services.state, t(12)) == []
    later = sweep(services.state, t(26))  # warning: escalates every 10 min unacknowledged
    assert [(e.type, e.effective_at, e.data["level"]) for e in later] == [
        (ESCALATED, t(15), 1),
        (ESCALATED, t(25), 2),
    ]
    before = services.state.store.count()
    assert sweep(services.state, t(26)) == [] and services.state.store.count() == before


def test_acknowledge_shelve_expire_clear_and_raise_again(services):
    send(services, feed("operational", 0), feed("fault", 1))
    key = "feed-down:feed-a"
    first = alarm_of(services, key)["id"]
    assert first == alarm_id(key, t(1))
    alarms.acknowledge(services.state, first, "ops-1", "crew sent")
    acked = alarm_of(services, key)
    assert acked["state"] == "acknowledged" and acked["acknowledged"]["by"] == "ops-1"
    now = datetime.now(UTC)
    alarms.shelve(services.state, first, "ops-1", now + timedelta(minutes=30), "works")
    assert alarm_of(services, key)["state"] == "shelved"
    (expired,) = sweep(services.state, now + timedelta(minutes=31))
    assert expired.type == UNSHELVED and expired.effective_at == now + timedelta(minutes=30)
    assert alarm_of(services, key)["state"] == "acknowledged"
    send(services, feed("operational", 40))
    assert alarm_of(services, key)["state"] == "cleared"
    before = services.state.store.count()
    with pytest.raises(AlarmRefused, match="cleared at") as refused:
        alarms.acknowledge(services.state, first, "ops-2", "")
    assert refused.value.kind == "conflict" and services.state.store.count() == before
    send(services, feed("fault", 50))
    again = [a for a in services.fresh().alarms().values() if a["state"] == "active"]
    assert [a["id"] for a in again if a["key"] == key] == [alarm_id(key, t(50))]
    assert {a["id"] for a in alarms.listed(services.state, states={"cleared"})} >= {first}
    assert alarms.listed(services.state, at=t(30), facilities={"feed-a"})[0]["id"] == first


def test_two_operators_acknowledging_at_once_do_not_both_win(services, database_url, campus):
    send(services, feed("operational", 0), feed("fault", 1))
    alarm = alarm_of(services, "feed-down:feed-a")["id"]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def operator(name):
        with open_store(database_url) as store:
            mine = FacilityServices.open(store, campus, policy=POLICY)
            barrier.wait()
            try:
                alarms.acknowledge(mine.state, alarm, name, "mine")
                outcomes.append("won")
            except AlarmRefused as refused:
                outcomes.append(refused.kind)

    threads = [threading.Thread(target=operator, args=(n,)) for n in ("ops-1", "ops-2")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["conflict", "won"]
    acks = services.state.store.read(stream="alerts:facilities", limit=None)
    assert sum(e.type == "FacilityAlarmAcknowledged" for e in acks) == 1
