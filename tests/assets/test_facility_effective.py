"""Effective status of facilities: own report combined with power (pure)."""

from __future__ import annotations

import pytest

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
