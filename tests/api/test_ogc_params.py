"""OGC API pieces without a server: parameter checks, allow-lists, time-dependent properties."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import HTTPException
from shapely.geometry import box
from starlette.datastructures import QueryParams

from api.ogc.catalog import CollectionData, public_feature
from api.ogc.live import with_live
from api.ogc.params import EMPTY_BOX, items_query, parse_bbox, parse_datetime
from api.ogc.specs import BY_ID, COLLECTIONS
from assets.features import KINDS
from assets.history import CAMPUS_TZ
from geometry.crs import lonlat_to_utm
from geometry.features import Feature


def _status(call, *args):
    with pytest.raises(HTTPException) as caught:
        call(*args)
    return caught.value.status_code, str(caught.value.detail)


@pytest.mark.parametrize(
    "bbox",
    [
        "1,2,3",
        "1,2,3,4,5",
        "a,b,c,d",
        "1,2,,4",
        "nan,1,2,3",
    ],
)
def test_a_bad_bbox_is_a_400_naming_it(bbox):
    status, detail = _status(parse_bbox, bbox)
    assert status == 400 and bbox in detail


@pytest.mark.parametrize("bbox", ["2,1,1,3", "1,3,2,1", "1,2,3,2,1,4"])
def test_a_box_whose_minimum_lies_above_its_maximum_meets_nothing(bbox):
    assert parse_bbox(bbox) == EMPTY_BOX


def test_a_box_beyond_the_globe_is_clamped_to_it():
    assert parse_bbox("-181,-91,200,95") == (-180.0, -90.0, 180.0, 90.0)


def test_a_bbox_takes_four_or_six_numbers():
    assert parse_bbox("121.88,30.90,121.91,30.92") == (121.88, 30.90, 121.91, 30.92)
    assert parse_bbox("121.88,30.90,0,121.91,30.92,300") == (121.88, 30.90, 121.91, 30.92)
    assert parse_bbox(None) is None


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=10001",
        "limit=ten",
        "offset=-1",
        "offset=1.5",
        "colour=red",
        "limit=5&limit=6",
        "f=html",
        "datetime=yesterday",
        "datetime=2020-01-01/2021-01-01/2022-01-01",
    ],
)
def test_bad_items_parameters_are_a_400(query):
    status, detail = _status(items_query, QueryParams(query))
    assert status == 400 and detail


def test_items_parameters_have_defaults():
    query = items_query(QueryParams(""))
    assert (query.bbox, query.limit, query.offset) == (None, 10, 0)
    assert abs(query.at - datetime.now(UTC)) < timedelta(seconds=5)
    assert items_query(QueryParams("limit=10000&offset=20&f=json")).limit == 10_000


def test_datetime_answers_for_an_instant_or_the_end_of_an_interval():
    end_of_day = datetime(2023, 1, 1, 23, 59, 59, 999999, tzinfo=CAMPUS_TZ)
    assert parse_datetime("2023-01-01") == end_of_day
    assert parse_datetime("2019-06-01/2023-01-01") == end_of_day
    assert parse_datetime("../2023-01-01") == end_of_day
    assert parse_datetime("2023-01-01T10:00:00Z") == datetime(2023, 1, 1, 10, tzinfo=UTC)
    assert parse_datetime("2023-01-01/2023-01-01T10:00:00+08:00") == datetime(
        2023, 1, 1, 10, tzinfo=CAMPUS_TZ
    )
    now = datetime.now(UTC)
    assert abs(parse_datetime("2019-01-01/..") - now) < timedelta(seconds=5)
    assert parse_datetime("2999-01-01/..") == datetime(2999, 1, 1, tzinfo=CAMPUS_TZ)


def test_only_allow_listed_properties_leave_the_api():
    square = box(*lonlat_to_utm(121.9, 30.91), *lonlat_to_utm(121.901, 30.911))
    leaky = Feature(
        "u1", "unit", square, {"name": "u1", "area_m2": 10.0, "tenant": "ACME", "rent": 99}
    )
    out = public_feature(leaky, BY_ID["units"])
    assert "tenant" not in out["properties"] and "rent" not in out["properties"]
    assert out["properties"]["name"] == "u1" and out["properties"]["building"] is None
    assert list(out["properties"]) == list(BY_ID["units"].properties)


def test_every_kind_is_published_once():
    published = [kind for spec in COLLECTIONS for kind in spec.kinds]
    assert sorted(published) == sorted(KINDS)


def test_time_dependent_properties_never_touch_the_shared_features():
    spec = BY_ID["buildings"]
    square = box(*lonlat_to_utm(121.9, 30.91), *lonlat_to_utm(121.901, 30.911))
    data = CollectionData.build(spec, [Feature("b1", "building", square, {"name": "B1"})])
    [live] = with_live(data.features, spec, {"b1": {"stage": "structure", "status": "completed"}})
    assert (live["properties"]["stage"], live["properties"]["status"]) == ("structure", "completed")
    assert "stage" not in data.features[0]["properties"]
    [before] = with_live(data.features, spec, {})
    assert (before["properties"]["stage"], before["properties"]["status"]) == ("design", "planned")
