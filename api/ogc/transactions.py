"""OGC API - Features Part 4: create, replace, update and delete buildings, floors and units.

Each edit is an import of one feature (:mod:`twin.imports.edits`): the same rules, the same
leased-unit guard, recorded as dated geometry events through the one write path, effective
from `effective` (default now). Only tokens with the role ``twin_editor`` (or admin) edit.
Replace, update and delete need ``If-Match`` with the feature's ETag: 428 without one, 412
when it is stale. A refusal is a problem+json naming the entity and the rule (members
``entity`` and ``rule``) and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import require
from api.etags import etag_of
from api.ogc.edit_request import (
    EFFECTIVE,
    FEATURE_BODY,
    IF_MATCH,
    PATCH_BODY,
    FeatureIn,
    FeaturePatch,
    body_spec,
    effective_of,
    if_match_version,
    parse_body,
    shape_of,
)
from api.ogc.specs import PREFIX, TAGS
from api.ogc.versions import EDITABLE
from api.problems import problem_responses
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


def _own_id(feature_id: str, given: str | int | None) -> None:
    if given is not None and str(given) != feature_id:
        raise HTTPException(422, f"the body's id {given!r} is not the URL's {feature_id!r}")


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
    effective = effective_of(request)
    given = parse_body(body, await request.body()) if body is not None else None

    def work() -> tuple[EditOutcome, str]:
        version = None
        if feature_id is not None:
            _check_exists(twin, kind, feature_id, effective)
            version = if_match_version(request)
            _own_id(feature_id, given.id if given is not None else None)
        record = None
        if isinstance(given, FeatureIn):
            ident = feature_id if feature_id is not None else _text_id(given.id)
            shape = shape_of(ident, given.geometry)
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
        shape, crs = shape_of(feature_id, patch.geometry), GEOGRAPHIC
    else:
        current = current_polygon(twin.campus_at(effective), kind, feature_id)
        shape, crs = current, PROJECTED
    return feature_record(kind, feature_id, properties, shape, crs, _source("update", kind))


def _written(response: Response, outcome: EditOutcome) -> Response:
    response.headers["ETag"] = etag_of(outcome.version)
    response.headers["Twin-Events"] = str(outcome.events)
    return response


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
    openapi_extra={"parameters": [EFFECTIVE], **body_spec(FEATURE_BODY, FEATURE)},
)
async def create(collection_id: Editable, request: Request, who: Principal = Editor) -> Response:
    outcome, ident = await _apply(request, collection_id, who, "create", None, FeatureIn)
    base = str(request.base_url).rstrip("/")
    location = f"{base}{PREFIX}/collections/{collection_id}/items/{ident}"
    return _written(Response(status_code=201, headers={"Location": location}), outcome)


def _on_item(method: str, name: str, summary: str, description: str, body: Any = None) -> Any:
    """The decorator of one write on a feature (204 with its new ETag; If-Match required)."""
    return router.api_route(
        ITEM,
        methods=[method],
        operation_id=name,
        summary=summary,
        description=f"{description} {EDIT}",
        status_code=204,
        response_class=Response,
        responses={**DONE, **PROBLEMS, **PRECONDITION},
        openapi_extra={"parameters": [EFFECTIVE, IF_MATCH], **(body or {})},
    )


async def _done(
    request: Request,
    collection_id: str,
    who: Principal,
    operation: Operation,
    feature_id: str,
    body: type[BaseModel] | None,
) -> Response:
    outcome, _ = await _apply(request, collection_id, who, operation, feature_id, body)
    return _written(Response(status_code=204), outcome)


@_on_item(
    "PUT",
    "replaceOgcFeature",
    "Replace a feature",
    "The feature's geometry and the editable properties it gives (properties left out keep "
    "their values); If-Match with its ETag.",
    body_spec(FEATURE_BODY, FEATURE),
)
async def replace(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    return await _done(request, collection_id, who, "replace", feature_id, FeatureIn)


@_on_item(
    "PATCH",
    "updateOgcFeature",
    "Update a feature (JSON merge patch)",
    "What the partial feature gives (its geometry, each property) replaces; what it omits or "
    "sets to null is kept. If-Match with the ETag.",
    body_spec(PATCH_BODY, "A partial Feature: the geometry and properties to change"),
)
async def update(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    return await _done(request, collection_id, who, "replace", feature_id, FeaturePatch)


@_on_item(
    "DELETE",
    "deleteOgcFeature",
    "Delete a feature",
    "The feature and, for a building or a floor, what stands on it; If-Match with the ETag.",
)
async def delete(
    collection_id: Editable, feature_id: str, request: Request, who: Principal = Editor
) -> Response:
    return await _done(request, collection_id, who, "delete", feature_id, None)
