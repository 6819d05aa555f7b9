"""Facility status over a real HTTP server: readings in, answers at any time, redundancy, the
live stream and alerts."""

from __future__ import annotations

import json
import queue
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.auth import ROLES, TokenStore
from twin.eventlog import open_store

BASE = (datetime.now(UTC) - timedelta(days=30)).replace(second=0, microsecond=0)


def at(minutes: float) -> str:
    return (BASE + timedelta(minutes=minutes)).isoformat()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("facilities")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {role: TokenStore(store.engine).create(role, f"fac-{role}") for role in ROLES}
    yield live, tokens
    stop_twin(live)


@pytest.fixture(scope="module")
def ops(server):
    live, tokens = server
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    with httpx.Client(base_url=live.url, headers=headers, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def public(server):
    with httpx.Client(base_url=server[0].url, timeout=60) as client:
        yield client


def post(client, readings):
    response = client.post("/api/v1/facilities/readings", json={"readings": readings})
    assert response.status_code == 200, response.text
    return response.json()


def statuses(client, when=None):
    params = {"at": when} if when else {}
    body = client.get("/api/v1/facilities", params=params).json()
    return {f["id"]: f for f in body["facilities"]}


def test_each_reading_gets_its_result_and_bad_ones_their_reason(ops, server):
    t = at(0)
    body = post(
        ops,
        [
            {
                "facility": "dc/hall-1",
                "metric": "supply_temp_c",
                "value": 22.5,
                "unit": "°C",
                "observed_at": t,
                "idempotency_key": "h1-t0",
            },
            {
                "facility": "dc/hall-1",
                "metric": "supply_temp_c",
                "value": 22.5,
                "unit": "K",
                "observed_at": t,
            },
            {"facility": "dc/hall-42", "status": "fault", "observed_at": t},
            {
                "facility": "dc/hall-1",
                "metric": "supply_temp_c",
                "value": 95,
                "unit": "°C",
                "observed_at": t,
            },
            {
                "facility": "dc/hall-1",
                "metric": "supply_temp_c",
                "value": 22.5,
                "unit": "°C",
                "observed_at": t,
                "idempotency_key": "h1-t0",
            },
            "not an object",
        ],
    )
    assert [(r["result"], r["reason"]) for r in body["results"]] == [
        ("accepted", None),
        ("refused", "wrong_unit"),
        ("refused", "unknown_facility"),
        ("refused", "out_of_range"),
        ("duplicate", "duplicate"),
        ("refused", "malformed"),
    ]
    assert (body["accepted"], body["duplicates"], body["refused"]) == (1, 1, 4)
    assert set(body["reasons"]) >= {"wrong_unit", "not_finite", "duplicate"}
    nan = ops.post(
        "/api/v1/facilities/readings",
        headers={"Content-Type": "application/json"},
        content='{"readings": [{"facility": "dc/hall-1", "metric": "supply_temp_c", '
        f'"value": NaN, "unit": "°C", "observed_at": "{t}"}}]}}',
    )
    assert nan.json()["results"][0]["reason"] == "not_finite"
    assert (
        post(
            ops,
            [
                {
                    "facility": "dc/hall-1",
                    "metric": "supply_temp_c",
                    "value": 22.5,
                    "unit": "°C",
                    "observed_at": t,
                    "idempotency_key": "h1-t0",
                }
            ],
        )["duplicates"]
        == 1
    )


@pytest.mark.parametrize("body", ['{"readings": 3}', "[]", "{oops", '{"other": []}'])
def test_a_body_that_is_not_a_batch_is_a_422(ops, body):
    response = ops.post(
        "/api/v1/facilities/readings", content=body, headers={"Content-Type": "application/json"}
    )
    assert (
        response.status_code == 422
        and response.headers["content-type"] == "application/problem+json"
    )


def test_readings_need_the_operations_role(server, public):
    _, tokens = server
    body = {"readings": []}
    assert public.post("/api/v1/facilities/readings", json=body).status_code == 401
    leasing = {"Authorization": f"Bearer {tokens['leasing']}"}
    assert public.post("/api/v1/facilities/readings", json=body, headers=leasing).status_code == 403
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    assert public.post("/api/v1/facilities/readings", json=body, headers=admin).status_code == 200


def test_statuses_answer_as_they_were_at_any_time(ops, public):
    post(
        ops,
        [
            {"facility": "dc/hall-3", "status": "operational", "observed_at": at(10)},
            {
                "facility": "dc/hall-3",
                "status": "maintenance",
                "observed_at": at(20),
                "note": "filters",
            },
        ],
    )
    post(ops, [{"facility": "dc/hall-3", "status": "degraded", "observed_at": at(15)}])  # late
    assert statuses(public, "2024-09-12")["dc/hall-3"]["status"] == "under_construction"  # F6
    assert statuses(public, "2024-09-12")["cross-border-centre"]["status"] == "operational"  # F8
    assert statuses(public, at(12))["dc/hall-3"]["status"] == "operational"
    assert statuses(public, at(17))["dc/hall-3"]["status"] == "degraded"
    now = statuses(public)["dc/hall-3"]
    assert (now["status"], now["note"]) == ("maintenance", None)
    assert datetime.fromisoformat(now["since"]) == datetime.fromisoformat(at(20))
    assert statuses(ops)["dc/hall-3"]["note"] == "filters"  # operators' notes: operations only
    assert statuses(public)["dc/hall-1"]["metrics"] is None  # values: operations only
    assert statuses(ops)["dc/hall-1"]["metrics"]["supply_temp_c"]["value"] == 22.5
    assert statuses(ops, at(-1))["dc/hall-1"]["metrics"] == {}
    changes = public.get("/api/v1/facilities/changes", params={"facility": "dc/hall-3"}).json()[
        "changes"
    ]
    assert [c["status"] for c in changes[:3]] == ["maintenance", "degraded", "operational"]


def everything(client, status, minutes):
    ids = [f for f in statuses(client) if f != "cross-border-centre"]
    return post(
        client, [{"facility": f, "status": status, "observed_at": at(minutes)} for f in ids]
    )


@pytest.mark.parametrize(
    ("feed", "lose_redundancy", "lose_power"),
    [
        ("feed-a", [f"dc/hall-{k}" for k in range(1, 7)], ["dc/hall-7", "dc/hall-8"]),
        ("feed-b", [f"dc/hall-{k}" for k in range(1, 7)], []),
    ],
)
def test_redundancy_for_each_single_feed_failure(ops, feed, lose_redundancy, lose_power):
    design = ops.get(
        "/api/v1/facilities/redundancy", params={"failed": feed, "basis": "design"}
    ).json()
    then = ops.get(
        "/api/v1/facilities/redundancy", params={"failed": feed, "at": "2024-09-12"}
    ).json()
    everything(ops, "operational", 30)
    live = ops.get("/api/v1/facilities/redundancy", params={"failed": feed}).json()
    for answer in (design, live):
        assert answer["halls_losing_redundancy"] == lose_redundancy
        assert answer["halls_losing_power"] == lose_power
        assert answer["racks_losing_redundancy"] == 375 * len(lose_redundancy)
        assert answer["racks_losing_power"] == 375 * len(lose_power)
    assert then["halls_losing_redundancy"] == then["halls_losing_power"] == []  # nothing built yet
    hall1 = next(h for h in live["halls"] if h["hall"] == "dc/hall-1")
    assert (hall1["before"], hall1["after"], hall1["floor"]) == ("2N", "N", "data-centre/L02")


def test_redundancy_is_for_operations_and_knows_its_facilities(ops, public):
    assert (
        public.get("/api/v1/facilities/redundancy", params={"failed": "feed-a"}).status_code == 401
    )
    missing = ops.get("/api/v1/facilities/redundancy", params={"failed": "feed-c"})
    assert missing.status_code == 404 and "feed-c" in missing.json()["detail"]


def _listen(url, headers, into, ready):
    try:
        with httpx.stream(
            "GET", url, headers={**headers, "Accept": "text/event-stream"}, timeout=30
        ) as r:
            event = None
            for line in r.iter_lines():
                if line.startswith("retry:"):
                    ready.set()
                elif line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    into.put((event, json.loads(line.split(":", 1)[1])))
    except httpx.HTTPError:  # the server stopped first
        pass


def _collect(events, done, seconds=10.0):
    """Events from the queue until ``done(kinds seen)`` or ``seconds``, then 0.5 s more."""
    out, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            out.append(events.get(timeout=0.25))
        except queue.Empty:
            continue
        if done({e for e, _ in out}):
            deadline = min(deadline, time.monotonic() + 0.5)
    return out


def test_sse_clients_receive_status_changes_and_operations_also_alerts(server, ops):
    live, tokens = server
    everything(ops, "operational", 40)
    url = f"{live.url}/api/v1/facilities/stream?max_seconds=12"
    feeds = {"public": queue.Queue(), "ops": queue.Queue()}
    readies = {k: threading.Event() for k in feeds}
    auth = {"public": {}, "ops": {"Authorization": f"Bearer {tokens['operations']}"}}
    for k in feeds:
        threading.Thread(
            target=_listen, args=(url, auth[k], feeds[k], readies[k]), daemon=True
        ).start()
    assert all(e.wait(10) for e in readies.values())
    post(
        ops,
        [
            {"facility": "feed-b", "status": "fault", "observed_at": at(45)},
            {"facility": "feed-b", "status": "fault", "observed_at": at(46)},
        ],
    )  # a repeat: no change
    got = {
        "public": _collect(feeds["public"], lambda seen: "status" in seen),
        "ops": _collect(feeds["ops"], lambda seen: {"status", "alert"} <= seen),
    }
    for k in feeds:
        status = [d for e, d in got[k] if e == "status"]
        assert [(d["facility"], d["status"], d["previous"]) for d in status] == [
            ("feed-b", "fault", "operational")
        ]
    assert any(e == "alert" and d["key"] == "feed-down:feed-b" for e, d in got["ops"])
    assert not any(e == "alert" for e, _ in got["public"])


def test_alerts_and_polling(ops, public):
    everything(ops, "operational", 50)
    post(ops, [{"facility": "feed-a", "status": "offline", "observed_at": at(55)}])
    alerts = ops.get("/api/v1/facilities/alerts").json()
    keys = {a["key"] for a in alerts["active"]}
    assert {"feed-down:feed-a", "hall-power:dc/hall-7", "hall-redundancy:dc/hall-1"} <= keys
    assert datetime.fromisoformat(alerts["events"][0]["at"]) >= BASE + timedelta(minutes=50)
    assert "feed-down" in alerts["rules"]
    earlier = ops.get("/api/v1/facilities/alerts", params={"at": at(52)}).json()
    assert not {"feed-down:feed-a"} & {a["key"] for a in earlier["active"]}
    page = public.get("/api/v1/facilities/stream", params={"since": 0, "limit": 1000}).json()
    assert page["last_seq"] > 0 and all(e["event"] == "status" for e in page["events"])
    assert public.get("/api/v1/facilities/alerts").status_code == 401


def test_metric_history_and_colours(ops, public):
    post(
        ops,
        [
            {
                "facility": "dc/hall-2",
                "metric": "humidity_pct",
                "value": 40 + i % 7,
                "unit": "%",
                "observed_at": at(60 + i * 0.1),
            }
            for i in range(1000)
        ],
    )
    h = ops.get(
        "/api/v1/facilities/metrics",
        params={
            "facility": "dc/hall-2",
            "metric": "humidity_pct",
            "start": at(0),
            "end": at(200),
            "points": 100,
        },
    ).json()
    assert h["total"] == 1000 and h["downsampled"] and len(h["points"]) <= 100 and h["unit"] == "%"
    assert (
        ops.get(
            "/api/v1/facilities/metrics", params={"facility": "dc/hall-2", "metric": "x"}
        ).status_code
        == 404
    )
    colours = public.get("/api/v1/scene/colors", params={"mode": "facilities"}).json()
    assert (
        colours["colors"]["data-centre"] == "#3a3a3a"
    )  # feed-a offline: the worst in the building
    assert colours["colors"]["service-centre"] == "#2e8540"
    then = public.get(
        "/api/v1/scene/colors", params={"mode": "facilities", "at": "2024-09-12"}
    ).json()
    assert then["colors"]["data-centre/L02"] == "#7a5aa8"  # halls under construction (F6)


CAMPUS = timezone(timedelta(hours=8))


def test_answers_give_times_in_campus_time_or_in_the_zone_the_request_used(ops, public):
    observed = (BASE + timedelta(minutes=300)).astimezone(CAMPUS)
    reading = {"facility": "dc", "metric": "pue", "value": 1.42, "unit": "1"}
    held = (observed - timedelta(minutes=5)).isoformat()  # past its limit 5 min: raised
    post(ops, [{**reading, "observed_at": t} for t in (held, observed.isoformat())])
    alerts = ops.get("/api/v1/facilities/alerts").json()
    pue = next(a for a in alerts["active"] if a["key"] == "metric-limit:dc:pue")
    assert pue["message"] == "dc pue = 1.42, above its limit 1.3"  # not "1.42 1"
    assert pue["since"] == observed.isoformat()  # as sent: +08:00, not UTC
    raised = next(e for e in alerts["events"] if e["alert"]["key"] == pue["key"])
    assert raised["at"] == raised["alert"]["since"] == observed.isoformat()
    assert alerts["at"].endswith("+08:00")
    in_utc = ops.get("/api/v1/facilities/alerts", params={"at": datetime.now(UTC).isoformat()})
    assert in_utc.json()["at"].endswith("+00:00")  # the request's own zone is kept
    assert next(a for a in in_utc.json()["active"] if a["key"] == pue["key"])["since"] == (
        observed.astimezone(UTC).isoformat()
    )
    dc = statuses(ops)["dc"]
    assert dc["metrics"]["pue"]["observed_at"] == observed.isoformat()
    changes = public.get("/api/v1/facilities/changes").json()["changes"]
    assert changes and all(c["at"].endswith("+08:00") for c in changes)
    end = (BASE + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    changes = public.get("/api/v1/facilities/changes", params={"end": end}).json()["changes"]
    assert changes and all(c["at"].endswith("+00:00") for c in changes)
    history = ops.get(
        "/api/v1/facilities/metrics", params={"facility": "dc", "metric": "pue", "end": end}
    ).json()
    assert [p["at"] for p in history["points"]][-1] == observed.astimezone(UTC).isoformat()
    assert history["end"].endswith("+00:00")
    page = ops.get("/api/v1/facilities/stream", params={"since": 0, "limit": 1000}).json()
    assert all(e["data"]["at"].endswith("+08:00") for e in page["events"])
    log = ops.get("/api/v1/events", params={"limit": 5}).json()["events"]
    assert log and all(e["effective_at"].endswith("+08:00") for e in log)
