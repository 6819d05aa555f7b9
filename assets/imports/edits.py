"""Editing one building, floor or unit: the edit becomes the batch an import of it would be.

An edit through the OGC API (create, replace, update, delete) is an import: the request's
feature is read as our own export's fields (:func:`assets.imports.features.records_of`), and
:func:`edit_batch` lays it out as a batch that :func:`assets.imports.merge.merge` validates
against every rule of the dataset. A floor or unit edit redraws its building's floors (plates
and units as they are, the edit applied), as a survey of that building would. Coordinates are
EPSG:32651 metres, rounded to the cm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from assets.campus import Campus
from assets.errors import DatasetError
from assets.events import DomainError, ErrorKind
from assets.imports.features import SourceFeature, records_of
from assets.imports.mapping import NO_MAPPING
from assets.imports.records import ImportBatch, ImportRecord
from assets.models import Building

EditKind = Literal["building", "floor", "unit"]
Operation = Literal["create", "replace", "delete"]
WHERE = "request body"
"""Where an edited feature comes from, in the reader's terms."""
SAME_TO_THE_CM_M = 0.015
"""Vertices this close are where they were: a shape read as lon/lat (1e-8°) and rounded to the
cm comes back within it, m."""
RULE_BOOKED = "booked-unit"
"""The rule of the leased-unit guard: a unit still leased or held is not edited away."""


class EditRefused(DomainError):
    """An edit a rule refuses, naming the entity and the rule (members ``entity``, ``rule``)."""

    kind: ErrorKind = "refused"

    def __init__(self, entity: str, rule: str, detail: str, kind: ErrorKind = "refused"):
        self.entity, self.rule, self.kind = entity, rule, kind
        super().__init__(f"{entity}: {detail} (rule: {rule})")

    @classmethod
    def of(cls, error: DatasetError) -> EditRefused:
        """The refusal of a dataset rule the edited campus breaks."""
        return cls(error.entity, error.rule, error.detail)

    @property
    def details(self) -> dict[str, Any]:
        return {"entity": self.entity, "rule": self.rule}


@dataclass(frozen=True)
class Edit:
    """One feature to create, replace or delete; ``record`` holds what create and replace give."""

    kind: EditKind
    operation: Operation
    id: str
    record: ImportRecord | None = None

    @property
    def building(self) -> str:
        """The building the edited entity belongs to (its geometry stream's entity)."""
        return self.id.split("/", 1)[0]


def feature_record(
    kind: EditKind,
    feature_id: str | None,
    properties: dict[str, Any],
    geometry: BaseGeometry | None,
    crs: str,
    source: str,
) -> ImportRecord:
    """The import record of a feature sent for ``feature_id``: the properties our export
    writes (read-only ones such as ``gfa_m2`` or ``area_m2`` are not read), the polygon in
    ``crs``. Without ``feature_id`` a floor's or unit's id comes from its ``building``,
    ``level`` (and ``code``) properties, as in an import.

    Raises
    ------
    EditRefused
        Rules ``kind``, ``schema``, ``geometry`` or ``crs``, naming the feature.
    """
    given = properties.get("kind")
    if given is not None and given != kind:
        raise EditRefused(
            feature_id or "(new feature)", "kind", f"kind {given!r} is not {kind!r}", "invalid"
        )
    own = {k: v for k, v in properties.items() if k != "derived"} | {"kind": kind}
    feature = SourceFeature(WHERE, kind, own, geometry, crs, feature_id)
    try:
        [record] = records_of([feature], file=source, mapping=NO_MAPPING).records
    except DatasetError as refused:
        entity = refused.entity.removesuffix(f" ({WHERE})")
        entity = feature_id or "(new feature)" if entity == WHERE else entity
        raise EditRefused(entity, refused.rule, refused.detail, "invalid") from None
    if feature_id is not None and record.id != feature_id:
        raise EditRefused(
            feature_id, "schema", f"the properties name {record.id!r}, not {feature_id!r}"
        )
    return record


def current_polygon(campus: Campus, kind: EditKind, entity_id: str) -> Polygon | None:
    """The footprint, plate or unit polygon of ``entity_id`` on ``campus`` (EPSG:32651), if any."""
    building = entity_id.split("/", 1)[0]
    if building not in campus.buildings:
        return None
    if kind == "building":
        return campus.footprints[building] if entity_id == building else None
    if kind == "floor":
        return next((f.plate for f in campus.floors(building) if f.id == entity_id), None)
    return next((u.polygon for u in campus.units(building) if u.id == entity_id), None)


def exists(campus: Campus, kind: EditKind, entity_id: str) -> bool:
    """Whether ``campus`` has the building, floor or unit ``entity_id``."""
    return current_polygon(campus, kind, entity_id) is not None


def edit_batch(campus: Campus, edit: Edit, source: str) -> tuple[ImportBatch, bool]:
    """The import batch that makes ``edit`` on ``campus``, and whether it prunes (a deleted
    building: the batch lists every other one).

    Raises
    ------
    EditRefused
        The feature is missing (``not_found``), exists already (``conflict``), or a unit's
        floor or a floor's building is missing.
    """
    there = exists(campus, edit.kind, edit.id)
    if edit.operation == "create" and there:
        raise EditRefused(edit.id, "unique-id", f"a {edit.kind} {edit.id} exists", "conflict")
    if edit.operation != "create" and not there:
        raise EditRefused(edit.id, "unknown-id", f"no {edit.kind} {edit.id}", "not_found")
    if edit.kind == "building":
        if edit.operation == "delete":
            others = [ImportRecord("building", b, {}) for b in campus.buildings if b != edit.id]
            return ImportBatch(source, tuple(others)), True
        return ImportBatch(source, (_given(edit),)), False
    if edit.building not in campus.buildings:
        raise EditRefused(edit.id, "unknown-id", f"no building {edit.building}", "not_found")
    floors, units = _drawn(campus, campus.buildings[edit.building])
    if edit.kind == "floor":
        if edit.operation == "delete":
            floors.pop(edit.id)
            units = {k: v for k, v in units.items() if not k.startswith(edit.id + "/")}
        else:
            floors[edit.id] = _over(floors.get(edit.id), _given(edit))
    else:
        floor = edit.id.rsplit("/", 1)[0]
        if floor not in floors:
            raise EditRefused(edit.id, "unknown-id", f"no floor {floor}", "not_found")
        if edit.operation == "delete":
            units.pop(edit.id)
        else:
            units[edit.id] = _over(units.get(edit.id), _given(edit))
    return ImportBatch(source, (*floors.values(), *units.values())), False


def _over(kept: ImportRecord | None, given: ImportRecord) -> ImportRecord:
    """``given`` laid over the floor's or unit's current record: its name kept unless given,
    its polygon kept when the given one is the same to the cm (read back from lon/lat)."""
    if kept is None:
        return given
    fields = {**kept.fields, **given.fields}
    if _same(kept.fields["polygon"], given.fields["polygon"]):
        fields["polygon"] = kept.fields["polygon"]
    return ImportRecord(given.kind, given.id, fields, given.where)


def _same(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    first, second = Polygon(a).normalize(), Polygon(b).normalize()
    return bool(first.equals_exact(second, SAME_TO_THE_CM_M))


def _given(edit: Edit) -> ImportRecord:
    if edit.record is None:
        raise AssertionError(f"a {edit.operation} needs the feature's record")
    return edit.record


def _points(polygon: Polygon) -> list[tuple[float, float]]:
    """The exterior ring as it stands (not rounded: a derived unit drawn keeps its shape)."""
    return [(float(x), float(y)) for x, y, *_ in polygon.exterior.coords[:-1]]


def _drawn(
    campus: Campus, building: Building
) -> tuple[dict[str, ImportRecord], dict[str, ImportRecord]]:
    """The building's floors and units as records (floor id -> record, unit id -> record), as
    they stand: derived ones drawn as derived, drawn ones with their names."""
    names = {
        f"{building.id}/L{f.level:02d}/{u.code}": u.name
        for f in building.floors or []
        for u in f.units
        if u.name is not None
    }
    floors = {
        f.id: ImportRecord("floor", f.id, {"polygon": _points(f.plate)})
        for f in campus.floors(building.id)
    }
    units = {}
    for u in campus.units(building.id):
        fields: dict[str, Any] = {"polygon": _points(u.polygon)}
        if u.id in names:
            fields["name"] = names[u.id].model_dump()
        units[u.id] = ImportRecord("unit", u.id, fields)
    return floors, units
