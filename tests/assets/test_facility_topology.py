"""The facility catalogue, its power graph and the redundancy search (pure, no database)."""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC, datetime

import pytest

from assets.facilities import (
    build_topology,
    design_statuses,
    failure_impact,
    power_levels,
    racks_with_2n,
)
from assets.facilities.genesis import facility_genesis_events
from assets.facilities.kinds import CARRYING, STATUSES
from assets.facilities.topology import Topology
from assets.history import apply

ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
TWO_N_HALLS = [f"dc/hall-{k}" for k in range(1, 7)]
N_HALLS = ["dc/hall-7", "dc/hall-8"]


@pytest.fixture(scope="module")
def topology(campus) -> Topology:
    return build_topology(campus)


def test_the_data_centre_holds_its_3000_rack_quota_in_halls_on_its_upper_floors(topology, campus):
    halls, rows = topology.of_kind("hall"), topology.of_kind("rack_row")
    assert topology.facilities["dc"].racks == 3000  # F6
    assert sum(r.racks for r in rows) == sum(h.racks for h in halls) == 3000
    assert len(halls) == 8 and all(0 < r.racks <= 25 for r in rows)
    floors = {f.id for f in campus.floors("data-centre")[1:]}
    assert {h.floor for h in halls} == floors  # the ground floor is the plant floor
    assert topology.facilities["dc/sub-a"].floor == "data-centre/L01"
    assert topology.facilities["dc/hall-1/row-03"].space == "data-centre/H1/R03"


def test_ids_are_unique_readable_and_stable(topology, campus):
    ids = list(topology.facilities)
    assert len(ids) == len(set(ids)) and all(ID.match(i) for i in ids)
    for expected in (
        "dc",
        "feed-a",
        "feed-b",
        "dc/hall-1",
        "dc/sub-a",
        "dc/ups-b",
        "cooling-1",
        "net-intl-1",
        "net-core",
        "cross-border-centre",
        "office/hvac",
    ):
        assert expected in topology.facilities
    assert list(build_topology(campus).facilities) == ids  # deterministic
    for node in topology.facilities.values():
        assert node.parent is None or node.parent in topology.facilities
        assert node.building is None or node.building in campus.buildings


def test_every_metric_has_a_unit_a_valid_range_and_limits_inside_it(topology):
    for node in topology.facilities.values():
        for spec in node.metrics.values():
            assert spec.unit and spec.low < spec.high, (node.id, spec)
            for limit in (spec.limit_low, spec.limit_high):
                assert limit is None or spec.low <= limit <= spec.high, (node.id, spec)
    row = topology.facilities["dc/hall-1/row-01"].metrics
    assert row["racks_installed"].high == 25 and row["load_kw"].unit == "kW"
    assert topology.facilities["dc/hall-1"].metrics["supply_temp_c"].unit == "°C"


def test_power_flows_feed_substation_ups_pdu_row(topology):
    assert topology.sources == ("feed-a", "feed-b")
    assert topology.supplies["feed-a"] == ("dc/sub-a",)
    assert "dc/hall-1/pdu-a" in topology.supplies["dc/ups-a"]
    assert topology.suppliers["dc/hall-1/row-01"] == ("dc/hall-1/pdu-a", "dc/hall-1/pdu-b")
    assert topology.suppliers["dc/hall-8/row-01"] == ("dc/hall-8/pdu-a",)


@pytest.mark.parametrize(
    ("feed", "lose_redundancy", "lose_power", "others_unpowered"),
    [
        ("feed-a", TWO_N_HALLS, N_HALLS, {"dc/sub-a", "dc/ups-a", "cooling-1"}),
        ("feed-b", TWO_N_HALLS, [], {"dc/sub-b", "dc/ups-b", "cooling-2"}),
    ],
)
def test_a_single_feed_failure(topology, feed, lose_redundancy, lose_power, others_unpowered):
    impact = failure_impact(topology, design_statuses(topology), [feed])
    assert impact.halls_losing_redundancy == lose_redundancy
    assert impact.halls_losing_power == lose_power
    assert impact.racks_losing_redundancy == 375 * len(lose_redundancy)
    assert impact.racks_losing_power == 375 * len(lose_power)
    after = {f: a for f, _, a in impact.others}
    assert others_unpowered <= {f for f, a in after.items() if a == "none"}
    assert after["net-core"] == "N"  # dual-fed from both UPS systems


def test_a_failure_on_top_of_maintenance_takes_the_power(topology):
    statuses = {**design_statuses(topology), "feed-b": "maintenance"}
    impact = failure_impact(topology, statuses, ["feed-a"])
    assert impact.halls_losing_power == TWO_N_HALLS + N_HALLS
    assert impact.racks_losing_redundancy == 0 and impact.racks_losing_power == 3000


def test_racks_with_2n_follow_the_statuses(topology):
    design = racks_with_2n(topology, design_statuses(topology))
    assert {i for i in design if "/row-" not in i} == set(TWO_N_HALLS)
    assert len(design) == 6 + 6 * 15
    pdu_down = {**design_statuses(topology), "dc/hall-2/pdu-b": "fault"}
    assert "dc/hall-2" not in racks_with_2n(topology, pdu_down)
    assert "dc/hall-1" in racks_with_2n(topology, pdu_down)
    assert racks_with_2n(topology, {}) == set()  # nothing built carries power


def _paths(topology, statuses, target):
    """Every simple path (as node sets) from a live feed to ``target`` through live nodes."""
    out = []

    def walk(node, seen):
        if statuses.get(node) not in CARRYING:
            return
        if node == target:
            out.append(seen - {target})
            return
        for nxt in topology.supplies.get(node, ()):
            if nxt not in seen:
                walk(nxt, seen | {nxt})

    for feed in topology.sources:
        walk(feed, {feed})
    return out


def test_the_search_agrees_with_disjoint_path_counting_on_random_statuses(topology):
    rng = random.Random(20261128)
    nodes = topology.power_nodes
    for _ in range(60):
        statuses = {n: rng.choice(["operational"] * 6 + ["fault", "degraded"]) for n in nodes}
        levels = power_levels(topology, statuses)
        for node in rng.sample([n for n in levels], 25):
            paths = _paths(topology, statuses, node)
            disjoint = any(not (a & b) for a, b in itertools.combinations(paths, 2))
            expected = "none" if not paths else ("2N" if disjoint else "N")
            assert levels[node] == expected, (node, statuses)


def test_genesis_as_of_the_article(topology):
    events = facility_genesis_events(topology)
    at = datetime(2024, 9, 12, tzinfo=UTC)
    state: dict[str, dict] = {}
    for e in events:
        if e.effective_at <= at:
            state[e.stream] = apply(state.get(e.stream, {}), e.type, e.data, e.effective_at)
    assert state["facility:dc/sub-a"]["status"] == "under_construction"  # F6
    assert state["facility:dc/hall-8"]["planned_operational"].startswith("2025")
    assert state["facility:dc/hall-1/row-01"]["status"] == "planned"
    assert state["facility:office/hvac"]["status"] == "under_construction"  # F7 fit-out
    assert state["facility:net-intl-1"]["status"] == "operational"
    assert all(s["status"] in STATUSES for s in state.values())
    assert all(e.data["facts"] for e in events)
    assert "facility:feed-a" not in {e.stream for e in events}  # assets.genesis has the feeds
