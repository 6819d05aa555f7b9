"""The weighted point quadtree that groups objects into tiles of bounded size."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from geometry.quadtree import MAX_DEPTH, QuadCell, quadtree


def _cells(cell: QuadCell) -> list[QuadCell]:
    return [cell, *[c for child in cell.children for c in _cells(child)]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_point_is_in_one_leaf_within_capacity(seed: int) -> None:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1500, 1500, (400, 2))
    weights = rng.integers(100, 5000, 400).astype(float)
    root = quadtree(points, weights, 20_000)
    leaves = root.leaves()
    found = sorted(i for leaf in leaves for i in leaf.items)
    assert found == list(range(400))
    for leaf in leaves:
        assert weights[list(leaf.items)].sum() <= 20_000 or len(leaf.items) == 1
        assert list(leaf.items) == sorted(leaf.items)
    cells = _cells(root)
    assert len({c.path for c in cells}) == len(cells)  # unique names
    for cell in cells:
        assert cell.is_leaf == (not cell.children) == bool(cell.items)
        assert len(cell.children) != 1  # single-child chains are collapsed
        assert all(child.path.startswith(cell.path) for child in cell.children)
        assert set(cell.path) <= set("0123")


def test_quadrants_are_numbered_south_west_first() -> None:
    points = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    root = quadtree(points, np.ones(4), 1)
    assert [(leaf.path, leaf.items) for leaf in root.leaves()] == [
        ("0", (0,)),
        ("1", (1,)),
        ("2", (2,)),
        ("3", (3,)),
    ]


def test_light_points_stay_in_one_leaf_and_heavy_ones_get_their_own() -> None:
    points = np.array([[0.0, 0.0], [5.0, 5.0], [1000.0, 1000.0]])
    assert quadtree(points, np.array([1.0, 1.0, 1.0]), 10).items == (0, 1, 2)
    heavy = quadtree(points, np.array([50.0, 1.0, 1.0]), 10)
    assert sorted(leaf.items for leaf in heavy.leaves()) == [(0,), (1,), (2,)]


def test_coincident_points_end_at_the_deepest_split() -> None:
    points = np.array([[3.0, 4.0]] * 5 + [[100.0, 100.0]])
    root = quadtree(points, np.ones(6), 1)
    leaves = root.leaves()
    assert sorted(leaf.items for leaf in leaves) == [(0, 1, 2, 3, 4), (5,)]
    assert max(len(leaf.path) for leaf in leaves) == MAX_DEPTH


@pytest.mark.parametrize(
    ("points", "weights", "capacity"),
    [
        (np.zeros((0, 2)), np.zeros(0), 1),
        (np.zeros((3, 3)), np.ones(3), 1),
        (np.zeros((3, 2)), np.ones(2), 1),
        (np.array([[0.0, np.nan]]), np.ones(1), 1),
        (np.zeros((1, 2)), -np.ones(1), 1),
        (np.zeros((1, 2)), np.ones(1), 0),
    ],
    ids=["empty", "3d", "weights-shape", "nan", "negative", "zero-capacity"],
)
def test_bad_input_is_refused(points: Any, weights: Any, capacity: float) -> None:
    with pytest.raises(ValueError):
        quadtree(points, weights, capacity)
