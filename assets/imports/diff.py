"""What an import changes: entities added, removed and changed, with area and GFA deltas (m²)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from shapely.geometry import Polygon

from assets.campus import Campus

Change = Literal["added", "removed", "changed"]
EntityKind = Literal["zone", "parcel", "building", "floor", "unit"]
SAME_SHAPE_M = 0.005
"""Vertices closer than this are the same (coordinates are kept to the cm), m."""


@dataclass(frozen=True)
class EntityChange:
    """One entity an import adds, removes or changes. Areas and GFA in m² (None: not there)."""

    kind: EntityKind
    id: str
    change: Change
    area_before_m2: float | None = None
    area_after_m2: float | None = None
    gfa_before_m2: float | None = None
    gfa_after_m2: float | None = None
    fields: tuple[str, ...] = ()
    """For a change: the dataset fields that differ (``geometry`` for a polygon)."""

    @property
    def area_delta_m2(self) -> float:
        return (self.area_after_m2 or 0.0) - (self.area_before_m2 or 0.0)

    @property
    def gfa_delta_m2(self) -> float:
        return (self.gfa_after_m2 or 0.0) - (self.gfa_before_m2 or 0.0)


@dataclass(frozen=True)
class CampusDiff:
    """Every change between two campuses, in kind order (zones first, units last)."""

    changes: tuple[EntityChange, ...] = field(default_factory=tuple)
    gfa_before_m2: float = 0.0
    gfa_after_m2: float = 0.0

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def ids(self, kind: EntityKind, change: Change) -> list[str]:
        return [c.id for c in self.changes if c.kind == kind and c.change == change]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {added, removed, changed}}`` for the kinds that change."""
        out: dict[str, dict[str, int]] = {}
        for c in self.changes:
            row = out.setdefault(c.kind, {"added": 0, "removed": 0, "changed": 0})
            row[c.change] += 1
        return out


def _same_shape(a: Polygon, b: Polygon) -> bool:
    return bool(a.normalize().equals_exact(b.normalize(), SAME_SHAPE_M))


def _compare(
    kind: EntityKind,
    before: Mapping[str, Polygon],
    after: Mapping[str, Polygon],
    models_before: Mapping[str, object],
    models_after: Mapping[str, object],
    gfa: tuple[Mapping[str, float], Mapping[str, float]] = ({}, {}),
) -> Iterator[EntityChange]:
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None:
            change: Change = "added"
            fields: tuple[str, ...] = ()
        elif b is None:
            change, fields = "removed", ()
        else:
            change = "changed"
            fields = _changed_fields(models_before.get(key), models_after.get(key))
            if not _same_shape(a, b):
                fields = ("geometry", *fields)
            if not fields:
                continue
        yield EntityChange(
            kind,
            key,
            change,
            area_before_m2=_rounded(a.area if a is not None else None),
            area_after_m2=_rounded(b.area if b is not None else None),
            gfa_before_m2=_rounded(gfa[0].get(key)),
            gfa_after_m2=_rounded(gfa[1].get(key)),
            fields=fields,
        )


def _rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


GEOMETRY_FIELDS = {"polygon", "footprint", "floors"}
"""Model fields compared as shapes (or as floors and units, entity by entity), not as values."""


def _changed_fields(a: object, b: object) -> tuple[str, ...]:
    if a is None or b is None or not hasattr(a, "model_dump"):
        return ()
    da, db = a.model_dump(), b.model_dump()  # type: ignore[attr-defined]
    return tuple(k for k in da if k not in GEOMETRY_FIELDS and da[k] != db.get(k))


def campus_diff(before: Campus, after: Campus) -> CampusDiff:
    """What changes from ``before`` to ``after``, entity by entity."""
    floors = (
        {f.id: f.plate for f in before.all_floors()},
        {f.id: f.plate for f in after.all_floors()},
    )
    units = ({u.id: u.polygon for u in before.units()}, {u.id: u.polygon for u in after.units()})
    changes = [
        *_compare("zone", before.zone_polygons, after.zone_polygons, before.zones, after.zones),
        *_compare(
            "parcel",
            before.parcel_polygons,
            after.parcel_polygons,
            before.parcels,
            after.parcels,
            (
                {k: before.parcel_gfa_m2(k) for k in before.parcels},
                {k: after.parcel_gfa_m2(k) for k in after.parcels},
            ),
        ),
        *_compare(
            "building",
            before.footprints,
            after.footprints,
            before.buildings,
            after.buildings,
            (
                {k: before.gfa_m2(k) for k in before.buildings},
                {k: after.gfa_m2(k) for k in after.buildings},
            ),
        ),
        *_compare("floor", *floors, {}, {}),
        *_compare("unit", *units, {}, {}),
    ]
    return CampusDiff(
        changes=tuple(changes),
        gfa_before_m2=round(sum(before.gfa_m2(b) for b in before.buildings), 2),
        gfa_after_m2=round(sum(after.gfa_m2(b) for b in after.buildings), 2),
    )
