"""Effective status of facilities: own report combined with power (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.facilities.alerts import StatusAt, hall_conditions
from assets.facilities.catalog import build_topology
from assets.facilities.effective import building_status, effective_statuses


@pytest.fixture(scope="module")
def topology(campus):
    return build_topology(campus)


def _all(topology, status):
    return dict.fromkeys(topology.facilities, status)


def test_a_failed_feed_takes_power_from_halls_7_8_and_redundancy_from_halls_1_6(topology):
    reported = _all(topology, "operational") | {"feed-a": "fault"}
    effective = effective_statuses(topology, reported)
    assert effective["feed-a"] == "fault"
    assert [effective[f"dc/hall-{k}"] for k in (7, 8)] == ["no_power"] * 2
    assert {effective[f"dc/hall-{k}"] for k in range(1, 7)} == {"lost_redundancy"}
    assert effective["dc/hall-7/row-01"] == "no_power"
    assert effective["cross-border-centre"] == "operational"
    assert building_status(topology, "data-centre", effective) == "fault"
    # feed B alone: halls 7-8 are fed by A only (N by design), so nothing loses power
    effective = effective_statuses(topology, _all(topology, "operational") | {"feed-b": "fault"})
    assert effective["dc/hall-7"] == "operational" and effective["dc/hall-1"] == "lost_redundancy"


def test_own_reports_out_of_service_win_over_power(topology):
    reported = _all(topology, "operational") | {"feed-a": "fault", "dc/hall-7": "maintenance"}
    assert effective_statuses(topology, reported)["dc/hall-7"] == "maintenance"


def test_work_still_being_built_does_not_colour_a_running_building(topology):
    reported = _all(topology, "operational") | {"net-intl-2": "under_construction"}
    effective = effective_statuses(topology, reported)
    assert building_status(topology, "data-centre", effective) == "operational"
    # but a data centre itself still being built is under construction, whatever runs in it
    reported |= {"dc": "under_construction"}
    effective = effective_statuses(topology, reported)
    assert building_status(topology, "data-centre", effective) == "under_construction"


STATUSES = ("operational", "degraded", "fault", "offline", "maintenance", "under_construction")


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_effective_status_and_the_hall_alerts_say_the_same(campus, data):
    """For any statuses, a hall is no_power exactly when the hall-power alert is active, and
    lost_redundancy exactly when hall-redundancy is (the alert rules and the colours agree)."""
    topology = build_topology(campus)
    upstream = sorted(topology.upstream([r.id for r in topology.of_kind("rack_row")]))
    chosen = data.draw(
        st.lists(st.sampled_from(STATUSES), min_size=len(upstream), max_size=len(upstream))
    )
    reported = _all(topology, "operational") | dict(zip(upstream, chosen, strict=True))
    effective = effective_statuses(topology, reported)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    conditions = hall_conditions(topology, {k: StatusAt(v, since) for k, v in reported.items()})
    active = {(c.rule, c.facility) for c in conditions if c.active}
    for hall in topology.of_kind("hall"):
        assert (effective[hall.id] == "no_power") == (("hall-power", hall.id) in active)
        assert (effective[hall.id] == "lost_redundancy") == (("hall-redundancy", hall.id) in active)
