"""Where an IFC model stands: its local plan coordinates (m) -> EPSG:32651 (m).

Either the file's own georeferencing (IFC4 ``IfcMapConversion`` + ``IfcProjectedCRS``; IFC2X3's
``ePSet_MapConversion``/``ePSet_ProjectedCRS``) or an anchor given by the user, which overrides it.

The map conversion's ``Scale`` is read both ways it is written in practice: as the project-unit
to map-unit factor times the grid scale factor (ifcopenshell/Bonsai: 0.001 for a millimetre
model on a metre grid), or as the grid scale factor alone, the unit change being implicit
(IFC 4.3). A ``Scale`` within 5 % of the unit ratio is taken as the first, anything else as the
second; when the project unit is the map unit both readings agree. ``Eastings``/``Northings`` are
in the CRS's map unit (``MapUnit``, else the CRS's own axis unit). The context's world
coordinate system and true north are not used: the map conversion's x axis gives grid north.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import ifcopenshell
import ifcopenshell.util.geolocation
import ifcopenshell.util.unit
import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from assets.errors import DatasetError
from assets.imports.records import ReadOptions
from geometry.crs import PROJECTED

UNIT_SCALE_TOLERANCE = 0.05
"""How close ``Scale`` must be to the project/map unit ratio to be read as including it."""
FILE = "(file)"


@dataclass(frozen=True)
class Placement:
    """A similarity from local plan metres to a projected CRS, then a reprojection.

    ``origin``: where the local origin lands, in metres of ``crs``; ``scale``: CRS metres per
    local metre; ``rotation_deg``: the local x axis, counter-clockwise from the CRS's east.
    """

    origin: tuple[float, float]
    rotation_deg: float = 0.0
    scale: float = 1.0
    crs: str = PROJECTED

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


def placement(model: ifcopenshell.file, file: str, options: ReadOptions) -> Placement:
    """The anchor of ``options`` if given, else the file's georeferencing.

    Raises
    ------
    DatasetError
        Rule ``georeference`` when there is neither; ``crs`` when the file's CRS is unknown
        or not projected.
    """
    if options.anchor is not None:
        return Placement(
            origin=(float(options.anchor[0]), float(options.anchor[1])),
            rotation_deg=float(options.rotation_deg),
        )
    try:
        helmert = ifcopenshell.util.geolocation.get_helmert_transformation_parameters(model)
    except (AssertionError, AttributeError, IndexError) as exc:
        raise DatasetError(
            file, FILE, "georeference", f"unsupported coordinate operation: {exc}"
        ) from exc
    if helmert is None:
        raise DatasetError(
            file,
            FILE,
            "georeference",
            "the file has no georeferencing (IfcMapConversion with an IfcProjectedCRS): "
            "pass --anchor X,Y [--rotation DEG] with the EPSG:32651 position (m) of the "
            "model's origin and the direction of its x axis (degrees counter-clockwise from east)",
        )
    crs, map_unit_m = _crs(model, file)
    project_unit_m = ifcopenshell.util.unit.calculate_unit_scale(model)
    unit_ratio = project_unit_m / map_unit_m
    grid_scale = helmert.scale or 1.0
    if unit_ratio != 1.0 and abs(grid_scale / unit_ratio - 1.0) < UNIT_SCALE_TOLERANCE:
        grid_scale /= unit_ratio
    rotation = math.degrees(math.atan2(helmert.xao, helmert.xaa))
    if helmert.e == 0 and helmert.n == 0:
        raise DatasetError(
            file,
            FILE,
            "georeference",
            "the IfcMapConversion puts the model at eastings 0, northings 0 (a placeholder): "
            "pass --anchor X,Y [--rotation DEG]",
        )
    return Placement(
        origin=(helmert.e * map_unit_m, helmert.n * map_unit_m),
        rotation_deg=rotation,
        scale=grid_scale,
        crs=crs,
    )


def _crs(model: ifcopenshell.file, file: str) -> tuple[str, float]:
    """The target CRS as an ``EPSG:<code>`` string and its map unit in metres."""
    info: dict[str, Any] = ifcopenshell.util.geolocation.get_crs(model) or {}
    name = str(info.get("Name") or "").strip()
    if not name:
        raise DatasetError(
            file, FILE, "crs", "the map conversion names no target CRS (IfcProjectedCRS.Name)"
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
    unit = info.get("MapUnit")
    if isinstance(unit, ifcopenshell.entity_instance):
        return code, float(ifcopenshell.util.unit.get_named_unit_scale(unit))
    return code, float(crs.axis_info[0].unit_conversion_factor)
