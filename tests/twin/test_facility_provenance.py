"""Simulated readings never mix silently with measured ones (a real log, SQLite and PostgreSQL):
a twin in simulation mode takes simulated readings only, any other twin measured ones only,
and a metric series holds one kind for good; each refusal says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assets.dataset import load_campus
from assets.facilities.readings import check_reading
from twin.eventlog import backup, open_store, restore
from twin.facilities import queries
from twin.facilities.services import FacilityServices
from twin.genesis import ensure_genesis

FORMAT_2 = Path(__file__).with_name("data") / "backup-format2.jsonl.gz"
T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def campus():
    return load_campus()


def temp(minutes: int, provenance: str | None = None, facility: str = "dc/hall-1") -> dict:
    out = {
        "facility": facility,
        "metric": "supply_temp_c",
        "value": 21.5,
        "unit": "°C",
        "observed_at": (T0 + timedelta(minutes=minutes)).isoformat(),
    }
    return out | ({"provenance": provenance} if provenance else {})


def send(services: FacilityServices, *raws: dict) -> list[tuple[str, str | None]]:
    now = datetime.now(UTC)
    report = services.ingest.record([check_reading(services.topology, r, now) for r in raws], "t")
    return [(r.result, r.reason) for r in report.results]


BOTH = [("dc/hall-1", "supply_temp_c"), ("dc/hall-2", "supply_temp_c")]


def test_a_twin_not_in_simulation_mode_refuses_simulated_readings(store, campus):
    ensure_genesis(store, campus)
    real = FacilityServices.open(store, campus)
    assert real.telemetry == "measured"
    assert send(real, temp(0, "simulated"), temp(1), temp(2, "measured")) == [
        ("refused", "wrong_provenance"),
        ("accepted", None),
        ("accepted", None),
    ]
    status = {"facility": "feed-a", "status": "fault", "observed_at": T0.isoformat()}
    assert send(real, status | {"provenance": "simulated"}) == [("refused", "wrong_provenance")]
    assert store.readings.count() == 2
    assert store.readings.series_kinds(BOTH) == {("dc/hall-1", "supply_temp_c"): False}


def test_a_twin_in_simulation_mode_takes_simulated_readings_only_and_says_so(store, campus):
    ensure_genesis(store, campus)
    sim = FacilityServices.open(store, campus, simulation=True)
    assert sim.telemetry == "simulated"
    status = {"facility": "feed-a", "status": "fault", "observed_at": T0.isoformat()}
    answers = send(sim, temp(0, "simulated"), temp(1), status | {"provenance": "simulated"})
    assert answers == [("accepted", None), ("refused", "wrong_provenance"), ("accepted", None)]
    assert store.readings.series_kinds(BOTH) == {("dc/hall-1", "supply_temp_c"): True}
    history = queries.metric_history(sim, "dc/hall-1", "supply_temp_c", T0, T0 + timedelta(1), 10)
    assert history.provenance == "simulated" and history.total == 1
    reported = [
        e for e in store.read_stream("facility:feed-a") if e.type == "FacilityStatusReported"
    ]
    assert reported[-1].data["provenance"] == "simulated"


def test_a_series_keeps_its_kind_whichever_mode_the_twin_runs_in(store, campus):
    """The same database served first for real, then in simulation mode (or the reverse):
    a series of one kind refuses readings of the other, naming the series."""
    ensure_genesis(store, campus)
    real = FacilityServices.open(store, campus)
    sim = FacilityServices.open(store, campus, simulation=True)
    assert send(real, temp(0)) == [("accepted", None)]
    assert send(sim, temp(1, "simulated"), temp(1, "simulated", "dc/hall-2")) == [
        ("refused", "wrong_provenance"),
        ("accepted", None),
    ]
    now = datetime.now(UTC)
    report = sim.ingest.record([check_reading(sim.topology, temp(2, "simulated"), now)], "t")
    assert report.results[0].detail == "the series dc/hall-1 supply_temp_c holds measured readings"
    assert send(real, temp(3, facility="dc/hall-2")) == [("refused", "wrong_provenance")]
    assert store.readings.series_kinds(BOTH) == {
        ("dc/hall-1", "supply_temp_c"): False,
        ("dc/hall-2", "supply_temp_c"): True,
    }


def test_an_unknown_provenance_is_refused_naming_the_known_ones(store, campus):
    ensure_genesis(store, campus)
    real = FacilityServices.open(store, campus)
    found = check_reading(real.topology, temp(0, "guessed"), datetime.now(UTC))
    assert found.reason == "bad_provenance"  # type: ignore[union-attr]
    assert "measured, simulated" in found.detail  # type: ignore[union-attr]


def test_a_backup_keeps_which_series_are_simulated(database_factory, campus, tmp_path):
    """Restored, a simulated series is still simulated; a backup made before the mark existed
    (format 2, series of four fields) restores its series as measured."""
    with open_store(database_factory()) as source:
        ensure_genesis(source, campus)
        sim = FacilityServices.open(source, campus, simulation=True)
        send(sim, temp(0, "simulated"))
        backup(source, tmp_path / "backup")
    with open_store(database_factory()) as target:
        restore(target, tmp_path / "backup")
        assert target.readings.series_kinds(BOTH) == {("dc/hall-1", "supply_temp_c"): True}
    with open_store(database_factory()) as target:
        restore(target, FORMAT_2)
        assert target.readings.series_kinds(BOTH) == {("dc/hall-1", "supply_temp_c"): False}


def test_status_changes_say_where_each_comes_from(store, campus):
    ensure_genesis(store, campus)
    sim = FacilityServices.open(store, campus, simulation=True)
    status = {"facility": "feed-a", "status": "fault", "observed_at": T0.isoformat()}
    assert send(sim, status | {"provenance": "simulated"}) == [("accepted", None)]
    changes = queries.status_changes(sim, "feed-a", datetime(2019, 1, 1, tzinfo=UTC), T0, 10)
    assert changes[0].status == "fault" and changes[0].provenance == "simulated"
    assert len(changes) > 1 and {c.provenance for c in changes[1:]} <= {"published", "schematic"}
