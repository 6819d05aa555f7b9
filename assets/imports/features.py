"""Source features -> import records: what the GeoJSON and GeoPackage readers share.

A reader turns its file into :class:`SourceFeature` objects (plain property values, a shapely
geometry in the source's CRS); :func:`records_of` tells each one's kind, reads its fields through
the mapping (:mod:`assets.imports.mapping`), converts them, projects its polygon to EPSG:32651
rounded to the cm and returns the batch. Anything it cannot read raises
:class:`~assets.errors.DatasetError` naming the file, the feature and the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, get_args

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from assets.campus import floor_id
from assets.errors import DatasetError
from assets.imports.mapping import KIND_NAMES, ZONE_KINDS, Mapping, own_names
from assets.imports.records import ImportBatch, ImportRecord, Kind, ring
from assets.models import Building, Provenance, Zone
from assets.text import MAX_NAME, checked_text
from geometry.crs import PROJECTED, to_utm_from
from geometry.shapes import oriented

IGNORED_OWN_KINDS = ("facility",)
"""Kinds our export writes that an import does not read (facilities are points, not surveyed)."""
GEOMETRY_FIELD: dict[Kind, str] = {
    "zone": "polygon",
    "parcel": "polygon",
    "building": "footprint",
    "floor": "polygon",
    "unit": "polygon",
}
CHOICES: dict[str, tuple[str, ...]] = {
    "use": get_args(Building.model_fields["use"].annotation),
    "provenance": get_args(Provenance),
    "kind": get_args(Zone.model_fields["kind"].annotation),
}
WHOLE = ("storeys", "level")
REAL = ("height_m", "storey_height_m")
STOREY_HEIGHT_DECIMALS = 3
"""``height_m / storeys`` is rounded to the mm: 210 m over 50 storeys is 4.2 m, not 4.2000000001."""
HEIGHT_TOLERANCE_M = 0.01
"""Largest gap between ``height_m`` and ``storeys * storey_height_m`` when a source gives all three."""


@dataclass(frozen=True)
class SourceFeature:
    """One feature as a reader found it.

    ``where``: its place in the file, for messages (``features[3]``, ``layer floors, fid 7``).
    ``layer``: the GeoPackage layer, or the GeoJSON file's name without suffix.
    ``properties``: plain values (str, int, float, list, or ``None`` for null).
    ``geometry``: in ``crs`` (any CRS pyproj knows: ``EPSG:4326``, ``EPSG:4490``, WKT), or
    ``None``. ``id``: the feature's own id member (GeoJSON), if any.
    """

    where: str
    layer: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    crs: str
    id: Any = None


def records_of(features: Iterable[SourceFeature], *, file: str, mapping: Mapping) -> ImportBatch:
    """The records of ``features``, in file order.

    Raises
    ------
    DatasetError
        Rules ``mapping``, ``kind``, ``schema``, ``geometry`` or ``crs``, naming the feature.
    """
    features = list(features)
    columns: dict[str, set[str]] = {}
    for feature in features:
        columns.setdefault(feature.layer, set()).update(feature.properties)
    reader = _Reader(file, mapping, columns)
    records: list[ImportRecord] = []
    seen: dict[tuple[str, str], str] = {}
    for feature in features:
        record = reader.record(feature)
        if record is None:
            continue
        first = seen.setdefault((record.kind, record.id), record.where)
        if first != record.where:
            reader.refuse(
                record.id, feature, "schema", f"duplicate {record.kind} id (first at {first})"
            )
        records.append(record)
    return ImportBatch(file, tuple(records))


class _Reader:
    """One file's context: its name, the mapping and the fields each layer has."""

    def __init__(self, file: str, mapping: Mapping, columns: dict[str, set[str]]):
        self.file, self.mapping, self.columns = file, mapping, columns

    def refuse(self, ident: str | None, feature: SourceFeature, rule: str, detail: str) -> NoReturn:
        entity = f"{ident} ({feature.where})" if ident else feature.where
        raise DatasetError(self.file, entity, rule, detail)

    def record(self, feature: SourceFeature) -> ImportRecord | None:
        """The feature's record, or ``None`` for a feature its kind says to skip."""
        source_kind = self.kind(feature)
        if source_kind == "ignore" or source_kind in IGNORED_OWN_KINDS:
            return None
        if source_kind in ("floor", "unit") and feature.properties.get("derived") in (True, 1):
            return None  # our export's floors and units cut from a layout: the layout stays
        kind: Kind = "zone" if source_kind in ZONE_KINDS else source_kind  # type: ignore[assignment]
        values = self.values(feature, kind)
        ident = self.identity(feature, kind, values)
        fields = self.shaped(feature, kind, ident, values)
        if source_kind in ZONE_KINDS:
            fields["kind"] = source_kind
        fields[GEOMETRY_FIELD[kind]] = self.ring(feature, ident)
        return ImportRecord(kind, ident, fields, feature.where)

    def kind(self, feature: SourceFeature) -> str:
        """The feature's kind: ``[layers]``, else ``[kind]``, else our own ``kind``/layer name."""
        m = self.mapping
        if feature.layer in m.layers:
            return m.layers[feature.layer]
        if m.kind is not None:
            value = None
            if m.kind.field is not None:
                self.require(feature, m.kind.field, "[kind] field")
                value = _text(feature.properties.get(m.kind.field))
                if value in m.kind.values:
                    return m.kind.values[value]
                if value in KIND_NAMES:
                    return value
            if m.kind.default is not None:
                return m.kind.default
            listed = ", ".join(m.kind.values) or "none"
            self.refuse(
                None,
                feature,
                "kind",
                f"{m.kind.field} = {value!r} is not a kind ([kind] values: {listed})",
            )
        own = _text(feature.properties.get("kind"))
        own = own if own is not None else feature.layer
        if own in KIND_NAMES or own in IGNORED_OWN_KINDS:
            return own
        self.refuse(
            None,
            feature,
            "kind",
            f"unknown kind {own!r} (ours: {', '.join(KIND_NAMES)}): "
            "name it with [layers] or [kind] in a mapping file",
        )

    def require(self, feature: SourceFeature, source: str, why: str) -> None:
        """Refuse a mapping naming a field no feature of the layer has (a feature may omit it:
        GeoJSON writers often drop null properties)."""
        have = self.columns.get(feature.layer, set())
        if source not in have:
            self.refuse(
                None,
                feature,
                "mapping",
                f"{why} names field {source!r}, which layer {feature.layer!r} lacks "
                f"(fields: {', '.join(sorted(have)) or 'none'})",
            )

    def values(self, feature: SourceFeature, kind: Kind) -> dict[str, Any]:
        """Our field -> converted value, for the fields the source (or a default) gives."""
        mapped = self.mapping.mapped_fields(kind)
        fields = mapped or own_names(kind)
        out: dict[str, Any] = {}
        own_id = _text(feature.id)
        if own_id is not None and "id" not in mapped:
            out["id"] = own_id
        for target, source in sorted(fields.items(), key=lambda item: item[0] != "id"):
            if mapped:
                self.require(feature, source, f"the mapping's {kind} {target}")
            if target in out:
                continue
            value = self.converted(feature, out, target, feature.properties.get(source), source)
            if value is not None:
                out[target] = value
        for target, constant in self.mapping.constants(kind).items():
            if target not in out:
                out[target] = self.converted(feature, out, target, constant, None)
        return out

    def converted(
        self,
        feature: SourceFeature,
        done: dict[str, Any],
        target: str,
        raw: Any,
        source: str | None,
    ) -> Any:
        """``raw`` converted for ``target``; refused naming the field (or the mapping default)."""
        try:
            return _convert(target, raw)
        except ValueError as exc:
            given = f"field {source!r}" if source is not None else "mapping default"
            shown = repr(raw) if len(repr(raw)) <= 80 else f"{repr(raw)[:77]}..."
            self.refuse(done.get("id"), feature, "schema", f"{target} ({given}) = {shown}: {exc}")

    def identity(self, feature: SourceFeature, kind: Kind, values: dict[str, Any]) -> str:
        """The record id: the feature's, or a floor's/unit's built from building, level, code."""
        ident = values.pop("id", None)
        if kind not in ("floor", "unit"):
            if ident is None:
                self.refuse(None, feature, "schema", f"a {kind} without an id")
            return str(ident)
        names = ("building", "level", "code") if kind == "unit" else ("building", "level")
        given = {n: values.pop(n) for n in names if n in values}
        parsed = _id_parts(ident, len(names))
        parts: dict[str, Any] = {n: given.get(n, parsed.get(n)) for n in names}
        for name in names:
            if name in given and name in parsed and given[name] != parsed[name]:
                self.refuse(
                    ident,
                    feature,
                    "schema",
                    f"id says {name} {parsed[name]!r}, field says {given[name]!r}",
                )
        missing = [n for n in names if parts[n] is None]
        if missing:
            shape = "<building>/L<nn>/<code>" if kind == "unit" else "<building>/L<nn>"
            self.refuse(
                ident,
                feature,
                "schema",
                f"a {kind} needs an id {shape} or fields {', '.join(names)} (missing: {', '.join(missing)})",
            )
        built = floor_id(str(parts["building"]), int(parts["level"]))
        return f"{built}/{parts['code']}" if kind == "unit" else built

    def shaped(
        self, feature: SourceFeature, kind: Kind, ident: str, values: dict[str, Any]
    ) -> dict[str, Any]:
        """Values in the dataset's shape: a name's parts joined, a height made a storey height."""
        name = {
            lang: values.pop(f"name.{lang}") for lang in ("en", "zh") if f"name.{lang}" in values
        }
        if name and kind == "unit":
            # a unit's floor is replaced whole: no current name to fill the other language from
            name = {"en": name.get("en", name.get("zh")), "zh": name.get("zh", name.get("en"))}
        if name:
            values["name"] = name
        height = values.pop("height_m", None)
        if height is None:
            return values
        storeys = values.get("storeys")
        if storeys is None:
            self.refuse(ident, feature, "schema", "height_m without storeys: give storeys too")
        given = values.setdefault(
            "storey_height_m", round(height / storeys, STOREY_HEIGHT_DECIMALS)
        )
        if abs(given * storeys - height) > HEIGHT_TOLERANCE_M:
            self.refuse(
                ident,
                feature,
                "schema",
                f"height_m {height} is not storeys x storey_height_m ({storeys} x {given})",
            )
        return values

    def ring(self, feature: SourceFeature, ident: str) -> list[tuple[float, float]]:
        """The feature's polygon as an EPSG:32651 ring, cm, counter-clockwise, unclosed."""
        polygon = self.polygon(feature, ident)
        crs = feature.crs
        try:
            projected = polygon if crs == PROJECTED else to_utm_from(polygon, crs)
        except ValueError as exc:
            raise DatasetError(self.file, feature.layer or "(file)", "crs", str(exc)) from exc
        if not np.isfinite(shapely.get_coordinates(projected)).all():
            x, y = polygon.exterior.coords[0][:2]
            self.refuse(
                ident,
                feature,
                "crs",
                f"({x}, {y}) is outside {crs}: are the coordinates in another CRS than the file says?",
            )
        points = ring(oriented(projected).exterior.coords)
        rounded = Polygon(points) if len(set(points)) >= 3 else None
        if rounded is None or not rounded.is_valid:
            reason = (
                shapely.is_valid_reason(rounded) if rounded is not None else "fewer than 3 points"
            )
            self.refuse(ident, feature, "geometry", f"not a valid polygon at the cm: {reason}")
        return points

    def polygon(self, feature: SourceFeature, ident: str) -> Polygon:
        g = feature.geometry
        if isinstance(g, MultiPolygon) and len(g.geoms) == 1:
            g = g.geoms[0]
        if not isinstance(g, Polygon) or g.is_empty:
            what = "no geometry" if g is None or g.is_empty else f"a {g.geom_type}"
            if isinstance(g, MultiPolygon):
                what = f"a MultiPolygon of {len(g.geoms)} parts"
            self.refuse(ident, feature, "geometry", f"{what}: give one Polygon per feature")
        if g.interiors:
            self.refuse(
                ident,
                feature,
                "geometry",
                f"a polygon with {len(g.interiors)} hole(s): the dataset keeps outlines only",
            )
        return g


def _id_parts(ident: str | None, count: int) -> dict[str, Any]:
    """``b/L03`` -> building, level; ``b/L03/U07`` -> building, level, code; ``{}`` otherwise."""
    parts = ident.split("/") if ident else []
    level = parts[1][1:] if len(parts) == count and parts[1][:1] == "L" else ""
    if not level.isdigit():
        return {}
    return dict(
        zip(("building", "level", "code"), (parts[0], int(level), *parts[2:]), strict=False)
    )


def _text(value: Any) -> str | None:
    """A property as text (ids, names, references); ``None`` for null or blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return checked_text(text, MAX_NAME) or None  # ValueError: a NUL, a lone surrogate, too long


def _convert(target: str, raw: Any) -> Any:
    """``raw`` as our field ``target`` wants it; ``None`` for null; ValueError saying why not."""
    if raw is None:
        return None
    if isinstance(raw, bool | dict) or (isinstance(raw, list) and target != "facts"):
        raise ValueError("not a number or text")
    if target in WHOLE:
        number = float(raw) if not isinstance(raw, str) else _number(raw)
        if not number.is_integer() or number < 1:
            raise ValueError("not a whole number of at least 1")
        return int(number)
    if target in REAL:
        number = float(raw) if not isinstance(raw, str) else _number(raw)
        if not np.isfinite(number) or number <= 0:
            raise ValueError("not a positive number of metres")
        return number
    if target == "facts":
        items = raw if isinstance(raw, list) else str(raw).split(",")
        return [checked_text(str(i).strip(), MAX_NAME) for i in items if str(i).strip()]
    text = _text(raw)
    if text is not None and target in CHOICES and text not in CHOICES[target]:
        raise ValueError(f"not one of {', '.join(CHOICES[target])}")
    return text


def _number(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError("not a number") from None
