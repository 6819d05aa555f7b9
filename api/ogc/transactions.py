"""OGC API - Features Part 4: create, replace, update and delete buildings, floors and units.

Each edit is an import of one feature (:mod:`twin.imports.edits`): the same rules, the same
leased-unit guard, recorded as dated geometry events through the one write path, effective
from `effective` (default now). Only tokens with the role ``twin_editor`` (or admin) edit.
Replace, update and delete need ``If-Match`` with the feature's ETag: 428 without one, 412
when it is stale. A refusal is a problem+json naming the entity and the rule (members
``entity`` and ``rule``) and writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

import orjson
import shapely.geometry
from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ValidationError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.etags import etag_of
from api.ogc.params import bad
from api.ogc.responses import GEOJSON, JSON
from api.ogc.specs import PREFIX, TAGS
from api.ogc.versions import EDITABLE
from api.problems import problem_responses
from api.timeparam import AT_PATTERN, parse_at
from assets.history import CAMPUS_TZ
from assets.imports.edits import (
    Edit,
    EditKind,
    EditRefused,
    Operation,
    current_polygon,
    feature_record,
)
from geometry.crs import GEOGRAPHIC, PROJECTED
from twin.auth import Principal
from twin.imports.edits import EditOutcome, apply_edit
from twin.runtime import Twin

router = APIRouter(prefix=PREFIX, tags=TAGS)
CONFORMANCE = [
    f"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/{name}"
    for name in ("create-replace-delete", "update", "optimistic-locking-etags", "features")
]
"""The Part 4 (draft) classes: POST, PUT and DELETE; PATCH; If-Match on ETags; features."""
EDITOR = "twin_editor"
Editor = Depends(require(EDITOR))

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
_FEATURE_BODY = {
    "type": "object",
    "required": ["type", "geometry"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string"},
        "geometry": {"type": "object", "description": "A Polygon in lon/lat (RFC 7946)"},
        "properties": {"type": "object"},
    },
}
_PATCH_BODY = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "geometry": {"type": "object", "description": "A Polygon in lon/lat (RFC 7946)"},
        "properties": {"type": "object"},
    },
}
PROBLEMS = problem_responses(
    400,
    401,
    described={
        403: "The token's role is not twin_editor (or admin)",
        404: "No such feature (or, for a floor or unit, no such building or floor)",
        409: "The feature exists already, or someone changed its building meanwhile",
        412: "If-Match names a version the feature's building is no longer at",
        422: "Refused by a rule of the campus: the detail, `entity` and `rule` name it",
    },
)
PRECONDITION = problem_responses(described={428: "If-Match is missing: send the feature's ETag"})


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


def _body(model: type[BaseModel], raw: bytes) -> Any:
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


def _effective(request: Request) -> datetime:
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


def _shape(feature_id: str | None, geometry: dict[str, Any]) -> BaseGeometry:
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


def _own_id(feature_id: str, given: str | int | None) -> None:
    if given is not None and str(given) != feature_id:
        raise HTTPException(422, f"the body's id {given!r} is not the URL's {feature_id!r}")


def _version(request: Request) -> int:
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


def _check_exists(twin: Twin, kind: EditKind, feature_id: str, at: datetime) -> None:
    if current_polygon(twin.campus_at(at), kind, feature_id) is None:
        raise EditRefused(feature_id, "unknown-id", f"no {kind} {feature_id}", "not_found")


async def _apply(
    request: Request,
    collection_id: str,
    who: Principal,
    operation: Operation,
    feature_id: str | None,
    body: type[BaseModel] | None,
) -> tuple[EditOutcome, str]:
    """Check and record one edit; the outcome and the feature's id."""
    twin: Twin = request.app.state.twin
    kind = EDITABLE[collection_id]
    effective = _effective(request)
    given = _body(body, await request.body()) if body is not None else None

    def work() -> tuple[EditOutcome, str]:
        version = None
        if feature_id is not None:
            _check_exists(twin, kind, feature_id, effective)
            version = _version(request)
            _own_id(feature_id, given.id if given is not None else None)
        record = None
        if isinstance(given, FeatureIn):
            ident = feature_id if feature_id is not None else _text_id(given.id)
            shape = _shape(ident, given.geometry)
            record = feature_record(
                kind, ident, given.properties or {}, shape, GEOGRAPHIC, _source(operation, kind)
            )
        elif isinstance(given, FeaturePatch) and feature_id is not None:
            record = _patched(twin, kind, feature_id, given, effective)
        ident = record.id if record is not None else str(feature_id)
        edit = Edit(kind, operation, ident, record)
        outcome = apply_edit(
            twin, edit, effective_at=effective, if_version=version, actor=who.actor
        )
        return outcome, ident

    return await run_in_threadpool(work)


def _text_id(value: str | int | None) -> str | None:
    return None if value is None else str(value)


def _source(operation: str, kind: str) -> str:
    return f"OGC API {operation} of a {kind}"


def _patched(
    twin: Twin, kind: EditKind, feature_id: str, patch: FeaturePatch, effective: datetime
) -> Any:
    """The record of a merge patch: the properties it gives (null: left as they are, every
    editable property being required), its geometry or the current one."""
    properties = {k: v for k, v in (patch.properties or {}).items() if v is not None}
    if patch.geometry is not None:
        shape, crs = _shape(feature_id, patch.geometry), GEOGRAPHIC
    else:
        current = current_polygon(twin.campus_at(effective), kind, feature_id)
        shape, crs = current, PROJECTED
    return feature_record(kind, feature_id, properties, shape, crs, _source("update", kind))


def _written(response: Response, outcome: EditOutcome) -> Response:
    response.headers["ETag"] = etag_of(outcome.version)
    response.headers["Twin-Events"] = str(outcome.events)
    return response


def _body_spec(schema: dict[str, Any], what: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": what,
            "content": {GEOJSON: {"schema": schema}, JSON: {"schema": schema}},
        }
    }


ITEMS = "/collections/{collection_id}/items"
ITEM = ITEMS + "/{feature_id:path}"
Editable = Literal["buildings", "floors", "units"]
"""The collections that are edited (:data:`api.ogc.versions.EDITABLE`); others are a 422."""
CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "Created: `Location` names the new feature, `ETag` its version",
        "headers": {
            "Location": {"schema": {"type": "string"}},
            "ETag": {"schema": {"type": "string"}},
        },
    }
}
DONE: dict[int | str, dict[str, Any]] = {
    204: {"description": "Done (or nothing to change): `ETag` names the new version"}
}
FEATURE = "A GeoJSON Feature (lon/lat): the id and properties as GET gives them"
EDIT = (
    "Buildings, floors and units. Recorded as an import of the feature, effective from "
    "`effective` (default now): the campus's rules (containment, overlaps, units inside their "
    "floor plate, published totals) and the leased-unit guard apply, and reads at an instant "
    "before it show the campus as it was. Role twin_editor (or admin)."
)
ALLOWED = {ITEMS: "GET, POST, OPTIONS", ITEM: "GET, PUT, PATCH, DELETE, OPTIONS"}


def _allowed(path: str) -> dict[int | str, dict[str, Any]]:
    return {
        204: {
            "description": f"`Allow: {ALLOWED[path]}`",
            "headers": {"Allow": {"schema": {"type": "string"}}},
        }
    }


@router.options(
    ITEMS,
    operation_id="optionsOgcItems",
    summary="What may be done with an editable collection's items",
    status_code=204,
    response_class=Response,
    responses={**_allowed(ITEMS), **problem_responses(described={422: "Not edited here"})},
)
async def items_options(collection_id: Editable) -> Response:
    """`Allow` lists the methods (QGIS asks before it offers editing)."""
    return Response(status_code=204, headers={"Allow": ALLOWED[ITEMS]})


@router.options(
    ITEM,
    operation_id="optionsOgcItem",
    summary="What may be done with an editable feature",
    status_code=204,
    response_class=Response,
    responses={**_allowed(ITEM), **problem_responses(described={422: "Not edited here"})},
)
async def item_options(collection_id: Editable, feature_id: str) -> Response:
    """`Allow` lists the methods (QGIS asks before it offers editing)."""
    return Response(status_code=204, headers={"Allow": ALLOWED[ITEM]})


@router.post(
    ITEMS,
    operation_id="createOgcFeature",
    summary="Create a feature (OGC API - Features Part 4)",
    description="A new building, floor or unit with the feature's id (or, for a floor or unit, "
    f"the id its `building`, `level` and `code` properties make). {EDIT}",
    status_code=201,
    response_class=Response,
    responses={**CREATED, **PROBLEMS},
    openapi_extra={"parameters": [EFFECTIVE], **_body_spec(_FEATURE_BODY, FEATURE)},
)
async def create(collection_id: Editable, request: Request, who: Principal = Editor) -> Response:
    outcome, ident = await _apply(request, collection_id, who, "create", None, FeatureIn)
    base = str(request.base_url).rstrip("/")
    location = f"{base}{PREFIX}/collections/{collection_id}/items/{ident}"
    return _written(Response(status_code=201, headers={"Location": location}), outcome)


@router.put(
    ITEM,
    operation_id="replaceOgcFeature",
    summary="Replace a feature",
    description="The feature's geometry and the editable properties it gives (properties left "
    f"out keep their values); If-Match with its ETag. {EDIT}",
    status_code=204,
    response_class=Response,
    responses={**DONE, **PROBLEMS, **PRECONDITION},
    openapi_extra={"parameters": [EFFECTIVE, IF_MATCH], **_body_spec(_FEATURE_BODY, FEATURE)},
)
async def replace(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    outcome, _ = await _apply(request, collection_id, who, "replace", feature_id, FeatureIn)
    return _written(Response(status_code=204), outcome)


@router.patch(
    ITEM,
    operation_id="updateOgcFeature",
    summary="Update a feature (JSON merge patch)",
    description="What the partial feature gives (its geometry, each property) replaces; what "
    f"it omits or sets to null is kept. If-Match with the ETag. {EDIT}",
    status_code=204,
    response_class=Response,
    responses={**DONE, **PROBLEMS, **PRECONDITION},
    openapi_extra={
        "parameters": [EFFECTIVE, IF_MATCH],
        **_body_spec(_PATCH_BODY, "A partial Feature: the geometry and properties to change"),
    },
)
async def update(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    outcome, _ = await _apply(request, collection_id, who, "replace", feature_id, FeaturePatch)
    return _written(Response(status_code=204), outcome)


@router.delete(
    ITEM,
    operation_id="deleteOgcFeature",
    summary="Delete a feature",
    description="The feature and, for a building or a floor, what stands on it; If-Match with "
    f"the ETag. {EDIT}",
    status_code=204,
    response_class=Response,
    responses={**DONE, **PROBLEMS, **PRECONDITION},
    openapi_extra={"parameters": [EFFECTIVE, IF_MATCH]},
)
async def delete(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    outcome, _ = await _apply(request, collection_id, who, "delete", feature_id, None)
    return _written(Response(status_code=204), outcome)
