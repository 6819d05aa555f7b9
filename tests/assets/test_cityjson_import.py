"""Reading CityJSON back: an export of the campus is a no-op import; changes and bad files show.

Coordinates are EPSG:32651 metres unless a test says otherwise.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Transformer

from assets.campus import Campus
from assets.cityjson import campus_cityjson
from assets.dataset import rebuilt
from assets.errors import DatasetError
from assets.imports.cityjson import read
from assets.imports.diff import campus_diff
from assets.imports.merge import merge
from assets.imports.records import ImportBatch, ReadOptions
from assets.models import Building, FloorPlan, Name, Parcel, UnitPlan, Zone

MODELS = {"zone": Zone, "parcel": Parcel, "building": Building}


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def read_doc(doc: dict[str, Any], tmp_path: Path, name: str = "campus.city.json") -> ImportBatch:
    return read(write(doc, tmp_path / name), ReadOptions())


@pytest.fixture(scope="module")
def document(campus) -> dict[str, Any]:
    return campus_cityjson(campus)


@pytest.fixture
def doc(document) -> dict[str, Any]:
    """A copy of the campus export to change."""
    return copy.deepcopy(document)


def drawn(campus: Campus) -> Campus:
    """The campus with the service centre's three floors drawn (two units each, one named)."""
    b = campus.buildings["service-centre"]
    p0, p1, p2, p3 = b.footprint
    m01 = (round((p0[0] + p1[0]) / 2, 2), round((p0[1] + p1[1]) / 2, 2))
    m23 = (round((p2[0] + p3[0]) / 2, 2), round((p2[1] + p3[1]) / 2, 2))
    units = [
        UnitPlan(code="A", polygon=[p0, m01, m23, p3], name=Name(zh="服务大厅", en="Service hall")),
        UnitPlan(code="B", polygon=[m01, p1, p2, m23]),
    ]
    floors = [FloorPlan(level=k, polygon=b.footprint, units=units) for k in (1, 2, 3)]
    survey = b.model_copy(update={"layout": None, "floors": floors, "provenance": "surveyed"})
    buildings = [survey if x.id == b.id else x for x in campus.buildings.values()]
    return rebuilt(campus, buildings=buildings)


def test_an_export_reads_back_into_every_entitys_exact_fields(document, campus, tmp_path):
    batch = read_doc(document, tmp_path)
    kinds = {r.kind for r in batch.records}
    assert kinds == {"zone", "parcel", "building"}  # layout floors and units are derived: skipped
    current = {"zone": campus.zones, "parcel": campus.parcels, "building": campus.buildings}
    for record in batch.records:
        model = MODELS[record.kind].model_validate({**record.fields, "id": record.id})
        assert model == current[record.kind][record.id], record.id
    assert len(batch.records) == len(campus.zones) + len(campus.parcels) + len(campus.buildings)
    assert batch.of_kind("building")[0].where == "CityObject 'fish-head-t1'"


def test_export_then_import_of_the_whole_campus_changes_nothing(document, campus, tmp_path):
    after = merge(campus, read_doc(document, tmp_path))
    assert campus_diff(campus, after).is_empty
    assert (after.zones, after.parcels, after.buildings) == (
        campus.zones,
        campus.parcels,
        campus.buildings,
    )


def test_drawn_floors_and_units_are_exported_as_the_source_of_truth(campus, tmp_path):
    surveyed = drawn(campus)
    document = campus_cityjson(surveyed)
    unit = document["CityObjects"]["service-centre/L02/A"]
    assert unit["attributes"]["derived"] is False and unit["attributes"]["name"]["en"]
    batch = read_doc(document, tmp_path)
    assert [r.id for r in batch.of_kind("floor")] == [f"service-centre/L0{k}" for k in (1, 2, 3)]
    assert len(batch.of_kind("unit")) == 6
    after = merge(surveyed, batch)
    assert campus_diff(surveyed, after).is_empty
    assert after.buildings == surveyed.buildings


def _moved(doc: dict[str, Any], building_id: str, dx_cm: int) -> None:
    """Give the building's solid its own vertices, ``dx_cm`` further east."""
    vertices = doc["vertices"]
    remap: dict[int, int] = {}
    for shell in doc["CityObjects"][building_id]["geometry"][0]["boundaries"]:
        for surface in shell:
            for ring in surface:
                for k, index in enumerate(ring):
                    if index not in remap:
                        x, y, z = vertices[index]
                        remap[index] = len(vertices)
                        vertices.append([x + dx_cm, y, z])
                    ring[k] = remap[index]


def test_a_footprint_moved_one_metre_gives_the_new_footprint(doc, campus, tmp_path):
    _moved(doc, "fish-head-t1", 100)
    batch = read_doc(doc, tmp_path)
    record = next(r for r in batch.of_kind("building") if r.id == "fish-head-t1")
    before = campus.buildings["fish-head-t1"].footprint
    assert record.fields["footprint"] == [(round(x + 1.0, 2), y) for x, y in before]
    diff = campus_diff(campus, merge(campus, batch))
    assert diff.ids("building", "changed") == ["fish-head-t1"]
    change = next(c for c in diff.changes if c.id == "fish-head-t1")
    assert change.fields == ("geometry",)


def test_version_1_1_with_an_ogc_http_crs_reads_the_same(doc, document, tmp_path):
    doc["version"] = "1.1"
    doc["metadata"]["referenceSystem"] = "http://www.opengis.net/def/crs/EPSG/0/32651"
    assert read_doc(doc, tmp_path).records == read_doc(document, tmp_path, "b.json").records


def test_another_epsg_crs_is_transformed_to_utm_51n(doc, document, tmp_path):
    """The campus in CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), mm vertices."""
    scale, translate = np.array(doc["transform"]["scale"]), np.array(doc["transform"]["translate"])
    utm = np.array(doc["vertices"], dtype=float) * scale + translate
    gk_x, gk_y = Transformer.from_crs(32651, 4549, always_xy=True).transform(utm[:, 0], utm[:, 1])
    gk = np.column_stack([gk_x, gk_y, utm[:, 2]])
    origin = np.floor(gk.min(axis=0))
    doc["vertices"] = np.round((gk - origin) / 0.001).astype(int).tolist()
    doc["transform"] = {"scale": [0.001] * 3, "translate": origin.tolist()}
    doc["metadata"]["referenceSystem"] = "https://www.opengis.net/def/crs/EPSG/0/4549"
    assert abs(gk_x.mean() - utm[:, 0].mean()) > 100_000  # really another grid
    got = read_doc(doc, tmp_path).records
    expected = read_doc(document, tmp_path, "utm.json").records
    for a, b in zip(got, expected, strict=True):
        shape = "footprint" if a.kind == "building" else "polygon"
        assert np.abs(np.array(a.fields[shape]) - np.array(b.fields[shape])).max() <= 0.02, a.id


def box(height_cm: int, attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A one-building CityJSON: a 20 × 10 m LoD1 block ``height_cm`` tall, by hand."""
    vertices = [[0, 0, 0], [2000, 0, 0], [2000, 1000, 0], [0, 1000, 0]]
    vertices += [[x, y, height_cm] for x, y, _ in vertices]
    faces = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]
    solid = {"type": "Solid", "lod": "1.2", "boundaries": [[[f] for f in faces]]}
    return {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.01] * 3, "translate": [394000.0, 3420000.0, 4.5]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/32651"},
        "CityObjects": {
            "lab": {"type": "Building", "attributes": attributes or {}, "geometry": [solid]},
            "road-1": {"type": "Road", "geometry": []},
        },
        "vertices": vertices,
    }


def test_a_surveyed_block_gets_its_storeys_from_its_height(tmp_path):
    (record,) = read_doc(box(3360), tmp_path).records  # 33.6 m: 8 storeys of about 4 m
    assert record.fields == {
        "footprint": [(394000.0, 3420000.0), (394020.0, 3420000.0), (394020.0, 3420010.0),
                      (394000.0, 3420010.0)],
        "storeys": 8,
        "storey_height_m": 4.2,
        "provenance": "surveyed",
    }  # fmt: skip
    (told,) = read_doc(box(3360, {"storeysAboveGround": 10}), tmp_path).records
    assert (told.fields["storeys"], told.fields["storey_height_m"]) == (10, 3.36)
    assert "provenance" not in told.fields


def test_an_lod0_footprint_alone_gives_no_storeys(tmp_path):
    doc = box(3000, {"name": {"zh": "实验楼", "en": "Lab"}})
    doc["CityObjects"]["lab"]["geometry"] = [
        {"type": "MultiSurface", "lod": "0", "boundaries": [[[0, 1, 2, 3]]]}
    ]
    (record,) = read_doc(doc, tmp_path).records
    assert set(record.fields) == {"name", "footprint"}
    assert record.fields["footprint"][1] == (394020.0, 3420000.0)


def test_several_ground_faces_make_one_footprint_or_are_refused(tmp_path):
    doc = box(3000)
    doc["vertices"] += [[1000, 0, 0], [1000, 1000, 0], [3000, 0, 0], [3000, 1000, 0]]
    halves = [[[0, 8, 9, 3]], [[8, 1, 2, 9]]]  # two 10 × 10 m squares side by side
    doc["CityObjects"]["lab"]["geometry"] = [
        {"type": "MultiSurface", "lod": "0", "boundaries": halves}
    ]
    (record,) = read_doc(doc, tmp_path).records
    assert sorted(record.fields["footprint"]) == [
        (394000.0, 3420000.0), (394000.0, 3420010.0), (394020.0, 3420000.0), (394020.0, 3420010.0)
    ]  # fmt: skip
    apart = [[[0, 8, 9, 3]], [[1, 10, 11, 2]]]  # 10 m apart
    doc["CityObjects"]["lab"]["geometry"][0]["boundaries"] = apart
    with pytest.raises(DatasetError, match="form a MultiPolygon, not one polygon"):
        read_doc(doc, tmp_path)


def test_a_foreign_storey_and_unit_are_placed_by_their_parents_and_attributes(tmp_path):
    """Another tool's ids, with the unit nested under its storey: level and code attributes."""
    doc = box(420, {"storeys": 1, "storey_height_m": 4.2})
    objects = doc["CityObjects"]
    objects["lab"]["children"] = ["storey-1"]
    objects["storey-1"] = {
        "type": "BuildingStorey",
        "parents": ["lab"],
        "children": ["room-a"],
        "attributes": {"level": 1},
        "geometry": objects["lab"]["geometry"],
    }
    objects["room-a"] = {
        "type": "BuildingUnit",
        "parents": ["storey-1"],
        "attributes": {"code": "A", "name": {"zh": "甲室", "en": "Room A"}},
        "geometry": [{"type": "MultiSurface", "lod": "0", "boundaries": [[[0, 1, 2, 3]]]}],
    }
    batch = read_doc(doc, tmp_path)
    assert [(r.kind, r.id) for r in batch.records] == [
        ("building", "lab"),
        ("floor", "lab/L01"),
        ("unit", "lab/L01/A"),
    ]
    assert batch.records[2].fields["name"] == {"zh": "甲室", "en": "Room A"}
    assert batch.records[1].fields["polygon"] == batch.records[0].fields["footprint"]


DELETE = object()


def _set(path: str, value: Any):
    """A change of a file: the value at a dotted path (list positions as numbers), or deleted."""

    def change(doc: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        node: Any = doc
        for key in keys[:-1]:
            node = node[key]
        if value is DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "entity", "rule", "detail"),
    [
        (_set("type", "FeatureCollection"), "(file)", "format", "not a CityJSON object"),
        (_set("version", "3.0"), "(file)", "format", "version '3.0' is not read"),
        (
            _set("metadata.referenceSystem", DELETE),
            "(metadata)",
            "crs",
            "no metadata.referenceSystem",
        ),
        (
            _set("metadata.referenceSystem", "urn:site:local"),
            "(metadata)",
            "crs",
            "not an EPSG CRS",
        ),
        (
            _set("metadata.referenceSystem", "https://www.opengis.net/def/crs/EPSG/0/999999"),
            "(metadata)",
            "crs",
            "unknown CRS EPSG:999999",
        ),
        (
            _set("metadata.referenceSystem", "https://www.opengis.net/def/crs/EPSG/0/4326"),
            "(vertices)",
            "crs",
            "outside the area of EPSG:4326",
        ),
        (
            _set(
                "CityObjects.lab.geometry", [{"type": "MultiPoint", "lod": "1", "boundaries": [0]}]
            ),
            "lab",
            "geometry",
            "no usable LoD0/LoD1",
        ),
        (_set("CityObjects.lab.geometry.0.lod", "2.2"), "lab", "geometry", "found: Solid lod 2.2"),
        (
            _set("CityObjects.lab.geometry.0.boundaries.0.2.0", [0, 1, 9, 4]),
            "lab",
            "geometry",
            "vertex index 9 out of range (the file has 8 vertices)",
        ),
        (
            _set("CityObjects.lab.geometry.0.boundaries", [[0, 1, 2]]),
            "lab",
            "geometry",
            "Solid boundaries must nest rings of vertex indices",
        ),
        (_set("vertices.3", [0, 1000]), "(vertices)", "format", "array of [x, y, z]"),
        (
            _set("CityObjects.lab.attributes", {"storeys": 5, "storey_height_m": 4.2}),
            "lab",
            "geometry",
            "the block is 30.00 m tall but storeys × storey_height_m = 5 × 4.2 = 21.00 m",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_file_entity_and_rule(
    change, entity, rule, detail, tmp_path
):
    doc = box(3000)
    change(doc)
    with pytest.raises(DatasetError) as caught:
        read_doc(doc, tmp_path, "survey.city.json")
    error = caught.value
    assert (error.file, error.entity, error.rule) == ("survey.city.json", entity, rule)
    assert detail in error.detail


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.city.json"
    path.write_text('{"type": "CityJSON", "version": ', encoding="utf-8")
    with pytest.raises(DatasetError, match="not readable JSON") as caught:
        read(path, ReadOptions())
    assert (caught.value.entity, caught.value.rule) == ("(file)", "format")


def test_a_drawn_storey_that_cannot_be_placed_is_refused(campus, tmp_path):
    document = campus_cityjson(drawn(campus))
    objects = document["CityObjects"]
    objects["storey-x"] = objects.pop("service-centre/L02")
    del objects["storey-x"]["attributes"]["level"]
    with pytest.raises(DatasetError, match="no level") as caught:
        read_doc(document, tmp_path)
    assert (caught.value.entity, caught.value.rule) == ("storey-x", "schema")
