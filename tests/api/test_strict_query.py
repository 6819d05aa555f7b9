"""Every ``/api/v1`` operation refuses a query parameter it does not declare, against a real
`twin serve`: a misspelt filter must never answer 200 with everything."""

from __future__ import annotations

import re

import httpx
import pytest

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def client(live_twin, live_tokens):
    headers = {"Authorization": f"Bearer {live_tokens['admin']}"}  # no anonymous rate limit
    with httpx.Client(base_url=live_twin.url, headers=headers, timeout=60) as c:
        yield c


def _operations(client: httpx.Client) -> list[tuple[str, str, list[str]]]:
    """(method, path with every ``{parameter}`` filled, declared query names) of /api/v1."""
    document = client.get("/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method in METHODS:
            if method in item:
                params = item[method].get("parameters", [])
                names = [p["name"] for p in params if p["in"] == "query"]
                found.append((method, re.sub(r"\{[^}]+\}", "x", path), names))
    return found


def test_every_operation_refuses_an_unknown_parameter_naming_it_and_those_it_takes(client):
    operations = _operations(client)
    assert len(operations) > 40
    for method, path, names in operations:
        answer = client.request(method.upper(), path, params={"no_such_filter": "1"})
        where = f"{method.upper()} {path}"
        assert answer.status_code == 400, f"{where}: {answer.status_code} {answer.text[:200]}"
        assert answer.headers["content-type"] == "application/problem+json", where
        detail = answer.json()["detail"]
        assert "'no_such_filter'" in detail, where
        assert all(name in detail for name in names), f"{where}: {detail} lacks {names}"


def test_the_misspelt_filters_of_the_old_docs_are_refused(client):
    for path, wrong in [
        ("/api/v1/leasing/availability", "floor_min"),
        ("/api/v1/leasing/availability", "area_min"),
        ("/api/v1/leasing/availability", "min_2n_racks"),
        ("/api/v1/facilities/changes", "from"),
        ("/api/v1/facilities/changes", "to"),
    ]:
        answer = client.get(path, params={wrong: "1"})
        assert answer.status_code == 400, f"{path}?{wrong}: {answer.status_code}"
        assert f"'{wrong}'" in answer.json()["detail"]


def test_a_single_valued_parameter_given_twice_is_refused(client):
    answer = client.get("/api/v1/campus?at=2020-01-01&at=2024-01-01")
    assert answer.status_code == 400
    assert "'at' is given more than once" in answer.json()["detail"]


def test_declared_parameters_still_answer(client):
    assert client.get("/api/v1/campus", params={"at": "2024-09-12"}).status_code == 200
    search = {"kind": "office", "min_level": "3", "min_area_m2": "50", "limit": "5"}
    assert client.get("/api/v1/leasing/availability", params=search).status_code == 200
    tiles = client.get("/api/v1/scene/tileset.json", params={"at": "2024-09-12"})
    assert tiles.status_code == 200
    first = tiles.json()["root"]["content"]["uri"]  # tiles/ground.glb?at=...: its own at
    assert client.get(f"/api/v1/scene/{first}").status_code == 200


def test_other_paths_keep_their_own_rules(client):
    """/ogc answers its own 400s (api/ogc/params.py); /health and the viewer take none."""
    assert client.get("/ogc/collections", params={"datetime": "2024-09-12"}).status_code == 200
    assert client.get("/ogc/collections", params={"nope": "1"}).status_code == 400
    assert client.get("/health").status_code == 200
