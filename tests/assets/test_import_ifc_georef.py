"""IFC georeferencing as architects send it: IFC4 IfcMapConversion, IFC2X3 ePSet_MapConversion,
or only the IfcSite's latitude/longitude and the context's true north.

The files are built with ifcopenshell's API (tests/assets/ifc_factory.py); expected positions
come from pyproj here, not from the importer's own arithmetic.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import ifcopenshell
import pytest
from cli_runner import twin
from ifc_factory import SAMPLE_ANCHOR, Georef, SiteReference, sample_building, write_ifc
from pyproj import Geod, Transformer
from shapely.geometry import Polygon

from assets.errors import DatasetError
from assets.imports.ifc import read
from assets.imports.records import ImportBatch, ReadOptions

X0, Y0 = SAMPLE_ANCHOR
CM = 0.011
"""Coordinates are rounded to the cm: positions agree within this, m."""
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32651", always_xy=True)
LON0, LAT0 = Transformer.from_crs("EPSG:32651", "EPSG:4326", always_xy=True).transform(X0, Y0)
"""The sample anchor in WGS84 degrees: a site reference there lands on the dorsal-fin parcel."""
SUITE_101 = [(0.0, 0.0), (10.0, 0.0), (10.0, 12.0), (0.0, 12.0)]
SUITE_102 = [(14.0, 0.0), (24.0, 0.0), (24.0, 12.0), (14.0, 12.0)]
"""The sample's suites in the model's plan, m (tests/assets/ifc_factory.py)."""


def _read(path: Path, **options: Any) -> ImportBatch:
    return read(path, ReadOptions(**options))


def _polygons(batch: ImportBatch) -> dict[str, Polygon]:
    return {r.id: Polygon(r.fields.get("polygon") or r.fields["footprint"]) for r in batch.records}


def _close(polygon: Polygon, expected: list[tuple[float, float]]) -> bool:
    """Every expected point is a vertex of ``polygon`` (to the cm), and nothing else is."""
    vertices = polygon.exterior.coords[:-1]
    return len(vertices) == len(expected) and all(
        any(math.dist(v, e) < CM for v in vertices) for e in expected
    )


def _grid_angle_of_true_north(lon: float, lat: float) -> float:
    """Direction of true north in EPSG:32651 at (lon, lat), degrees ccw from grid east."""
    x, y = TO_UTM.transform(lon, lat)
    lon_n, lat_n, _ = Geod(ellps="WGS84").fwd(lon, lat, 0.0, 1000.0)
    xn, yn = TO_UTM.transform(lon_n, lat_n)
    return math.degrees(math.atan2(yn - y, xn - x))


def _expected(points: list[tuple[float, float]], site: SiteReference) -> list[tuple[float, float]]:
    """Where model points (m) land: the site's origin at its lon/lat, project +y turned
    ``true_north_deg`` clockwise from true north, lengths as drawn."""
    x0, y0 = TO_UTM.transform(site.longitude, site.latitude)
    y_axis = _grid_angle_of_true_north(site.longitude, site.latitude) - (site.true_north_deg or 0)
    angle = math.radians(y_axis - 90.0)
    sx, sy = site.at[0] / 1000, site.at[1] / 1000
    c, s = math.cos(angle), math.sin(angle)
    return [(x0 + c * (x - sx) - s * (y - sy), y0 + s * (x - sx) + c * (y - sy)) for x, y in points]


def _refusal(path: Path) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        _read(path)
    assert caught.value.file == path.name
    return caught.value


@pytest.mark.parametrize(
    "georef",
    [
        Georef(X0, Y0, 30.0),
        Georef(X0, Y0, 30.0, scale=0.001),
        Georef(X0, Y0, -15.0, holder="IfcProject"),
    ],
    ids=["on-site", "scale-mm-to-m", "on-project"],
)
def test_ifc2x3_psets_place_the_building_where_the_ifc4_map_conversion_does(
    tmp_path: Path, georef: Georef
) -> None:
    ifc4 = _read(write_ifc(tmp_path / "ifc4.ifc", sample_building(2), georef))
    ifc2x3 = _read(write_ifc(tmp_path / "2x3.ifc", sample_building(2), georef, schema="IFC2X3"))
    by_entity, by_pset = _polygons(ifc4), _polygons(ifc2x3)
    assert list(by_pset) == list(by_entity) and len(by_pset) == 1 + 2 + 4
    for record_id, polygon in by_entity.items():
        assert _close(by_pset[record_id], list(polygon.exterior.coords[:-1])), record_id
    c, s = math.cos(math.radians(georef.rotation_deg)), math.sin(math.radians(georef.rotation_deg))
    corners = [(X0 + c * x - s * y, Y0 + s * x + c * y) for x, y in SUITE_102]
    assert _close(by_pset["fin-lab/L02/202"], corners)
    assert ifc4.notes == ("placed by IfcMapConversion to EPSG:32651",)
    assert ifc2x3.notes[0].startswith(f"placed by ePSet_MapConversion on {georef.holder} #")


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3"])
@pytest.mark.parametrize(
    "site",
    [
        SiteReference(LAT0, LON0, true_north_deg=30.0),
        SiteReference(LAT0, LON0),
        SiteReference(LAT0, LON0, true_north_deg=-90.0, at=(5000.0, -3000.0)),
    ],
    ids=["north-30", "no-true-north", "site-offset"],
)
def test_site_latitude_longitude_and_true_north_place_the_building(
    tmp_path: Path, schema: str, site: SiteReference
) -> None:
    path = write_ifc(tmp_path / "site.ifc", sample_building(1), schema=schema, site_reference=site)
    batch = _read(path)
    polygons = _polygons(batch)
    assert _close(polygons["fin-lab/L01/101"], _expected(SUITE_101, site))
    assert _close(polygons["fin-lab/L01/102"], _expected(SUITE_102, site))
    assert polygons["fin-lab"].area == pytest.approx(288.0, rel=1e-3)
    [note] = batch.notes
    assert "RefLatitude/RefLongitude" in note and "LoGeoRef 20/30" in note
    assert "less precise" in note


def test_true_north_is_grid_north_only_after_the_meridian_convergence(tmp_path: Path) -> None:
    """On the campus (1.1° west of UTM 51N's central meridian) true north is about 0.57°
    clockwise of grid north: a model whose +y is true north is turned by that (24 cm in 24 m)."""
    site = SiteReference(LAT0, LON0, true_north_deg=0.0)
    batch = _read(write_ifc(tmp_path / "north.ifc", sample_building(1), site_reference=site))
    suite = _polygons(batch)["fin-lab/L01/102"]
    x0, y0 = TO_UTM.transform(LON0, LAT0)
    far = max(suite.exterior.coords, key=lambda v: math.dist(v, (x0, y0)))
    turned = math.degrees(math.atan2(far[1] - y0, far[0] - x0)) - math.degrees(math.atan2(12, 24))
    assert turned == pytest.approx(-0.57, abs=0.03)


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3"])
def test_a_map_conversion_is_not_turned_by_true_north(tmp_path: Path, schema: str) -> None:
    elsewhere = SiteReference(LAT0 + 0.01, LON0 - 0.01, true_north_deg=30.0)
    path = write_ifc(
        tmp_path / "both.ifc",
        sample_building(1),
        Georef(X0, Y0),
        schema=schema,
        site_reference=elsewhere,
    )
    batch = _read(path)
    suite = _polygons(batch)["fin-lab/L01/101"]
    assert suite.bounds == pytest.approx((X0, Y0, X0 + 10, Y0 + 12), abs=CM)
    assert "MapConversion" in batch.notes[0] and "RefLatitude" not in batch.notes[0]


def test_a_placeholder_map_conversion_gives_way_to_the_site_reference(tmp_path: Path) -> None:
    site = SiteReference(LAT0, LON0, true_north_deg=30.0)
    path = write_ifc(
        tmp_path / "revit.ifc", sample_building(1), Georef(0.0, 0.0), site_reference=site
    )
    assert _close(_polygons(_read(path))["fin-lab/L01/101"], _expected(SUITE_101, site))


@pytest.mark.parametrize("schema", ["IFC4", "IFC2X3"])
def test_no_georeferencing_is_refused_naming_every_way_to_give_it(
    tmp_path: Path, schema: str
) -> None:
    error = _refusal(write_ifc(tmp_path / "local.ifc", sample_building(1), schema=schema))
    assert error.rule == "georeference"
    assert error.detail.startswith("the file has no georeferencing")
    for way in (
        "IfcMapConversion",
        "ePSet_MapConversion",
        "IfcSite's RefLatitude/RefLongitude",
        "--anchor X,Y [--rotation DEG]",
    ):
        assert way in error.detail


def test_a_site_at_latitude_0_longitude_0_is_a_placeholder(tmp_path: Path) -> None:
    site = SiteReference(0.0, 0.0, true_north_deg=10.0)
    error = _refusal(write_ifc(tmp_path / "null.ifc", sample_building(1), site_reference=site))
    assert error.rule == "georeference"
    assert "latitude 0, longitude 0" in error.detail and "--anchor X,Y" in error.detail


def test_a_latitude_of_mixed_signs_is_refused(tmp_path: Path) -> None:
    site = SiteReference(LAT0, LON0)
    path = write_ifc(tmp_path / "bad.ifc", sample_building(1), site_reference=site)
    model = ifcopenshell.open(str(path))
    model.by_type("IfcSite")[0].RefLatitude = (30, -54, 12, 0)
    model.write(str(path))
    error = _refusal(path)
    assert error.rule == "georeference" and "RefLatitude (30, -54, 12, 0)" in error.detail
    assert "IfcSite" in error.entity


def test_an_ifc2x3_pset_crs_that_is_not_epsg_is_refused(tmp_path: Path) -> None:
    georef = Georef(X0, Y0, crs="Local site grid")
    error = _refusal(write_ifc(tmp_path / "grid.ifc", sample_building(1), georef, schema="IFC2X3"))
    assert error.rule == "crs" and "Local site grid" in error.detail


@pytest.mark.parametrize(
    "schema, georef, site, method",
    [
        ("IFC2X3", Georef(X0, Y0, 15.0), None, "placed by ePSet_MapConversion on IfcSite"),
        (
            "IFC4",
            None,
            SiteReference(LAT0, LON0, true_north_deg=30.0),
            "placed by IfcSite",
        ),
    ],
    ids=["ifc2x3-psets", "site-lat-lon"],
)
def test_a_dry_run_says_how_the_model_was_placed(
    tmp_path: Path, schema: str, georef: Georef | None, site: SiteReference | None, method: str
) -> None:
    path = write_ifc(
        tmp_path / "fin-lab.ifc", sample_building(), georef, schema=schema, site_reference=site
    )
    db = tmp_path / "twin.db"
    done = twin("import", str(path), "--dry-run", "--db", str(db), "--effective", "2025-06-01")
    assert done.returncode == 0, done.stderr
    assert f"fin-lab.ifc: {method}" in done.stdout
    for said in ("RefLatitude/RefLongitude", "LoGeoRef 20/30", "less precise"):
        assert (said in done.stdout) == (site is not None)
    assert "fin-lab/L03/302" in done.stdout and "dry run: nothing was written" in done.stdout
