"""Test helper: two triangle meshes are the same solid, whatever their vertex and face order."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

TOLERANCE_M = 1e-6
"""Vertices closer than this are the same vertex, m."""


def assert_same_mesh(new: trimesh.Trimesh, reference: trimesh.Trimesh, name: str = "") -> None:
    """Same vertex set (to 1e-6 m), same triangles (same winding), watertight where the
    reference is, same volume."""
    vertices, rank = _sorted_vertices(new.vertices)
    expected, expected_rank = _sorted_vertices(reference.vertices)
    assert vertices.shape == expected.shape, f"{name}: vertex count differs"
    assert np.allclose(vertices, expected, rtol=0.0, atol=TOLERANCE_M), f"{name}: vertices differ"
    assert np.array_equal(
        _triangles(rank[new.faces]), _triangles(expected_rank[reference.faces])
    ), f"{name}: triangles differ"
    if reference.is_watertight:
        assert new.is_watertight and new.is_winding_consistent, f"{name}: not watertight"
    assert new.volume == pytest.approx(reference.volume, rel=1e-9, abs=1e-6), name


def _sorted_vertices(vertices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vertices in lexicographic order (x, y, z on a 1e-6 m grid), and each one's rank."""
    keys = np.round(np.asarray(vertices) / TOLERANCE_M).astype(np.int64)
    order = np.lexsort(keys.T[::-1])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return np.asarray(vertices)[order], rank


def _triangles(faces: np.ndarray) -> np.ndarray:
    """Triangles as rows of vertex ranks, each turned to start at its lowest rank (winding
    kept), rows sorted: equal arrays mean the same triangles."""
    faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
    start = faces.argmin(axis=1)
    turned = faces[np.arange(len(faces))[:, None], (start[:, None] + np.arange(3)) % 3]
    return turned[np.lexsort(turned.T[::-1])]
