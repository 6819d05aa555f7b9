"""Work orders over a real HTTP server: open, assign, start, complete, cancel; refusals (409
naming the state, nothing written); filters at any instant; roles; a maintenance window
showing in statuses and redundancy only while it lasts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.auth import ROLES, TokenStore
from twin.eventlog import open_store

NOW = datetime.now(UTC).replace(microsecond=0)
API = "/api/v1/facilities/work-orders"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("work-orders")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        tokens = {role: TokenStore(store.engine).create(role, f"wo-{role}") for role in ROLES}
    yield live, tokens
    stop_twin(live)


def _client(server, role=None):
    live, tokens = server
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    return httpx.Client(base_url=live.url, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def ops(server):
    with _client(server, "operations") as client:
        ids = [
            f["id"]
            for f in client.get("/api/v1/facilities").json()["facilities"]
            if f["id"] != "cross-border-centre"
        ]
        start = (NOW - timedelta(days=1)).isoformat()
        readings = [{"facility": f, "status": "operational", "observed_at": start} for f in ids]
        answer = client.post("/api/v1/facilities/readings", json={"readings": readings})
        assert answer.status_code == 200, answer.text
        yield client


@pytest.fixture(scope="module")
def public(server):
    with _client(server) as client:
        yield client


def open_order(ops, **body):
    answer = ops.post(API, json={"facility": "dc/hall-2", "kind": "corrective", "priority": "P2",
                                 "title": "Leak under CRAH-1"} | body)  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_writes_need_the_operations_role(server, public):
    body = {"facility": "dc/hall-2", "kind": "corrective", "priority": "P2", "title": "x"}
    assert public.post(API, json=body).status_code == 401
    with _client(server, "leasing") as leasing:
        assert leasing.post(API, json=body).status_code == 403


def test_an_order_is_done_step_by_step_with_times_notes_and_the_sla(ops, public):
    order = open_order(ops, priority="P1", note="water on the floor")
    assert order["state"] == "open" and order["start_due"].endswith("+08:00")
    opened = datetime.fromisoformat(order["opened_at"])
    assert datetime.fromisoformat(order["start_due"]) - opened == timedelta(hours=4)
    assert datetime.fromisoformat(order["finish_due"]) - opened == timedelta(hours=24)
    oid = order["id"]
    assigned = ops.post(f"{API}/{oid}/assign", json={"assignee": "Li Wei", "note": "on it"})
    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"
    assert ops.post(f"{API}/{oid}/start", json={}).json()["state"] == "in_progress"
    done = ops.post(f"{API}/{oid}/complete", json={"note": "seal replaced"}).json()
    assert done["state"] == "done" and done["done_at"] and done["assignee"] == "Li Wei"
    assert [n["state"] for n in done["notes"]] == ["open", "assigned", "in_progress", "done"]
    assert done["notes"][-1]["note"] == "seal replaced" and done["notes"][0]["by"]
    seen = public.get(f"{API}/{oid}").json()
    assert seen["state"] == "done" and seen["assignee"] is None and seen["notes"] is None
    # time travel: before it opened there was no such order; at 5 h (not started) it was late
    before = public.get(f"{API}/{oid}", params={"at": (opened - timedelta(hours=1)).isoformat()})
    assert before.status_code == 404
    late = ops.get(API, params={"overdue": "true", "at": (opened + timedelta(hours=5)).isoformat()})
    assert oid not in [o["id"] for o in late.json()["work_orders"]]  # done before then


def test_an_impossible_step_is_a_409_naming_the_state_and_writes_nothing(ops):
    oid = open_order(ops)["id"]
    refused = ops.post(f"{API}/{oid}/complete", json={"note": "skip ahead"})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["state"] == "open" and problem["action"] == "complete"
    assert "is open" in problem["detail"]
    after = ops.get(f"{API}/{oid}").json()
    assert after["state"] == "open" and len(after["notes"]) == 1
    ops.post(f"{API}/{oid}/cancel", json={"note": "duplicate"})
    again = ops.post(f"{API}/{oid}/start", json={})
    assert again.status_code == 409 and again.json()["state"] == "cancelled"
    assert ops.post(f"{API}/wo-none/start", json={}).status_code == 404


def test_a_corrective_order_may_answer_an_alert_that_was_raised(ops):
    unknown = ops.post(API, json={"facility": "feed-b", "kind": "corrective", "priority": "P1",
                                  "title": "x", "alert": "feed-down:feed-b"})  # fmt: skip
    assert unknown.status_code == 422 and "feed-down:feed-b" in unknown.json()["detail"]
    when = (NOW - timedelta(hours=20)).isoformat()
    fault = [{"facility": "feed-b", "status": "fault", "observed_at": when}]
    assert ops.post("/api/v1/facilities/readings", json={"readings": fault}).status_code == 200
    order = open_order(ops, facility="feed-b", alert="feed-down:feed-b", title="Feed B trip")
    assert order["alert"] == "feed-down:feed-b"
    back = [{"facility": "feed-b", "status": "operational", "observed_at": NOW.isoformat()}]
    assert ops.post("/api/v1/facilities/readings", json={"readings": back}).status_code == 200


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"state": "finished"}, 422),
        ({"priority": "P9"}, 422),
        ({"overdue": "maybe"}, 422),
        ({"facility": "nowhere"}, 404),
        ({"colour": "red"}, 400),
        ({"at": "yesterday"}, 422),
    ],
)
def test_unknown_filter_values_are_refused(public, params, status):
    assert public.get(API, params=params).status_code == status


def test_filters_select_by_state_facility_priority_and_overdue_at_an_instant(ops):
    oid = open_order(ops, facility="dc/hall-3", priority="P4", title="Label rack row 3")["id"]
    later = (NOW + timedelta(hours=80)).isoformat()  # P4: 72 h to start

    def ids(**params):
        answer = ops.get(API, params=params)
        assert answer.status_code == 200, answer.text
        return {o["id"] for o in answer.json()["work_orders"]}

    assert oid in ids(facility="dc/hall-3", priority="P4", state="open")
    assert oid not in ids(priority="P1") and oid not in ids(state="done")
    assert oid not in ids(overdue="true") and oid in ids(overdue="false")
    assert oid in ids(overdue="true", at=later)
    found = ops.get(f"{API}/{oid}", params={"at": later}).json()
    assert found["overdue"] == "start"


def test_a_maintenance_window_holds_the_feed_and_its_halls_only_while_it_lasts(ops, public):
    start, end = NOW + timedelta(hours=2), NOW + timedelta(hours=4)
    order = open_order(ops, facility="feed-a", kind="planned", priority="P2",
                       title="Feed A switchgear service", planned_start=start.isoformat(),
                       window_end=end.isoformat())  # fmt: skip
    assert order["finish_due"] == end.astimezone(datetime.fromisoformat(
        order["finish_due"]).tzinfo).isoformat()  # fmt: skip

    def facts(at):
        listed = public.get("/api/v1/facilities", params={"at": at.isoformat()}).json()
        by_id = {f["id"]: f for f in listed["facilities"]}
        impact = ops.get("/api/v1/facilities/redundancy",
                         params={"failed": "feed-b", "at": at.isoformat()}).json()  # fmt: skip
        return by_id, impact

    for outside in (start - timedelta(minutes=5), end + timedelta(minutes=5)):
        by_id, impact = facts(outside)
        assert by_id["feed-a"]["status"] == "operational", outside
        assert by_id["dc/hall-1"]["effective_status"] == "operational"
        assert "dc/hall-1" in impact["halls_losing_redundancy"]
        assert "dc/hall-1" not in impact["halls_losing_power"]
    inside = start + timedelta(hours=1)
    by_id, impact = facts(inside)
    assert by_id["feed-a"]["status"] == "maintenance"
    assert by_id["dc/hall-1"]["effective_status"] == "lost_redundancy"
    hall = next(h for h in impact["halls"] if h["hall"] == "dc/hall-1")
    assert hall["before"] == "N" and "dc/hall-1" in impact["halls_losing_power"]
    listed = public.get(API, params={"at": inside.isoformat(), "facility": "feed-a"}).json()
    assert [o["in_maintenance_window"] for o in listed["work_orders"]] == [True]


def test_a_retry_under_one_key_opens_one_order_and_an_empty_key_is_no_key(ops):
    body = {"facility": "dc/hall-4", "kind": "corrective", "priority": "P3", "title": "Retry"}
    first = ops.post(API, json=body, headers={"Idempotency-Key": "retry-1"})
    again = ops.post(API, json=body, headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    empty = ops.post(API, json=body, headers={"Idempotency-Key": ""})
    assert empty.status_code == 201 and empty.json()["id"] != first.json()["id"]
