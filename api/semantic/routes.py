"""``GET /api/v1/semantic/brick.ttl``: the campus in Brick with RealEstateCore, as Turtle."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.deps import TwinDep
from api.facilities.routes import TOKEN
from api.sta.routes import router as sta_router
from api.strict_query import api_router
from twin.auth import Principal
from twin.semantic.brick import campus_turtle

router = api_router("/api/v1/semantic", ["semantic"])


@router.get(
    "/brick.ttl",
    operation_id="getBrickModel",
    summary="The campus, its power chain and every metric point in Brick (Turtle)",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}}}, **TOKEN},
)
async def brick(
    request: Request, twin: TwinDep, _: Principal = Depends(require("operations"))
) -> Response:
    """Site, buildings, storeys, spaces (units, halls, rack rows), the power chain along
    `brick:feeds`, cooling and network equipment, and a `brick:Point` per metric whose
    `ref:TimeseriesReference` names its SensorThings Datastream on this server. For operations
    tokens, like the facility topology it describes."""
    sta_url = str(request.base_url).rstrip("/") + sta_router.prefix
    text = await run_in_threadpool(campus_turtle, twin.campus, twin.facilities.topology, sta_url)
    return Response(text, media_type="text/turtle; charset=utf-8")
