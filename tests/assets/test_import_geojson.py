"""GeoJSON in: a surveyor's FeatureCollection with its own field names, and our own export back
(refusals: test_import_geojson_refusals.py)."""

import json

import pytest
import shapely
from geojson_survey import feature, lonlat, polygon, read, write
from import_helpers import halves
from shapely import affinity

from assets.campus import polygon_of
from assets.features import campus_features
from assets.imports.diff import campus_diff
from assets.imports.merge import merge
from geometry.geojson import feature_collection

SURVEY_MAPPING = """
[kind]
field = "TYPE"
values = { BLDG = "building", PLOT = "parcel", FLOOR = "floor", UNIT = "unit" }
default = "ignore"

[fields]
id = "CODE"

[fields.building]
id = "CODE"
storeys = "FLOORS"
height_m = "HEIGHT"
"name.en" = "NAME"

[fields.floor]
building = "BLDG"
level = "LVL"

[fields.unit]
building = "BLDG"
level = "LVL"
code = "ROOM"
"name.en" = "NAME"

[defaults]
provenance = "surveyed"

[defaults.building]
use = "office"
"""


def test_a_surveyors_file_reads_through_a_mapping(campus, tmp_path):
    office = campus.buildings["office-building"]
    plate = office.footprint
    west, east = halves(plate)
    path = write(
        tmp_path,
        [
            feature(
                polygon(plate),
                TYPE="BLDG",
                CODE="office-building",
                FLOORS="20",
                HEIGHT=84.0,
                NAME="Office building (surveyed)",
            ),
            feature(
                polygon(campus.parcels["office-plot"].polygon), TYPE="PLOT", CODE="office-plot"
            ),
            feature({"type": "Point", "coordinates": [121.9, 30.9]}, TYPE="TREE", CODE="t1"),
            feature(polygon(plate), TYPE="FLOOR", BLDG="office-building", LVL=1),
            feature(
                polygon(west), TYPE="UNIT", BLDG="office-building", LVL=1, ROOM="W", NAME="West"
            ),
            feature(polygon(east), TYPE="UNIT", BLDG="office-building", LVL="1", ROOM="E"),
        ],
    )
    batch = read(path, SURVEY_MAPPING)
    assert [(r.kind, r.id) for r in batch.records] == [
        ("building", "office-building"),
        ("parcel", "office-plot"),
        ("floor", "office-building/L01"),
        ("unit", "office-building/L01/W"),
        ("unit", "office-building/L01/E"),
    ]
    building, parcel, floor, west_unit, east_unit = batch.records
    assert building.fields == {
        "name": {"en": "Office building (surveyed)"},
        "storeys": 20,
        "storey_height_m": 4.2,  # 84 m / 20 storeys
        "provenance": "surveyed",
        "use": "office",
        "footprint": plate,  # lon/lat with 8 decimals lands on the same cm
    }
    assert parcel.fields == {
        "provenance": "surveyed",
        "polygon": campus.parcels["office-plot"].polygon,
    }
    assert floor.fields == {"polygon": plate}
    assert [west_unit.fields["polygon"], east_unit.fields["polygon"]] == [west, east]
    assert west_unit.fields["name"] == {"en": "West", "zh": "West"}
    assert "name" not in east_unit.fields
    assert building.where == "features[0]" and batch.source == "survey.geojson"


def test_a_geojson_file_is_a_layer_named_by_its_stem(campus, tmp_path):
    ring = campus.buildings["data-centre"].footprint
    path = write(
        tmp_path,
        [feature(polygon(ring), ID="data-centre", FACTS="F6, S2", STOREYS=5.0)],
        name="footprints.geojson",
    )
    mapping = """
[layers]
footprints = "building"
[fields.building]
id = "ID"
facts = "FACTS"
storeys = "STOREYS"
[defaults.building]
provenance = "surveyed"
"""
    (record,) = read(path, mapping).records
    assert (record.kind, record.id) == ("building", "data-centre")
    assert record.fields == {
        "facts": ["F6", "S2"],
        "storeys": 5,
        "provenance": "surveyed",
        "footprint": ring,
    }


def test_a_legacy_crs_member_naming_utm_51n_reads_metres_as_they_are(campus, tmp_path):
    ring = campus.buildings["data-centre"].footprint
    closed = [list(p) for p in [*ring, ring[0]]]
    path = write(
        tmp_path,
        [feature({"type": "Polygon", "coordinates": [closed]}, "data-centre", kind="building")],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32651"}},
    )
    (record,) = read(path).records
    assert record.fields == {"footprint": ring}


def test_a_clockwise_ring_with_z_is_read_counter_clockwise_without_z(campus, tmp_path):
    ring = campus.buildings["data-centre"].footprint
    coords = [[*p, 12.5] for p in lonlat(ring)][::-1]
    path = write(
        tmp_path,
        [feature({"type": "Polygon", "coordinates": [coords]}, "data-centre", kind="building")],
    )
    footprint = read(path).records[0].fields["footprint"]
    assert shapely.Polygon(footprint).exterior.is_ccw
    assert set(footprint) == set(ring)


def test_our_own_geojson_export_reads_back_as_the_campus(campus, tmp_path):
    document = feature_collection(campus_features(campus))
    path = tmp_path / "campus.geojson"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    batch = read(path)
    by_kind = {
        k: {r.id: r.fields for r in batch.of_kind(k)} for k in ("zone", "parcel", "building")
    }
    for kind, current in (
        ("zone", campus.zones),
        ("parcel", campus.parcels),
        ("building", campus.buildings),
    ):
        assert set(by_kind[kind]) == set(current)
        for entity_id, fields in by_kind[kind].items():
            entity = current[entity_id].model_dump()
            assert fields == {k: entity[k] for k in fields}, entity_id
            lost = set(entity) - set(fields) - {"id", "claims", "layout", "floors", "parent"}
            assert not lost, (entity_id, lost)
    # floors and units cut from a layout are exported marked derived: reading them back would
    # turn each layout into drawn plans, so the reader leaves them to the layout
    assert not batch.of_kind("floor") and not batch.of_kind("unit")
    assert all(r.kind != "facility" for r in batch.records)  # points: not imported


def test_our_whole_export_merges_back_as_no_change(campus, tmp_path):
    path = tmp_path / "campus.geojson"
    path.write_text(json.dumps(feature_collection(campus_features(campus))), encoding="utf-8")
    after = merge(campus, read(path))
    assert after.buildings == campus.buildings
    assert after.parcels == campus.parcels and after.zones == campus.zones
    assert campus_diff(campus, after).is_empty


def test_a_building_moved_2_m_inside_its_parcel_merges_into_a_valid_campus(campus, tmp_path):
    office = campus.buildings["office-building"]
    moved = affinity.translate(polygon_of(office.footprint), xoff=2.0)
    assert moved.within(campus.parcel_polygons[office.parcel])
    ring = [(round(x, 2), round(y, 2)) for x, y in moved.exterior.coords[:-1]]
    path = write(tmp_path, [feature(polygon(ring), "office-building", kind="building")])
    after = merge(campus, read(path))
    assert after.buildings["office-building"].footprint == ring
    assert after.footprints["office-building"].centroid.x == pytest.approx(
        campus.footprints["office-building"].centroid.x + 2.0, abs=0.01
    )
    assert [u.id for u in after.units("office-building")] == [
        u.id for u in campus.units("office-building")
    ]
    assert after.buildings["office-building"].name == office.name  # kept: the file omits it
    assert len(after.units()) == len(campus.units())
