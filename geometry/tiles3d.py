"""3D Tiles 1.1 tilesets whose tiles are GLBs of meshes with per-vertex feature ids.

A tileset is a ``tileset.json`` and one GLB per tile with content (``tiles/<name>.glb``, glTF
content directly, no b3dm). Each tile GLB is written by :func:`geometry.gltf.build_glb` with a
feature table of its own: the subset of the caller's feature ids its meshes use (plus any it is
told to list), in the caller's order, so ``_FEATURE_ID_0`` indexes that tile's table
(``EXT_mesh_features`` + ``EXT_structural_metadata``, and the scene extras' ``feature_ids``).

Frames: meshes come in a local Z-up frame (m); the GLBs are Y-up as glTF requires, and 3D
Tiles turn glTF content back to Z-up (a +90° turn about x), so bounding volumes are boxes in
the Z-up frame. An optional root ``transform`` places that frame on the globe (ECEF).

Geometric error (m): a tile's is the one its node gives (how far its coarse content lies from
the detail), else the diagonal of the box of its descendants' content; 0 for a leaf, and
never less than a child's. Refinement is ``ADD`` (children add to their parent's
content) unless a node says ``REPLACE``: then its content is a coarse level of detail that its
children's content replaces when the viewer is close enough (screen-space error).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from geometry.gltf import FeatureMesh, build_glb

__all__ = ["TileContent", "TileNode", "Tileset", "build_tileset", "content_uri"]

TILES_VERSION = "1.1"
BOX_PADDING_M = 0.01
"""Margin added around content in every bounding box, m: float32 vertices stay inside."""
TILESET_FILE = "tileset.json"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

GlbExtras = Callable[[list[str]], Mapping[str, Any]]
"""Given a tile's feature ids, the scene extras of its GLB (e.g. an origin, kinds of those ids)."""
Progress = Callable[[int, int], None]
"""Told (tiles written, tiles in all) after each tile GLB."""


def content_uri(name: str) -> str:
    """The URI of a tile's GLB, relative to ``tileset.json``."""
    return f"tiles/{name}.glb"


@dataclass(frozen=True)
class TileContent:
    """The meshes of one tile GLB.

    Attributes
    ----------
    name : str
        File stem, unique in the tileset: 1-64 of ``A-Z a-z 0-9 _ -``.
    parts : sequence of FeatureMesh
        Meshes in the local Z-up frame (m), indexing the tileset's feature ids.
    listed : sequence of int
        Feature indices the tile's table lists although no mesh uses them (e.g. a parent
        feature drawn only by its children), so every id is found in some tile.
    extras : mapping
        More scene extras of the tile's GLB (e.g. ``{"lod": "coarse"}``).
    """

    name: str
    parts: Sequence[FeatureMesh]
    listed: Sequence[int] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"tile name {self.name!r} must be 1-64 of A-Z a-z 0-9 _ -")
        if not self.parts:
            raise ValueError(f"tile {self.name!r} has no meshes")


@dataclass(frozen=True)
class TileNode:
    """A tile of the tree: content, children, or both; ``refine`` is ``"ADD"`` or
    ``"REPLACE"`` (None: as its parent); ``error`` (m), if given, is how far a coarse content
    lies from the detail its children add (the tile's geometric error is never less than its
    children's)."""

    content: TileContent | None = None
    children: Sequence[TileNode] = field(default_factory=tuple)
    refine: str | None = None
    error: float | None = None

    def __post_init__(self) -> None:
        if self.refine not in (None, "ADD", "REPLACE"):
            raise ValueError(f"refine must be ADD or REPLACE, not {self.refine!r}")


@dataclass(frozen=True)
class Tileset:
    """A built tileset: its JSON document and its tiles' GLBs by name."""

    document: dict[str, Any]
    tiles: dict[str, bytes]

    def json_bytes(self) -> bytes:
        """``tileset.json`` as UTF-8 (compact, key order kept)."""
        return json.dumps(self.document, separators=(",", ":"), ensure_ascii=False).encode()

    def files(self) -> dict[str, bytes]:
        """Every file by its path relative to the tileset's directory."""
        return {TILESET_FILE: self.json_bytes()} | {
            content_uri(name): glb for name, glb in self.tiles.items()
        }

    def write(self, directory: Path) -> None:
        """Write the files into ``directory`` (which must exist)."""
        for relative, data in self.files().items():
            path = directory / relative
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)


def build_tileset(
    root: TileNode,
    feature_ids: Sequence[str],
    *,
    glb_extras: GlbExtras,
    materials: Mapping[str, tuple[float, float, float, float]] | None = None,
    transform: np.ndarray | None = None,
    extras: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> Tileset:
    """Write the tree as a 3D Tiles 1.1 tileset.

    Parameters
    ----------
    root : TileNode
        The root tile.
    feature_ids : sequence of str
        The feature table every part's ``feature_index`` points into.
    glb_extras : callable
        Scene extras of each tile GLB, from that tile's feature ids.
    materials : mapping, optional
        Linear RGBA per draw-call group, as for :func:`geometry.gltf.build_glb`.
    transform : np.ndarray, optional
        Shape (4, 4): the root's local Z-up frame (m) to ECEF (m).
    extras : mapping, optional
        JSON application data of the tileset (``tileset.json`` ``extras``).
    progress : callable, optional
        Called with (tiles written, tiles in all) after each tile GLB.

    Returns
    -------
    Tileset
    """
    ids = list(feature_ids)
    writer = _Writer(ids, glb_extras, materials, progress, _count_contents(root))
    tile, low, high = writer.tile(root)
    tile["refine"] = root.refine or "ADD"
    if transform is not None:
        matrix = np.asarray(transform, dtype=np.float64)
        if matrix.shape != (4, 4) or not np.isfinite(matrix).all():
            raise ValueError("transform must be a finite 4x4 matrix")
        tile["transform"] = [float(v) for v in matrix.T.ravel()]  # column-major
    document: dict[str, Any] = {
        "asset": {"version": TILES_VERSION},
        "geometricError": _diagonal(low, high),
        "root": tile,
    }
    if extras:
        document["extras"] = json.loads(json.dumps(dict(extras)))  # TypeError if not JSON
    return Tileset(document=document, tiles=writer.glbs)


class _Writer:
    def __init__(
        self,
        ids: list[str],
        glb_extras: GlbExtras,
        materials: Mapping[str, tuple[float, float, float, float]] | None,
        progress: Progress | None,
        total: int,
    ):
        self.ids, self.glb_extras, self.materials = ids, glb_extras, materials
        self.progress, self.total = progress, total
        self.glbs: dict[str, bytes] = {}

    def tile(self, node: TileNode) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
        """The tile's JSON and the low and high corners of its box (m, unpadded)."""
        if node.content is None and not node.children:
            raise ValueError("a tile needs content or children")
        children = [self.tile(child) for child in node.children]
        corners = [(low, high) for _, low, high in children]
        error = 0.0
        if corners and node.error is not None:
            error = max([round(node.error, 3)] + [c["geometricError"] for c, _, _ in children])
        elif corners:
            error = _diagonal(
                np.min([c[0] for c in corners], 0), np.max([c[1] for c in corners], 0)
            )
        tile: dict[str, Any] = {}
        if node.content is not None:
            corners.append(self.content(node.content))
            tile["content"] = {"uri": content_uri(node.content.name)}
        low = np.min([c[0] for c in corners], axis=0)
        high = np.max([c[1] for c in corners], axis=0)
        tile = {"boundingVolume": {"box": _box(low, high)}, "geometricError": error, **tile}
        if node.refine is not None:
            tile["refine"] = node.refine
        if children:
            tile["children"] = [child for child, _, _ in children]
        return tile, low, high

    def content(self, content: TileContent) -> tuple[np.ndarray, np.ndarray]:
        """Write the tile's GLB; return its meshes' low and high corners (m)."""
        if content.name in self.glbs:
            raise ValueError(f"two tiles are named {content.name!r}")
        parts, indices = _own_table(content, len(self.ids))
        tile_ids = [self.ids[i] for i in indices]
        extras = {**self.glb_extras(tile_ids), **content.extras}
        self.glbs[content.name] = build_glb(
            parts, tile_ids, extras=extras, materials=self.materials
        )
        if self.progress is not None:
            self.progress(len(self.glbs), self.total)
        vertices = np.vstack([np.asarray(p.mesh.vertices, dtype=np.float64) for p in parts])
        return vertices.min(axis=0), vertices.max(axis=0)


def _count_contents(node: TileNode) -> int:
    return (node.content is not None) + sum(_count_contents(c) for c in node.children)


def _own_table(content: TileContent, n_features: int) -> tuple[list[FeatureMesh], np.ndarray]:
    """The parts re-indexed into the tile's own table, and that table as indices (ascending)."""
    arrays = [np.asarray(p.feature_index, dtype=np.int64) for p in content.parts]
    used = np.unique(np.concatenate([*arrays, np.asarray(content.listed, dtype=np.int64)]))
    if used.size and (used[0] < 0 or used[-1] >= n_features):
        raise ValueError(f"tile {content.name!r}: feature index outside the feature table")
    parts = [
        FeatureMesh(p.mesh, np.searchsorted(used, index), p.group)
        for p, index in zip(content.parts, arrays, strict=True)
    ]
    return parts, used


def _box(low: np.ndarray, high: np.ndarray) -> list[float]:
    """A 3D Tiles ``box``: centre, then the x, y and z half-axes (m), padded and rounded to mm."""
    centre = (low + high) / 2
    half = (high - low) / 2 + BOX_PADDING_M
    axes = np.diag(half)
    return [round(float(v), 3) for v in (*centre, *axes.ravel())]


def _diagonal(low: np.ndarray, high: np.ndarray) -> float:
    """Length of the box's diagonal, m (rounded to mm)."""
    return round(float(np.linalg.norm(high - low + 2 * BOX_PADDING_M)), 3)
