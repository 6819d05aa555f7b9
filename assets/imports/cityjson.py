"""Reading CityJSON 1.1 / 2.0: buildings, zones, parcels and drawn floors and units as records.

- ``Building``: footprint from an LoD1 block (its ground face, or the union of its faces at the
  lowest z) or else an LoD0 footprint; dataset fields from attributes of the same name
  (:data:`assets.cityjson.vocabulary.FIELDS`). Without ``storeys`` (or ``storeysAboveGround``)
  the storeys come from the block's height and ``storey_height_m``, else a storey of about
  :data:`DEFAULT_STOREY_M`; such a building is ``provenance: "surveyed"`` unless it says.
- ``LandUse`` with attribute ``entity`` ``zone`` or ``parcel``: its polygon from its surfaces.
- ``BuildingStorey`` / ``BuildingUnit`` not marked ``derived``: drawn floors and units, their
  building from ``parents``; ids ``<building>/L<nn>[/<code>]`` or attributes ``level``,
  ``code``. Derived ones (computed from a ``layout``) are skipped.
- Other CityObjects (roads, terrain, vegetation...) are skipped.

Coordinates in EPSG:32651 are taken as they are; any other EPSG CRS named by
``metadata.referenceSystem`` is transformed to EPSG:32651 (x, y; heights kept).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import shapely

from assets.campus import floor_id
from assets.cityjson.footprints import (
    SURFACE_TYPES,
    Plan,
    decode_vertices,
    footprint,
    surfaces,
)
from assets.cityjson.vocabulary import (
    BUILDING,
    DERIVED,
    ENTITY,
    EPSG,
    FIELDS,
    LAND_USE,
    READABLE_VERSIONS,
    REFERENCE_SYSTEM,
    STOREY,
    STOREYS_ABOVE_GROUND,
    UNIT,
    epsg_code,
)
from assets.errors import DatasetError
from assets.imports.records import (
    ImportBatch,
    ImportRecord,
    ReadOptions,
    ring,
    split_floor_id,
    split_unit_id,
)
from geometry.crs import to_utm_from

DEFAULT_STOREY_M = 4.0
"""Storey height assumed for a block that says neither its storeys nor their height, m."""
HEIGHT_TOLERANCE_M = 0.05
"""Largest gap between a block's height and storeys × storey_height_m when both are given, m."""
SURVEYED = "surveyed"


class _File:
    """One parsed CityJSON file: its objects and decoded EPSG:32651 vertices."""

    def __init__(self, path: Path):
        self.name = path.name
        self.doc = _parsed(path)
        self.objects: dict[str, Any] = self.doc["CityObjects"]
        try:
            vertices = decode_vertices(self.doc)
        except ValueError as exc:
            raise self.error("(vertices)", "format", str(exc)) from exc
        self.vertices = _in_utm(self, vertices)

    def error(self, entity: str, rule: str, detail: str) -> DatasetError:
        return DatasetError(self.name, entity, rule, detail)

    def attributes(self, object_id: str) -> dict[str, Any]:
        attributes = self.objects[object_id].get("attributes") or {}
        if not isinstance(attributes, dict):
            raise self.error(object_id, "format", "'attributes' must be an object")
        return attributes

    def plan(self, object_id: str, lods: tuple[str, ...]) -> tuple[Plan, str]:
        """The footprint of the object's first surface or solid geometry whose LoD family
        (``"1"`` for LoD 1.x) comes first in ``lods``, and that family."""
        geometries = self.objects[object_id].get("geometry") or []
        if not isinstance(geometries, list):
            raise self.error(object_id, "format", "'geometry' must be an array")
        for family in lods:
            for geometry in geometries:
                if not isinstance(geometry, dict) or _family(geometry) != family:
                    continue
                if geometry.get("type") not in SURFACE_TYPES:
                    continue  # points, lines, geometry templates
                try:
                    return footprint(surfaces(geometry), self.vertices), family
                except ValueError as exc:
                    raise self.error(object_id, "geometry", str(exc)) from exc
        kinds = sorted(
            {f"{g.get('type')} lod {g.get('lod')}" for g in geometries if isinstance(g, dict)}
        )
        raise self.error(
            object_id,
            "geometry",
            f"no usable LoD{'/LoD'.join(sorted(lods))} surface or solid geometry"
            f" (found: {', '.join(kinds) or 'none'})",
        )

    def building_of(self, object_id: str, depth: int = 0) -> tuple[str, str | None]:
        """The Building a storey or unit belongs to, and the storey between them (if any)."""
        parents = self.objects[object_id].get("parents") or []
        for parent in parents if isinstance(parents, list) and depth < 2 else []:
            kind = self.objects.get(parent, {}).get("type") if isinstance(parent, str) else None
            if kind == BUILDING:
                return parent, None
            if kind == STOREY:
                building, _ = self.building_of(parent, depth + 1)
                return building, parent
        raise self.error(object_id, "schema", "has no Building among its 'parents'")


def read(path: Path, options: ReadOptions) -> ImportBatch:
    """Every building, zone, parcel and drawn floor and unit ``path`` holds, as records.

    ``options`` are not used: a CityJSON file names its own CRS, ids and attributes.

    Raises
    ------
    DatasetError
        Naming the file, the CityObject (or the part of the file) and the rule: ``format``
        (not CityJSON, unknown version, broken structure), ``crs`` (no or unsupported
        ``referenceSystem``), ``geometry`` (no usable LoD0/LoD1 geometry, vertex index out of
        range, a footprint that is not one polygon), ``schema`` (a floor or unit that cannot
        be placed).
    """
    source = _File(path)
    records: list[ImportRecord] = []
    for object_id, obj in source.objects.items():
        if not isinstance(obj, dict):
            raise source.error(object_id, "format", "a CityObject must be a JSON object")
        kind = obj.get("type")
        if kind == LAND_USE:
            records += _land_use(source, object_id)
        elif kind == BUILDING:
            records.append(_building(source, object_id))
        elif kind in (STOREY, UNIT) and source.attributes(object_id).get(DERIVED) is not True:
            records.append(
                _storey(source, object_id) if kind == STOREY else _unit(source, object_id)
            )
    return ImportBatch(source=path.name, records=tuple(records))


def _where(object_id: str) -> str:
    return f"CityObject {object_id!r}"


def _given(attributes: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: attributes[name] for name in FIELDS[kind] if name in attributes}


def _land_use(source: _File, object_id: str) -> list[ImportRecord]:
    attributes = source.attributes(object_id)
    kind = attributes.get(ENTITY)
    if kind not in ("zone", "parcel"):
        return []  # land use that is not one of the campus's zones or parcels
    plan, _ = source.plan(object_id, ("0", "1"))
    fields = {**_given(attributes, kind), "polygon": ring(plan.ring)}
    return [ImportRecord(kind, object_id, fields, _where(object_id))]


def _building(source: _File, object_id: str) -> ImportRecord:
    attributes = source.attributes(object_id)
    plan, family = source.plan(object_id, ("1", "0"))
    fields = {**_given(attributes, "building"), "footprint": ring(plan.ring)}
    if "storeys" not in fields and isinstance(attributes.get(STOREYS_ABOVE_GROUND), int):
        fields["storeys"] = attributes[STOREYS_ABOVE_GROUND]
    if family == "1":
        fields = _with_storeys(source, object_id, fields, plan.height_m)
    return ImportRecord("building", object_id, fields, _where(object_id))


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _with_storeys(source: _File, object_id: str, fields: dict[str, Any], height_m: float) -> dict:
    """Storeys and storey height checked against, or derived from, the block's height (m)."""
    storeys, storey_m = fields.get("storeys"), fields.get("storey_height_m")
    if _number(storeys) and _number(storey_m):
        if abs(storeys * storey_m - height_m) > HEIGHT_TOLERANCE_M:
            raise source.error(
                object_id,
                "geometry",
                f"the block is {height_m:.2f} m tall but storeys × storey_height_m ="
                f" {storeys} × {storey_m} = {storeys * storey_m:.2f} m",
            )
        return fields
    if height_m <= 0:
        raise source.error(object_id, "geometry", "the LoD1 block has no height")
    if _number(storeys) and storeys > 0:
        return {**fields, "storey_height_m": round(height_m / storeys, 2)}
    per_storey = storey_m if _number(storey_m) and storey_m > 0 else DEFAULT_STOREY_M
    count = max(1, round(height_m / per_storey))
    out = {**fields, "storeys": count, "storey_height_m": round(height_m / count, 2)}
    return out if "provenance" in fields else {**out, "provenance": SURVEYED}


def _level(source: _File, object_id: str, building: str) -> int:
    """A storey's level from its id (``<building>/L<nn>``) or its ``level`` attribute."""
    try:
        owner, level = split_floor_id(object_id)
        if owner == building:
            return level
    except ValueError:
        pass
    given = source.attributes(object_id).get("level")
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    raise source.error(
        object_id, "schema", f"no level: give it the id {building}/L<nn> or a 'level' attribute"
    )


def _storey(source: _File, object_id: str) -> ImportRecord:
    building, _ = source.building_of(object_id)
    level = _level(source, object_id, building)
    plan, _ = source.plan(object_id, ("1", "0"))
    fields = {"polygon": ring(plan.ring)}
    return ImportRecord("floor", floor_id(building, level), fields, _where(object_id))


def _unit(source: _File, object_id: str) -> ImportRecord:
    building, storey = source.building_of(object_id)
    attributes = source.attributes(object_id)
    try:
        owner, level, code = split_unit_id(object_id)
    except ValueError:
        owner, level, code = "", 0, ""
    if owner != building:
        level = _level(source, storey or object_id, building)
        code = attributes.get("code") or ""
        if not isinstance(code, str) or not code:
            raise source.error(
                object_id,
                "schema",
                f"no unit code: give it the id {building}/L<nn>/<code> or a 'code' attribute",
            )
    plan, _ = source.plan(object_id, ("1", "0"))
    fields = {**_given(attributes, "unit"), "polygon": ring(plan.ring)}
    return ImportRecord("unit", f"{floor_id(building, level)}/{code}", fields, _where(object_id))


def _parsed(path: Path) -> dict[str, Any]:
    """The file's JSON, once it is a CityJSON object of a version this reader knows."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(path.name, "(file)", "format", f"not readable JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "CityJSON":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DatasetError(
            path.name, "(file)", "format", f"not a CityJSON object (type is {found!r})"
        )
    version = doc.get("version")
    if version not in READABLE_VERSIONS:
        raise DatasetError(
            path.name,
            "(file)",
            "format",
            f"CityJSON version {version!r} is not read (versions {', '.join(READABLE_VERSIONS)})",
        )
    if not isinstance(doc.get("CityObjects"), dict):
        raise DatasetError(path.name, "(file)", "format", "'CityObjects' must be an object")
    return doc


def _in_utm(source: _File, vertices: np.ndarray) -> np.ndarray:
    """The vertices with x, y in EPSG:32651 (heights kept), from the CRS the file names."""
    metadata = source.doc.get("metadata") or {}
    system = metadata.get("referenceSystem") if isinstance(metadata, dict) else None
    if not isinstance(system, str) or not system:
        raise source.error(
            "(metadata)",
            "crs",
            f"no metadata.referenceSystem: say the CRS of the coordinates ({REFERENCE_SYSTEM})",
        )
    code = epsg_code(system)
    if code is None:
        raise source.error(
            "(metadata)",
            "crs",
            f"referenceSystem {system!r} is not an EPSG CRS ({REFERENCE_SYSTEM})",
        )
    if code == EPSG or not len(vertices):
        return vertices
    try:
        moved = to_utm_from(shapely.multipoints(vertices[:, :2]), f"EPSG:{code}")
    except ValueError as exc:
        raise source.error("(metadata)", "crs", f"unknown CRS EPSG:{code}") from exc
    plan = shapely.get_coordinates(moved)
    if not np.isfinite(plan).all():
        raise source.error(
            "(vertices)", "crs", f"some coordinates lie outside the area of EPSG:{code}"
        )
    return np.column_stack([plan, vertices[:, 2]])


def _family(geometry: dict[str, Any]) -> str:
    """``"1"`` for LoD 1, 1.0, 1.2...; ``"0"`` for LoD 0.x; the leading digit in general."""
    return str(geometry.get("lod", "")).split(".")[0]
