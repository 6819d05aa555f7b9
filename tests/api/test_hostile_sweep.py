"""Hostile input to every parameter and body of every operation of both OpenAPI documents
(/openapi.json and /ogc/api), anonymously and with an admin token: never a 5xx, never a
dropped connection. Plus one test per reported finding (issue #15, part 4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from live_server import LiveTwin, start_twin, stop_twin

from twin.auth import TokenStore
from twin.eventlog import open_store

HUGE = ["9223372036854775808", "99999999999999999999999", "-99999999999999999999999"]
"""2**63 (one past SQLite's and C's largest integer) and ±10**23."""
QUERY_VALUES = [
    *HUGE,
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "%00",
    "a" * 60_000,  # httpx sends URLs up to 64 KiB; headers and bodies get 100 kB
    "2031-02-30",
    "",
    "nan",
    "1e400",
    "-1",
]
"""Values as they go into a URL (already percent-encoded)."""
HEADER_VALUES: list[str | bytes] = [*HUGE, "a" * 100_000, "2031-02-30", "", "-1", b"\xed\xa0\x80"]
BODY_VALUES = [
    '"\\ud800"',
    '"\\u0000"',
    json.dumps("a" * 100_000),
    str(2**63),
    str(10**23),
    str(-(10**23)),
    '"2031-02-30"',
    "1e400",
    "[" * 100_000,
]
"""JSON texts put in place of each top-level field of a body."""
DEEP = "[" * 100_000
HUGE_BODY = 54 * 1024 * 1024
CHUNK = b"[" * 65_536
BODY_METHODS = ("post", "put", "patch")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveTwin, str]]:
    """A writable server of its own without the anonymous rate limit, and an admin token."""
    workdir = tmp_path_factory.mktemp("hostile")
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        token = TokenStore(store.engine).create("admin", "hostile-sweep")
    yield live, token
    stop_twin(live)


@pytest.fixture(scope="module")
def client(hostile_server: tuple[LiveTwin, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hostile_server[0].url, timeout=60) as c:
        yield c


def _operations(client: httpx.Client) -> list[tuple[str, str, dict[str, Any], list[Any]]]:
    """(method, path, operation, parameters) of every operation of both documents, once."""
    seen: dict[tuple[str, str], tuple[str, str, dict[str, Any], list[Any]]] = {}
    for document in ("/openapi.json", "/ogc/api"):
        spec = client.get(document).json()
        for path, item in spec["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method == "parameters":
                    continue
                params = [_resolved(spec, p) for p in [*shared, *operation.get("parameters", [])]]
                seen.setdefault((method, path), (method, path, operation, params))
    return list(seen.values())


def _resolved(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with a top-level ``$ref`` to this document followed."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _benign(param: dict[str, Any]) -> str:
    """A plausible value for a path parameter (an example, else by type)."""
    schema = param.get("schema", {})
    if "example" in param:
        return str(param["example"])
    if schema.get("type") == "integer":
        return "1"
    return {"fmt": "svg", "collection_id": "buildings"}.get(param["name"], "fish-head")


def _url(path: str, params: list[dict[str, Any]], override: tuple[str, str] | None) -> str:
    """``path`` with its path parameters filled (``override`` = (name, raw value) for one)."""
    url = path
    for p in params:
        if p["in"] == "path":
            raw = override[1] if override and override[0] == p["name"] else quote(_benign(p))
            url = url.replace("{" + p["name"] + "}", raw)
    return url


def _body_fields(operation: dict[str, Any], spec_bodies: dict[str, Any]) -> dict[str, Any]:
    """A minimal JSON object for the operation's body: its example, else its schema's fields."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    if isinstance(content.get("example"), dict):
        return dict(content["example"])
    schema = content.get("schema", {})
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    schema = spec_bodies.get(ref, schema)
    return {name: "x" for name in schema.get("properties", {})}


def _send(
    client: httpx.Client, failures: list[str], what: str, method: str, url: str, **kwargs: Any
) -> httpx.Response | None:
    """Send one request; record a 5xx or a dropped connection in ``failures``."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TransportError as exc:
        failures.append(f"{what}: {method.upper()} {url[:120]} dropped: {exc!r}")
        return None
    if response.status_code >= 500:
        failures.append(f"{what}: {method.upper()} {url[:120]} -> {response.status_code}")
    return response


def _streamed(size: int) -> Iterator[bytes]:
    """``size`` bytes of ``[`` in chunks, never held at once."""
    sent = 0
    while sent < size:
        piece = CHUNK[: min(len(CHUNK), size - sent)]
        sent += len(piece)
        yield piece


Request = tuple[str, str, str, dict[str, Any]]
"""(what is hostile, method, url, keyword arguments of httpx.Client.request)."""


def _parameter_requests(operations: list[Any]) -> Iterator[Request]:
    """Each hostile value in each query, path and header parameter of each operation."""
    for method, path, _, params in operations:
        for p in params:
            where = p["in"]
            for value in HEADER_VALUES if where == "header" else QUERY_VALUES:
                what = f"{where} {p['name']}={str(value)[:30]!r}"
                if where == "query":
                    yield what, method, f"{_url(path, params, None)}?{p['name']}={value}", {}
                elif where == "path":
                    yield what, method, _url(path, params, (p["name"], str(value))), {}
                elif where == "header":
                    url = _url(path, params, None)
                    yield what, method, url, {"headers": {p["name"]: value}}


def _body_requests(operations: list[Any], schemas: dict[str, Any]) -> Iterator[Request]:
    """Hostile JSON bodies, and each hostile value in each field of a body, to each write."""
    for method, path, operation, params in operations:
        if method not in BODY_METHODS:
            continue
        fields = _body_fields(operation, schemas)
        bodies: list[str | bytes] = [DEEP, '{"readings":' + DEEP, '"\\ud800"', "\x00", b"\xff{"]
        for name in fields:
            rest = json.dumps({k: v for k, v in fields.items() if k != name})[:-1]
            bodies += [f'{rest}{", " if len(rest) > 1 else ""}"{name}": {v}}}' for v in BODY_VALUES]
        for body in bodies:
            yield f"body {str(body)[:40]!r}", method, _url(path, params, None), {"content": body}


def _sweep(url: str, auth: dict[str, str], requests: list[Request], reads: list[str]) -> list[str]:
    """Send ``requests`` on one keep-alive connection, then GET ``reads`` (what the writes
    stored, read back); the failures."""
    failures: list[str] = []
    who = "admin" if auth else "anonymous"
    with httpx.Client(base_url=url, timeout=60) as client:
        for what, method, target, kwargs in requests:
            headers = {**auth, "Content-Type": "application/json", **kwargs.get("headers", {})}
            content = kwargs.get("content")
            _send(
                client, failures, f"{who} {what}", method, target, headers=headers, content=content
            )
        for target in reads:
            _send(client, failures, f"{who} read-back", "get", target, headers=auth)
    return failures


@pytest.mark.slow
def test_no_hostile_value_to_any_parameter_or_body_is_a_500(client, hostile_server):
    live, token = hostile_server
    schemas = client.get("/openapi.json").json().get("components", {}).get("schemas", {})
    operations = _operations(client)
    assert len(operations) > 50
    requests = [*_parameter_requests(operations), *_body_requests(operations, schemas)]
    reads = [_url(path, params, None) for method, path, _, params in operations if method == "get"]
    roles = ({}, {"Authorization": f"Bearer {token}"})
    with ThreadPoolExecutor(len(roles)) as pool:  # anonymous and admin at once
        found = pool.map(lambda auth: _sweep(live.url, auth, requests, reads), roles)
        failures = [failure for each in found for failure in each]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])


def test_a_54_mb_body_is_413_at_every_writing_endpoint(client, hostile_server):
    token = hostile_server[1]
    failures: list[str] = []
    writes = [(m, path, ps) for m, path, _, ps in _operations(client) if m in BODY_METHODS]
    assert writes
    for auth in ({}, {"Authorization": f"Bearer {token}"}):
        for method, path, params in writes:
            url = _url(path, params, None)
            headers = {**auth, "Content-Type": "application/json"}
            declared = {**headers, "Content-Length": str(HUGE_BODY)}
            for what, extra in (("declared", declared), ("chunked", headers)):
                got = _send(
                    client, failures, what, method, url, content=_streamed(HUGE_BODY), headers=extra
                )
                if got is not None and got.status_code != 413:
                    failures.append(f"{what}: {method.upper()} {url} -> {got.status_code}")
    assert not failures, "\n".join(failures)


# --- the findings of issue #15, part 4, one by one --------------------------------------------
def test_a_huge_offset_is_a_422_naming_it_and_keeps_the_connection(client):
    response = client.get("/api/v1/leasing/availability?offset=99999999999999999999999")
    assert response.status_code == 422
    assert "offset" in response.json()["detail"]
    assert client.get("/health").status_code == 200  # the same keep-alive connection


def test_a_last_event_id_beyond_int64_is_a_422_naming_it(client):
    response = client.get(
        "/api/v1/facilities/stream", headers={"Last-Event-ID": "9223372036854775808"}
    )
    assert response.status_code == 422
    assert "last-event-id" in response.json()["detail"].lower()


def test_deeply_nested_readings_are_refused_naming_the_depth_limit(client, hostile_server):
    auth = {"Authorization": f"Bearer {hostile_server[1]}", "Content-Type": "application/json"}
    response = client.post(
        "/api/v1/facilities/readings", content='{"readings":' + DEEP, headers=auth
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "nest" in response.json()["detail"]


def test_a_54_mb_reading_batch_is_413(client, hostile_server):
    auth = {"Authorization": f"Bearer {hostile_server[1]}", "Content-Type": "application/json"}
    response = client.post(
        "/api/v1/facilities/readings", content=_streamed(HUGE_BODY), headers=auth
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def _integer_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The integer schemas in ``schema`` (itself or its anyOf/oneOf alternatives)."""
    found = [schema] if schema.get("type") == "integer" else []
    for alternatives in (schema.get("anyOf", []), schema.get("oneOf", [])):
        for alternative in alternatives:
            found += _integer_schemas(alternative)
    return found


def test_every_integer_parameter_and_header_declares_its_range(client):
    unbounded = [
        f"{method.upper()} {path} {p['in']} {p['name']}"
        for method, path, _, params in _operations(client)
        for p in params
        for schema in _integer_schemas(p.get("schema", {}))
        if "minimum" not in schema or "maximum" not in schema
    ]
    assert not unbounded
