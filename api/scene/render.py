"""Server-side pictures of the campus (pyvista, offscreen): the same meshes as the GLB."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response

from api.deps import TwinDep
from api.problems import problem_responses
from api.scene.colors import MODE_DESCRIPTION, unknown_mode
from api.scene.render_gate import gated
from api.strict_query import api_router
from api.timeparam import at_param
from viewer import modes as colors
from viewer.modes import Mode
from viewer.pictures import render_mode

router = api_router("/api/v1", ["viewer"])


@router.get(
    "/render.png",
    operation_id="getRenderPng",
    summary="A picture of the campus coloured by mode, at any time",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "An oblique (or plan) view, PNG"},
        **problem_responses(
            described={
                422: "Unknown mode or bad at=",
                503: "Offscreen rendering unavailable, or the render queue is full",
            }
        ),
    },
)
def render(
    twin: TwinDep,
    request: Request,
    mode: Annotated[Mode, Query(description=MODE_DESCRIPTION)] = "visitor",
    view: Annotated[Literal["oblique", "top"], Query(description="Camera")] = "oblique",
    width: Annotated[int, Query(ge=200, le=2400, description="Pixels")] = 1200,
    height: Annotated[int, Query(ge=150, le=1600, description="Pixels")] = 750,
    at: datetime = Depends(at_param),
) -> Response:
    """The campus rendered offscreen with the mode's public colours, a title and a legend.
    Role-free: every caller gets the same picture. A server draws one picture at a time with
    `TWIN_RENDER_QUEUE` more waiting; beyond that: 503 with Retry-After."""
    if mode not in colors.modes():
        return unknown_mode(mode)
    png = gated(
        request, lambda: render_mode(twin, mode, at, camera=view, window_size=(width, height))
    )
    if not isinstance(png, bytes):
        return png
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-cache"})
