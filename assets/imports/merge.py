"""Laying an import over the current campus: records -> dataset models -> a validated campus.

A record replaces only the fields it gives; what it omits is kept from the entity it updates,
so a survey of footprints keeps the buildings' names, uses and published claims. Floors and
units given for a building replace that building's drawn floors. Whatever the import, the
result must keep every invariant of the dataset (:func:`assets.validation.validate`); a broken
rule raises :class:`DatasetError` naming the source file, the entity and the rule.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from shapely.geometry import Polygon

from assets.campus import Campus, polygon_of
from assets.dataset import rebuilt
from assets.errors import DatasetError
from assets.imports.records import ImportBatch, ImportRecord, split_floor_id, split_unit_id
from assets.models import Building, FloorPlan, Parcel, Zone

M = TypeVar("M", bound=BaseModel)
NEW_BUILDING_DEFAULTS: dict[str, Any] = {"use": "office", "storey_height_m": 4.0}
"""Fields a new building takes when its source is silent (a survey rarely says)."""
IMPORTED = "surveyed"
"""Provenance of geometry an import changed without saying where it came from."""


def merge(campus: Campus, batch: ImportBatch, prune: bool = False) -> Campus:
    """The campus after ``batch``, validated.

    ``prune``: the batch describes whole kinds (a survey of every building): zones, parcels or
    buildings of a kind the batch mentions but that it does not list are removed.

    Raises
    ------
    DatasetError
        Naming ``batch.source``, the entity and the rule, when a record or the result is wrong.
    """
    zones = _merged(batch, "zone", campus.zones, Zone, lambda f, _: f)
    parcels = _merged(batch, "parcel", campus.parcels, Parcel, _parcel_defaults(zones))
    buildings = _merged(batch, "building", campus.buildings, Building, _building_defaults(parcels))
    buildings = _with_floor_plans(batch, buildings)
    if prune:
        zones, parcels, buildings = (
            _pruned(batch, kind, entities)
            for kind, entities in (("zone", zones), ("parcel", parcels), ("building", buildings))
        )
    try:
        return rebuilt(
            campus, zones=zones.values(), parcels=parcels.values(), buildings=buildings.values()
        )
    except DatasetError as exc:
        raise DatasetError(batch.source, exc.entity, exc.rule, exc.detail) from exc


def _merged(
    batch: ImportBatch,
    kind: str,
    current: dict[str, M],
    model: type[M],
    defaults: Any,
) -> dict[str, M]:
    """Current entities of one kind with the batch's records of that kind laid over them."""
    out = dict(current)
    for record in batch.of_kind(kind):  # type: ignore[arg-type]
        before = current.get(record.id)
        fields = dict(record.fields)
        base = before.model_dump(mode="json") if before is not None else {}
        if before is None:
            base = {"name": {"zh": record.id, "en": record.id}, **defaults(fields, record)}
        if isinstance(fields.get("name"), dict):  # a name in one language keeps the other
            fields["name"] = {**base.get("name", {}), **fields["name"]}
        merged = {**base, **fields, "id": record.id}
        if "provenance" not in fields:
            merged["provenance"] = base.get("provenance", IMPORTED)
        entity = _validated(batch, record, model, merged)
        if "provenance" not in fields and before is not None and entity != before:
            entity = entity.model_copy(update={"provenance": IMPORTED})
        out[record.id] = entity
    return out


def _validated(batch: ImportBatch, record: ImportRecord, model: type[M], data: dict) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        entity = f"{record.id} ({record.where})" if record.where else record.id
        raise DatasetError(batch.source, entity, "schema", f"{where}: {first['msg']}") from exc


def _containing(polygons: dict[str, Polygon], shape: Polygon) -> str | None:
    """The id of the smallest polygon containing ``shape``'s representative point."""
    point = shape.representative_point()
    inside = [(p.area, k) for k, p in polygons.items() if p.contains(point)]
    return min(inside)[1] if inside else None


def _parcel_defaults(zones: dict[str, Zone]) -> Any:
    polygons = {k: polygon_of(z.polygon) for k, z in zones.items()}

    def defaults(fields: dict, record: ImportRecord) -> dict[str, Any]:
        if "zone" in fields or "polygon" not in fields:
            return {"role": "plot"}
        return {"role": "plot", "zone": _containing(polygons, polygon_of(fields["polygon"]))}

    return defaults


def _building_defaults(parcels: dict[str, Parcel]) -> Any:
    polygons = {k: polygon_of(p.polygon) for k, p in parcels.items()}

    def defaults(fields: dict, record: ImportRecord) -> dict[str, Any]:
        out = dict(NEW_BUILDING_DEFAULTS)
        if "parcel" not in fields and "footprint" in fields:
            out["parcel"] = _containing(polygons, polygon_of(fields["footprint"]))
        return out

    return defaults


def _with_floor_plans(batch: ImportBatch, buildings: dict[str, Building]) -> dict[str, Building]:
    """Buildings whose floors or units the batch draws, with those plans."""
    floors: dict[str, dict[int, ImportRecord]] = defaultdict(dict)
    units: dict[str, dict[int, list[ImportRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in batch.of_kind("floor"):
        building, level = _parse(batch, record, split_floor_id)
        floors[building][level] = record
    for record in batch.of_kind("unit"):
        building, level, _code = _parse(batch, record, split_unit_id)
        units[building][level].append(record)
    out = dict(buildings)
    for building_id in sorted(set(floors) | set(units)):
        b = out.get(building_id)
        if b is None:
            raise DatasetError(
                batch.source, building_id, "unknown-id", "floors or units of an unknown building"
            )
        out[building_id] = _drawn(batch, b, floors.get(building_id, {}), units[building_id])
    return out


def _parse(batch: ImportBatch, record: ImportRecord, split: Any) -> Any:
    try:
        return split(record.id)
    except ValueError as exc:
        raise DatasetError(batch.source, record.where or record.id, "schema", str(exc)) from exc


def _drawn(
    batch: ImportBatch,
    building: Building,
    floors: dict[int, ImportRecord],
    units: dict[int, list[ImportRecord]],
) -> Building:
    """``building`` with drawn floors: the batch's floors replace all of them; units alone
    replace the units of their floors, which must be drawn already."""
    if floors:
        plates = {level: r.fields.get("polygon") for level, r in floors.items()}
    elif building.floors is not None:
        plates = {f.level: f.polygon for f in building.floors}
    else:
        raise DatasetError(
            batch.source,
            building.id,
            "floor-plans",
            "units need their floor plates: give the building's floors too",
        )
    kept = {f.level: f.units for f in building.floors or [] if not floors}
    plans = []
    for level in sorted(plates):
        new_units = [
            {"code": r.id.rsplit("/", 1)[1], **{k: v for k, v in r.fields.items() if k != "code"}}
            for r in units.get(level, [])
        ]
        data = {
            "level": level,
            "polygon": plates[level],
            "units": new_units if level in units else [u.model_dump() for u in kept.get(level, [])],
        }
        record = floors.get(level) or ImportRecord("floor", f"{building.id}/L{level:02d}", data)
        plans.append(_validated(batch, record, FloorPlan, data))
    data = building.model_dump(mode="json") | {
        "floors": [p.model_dump(mode="json") for p in plans],
        "layout": None,
    }
    if floors and "storeys" not in _fields_of(batch, building.id):
        data["storeys"] = len(plans)
    result = Building.model_validate(data)
    if result == building or "provenance" in _fields_of(batch, building.id):
        return result
    return result.model_copy(update={"provenance": IMPORTED})


def _fields_of(batch: ImportBatch, entity_id: str) -> dict[str, Any]:
    for r in batch.records:
        if r.id == entity_id and r.kind in ("zone", "parcel", "building"):
            return r.fields
    return {}


def _pruned(batch: ImportBatch, kind: str, entities: dict[str, M]) -> dict[str, M]:
    """Only the entities the batch lists, when it lists any of ``kind``."""
    listed = {r.id for r in batch.of_kind(kind)}  # type: ignore[arg-type]
    return {k: v for k, v in entities.items() if k in listed} if listed else entities
