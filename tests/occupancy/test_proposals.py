"""Proposals of adjacent units: small floors whose right answers are worked by hand below."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import box

from occupancy.availability import Match
from occupancy.errors import LeasingInvalid
from occupancy.proposals import ProposalQuery, proposals
from occupancy.spaces import Space

DAY = date(2026, 3, 1)


def _unit(name: str, level: int, x0: float, y0: float, x1: float, y1: float) -> Space:
    floor = f"b/L{level:02d}"
    poly = box(x0, y0, x1, y1)
    return Space(f"{floor}/{name}", "office", "p", "b", floor, level, floor, poly, poly.area)


def _matches(*units: Space, free: dict[str, date] | None = None) -> list[Match]:
    free = free or {}
    return [
        Match(u, "available", free.get(u.id, DAY), None, False, u.id, u.area_m2, 1) for u in units
    ]


# One floor, 10 m squares A B C D in a row (100 m² each) and E, 20 m x 10 m lying on top of
# A and B (200 m²), touching both along 10 m, touching C at a corner only:
#
#   +-------E-------+
#   |               |
#   +---A---+---B---+---C---+---D---+
A = _unit("A", 1, 0, 0, 10, 10)
B = _unit("B", 1, 10, 0, 20, 10)
C = _unit("C", 1, 20, 0, 30, 10)
D = _unit("D", 1, 30, 0, 40, 10)
E = _unit("E", 1, 0, 10, 20, 20)
FLOOR = [A, B, C, D, E]
ORDER = {u.id: i for i, u in enumerate(FLOOR)}


def _ids(found) -> list[list[str]]:
    return [[i.rsplit("/", 1)[1] for i in p.ids] for p in found]


def test_least_excess_then_fewest_units_then_compact_then_catalogue_order():
    # 250-300 m²: E+A and E+B (2 units, 300 m²: excess 50, an L of perimeter 80, shape
    # 80 / (4 sqrt 300) = 1.155);
    # A+B+C and B+C+D (3 units, 300 m², a 30 x 10 bar: perimeter 80, the same shape).
    # E+C is no proposal: they meet at a corner. A+B+E is 400 m²: over the maximum.
    found, total = proposals(_matches(*FLOOR), ORDER, ProposalQuery(250, 300))
    assert _ids(found) == [["A", "E"], ["B", "E"], ["A", "B", "C"], ["B", "C", "D"]]
    assert total == 4
    assert [p.area_m2 for p in found] == [300, 300, 300, 300]
    assert found[0].excess_m2 == 50
    assert found[0].shape == pytest.approx(80 / (4 * 300**0.5), abs=1e-3)


def test_one_unit_in_range_is_a_proposal_and_beats_two():
    # 150-250 m²: E alone (1 unit, excess 50) first; then the pairs A+B, B+C, C+D (a 20 x 10
    # bar, perimeter 60, 200 m²); A+E is 300 m², over the maximum.
    found, _ = proposals(_matches(*FLOOR), ORDER, ProposalQuery(150, 250))
    assert _ids(found) == [["E"], ["A", "B"], ["B", "C"], ["C", "D"]]


def test_compact_beats_a_long_bar_at_equal_excess_and_count():
    # 400 m² exactly: A+B+E (a 20 x 20 square, perimeter 80, shape 1.0), B+C+E (a Z of
    # perimeter 60 + 40 + 40 - 2 x (10 + 10) = 100, shape 1.25), both 3 units; A+B+C+D (a
    # 40 x 10 bar) takes 4 units.
    found, _ = proposals(_matches(*FLOOR), ORDER, ProposalQuery(400, 400))
    assert _ids(found) == [["A", "B", "E"], ["B", "C", "E"], ["A", "B", "C", "D"]]
    assert [round(p.shape, 2) for p in found] == [1.0, 1.25, 1.25]
    outline = found[0].outlines[0]
    assert outline.polygon.geom_type == "Polygon"
    assert outline.polygon.area == pytest.approx(400, abs=0.5)
    assert outline.polygon.length == pytest.approx(80, abs=0.5)  # one outline, no seams


def test_limit_keeps_the_best_and_counts_all():
    found, total = proposals(_matches(*FLOOR), ORDER, ProposalQuery(250, 300, limit=1))
    assert _ids(found) == [["A", "E"]] and total == 4


def test_nothing_fits_answers_nothing():
    assert proposals(_matches(*FLOOR), ORDER, ProposalQuery(601, 1000)) == ([], 0)
    assert proposals(_matches(A, C), ORDER, ProposalQuery(200, 200)) == ([], 0)  # not adjacent


def test_stacked_floors_join_only_when_asked():
    upper = _unit("A", 2, 0, 0, 10, 10)  # right above A
    aside = _unit("Z", 2, 50, 0, 60, 10)  # above nothing
    order = {u.id: i for i, u in enumerate([A, upper, aside])}
    flat, _ = proposals(_matches(A, upper, aside), order, ProposalQuery(200, 200))
    assert flat == []
    stacked, total = proposals(
        _matches(A, upper, aside), order, ProposalQuery(200, 200, stacked=True)
    )
    assert [p.ids for p in stacked] == [["b/L01/A", "b/L02/A"]] and total == 1
    assert [o.floor for o in stacked[0].outlines] == ["b/L01", "b/L02"]


def test_ready_from_is_the_last_units_day():
    later = date(2026, 9, 1)
    found, _ = proposals(
        _matches(*FLOOR, free={B.id: later}), ORDER, ProposalQuery(200, 200, limit=10)
    )
    by_ids = {tuple(_ids([p])[0]): p.ready_from for p in found}
    assert by_ids[("E",)] == DAY and by_ids[("A", "B")] == later


def test_a_big_floor_stays_bounded():
    # 60 x 60 grid of 10 m units on one floor (3,600 units) asked for 30 units' worth: the beam
    # keeps the search polynomial; the answer is a compact block of exactly 3,000 m².
    grid = [
        _unit(f"U{i:02d}{j:02d}", 1, i * 10, j * 10, i * 10 + 10, j * 10 + 10)
        for i in range(60)
        for j in range(60)
    ]
    order = {u.id: k for k, u in enumerate(grid)}
    found, _ = proposals(_matches(*grid), order, ProposalQuery(3000, 3000, limit=3))
    assert found and all(p.area_m2 == pytest.approx(3000) for p in found)
    assert all(len(p.ids) == 30 for p in found)
    assert found[0].shape <= 1.1  # a 5 x 6 block: perimeter 220 / (4 sqrt 3000) = 1.004


def test_a_range_upside_down_is_refused_naming_it():
    with pytest.raises(LeasingInvalid, match="max_area_m2"):
        ProposalQuery(500, 400)
    with pytest.raises(LeasingInvalid, match="min_area_m2"):
        ProposalQuery(0)


def test_a_group_that_cannot_reach_the_minimum_is_not_searched(monkeypatch):
    """A minimum above what a group's candidates hold together (or above its
    MAX_UNITS largest) answers nothing without the beam search: the contract test's
    ``min_area_m2=154740&stacked=true`` kept the server busy past 10 s."""
    from occupancy import proposals as module

    searched = []
    real = module._Group.search
    monkeypatch.setattr(
        module._Group, "search", lambda self, q: searched.append(q) or real(self, q)
    )
    grid = [_unit(f"U{i:02d}", 1, i * 10, 0, i * 10 + 10, 10) for i in range(60)]  # 6,000 m²
    order = {u.id: k for k, u in enumerate(grid)}
    assert proposals(_matches(*grid), order, ProposalQuery(154_740, stacked=True)) == ([], 0)
    assert proposals(_matches(*grid), order, ProposalQuery(4_001)) == ([], 0)  # > 40 × 100 m²
    assert searched == []
    found, _ = proposals(_matches(*grid), order, ProposalQuery(4_000, limit=1))
    assert len(searched) == 1 and found[0].area_m2 == pytest.approx(4_000)
