"""OGC API - Features at /ogc over a real HTTP connection to `twin serve`."""

from collections import Counter

import httpx
import pytest
import shapely
from shapely.geometry import shape

from api.ogc.specs import BY_ID, COLLECTIONS
from assets.dataset import load_campus
from assets.features import campus_features

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def kinds():
    """How many features of each kind the embedded campus has."""
    return Counter(f.kind for f in campus_features(load_campus()))


def expected_count(kinds, collection_id):
    return sum(kinds[k] for k in BY_ID[collection_id].kinds)


def _rels(body):
    return {link["rel"]: link for link in body["links"]}


def test_landing_page_links_to_the_api_conformance_and_data(client):
    response = client.get("/ogc")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    links = _rels(response.json())
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    assert client.get(links["service-desc"]["href"]).json()["paths"]["/ogc/collections"]
    assert links["data"]["href"].endswith("/ogc/collections")


def test_conformance_declares_core_geojson_and_openapi(client):
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert CORE in conforms
    assert CORE.replace("core", "geojson") in conforms and CORE.replace("core", "oas30") in conforms


def test_collections_have_extents_and_item_links(client):
    body = client.get("/ogc/collections").json()
    collections = {c["id"]: c for c in body["collections"]}
    assert list(collections) == [spec.id for spec in COLLECTIONS]
    assert {"zones", "parcels", "buildings", "floors", "units", "facilities"} == set(collections)
    for c in collections.values():
        minx, miny, maxx, maxy = c["extent"]["spatial"]["bbox"][0]
        assert 121.8 < minx < maxx < 122.0 and 30.8 < miny < maxy < 31.0  # Lingang, lon/lat
        assert c["extent"]["temporal"]["interval"][0][0].startswith("2019-")
        assert c["extent"]["temporal"]["interval"][0][1] is None
        assert c["itemType"] == "feature"
        items = _rels(c)["items"]
        assert items["type"] == "application/geo+json" and items["href"].endswith("/items")
    one = client.get("/ogc/collections/units").json()
    assert one["id"] == "units" and one["extent"] == collections["units"]["extent"]


def test_items_page_has_counts_links_and_geojson(client, kinds):
    response = client.get("/ogc/collections/buildings/items", params={"limit": 5})
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["timeStamp"].endswith("Z")
    assert body["numberReturned"] == 5 == len(body["features"])
    assert body["numberMatched"] == expected_count(kinds, "buildings") == 21
    assert {"self", "next", "collection"} <= set(_rels(body)) and "prev" not in _rels(body)
    feature = body["features"][0]
    lon, lat = shape(feature["geometry"]).exterior.coords[0]
    assert 121.8 < lon < 122.0 and 30.8 < lat < 31.0
    assert feature["properties"]["gfa_m2"] > 0


@pytest.mark.parametrize("collection_id", ["units", "floors", "zones"])
def test_following_next_links_reads_every_feature_once(client, kinds, collection_id):
    url, ids, pages = f"/ogc/collections/{collection_id}/items?limit=1000", [], 0
    while url:
        body = client.get(url).json()
        ids += [f["id"] for f in body["features"]]
        pages += 1
        if pages > 1:
            assert "prev" in _rels(body)
        url = _rels(body).get("next", {}).get("href")
    assert len(ids) == len(set(ids)) == body["numberMatched"]
    assert len(ids) == expected_count(kinds, collection_id)


def test_bbox_selects_the_features_meeting_it(client):
    head = client.get("/ogc/collections/buildings/items/fish-head-t1").json()
    minx, miny, maxx, maxy = shape(head["geometry"]).bounds
    bbox = f"{minx},{miny},{maxx},{maxy}"
    body = client.get("/ogc/collections/units/items", params={"bbox": bbox, "limit": 10000}).json()
    ids = {f["id"] for f in body["features"]}
    assert "fish-head-t1/L12/U03" in ids and body["numberMatched"] == len(ids)
    assert all(i.startswith("fish-head-") for i in ids)  # nothing from across the campus
    box = shapely.box(minx, miny, maxx, maxy)
    assert all(shape(f["geometry"]).intersects(box) for f in body["features"])
    nowhere = client.get("/ogc/collections/units/items", params={"bbox": "0,0,1,1"}).json()
    assert nowhere["numberMatched"] == 0 == nowhere["numberReturned"]
    assert "next" not in _rels(nowhere)


def _stages(client, **params):
    body = client.get("/ogc/collections/buildings/items", params={"limit": 100, **params}).json()
    return {
        f["id"]: (f["properties"]["stage"], f["properties"]["status"]) for f in body["features"]
    }


def test_datetime_gives_each_building_its_stage_then(client):
    then, topped_out = (
        _stages(client, datetime="2023-01-01"),
        _stages(client, datetime="2024-09-12"),
    )
    assert then["fish-head-t1"] == ("structure", "in_progress")
    assert topped_out["fish-head-t1"] == ("envelope_mep", "in_progress")
    assert _stages(client, datetime="2019-06-01/2023-01-01") == then  # an interval: its end
    assert _stages(client, datetime="2022-12-31T16:00:00Z") == then
    one = client.get(
        "/ogc/collections/buildings/items/fish-head-t1", params={"datetime": "2024-09-12"}
    ).json()
    assert one["properties"]["stage"] == "envelope_mep"
    feeds = client.get("/ogc/collections/facilities/items", params={"datetime": "2024-09-12"})
    status = {f["id"]: f["properties"]["status"] for f in feeds.json()["features"]}
    assert status["feed-a"] == "under_construction"


def test_a_single_feature_by_a_slashed_id(client):
    response = client.get("/ogc/collections/units/items/fish-head-t1/L12/U03")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == "fish-head-t1/L12/U03"
    assert feature["properties"]["floor"] == "fish-head-t1/L12"
    assert feature["properties"]["area_m2"] > 0
    assert _rels(feature)["self"]["href"].endswith("/items/fish-head-t1/L12/U03")


def test_only_allow_listed_properties_are_published(client, kinds):
    for spec in COLLECTIONS:
        body = client.get(f"/ogc/collections/{spec.id}/items", params={"limit": 50}).json()
        expected = expected_count(kinds, spec.id)
        assert expected > 0 and len(body["features"]) == min(50, expected), spec.id
        assert {f["properties"]["kind"] for f in body["features"]} <= set(spec.kinds), spec.id
        for feature in body["features"]:
            assert set(feature["properties"]) == set(spec.all_properties), spec.id


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"limit": 0},
        {"limit": 10001},
        {"limit": "many"},
        {"offset": -1},
        {"datetime": "soon"},
        {"colour": "red"},
    ],
)
def test_bad_parameters_are_a_400_problem(client, params):
    response = client.get("/ogc/collections/units/items", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and next(iter(params)) in body["detail"]  # names the parameter


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/collections/tenants",
        "/ogc/collections/tenants/items",
        "/ogc/collections/units/items/fish-head-t1/L99/U99",
    ],
)
def test_unknown_collections_and_features_are_a_404_problem(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("no ")


def test_every_ogc_operation_is_documented(client):
    spec = client.get("/openapi.json").json()
    ogc = [item for path, item in spec["paths"].items() if path.startswith("/ogc")]
    assert sum("get" in item for item in ogc) == 8  # with the API definition and the queryables
    operations = [op for item in ogc for op in item.values()]
    assert len(operations) == 8 + 6  # Part 4: create, replace, update, delete; OPTIONS twice
    for op in operations:
        assert op["operationId"] and op["summary"] and op["description"]
    items = spec["paths"]["/ogc/collections/{collection_id}/items"]["get"]
    limit = next(p for p in items["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10_000 and limit["schema"]["default"] == 10


@pytest.mark.parametrize(
    "path", ["/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/units", "/ogc/api"]
)
def test_metadata_documents_take_only_datetime_and_f_json(client, path):
    assert client.get(path, params={"f": "json"}).status_code == 200
    assert client.get(path, params={"datetime": "2023-01-01", "f": "json"}).status_code == 200
    for query, says in (
        ({"f": "html"}, "f='html' is not offered"),
        ({"datetime": "someday"}, "datetime='someday' is not an RFC 3339 instant"),
        ({"lang": "zh"}, "unknown query parameter 'lang'"),
        ([("f", "json"), ("f", "json")], "given more than once"),
    ):
        refused = client.get(path, params=query)
        assert refused.status_code == 400, (path, query)
        assert refused.headers["content-type"] == "application/problem+json"
        assert says in refused.json()["detail"]
