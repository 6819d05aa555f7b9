"""A generic feature: an id, a kind, a planar geometry (EPSG:32651) and flat properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Feature:
    """One exportable feature. ``properties`` hold JSON scalars only."""

    id: str
    kind: str
    geometry: BaseGeometry
    properties: dict[str, Any] = field(default_factory=dict)
