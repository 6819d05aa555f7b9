"""Request dependencies of the OGC API: the catalog of the served campus, one collection."""

from __future__ import annotations

import threading

from fastapi import Depends, HTTPException, Request

from api.deps import get_twin
from api.ogc.catalog import Catalog, CollectionData
from api.ogc.specs import BY_ID
from twin.runtime import Twin

_lock = threading.Lock()


def get_catalog(request: Request, twin: Twin = Depends(get_twin)) -> Catalog:
    """The application's :class:`Catalog`, made on first use."""
    state = request.app.state
    catalog: Catalog | None = getattr(state, "ogc_catalog", None)
    if catalog is None:
        with _lock:
            catalog = getattr(state, "ogc_catalog", None)
            if catalog is None:
                catalog = Catalog(twin.campus)
                state.ogc_catalog = catalog
    return catalog


def collection_data(collection_id: str, catalog: Catalog) -> CollectionData:
    """The collection's data, or 404 naming the collections there are."""
    if collection_id not in BY_ID:
        raise HTTPException(
            404,
            f"no collection {collection_id!r}; the collections are {', '.join(BY_ID)}",
        )
    return catalog.get(collection_id)
