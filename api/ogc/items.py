"""Features of a collection: pages with bbox, limit, offset, datetime, crs and a CQL2 filter;
one feature by id (in a crs)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.ogc.crs import content_crs, transform_features
from api.ogc.deps import catalog_of, collection_ready
from api.ogc.filtering import filtered
from api.ogc.live import live_at, with_live
from api.ogc.params import (
    ITEM_PARAMETERS,
    ITEMS_PARAMETERS,
    check_known,
    items_query,
    parse_crs,
    parse_datetime,
)
from api.ogc.responses import (
    FEATURE_COLLECTION_SCHEMA,
    FEATURE_SCHEMA,
    GEOJSON,
    JSON,
    GeoJSONResponse,
    link,
)
from api.ogc.specs import PREFIX, TAGS
from api.ogc.versions import feature_etag
from api.problems import problem_responses
from twin.runtime import Twin

router = APIRouter(prefix=PREFIX, tags=TAGS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def collection_url(request: Request, collection_id: str) -> str:
    """The collection's URL: what ``request.url_for("ogc_collection", ...)`` gives for a known
    collection id, without searching the application's routes for the name."""
    return f"{str(request.base_url).rstrip('/')}{PREFIX}/collections/{collection_id}"


CONTENT_CRS_HEADER = {
    "Content-Crs": {
        "description": "The CRS of the coordinates, its URI in angle brackets (Part 2)",
        "schema": {"type": "string"},
    }
}


def _geojson_200(schema: dict[str, Any], what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": what,
            "headers": CONTENT_CRS_HEADER,
            "content": {GEOJSON: {"schema": schema}},
        }
    }


@router.get(
    "/collections/{collection_id}/items",
    name="ogc_items",
    operation_id="getOgcItems",
    summary="Features of a collection, page by page",
    response_class=GeoJSONResponse,
    responses={
        **_geojson_200(FEATURE_COLLECTION_SCHEMA, "A page of features"),
        **problem_responses(400, described={404: "No such collection or feature"}),
    },
    openapi_extra={"parameters": ITEMS_PARAMETERS},
)
async def items(collection_id: str, request: Request) -> GeoJSONResponse:
    """A GeoJSON FeatureCollection (lon/lat, RFC 7946) of the features meeting `bbox`,
    `limit` at a time from `offset`; follow the `next` link for the following page.
    `numberMatched` counts every feature meeting the query. The geometry is the campus as
    built at `datetime` (imports take effect on a date); buildings carry their construction
    `stage` and its `status`, facilities their `status`, at that instant. `crs` asks for the
    coordinates in another CRS (Part 2; `Content-Crs` names it), `bbox-crs` gives the box in
    one; `filter` keeps the features meeting a CQL2 condition on the queryables (Part 3)."""
    twin: Twin = request.app.state.twin
    query = items_query(request.query_params)
    data = await collection_ready(collection_id, catalog_of(request, query.at))
    matched = data.matching(query.bbox) if query.region is None else data.meeting(query.region)
    live = await live_at(twin, data.spec, query.at)
    if query.filter is not None:
        matched = await run_in_threadpool(filtered, data, matched, query, live)
    positions = matched[query.offset : query.offset + query.limit]
    features = with_live((data.features[i] for i in positions), data.spec, live)
    features = transform_features(features, query.crs)
    url = request.url
    links = [
        link(url, "self", GEOJSON, "This page"),
        link(collection_url(request, collection_id), "collection", JSON),
    ]
    if query.offset + len(features) < len(matched):
        following = url.include_query_params(offset=query.offset + len(features))
        links.append(link(following, "next", GEOJSON, "The next page"))
    if query.offset > 0:
        previous = url.include_query_params(offset=max(0, query.offset - query.limit))
        links.append(link(previous, "prev", GEOJSON, "The previous page"))
    return GeoJSONResponse(
        headers={"Content-Crs": content_crs(query.crs)},
        content={
            "type": "FeatureCollection",
            "features": features,
            "links": links,
            "timeStamp": _now(),
            "numberMatched": len(matched),
            "numberReturned": len(features),
        },
    )


@router.get(
    "/collections/{collection_id}/items/{feature_id:path}",
    name="ogc_item",
    operation_id="getOgcItem",
    summary="One feature by its id",
    response_class=GeoJSONResponse,
    responses={
        **_geojson_200(FEATURE_SCHEMA, "The feature"),
        **problem_responses(400, described={404: "No such collection or feature"}),
    },
    openapi_extra={"parameters": ITEM_PARAMETERS},
)
async def item(collection_id: str, feature_id: str, request: Request) -> GeoJSONResponse:
    """One GeoJSON Feature by its id, which may contain slashes (`fish-head-t1/L12/U03`);
    buildings and facilities as they were at `datetime` (default: now); coordinates in `crs`
    (default CRS84, named by `Content-Crs`). Buildings, floors and units carry an `ETag`
    (their building's geometry version then) for `If-Match` on edits."""
    twin: Twin = request.app.state.twin
    check_known(request.query_params, ITEM_PARAMETERS)
    at = parse_datetime(request.query_params.get("datetime"))
    crs = parse_crs(request.query_params, "crs")
    data = await collection_ready(collection_id, catalog_of(request, at))
    position = data.positions.get(feature_id)
    if position is None:
        raise HTTPException(404, f"no feature {feature_id!r} in the collection {collection_id!r}")
    live = await live_at(twin, data.spec, at)
    [feature] = with_live([data.features[position]], data.spec, live)
    links = [
        link(request.url, "self", GEOJSON, "This feature"),
        link(collection_url(request, collection_id), "collection", JSON),
    ]
    etag = feature_etag(twin, collection_id, feature_id, at)
    headers = {"Content-Crs": content_crs(crs), **({"ETag": etag} if etag else {})}
    return GeoJSONResponse(
        {**transform_features([feature], crs)[0], "links": links}, headers=headers
    )
