"""Leasable spaces: office units of the campus and the data centre's 3,000 racks (F6)."""

from __future__ import annotations

import re

import pytest
import shapely

from occupancy.racks import campus_racks, design_two_n
from occupancy.spaces import build_catalog

RACK_ID = re.compile(r"^data-centre/H\d/R\d\d/K\d\d$")


def test_every_unit_and_rack_is_a_space(campus, spaces):
    units = campus.units()
    assert sum(1 for s in spaces.spaces.values() if s.kind == "office") == len(units)
    racks = [s for s in spaces.spaces.values() if s.kind == "rack"]
    assert len(racks) == campus.facilities["dc"].rack_quota == 3000  # F6
    assert all(RACK_ID.match(r.id) for r in racks)
    assert racks[0].id == "data-centre/H1/R01/K01"
    assert "data-centre/H1/R03/K12" in spaces


def test_rack_ids_and_places_are_deterministic(campus):
    halls_a, racks_a = campus_racks(campus)
    _, racks_b = campus_racks(campus)
    assert [r.id for r in racks_a] == [r.id for r in racks_b]
    assert all(
        a.polygon.equals_exact(b.polygon, 1e-9) for a, b in zip(racks_a, racks_b, strict=True)
    )
    assert (
        len(halls_a) == 8 and len({h.floor for h in halls_a}) == 4
    )  # no racks on the ground floor


def test_racks_lie_in_their_hall_and_never_overlap(campus):
    halls, racks = campus_racks(campus)
    outline = {h.id: h.outline for h in halls}
    plate = campus.floors("data-centre")[1].plate
    for r in racks:
        assert outline[r.hall].contains(r.polygon)
        assert plate.contains(r.polygon)
    hall = [r.polygon for r in racks if r.hall == "data-centre/H1"]
    assert sum(p.area for p in hall) == pytest.approx(shapely.union_all(hall).area, rel=1e-6)


def test_two_n_comes_from_the_feeds_of_each_hall(campus):
    halls, racks = campus_racks(campus)
    two_n = design_two_n(racks)
    assert 0 < len(two_n) < len(racks)
    for h in halls:
        assert set(h.feeds) <= {"feed-a", "feed-b"}
    for r in racks:
        assert (r.id in two_n) == (set(r.feeds) == {"feed-a", "feed-b"})


def test_neighbours_touch_along_an_edge_on_the_same_floor(spaces):
    n = spaces.neighbours
    assert set(n["fish-head-t1/L12/U03"]) == {"fish-head-t1/L12/U02", "fish-head-t1/L12/U04"}
    for sid, others in n.items():
        for o in others:
            assert spaces.spaces[o].floor == spaces.spaces[sid].floor
            assert sid in n[o]
            shared = (
                spaces.spaces[sid]
                .polygon.buffer(0.05)
                .intersection(spaces.spaces[o].polygon.boundary)
            )
            assert shared.length >= 1.0


def test_a_catalogue_without_a_data_centre_has_units_only(campus):
    from assets.campus import Campus

    bare = Campus(
        campus.origin,
        list(campus.zones.values()),
        list(campus.parcels.values()),
        [b for b in campus.buildings.values() if b.id != "data-centre"],
        [f for f in campus.facilities.values() if f.building != "data-centre"],
        list(campus.facts.values()),
    )
    cat = build_catalog(bare)
    assert {s.kind for s in cat.spaces.values()} == {"office"}
