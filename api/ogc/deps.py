"""Request dependencies of the OGC API: the catalog of the served campus, one collection."""

from __future__ import annotations

from datetime import datetime

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.ogc.catalog import Catalog, CollectionData
from api.ogc.specs import BY_ID, CollectionSpec
from twin.derived import Derived
from twin.runtime import Twin


def catalog_of(request: Request, at: datetime | None = None) -> Catalog:
    """The :class:`Catalog` of the campus as built at ``at`` (None: now), made on first use
    (cheap: collections are built when first asked for) and kept with that campus version
    (:mod:`twin.derived`). A plain function: the items endpoints call it directly, which
    costs less per request than resolving dependencies."""
    twin: Twin = request.app.state.twin
    return twin.derived(at).get(_catalog)


def _catalog(derived: Derived) -> Catalog:
    return Catalog(derived.campus)


def collection_data(collection_id: str, catalog: Catalog) -> CollectionData:
    """The collection's data, or 404 naming the collections there are."""
    _check(collection_id)
    return catalog.get(collection_id)


async def collection_ready(collection_id: str, catalog: Catalog) -> CollectionData:
    """:func:`collection_data` for async endpoints: a collection not built yet (seconds of
    work, once) is built in a worker thread so the event loop keeps serving."""
    _check(collection_id)
    built = catalog.built(collection_id)
    if built is not None:
        return built
    return await run_in_threadpool(catalog.get, collection_id)


def spec_of(collection_id: str) -> CollectionSpec:
    """What the collection publishes, or 404 naming the collections there are."""
    _check(collection_id)
    return BY_ID[collection_id]


def _check(collection_id: str) -> None:
    if collection_id not in BY_ID:
        raise HTTPException(
            404,
            f"no collection {collection_id!r}; the collections are {', '.join(BY_ID)}",
        )
