"""The API definition of the OGC API at /ogc/api: its paths as OpenAPI 3.0.3 (``oas30``).

FastAPI's /openapi.json is OpenAPI 3.1 and describes the whole twin; OGC clients that read
only 3.0 get this document, converted once per application by :mod:`api.openapi30`.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Request, Response

from api.ogc.landing import DESCRIPTION, TITLE
from api.ogc.params import METADATA_PARAMETERS, metadata_query
from api.ogc.responses import OPENAPI
from api.ogc.specs import PREFIX, TAGS
from api.openapi30 import downgrade, subset
from api.problems import problem_responses

router = APIRouter(prefix=PREFIX, tags=TAGS)


def _is_ogc(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


GDAL_ITEMS_PATH = "/collections/{collectionId}/items"
"""Where GDAL's OAPIF driver looks for the items parameters (relative to the landing page, the
path's name as in the standard's example): only there does it find that ``filter-lang`` takes
``cql-text`` and pass ``ogrinfo -where`` conditions to the server as CQL2."""


def ogc_openapi30(app: FastAPI) -> dict[str, Any]:
    """The /ogc paths of ``app.openapi()`` and the components they use, as OpenAPI 3.0.3, with
    the items operation repeated under :data:`GDAL_ITEMS_PATH` for GDAL."""
    spec = downgrade(subset(app.openapi(), _is_ogc))
    spec["info"] = {**spec["info"], "title": TITLE, "description": DESCRIPTION}
    items = spec["paths"].get(f"{PREFIX}/collections/{{collection_id}}/items")
    if items is not None and "get" in items:
        get = items["get"]
        spec["paths"][GDAL_ITEMS_PATH] = {
            "get": {
                **get,
                "operationId": get["operationId"] + "ForGdal",
                "summary": f"{get['summary']} (the same as {PREFIX}{GDAL_ITEMS_PATH}, "
                "listed relative to the landing page for GDAL)",
                "parameters": [
                    {**p, "name": "collectionId"} if p.get("in") == "path" else p
                    for p in get.get("parameters", [])
                ],
            }
        }
    return spec


def _encoded(app: FastAPI) -> bytes:
    """:func:`ogc_openapi30` as JSON, built on first use and kept for the application's life
    (routes do not change once it serves; a race builds the same bytes twice, harmlessly)."""
    cached: bytes | None = getattr(app.state, "ogc_openapi30", None)
    if cached is None:
        cached = app.state.ogc_openapi30 = orjson.dumps(ogc_openapi30(app))
    return cached


@router.get(
    "/api",
    name="ogc_api",
    operation_id="getOgcApiDefinition",
    summary="The OGC API definition (OpenAPI 3.0)",
    response_class=Response,
    responses={
        200: {
            "description": "The OpenAPI 3.0.3 definition of the /ogc endpoints",
            "content": {OPENAPI: {"schema": {"type": "object"}}},
        },
        **problem_responses(400),
    },
    dependencies=[Depends(metadata_query)],
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def api_definition(request: Request) -> Response:
    """The paths of this OGC API - Features endpoint (landing page, conformance, collections,
    items) and their schemas as an OpenAPI 3.0.3 document, for clients that read only 3.0;
    the landing page's `service-desc` link. `/openapi.json` describes the whole twin in
    OpenAPI 3.1."""
    return Response(_encoded(request.app), media_type=OPENAPI)
