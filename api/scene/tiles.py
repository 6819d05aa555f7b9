"""The 3D scene as a 3D Tiles 1.1 tileset: ``tileset.json`` and its tile GLBs, with ETags."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Path, Request, Response

from api.deps import TwinDep
from api.problems import problem_responses
from api.scene.cached_bodies import cached_body
from api.strict_query import api_router
from api.timeparam import at_param

router = api_router("/api/v1/scene", ["scene"])
GLB = "model/gltf-binary"
JSON = "application/json"
TILE_NAME = r"^[A-Za-z0-9_-]{1,64}$"


def _responses(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {media_type: {}}, "description": what},
        304: {"description": "Not modified: the `If-None-Match` ETag is current"},
    }


@router.get(
    "/tileset.json",
    operation_id="getSceneTileset",
    summary="The campus as a 3D Tiles 1.1 tileset",
    response_class=Response,
    responses=_responses(JSON, "The tileset JSON"),
)
def scene_tileset(request: Request, twin: TwinDep, at: datetime = Depends(at_param)) -> Response:
    """The same scene as `/api/v1/scene.glb` as built at `at`, split into tiles for large
    campuses (3D Tiles 1.1, glTF content). The root tile holds the ground; its children are a quadtree of tiles of
    whole buildings, each a GLB at `tiles/<name>.glb` (relative to this document) with its own
    feature table (`_FEATURE_ID_0`, EXT_mesh_features, EXT_structural_metadata). Boxes are in
    metres of the Z-up local frame (east, north, up); the root's `transform` places it on the
    globe (ECEF), and `extras.origin` records the origin. With `at`, each `content.uri` carries
    the same `at`, so the tiles match. The ETag changes whenever any tile does (a new geometry
    version). Cached: send `If-None-Match` with the ETag."""
    tileset = twin.tileset(at)
    raw = request.query_params.get("at")
    if not raw:
        return cached_body(request, tileset.json, tileset.etag, JSON)
    etag = '"' + hashlib.sha256(f"{tileset.etag} {raw}".encode()).hexdigest()[:32] + '"'
    return cached_body(request, _pinned(tileset.json, raw), etag, JSON)


@router.get(
    "/tiles/{name}.glb",
    operation_id="getSceneTile",
    summary="One tile of the campus tileset as a binary glTF",
    response_class=Response,
    responses={
        **_responses(GLB, "The tile's GLB"),
        **problem_responses(described={404: "No such tile"}),
    },
)
def scene_tile(
    twin: TwinDep,
    request: Request,
    name: Annotated[
        str,
        Path(
            pattern=TILE_NAME,
            description="A tile name from a `content.uri` of `tileset.json` (e.g. `ground`)",
            examples=["ground"],
        ),
    ],
    at: datetime = Depends(at_param),
) -> Response:
    """A tile GLB named by `tileset.json` (of the campus as built at `at`): Y-up metres of the local frame, one primitive per
    building (or the ground), and a `_FEATURE_ID_0` vertex attribute indexing the tile's own
    feature table of ids (scene extras `feature_ids`, and an EXT_structural_metadata property
    table). Cached: send `If-None-Match` with the ETag."""
    tileset = twin.tileset(at)
    glb = tileset.tile(name)
    if glb is None:
        raise HTTPException(404, f"no tile is called {name!r}: see /api/v1/scene/tileset.json")
    return cached_body(request, glb, tileset.tile_etags[name], GLB)


def _pinned(document: bytes, at: str) -> bytes:
    """The tileset JSON with ``?at=`` added to every content URI (relative URIs drop the query
    of the tileset's own URL, so each carries it)."""
    tileset = json.loads(document)
    query = urlencode({"at": at})
    tiles = [tileset["root"]]
    while tiles:
        tile = tiles.pop()
        for content in [tile.get("content"), *tile.get("contents", [])]:
            if content is not None:
                content["uri"] = f"{content['uri']}?{query}"
        tiles += tile.get("children", [])
    return json.dumps(tileset, separators=(",", ":"), ensure_ascii=False).encode()
