"""A parametric fish outline, split into parcels: head, body, tail and two fins.

The fish lies in its own frame (x along the spine towards the nose, y to its left), with the
tail's peduncle at x = 0 and the nose at x = ``length``; :func:`place` moves it into a map frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geometry.shapes import oriented

G = TypeVar("G", bound=BaseGeometry)


@dataclass(frozen=True)
class FishShape:
    """Proportions of the fish, in metres.

    Attributes
    ----------
    length : body length from the tail's peduncle to the nose, m.
    half_height : the body's greatest half-height, m.
    tail_length : how far the forked tail reaches behind the peduncle, m.
    head_start : where the head begins, as a fraction of ``length`` from the peduncle.
    """

    length: float = 1200.0
    half_height: float = 230.0
    tail_length: float = 330.0
    head_start: float = 0.6
    samples: int = 48


def _profile(shape: FishShape, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Upper and lower half-heights (m) along the body at fractions ``t`` of its length."""
    bulge = np.sin(np.pi * np.clip(t, 0, 1) ** 1.25) ** 0.6
    nose = np.clip(1 - t, 0, 1) ** 0.25
    base = shape.half_height * (0.16 + 0.84 * bulge) * nose
    return base * 1.08, base * 0.92


def body_outline(shape: FishShape) -> Polygon:
    """The body from peduncle to nose: a streamlined shape with a rounded back."""
    t = np.linspace(0, 1, shape.samples)
    upper, lower = _profile(shape, t)
    x = t * shape.length
    top = np.column_stack([x, upper])
    bottom = np.column_stack([x, -lower])[::-1]
    return oriented(Polygon(np.vstack([top, bottom[1:-1]])))


def tail_outline(shape: FishShape) -> Polygon:
    """A forked caudal fin behind the peduncle, overlapping the body slightly."""
    h, t = shape.half_height, shape.tail_length
    points = [
        (40, 0.14 * h),
        (-0.55 * t, 0.55 * h),
        (-t, 0.95 * h),
        (-0.72 * t, 0.2 * h),
        (-0.6 * t, 0.0),
        (-0.72 * t, -0.2 * h),
        (-t, -0.95 * h),
        (-0.55 * t, -0.55 * h),
        (40, -0.14 * h),
    ]
    return oriented(Polygon(points))


def fin_outlines(shape: FishShape) -> tuple[Polygon, Polygon]:
    """The dorsal fin (on the back, +y) and the pelvic fin (on the belly, -y), swept back."""
    L, h = shape.length, shape.half_height
    dorsal = Polygon([(0.30 * L, 0.5 * h), (0.26 * L, 1.55 * h), (0.56 * L, 0.8 * h)])
    pelvic = Polygon([(0.36 * L, -0.5 * h), (0.30 * L, -1.35 * h), (0.54 * L, -0.7 * h)])
    return oriented(dorsal), oriented(pelvic)


def fish_parcels(
    shape: FishShape | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
    angle_deg: float = 0.0,
    scale: float = 1.0,
    grid_size: float = 0.01,
) -> dict[str, Polygon]:
    """The fish split into parcels keyed ``head``, ``body``, ``tail``, ``fin_dorsal`` and
    ``fin_pelvic``, placed in a map frame (see :func:`place`).

    The parcels are cut on a ``grid_size`` (m) precision grid, so neighbours share their
    boundary vertices exactly and never overlap.
    """
    shape = shape or FishShape()
    big = 10 * (shape.length + shape.tail_length)
    dorsal, pelvic = fin_outlines(shape)
    raw = {
        "body": body_outline(shape),
        "head_side": shapely.box(shape.head_start * shape.length, -big, big, big),
        "tail": tail_outline(shape),
        "fin_dorsal": dorsal,
        "fin_pelvic": pelvic,
    }
    placed = {k: _moved(v, origin, angle_deg, scale) for k, v in raw.items()}
    body = shapely.set_precision(placed["body"], grid_size)
    head_side = placed["head_side"]
    parts = {
        "head": shapely.intersection(body, head_side, grid_size=grid_size),
        "body": shapely.difference(body, head_side, grid_size=grid_size),
    }
    for name in ("tail", "fin_dorsal", "fin_pelvic"):
        parts[name] = shapely.difference(placed[name], body, grid_size=grid_size)
    return {name: oriented(_largest(p)) for name, p in parts.items()}


def _largest(geometry: shapely.Geometry) -> Polygon:
    if isinstance(geometry, Polygon):
        return geometry
    polygons = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]
    return max(polygons, key=lambda p: p.area)


def place(
    polygon: Polygon, origin: tuple[float, float], angle_deg: float, scale: float = 1.0
) -> Polygon:
    """Move a fish-frame polygon into a map frame: scale, rotate about the fish origin, translate."""
    return oriented(_moved(polygon, origin, angle_deg, scale))


def place_point(
    point: tuple[float, float], origin: tuple[float, float], angle_deg: float, scale: float = 1.0
) -> tuple[float, float]:
    """Move a fish-frame point into a map frame, as :func:`place` moves polygons."""
    moved = _moved(shapely.Point(point), origin, angle_deg, scale)
    return (moved.x, moved.y)


def _moved(geometry: G, origin: tuple[float, float], angle_deg: float, scale: float) -> G:
    scaled = affinity.scale(geometry, scale, scale, origin=(0, 0))
    turned = affinity.rotate(scaled, angle_deg, origin=(0, 0))
    return affinity.translate(turned, origin[0], origin[1])
