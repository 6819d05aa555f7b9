"""IFC import: storeys become floors, spaces leasable units, placed by georeferencing or an anchor.

The IFC files are built in each test with ifcopenshell's API (tests/assets/ifc_factory.py), in
millimetres, so areas in m² also check the unit conversion.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from ifc_factory import (
    SAMPLE_ANCHOR,
    Building,
    Georef,
    Space,
    Storey,
    sample_building,
    sample_storeys,
    write_ifc,
)
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from assets.campus import Campus
from assets.errors import DatasetError
from assets.imports.ifc import read
from assets.imports.merge import merge
from assets.imports.records import ImportBatch, ReadOptions

X0, Y0 = SAMPLE_ANCHOR
CM = 0.011
"""Coordinates are rounded to the cm: positions agree within this, m."""


def _read(path: Path, **options: Any) -> ImportBatch:
    return read(path, ReadOptions(**options))


def _polygon(batch: ImportBatch, record_id: str) -> Polygon:
    record = next(r for r in batch.records if r.id == record_id)
    return Polygon(record.fields.get("polygon") or record.fields["footprint"])


def _has_vertex(polygon: Polygon, x: float, y: float) -> bool:
    return any(math.dist(v, (x, y)) < CM for v in polygon.exterior.coords)


def _refusal(path: Path, **options: Any) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        _read(path, **options)
    assert caught.value.file == path.name
    return caught.value


@pytest.fixture
def sample(tmp_path: Path) -> ImportBatch:
    """The sample building (3 storeys of 24 x 12 m, two 10 x 12 m suites each), unrotated."""
    return _read(write_ifc(tmp_path / "fin-lab.ifc", sample_building(), Georef(X0, Y0)))


def test_storeys_become_floors_and_spaces_become_units(sample: ImportBatch) -> None:
    floors = [r.id for r in sample.of_kind("floor")]
    units = [r.id for r in sample.of_kind("unit")]
    assert floors == ["fin-lab/L01", "fin-lab/L02", "fin-lab/L03"]
    assert units == [f"fin-lab/L0{n}/{n}0{k}" for n in (1, 2, 3) for k in (1, 2)]
    for unit_id in units:
        assert _polygon(sample, unit_id).area == pytest.approx(120.0, abs=0.01)
    for floor_id in floors:
        assert _polygon(sample, floor_id).area == pytest.approx(288.0, abs=0.01)
    unit = next(r for r in sample.of_kind("unit") if r.id == "fin-lab/L02/202")
    assert unit.fields["name"] == {"zh": "Suite 202", "en": "Suite 202"}
    [building] = sample.of_kind("building")
    assert building.id == "fin-lab"
    assert building.fields["name"] == {"zh": "Fin Laboratory", "en": "Fin Laboratory"}
    assert building.fields["storeys"] == 3
    assert building.fields["storey_height_m"] == pytest.approx(4.0)
    assert building.fields["layout"] is None
    assert building.fields["provenance"] == "surveyed"
    assert "parcel" not in building.fields and "use" not in building.fields
    assert _polygon(sample, "fin-lab").area == pytest.approx(288.0, abs=0.01)


@pytest.mark.parametrize("scale", [None, 0.001], ids=["scale-implicit", "scale-mm-to-m"])
def test_georeferencing_places_and_turns_the_model(tmp_path: Path, scale: float | None) -> None:
    path = write_ifc(tmp_path / "turned.ifc", sample_building(1), Georef(X0, Y0, 30.0, scale=scale))
    batch = _read(path)
    suite = _polygon(batch, "fin-lab/L01/101")
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))
    assert _has_vertex(suite, X0, Y0)
    assert _has_vertex(suite, X0 + 10 * c, Y0 + 10 * s)
    assert _has_vertex(suite, X0 - 12 * s, Y0 + 12 * c)
    assert suite.area == pytest.approx(120.0, rel=1e-3)


def test_another_projected_crs_is_reprojected(tmp_path: Path) -> None:
    gk = Transformer.from_crs("EPSG:32651", "EPSG:4549", always_xy=True)
    east, north = gk.transform(X0, Y0)
    path = write_ifc(
        tmp_path / "cgcs.ifc", sample_building(1), Georef(east, north, crs="EPSG:4549")
    )
    batch = _read(path)
    footprint = _polygon(batch, "fin-lab")
    assert _has_vertex(footprint, X0, Y0)
    assert footprint.area == pytest.approx(288.0, rel=5e-3)
    assert footprint.centroid.distance(Point(X0 + 12, Y0 + 6)) < 0.5


def test_anchor_and_rotation_override_the_georeferencing(tmp_path: Path) -> None:
    path = write_ifc(tmp_path / "anchored.ifc", sample_building(1), Georef(500000.0, 3400000.0))
    batch = _read(path, anchor=(X0, Y0), rotation_deg=90.0)
    suite = _polygon(batch, "fin-lab/L01/101")
    assert suite.bounds == pytest.approx((X0 - 12, Y0, X0, Y0 + 10), abs=CM)
    other = _polygon(batch, "fin-lab/L01/102")
    assert other.bounds == pytest.approx((X0 - 12, Y0 + 14, X0, Y0 + 24), abs=CM)


def test_an_anchor_places_a_file_without_georeferencing(tmp_path: Path) -> None:
    path = write_ifc(tmp_path / "local.ifc", sample_building(1))
    suite = _polygon(_read(path, anchor=(X0, Y0)), "fin-lab/L01/102")
    assert suite.bounds == pytest.approx((X0 + 14, Y0, X0 + 24, Y0 + 12), abs=CM)


def test_basements_and_an_empty_roof_storey_are_skipped(tmp_path: Path) -> None:
    storeys = [
        Storey("Roof", 8000, []),
        *sample_storeys(2),
        Storey("B1", -4000, [Space("P1", 0, 0, 24000, 12000, long_name="Parking")]),
    ]
    path = write_ifc(tmp_path / "basement.ifc", Building("Fin Lab", storeys), Georef(X0, Y0))
    batch = _read(path)
    [building] = batch.of_kind("building")
    assert [r.id for r in batch.of_kind("floor")] == ["fin-lab/L01", "fin-lab/L02"]
    assert building.fields["storeys"] == 2
    assert building.fields["storey_height_m"] == pytest.approx(4.0)
    assert "'B1' (below ground)" in building.where and "'Roof'" in building.where


def test_a_plate_spans_the_walls_between_spaces(tmp_path: Path) -> None:
    walls = Storey(
        "Level 1",
        0,
        [Space("A", 0, 0, 10000, 12000), Space("B", 10200, 0, 10000, 12000)],
    )
    path = write_ifc(tmp_path / "walls.ifc", Building("Fin Lab", [walls]), Georef(X0, Y0))
    batch = _read(path)
    assert _polygon(batch, "fin-lab/L01").area == pytest.approx(20.2 * 12, abs=0.01)
    assert _polygon(batch, "fin-lab/L01/B").area == pytest.approx(120.0, abs=0.01)
    [building] = batch.of_kind("building")
    assert building.fields["storey_height_m"] == pytest.approx(3.0)


def test_several_buildings_need_one_picked(tmp_path: Path) -> None:
    two = [sample_building(1), Building("Fin Lab B", sample_storeys(2))]
    path = write_ifc(tmp_path / "two.ifc", two, Georef(X0, Y0))
    error = _refusal(path)
    assert error.rule == "schema" and "--building" in error.detail
    batch = _read(path, building="fin-lab-b")
    assert [r.id for r in batch.of_kind("floor")] == ["fin-lab-b/L01", "fin-lab-b/L02"]


@pytest.mark.parametrize("georef", [None, Georef(0.0, 0.0)], ids=["none", "placeholder-0-0"])
def test_no_georeferencing_and_no_anchor_is_refused(tmp_path: Path, georef: Georef | None) -> None:
    error = _refusal(write_ifc(tmp_path / "local.ifc", sample_building(1), georef))
    assert error.rule == "georeference"
    assert "--anchor X,Y [--rotation DEG]" in error.detail


@pytest.mark.parametrize("crs", ["EPSG:999999", "Local site grid", "EPSG:4326"])
def test_an_unknown_or_unprojected_crs_is_refused(tmp_path: Path, crs: str) -> None:
    path = write_ifc(tmp_path / "crs.ifc", sample_building(1), Georef(X0, Y0, crs=crs))
    error = _refusal(path)
    assert error.rule == "crs" and crs in error.detail


@pytest.mark.parametrize("names", [("101", "101"), ("1.01", "1-01")], ids=["same", "sanitised"])
def test_two_spaces_with_one_code_on_a_storey_are_refused(
    tmp_path: Path, names: tuple[str, str]
) -> None:
    spaces = [Space(names[0], 0, 0, 10000, 12000), Space(names[1], 14000, 0, 10000, 12000)]
    building = Building("Fin Lab", [Storey("Level 1", 0, spaces, slab=(0, 0, 24000, 12000))])
    error = _refusal(write_ifc(tmp_path / "dup.ifc", building, Georef(X0, Y0)))
    assert error.rule == "unique-id"
    assert "'Level 1'" in error.detail and f"'{names[1]}'" in error.entity


@pytest.mark.parametrize(
    "content",
    ['{"type": "FeatureCollection", "features": []}', "ISO-10303-21;\nHEADER;\n"],
    ids=["geojson", "truncated-step"],
)
def test_a_file_that_is_not_ifc_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "not.ifc"
    path.write_text(content, encoding="utf-8")
    assert _refusal(path, anchor=(X0, Y0)).rule == "format"


def test_a_building_without_storeys_is_refused(tmp_path: Path) -> None:
    path = write_ifc(tmp_path / "empty.ifc", Building("Fin Lab", []), Georef(X0, Y0))
    error = _refusal(path)
    assert error.rule == "schema" and "no storeys" in error.detail


def test_the_imported_building_merges_into_the_campus(campus: Campus, tmp_path: Path) -> None:
    path = write_ifc(tmp_path / "fin-lab.ifc", sample_building(), Georef(X0, Y0, 15.0))
    merged = merge(campus, _read(path))
    building = merged.buildings["fin-lab"]
    assert building.parcel == "fish-fin-dorsal"
    assert (building.storeys, building.provenance, building.use) == (3, "surveyed", "office")
    units = {u.id: u.polygon.area for u in merged.units("fin-lab")}
    assert sorted(units) == [f"fin-lab/L0{n}/{n}0{k}" for n in (1, 2, 3) for k in (1, 2)]
    assert all(area == pytest.approx(120.0, rel=1e-3) for area in units.values())
    assert [f.base_m for f in merged.floors("fin-lab")] == [0.0, 4.0, 8.0]
    assert merged.gfa_m2("fin-lab") == pytest.approx(3 * 288.0, rel=1e-3)
    assert set(campus.buildings) < set(merged.buildings)
