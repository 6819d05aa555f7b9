"""The editable collections, and a feature's ETag: the version of its building's geometry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from api.etags import etag_of
from assets.imports.edits import EditKind
from twin.imports.edits import geometry_version
from twin.runtime import Twin

EDITABLE: Mapping[str, EditKind] = MappingProxyType(
    {"buildings": "building", "floors": "floor", "units": "unit"}
)
"""Collection id -> the kind its features are edited as (OGC API - Features Part 4)."""


def feature_etag(twin: Twin, collection_id: str, feature_id: str, at: datetime) -> str | None:
    """The strong ETag of an editable feature as read at ``at``: the version of its building's
    geometry stream then (a floor's and a unit's travel with their building); None for the
    collections that are not edited."""
    if collection_id not in EDITABLE:
        return None
    return etag_of(geometry_version(twin, feature_id.split("/", 1)[0], at))
