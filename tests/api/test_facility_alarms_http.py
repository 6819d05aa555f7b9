"""Alarms over a real HTTP server: the list and its filters, the operators' steps, refusals
(problem+json, nothing recorded), the SSE stream carrying each step, the sweep in `twin serve`."""

from __future__ import annotations

import queue
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from live_server import start_twin, stop_twin
from test_facilities_http import _collect, _listen

from assets.facilities.alarms import CLOCK
from twin.auth import ROLES, TokenStore
from twin.eventlog import open_store

BASE = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
ALARMS = "/api/v1/facilities/alarms"


def at(minutes: float) -> str:
    return (BASE + timedelta(minutes=minutes)).isoformat()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("alarms")
    db = workdir / "twin.db"
    env = {"TWIN_ANON_RATE": "0", "TWIN_ALARM_SWEEP_INTERVAL": "0.5"}
    live = start_twin(workdir, "--db", str(db), env=env)
    with open_store(f"sqlite:///{db}") as store:
        tokens = {role: TokenStore(store.engine).create(role, f"al-{role}") for role in ROLES}
    yield live, tokens, db
    stop_twin(live)


def client(server, role):
    live, tokens, _ = server
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role != "public" else {}
    return httpx.Client(base_url=live.url, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def ops(server):
    with client(server, "operations") as c:
        yield c


def post(c, readings):
    r = c.post("/api/v1/facilities/readings", json={"readings": readings})
    assert r.status_code == 200, r.text


def feed(status, minutes, name="feed-a"):
    return {"facility": name, "status": status, "observed_at": at(minutes)}


def recorded(server) -> int:
    """Events recorded by anyone but the clock (whose sweep runs meanwhile)."""
    with open_store(f"sqlite:///{server[2]}") as store:
        return sum(e.actor != CLOCK for e in store.read(limit=None))


def wait_for(check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := check()) is not None:
            return found
        time.sleep(0.2)
    raise AssertionError("not seen in time")


def the_alarm(ops, key, state=None):
    """The newest alarm of ``key`` (in ``state``), or None."""
    params = {"state": state} if state else {}
    found = [a for a in ops.get(ALARMS, params=params).json()["alarms"] if a["key"] == key]
    return found[0] if found else None


def test_the_lifecycle_over_http_and_the_sweep_of_twin_serve(server, ops):
    post(ops, [feed("operational", 0), feed("fault", 1)])
    alarm = wait_for(lambda: the_alarm(ops, "feed-down:feed-a"))
    path = f"{ALARMS}/{alarm['id']}"
    assert alarm["raised_at"].endswith("+08:00") and alarm["severity"] == "critical"
    # critical escalates every 5 min unacknowledged: raised 2 h ago, the sweep has run
    escalated = wait_for(lambda: ((a := ops.get(path).json())["escalation"] == 3 and a) or None)
    assert escalated["state"] == "active" and escalated["escalated_at"]
    body = ops.post(f"{path}/acknowledge", json={"comment": "crew sent"}).json()
    assert body["state"] == "acknowledged"
    assert body["acknowledged"]["by"] == "al-operations"
    assert body["acknowledged"]["comment"] == "crew sent"
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    body = ops.post(f"{path}/shelve", json={"until": until, "comment": "works"}).json()
    assert body["state"] == "shelved" and body["shelved"]["until"].endswith("+08:00")
    listed = ops.get(ALARMS, params={"state": "shelved", "facility": "feed-a"}).json()
    assert [a["id"] for a in listed["alarms"]] == [alarm["id"]]
    assert ops.post(f"{path}/unshelve").json()["state"] == "acknowledged"
    post(ops, [feed("operational", 100)])
    cleared = ops.get(path).json()
    assert cleared["state"] == "cleared"
    assert datetime.fromisoformat(cleared["cleared_at"]) == BASE + timedelta(minutes=100)
    before = ops.get(path, params={"at": at(50)}).json()
    assert before["state"] == "active" and before["acknowledged"] is None
    alerts = ops.get("/api/v1/facilities/alerts").json()
    assert "feed-down:feed-a" not in {a["key"] for a in alerts["active"]}


@pytest.mark.parametrize(
    ("method", "suffix", "body", "status", "words"),
    [
        ("post", "/acknowledge", {}, 409, "cleared at"),
        ("post", "/shelve", {"until": "2030-01-01T00:00:00+08:00"}, 409, "nothing to shelve"),
        ("post", "/unshelve", None, 409, "nothing to unshelve"),
    ],
)
def test_a_cleared_alarm_refuses_every_step_recording_nothing(
    server, ops, method, suffix, body, status, words
):
    post(ops, [feed("operational", 0, "feed-b"), feed("fault", 1, "feed-b")])
    post(ops, [feed("operational", 2, "feed-b")])
    alarm = wait_for(lambda: the_alarm(ops, "feed-down:feed-b"))
    before = recorded(server)
    r = getattr(ops, method)(f"{ALARMS}/{alarm['id']}{suffix}", json=body)
    assert r.status_code == status and r.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert words in r.json()["detail"] and r.json()["alarm"] == alarm["id"]
    assert recorded(server) == before


def test_refusals_name_what_was_wrong(server, ops):
    before = recorded(server)
    # as everywhere: a value outside the documented set is a 422 naming it, an unknown id in
    # a filter a 404 naming it (an empty one too: schemathesis sent facility=)
    r = ops.get(ALARMS, params={"state": ["active", "open"], "severity": "fatal"})
    assert r.status_code == 422 and "'open'" in r.json()["detail"]
    for unknown in ("nowhere", ""):
        r = ops.get(ALARMS, params={"facility": unknown})
        assert r.status_code == 404 and f"{unknown!r}" in r.json()["detail"]
    r = ops.get(ALARMS, params={"colour": "red"})
    assert r.status_code == 400
    r = ops.post(f"{ALARMS}/feed-down:feed-z@20260101T000000Z/acknowledge", json={})
    assert r.status_code == 404 and "feed-down:feed-z@20260101T000000Z" in r.json()["detail"]
    post(ops, [feed("operational", 0, "feed-a"), feed("fault", 110, "feed-a")])
    alarm = wait_for(lambda: the_alarm(ops, "feed-down:feed-a", "active"))
    before = recorded(server)
    r = ops.post(f"{ALARMS}/{alarm['id']}/shelve", json={"until": at(0)})
    assert r.status_code == 422 and "must be after now" in r.json()["detail"]
    r = ops.post(f"{ALARMS}/{alarm['id']}/shelve", json={"until": "2026-12-04T16:00:00"})
    assert r.status_code == 422 and "until" in r.json()["detail"]
    with client(server, "public") as public:
        assert public.get(ALARMS).status_code == 401
        assert public.post(f"{ALARMS}/{alarm['id']}/acknowledge", json={}).status_code == 401
    with client(server, "leasing") as leasing:
        assert leasing.post(f"{ALARMS}/{alarm['id']}/acknowledge", json={}).status_code == 403
    assert recorded(server) == before


def test_each_step_arrives_on_the_sse_stream(server, ops):
    live, tokens, _ = server
    url = f"{live.url}/api/v1/facilities/stream?max_seconds=12"
    into, ready = queue.Queue(), threading.Event()
    headers = {"Authorization": f"Bearer {tokens['operations']}"}
    threading.Thread(target=_listen, args=(url, headers, into, ready), daemon=True).start()
    assert ready.wait(10)
    post(ops, [feed("operational", 115, "feed-b"), feed("fault", 116, "feed-b")])
    alarm = wait_for(lambda: the_alarm(ops, "feed-down:feed-b", "active"))
    ops.post(f"{ALARMS}/{alarm['id']}/acknowledge", json={"comment": "seen"})
    got = _collect(into, lambda seen: False, seconds=5)
    steps = [(d["step"], d["alarm"]) for e, d in got if e == "alarm"]
    assert ("raised", alarm["id"]) in steps and ("acknowledged", alarm["id"]) in steps
    ack = next(d for e, d in got if e == "alarm" and d["step"] == "acknowledged")
    assert ack["state"]["state"] == "acknowledged" and ack["state"]["acknowledged"]["by"]


@pytest.mark.parametrize("step", ["acknowledge", "shelve", "unshelve"])
def test_a_step_s_path_advertises_only_post(ops, step):
    """An alarm id holds slashes (a `:path` parameter), so the one-alarm GET also matches
    `…/{alarm_id}/acknowledge`; the 405's Allow names the most specific route's methods."""
    path = f"/api/v1/facilities/alarms/feed-down:feed-a@20260105T020000Z/{step}"
    for method in ("OPTIONS", "GET", "DELETE"):  # none of them is the one-alarm GET
        answer = ops.request(method, path)
        assert answer.status_code == 405 and answer.headers["allow"] == "POST", method
        assert "use POST" in answer.json()["detail"]
