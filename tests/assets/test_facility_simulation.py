"""The telemetry generator of ``twin simulate`` and its scenarios (pure: no database, no clock)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from assets.clock import CAMPUS_TZ
from assets.facilities import build_topology
from assets.facilities.readings import Reading, check_reading
from assets.facilities.scenario import (
    SCENARIOS,
    ScenarioError,
    load_scenario,
    parse_scenario,
    scenario_names,
)
from assets.facilities.simulation import load_factor, ticks
from assets.facilities.topology import Topology

DAY = datetime(2026, 6, 1, tzinfo=CAMPUS_TZ)
LATER = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def topology(campus) -> Topology:
    return build_topology(campus)


def values(topology: Topology, scenario: str, seed: int = 0, **changes) -> dict:
    """(facility, metric) -> [(time, value)] of a run on DAY at the scenario's time of day."""
    plan = replace(load_scenario(scenario, topology), **changes)
    out: dict = {}
    for tick in ticks(topology, plan, DAY + plan.start, seed):
        for r in tick.readings:
            if "metric" in r:
                out.setdefault((r["facility"], r["metric"]), []).append((tick.at, r["value"]))
    return out


def test_load_follows_a_daily_cycle_lowest_before_dawn_highest_in_the_afternoon(topology):
    hours = [load_factor(DAY + timedelta(hours=h)) for h in range(24)]
    assert hours.index(min(hours)) == 4 and hours.index(max(hours)) == 16
    day = values(topology, "normal-day")
    it = {at.astimezone(CAMPUS_TZ).hour: v for at, v in day["dc", "it_load_kw"]}
    assert it[16] > 1.4 * it[4]  # the afternoon peak well above the night
    assert max(it.values()) < 3000 * 8  # never beyond the 3,000 racks' design


def test_cooling_follows_load(topology):
    day = values(topology, "normal-day")
    it = [v for _, v in day["dc", "it_load_kw"]]
    heat = [
        a + b
        for (_, a), (_, b) in zip(
            day["cooling-1", "cooling_kw"], day["cooling-2", "cooling_kw"], strict=True
        )
    ]
    power = [v for _, v in day["cooling-1", "power_kw"]]
    for i in range(1, len(it)):  # heat removed and chiller power move with the load
        if abs(it[i] - it[i - 1]) > 0.02 * it[i]:
            assert (heat[i] - heat[i - 1]) * (it[i] - it[i - 1]) > 0
            assert (power[i] - power[i - 1]) * (it[i] - it[i - 1]) > 0
    supply = {at.astimezone(CAMPUS_TZ).hour: v for at, v in day["dc/hall-1", "supply_temp_c"]}
    assert supply[16] > supply[4]  # warmer air at the peak, within ASHRAE's 18-27 °C
    assert all(18 <= v <= 27 for _, v in day["dc/hall-1", "supply_temp_c"])


def test_a_normal_day_is_admitted_and_within_limits_but_for_its_glitches(topology):
    plan = load_scenario("normal-day", topology)
    outcomes: Counter[str] = Counter()
    glitches = 0
    for tick in ticks(topology, plan, DAY, seed=3):
        glitches += tick.glitches
        for raw in tick.readings:
            found = check_reading(topology, raw, LATER)
            if not isinstance(found, Reading):
                outcomes[found.reason] += 1
                continue
            assert found.simulated
            spec = topology.facilities[found.facility].metrics.get(found.metric or "")
            outcomes["beyond limits" if spec and not spec.within_limits(found.value) else "ok"] += 1
    assert glitches > 0 and outcomes["out_of_range"] == glitches  # each glitch refused
    assert set(outcomes) == {"ok", "out_of_range"}, outcomes


def test_feed_a_trips_at_14_and_returns_at_14_40(topology):
    plan = load_scenario("feed-a-trip", topology)
    statuses = [
        (r["observed_at"], r["status"])
        for tick in ticks(topology, plan, DAY + plan.start)
        for r in tick.readings
        if r.get("facility") == "feed-a" and "status" in r
    ]
    assert statuses == [
        ("2026-06-01T13:50:00+08:00", "operational"),
        ("2026-06-01T14:00:00+08:00", "fault"),
        ("2026-06-01T14:40:00+08:00", "operational"),
    ]
    run = values(topology, "feed-a-trip")
    during = {
        at.astimezone(CAMPUS_TZ).strftime("%H:%M"): v
        for at, v in run["dc/hall-1/pdu-b", "load_pct"]
    }
    assert during["14:20"] > 1.8 * during["13:55"]  # feed B's side carries the whole hall
    assert dict(run["dc/hall-7/row-01", "load_kw"])[DAY + timedelta(hours=14, minutes=20)] == 0


def test_cooling_degraded_warms_the_chilled_water_and_raises_pue(topology):
    run = values(topology, "cooling-degraded")
    at = {
        t.astimezone(CAMPUS_TZ).strftime("%H:%M"): v
        for t, v in run["cooling-1", "chw_supply_temp_c"]
    }
    pue = {t.astimezone(CAMPUS_TZ).strftime("%H:%M"): v for t, v in run["dc", "pue"]}
    assert at["12:30"] < 18 < at["15:00"]  # past its alarm limit while degraded
    assert pue["12:30"] < 1.3 < pue["15:00"]
    assert at["17:30"] < 18


def test_the_same_seed_gives_the_same_run_another_seed_another(topology):
    plan = replace(load_scenario("normal-day", topology), duration=timedelta(hours=2))
    one = [t.readings for t in ticks(topology, plan, DAY, seed=7)]
    assert one == [t.readings for t in ticks(topology, plan, DAY, seed=7)]
    assert one != [t.readings for t in ticks(topology, plan, DAY, seed=8)]


def test_every_shipped_scenario_loads(topology):
    assert {"normal-day", "feed-a-trip", "cooling-degraded"} <= set(scenario_names())
    for name in scenario_names():
        assert load_scenario(name, topology).name == name


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"events": [{"at": "14:00", "facility": "feed-a", "status": "tripped"}]},
            "events[0].status",
        ),
        ({"events": [{"at": "25:99", "facility": "feed-a", "status": "fault"}]}, "events[0].at"),
        (
            {"events": [{"at": "14:00", "facility": "feed-z", "status": "fault"}]},
            "events[0].facility",
        ),
        (
            {
                "cooling": [
                    {"from": "13:00", "to": "12:00", "facility": "cooling-1", "capacity": 0.5}
                ]
            },
            "cooling[0].to",
        ),
        (
            {"cooling": [{"from": "13:00", "to": "14:00", "facility": "feed-a", "capacity": 0.5}]},
            "cooling[0].facility",
        ),
        (
            {"cooling": [{"from": "13:00", "to": "14:00", "facility": "cooling-1", "capacity": 2}]},
            "cooling[0].capacity",
        ),
        ({"step_s": 0}, "step_s"),
        ({"duration_min": "an hour"}, "duration_min"),
        ({"glitch_rate": 1.5}, "glitch_rate"),
        ({"name": ""}, "name"),
        ({"speed": 10}, "speed"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(topology, tmp_path, change, field):
    raw = json.loads((SCENARIOS / "feed-a-trip.json").read_text())
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw | change))
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path, topology)
    assert str(refused.value).startswith(field + ":"), refused.value


def test_an_unknown_scenario_names_the_known_ones(topology):
    with pytest.raises(ScenarioError, match="feed-a-trip"):
        load_scenario("feed-c-trip", topology)
    with pytest.raises(ScenarioError, match="a JSON object"):
        parse_scenario([], topology)
