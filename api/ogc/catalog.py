"""The published features, precomputed per collection: GeoJSON dicts and an STRtree.

Built once per collection on first use (1-2 s for the 3,600 units, about 2.5 s for all),
then a page is a tree query, a slice and orjson (about 1.5 ms for a 100-feature bbox page).
Framework-free: the routers only read from it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from api.ogc.cql2 import property_frame
from api.ogc.specs import BY_ID, CollectionSpec
from assets.campus import Campus
from assets.features import campus_features
from geometry.features import Feature
from geometry.geojson import feature_to_geojson
from twin import heap

log = logging.getLogger("twin.api.ogc")

BBox = tuple[float, float, float, float]
"""(min lon, min lat, max lon, max lat) in degrees (CRS84)."""


def public_feature(feature: Feature, spec: CollectionSpec) -> dict[str, Any]:
    """One feature as GeoJSON (EPSG:4326) with only the allow-listed properties of ``spec``.

    Every allow-listed property is present (null when the feature has none), so clients such
    as GDAL see one schema per collection; anything not on the list is dropped.
    """
    geojson = feature_to_geojson(feature)
    source = geojson["properties"]
    geojson["properties"] = {name: source.get(name) for name in spec.properties}
    return geojson


@dataclass(frozen=True)
class CollectionData:
    """The features of one collection, ready to page through.

    Attributes
    ----------
    spec : what is published.
    features : GeoJSON Feature dicts in a stable order (never mutated).
    positions : feature id -> position in :attr:`features`.
    bbox : the collection's extent (min lon, min lat, max lon, max lat), degrees.
    """

    spec: CollectionSpec
    features: Sequence[dict[str, Any]]
    positions: dict[str, int]
    bbox: BBox
    _tree: STRtree
    shapes: np.ndarray

    @classmethod
    def build(cls, spec: CollectionSpec, features: Iterable[Feature]) -> CollectionData:
        """Project, filter and index ``features`` for ``spec``."""
        docs = [public_feature(f, spec) for f in features]
        shapes = np.array([shapely.geometry.shape(d["geometry"]) for d in docs], dtype=object)
        bounds = shapely.total_bounds(shapes) if len(shapes) else np.zeros(4)
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        return cls(
            spec=spec,
            features=tuple(docs),
            positions={d["id"]: i for i, d in enumerate(docs)},
            bbox=(minx, miny, maxx, maxy),
            _tree=STRtree(shapes),
            shapes=shapes,
        )

    def matching(self, bbox: BBox | None) -> Sequence[int]:
        """Positions of the features meeting ``bbox`` (all without one), in stable order."""
        if bbox is None:
            return range(len(self.features))
        return self.meeting(shapely.box(*bbox))

    def meeting(self, region: BaseGeometry) -> list[int]:
        """Positions of the features meeting ``region`` (CRS84), in stable order."""
        hits = self._tree.query(region, predicate="intersects")
        return [int(i) for i in np.sort(hits)]

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The static properties and ``id`` of every feature, one row each in the order of
        :attr:`features`: what CQL2 filters are evaluated on (built on first filter)."""
        return property_frame(self.features, self.spec.properties)


class Catalog:
    """Every collection of one campus, each built on first use (thread-safe)."""

    def __init__(self, campus: Campus):
        self._campus = campus
        self._built: dict[str, CollectionData] = {}
        self._lock = threading.Lock()

    def built(self, collection_id: str) -> CollectionData | None:
        """The collection's data if it is built already, else None (never builds)."""
        return self._built.get(collection_id)

    def get(self, collection_id: str) -> CollectionData:
        """The collection's data; KeyError for an unknown id."""
        built = self._built.get(collection_id)
        if built is not None:
            return built
        spec = BY_ID[collection_id]
        with self._lock:
            built = self._built.get(collection_id)
            if built is None:
                started = time.perf_counter()
                built = CollectionData.build(spec, campus_features(self._campus, spec.kinds))
                self._built[collection_id] = built
                heap.settle()  # its features live as long as the process: freeze them
                log.info(
                    "ogc: collection %s ready: %d features in %.2f s",
                    collection_id,
                    len(built.features),
                    time.perf_counter() - started,
                )
        return built
