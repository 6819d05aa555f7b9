"""The queryables of each collection (OGC API - Features Part 3): what a CQL2 filter may name,
as a JSON Schema (``application/schema+json``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from api.ogc.cql2 import GEOMETRY, INSTANT
from api.ogc.deps import spec_of
from api.ogc.params import METADATA_PARAMETERS, metadata_query
from api.ogc.responses import JSON, SCHEMA, GeoJSONResponse, SchemaResponse
from api.ogc.specs import PREFIX, TAGS, CollectionSpec
from api.problems import problem_responses

router = APIRouter(prefix=PREFIX, tags=TAGS)

QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def queryables(spec: CollectionSpec, url: str) -> dict[str, Any]:
    """The JSON Schema of ``spec``'s queryables: ``id``, every published property, the
    geometry and ``datetime`` (the instant answered for)."""
    properties: dict[str, Any] = {
        "id": {"title": "Feature id", "type": "string", "x-ogc-role": "id"},
        **{name: {"title": name, "type": kind} for name, kind in spec.all_properties.items()},
        GEOMETRY: {
            "title": "Geometry (CRS84, or filter-crs)",
            "format": f"geometry-{spec.geometry.lower()}",
            "x-ogc-role": "primary-geometry",
        },
        INSTANT: {
            "title": "The instant the answer describes (the request's datetime, default now)",
            "type": "string",
            "format": "date-time",
            "x-ogc-role": "primary-instant",
        },
    }
    return {
        "$schema": JSON_SCHEMA,
        "$id": url,
        "type": "object",
        "title": f"{spec.title}: queryables",
        "properties": properties,
        "additionalProperties": False,
        # The draft's list (an extra keyword JSON Schema ignores): GDAL's OAPIF driver reads
        # it to know which fields it may pass to the server in a filter.
        "queryables": [{"id": name, **kind} for name, kind in properties.items()],
    }


@router.get(
    "/collections/{collection_id}/queryables",
    name="ogc_queryables",
    operation_id="getOgcQueryables",
    summary="What a filter on the collection may name (JSON Schema)",
    response_class=SchemaResponse,
    responses={
        200: {
            "description": "The queryables as a JSON Schema",
            "content": {SCHEMA: {"schema": {"type": "object"}}},
        },
        **problem_responses(400, described={404: "No such collection"}),
    },
    dependencies=[Depends(metadata_query)],
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def collection_queryables(collection_id: str, request: Request) -> GeoJSONResponse:
    """The properties a CQL2 `filter` on this collection's items may use, with their types:
    `id`, the published properties, `geometry` and `datetime`. JSON Schema
    (`application/schema+json`), or `application/json` to a client that accepts only that."""
    url = request.url.remove_query_params(["datetime", "f"])
    document = queryables(spec_of(collection_id), str(url))
    accept = request.headers.get("accept", "")
    if SCHEMA not in accept and JSON in accept:
        return GeoJSONResponse(document, media_type=JSON)  # a client that reads only JSON
    return SchemaResponse(document)
