"""A weighted point quadtree: split a plane into square cells until each holds little enough.

Used to group objects (by a representative point, e.g. a footprint centroid) into tiles of
bounded size: a cell splits into its four quadrants while the weight of its points (e.g. their
vertex count) exceeds a capacity. Cells left empty are dropped and a cell whose points all fall
in one quadrant is replaced by that quadrant, so no chain of single children remains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["QuadCell", "quadtree"]

MAX_DEPTH = 16
"""Deepest split: 2**-16 of the extent (about 5 cm over 3 km), so coincident points end."""


@dataclass(frozen=True)
class QuadCell:
    """One cell of the tree.

    Attributes
    ----------
    path : str
        Quadrant digits from the root (``""``); digit ``2*north + east`` (0 south-west,
        1 south-east, 2 north-west, 3 north-east). Unique in the tree, usable in file names.
    items : tuple of int
        Indices of the points in a leaf, ascending; empty for an inner cell.
    children : tuple of QuadCell
        Non-empty sub-cells in path order; empty for a leaf.
    """

    path: str
    items: tuple[int, ...]
    children: tuple[QuadCell, ...]

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> list[QuadCell]:
        """The leaves below (or at) this cell, depth-first in path order."""
        if self.is_leaf:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


def quadtree(points: np.ndarray, weights: np.ndarray, capacity: float) -> QuadCell:
    """Partition points into leaves whose total weight stays within ``capacity``.

    Parameters
    ----------
    points : np.ndarray
        Shape (n, 2): planar x, y (m), n >= 1.
    weights : np.ndarray
        Shape (n,): non-negative weight per point (e.g. vertices).
    capacity : float
        Largest total weight of a leaf, > 0. A single point heavier than it gets a leaf alone;
        points closer together than the deepest split share one leaf whatever their weight.

    Returns
    -------
    QuadCell
        The root cell; every index ``0..n-1`` is in exactly one leaf.
    """
    xy = np.asarray(points, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) == 0:
        raise ValueError(f"points must have shape (n, 2) with n >= 1, got {xy.shape}")
    if w.shape != (len(xy),):
        raise ValueError(f"weights must have shape ({len(xy)},), got {w.shape}")
    if not (np.isfinite(xy).all() and np.isfinite(w).all()) or (w < 0).any():
        raise ValueError("points must be finite and weights finite and non-negative")
    if not capacity > 0:
        raise ValueError(f"capacity must be positive, got {capacity}")
    low, high = xy.min(axis=0), xy.max(axis=0)
    centre, half = (low + high) / 2, max(float((high - low).max()) / 2, 1e-9)
    return _cell("", np.arange(len(xy)), centre, half, xy, w, capacity)


def _cell(
    path: str,
    items: np.ndarray,
    centre: np.ndarray,
    half: float,
    xy: np.ndarray,
    w: np.ndarray,
    capacity: float,
) -> QuadCell:
    if len(items) == 1 or w[items].sum() <= capacity or len(path) >= MAX_DEPTH:
        return QuadCell(path, tuple(int(i) for i in items), ())
    east = xy[items, 0] >= centre[0]
    north = xy[items, 1] >= centre[1]
    quadrant = 2 * north.astype(int) + east.astype(int)
    children = []
    for q in range(4):
        members = items[quadrant == q]
        if len(members):
            offset = np.array([1.0 if q % 2 else -1.0, 1.0 if q >= 2 else -1.0]) * half / 2
            children.append(
                _cell(path + str(q), members, centre + offset, half / 2, xy, w, capacity)
            )
    if len(children) == 1:
        return children[0]
    return QuadCell(path, (), tuple(children))
