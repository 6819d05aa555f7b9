"""The campus tileset over real HTTP: tileset.json and its tile GLBs, cached with ETags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from geometry.gltf import read_feature_ids

TILESET = "/api/v1/scene/tileset.json"


@pytest.fixture(scope="module")
def client(live_twin: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_twin.url, timeout=120) as c:
        yield c


def _uris(tile: dict[str, Any]) -> list[str]:
    own = [tile["content"]["uri"]] if "content" in tile else []
    return own + [uri for child in tile.get("children", []) for uri in _uris(child)]


def _revalidates(client: httpx.Client, path: str, media_type: str) -> httpx.Response:
    """GET ``path``; assert it carries a strong ETag and that sending it back gives a 304."""
    first = client.get(path)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == media_type
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 8  # strong: no W/
    assert "must-revalidate" in first.headers["cache-control"]
    for sent in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        again = client.get(path, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.headers["etag"] == etag and not again.content
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    return first


def _coarse(tile: dict[str, Any]) -> list[str]:
    """The contents a REPLACE tile's children replace (coarse levels of detail)."""
    own = [tile["content"]["uri"]] if tile.get("refine") == "REPLACE" else []
    return own + [uri for child in tile.get("children", []) for uri in _coarse(child)]


def test_the_tileset_and_every_tile_are_served_with_etags(client: httpx.Client) -> None:
    first = _revalidates(client, TILESET, "application/json")
    tileset = first.json()
    assert tileset["asset"]["version"] == "1.1"
    uris = _uris(tileset["root"])
    assert uris[0] == "tiles/ground.glb" and len(uris) > 3
    etags = {first.headers["etag"]}
    found: list[str] = []
    coarse = set(_coarse(tileset["root"]))
    assert coarse  # levels of detail: inner tiles whose children replace them
    for uri in uris:  # relative to the tileset's URL, as a 3D Tiles client resolves them
        tile = _revalidates(client, str(first.url.join(uri)), "model/gltf-binary")
        assert tile.content[:4] == b"glTF"
        etags.add(tile.headers["etag"])
        if uri not in coarse:
            found += read_feature_ids(tile.content)
    assert len(etags) == len(uris) + 1
    scene = client.get("/api/v1/scene.glb").content
    assert sorted(found) == sorted(read_feature_ids(scene))  # the same features as the GLB


@pytest.mark.parametrize(("name", "status"), [("nothing-here", 404), ("a.b", 422), ("x" * 65, 422)])
def test_an_unknown_or_malformed_tile_name_is_a_problem(
    client: httpx.Client, name: str, status: int
) -> None:
    response = client.get(f"/api/v1/scene/tiles/{name}.glb")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if status == 404:
        assert "tileset.json" in response.json()["detail"]


def test_openapi_documents_the_tileset_routes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, media_type in (
        (TILESET, "application/json"),
        ("/api/v1/scene/tiles/{name}.glb", "model/gltf-binary"),
    ):
        operation = paths[path]["get"]
        assert operation["operationId"] and operation["summary"] and operation["description"]
        assert media_type in operation["responses"]["200"]["content"]
        assert "304" in operation["responses"]
    tile = paths["/api/v1/scene/tiles/{name}.glb"]["get"]
    assert "404" in tile["responses"]
    assert tile["parameters"][0]["schema"]["pattern"]


def test_a_tileset_at_an_instant_names_its_tiles_at_that_instant(client: httpx.Client) -> None:
    now = client.get(TILESET)
    then = _revalidates(client, f"{TILESET}?at=2024-09-12", "application/json")
    assert then.headers["etag"] != now.headers["etag"]  # another document: its URIs differ
    uris = _uris(then.json()["root"])
    assert uris == [f"{uri}?at=2024-09-12" for uri in _uris(now.json()["root"])]
    tile = client.get(str(then.url.join(uris[1])))
    assert tile.status_code == 200 and tile.content[:4] == b"glTF"
    assert client.get(f"{TILESET}?at=yesterday").status_code == 422
