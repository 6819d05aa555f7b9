"""OGC API - Features Parts 2 (CRS) and 3 (CQL2 filters) over a real `twin serve`, read by
plain HTTP, OWSLib's OGC API client and GDAL's OAPIF driver (ogrinfo and pyogrio)."""

import math
import subprocess
from urllib.parse import unquote_plus as unquote

import httpx
import pyogrio
import pytest
from owslib_clients import features_client
from pyproj import Transformer

from api.ogc.crs import EPSG_URI, URIS
from api.ogc.specs import CRS84

CGCS2000 = EPSG_URI + "4490"
GAUSS_KRUGER = EPSG_URI + "4550"
PART2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
PART3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


def _lines_since(log, start):
    return log.read_text(errors="replace")[start:]


def test_conformance_declares_parts_2_and_3(client):
    conforms = set(client.get("/ogc/conformance").json()["conformsTo"])
    assert PART2 in conforms
    assert {PART3 + c for c in ("queryables", "filter", "features-filter")} <= conforms
    assert {
        CQL2 + c
        for c in (
            "cql2-text",
            "cql2-json",
            "basic-cql2",
            "advanced-comparison-operators",
            "basic-spatial-functions",
            "spatial-functions",
        )
    } <= conforms


def test_each_collection_lists_its_crss_and_links_its_queryables(client):
    for collection in client.get("/ogc/collections").json()["collections"]:
        assert collection["storageCrs"] == CRS84 and collection["crs"] == URIS
        assert {CRS84, EPSG_URI + "4326", CGCS2000, GAUSS_KRUGER, EPSG_URI + "32651"} <= set(
            collection["crs"]
        )
        rels = {link["rel"]: link["href"] for link in collection["links"]}
        queryables = client.get(rels["http://www.opengis.net/def/rel/ogc/1.0/queryables"])
        assert queryables.headers["content-type"] == "application/schema+json"
        schema = queryables.json()
        assert schema["type"] == "object" and "geometry" in schema["properties"]
        assert schema["properties"]["datetime"]["format"] == "date-time"


def test_items_in_cgcs2000_and_gauss_kruger_equal_pyproj(client):
    plain = client.get("/ogc/collections/buildings/items", params={"limit": 5}).json()
    for uri, code, tolerance in ((CGCS2000, "EPSG:4490", 1e-9), (GAUSS_KRUGER, "EPSG:4550", 1e-3)):
        response = client.get("/ogc/collections/buildings/items", params={"limit": 5, "crs": uri})
        assert response.status_code == 200 and response.headers["content-crs"] == f"<{uri}>"
        to = Transformer.from_crs("OGC:CRS84", code)  # authority order: north first for both
        for before, after in zip(plain["features"], response.json()["features"], strict=True):
            ring, moved = before["geometry"]["coordinates"][0], after["geometry"]["coordinates"][0]
            for (lon, lat), got in zip(ring, moved, strict=True):
                assert math.dist(got, to.transform(lon, lat)) <= tolerance


def test_one_item_in_a_crs_and_unknown_crs_refused(client):
    url = "/ogc/collections/units/items/fish-head-t1/L12/U03"
    plain = client.get(url).json()
    response = client.get(url, params={"crs": EPSG_URI + "4326"})
    assert response.headers["content-crs"] == f"<{EPSG_URI}4326>"
    lon, lat = plain["geometry"]["coordinates"][0][0]
    assert response.json()["geometry"]["coordinates"][0][0] == pytest.approx([lat, lon], abs=1e-12)
    assert client.get(url).headers["content-crs"] == f"<{CRS84}>"
    refused = client.get(url, params={"crs": "EPSG:3857"})
    assert refused.status_code == 400 and "EPSG:3857" in refused.json()["detail"]


def test_a_bbox_in_cgcs2000_lat_lon_finds_what_the_crs84_one_finds(client):
    box = (121.9004, 30.9124, 121.9010, 30.9130)
    crs84 = client.get(
        "/ogc/collections/units/items", params={"bbox": ",".join(map(str, box)), "limit": 1000}
    ).json()
    lat_lon = f"{box[1]},{box[0]},{box[3]},{box[2]}"
    cgcs = client.get(
        "/ogc/collections/units/items",
        params={"bbox": lat_lon, "bbox-crs": CGCS2000, "limit": 1000},
    ).json()
    assert crs84["numberMatched"] > 0
    assert {f["id"] for f in cgcs["features"]} == {f["id"] for f in crs84["features"]}


def _available(client, building, level, min_area):
    answer = client.get(
        "/api/v1/leasing/availability",
        params={
            "kind": "office",
            "building": building,
            "min_level": level,
            "max_level": level,
            "min_area_m2": min_area,
            "limit": 500,
        },
    ).json()
    return {item["id"] for item in answer["items"]}


CONDITIONS = [("fish-head-t1", 12, 100), ("fish-head-t1", 3, 150)]


@pytest.mark.parametrize(("building", "level", "min_area"), CONDITIONS)
def test_owslib_filters_units_as_the_availability_search_finds_them(
    live_twin, client, building, level, min_area
):
    features = features_client(f"{live_twin.url}/ogc", timeout=60)
    cql = f"building = '{building}' AND level = {level} AND area_m2 >= {min_area}"
    start = len(live_twin.log.read_text(errors="replace"))
    answer = features.collection_items("units", filter=cql, limit=1000)
    found = {f["id"] for f in answer["features"]}
    assert found and found == _available(client, building, level, min_area)
    assert answer["numberMatched"] == len(found)
    assert "filter=" in _lines_since(live_twin.log, start)  # done by the server
    assert set(features.collection_queryables("units")["properties"]) >= {"level", "area_m2"}


def test_gdal_ogrinfo_where_is_sent_to_the_server_as_cql2(live_twin, client):
    building, level, min_area = CONDITIONS[0]
    start = len(live_twin.log.read_text(errors="replace"))
    listing = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            "-q",
            f"OAPIF:{live_twin.url}/ogc",
            "units",
            "-where",
            f"building = '{building}' AND level = {level} AND area_m2 >= {min_area}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = {
        line.split("=", 1)[1].strip()
        for line in listing.stdout.splitlines()
        if line.strip().startswith("id (String) =")
    }
    assert found and found == _available(client, building, level, min_area)
    requests = [
        unquote(line)
        for line in _lines_since(live_twin.log, start).splitlines()
        if "/ogc/collections/units/items" in line
    ]
    filtered = [line for line in requests if "filter=" in line]
    assert filtered and all("filter-lang=cql-text" in line for line in filtered)
    assert f"(level = {level})" in filtered[-1]
    # the server answered the filter: besides its first look at the layer (one page without
    # a filter), GDAL read only filtered pages, not the thousands of units
    assert len(requests) - len(filtered) <= 1 and len(filtered) <= 2


def test_gdal_reads_a_collection_in_cgcs2000_asked_from_the_server(live_twin):
    source = f"OAPIF:{live_twin.url}/ogc"
    start = len(live_twin.log.read_text(errors="replace"))
    frame = pyogrio.read_dataframe(source, layer="buildings", CRS="EPSG:4490")
    assert frame.crs.to_epsg() == 4490 and len(frame) == 21
    lon, lat = frame.geometry.union_all().centroid.coords[0]
    assert 121.8 < lon < 122.0 and 30.8 < lat < 31.0
    assert f"crs={CGCS2000}" in unquote(_lines_since(live_twin.log, start))
    # a bbox in Gauss-Kruger metres (GDAL writes it northing first with bbox-crs)
    plain = pyogrio.read_dataframe(source, layer="buildings").set_index("id")
    minx, miny, maxx, maxy = plain.geometry["fish-head-t1"].bounds
    to = Transformer.from_crs("OGC:CRS84", "EPSG:4550", always_xy=True)
    (e1, n1), (e2, n2) = to.transform(minx, miny), to.transform(maxx, maxy)
    start = len(live_twin.log.read_text(errors="replace"))
    near = pyogrio.read_dataframe(
        source,
        layer="units",
        CRS="EPSG:4550",
        bbox=(min(e1, e2), min(n1, n2), max(e1, e2), max(n1, n2)),
    )
    assert len(near) > 0 and "fish-head-t1/L12/U03" in set(near["id"])
    assert f"bbox-crs={GAUSS_KRUGER}" in unquote(_lines_since(live_twin.log, start))


def test_a_filter_on_an_unknown_property_is_a_400_naming_it(client):
    response = client.get("/ogc/collections/units/items", params={"filter": "tenant = 'acme'"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "'tenant'" in response.json()["detail"]
