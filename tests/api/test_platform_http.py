"""HTTP platform: request ids, problem+json for every error, limits, readiness and metrics."""

import re
import sqlite3

import httpx
import pytest
from live_server import start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

_peers = iter(range(2, 250))


def from_new_peer(live) -> httpx.Client:
    """A client connecting from a loopback address of its own (127.0.0.x): its own bucket."""
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{next(_peers)}")
    return httpx.Client(base_url=live.url, timeout=30, transport=transport)


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


def test_anonymous_clients_are_rate_limited_and_token_holders_have_their_own_bucket(tmp_path):
    live = start_twin(
        tmp_path,
        "--db",
        str(tmp_path / "t.db"),
        env={"TWIN_ANON_RATE": "1", "TWIN_ANON_BURST": "3"},
    )
    try:
        with from_new_peer(live) as client:
            codes = [client.get("/api/v1/campus").status_code for _ in range(6)]
            assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
            limited = client.get("/api/v1/campus")
            assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
            assert limited.headers["content-type"] == "application/problem+json"
            with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
                token = TokenStore(store.engine).create("leasing", "agent")
            staff = {"Authorization": f"Bearer {token}"}
            codes = [client.get("/api/v1/campus", headers=staff).status_code for _ in range(6)]
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
            token = TokenStore(store.engine).create("operations", "board")
        for header, status in ((f"Bearer {token}", 200), ("Bearer twin_revoked", 401)):
            answer = httpx.get(f"{live.url}/api/v1/campus", headers={"Authorization": header})
            assert answer.status_code == status  # verified before the endpoint, on each database
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


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A server allowing 1 request a second (bursts of 3) per client, 2 (bursts of 5) per token."""
    workdir = tmp_path_factory.mktemp("limited")
    env = {"TWIN_ANON_RATE": "1", "TWIN_ANON_BURST": "3"}
    env |= {"TWIN_TOKEN_RATE": "1", "TWIN_TOKEN_BURST": "5"}
    live = start_twin(workdir, "--db", str(workdir / "t.db"), env=env)
    yield live, workdir / "t.db"
    stop_twin(live)


@pytest.mark.parametrize("header", ["x", "Bearer twin_invented", "Basic dXNlcjpwdw=="])
def test_an_invalid_token_is_a_401_and_no_way_around_the_limit(limited, header):
    live, _ = limited
    with from_new_peer(live) as client:
        codes = {
            client.get(
                "/ogc/collections/units/items",
                params={"limit": 1},
                headers={"Authorization": header},
            ).status_code
            for _ in range(30)
        }
    assert 200 not in codes and 401 in codes and codes <= {401, 429}
    with from_new_peer(live) as client:
        refused = client.get("/api/v1/campus", headers={"Authorization": header})
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["www-authenticate"].startswith("Bearer")


def test_a_token_has_its_own_bucket(limited):
    live, db = limited
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("operations", "dashboard")
    staff = {"Authorization": f"Bearer {token}"}
    with from_new_peer(live) as client:
        codes = [client.get("/api/v1/campus", headers=staff).status_code for _ in range(10)]
    assert codes[:5] == [200] * 5 and 429 in codes[5:]


def test_a_spoofed_forwarded_for_is_bucketed_by_the_real_peer(limited):
    live, _ = limited
    with from_new_peer(live) as client:
        codes = [
            client.get("/api/v1/campus", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(10)
        ]
    assert 429 in codes


@pytest.mark.parametrize("path", ["/health", "/ready", "/metrics"])
def test_probes_are_cheap_but_not_a_way_around_the_limit(limited, path):
    live, _ = limited
    with from_new_peer(live) as client:
        codes = [client.get(path).status_code for _ in range(10)]
    assert codes[0] == 200 and 429 in codes


def test_forwarded_for_is_trusted_from_a_configured_proxy(tmp_path):
    env = {"TWIN_ANON_RATE": "1", "TWIN_ANON_BURST": "1", "TWIN_TRUSTED_PROXIES": "127.0.0.1"}
    live = start_twin(tmp_path, "--db", str(tmp_path / "t.db"), env=env)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            codes = [
                client.get("/api/v1/campus", headers={"X-Forwarded-For": f"203.0.113.{i}"})
                for i in range(6)
            ]
        assert [c.status_code for c in codes] == [200] * 6  # six clients behind the proxy
        with from_new_peer(live) as client:  # not the proxy: its own header is not believed
            codes = [
                client.get("/api/v1/campus", headers={"X-Forwarded-For": f"198.51.100.{i}"})
                for i in range(6)
            ]
        assert 429 in [c.status_code for c in codes]
    finally:
        stop_twin(live)


def test_invented_methods_do_not_grow_the_metrics(tmp_path):
    live = start_twin(tmp_path, "--db", str(tmp_path / "t.db"), env={"TWIN_ANON_RATE": "0"})
    try:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            before = len(client.get("/metrics").content)
            for i in range(200):
                assert client.request(f"INVENTED{i}", "/health").status_code == 405
            text = client.get("/metrics").text
        assert len(text) < before + 20_000
        methods = set(re.findall(r'twin_http_requests_total\{method="([^"]+)"', text))
        assert methods == {"GET", "OTHER"}
    finally:
        stop_twin(live)


CSP_NEEDS = ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/campus", "/ogc", "/ogc/collections", "/api/v1/nothing", "/health"]
)
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = headers["content-security-policy"]
    assert all(need in policy for need in CSP_NEEDS), policy
    assert "unsafe-inline" not in policy.split("style-src")[0] and "unsafe-eval" not in policy


def test_the_api_docs_keep_working_under_their_own_policy(client):
    headers = client.get("/docs").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
