"""Hostile input to every parameter and body of every operation of both OpenAPI documents
(/openapi.json and /ogc/api), anonymously and with an admin token: never a 5xx, never a
dropped connection. Plus one test per reported finding (issue #15, part 4)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
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
    json.dumps("a" * 100_000),
    str(2**63),
    str(10**23),
    str(-(10**23)),
    '"2031-02-30"',
    "1e400",
    "[" * 100_000,
]
"""JSON texts put in place of each part of a body."""
TEXT_VALUES = ['"\\ud800"', '"a\\udfffb"', '"\\u0000"', '"a\\u0000b"']
"""Text no answer can carry: lone surrogates (no UTF-8 for them) and NUL."""
DEEP = "[" * 100_000
HUGE_BODY = 54 * 1024 * 1024
CHUNK = b"[" * 65_536
BODY_METHODS = ("post", "put", "patch")


def _start(workdir: Path) -> tuple[LiveTwin, str]:
    """A writable server without the anonymous rate limit in ``workdir``, and an admin token."""
    db = workdir / "twin.db"
    live = start_twin(workdir, "--db", str(db), env={"TWIN_ANON_RATE": "0"})
    with open_store(f"sqlite:///{db}") as store:
        return live, TokenStore(store.engine).create("admin", "hostile-sweep")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveTwin, str]]:
    """A server of this module's own: the sweep writes to it."""
    live, token = _start(tmp_path_factory.mktemp("hostile"))
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


def _example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """A plausible value of ``schema``: its example, default or first choice, else by type."""
    if "$ref" in schema:
        return _example(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        choices = [c for c in schema.get(key, []) if c.get("type") != "null"]
        if choices:
            return _example(choices[0], schemas)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: _example(v, schemas) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema.get("items", {}), schemas)]
    formats = {"date": "2026-01-01", "date-time": "2026-01-15T18:00:00+08:00"}
    scalars = {"integer": 1, "number": 1.5, "boolean": False, "string": "x"}
    return formats.get(schema.get("format", ""), scalars.get(kind, "x"))


def _body_example(operation: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """A plausible JSON body of the operation (its documented example where it has one)."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    if "example" in content:
        return content["example"]
    return _example(content.get("schema", {}), schemas)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every field, item and scalar inside ``value`` (not ``value`` itself)."""
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield (*path, key)
            yield from _leaves(child, (*path, key))


def _replaced(value: Any, path: tuple[Any, ...], text: str) -> str:
    """``value`` as JSON with the part at ``path`` replaced by the JSON text ``text``."""
    marker = "\x01hostile\x01"
    copy = json.loads(json.dumps(value))
    holder = copy
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = marker
    return json.dumps(copy).replace(json.dumps(marker), text)


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


def _body_requests(
    operations: list[Any], schemas: dict[str, Any], values: list[str], whole: bool = True
) -> Iterator[Request]:
    """Each JSON text of ``values`` in place of each part of a plausible body of each write
    and, with ``whole``, hostile bodies as a whole."""
    for method, path, operation, params in operations:
        if method not in BODY_METHODS:
            continue
        example = _body_example(operation, schemas)
        whole_bodies: list[str | bytes] = [
            DEEP,
            '{"readings":' + DEEP,
            '"\\ud800"',
            "\x00",
            b"\xff{",
        ]
        bodies = whole_bodies if whole else []
        bodies += [_replaced(example, part, v) for part in _leaves(example) for v in values]
        for body in bodies:
            yield f"body {str(body)[:60]!r}", method, _url(path, params, None), {"content": body}


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
    requests = [*_parameter_requests(operations), *_body_requests(operations, schemas, BODY_VALUES)]
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
                upload = path == "/api/v1/construction/evidence" and not auth and what == "chunked"
                wanted = 401 if upload else 413  # an anonymous upload: refused before any byte
                if got is not None and got.status_code != wanted:
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


@pytest.mark.slow
def test_text_no_answer_can_carry_is_refused_by_every_write_or_read_back_without_a_500(tmp_path):
    """Lone surrogates and NUL in each part of each body (admin), then every read (admin and
    anonymous): stored text must not break the answers that show it."""
    live, token = _start(tmp_path)
    try:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            operations = _operations(client)
            schemas = client.get("/openapi.json").json().get("components", {}).get("schemas", {})
        writes = list(_body_requests(operations, schemas, TEXT_VALUES, whole=False))
        reads = [_url(path, ps, None) for method, path, _, ps in operations if method == "get"]
        admin = {"Authorization": f"Bearer {token}"}
        failures = _sweep(live.url, admin, writes, reads) + _sweep(live.url, {}, [], reads)
    finally:
        stop_twin(live)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])


def test_after_a_crash_a_keep_alive_client_carries_on(tmp_path):
    """The server closes its side after a 500: the answer says so (Connection: close), so the
    client's next request goes on a new connection instead of meeting a reset one."""
    live, _ = _start(tmp_path)
    try:
        with sqlite3.connect(tmp_path / "twin.db") as db:  # a real fault: the tokens table is gone
            db.execute("DROP TABLE tokens")
        with httpx.Client(base_url=live.url, timeout=30) as client:
            for _ in range(3):
                crashed = client.get(
                    "/api/v1/leasing/tenants", headers={"Authorization": "Bearer twin_x"}
                )
                assert crashed.status_code == 500
                assert crashed.headers["connection"] == "close"
                assert client.get("/health").status_code == 200
    finally:
        stop_twin(live)
