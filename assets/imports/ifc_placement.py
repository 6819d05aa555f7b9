"""Where an IFC model stands: its local plan coordinates (m) -> EPSG:32651 (m).

In order of precedence (what the file carries is read by :mod:`assets.imports.ifc_georef`):

1. an anchor given by the user (``--anchor X,Y --rotation DEG``);
2. a map conversion: IFC4's ``IfcMapConversion`` + ``IfcProjectedCRS``, or IFC2X3's
   ``ePSet_MapConversion`` + ``ePSet_ProjectedCRS`` (one code path for both). Its x axis gives
   grid north: the context's true north is not applied on top;
3. the IfcSite's ``RefLatitude``/``RefLongitude`` (WGS84, at the site's origin), turned by the
   context's ``TrueNorth`` (LoGeoRef 20/30). The meridian convergence there is applied (true
   north is not grid north) and lengths are kept as drawn. This is only as good as the site's
   reference point and true north, which tools often set roughly: the placement says so. A map
   conversion at eastings 0, northings 0 is a tool's placeholder and gives way to it.

The map conversion's ``Scale`` is read both ways it is written in practice: as the project-unit
to map-unit factor times the grid scale factor (ifcopenshell/Bonsai: 0.001 for a millimetre
model on a metre grid), or as the grid scale factor alone, the unit change being implicit
(IFC 4.3). A ``Scale`` within 5 % of the unit ratio is taken as the first, anything else as the
second; when the project unit is the map unit both readings agree. ``Eastings``/``Northings`` are
in the CRS's map unit (``MapUnit``, else the CRS's own axis unit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import ifcopenshell
import ifcopenshell.util.unit
import numpy as np
from pyproj import CRS, Proj, Transformer
from pyproj.exceptions import CRSError

from assets.errors import DatasetError
from assets.imports.ifc_georef import (
    MapConversion,
    SiteReference,
    map_conversion,
    site_of,
    site_reference,
)
from assets.imports.records import ReadOptions
from geometry.crs import PROJECTED, lonlat_to_utm

UNIT_SCALE_TOLERANCE = 0.05
"""How close ``Scale`` must be to the project/map unit ratio to be read as including it."""
FILE = "(file)"
ANCHOR = "--anchor X,Y --rotation DEG"
ANCHOR_HINT = (
    "pass --anchor X,Y [--rotation DEG] with the EPSG:32651 position (m) of the model's origin "
    "and the direction of its x axis (degrees counter-clockwise from east)"
)
GEOREFERENCING = (
    "IfcMapConversion + IfcProjectedCRS (IFC4), ePSet_MapConversion + ePSet_ProjectedCRS "
    "(IFC2X3, on the IfcSite) or the IfcSite's RefLatitude/RefLongitude (WGS84, turned by the "
    "context's TrueNorth)"
)
"""The ways a file can say where it stands, as the refusal lists them."""


@dataclass(frozen=True)
class Placement:
    """A similarity from local plan metres to a projected CRS, then a reprojection.

    ``origin``: where the local origin lands, in metres of ``crs``; ``scale``: CRS metres per
    local metre; ``rotation_deg``: the local x axis, counter-clockwise from the CRS's east;
    ``method``: how it was found, for the import's report.
    """

    origin: tuple[float, float]
    rotation_deg: float = 0.0
    scale: float = 1.0
    crs: str = PROJECTED
    method: str = ANCHOR

    def apply(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) local plan coordinates (m) -> (n, 2) EPSG:32651 coordinates (m)."""
        angle = math.radians(self.rotation_deg)
        c, s = math.cos(angle) * self.scale, math.sin(angle) * self.scale
        x = self.origin[0] + c * xy[:, 0] - s * xy[:, 1]
        y = self.origin[1] + s * xy[:, 0] + c * xy[:, 1]
        if self.crs == PROJECTED:
            return np.column_stack([x, y])
        native, transformer = _to_projected(self.crs)
        xs, ys = transformer.transform(x / native, y / native)
        return np.column_stack([xs, ys])


@cache
def _to_projected(crs: str) -> tuple[float, Transformer]:
    """Metres per axis unit of ``crs``, and its transformer to EPSG:32651 (x, y order)."""
    unit = CRS.from_user_input(crs).axis_info[0].unit_conversion_factor
    return float(unit), Transformer.from_crs(crs, PROJECTED, always_xy=True)


def placement(
    model: ifcopenshell.file,
    building: ifcopenshell.entity_instance,
    file: str,
    options: ReadOptions,
) -> Placement:
    """The anchor of ``options`` if given, else the georeferencing of ``building``'s file.

    Raises
    ------
    DatasetError
        Rule ``georeference`` when there is neither (or only a placeholder) or it is malformed;
        ``crs`` when a map conversion's CRS is unknown or not projected.
    """
    if options.anchor is not None:
        return Placement(
            origin=(float(options.anchor[0]), float(options.anchor[1])),
            rotation_deg=float(options.rotation_deg),
        )
    site = site_of(model, building)
    conversion = map_conversion(model, site, file)
    if conversion is not None and not conversion.is_placeholder:
        return by_map_conversion(conversion, model, file)
    reference = site_reference(model, site, file)
    if reference is not None and not reference.is_placeholder:
        return by_site_reference(reference)
    raise DatasetError(file, FILE, "georeference", _refusal(conversion, reference))


def _refusal(conversion: MapConversion | None, reference: SiteReference | None) -> str:
    """Why the file cannot be placed: it has no georeferencing, or only placeholders."""
    placeholders = []
    if conversion is not None:
        placeholders.append(f"the {conversion.source} puts the model at eastings 0, northings 0")
    if reference is not None:
        placeholders.append(f"{reference.source} is at latitude 0, longitude 0")
    what = (
        f"{' and '.join(placeholders)} (a tool's placeholder), and the file has no other "
        "georeferencing"
        if placeholders
        else "the file has no georeferencing"
    )
    return f"{what}: none of {GEOREFERENCING}: {ANCHOR_HINT}"


def by_map_conversion(conversion: MapConversion, model: ifcopenshell.file, file: str) -> Placement:
    """The placement a map conversion gives (IfcMapConversion or ePSet_MapConversion alike).

    Raises
    ------
    DatasetError
        Rule ``crs`` when its CRS is unknown or not projected.
    """
    crs, map_unit_m = _crs(conversion, file)
    project_unit_m = ifcopenshell.util.unit.calculate_unit_scale(model)
    unit_ratio = project_unit_m / map_unit_m
    grid_scale = conversion.scale or 1.0
    if unit_ratio != 1.0 and abs(grid_scale / unit_ratio - 1.0) < UNIT_SCALE_TOLERANCE:
        grid_scale /= unit_ratio
    abscissa, ordinate = conversion.x_axis_abscissa, conversion.x_axis_ordinate
    if abscissa == 0 and ordinate == 0:
        abscissa = 1.0
    reprojected = f", reprojected to {PROJECTED}" if crs != PROJECTED else ""
    return Placement(
        origin=(conversion.eastings * map_unit_m, conversion.northings * map_unit_m),
        rotation_deg=math.degrees(math.atan2(ordinate, abscissa)),
        scale=grid_scale,
        crs=crs,
        method=f"{conversion.source} to {crs}{reprojected}",
    )


def by_site_reference(reference: SiteReference) -> Placement:
    """The site's origin at its WGS84 point, true north turned to grid north (EPSG:32651).

    The local x axis is ``-true_north_deg`` from true east; the meridian convergence there
    (about -0.57° on the campus) turns that into a grid bearing. Lengths are kept as drawn
    (scale 1, as for a map conversion without ``Scale``).
    """
    east, north = lonlat_to_utm(reference.longitude, reference.latitude)
    factors = Proj(PROJECTED).get_factors(reference.longitude, reference.latitude)
    rotation = float(factors.meridian_convergence) - reference.true_north_deg
    angle = math.radians(rotation)
    sx, sy = reference.site_xy_m
    origin = (
        east - (math.cos(angle) * sx - math.sin(angle) * sy),
        north - (math.sin(angle) * sx + math.cos(angle) * sy),
    )
    return Placement(
        origin=origin,
        rotation_deg=rotation,
        method=(
            f"{reference.source} RefLatitude/RefLongitude ({reference.latitude:.6f}, "
            f"{reference.longitude:.6f}) and TrueNorth {reference.true_north_deg:+.2f}° "
            "(LoGeoRef 20/30): less precise than a map conversion, only as good as the site's "
            "reference point and true north; check the position, or pass --anchor X,Y --rotation DEG"
        ),
    )


def _crs(conversion: MapConversion, file: str) -> tuple[str, float]:
    """The target CRS as an ``EPSG:<code>`` string and its map unit in metres."""
    name = conversion.crs_name
    if not name:
        raise DatasetError(
            file,
            FILE,
            "crs",
            f"the {conversion.source} names no target CRS "
            "(IfcProjectedCRS.Name, or ePSet_ProjectedCRS.Name in IFC2X3)",
        )
    try:
        crs = CRS.from_user_input(f"EPSG:{name}" if name.isdigit() else name)
    except CRSError as exc:
        raise DatasetError(
            file,
            FILE,
            "crs",
            f"unknown CRS {name!r}: IfcProjectedCRS.Name must be an EPSG code such as "
            f"'{PROJECTED}' (or pass --anchor X,Y [--rotation DEG])",
        ) from exc
    if not crs.is_projected:
        raise DatasetError(file, FILE, "crs", f"CRS {name!r} is not a projected CRS")
    epsg = crs.to_epsg()
    code = f"EPSG:{epsg}" if epsg is not None else crs.to_wkt()
    return code, _map_unit_m(conversion.map_unit, crs)


def _map_unit_m(unit: ifcopenshell.entity_instance | str | None, crs: CRS) -> float:
    """Metres per map unit: an IfcNamedUnit, a (prefixed) metre named in a property set, else
    the CRS's own axis unit."""
    if isinstance(unit, ifcopenshell.entity_instance):
        return float(ifcopenshell.util.unit.get_named_unit_scale(unit))
    if isinstance(unit, str) and ifcopenshell.util.unit.get_unit_name(unit) == "METRE":
        return float(ifcopenshell.util.unit.get_prefix_multiplier(unit))
    return float(crs.axis_info[0].unit_conversion_factor)
