"""OGC API - Features Part 2 without a server: the offered CRSs, coordinates as pyproj gives
them in each CRS's own axis order, boxes in other CRSs, unknown CRSs refused."""

import math

import pytest
import shapely
from fastapi import HTTPException
from pyproj import CRS, Transformer
from starlette.datastructures import QueryParams

from api.ogc.crs import (
    EPSG_URI,
    OFFERED,
    box_in_crs84,
    check_crs,
    transform_geojson,
    transformer,
)
from api.ogc.params import items_query
from api.ogc.specs import CRS84

POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [[121.9004, 30.9126], [121.9012, 30.9126], [121.9012, 30.9131], [121.9004, 30.9126]]
    ],
}


def _expected(code: str, lon: float, lat: float) -> tuple[float, float]:
    """pyproj's coordinates of a lon/lat point in ``code``, put in the CRS's own axis order
    read from its axis directions (not from the code under test)."""
    x, y = Transformer.from_crs("EPSG:4326", code, always_xy=True).transform(lon, lat)
    first = CRS.from_user_input(code).axis_info[0].direction.lower()
    return (y, x) if first == "north" else (x, y)


@pytest.mark.parametrize("offered", OFFERED, ids=lambda c: c.code)
def test_coordinates_equal_pyproj_in_the_axis_order_of_each_crs(offered):
    moved = transform_geojson(POLYGON, offered.uri)
    geographic = CRS.from_user_input(offered.code).is_geographic
    tolerance = 1e-9 if geographic else 1e-3  # degrees, or metres (1 mm)
    for (lon, lat), got in zip(POLYGON["coordinates"][0], moved["coordinates"][0], strict=True):
        want = _expected(offered.code, lon, lat)
        assert math.dist(got, want) <= tolerance, (offered.code, got, want)


def test_lat_lon_crss_put_latitude_first_and_projected_ones_are_in_metres():
    lon, lat = POLYGON["coordinates"][0][0]
    assert transform_geojson(POLYGON, EPSG_URI + "4326")["coordinates"][0][0] == (
        pytest.approx(lat, abs=1e-12),
        pytest.approx(lon, abs=1e-12),
    )
    northing, easting = transform_geojson(POLYGON, EPSG_URI + "4550")["coordinates"][0][0]
    assert 3_400_000 < northing < 3_450_000 and 350_000 < easting < 450_000  # CM 123E, Lingang
    easting, northing = transform_geojson(POLYGON, EPSG_URI + "32651")["coordinates"][0][0]
    assert 300_000 < easting < 400_000 and 3_400_000 < northing < 3_450_000
    assert transform_geojson(POLYGON, CRS84) is POLYGON


def test_transformers_are_built_once_per_pair():
    assert transformer(CRS84, EPSG_URI + "4490") is transformer(CRS84, EPSG_URI + "4490")


def test_a_box_in_a_projected_crs_is_the_same_region_in_crs84():
    corners = [(121.9004, 30.9126), (121.9012, 30.9131)]
    (n1, e1), (n2, e2) = (_expected("EPSG:4550", lon, lat) for lon, lat in corners)
    region = box_in_crs84((min(n1, n2), min(e1, e2), max(n1, n2), max(e1, e2)), EPSG_URI + "4550")
    for lon, lat in corners:
        assert region.buffer(1e-9).contains(shapely.Point(lon, lat))
    assert region.bounds == pytest.approx((121.9004, 30.9126, 121.9012, 30.9131), abs=1e-5)


@pytest.mark.parametrize(
    "numbers",
    [
        (395_000.0, 3_421_000.0, 395_000.0, 3_421_000.0),
        (395_000.0, 3_421_000.0, 395_000.0, 3_421_100.0),
    ],
    ids=["a point", "a line"],
)
def test_a_box_without_area_in_a_projected_crs_is_its_point_or_line(numbers):
    """Found by the contract test: ``bbox=0,0,0,0&bbox-crs=EPSG:32651`` was a 500."""
    region = box_in_crs84(numbers, EPSG_URI + "32651")
    assert region.area < 1e-7 and not region.is_empty  # (deg²): the envelope of the corners
    corners = [(numbers[0], numbers[1]), (numbers[2], numbers[3])]
    for first, second in corners:
        lon, lat = Transformer.from_crs("EPSG:32651", "OGC:CRS84", always_xy=True).transform(
            first, second
        )
        assert region.buffer(1e-9).contains(shapely.Point(lon, lat))


def test_a_box_beyond_a_projected_crs_is_clipped_to_where_that_crs_is_defined():
    """Found by the contract test: a bbox of ±1e294 m in a projected CRS was a 500."""
    huge = box_in_crs84((-1.02e294, -2.26e16, 7.19e172, 2.2e16), EPSG_URI + "32651")
    assert all(math.isfinite(v) for v in huge.bounds) and huge.bounds[3] <= 84.1  # 84°N: UTM's
    assert huge.contains(shapely.Point(121.9, 30.91))  # the campus
    assert box_in_crs84((1e9, 1e9, 2e9, 2e9), EPSG_URI + "32651").is_empty  # nowhere in it


@pytest.mark.parametrize("value", ["EPSG:9999", "http://www.opengis.net/def/crs/EPSG/0/3857", "x"])
def test_an_unknown_crs_is_a_400_naming_it(value):
    with pytest.raises(ValueError, match="not offered"):
        check_crs("crs", value)
    for name in ("crs", "bbox-crs", "filter-crs"):
        with pytest.raises(HTTPException) as caught:
            items_query(QueryParams({name: value}))
        assert caught.value.status_code == 400
        assert name in str(caught.value.detail) and value in str(caught.value.detail)


def test_short_epsg_codes_are_read_as_their_uris():
    assert check_crs("crs", "EPSG:4490") == EPSG_URI + "4490"
    assert check_crs("crs", None) == CRS84


def test_a_bbox_in_another_crs_becomes_a_region_and_the_answer_crs_is_kept():
    query = items_query(
        QueryParams(
            {
                "bbox": "30.9126,121.9004,30.9131,121.9012",
                "bbox-crs": EPSG_URI + "4326",
                "crs": EPSG_URI + "4490",
            }
        )
    )
    assert query.bbox is None and query.crs == EPSG_URI + "4490"
    assert query.region is not None
    minx, miny, maxx, maxy = query.region.bounds  # lat/lon given, lon/lat kept
    assert (minx, miny, maxx, maxy) == pytest.approx((121.9004, 30.9126, 121.9012, 30.9131))
