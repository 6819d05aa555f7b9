"""GeoPackage in: a survey in CGCS2000 with its own layer and field names, our own export, refusals."""

import tomllib
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from import_helpers import halves

from assets.campus import polygon_of
from assets.errors import DatasetError
from assets.features import campus_features
from assets.imports import gpkg
from assets.imports.diff import campus_diff
from assets.imports.merge import merge
from assets.imports.records import ImportBatch, ReadOptions
from geometry.crs import PROJECTED
from geometry.gpkg import write_gpkg

SURVEY_MAPPING = """
[layers]
footprints = "building"
floors = "floor"
units = "unit"
site_notes = "ignore"

[fields.building]
id = "BLDG_ID"
storeys = "FLOORS"
height_m = "HEIGHT_M"
"name.zh" = "NAME_CN"

[fields.floor]
building = "BLDG"
level = "LEVEL"

[fields.unit]
building = "BLDG"
level = "LEVEL"
code = "ROOM"
"""
CGCS2000 = "EPSG:4490"
"""China Geodetic Coordinate System 2000, lon/lat."""
CGCS2000_GK_123E = "EPSG:4550"
"""CGCS2000 / 3-degree Gauss-Kruger CM 123E: the projected grid Shanghai's surveys use."""


def layer(path: Path, name: str, rows: list[dict[str, Any]], rings: list, crs: str | None):
    """Write one layer: rows of fields, rings in EPSG:32651 reprojected to ``crs``."""
    frame = gpd.GeoDataFrame(rows, geometry=[polygon_of(r) for r in rings], crs=PROJECTED)
    frame = frame.to_crs(crs) if crs else frame.set_crs(None, allow_override=True)
    frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")


def read(path: Path, mapping: str | None = None) -> ImportBatch:
    return gpkg.read(path, ReadOptions(mapping=tomllib.loads(mapping) if mapping else None))


@pytest.fixture
def survey(campus, tmp_path) -> Path:
    """The office building surveyed: footprint in CGCS2000 lon/lat, 20 drawn floors of two units
    each in CGCS2000 Gauss-Kruger metres, plus a layer of notes to ignore."""
    office = campus.buildings["office-building"]
    path = tmp_path / "survey.gpkg"
    plate = office.footprint
    layer(
        path,
        "footprints",
        [{"BLDG_ID": "office-building", "FLOORS": 20, "HEIGHT_M": 84.0, "NAME_CN": "综合办公楼"}],
        [plate],
        CGCS2000,
    )
    levels = range(1, office.storeys + 1)
    layer(
        path,
        "floors",
        [{"BLDG": office.id, "LEVEL": n} for n in levels],
        [plate] * 20,
        CGCS2000_GK_123E,
    )
    units = [
        (n, code, ring) for n in levels for code, ring in zip("WE", halves(plate), strict=True)
    ]
    layer(
        path,
        "units",
        [{"BLDG": office.id, "LEVEL": n, "ROOM": code} for n, code, _ in units],
        [ring for *_, ring in units],
        CGCS2000_GK_123E,
    )
    layer(path, "site_notes", [{"NOTE": "gate"}], [campus.parcels["office-plot"].polygon], CGCS2000)
    return path


def test_a_survey_in_cgcs2000_reads_through_a_mapping_to_the_samecm(campus, survey):
    batch = read(survey, SURVEY_MAPPING)
    plate = campus.buildings["office-building"].footprint
    building = batch.records[0]
    assert (building.kind, building.id, building.where) == (
        "building",
        "office-building",
        "layer footprints, fid 1",
    )
    assert building.fields == {
        "name": {"zh": "综合办公楼"},
        "storeys": 20,
        "storey_height_m": 4.2,
        "footprint": plate,  # EPSG:32651 -> CGCS2000 lon/lat -> EPSG:32651: the same cm
    }
    floors = batch.of_kind("floor")
    assert [r.id for r in floors] == [f"office-building/L{n:02d}" for n in range(1, 21)]
    assert all(r.fields == {"polygon": plate} for r in floors)  # through Gauss-Kruger metres
    units = batch.of_kind("unit")
    assert [r.id for r in units[:3]] == [
        "office-building/L01/W",
        "office-building/L01/E",
        "office-building/L02/W",
    ]
    assert [r.fields["polygon"] for r in units[:2]] == halves(plate)
    assert len(batch.records) == 1 + 20 + 40  # the notes layer is ignored


def test_a_surveyed_building_merges_into_drawn_floors_and_units(campus, survey):
    without_name = SURVEY_MAPPING.replace('"name.zh" = "NAME_CN"\n', "")
    after = merge(campus, read(survey, without_name))
    office = after.buildings["office-building"]
    assert office.layout is None and office.floors is not None and len(office.floors) == 20
    assert office.name == campus.buildings["office-building"].name  # the mapping reads no name
    ids = [u.id for u in after.units("office-building")]
    assert ids[:2] == ["office-building/L01/W", "office-building/L01/E"] and len(ids) == 40
    assert sum(u.area_m2 for u in after.units("office-building")[:2]) == pytest.approx(
        campus.footprints["office-building"].area, abs=0.5
    )


def test_our_own_geopackage_export_reads_back_as_the_campus(campus, tmp_path):
    path = tmp_path / "campus.gpkg"
    write_gpkg(campus_features(campus), path)
    batch = read(path)
    for kind, current in (
        ("zone", campus.zones),
        ("parcel", campus.parcels),
        ("building", campus.buildings),
    ):
        records = {r.id: r.fields for r in batch.records if r.kind == kind}
        assert set(records) == set(current)
        for entity_id, fields in records.items():
            entity = current[entity_id].model_dump()
            assert fields == {k: entity[k] for k in fields}, entity_id
    assert not batch.of_kind("floor") and not batch.of_kind("unit")  # derived: layouts stay
    after = merge(campus, batch)
    assert after.buildings == campus.buildings
    assert campus_diff(campus, after).is_empty


SQUARE = [
    (394000.0, 3419000.0),
    (394010.0, 3419000.0),
    (394010.0, 3419010.0),
    (394000.0, 3419010.0),
]


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_layer_without_a_crs_is_refused(tmp_path):
    path = tmp_path / "survey.gpkg"
    layer(path, "building", [{"id": "b1"}], [SQUARE], None)
    with pytest.raises(DatasetError) as caught:
        read(path)
    assert (caught.value.entity, caught.value.rule) == ("layer building", "crs")


def test_a_layer_of_an_unknown_kind_is_refused_until_a_mapping_names_it(tmp_path):
    path = tmp_path / "survey.gpkg"
    layer(path, "footprints", [{"BLDG_ID": "b1", "FLOORS": "ten"}], [SQUARE], CGCS2000)
    with pytest.raises(DatasetError, match="unknown kind 'footprints'") as caught:
        read(path)
    assert (caught.value.entity, caught.value.rule) == ("layer footprints, fid 1", "kind")
    with pytest.raises(DatasetError, match="'FLOORS'\\) = 'ten': not a number") as caught:
        read(
            path,
            '[layers]\nfootprints = "building"\n[fields.building]\nid = "BLDG_ID"\n'
            'storeys = "FLOORS"',
        )
    assert (caught.value.entity, caught.value.rule) == ("b1 (layer footprints, fid 1)", "schema")


def test_a_mapping_naming_a_field_the_layer_lacks_is_refused(tmp_path):
    path = tmp_path / "survey.gpkg"
    layer(path, "footprints", [{"BLDG_ID": "b1"}], [SQUARE], CGCS2000)
    mapping = '[layers]\nfootprints = "building"\n[fields.building]\nid = "BUILDING_ID"'
    with pytest.raises(DatasetError, match="rule: mapping") as caught:
        read(path, mapping)
    assert "'BUILDING_ID', which layer 'footprints' lacks (fields: BLDG_ID)" in caught.value.detail


def test_a_multipolygon_of_two_parts_is_refused(tmp_path):
    path = tmp_path / "survey.gpkg"
    two = shapely.MultiPolygon([polygon_of(SQUARE), polygon_of([(x + 20, y) for x, y in SQUARE])])
    gpd.GeoDataFrame([{"id": "b1"}], geometry=[two], crs=PROJECTED).to_file(
        path, layer="building", driver="GPKG", engine="pyogrio"
    )
    with pytest.raises(DatasetError, match="a MultiPolygon of 2 parts") as caught:
        read(path)
    assert caught.value.entity == "b1 (layer building, fid 1)"


def test_a_file_that_is_not_a_geopackage_is_refused(tmp_path):
    path = tmp_path / "survey.gpkg"
    path.write_bytes(b"not a database at all")
    with pytest.raises(DatasetError, match="not a GeoPackage") as caught:
        read(path)
    assert (caught.value.file, caught.value.rule) == ("survey.gpkg", "format")
