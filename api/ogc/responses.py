"""Response bodies of the OGC API: orjson-encoded JSON and GeoJSON, links, metadata models."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Response
from pydantic import BaseModel, Field

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
"""The media type of the API definition at /ogc/api (OpenAPI 3.0.3; /openapi.json is 3.1)."""
SCHEMA = "application/schema+json"


class GeoJSONResponse(Response):
    """``application/geo+json``, encoded with orjson."""

    media_type = GEOJSON

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class SchemaResponse(GeoJSONResponse):
    """A JSON Schema document (``application/schema+json``)."""

    media_type = SCHEMA


class Link(BaseModel):
    """A web link (RFC 8288) as OGC API writes it."""

    href: str
    rel: str
    type: str | None = None
    title: str | None = None


def link(href: object, rel: str, type_: str = JSON, title: str | None = None) -> dict[str, Any]:
    """A link as a plain dict, for bodies encoded without pydantic."""
    out = {"href": str(href), "rel": rel, "type": type_}
    if title is not None:
        out["title"] = title
    return out


class LandingPage(BaseModel):
    title: str
    description: str
    links: list[Link]


class Conformance(BaseModel):
    conformsTo: list[str] = Field(description="URIs of the conformance classes implemented")


class SpatialExtent(BaseModel):
    bbox: list[list[float]] = Field(description="min lon, min lat, max lon, max lat")
    crs: str


class TemporalExtent(BaseModel):
    interval: list[list[str | None]] = Field(description="start, end (null: open)")
    trs: str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


class Extent(BaseModel):
    spatial: SpatialExtent
    temporal: TemporalExtent


class CollectionInfo(BaseModel):
    id: str
    title: str
    description: str
    itemType: str = "feature"
    crs: list[str] = Field(description="The CRSs the items are offered in (`crs=`)")
    storageCrs: str = Field(description="The CRS the features are kept in")
    extent: Extent
    links: list[Link]


class Collections(BaseModel):
    links: list[Link]
    collections: list[CollectionInfo]


FEATURE_COLLECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
        "links": {"type": "array", "items": {"type": "object"}},
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
    },
}
FEATURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object"},
        "properties": {"type": "object"},
        "links": {"type": "array", "items": {"type": "object"}},
    },
}
