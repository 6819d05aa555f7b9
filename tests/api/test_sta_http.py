"""SensorThings API 1.1 over a real server: FROST's own Python client lists every Thing and
Datastream and pages through 10,500 Observations posted through the readings API, which equal
/api/v1/facilities/metrics; query options, navigation, ids, roles and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import frost_sta_client as fsc
import httpx
import pytest
from frost_sta_client.service.auth_handler import AuthHandler
from live_server import start_twin, stop_twin
from rdflib import Graph

from twin.auth import TokenStore
from twin.eventlog import open_store
from twin.semantic.queries import rows_losing_power

START = (datetime.now(UTC) - timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
"""Within the raw readings' retention (90 days), so the metrics API answers raw values too."""
N = 10_500
FACILITY, METRIC = "dc/hall-2", "supply_temp_c"
DATASTREAM = f"{FACILITY}:{METRIC}"


def minute(i: int) -> datetime:
    return START + timedelta(minutes=i)


def value(i: int) -> float:
    """Distinct, deterministic values inside the metric's valid range (°C)."""
    return round(18 + (i * 7919 % 1000) / 100, 2)


class Bearer(AuthHandler):
    """frost-sta-client's auth hook, giving a bearer token instead of basic auth."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def add_auth_header(self):
        def auth(request):
            request.headers["Authorization"] = f"Bearer {self.token}"
            return request

        return auth


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sta")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {
            r: TokenStore(store.engine).create(r, f"sta-{r}") for r in ("operations", "leasing")
        }
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    with httpx.Client(base_url=live.url, headers=headers, timeout=120) as ops:
        readings = [
            {
                "facility": FACILITY,
                "metric": METRIC,
                "value": value(i),
                "unit": "°C",
                "observed_at": minute(i).isoformat(),
            }
            for i in range(N)
        ]
        for first in range(0, N, 5_250):
            answer = ops.post(
                "/api/v1/facilities/readings", json={"readings": readings[first : first + 5_250]}
            )
            assert answer.status_code == 200 and answer.json()["accepted"] == 5_250, answer.text
    yield live, tokens
    stop_twin(live)


@pytest.fixture(scope="module")
def ops(server):
    live, tokens = server
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    with httpx.Client(base_url=f"{live.url}/sta/v1.1", headers=headers, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def public(server):
    with httpx.Client(base_url=f"{server[0].url}/sta/v1.1", timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def frost(server):
    live, tokens = server
    return fsc.SensorThingsService(
        f"{live.url}/sta/v1.1", auth_handler=Bearer(tokens["operations"])
    )


def test_frost_lists_every_thing_and_datastream(server, frost):
    live, tokens = server
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    topology = httpx.get(f"{live.url}/api/v1/facilities/topology", headers=headers).json()
    things = {t.id: t for t in frost.things().query().top(50).list()}
    assert set(things) == {f["id"] for f in topology["facilities"]}
    assert things["feed-a"].name == "External power feed A"
    streams = {d.id: d for d in frost.datastreams().query().top(100).list()}
    expected = {
        f"{f['id']}:{m['name']}": m["unit"] for f in topology["facilities"] for m in f["metrics"]
    }
    assert {k: d.unit_of_measurement.symbol for k, d in streams.items()} == expected
    hall = frost.things().find(FACILITY)
    assert {d.id for d in hall.get_datastreams().query().list()} == {
        k for k in expected if k.startswith(f"{FACILITY}:")
    }


def test_frost_pages_through_every_observation_and_they_equal_the_metrics_api(server, frost):
    live, tokens = server
    stream = frost.datastreams().find(DATASTREAM)
    seen = [
        (o.phenomenon_time, o.result)
        for o in stream.get_observations().query().top(1000).orderby("phenomenonTime", "ASC").list()
    ]
    assert len(seen) == N
    assert [datetime.fromisoformat(t) for t, _ in seen] == [minute(i) for i in range(N)]
    assert [r for _, r in seen] == [value(i) for i in range(N)]
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    from_api = []
    for first in range(0, N, 5_000):  # the metrics API answers raw values up to 5,000 at once
        last = min(first + 4_999, N - 1)
        params = {
            "facility": FACILITY,
            "metric": METRIC,
            "start": minute(first).isoformat(),
            "end": minute(last).isoformat(),
            "points": 5000,
        }
        body = httpx.get(f"{live.url}/api/v1/facilities/metrics", params=params, headers=headers)
        assert body.status_code == 200 and not body.json()["downsampled"], body.text
        from_api += [(datetime.fromisoformat(p["at"]), p["value"]) for p in body.json()["points"]]
    assert [(datetime.fromisoformat(t), r) for t, r in seen] == from_api


def test_phenomenon_time_filters_count_and_order(ops):
    at = f"/Datastreams('{DATASTREAM}')/Observations"
    window = f"phenomenonTime ge {minute(100).isoformat()} and phenomenonTime lt {minute(200).isoformat()}"
    body = ops.get(at, params={"$filter": window, "$count": "true", "$top": "10"}).json()
    assert body["@iot.count"] == 100
    assert [o["result"] for o in body["value"]] == [value(i) for i in range(100, 110)]
    assert "%24skip=10" in body["@iot.nextLink"]
    either = f"({window}) or result eq {value(5)}"
    ordered = ops.get(
        at, params={"$filter": either, "$orderby": "result desc", "$top": "1000", "$count": "true"}
    ).json()
    results = [o["result"] for o in ordered["value"]]
    expected = sorted(
        (value(i) for i in range(N) if 100 <= i < 200 or value(i) == value(5)), reverse=True
    )
    assert ordered["@iot.count"] == len(expected) and results == expected
    following = ops.get(body["@iot.nextLink"]).json()
    assert [o["result"] for o in following["value"]] == [value(i) for i in range(110, 120)]


def test_entity_by_id_navigation_expand_and_select(ops):
    page = ops.get(f"/Datastreams('{DATASTREAM}')/Observations", params={"$top": "1"}).json()
    first = page["value"][0]
    again = ops.get(first["@iot.selfLink"]).json()
    assert again["result"] == value(0) and again["@iot.id"] == first["@iot.id"]
    thing = ops.get(f"{first['@iot.selfLink'].split('/sta/v1.1')[1]}/Datastream/Thing").json()
    assert thing["@iot.id"] == FACILITY
    expanded = ops.get(
        f"/Things('{FACILITY}')",
        params={
            "$select": "id,name",
            "$expand": f"Datastreams($filter=name eq 'Data hall 2: {METRIC}';$expand=Observations($top=2)),Locations",
        },
    ).json()
    assert set(expanded) == {"@iot.id", "name", "Datastreams", "Locations"}
    assert [d["@iot.id"] for d in expanded["Datastreams"]] == [DATASTREAM]
    assert [o["result"] for o in expanded["Datastreams"][0]["Observations"]] == [value(0), value(1)]
    lon, lat = expanded["Locations"][0]["location"]["coordinates"]
    assert 121.8 < lon < 122.0 and 30.8 < lat < 31.0  # west of Dishui Lake (S4)
    history = ops.get(f"/Things('{FACILITY}')/HistoricalLocations", params={"$expand": "Locations"})
    assert (
        history.json()["value"][0]["Locations"][0]["@iot.id"] == expanded["Locations"][0]["@iot.id"]
    )
    sensor = ops.get(f"/Datastreams('{DATASTREAM}')/Sensor").json()
    assert sensor["@iot.id"] == METRIC
    feeds = ops.get(
        "/Things", params={"$filter": "properties/kind eq 'power_feed'", "$select": "id"}
    )
    assert feeds.json()["value"] == [{"@iot.id": "feed-a"}, {"@iot.id": "feed-b"}]
    assert ops.get("/Things('feed-a')/name").json() == {"name": "External power feed A"}


def test_public_sees_what_it_sees_under_api_v1(public, server):
    things = public.get("/Things", params={"$top": "1000"}).json()["value"]
    assert things and all("note" not in t["properties"] for t in things)
    for path in ("/Datastreams", "/Observations", "/Sensors", "/ObservedProperties"):
        assert public.get(path).status_code == 401
    assert public.get("/Things('feed-a')", params={"$expand": "Datastreams"}).status_code == 401
    tokens = server[1]
    leasing = {"Authorization": f"Bearer {tokens['leasing']}"}
    assert public.get("/Datastreams", headers=leasing).status_code == 403
    assert public.get("/Locations").status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "status", "names"),
    [
        ("/Things", {"$bogus": "1"}, 400, "$bogus"),
        ("/Things", {"top": "1"}, 400, "top"),
        ("/Things", {"$top": "10001"}, 400, "$top"),
        ("/Things", {"$skip": "-1"}, 400, "$skip"),
        ("/Things", {"$filter": "name eq"}, 400, "$filter"),
        ("/Things", {"$filter": "colour eq 'red'"}, 400, "colour"),
        ("/Things", {"$orderby": "name sideways"}, 400, "$orderby"),
        ("/Things", {"$select": "colour"}, 400, "colour"),
        ("/Things", {"$expand": "Gadgets"}, 404, "Gadgets"),
        ("/Things", {"$count": "maybe"}, 400, "$count"),
        ("/Things('no-such')", {}, 404, "no-such"),
        ("/Gadgets", {}, 404, "Gadgets"),
        ("/", {}, 404, "Things"),
        ("/Things('feed-a')/Gadgets", {}, 404, "Gadgets"),
        ("/Things/Datastreams", {}, 404, "Datastreams"),
        ("/Observations('x:y:12')", {}, 404, "x:y:12"),
    ],
)
def test_bad_requests_are_refused_naming_what_was_wrong(ops, path, params, status, names):
    answer = ops.get(path, params=params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert names in answer.json()["detail"]


def test_brick_over_http_answers_a_feed_failure_as_the_redundancy_api(server):
    live, tokens = server
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    answer = httpx.get(f"{live.url}/api/v1/semantic/brick.ttl", headers=headers, timeout=60)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=answer.text, format="turtle")
    assert f"{live.url}/sta/v1.1/Datastreams('{DATASTREAM}')" in answer.text
    impact = httpx.get(
        f"{live.url}/api/v1/facilities/redundancy",
        params={"failed": "feed-a", "basis": "design"},
        headers=headers,
    ).json()
    lost = {row for hall in impact["halls"] for row in hall["rows_lost_power"]}
    assert lost and rows_losing_power(graph, "feed-a") == lost
    assert httpx.get(f"{live.url}/api/v1/semantic/brick.ttl").status_code == 401
