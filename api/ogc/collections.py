"""The feature collections: the list, and one collection's metadata."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.ogc.catalog import Catalog
from api.ogc.deps import collection_data, get_catalog
from api.ogc.responses import (
    GEOJSON,
    JSON,
    CollectionInfo,
    Collections,
    Extent,
    Link,
    SpatialExtent,
    TemporalExtent,
    problems,
)
from api.ogc.specs import COLLECTIONS, CRS84, HISTORY_START, PREFIX, TAGS

router = APIRouter(prefix=PREFIX, tags=TAGS)


def _info(request: Request, catalog: Catalog, collection_id: str) -> CollectionInfo:
    data = collection_data(collection_id, catalog)
    spec = data.spec
    return CollectionInfo(
        id=spec.id,
        title=spec.title,
        description=spec.description,
        crs=[CRS84],
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
        ],
    )


@router.get(
    "/collections",
    name="ogc_collections",
    operation_id="getOgcCollections",
    summary="The feature collections of the campus",
    response_model=Collections,
    response_model_exclude_none=True,
)
def collections(request: Request, catalog: Catalog = Depends(get_catalog)) -> Collections:
    """Zones (park, core, the fish), parcels, buildings, floors, units and facilities, each
    with its spatial extent (CRS84 lon/lat) and temporal extent (2019 onwards)."""
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
    responses=problems(404),
)
def collection(
    collection_id: str, request: Request, catalog: Catalog = Depends(get_catalog)
) -> CollectionInfo:
    """The collection's title, description, extent and links to its items (GeoJSON)."""
    return _info(request, catalog, collection_id)
