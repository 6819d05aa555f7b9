"""OGC API - Features at /ogc: the campus as GeoJSON feature collections for GIS clients.

Landing page, conformance, collections, items (bbox, limit, offset, datetime) and single
features; public properties only (the allow-lists of :mod:`api.ogc.specs`).
"""

from __future__ import annotations

from fastapi import APIRouter

from api.ogc import collections, items, landing

router = APIRouter()
for _part in (landing.router, collections.router, items.router):
    router.include_router(_part)

__all__ = ["router"]
