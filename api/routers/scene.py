"""The 3D scene as one GLB with per-vertex feature ids."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from api.deps import get_twin
from twin.runtime import Twin

router = APIRouter(prefix="/api/v1", tags=["scene"])
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
def scene_glb(request: Request, twin: Twin = Depends(get_twin)) -> Response:
    """The whole campus: one primitive per building plus the ground, Y-up metres from the
    origin recorded in the extras, and a `_FEATURE_ID_0` vertex attribute (EXT_mesh_features)
    indexing the feature table of ids. Cached: send `If-None-Match` with the ETag."""
    scene = twin.scene()
    headers = {"ETag": scene.etag, "Cache-Control": "public, max-age=0, must-revalidate"}
    if scene.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(scene.glb, media_type=GLB, headers=headers)
