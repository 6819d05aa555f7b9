"""Reading a BIM model (IFC): a building's storeys become its floors, its spaces leasable units.

One IfcBuilding per import: a file holding several is refused unless ``options.building`` names
one (by its id, i.e. its slugified Name, by Name or by GlobalId). Storeys sorted by elevation
become levels 1..n, ground first; a storey lying wholly below ±0.00 (the storey above it starts
at or below zero) is a basement and is skipped, as is a top storey with neither spaces nor a
floor slab (a roof level): both are named in the building record's ``where``. Each IfcSpace
becomes a unit (code from its Name, name from its LongName), except ``GFA`` spaces, which only
shape the plate. Plan shapes are the element's tessellated body projected on the plan (see
:mod:`assets.imports.ifc_plan`); a floor plate is the union of the storey's floor slabs and
spaces with wall gaps closed and holes filled; the footprint is the union of all plates, so
every floor stands on it. Placement: :mod:`assets.imports.ifc_placement`. The building's ``use``
is given only when ``Pset_BuildingCommon.OccupancyType`` names one of the dataset's uses; the
merge defaults a new building to an office.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.placement
import ifcopenshell.util.unit
import shapely
from shapely.geometry import Polygon

from assets.campus import floor_id
from assets.errors import DatasetError
from assets.imports.ifc_placement import Placement, placement
from assets.imports.ifc_plan import (
    PlanShape,
    merged_outline,
    plan_shapes,
    space_outline,
    where,
)
from assets.imports.records import ImportBatch, ImportRecord, ReadOptions, ring
from assets.models import ID_PATTERN

Entity = ifcopenshell.entity_instance
GROUND_TOLERANCE_M = 0.01
"""A storey whose upper neighbour starts this little above ±0.00, or lower, is below ground."""
FLOOR_SLABS = ("FLOOR", "BASESLAB", "NOTDEFINED", "USERDEFINED", None)
USES = {u: u for u in ("office", "mixed", "data_centre", "service")} | {
    "data_center": "data_centre"
}
"""Pset_BuildingCommon.OccupancyType values (lower case, ``_`` for spaces) -> dataset use."""
MAX_CODE = 40
FILE = "(file)"


@dataclass
class _Storey:
    element: Entity
    elevation_m: float
    units: list[Entity] = field(default_factory=list)
    plate: list[Entity] = field(default_factory=list)
    """Elements whose plan makes the plate: floor slabs and every space."""


def read(path: Path, options: ReadOptions) -> ImportBatch:
    """One building's records (building, floors ``<id>/L<nn>``, units ``<id>/L<nn>/<code>``).

    Coordinates are EPSG:32651 metres rounded to the cm, from the file's georeferencing or
    ``options.anchor``/``options.rotation_deg``; the batch's note says which placed it.

    Raises
    ------
    DatasetError
        Rules ``format`` (not IFC), ``schema`` (no or several buildings, no storeys, bad id or
        name), ``unique-id`` (two spaces of a storey with one code), ``geometry`` (a space
        without a body, a plate in pieces, storey spacing outside 2-12 m), ``georeference``
        and ``crs`` (see :func:`assets.imports.ifc_placement.placement`).
    """
    file = path.name
    model = _open(path)
    building = _chosen_building(model, file, options)
    building_id = _building_id(building, file, options)
    place = placement(model, building, file, options)
    storeys, notes, above = _storeys(building, file)
    shapes = plan_shapes(model, [e for s in storeys for e in s.plate], file)
    plates = [_plate(s, shapes, file) for s in storeys]
    height_m = _height(storeys, above, shapes, file)
    records = [
        ImportRecord(
            "building",
            building_id,
            _building_fields(building, building_id, file, options, place, plates, height_m),
            where(building) + (f"; skipped {', '.join(notes)}" if notes else ""),
        )
    ]
    for level, (storey, plate) in enumerate(zip(storeys, plates, strict=True), start=1):
        floor = floor_id(building_id, level)
        records.append(
            ImportRecord("floor", floor, {"polygon": _ring(plate, place)}, where(storey.element))
        )
        for code, space in _codes(storey, file).items():
            fields: dict[str, Any] = {
                "polygon": _ring(space_outline(shapes[space.id()], space, file), place)
            }
            if space.LongName:
                fields["name"] = _name([space.LongName])
            records.append(ImportRecord("unit", f"{floor}/{code}", fields, where(space)))
    return ImportBatch(file, tuple(records), notes=(f"placed by {place.method}",))


def _open(path: Path) -> ifcopenshell.file:
    try:
        return ifcopenshell.open(str(path))
    except FileNotFoundError as exc:
        raise DatasetError(path.name, FILE, "format", f"no file at {path}") from exc
    except (ifcopenshell.Error, OSError, RuntimeError) as exc:
        raise DatasetError(path.name, FILE, "format", f"not an IFC (STEP) file: {exc}") from exc


def slug(text: str) -> str:
    """``"Fin Lab (North)"`` -> ``"fin-lab-north"``: a dataset id, or ``""`` if nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _chosen_building(model: ifcopenshell.file, file: str, options: ReadOptions) -> Entity:
    buildings = model.by_type("IfcBuilding")
    if not buildings:
        raise DatasetError(file, FILE, "schema", "the file has no IfcBuilding")
    if len(buildings) == 1:
        return buildings[0]
    wanted = options.building
    chosen = [b for b in buildings if wanted in (slug(b.Name or ""), b.Name, b.GlobalId) and wanted]
    if len(chosen) == 1:
        return chosen[0]
    listed = ", ".join(f"{b.Name!r} (GlobalId {b.GlobalId})" for b in buildings)
    raise DatasetError(
        file,
        FILE,
        "schema",
        f"the file holds {len(buildings)} buildings ({listed}): "
        + ("none matches" if wanted else "pick one with --building NAME|GLOBALID"),
    )


def _building_id(building: Entity, file: str, options: ReadOptions) -> str:
    candidates = [options.building or "", slug(building.Name or ""), slug(building.LongName or "")]
    building_id = next((c for c in candidates if re.fullmatch(ID_PATTERN, c)), "")
    if not building_id:
        raise DatasetError(
            file,
            where(building),
            "schema",
            "cannot make an id (a-z, 0-9, -) from the building's name: pass --building ID",
        )
    return building_id


def _elevation_m(storey: Entity, unit_m: float) -> float:
    if storey.Elevation is not None:
        return float(storey.Elevation) * unit_m
    matrix = ifcopenshell.util.placement.get_local_placement(storey.ObjectPlacement)
    return float(matrix[2][3]) * unit_m


def _storeys(building: Entity, file: str) -> tuple[list[_Storey], list[str], float | None]:
    """The building's storeys above ground that have a plate, ground first; what was skipped;
    the elevation (m) of a skipped storey right above the top one, if any."""
    unit_m = ifcopenshell.util.unit.calculate_unit_scale(building.file)
    elements = [
        e
        for rel in building.IsDecomposedBy
        for e in rel.RelatedObjects
        if e.is_a("IfcBuildingStorey")
    ]
    if not elements:
        raise DatasetError(file, where(building), "schema", "the building has no storeys")
    storeys = sorted((_Storey(e, _elevation_m(e, unit_m)) for e in elements), key=_by_elevation)
    notes = [
        f"{s.element.Name!r} (below ground)"
        for s, up in itertools.pairwise(storeys)
        if up.elevation_m <= GROUND_TOLERANCE_M
    ]
    storeys = storeys[len(notes) :]
    for storey in storeys:
        _fill(storey)
    above = None
    while storeys and not storeys[-1].plate:
        above = storeys[-1].elevation_m
        notes.append(f"{storeys.pop().element.Name!r} (no spaces or floor slab)")
    empty = [s for s in storeys if not s.plate]
    if not storeys or empty:
        entity = where(empty[0].element) if empty else where(building)
        raise DatasetError(file, entity, "geometry", "a storey has no spaces or floor slab")
    return storeys, notes, above


def _by_elevation(storey: _Storey) -> float:
    return storey.elevation_m


def _fill(storey: _Storey) -> None:
    """The storey's unit spaces and plate elements, from its decomposition and contents."""
    parts = sorted(ifcopenshell.util.element.get_decomposition(storey.element), key=Entity.id)
    for element in parts:
        if element.is_a("IfcSpace"):
            storey.plate.append(element)
            nested = any(
                p.is_a("IfcSpace") for r in element.IsDecomposedBy for p in r.RelatedObjects
            )
            if ifcopenshell.util.element.get_predefined_type(element) != "GFA" and not nested:
                storey.units.append(element)
        elif (
            element.is_a("IfcSlab")
            and ifcopenshell.util.element.get_predefined_type(element) in FLOOR_SLABS
        ):
            storey.plate.append(element)


def _plate(storey: _Storey, shapes: dict[int, PlanShape], file: str) -> Polygon:
    return merged_outline([shapes[e.id()].plan for e in storey.plate], where(storey.element), file)


def _height(
    storeys: list[_Storey], above: float | None, shapes: dict[int, PlanShape], file: str
) -> float:
    """Storey height, m: the median spacing of the storeys' elevations (with a roof storey
    right above), or for a single storey the height of its tallest space."""
    levels = [s.elevation_m for s in storeys] + ([above] if above is not None else [])
    if len(levels) > 1:
        height = statistics.median(b - a for a, b in itertools.pairwise(levels))
    else:
        height = max((shapes[e.id()].height_m for e in storeys[0].units), default=0.0)
    if not 2 < height <= 12:
        raise DatasetError(
            file,
            where(storeys[0].element),
            "geometry",
            f"storeys are {height:.2f} m high (the median spacing of their elevations, or the "
            "tallest space of a single storey); the campus model needs more than 2 and at most 12 m",
        )
    return round(height, 3)


def _code(space: Entity) -> str:
    """The space's Name as a unit code: other characters become ``-``."""
    return re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9-]", "-", space.Name or "")).strip("-")[:MAX_CODE]


def _codes(storey: _Storey, file: str) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for space in storey.units:
        code = _code(space)
        if not code:
            raise DatasetError(
                file,
                where(space),
                "schema",
                "the space's Name gives no unit code (letters, digits, -): name the space",
            )
        if code in out:
            raise DatasetError(
                file,
                where(space),
                "unique-id",
                f"unit code {code!r} is also the code of {where(out[code])} on storey "
                f"{storey.element.Name!r}: give the spaces distinct names",
            )
        out[code] = space
    return out


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _name(texts: list[str | None]) -> dict[str, str]:
    """``{"zh", "en"}`` from the first texts with and without Chinese characters (each
    defaulting to the other)."""
    given = [t.strip() for t in texts if t and t.strip()]
    zh = next((t for t in given if _has_cjk(t)), None)
    en = next((t for t in given if not _has_cjk(t)), None)
    return {"zh": zh or en or "", "en": en or zh or ""}


def _use(building: Entity) -> str | None:
    value = ifcopenshell.util.element.get_pset(building, "Pset_BuildingCommon", "OccupancyType")
    key = re.sub(r"[\s-]+", "_", str(value or "").strip().lower())
    return USES.get(key)


def _building_fields(
    building: Entity,
    building_id: str,
    file: str,
    options: ReadOptions,
    place: Placement,
    plates: list[Polygon],
    height_m: float,
) -> dict[str, Any]:
    footprint = merged_outline(plates, where(building), file)
    fields: dict[str, Any] = {
        "name": _name([building.LongName, building.Name, building_id]),
        "footprint": _ring(footprint, place),
        "storeys": len(plates),
        "storey_height_m": height_m,
        "layout": None,
        "provenance": "surveyed",
    }
    if (use := _use(building)) is not None:
        fields["use"] = use
    if options.parcel is not None:
        fields["parcel"] = options.parcel
    return fields


def _ring(polygon: Polygon, place: Placement) -> list[tuple[float, float]]:
    return ring(shapely.transform(polygon, place.apply).exterior.coords)
