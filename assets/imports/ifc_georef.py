"""The georeferencing an IFC file carries, in each of the forms architects' tools write it.

- IFC4 and later: an ``IfcMapConversion`` (or ``IfcRigidOperation``) to an ``IfcProjectedCRS``
  (LoGeoRef 50).
- IFC2X3, after buildingSMART's "User Guide for Geo-referencing in IFC": the same values in the
  property sets ``ePSet_MapConversion`` and ``ePSet_ProjectedCRS``, on the IfcSite (the guide)
  or on the IfcProject (ifcopenshell/Bonsai); any spelling of ``ePSet``.
- Any schema: the IfcSite's ``RefLatitude``/``RefLongitude`` (WGS84, at the site's origin) and
  the context's ``TrueNorth`` (LoGeoRef 20/30).

This module only reads; :mod:`assets.imports.ifc_placement` turns what it finds into a placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.geolocation
import ifcopenshell.util.placement
import ifcopenshell.util.unit

from assets.errors import DatasetError
from assets.imports.ifc_plan import where

Entity = ifcopenshell.entity_instance
FILE = "(file)"
MAP_CONVERSION_PSET = "epset_mapconversion"
PROJECTED_CRS_PSET = "epset_projectedcrs"
"""Property set names, compared in lower case (``ePSet_``, ``ePset_`` and ``EPset_`` are all seen)."""


@dataclass(frozen=True)
class MapConversion:
    """A map conversion's parameters, whichever way the file gives them.

    ``eastings``/``northings``: where the local origin lands, in map units; ``x_axis_abscissa``/
    ``x_axis_ordinate``: the local x axis in grid coordinates; ``scale``: as written (``None``
    when absent); ``crs_name``: the target CRS's name (``"EPSG:32651"``); ``map_unit``: an
    IfcNamedUnit, a unit name (property sets), or ``None`` for the CRS's own unit.
    """

    source: str
    eastings: float
    northings: float
    x_axis_abscissa: float
    x_axis_ordinate: float
    scale: float | None
    crs_name: str
    map_unit: Entity | str | None

    @property
    def is_placeholder(self) -> bool:
        """Eastings and northings both 0: a tool's default, not a position."""
        return self.eastings == 0 and self.northings == 0


@dataclass(frozen=True)
class SiteReference:
    """The IfcSite's WGS84 reference point and the project's true north.

    ``latitude``/``longitude``: decimal degrees of the site's origin; ``site_xy_m``: that
    origin in the model's world coordinates, m; ``true_north_deg``: true north's direction,
    degrees counter-clockwise from the project's +y axis (0 when the context gives none).
    """

    source: str
    latitude: float
    longitude: float
    site_xy_m: tuple[float, float]
    true_north_deg: float

    @property
    def is_placeholder(self) -> bool:
        """Latitude and longitude both 0: a tool's default, not a position."""
        return self.latitude == 0 and self.longitude == 0


def site_of(model: ifcopenshell.file, building: Entity) -> Entity | None:
    """The IfcSite the building belongs to, else the file's first site, else ``None``."""
    parent = ifcopenshell.util.element.get_aggregate(building)
    while parent is not None and not parent.is_a("IfcSite"):
        parent = ifcopenshell.util.element.get_aggregate(parent)
    return parent or next(iter(model.by_type("IfcSite")), None)


def map_conversion(
    model: ifcopenshell.file, site: Entity | None, file: str
) -> MapConversion | None:
    """The IfcMapConversion entity's parameters, else ``ePSet_MapConversion``'s, else ``None``.

    Raises
    ------
    DatasetError
        Rule ``georeference`` for a coordinate operation that is not a map conversion.
    """
    if model.schema != "IFC2X3" and model.by_type("IfcCoordinateOperation"):
        return _from_entities(model, file)
    holders = [e for e in (site, *model.by_type("IfcProject")) if e is not None]
    for holder in holders:
        psets = {k.lower(): v for k, v in ifcopenshell.util.element.get_psets(holder).items()}
        if (values := psets.get(MAP_CONVERSION_PSET)) is not None:
            crs = psets.get(PROJECTED_CRS_PSET) or {}
            return MapConversion(
                source=f"ePSet_MapConversion on {where(holder)}",
                eastings=float(values.get("Eastings") or 0.0),
                northings=float(values.get("Northings") or 0.0),
                x_axis_abscissa=float(values.get("XAxisAbscissa") or 0.0),
                x_axis_ordinate=float(values.get("XAxisOrdinate") or 0.0),
                scale=float(values["Scale"]) if values.get("Scale") else None,
                crs_name=str(crs.get("Name") or "").strip(),
                map_unit=crs.get("MapUnit"),
            )
    return None


def _from_entities(model: ifcopenshell.file, file: str) -> MapConversion:
    try:
        helmert = ifcopenshell.util.geolocation.get_helmert_transformation_parameters(model)
    except (AssertionError, AttributeError, IndexError) as exc:
        raise DatasetError(
            file, FILE, "georeference", f"unsupported coordinate operation: {exc}"
        ) from exc
    assert helmert is not None  # the caller checked that there is a coordinate operation
    info: dict[str, Any] = ifcopenshell.util.geolocation.get_crs(model) or {}
    return MapConversion(
        source=model.by_type("IfcCoordinateOperation")[0].is_a(),
        eastings=float(helmert.e),
        northings=float(helmert.n),
        x_axis_abscissa=float(helmert.xaa),
        x_axis_ordinate=float(helmert.xao),
        scale=float(helmert.scale) if helmert.scale else None,
        crs_name=str(info.get("Name") or "").strip(),
        map_unit=info.get("MapUnit"),
    )


def site_reference(
    model: ifcopenshell.file, site: Entity | None, file: str
) -> SiteReference | None:
    """The site's RefLatitude/RefLongitude and the true north, or ``None`` without both angles.

    Raises
    ------
    DatasetError
        Rule ``georeference`` for an angle that is not degrees, minutes, seconds[, millionths]
        of one sign, or out of range.
    """
    if site is None or site.RefLatitude is None or site.RefLongitude is None:
        return None
    latitude = _degrees(site, "RefLatitude", 90.0, file)
    longitude = _degrees(site, "RefLongitude", 180.0, file)
    unit_m = ifcopenshell.util.unit.calculate_unit_scale(model)
    origin = ifcopenshell.util.placement.get_local_placement(site.ObjectPlacement)[:2, 3]
    return SiteReference(
        source=where(site),
        latitude=latitude,
        longitude=longitude,
        site_xy_m=(float(origin[0]) * unit_m, float(origin[1]) * unit_m),
        true_north_deg=float(ifcopenshell.util.geolocation.get_true_north(model)),
    )


def _degrees(site: Entity, attribute: str, limit: float, file: str) -> float:
    """An IfcCompoundPlaneAngleMeasure (degrees, minutes, seconds, millionths) in degrees."""
    parts = [int(v) for v in getattr(site, attribute)]
    try:
        value = ifcopenshell.util.geolocation.dms2dd(*parts)
    except (AssertionError, TypeError):
        value = None
    if value is None or len(parts) < 3 or abs(value) > limit:
        raise DatasetError(
            file,
            where(site),
            "georeference",
            f"{attribute} {tuple(parts)} is not (degrees, minutes, seconds[, millionths]) of one "
            f"sign within ±{limit:g}°",
        )
    return float(value)
