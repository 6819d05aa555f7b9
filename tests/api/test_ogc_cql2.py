"""CQL2 filters (pygeofilter's parsers) evaluated on the campus's units and buildings, each
operator checked against the same condition computed in Python over the published features."""

import re
from datetime import UTC, datetime

import pytest
import shapely
from fastapi import HTTPException
from shapely.geometry import shape
from starlette.datastructures import QueryParams

from api.ogc.catalog import Catalog
from api.ogc.cql2 import FilterError, evaluate, read_filter
from api.ogc.crs import EPSG_URI
from api.ogc.filtering import frame_at
from api.ogc.params import items_query
from assets.dataset import load_campus

AT = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    return Catalog(load_campus())


@pytest.fixture(scope="module")
def units(catalog):
    return catalog.get("units")


def ids(data, text, lang="cql2-text", at=AT, filter_crs=None, frame=None):
    kwargs = {} if filter_crs is None else {"filter_crs": filter_crs}
    node = read_filter(text, lang)
    mask = evaluate(node, data.frame if frame is None else frame, data.shapes, at, **kwargs)
    return {f["id"] for f, keep in zip(data.features, mask, strict=True) if keep}


def where(data, condition):
    return {f["id"] for f in data.features if condition(f["properties"], f)}


def test_comparisons_and_logic(units):
    got = ids(units, "level = 12 AND area_m2 >= 150")
    assert got and got == where(units, lambda p, f: p["level"] == 12 and p["area_m2"] >= 150)
    got = ids(units, "level < 2 OR NOT (area_m2 <= 600)")
    assert got == where(units, lambda p, f: p["level"] < 2 or not p["area_m2"] <= 600)
    assert ids(units, "building <> 'fish-head-t1'") == where(
        units, lambda p, f: p["building"] != "fish-head-t1"
    )


def test_like_in_between_and_is_null(units):
    got = ids(units, "id LIKE 'fish-head-t1/L1_/U0%'")
    pattern = re.compile(r"fish-head-t1/L1./U0.*")
    assert got and got == where(units, lambda p, f: pattern.fullmatch(f["id"]))
    got = ids(units, "level IN (3, 5, 8)")
    assert got == where(units, lambda p, f: p["level"] in (3, 5, 8))
    got = ids(units, "area_m2 BETWEEN 100 AND 120")
    assert got and got == where(units, lambda p, f: 100 <= p["area_m2"] <= 120)
    assert ids(units, "name IS NULL") == where(units, lambda p, f: p["name"] is None)
    assert ids(units, "name IS NOT NULL") == where(units, lambda p, f: p["name"] is not None)


def test_cql2_json_answers_as_cql2_text(units):
    text = ids(units, "level = 7 AND area_m2 > 100")
    json_ = ids(
        units,
        '{"op": "and", "args": [{"op": "=", "args": [{"property": "level"}, 7]},'
        ' {"op": ">", "args": [{"property": "area_m2"}, 100]}]}',
        "cql2-json",
    )
    assert text and text == json_


def test_spatial_functions_on_the_geometry(units):
    box = shapely.box(121.9004, 30.9124, 121.9010, 30.9130)
    wkt = box.wkt
    got = ids(units, f"S_INTERSECTS(geometry, {wkt})")
    assert got and got == where(units, lambda p, f: shape(f["geometry"]).intersects(box))
    within = ids(units, f"S_WITHIN(geometry, {wkt})")
    assert within and within < got
    assert ids(units, "S_WITHIN(geometry, BBOX(121.9004, 30.9124, 121.9010, 30.9130))") == within
    assert within == where(units, lambda p, f: shape(f["geometry"]).within(box))


def test_filter_crs_reads_literals_in_that_crs_axis_order(units):
    box = shapely.box(121.9004, 30.9124, 121.9010, 30.9130)
    swapped = shapely.box(30.9124, 121.9004, 30.9130, 121.9010)  # lat, lon for EPSG:4326
    assert ids(
        units, f"S_INTERSECTS(geometry, {swapped.wkt})", filter_crs=EPSG_URI + "4326"
    ) == ids(units, f"S_INTERSECTS(geometry, {box.wkt})")


def test_temporal_predicates_answer_for_the_instant_read(units):
    everything = {f["id"] for f in units.features}
    assert ids(units, "datetime > TIMESTAMP('2025-01-01T00:00:00Z')") == everything
    assert ids(units, "datetime < TIMESTAMP('2025-01-01T00:00:00Z')") == set()
    during = '{"op": "t_during", "args": [{"property": "datetime"}, {"interval": ["2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]}]}'
    assert ids(units, during, "cql2-json") == everything
    assert ids(units, during, "cql2-json", at=datetime(2027, 1, 1, tzinfo=UTC)) == set()
    after = '{"op": "t_after", "args": [{"property": "datetime"}, {"timestamp": "2030-01-01T00:00:00Z"}]}'
    assert ids(units, after, "cql2-json") == set()
    level12 = where(units, lambda p, f: p["level"] == 12)
    # (pygeofilter's text parser needs the parentheses after a TIMESTAMP before AND)
    mixed = "(datetime > TIMESTAMP('2025-01-01T00:00:00Z')) AND level = 12"
    assert ids(units, mixed) == level12
    negated = (
        '{"op": "not", "args": [{"op": "and", "args": ['
        '{"op": ">", "args": [{"property": "datetime"}, {"timestamp": "2025-01-01T00:00:00Z"}]},'
        ' {"op": "=", "args": [{"property": "level"}, 12]}]}]}'
    )
    assert ids(units, negated, "cql2-json") == everything - level12
    open_ = '{"op": "t_intersects", "args": [{"property": "datetime"}, {"interval": ["2024-01-01", ".."]}]}'
    assert ids(units, open_, "cql2-json") == everything


def test_time_dependent_properties_are_filtered_at_the_instant(catalog):
    buildings = catalog.get("buildings")
    live = {f["id"]: {"stage": "fitout", "status": "in_progress"} for f in buildings.features[:3]}
    frame = frame_at(buildings, live)
    got = ids(buildings, "stage = 'fitout'", frame=frame)
    assert got == {f["id"] for f in buildings.features[:3]}
    before = frame_at(buildings, {})  # no history yet: every building before its first stage
    assert ids(buildings, "stage = 'fitout'", frame=before) == set()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("tenant = 'x'", "tenant"),
        ("rent_cny > 3", "rent_cny"),
        ("level = 'twelve'", "level"),
        ("name > 3", "name"),
        ("upper(name) = 'X'", "upper"),
        ("S_INTERSECTS(level, POINT(1 2))", "S_INTERSECTS"),
    ],
)
def test_a_filter_that_cannot_be_evaluated_is_an_error_naming_what(units, text, named):
    with pytest.raises(FilterError, match=re.escape(named)):
        ids(units, text)


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "level = = 1"},
        {"filter": "{not json", "filter-lang": "cql2-json"},
        {"filter": "level = 1", "filter-lang": "sql"},
    ],
)
def test_a_malformed_filter_is_a_400(params):
    with pytest.raises(HTTPException) as caught:
        items_query(QueryParams(params))
    assert caught.value.status_code == 400 and "filter" in str(caught.value.detail)


def test_gdal_draft_language_name_is_read_as_cql2_text(units):
    assert ids(units, "(level = 12) AND (area_m2 >= 100)", "cql-text") == ids(
        units, "level = 12 AND area_m2 >= 100"
    )
