"""What a source file says about the campus, before it is merged: records of dataset fields.

A record carries the fields of one dataset entity (see :mod:`assets.models`) that the source
gives; the merge fills the rest from the entity it replaces, so a file may update a footprint
and keep the building's name, use and published claims. Coordinates are EPSG:32651 metres,
rounded to the centimetre by the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["zone", "parcel", "building", "floor", "unit"]
KINDS: tuple[Kind, ...] = ("zone", "parcel", "building", "floor", "unit")

CM = 2
"""Decimals kept in imported coordinates (EPSG:32651 metres): the centimetre."""


@dataclass(frozen=True)
class ImportRecord:
    """One entity as a source describes it.

    ``id``: a zone, parcel or building id (``fish-head-t1``); a floor's id
    ``<building>/L<nn>``; a unit's id ``<building>/L<nn>/<code>``.
    ``fields``: dataset-model fields given by the source (JSON-like values; polygons as rings of
    (x, y) EPSG:32651 metres). For a zone: kind, name, parent, polygon, provenance...; parcel:
    name, zone, role, polygon...; building: name, parcel, use, footprint, storeys,
    storey_height_m...; floor: polygon (its level comes from the id); unit: polygon, name.
    ``where``: where in the file the record came from, for error messages
    (e.g. ``"layer buildings, feature 3"``).
    """

    kind: Kind
    id: str
    fields: dict[str, Any]
    where: str = ""


@dataclass(frozen=True)
class ImportBatch:
    """Everything one source file says, in file order."""

    source: str
    """The file's name, used in error messages."""
    records: tuple[ImportRecord, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()
    """What the reader wants the user to know (e.g. how an IFC model was placed)."""

    def of_kind(self, kind: Kind) -> list[ImportRecord]:
        return [r for r in self.records if r.kind == kind]


def ring(coords: Any) -> list[tuple[float, float]]:
    """An exterior ring as (x, y) pairs rounded to the cm, without the closing vertex."""
    points = [(round(float(x), CM), round(float(y), CM)) for x, y, *_ in coords]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def split_unit_id(unit_id: str) -> tuple[str, int, str]:
    """``"b/L03/U07"`` -> ``("b", 3, "U07")``; ValueError when it is not a unit id."""
    parts = unit_id.split("/")
    if len(parts) != 3:
        raise ValueError(f"unit id {unit_id!r} is not <building>/L<nn>/<code>")
    return parts[0], parse_level(parts[1], unit_id), parts[2]


def split_floor_id(floor_id: str) -> tuple[str, int]:
    """``"b/L03"`` -> ``("b", 3)``; ValueError when it is not a floor id."""
    parts = floor_id.split("/")
    if len(parts) != 2:
        raise ValueError(f"floor id {floor_id!r} is not <building>/L<nn>")
    return parts[0], parse_level(parts[1], floor_id)


def parse_level(token: str, context: str) -> int:
    if len(token) < 2 or token[0] != "L" or not token[1:].isdigit():
        raise ValueError(f"{context!r}: level {token!r} is not L<nn>")
    return int(token[1:])


@dataclass(frozen=True)
class ReadOptions:
    """How to read a source: field mapping, and where a local (BIM) model stands."""

    mapping: dict[str, Any] | None = None
    """The attribute mapping file's content (see :mod:`assets.imports.mapping`), or ``None``."""
    building: str | None = None
    """IFC: the id of the building the file models (default: from the IfcBuilding's name)."""
    parcel: str | None = None
    """IFC: the parcel the building stands on (default: the parcel containing it)."""
    anchor: tuple[float, float] | None = None
    """IFC: EPSG:32651 (x, y) of the model's origin, m; overrides the file's georeferencing."""
    rotation_deg: float = 0.0
    """IFC with ``anchor``: the model's x axis, degrees counter-clockwise from east."""
