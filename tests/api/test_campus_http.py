"""The API over a real HTTP connection to `twin serve`."""

import gzip
import io
import re
from urllib.parse import unquote

import httpx
import pytest
from PIL import Image

from assets.dataset import load_campus
from geometry.crs import utm_to_lonlat
from geometry.gltf import read_feature_ids

TILESET = "/api/v1/scene/tileset.json"


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_campus_summary_reports_the_published_totals(client):
    body = client.get("/api/v1/campus").json()
    zones = {z["id"]: z for z in body["zones"]}
    assert 6.8e6 <= zones["park"]["area_m2"] <= 7.0e6
    assert 3.1e6 <= zones["core"]["area_m2"] <= 3.3e6
    assert zones["fish"]["gfa_m2"] == pytest.approx(750_000, rel=0.005)
    assert "F4" in zones["fish"]["facts"]
    parcels = {p["id"]: p for p in body["parcels"]}
    assert parcels["fish-head"]["gfa_m2"] == pytest.approx(400_000, rel=0.005)
    assert body["counts"]["buildings"] == 21 and body["counts"]["units"] > 3000
    assert body["name"]["zh"] == "国际数据经济产业园"


def test_scene_glb_is_cached_with_an_etag(client):
    first = client.get("/api/v1/scene.glb")
    assert first.status_code == 200
    assert first.headers["content-type"] == "model/gltf-binary"
    assert first.content[:4] == b"glTF"
    assert "fish-head-t1/L12/U03" in read_feature_ids(first.content)
    etag = first.headers["etag"]
    again = client.get("/api/v1/scene.glb", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    listed = client.get("/api/v1/scene.glb", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    stale = client.get("/api/v1/scene.glb", headers={"If-None-Match": etag[:-2] + '"'})
    assert stale.status_code == 200  # a prefix of the ETag is another ETag


def raw_glb(client: httpx.Client, encoding: str) -> tuple[httpx.Headers, bytes]:
    """The GLB response's headers and its body as sent (not decoded by the client)."""
    with client.stream("GET", "/api/v1/scene.glb", headers={"Accept-Encoding": encoding}) as r:
        return r.headers, b"".join(r.iter_raw())


def test_the_glb_goes_gzipped_to_who_accepts_it_the_same_bytes_every_time(client):
    plain_headers, plain = raw_glb(client, "identity")
    assert "content-encoding" not in plain_headers and plain[:4] == b"glTF"
    (headers, packed), (_, again) = raw_glb(client, "gzip, br"), raw_glb(client, "gzip")
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert packed == again
    assert len(packed) < len(plain) / 2
    assert gzip.decompress(packed) == plain


def test_unknown_path_is_a_problem_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (
        body["status"] == 404
        and body["title"] == "Not Found"
        and "traceback" not in response.text.lower()
    )


NO_ACTIVITY, NO_BASELINE = "no-such-activity", "no-such-baseline"
"""The dataset holds no imported schedule (so no baseline either): a what-if or a variance
then answers 404 naming what it cannot find."""
NO_ALARM = "feed-down:no-such-alarm@20260101T000000Z"
"""No reading has raised an alarm in this log: one alarm then answers 404 naming it."""


def _real_values(client: httpx.Client, auth: dict[str, str]) -> dict[str, list[str]]:
    """A real value for every path and required query parameter (each ``fmt`` offered); a key
    ``"PATH NAME"`` gives the value of NAME on that path alone (two paths call theirs ``name``)."""
    campus = load_campus()
    unit = next(u for u in campus.units("office-building") if u.level == 12)
    lon, lat = utm_to_lonlat(*campus.footprints["office-building"].centroid.coords[0])
    tiles = re.findall(r'"uri":\s*"tiles/([^"/]+)\.glb"', client.get(TILESET).text)
    topology = client.get("/api/v1/facilities/topology", headers=auth).json()
    metered = next(f for f in topology["facilities"] if f.get("metrics"))
    holds = client.get("/api/v1/leasing/holds", headers=auth).json()["items"]
    leases = client.get("/api/v1/leasing/leases", headers=auth).json()["items"]
    activities = client.get("/api/v1/construction/schedule").json()["activities"]
    activity = activities[0]["id"] if activities else NO_ACTIVITY
    saved = client.get("/api/v1/construction/schedule/baselines", headers=auth).json()
    baseline = saved["baselines"][0]["name"] if saved["baselines"] else NO_BASELINE
    prospects = client.get("/api/v1/leasing/prospects", headers=auth).json()["items"]
    order = client.post(
        "/api/v1/facilities/work-orders",
        json={"facility": "dc/hall-1", "kind": "corrective", "priority": "P3", "title": "walk"},
        headers=auth | {"Idempotency-Key": "campus-http-walk"},
    ).json()
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (90, 140, 200)).save(photo, "PNG")
    evidence = client.post(
        "/api/v1/construction/evidence",
        files={"file": ("walk.png", photo.getvalue(), "image/png")},
        data={"building": "office-building", "stage": "design"},
        headers=auth,
    ).json()
    alarms = client.get("/api/v1/facilities/alarms", headers=auth).json()["alarms"]
    return {
        "collection_id": ["units"],
        "feature_id": [unit.id],
        "unit": [unit.id.rsplit("/", 1)[1]],  # on `level`
        "building_id": ["office-building"],
        "building": ["office-building"],
        "level": [str(unit.level)],
        "fmt": ["png", "svg"],
        "name": tiles[:1],
        "hold_id": [holds[0]["id"]],
        "lease_id": [leases[0]["id"]],
        "lon": [str(lon)],
        "lat": [str(lat)],
        "facility": [metered["id"]],
        "metric": [metered["metrics"][0]["name"]],
        "failed": ["feed-a"],
        "max_seconds": ["1"],  # the live stream: its first second
        "resource": ["Things"],  # SensorThings: an entity set
        "slip": [f"{activity}:5"],  # a what-if: an activity 5 days late
        "/api/v1/construction/schedule/baselines/{name}/variance name": [baseline],
        "prospect_id": [prospects[0]["id"]],
        "step": ["3", "fish-head"],  # the guided tour's, by number and by id
        "fact_id": ["F5", "S2"],
        "order_id": [order["id"]],
        "sha256": [evidence["sha256"]],  # an attached photo (and its thumbnail)
        "alarm_id": [alarms[0]["id"] if alarms else NO_ALARM],
        "min_area_m2": ["500"],  # proposals: adjacent units of 500 m² or more
    }


def test_openapi_documents_every_endpoint(client, live_tokens):
    """Every operation has an id and a description, and every GET answers 200 when its path
    and required parameters are real ids of the dataset."""
    spec = client.get("/openapi.json").json()
    auth = {"Authorization": f"Bearer {live_tokens['admin']}"}
    values = _real_values(client, auth)
    walked = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["operationId"] and operation.get("description"), (method, path)
            if method != "get":
                continue
            params = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
            needed = [p["name"] for p in params if p["in"] == "path" or p.get("required")]
            if any(p["name"] == "max_seconds" for p in params):
                needed.append("max_seconds")
            for fmt in values["fmt"] if "fmt" in needed else [""]:
                url = path
                for name in needed:
                    value = fmt if name == "fmt" else values.get(f"{path} {name}", values[name])[0]
                    url = url.replace("{" + name + "}", value)
                query = {n: values[n][0] for n in needed if "{" + n + "}" not in path}
                answer = client.get(url, params=query, headers=auth)
                missing = [
                    m for m in (NO_ACTIVITY, NO_BASELINE, NO_ALARM) if m in unquote(str(answer.url))
                ]
                if missing:
                    assert answer.status_code == 404 and missing[0] in answer.text, answer.text
                    continue
                assert answer.status_code == 200, (url, query, answer.text[:300])
                assert answer.content, url
            walked.add(path)
    gets = {p for p, ops in spec["paths"].items() if "get" in ops}
    assert walked == gets and len(gets) > 40


def test_what_is_at_a_lonlat_point(client):
    from geometry.crs import utm_to_lonlat
    from twin.runtime import Twin
    from twin.settings import Settings

    centre = Twin(Settings.from_env()).campus.footprints["office-building"].centroid
    lon, lat = utm_to_lonlat(centre.x, centre.y)
    body = client.get("/api/v1/where", params={"lon": lon, "lat": lat}).json()
    assert body["ids"][:2] == ["park", "core"] and "office-building" in body["ids"]
    assert client.get("/api/v1/where", params={"lon": 0, "lat": 0}).json()["ids"] == []
    assert client.get("/api/v1/where", params={"lon": 200, "lat": 0}).status_code == 422


def test_every_error_response_is_documented_as_a_problem(client):
    """Every 4xx/5xx (and default) response of every operation names the Problem schema."""
    spec = client.get("/openapi.json").json()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    errors = [
        (method, path, status, response.get("content"))
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status[0] in "45" or status == "default"
    ]
    assert len(errors) > 100
    assert [e for e in errors if e[3] != problem] == []
