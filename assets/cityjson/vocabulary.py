"""What the campus's CityJSON says and how: versions, CRS, object types and attribute names.

Shared by the writer (:mod:`assets.cityjson.write`) and the reader
(:mod:`assets.imports.cityjson`), so that an export reads back into the same campus.
"""

from __future__ import annotations

import re

VERSION = "2.0"
"""The CityJSON version written."""
READABLE_VERSIONS = ("1.1", "2.0")
"""CityJSON versions read (both store vertices as integers with a ``transform``)."""
SCALE_M = 0.01
"""``transform.scale``: one vertex unit is a centimetre, exact for cm-rounded coordinates."""
EPSG = 32651
REFERENCE_SYSTEM = f"https://www.opengis.net/def/crs/EPSG/0/{EPSG}"
"""``metadata.referenceSystem`` of an export: EPSG:32651 (UTM 51N, metres)."""
_EPSG_URL = re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[^/]+/(\d+)$")
_EPSG_URN = re.compile(r"^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$")

LAND_USE, BUILDING = "LandUse", "Building"
STOREY, UNIT = "BuildingStorey", "BuildingUnit"
"""CityObject types: zones and parcels are ``LandUse`` (land set aside for a use), buildings
``Building``, floors ``BuildingStorey``, units ``BuildingUnit`` (a building's subdivisions)."""

LOD_FOOTPRINT, LOD_BLOCK = "0", "1"
"""LoD0: a footprint (zones, parcels); LoD1: a block extruded from a footprint (buildings)."""

ENTITY = "entity"
"""LandUse attribute telling a zone (``"zone"``) from a parcel (``"parcel"``)."""
DERIVED = "derived"
"""Storey and unit attribute: ``true`` when computed from the building's ``layout``; the reader
skips those (the layout is the source of truth), and reads drawn ones (``false``)."""

FIELDS: dict[str, tuple[str, ...]] = {
    "zone": ("kind", "name", "parent", "claims", "provenance", "facts"),
    "parcel": ("name", "zone", "role", "claims", "provenance", "facts"),
    "building": (
        "name",
        "parcel",
        "use",
        "storeys",
        "storey_height_m",
        "layout",
        "claims",
        "provenance",
        "facts",
    ),
    "unit": ("name",),
}
"""Dataset-model fields (:mod:`assets.models`) carried as attributes of the same name; the
geometry carries the polygon or footprint, the CityObject id the entity's id and level."""

STOREYS_ABOVE_GROUND, MEASURED_HEIGHT = "storeysAboveGround", "measuredHeight"
"""CityGML building attributes written for other tools; the reader falls back on
``storeysAboveGround`` when ``storeys`` is absent."""


def epsg_code(reference_system: str) -> int | None:
    """The EPSG code of a CityJSON ``referenceSystem`` (OGC URL or URN), or ``None``."""
    for pattern in (_EPSG_URL, _EPSG_URN):
        match = pattern.match(reference_system.strip())
        if match:
            return int(match.group(1))
    return None
