"""PUE and power capacity figures (pure): ratios, design sums, headroom, the one fit rule."""

from __future__ import annotations

import pytest

from assets.facilities import build_topology, design_statuses
from assets.facilities.capacity import RACK_DESIGN_KW, capacities, fit, placeable
from assets.facilities.efficiency import DESIGN_PUE, efficiency, ratio
from assets.facilities.topology import Topology


@pytest.fixture(scope="module")
def topology(campus) -> Topology:
    return build_topology(campus)


@pytest.mark.parametrize(
    ("free", "headroom", "kw", "expected"),
    [
        (25, 200.0, 8.0, 25),  # an empty row: every position
        (25, 10.0, 8.0, 1),  # power first
        (5, 40.0, 8.0, 5),  # positions first
        (25, 39.99, 8.0, 4),  # a part rack does not fit
        (25, 16.0, 8.0, 2),  # exact fits
        (25, -30.0, 8.0, 0),  # over its design: none, never negative
        (0, 200.0, 8.0, 0),
    ],
)
def test_placeable_takes_the_smaller_of_positions_and_power(free, headroom, kw, expected):
    assert placeable(free, headroom, kw) == expected


def test_placeable_refuses_a_rack_of_no_power():
    with pytest.raises(ValueError, match="kw_per_rack"):
        placeable(5, 100.0, 0)


def test_a_ratio_needs_both_sides_and_a_positive_it_load():
    assert ratio(["a"], ["b"], {"a": 130.0, "b": 100.0}).value == pytest.approx(1.3)
    assert ratio(["a"], ["b"], {"a": 130.0}).value is None  # no IT reading
    assert ratio(["a"], ["b"], {"a": 130.0, "b": 0.0}).value is None
    partial = ratio(["a", "c"], ["b"], {"a": 130.0, "b": 100.0})
    assert partial.missing == ("c",) and partial.used == ("a", "b")


def test_pue_sums_feeds_over_rows_and_halls_get_partial_pue(topology):
    kw = {"feed-a": 700.0, "feed-b": 600.0, "dc/hall-1/pdu-a": 520.0, "dc/hall-1/pdu-b": 520.0}
    kw |= {"dc/hall-1/row-01": 600.0, "dc/hall-2/row-01": 400.0}
    found = efficiency(topology, "dc", kw)
    assert found.pue.value == pytest.approx(1.3) and found.pue.it_kw == 1000
    assert found.halls["dc/hall-1"].value == pytest.approx(1040 / 600)
    assert found.halls["dc/hall-2"].value is None  # no PDU reading there
    assert DESIGN_PUE == 1.3


def test_design_sums_down_the_power_graph(topology):
    found = {c.facility: c for c in capacities(topology, design_statuses(topology), {}, {})}
    assert found["dc/hall-1/row-01"].design_kw == 25 * RACK_DESIGN_KW
    assert found["dc/hall-1"].design_kw == 375 * RACK_DESIGN_KW
    assert found["dc/hall-1/pdu-b"].design_kw == found["dc/hall-1"].design_kw  # 2N: all alone
    assert found["dc/ups-a"].design_kw == 3000 * RACK_DESIGN_KW
    assert found["dc/ups-b"].design_kw == 2250 * RACK_DESIGN_KW  # halls 7-8 hang on A only
    assert found["feed-a"].design_kw == pytest.approx(3000 * RACK_DESIGN_KW * DESIGN_PUE)
    assert found["dc/hall-7"].level == "N" and found["dc/hall-1"].level == "2N"


def test_headroom_is_design_less_the_larger_of_allocated_and_drawn(topology):
    row = "dc/hall-1/row-01"
    booked, statuses = {row: 10}, design_statuses(topology)
    by_draw = {c.facility: c for c in capacities(topology, statuses, booked, {row: 150.0})}
    assert (by_draw[row].allocated_kw, by_draw[row].headroom_kw) == (80.0, 50.0)
    by_booking = {c.facility: c for c in capacities(topology, statuses, booked, {row: 20.0})}
    assert by_booking[row].headroom_kw == 120.0
    assert by_booking["dc/hall-1"].drawn_kw == 20.0  # a hall without its own reading: its rows'


def test_a_feed_down_leaves_only_n_rows_for_a_2n_fit(topology):
    statuses = {**design_statuses(topology), "feed-b": "fault"}
    found = capacities(topology, statuses, {}, {})
    free = {c.facility: c.racks for c in found if c.kind == "rack_row"}
    assert fit(found, free, 40, 8.0, "2N") and not any(
        h.fits for h in fit(found, free, 40, 8.0, "2N")
    )
    assert {h.hall for h in fit(found, free, 40, 8.0, "N") if h.fits} == {
        f"dc/hall-{k}" for k in range(1, 9)
    }
