"""The feature collections: the list, and one collection's metadata."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request

from api.ogc.catalog import Catalog
from api.ogc.crs import URIS
from api.ogc.deps import catalog_of, collection_data
from api.ogc.params import METADATA_PARAMETERS, metadata_query
from api.ogc.queryables import QUERYABLES_REL
from api.ogc.responses import (
    GEOJSON,
    JSON,
    SCHEMA,
    CollectionInfo,
    Collections,
    Extent,
    Link,
    SpatialExtent,
    TemporalExtent,
)
from api.ogc.specs import COLLECTIONS, CRS84, HISTORY_START, PREFIX, TAGS
from api.problems import problem_responses

router = APIRouter(prefix=PREFIX, tags=TAGS)


def _info(request: Request, catalog: Catalog, collection_id: str) -> CollectionInfo:
    data = collection_data(collection_id, catalog)
    spec = data.spec
    return CollectionInfo(
        id=spec.id,
        title=spec.title,
        description=spec.description,
        crs=URIS,
        storageCrs=CRS84,
        extent=Extent(
            spatial=SpatialExtent(bbox=[list(data.bbox)], crs=CRS84),
            temporal=TemporalExtent(interval=[[HISTORY_START.isoformat(), None]]),
        ),
        links=[
            Link(
                href=str(request.url_for("ogc_collection", collection_id=spec.id)),
                rel="self",
                type=JSON,
                title=spec.title,
            ),
            Link(
                href=str(request.url_for("ogc_items", collection_id=spec.id)),
                rel="items",
                type=GEOJSON,
                title=f"{spec.title} as GeoJSON",
            ),
            Link(
                href=f"{request.url_for('ogc_collection', collection_id=spec.id)}/queryables",
                rel=QUERYABLES_REL,
                type=SCHEMA,
                title="What a filter may name",
            ),
            Link(
                href=f"{request.url_for('ogc_collection', collection_id=spec.id)}/queryables",
                rel="queryables",
                type=SCHEMA,
                title="What a filter may name",
            ),
        ],
    )


@router.get(
    "/collections",
    name="ogc_collections",
    operation_id="getOgcCollections",
    summary="The feature collections of the campus",
    response_model=Collections,
    response_model_exclude_none=True,
    responses=problem_responses(400),
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def collections(request: Request, at: datetime = Depends(metadata_query)) -> Collections:
    """Zones (park, core, the fish), parcels, buildings, floors, units and facilities, each
    with its spatial extent (CRS84 lon/lat) and temporal extent (2019 onwards), for the
    campus as built at `datetime`."""
    catalog = catalog_of(request, at)
    return Collections(
        links=[Link(href=str(request.url), rel="self", type=JSON, title="This document")],
        collections=[_info(request, catalog, spec.id) for spec in COLLECTIONS],
    )


@router.get(
    "/collections/{collection_id}",
    name="ogc_collection",
    operation_id="getOgcCollection",
    summary="One feature collection's metadata",
    response_model=CollectionInfo,
    response_model_exclude_none=True,
    responses=problem_responses(400, described={404: "No such collection or feature"}),
    openapi_extra={"parameters": METADATA_PARAMETERS},
)
def collection(
    collection_id: str, request: Request, at: datetime = Depends(metadata_query)
) -> CollectionInfo:
    """The collection's title, description, extent (of the campus as built at `datetime`) and
    links to its items (GeoJSON)."""
    return _info(request, catalog_of(request, at), collection_id)
