"""The 3D scene as one GLB with per-vertex feature ids."""

from __future__ import annotations

from datetime import datetime

from fastapi import Depends, Request, Response

from api.deps import TwinDep
from api.scene.cached_bodies import cached_body
from api.strict_query import api_router
from api.timeparam import at_param

router = api_router("/api/v1", ["scene"])
GLB = "model/gltf-binary"


@router.get(
    "/scene.glb",
    operation_id="getSceneGlb",
    summary="The campus as a binary glTF",
    response_class=Response,
    responses={
        200: {"content": {GLB: {}}, "description": "The GLB"},
        304: {"description": "Not modified"},
    },
)
def scene_glb(request: Request, twin: TwinDep, at: datetime = Depends(at_param)) -> Response:
    """The whole campus as built at `at` (imports give geometry versions over time): one
    primitive per building plus the ground, Y-up metres from the origin recorded in the extras,
    and a `_FEATURE_ID_0` vertex attribute (EXT_mesh_features) indexing the feature table of
    ids. The ETag names the geometry version: send `If-None-Match` to revalidate (304)."""
    scene = twin.scene(at)
    return cached_body(request, scene.glb, scene.etag, GLB)
