"""Plan shapes from CityJSON geometry: vertices decoded, surfaces gathered, footprints found.

Pure functions over the parsed JSON; a broken structure raises :class:`ValueError` saying what
is wrong (the reader names the file and the CityObject). Coordinates are those of the file's
CRS after ``transform`` (metres for a projected CRS).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely import union_all
from shapely.errors import GEOSException
from shapely.geometry import Polygon

from assets.cityjson.boundaries import reversed_ring

Z_TOLERANCE_M = 0.01
"""Faces within this of a solid's lowest point lie on its ground, m."""
SURFACE_DEPTH = {"MultiSurface": 1, "CompositeSurface": 1, "Solid": 2}
"""Nesting of surfaces in ``boundaries``: a list of surfaces, or of shells of surfaces."""
SOLIDS = ("MultiSolid", "CompositeSolid")
SURFACE_TYPES = (*SURFACE_DEPTH, *SOLIDS)
"""Geometry types made of surfaces, the ones a footprint can be found in."""


@dataclass(frozen=True)
class Plan:
    """A footprint found in a geometry: its exterior ring (x, y) and the vertical extent."""

    ring: list[tuple[float, float]]
    """Counter-clockwise, without the closing vertex, starting where the file's face starts."""
    z_min: float
    z_max: float

    @property
    def height_m(self) -> float:
        return self.z_max - self.z_min


def decode_vertices(doc: dict[str, Any]) -> np.ndarray:
    """The ``vertices`` as an (n, 3) float array with ``transform`` applied."""
    raw = doc.get("vertices")
    if not isinstance(raw, list):
        raise ValueError("'vertices' must be an array of [x, y, z]")
    try:
        array = np.array(raw, dtype=float).reshape(len(raw), 3)
    except (TypeError, ValueError) as exc:
        raise ValueError("'vertices' must be an array of [x, y, z] numbers") from exc
    transform = doc.get("transform")
    if transform is None:
        return array
    try:
        scale = np.array(transform["scale"], dtype=float).reshape(3)
        translate = np.array(transform["translate"], dtype=float).reshape(3)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("'transform' must have 'scale' and 'translate' of 3 numbers") from exc
    return array * scale + translate


def surfaces(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """Every surface of a surface or solid geometry (shells and solids flattened)."""
    kind = geometry.get("type")
    boundaries = geometry.get("boundaries")
    if not isinstance(boundaries, list):
        raise ValueError(f"{kind} geometry has no 'boundaries' array")
    if kind in SOLIDS:
        return [s for solid in boundaries for s in surfaces({"type": "Solid", "boundaries": solid})]
    if kind not in SURFACE_DEPTH:
        raise ValueError(f"{kind!r} geometry has no surfaces")
    found = list(_nested(boundaries, SURFACE_DEPTH[kind]))
    if not all(_is_surface(s) for s in found):
        raise ValueError(f"{kind} boundaries must nest rings of vertex indices")
    return found


def _is_surface(surface: Any) -> bool:
    """A non-empty list of rings, each a list of integer vertex indices."""
    return (
        isinstance(surface, list)
        and bool(surface)
        and all(isinstance(r, list) and all(isinstance(i, int) for i in r) for r in surface)
    )


def _nested(items: list[Any], depth: int) -> Iterator[Any]:
    if depth == 1:
        yield from items
        return
    for item in items:
        if not isinstance(item, list):
            raise ValueError("boundaries are not nested as the geometry type requires")
        yield from _nested(item, depth - 1)


def checked_indices(found: Sequence[Sequence[Sequence[int]]], count: int) -> None:
    """ValueError naming the first vertex index outside ``0..count-1``."""
    for surface in found:
        for ring in surface:
            for index in ring:
                if not 0 <= index < count:
                    raise ValueError(
                        f"vertex index {index} out of range (the file has {count} vertices)"
                    )


def footprint(found: Sequence[Sequence[Sequence[int]]], vertices: np.ndarray) -> Plan:
    """The plan of a block (its faces at the lowest z) or of a set of horizontal surfaces.

    One face there: its exterior ring, turned counter-clockwise (a solid's ground face runs
    clockwise so that it faces down). Several: their 2D union, which must be one polygon.
    Holes (courtyards) are refused: the campus's footprints have none.
    """
    checked_indices(found, len(vertices))
    used = [i for surface in found for ring in surface for i in ring]
    if not used:
        raise ValueError("the geometry has no vertices")
    z = vertices[used, 2]
    z_min, z_max = float(z.min()), float(z.max())
    lowest = [s for s in found if all(vertices[i, 2] - z_min <= Z_TOLERANCE_M for i in s[0])]
    if not lowest:
        raise ValueError("no face lies at the lowest level: the geometry has no ground face")
    if len(lowest) == 1 and len(lowest[0]) == 1:
        ring = [(float(vertices[i, 0]), float(vertices[i, 1])) for i in lowest[0][0]]
        if len(ring) < 3:
            raise ValueError(f"the ground face has {len(ring)} vertices; a ring needs 3")
        return Plan(ring if _is_ccw(ring) else reversed_ring(ring), z_min, z_max)
    try:
        merged = union_all([_polygon(s, vertices) for s in lowest])
    except GEOSException as exc:
        raise ValueError(f"the faces at the lowest level do not form a polygon: {exc}") from exc
    if not isinstance(merged, Polygon) or merged.is_empty:
        raise ValueError(
            f"the faces at the lowest level form a {merged.geom_type}, not one polygon"
        )
    if merged.interiors:
        raise ValueError("the footprint has a hole (courtyard): not supported")
    outline = merged.simplify(0).normalize()  # without the seams' collinear vertices
    coords = [(float(x), float(y)) for x, y, *_ in outline.exterior.coords][:-1]
    return Plan(coords if _is_ccw(coords) else reversed_ring(coords), z_min, z_max)


def _polygon(surface: Sequence[Sequence[int]], vertices: np.ndarray) -> Polygon:
    rings = [[(float(vertices[i, 0]), float(vertices[i, 1])) for i in ring] for ring in surface]
    if len(rings[0]) < 3:
        raise ValueError(f"a surface has {len(rings[0])} vertices; a ring needs at least 3")
    return Polygon(rings[0], [r for r in rings[1:] if len(r) >= 3])


def _is_ccw(ring: Sequence[tuple[float, float]]) -> bool:
    """Counter-clockwise seen from above: positive shoelace area of the open ring."""
    pairs = zip(ring, [*ring[1:], ring[0]], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs) > 0
