"""The collections the OGC API publishes, each with an explicit allow-list of properties.

Only the properties named here ever leave the API: a field added to
:mod:`assets.features` later (a tenant, a rent) stays private until someone lists it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Literal

from assets.history import CAMPUS_TZ

JsonType = Literal["string", "number", "integer"]
"""The JSON Schema type of a property; every published property may also be null."""

HISTORY_START = datetime(2019, 1, 1, tzinfo=CAMPUS_TZ)
"""Start of every collection's temporal extent: the campus's history begins in 2019."""

PREFIX = "/ogc"
"""Where the OGC API lives."""
TAGS: list[str | Enum] = ["OGC API - Features"]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
"""WGS 84 longitude, latitude: the CRS of every coordinate and bbox of this API."""


def _props(**types: JsonType) -> Mapping[str, JsonType]:
    return MappingProxyType(dict(types))


NAMES = _props(name="string", name_zh="string")
SOURCES = _props(provenance="string", facts="string")


@dataclass(frozen=True)
class CollectionSpec:
    """One published collection.

    Attributes
    ----------
    id : the collection id in URLs (``/ogc/collections/{id}``).
    title, description : for people, in the collection metadata.
    kinds : the :data:`assets.features.KINDS` it holds.
    geometry : the GeoJSON geometry type of its features.
    properties : the allow-list: property name -> JSON type, in output order.
    live : the event stream prefix (``building``, ``facility``) whose state at ``datetime``
        adds :attr:`live_properties`, or None for static collections.
    live_properties : the allow-list of the time-dependent properties.
    """

    id: str
    title: str
    description: str
    kinds: tuple[str, ...]
    geometry: Literal["Polygon", "Point"]
    properties: Mapping[str, JsonType]
    live: Literal["building", "facility"] | None = None
    live_properties: Mapping[str, JsonType] = field(default_factory=lambda: _props())

    @property
    def all_properties(self) -> dict[str, JsonType]:
        """Every published property, static then time-dependent."""
        return {**self.properties, **self.live_properties}


COLLECTIONS: tuple[CollectionSpec, ...] = (
    CollectionSpec(
        id="zones",
        title="Zones",
        description=(
            "The park (~7 km², F3), its core (3.2 km², F3) and the fish-shaped complex "
            "(750,000 m² of floor space, F4); `kind` tells them apart. Areas are planar m² "
            "in EPSG:32651; the geometry is schematic."
        ),
        kinds=("park", "core", "complex"),
        geometry="Polygon",
        properties=_props(
            kind="string",
            **NAMES,
            parent="string",
            area_m2="number",
            gfa_m2="number",
            **SOURCES,
        ),
    ),
    CollectionSpec(
        id="parcels",
        title="Parcels",
        description="Land parcels with their zone, role, area and floor space (m²).",
        kinds=("parcel",),
        geometry="Polygon",
        properties=_props(
            kind="string",
            **NAMES,
            zone="string",
            role="string",
            area_m2="number",
            gfa_m2="number",
            **SOURCES,
        ),
    ),
    CollectionSpec(
        id="buildings",
        title="Buildings",
        description=(
            "Building footprints with floor space (m²), storeys and height (m), and their "
            "construction stage and its status at `datetime` (default: now)."
        ),
        kinds=("building",),
        geometry="Polygon",
        properties=_props(
            kind="string",
            **NAMES,
            parcel="string",
            use="string",
            gfa_m2="number",
            storeys="integer",
            height_m="number",
            **SOURCES,
        ),
        live="building",
        live_properties=_props(stage="string", status="string"),
    ),
    CollectionSpec(
        id="floors",
        title="Floors",
        description="Floor plates: building, level, base height (m) and area (m²).",
        kinds=("floor",),
        geometry="Polygon",
        properties=_props(
            kind="string",
            name="string",
            building="string",
            level="integer",
            base_m="number",
            area_m2="number",
        ),
    ),
    CollectionSpec(
        id="units",
        title="Units",
        description=(
            "Lettable units of every floor (ids like fish-head-t1/L12/U03) with their area "
            "(m²). Public: no tenant, rent or lease terms."
        ),
        kinds=("unit",),
        geometry="Polygon",
        properties=_props(
            kind="string",
            name="string",
            building="string",
            floor="string",
            level="integer",
            area_m2="number",
        ),
    ),
    CollectionSpec(
        id="facilities",
        title="Facilities",
        description=(
            "Facilities (data centre, external power feeds, service centre) as points, with "
            "their status at `datetime` (default: now)."
        ),
        kinds=("facility",),
        geometry="Point",
        properties=_props(
            kind="string",
            **NAMES,
            facility_kind="string",
            building="string",
            rack_quota="integer",
            **SOURCES,
        ),
        live="facility",
        live_properties=_props(status="string"),
    ),
)

BY_ID: Mapping[str, CollectionSpec] = MappingProxyType({c.id: c for c in COLLECTIONS})
