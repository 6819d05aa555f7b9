"""OGC API - Features at /ogc: the campus as GeoJSON feature collections for GIS clients.

Landing page, API definition (OpenAPI 3.0), conformance, collections, items (bbox, limit,
offset, datetime; Part 2 ``crs`` and ``bbox-crs``; Part 3 CQL2 ``filter``), queryables and
single features; public properties only (the allow-lists of :mod:`api.ogc.specs`). Part 4:
buildings, floors and units are edited through :mod:`api.ogc.transactions`.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.ogc import collections, definition, items, landing, queryables, transactions

router = APIRouter()
for _part in (
    landing.router,
    definition.router,
    collections.router,
    queryables.router,
    items.router,
    transactions.router,
):
    # The parts' routes carry their full paths and tags: adding them directly (not through
    # include_router, which nests a router FastAPI matches once per level) keeps one level
    # of route matching between the application and an OGC endpoint.
    router.routes.extend(_part.routes)

__all__ = ["router"]
