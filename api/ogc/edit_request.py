"""What an edit request of the OGC API carries: its parameters and bodies, declared for the
OpenAPI document and checked here (a bad value is a 400 or a 422 naming it)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

import orjson
import shapely.geometry
from fastapi import HTTPException, Request
from pydantic import BaseModel, ValidationError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from api.ogc.params import bad
from api.ogc.responses import GEOJSON, JSON
from api.timeparam import AT_PATTERN, parse_at
from assets.history import CAMPUS_TZ
from assets.imports.edits import EditRefused

EFFECTIVE = {
    "name": "effective",
    "in": "query",
    "required": False,
    "description": (
        "When the edit takes effect: a date (the start of that campus day, UTC+8) or an ISO "
        "datetime (campus time without an offset). Default: now. Reads before it (`datetime=`, "
        "`at=`) show the campus as it was; geometry history is written forward, so it may not "
        "be earlier than the latest geometry change already recorded."
    ),
    "schema": {"type": "string", "pattern": AT_PATTERN},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": (
        "The feature's ETag as read (`GET .../items/{featureId}`): the version of its "
        "building's geometry. Missing: 428; another version: 412, nothing written."
    ),
    "schema": {"type": "string", "pattern": r'^"\d{1,12}"$'},
}
FEATURE_BODY = {
    "type": "object",
    "required": ["type", "geometry"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object", "description": "A Polygon in lon/lat (RFC 7946)"},
        "properties": {"type": "object"},
    },
}
PATCH_BODY = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "geometry": {"type": "object", "description": "A Polygon in lon/lat (RFC 7946)"},
        "properties": {"type": "object"},
    },
}


class FeatureIn(BaseModel):
    """A GeoJSON Feature to create, or to replace one with (lon/lat, RFC 7946)."""

    type: Literal["Feature"]
    id: str | int | None = None
    geometry: dict[str, Any]
    properties: dict[str, Any] | None = None


class FeaturePatch(BaseModel):
    """A partial Feature (JSON merge patch): what it gives replaces, what it omits is kept."""

    type: Literal["Feature"] = "Feature"
    id: str | int | None = None
    geometry: dict[str, Any] | None = None
    properties: dict[str, Any] | None = None


def parse_body(model: type[BaseModel], raw: bytes) -> Any:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise bad("the body is not JSON: send a GeoJSON Feature") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(body)"
        detail = f"the body is not a GeoJSON Feature: {where}: {first['msg']}"
        raise HTTPException(422, detail) from None


def effective_of(request: Request) -> datetime:
    """The ``effective`` instant; 400 for an unknown query parameter."""
    params = request.query_params
    for key in params:
        if key != "effective" or len(params.getlist(key)) > 1:
            raise bad(f"unknown or repeated query parameter {key!r}; this endpoint takes effective")
    value = params.get("effective")
    if value is None or value == "":
        return parse_at(None)
    text = value.strip()
    if len(text) == 10:
        try:
            return datetime.combine(date.fromisoformat(text), time.min, CAMPUS_TZ)
        except ValueError:
            pass
    try:
        return parse_at(text)
    except HTTPException:
        raise bad(
            f"effective={value!r} is not an ISO date (2027-01-01) or datetime (2027-01-01T08:00)"
        ) from None


def shape_of(feature_id: str | None, geometry: dict[str, Any]) -> BaseGeometry:
    try:
        return shapely.geometry.shape(geometry)
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError):
        kind = geometry.get("type")
        raise EditRefused(
            feature_id or "(new feature)",
            "geometry",
            f"not a GeoJSON geometry (type {str(kind)[:40]!r}, malformed)",
            "invalid",
        ) from None


def if_match_version(request: Request) -> int:
    """The version ``If-Match`` names: 428 without it, 400 when it is not an ETag of ours."""
    value = request.headers.get("if-match")
    if value is None:
        raise HTTPException(
            428, "If-Match is required: send the ETag of the feature as you read it"
        )
    text = value.strip()
    digits = text[1:-1] if len(text) > 2 and text[0] == text[-1] == '"' else ""
    if not digits.isdigit() or len(digits) > 12:
        raise bad(f'If-Match {value[:40]!r} is not an ETag of this API (like "3")')
    return int(digits)


def body_spec(schema: dict[str, Any], what: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": what,
            "content": {GEOJSON: {"schema": schema}, JSON: {"schema": schema}},
        }
    }
