"""The published totals (campus-facts.md), computed from the geometry."""

import itertools

import pytest
import shapely

from assets.dataset import load_campus
from assets.scene import build_scene


def test_park_is_nearly_seven_square_kilometres(campus):  # F3, S3
    assert 6.8e6 <= campus.zone_polygons["park"].area <= 7.0e6


def test_core_is_about_three_point_two_square_kilometres(campus):  # F3
    assert 3.1e6 <= campus.zone_polygons["core"].area <= 3.3e6


def test_fish_complex_holds_750000_square_metres(campus):  # F4
    assert campus.zone_gfa_m2("fish") == pytest.approx(750_000, rel=0.005)


def test_fish_head_holds_400000_square_metres(campus):  # F5
    assert campus.parcel_gfa_m2("fish-head") == pytest.approx(400_000, rel=0.005)
    assert campus.parcel_gfa_m2("fish-body") + campus.parcel_gfa_m2("fish-tail") == pytest.approx(
        350_000, rel=0.005
    )


def test_office_building_is_about_20000_square_metres(campus):  # F7
    assert campus.gfa_m2("office-building") == pytest.approx(20_000, rel=0.02)


def test_data_centre_plot_and_floor_area_match_s2(campus):
    assert campus.parcel_polygons["d0101"].area == pytest.approx(18_991, rel=0.001)
    assert campus.gfa_m2("data-centre") == pytest.approx(65_073.84, rel=0.001)
    assert campus.facilities["dc"].rack_quota == 3000  # F6


def test_fish_inside_core_inside_park(campus):
    z = campus.zone_polygons
    assert z["park"].buffer(0.05).contains(z["core"])
    assert z["core"].buffer(0.05).contains(z["fish"])
    fish_parcels = [campus.parcel_polygons[p] for p in campus.parcels_in_zone("fish")]
    assert shapely.union_all(fish_parcels).symmetric_difference(z["fish"]).area < 1.0


def test_every_building_inside_the_park_and_its_parcel(campus):
    park = campus.zone_polygons["park"]
    for b in campus.buildings.values():
        assert park.contains(campus.footprints[b.id]), b.id
        assert campus.parcel_polygons[b.parcel].buffer(0.05).contains(campus.footprints[b.id]), b.id


def test_no_two_footprints_overlap(campus):
    for (a, pa), (b, pb) in itertools.combinations(campus.footprints.items(), 2):
        assert pa.intersection(pb).area < 1.0, (a, b)


def test_units_never_overlap_and_lie_inside_their_floor_plate(campus):
    for building in campus.buildings:
        floor = campus.floors(building)[0]
        units = [u for u in campus.units(building) if u.floor == floor.id]
        for u in units:
            assert floor.plate.buffer(1e-6).contains(u.polygon), u.id
        assert sum(u.area_m2 for u in units) == pytest.approx(
            shapely.union_all([u.polygon for u in units]).area if units else 0
        )


def test_every_mesh_is_watertight(campus):
    scene = build_scene(campus)
    assert len(scene.parts) > len(campus.buildings)
    assert all(part.mesh.is_watertight for part in scene.parts)
    assert len(scene.parts) > len(campus.units())


def test_ids_are_unique_and_stable_across_loads(campus):
    scene = build_scene(campus)
    assert len(scene.feature_ids) == len(set(scene.feature_ids))
    again = build_scene(load_campus())
    assert again.feature_ids == scene.feature_ids
    assert "fish-head-t1/L12/U03" in scene.feature_ids


def test_every_number_cites_a_known_fact_and_invention_is_marked(campus):
    entities = [*campus.zones.values(), *campus.parcels.values(), *campus.buildings.values()]
    for e in entities:
        assert e.facts, e.id
        assert e.provenance == "schematic", e.id  # exact footprints are not published
        for claim in e.claims:
            assert set(claim.facts) <= set(campus.facts)
