"""HTTP platform: request ids, problem+json for every error, limits, readiness and metrics."""

import sqlite3

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store


@pytest.fixture(scope="module")
def client(live_twin):
    with httpx.Client(base_url=live_twin.url, timeout=60) as c:
        yield c


def test_request_id_is_echoed_and_put_in_problems(client):
    response = client.get("/api/v1/nothing", headers={"X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    assert response.json()["request_id"] == "trace-42"
    made = client.get("/health").headers["x-request-id"]
    assert len(made) == 32


def test_wrong_method_is_a_problem_json_405(client):
    response = client.delete("/api/v1/campus")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_an_oversized_body_is_refused_with_413_before_any_work(client):
    response = client.post("/api/v1/campus", content=b"x" * 2_000_000)
    assert response.status_code == 413
    assert "over the limit" in response.json()["detail"]


def test_ready_and_metrics(client):
    assert client.get("/ready").status_code == 200
    client.get("/api/v1/campus")
    text = client.get("/metrics").text
    assert 'twin_http_requests_total{method="GET",route="/api/v1/campus",status="200"}' in text
    assert "twin_http_request_seconds_bucket" in text
    head = next(line for line in text.splitlines() if line.startswith("twin_eventlog_head "))
    assert float(head.split()[1]) > 200
    assert "twin_projection_lag_events 0.0" in text


def test_anonymous_clients_are_rate_limited_but_token_holders_are_not(tmp_path):
    live = start_twin(
        tmp_path,
        "--db",
        str(tmp_path / "t.db"),
        env={"TWIN_ANON_RATE": "1", "TWIN_ANON_BURST": "3"},
    )
    try:
        codes = [httpx.get(f"{live.url}/api/v1/campus", timeout=30).status_code for _ in range(6)]
        assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
        limited = httpx.get(f"{live.url}/api/v1/campus", timeout=30)
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.headers["content-type"] == "application/problem+json"
        with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
            token = TokenStore(store.engine).create("leasing", "agent")
        staff = {"Authorization": f"Bearer {token}"}
        codes = [
            httpx.get(f"{live.url}/api/v1/campus", headers=staff, timeout=30).status_code
            for _ in range(6)
        ]
        assert codes == [200] * 6
    finally:
        stop_twin(live)


def test_several_workers_share_one_database(database_url, tmp_path):
    live = start_twin(tmp_path, "--db", database_url, "--workers", "2")
    try:
        answers = {
            httpx.get(f"{live.url}/api/v1/campus", timeout=30).status_code for _ in range(10)
        }
        assert answers == {200}
        with open_store(database_url) as store:
            assert len(store.read(stream="campus", limit=None)) == 10  # genesis loaded once
    finally:
        stop_twin(live)


def test_a_crash_is_a_500_problem_carrying_the_request_id(tmp_path):
    live = start_twin(tmp_path, "--db", str(tmp_path / "t.db"))
    try:
        with sqlite3.connect(tmp_path / "t.db") as db:  # a real fault: the tokens table is gone
            db.execute("DROP TABLE tokens")
        crashed = httpx.get(
            f"{live.url}/api/v1/leasing/tenants",  # staff only: the token is looked up
            headers={"Authorization": "Bearer twin_x", "X-Request-ID": "crash-7"},
            timeout=30,
        )
        assert crashed.status_code == 500
        assert crashed.headers["content-type"] == "application/problem+json"
        assert crashed.headers["x-request-id"] == "crash-7"
        body = crashed.json()
        assert body["request_id"] == "crash-7"
        assert body["detail"] == "internal error: the request was not completed"
        assert "tokens" not in crashed.text  # no trace or SQL reaches the client
    finally:
        stop_twin(live)
