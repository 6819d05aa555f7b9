"""The campus scene as a 3D Tiles 1.1 tileset: for campuses past what one GLB serves well.

The root tile holds the ground (zones and parcels); its children are a quadtree over the
buildings' footprint centroids, each leaf a GLB of whole buildings (about
``TILE_TRIANGLES`` triangles) with the unit, floor and building ids of those buildings in its
own feature table. Levels of detail: each inner node of the quadtree holds a coarse GLB (one
box per building, the bounds of its mass, with that building's id) that its children replace
(``REPLACE``) when the viewer is close enough, so a far view of a large campus loads a few
coarse tiles, not every building. The root's transform places the scene's local frame on the globe (ECEF;
heights above the WGS 84 ellipsoid from z = 0: the terrain is not modelled). Every file and the
tileset as a whole have a strong ETag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import trimesh

from assets.campus import Campus
from assets.scene import GROUND, CampusScene, build_scene
from geometry.crs import utm_to_lonlat
from geometry.ecef import local_frame_to_ecef
from geometry.gltf import FeatureMesh
from geometry.quadtree import QuadCell, quadtree
from geometry.tiles3d import Progress, TileContent, TileNode, Tileset, build_tileset
from twin.scene import BUILDING_COLOUR, GROUND_COLOUR

TILE_TRIANGLES = 16_000
"""Triangles a building tile aims to stay under (one building may exceed it): about 1 MB of GLB."""
GROUND_TILE = "ground"
COARSE_GROUP = "lod"
"""Draw-call group of the coarse tiles' boxes."""


@dataclass(frozen=True)
class SceneTileset:
    """A built tileset with strong ETags: one per tile GLB and one for the whole set."""

    tileset: Tileset
    json: bytes
    etag: str
    tile_etags: dict[str, str]

    def tile(self, name: str) -> bytes | None:
        """The GLB of tile ``name``, or None."""
        return self.tileset.tiles.get(name)


def build_scene_tileset(
    campus: Campus,
    tile_triangles: int = TILE_TRIANGLES,
    progress: Progress | None = None,
    scene: CampusScene | None = None,
) -> SceneTileset:
    """Build the campus tileset (the same meshes and ids as the single GLB, in tiles);
    ``progress`` is told (tiles written, tiles in all) as the tile GLBs are built; ``scene``
    is the campus's parts if already built."""
    scene = scene if scene is not None else build_scene(campus)
    materials = {g: BUILDING_COLOUR for g in campus.buildings} | {
        GROUND: GROUND_COLOUR,
        COARSE_GROUP: BUILDING_COLOUR,
    }
    origin = campus.frame.describe()

    def glb_extras(ids: list[str]) -> Mapping[str, Any]:
        return {"origin": origin, "feature_kinds": {i: scene.kinds[i] for i in ids}}

    def to_lonlat(x: float, y: float) -> tuple[float, float]:
        utm = campus.frame.from_planar(np.array([x, y]))
        return utm_to_lonlat(float(utm[0]), float(utm[1]))

    tileset = build_tileset(
        _tree(campus, scene, tile_triangles),
        scene.feature_ids,
        glb_extras=glb_extras,
        materials=materials,
        transform=local_frame_to_ecef(to_lonlat),
        extras={"origin": origin, "features": len(scene.feature_ids)},
        progress=progress,
    )
    text = tileset.json_bytes()
    tile_etags = {name: _etag(glb) for name, glb in tileset.tiles.items()}
    whole = text + "".join(tile_etags[n] for n in sorted(tile_etags)).encode()
    return SceneTileset(tileset=tileset, json=text, etag=_etag(whole), tile_etags=tile_etags)


def _tree(campus: Campus, scene: CampusScene, tile_triangles: int) -> TileNode:
    """The ground at the root, the buildings in a quadtree of tiles below it."""
    groups: dict[str, list[FeatureMesh]] = {}
    for part in scene.parts:
        groups.setdefault(part.group, []).append(part)
    index = {feature: i for i, feature in enumerate(scene.feature_ids)}
    buildings = [b for b in campus.buildings if b in groups]
    used = {int(i) for p in scene.parts for i in np.unique(p.feature_index)}
    drawn = used | {index[b] for b in buildings}
    unlisted = [i for i in range(len(scene.feature_ids)) if i not in drawn]

    children: list[TileNode] = []
    if buildings:
        centres = np.array([_centre(campus, b) for b in buildings])
        weights = np.array([sum(len(p.mesh.faces) for p in groups[b]) for b in buildings])
        cells = quadtree(centres, weights, tile_triangles)
        node = _node(cells, buildings, groups, index)
        children = list(node.children) if node.content is None else [node]
    ground = None
    if GROUND in groups:
        ground = TileContent(GROUND_TILE, groups[GROUND], listed=unlisted)
    return TileNode(content=ground, children=children)


def _node(
    cell: QuadCell,
    buildings: list[str],
    groups: dict[str, list[FeatureMesh]],
    index: dict[str, int],
) -> TileNode:
    if not cell.is_leaf:
        children = [_node(c, buildings, groups, index) for c in cell.children]
        coarse, error = _coarse(f"c{cell.path}", _members(cell, buildings), groups, index)
        return TileNode(content=coarse, children=children, refine="REPLACE", error=error)
    members = [buildings[i] for i in cell.items]
    parts = [p for b in members for p in groups[b]]
    content = TileContent(f"q{cell.path}", parts, listed=[index[b] for b in members])
    return TileNode(content=content)


def _members(cell: QuadCell, buildings: list[str]) -> list[str]:
    """The buildings of a cell and of all cells below it."""
    if cell.is_leaf:
        return [buildings[i] for i in cell.items]
    return [b for child in cell.children for b in _members(child, buildings)]


def _coarse(
    name: str, members: list[str], groups: dict[str, list[FeatureMesh]], index: dict[str, int]
) -> tuple[TileContent, float]:
    """One box per building (the bounds of its meshes, m), merged, each with the building's id;
    and its geometric error: no point of a building lies farther from its box than half the
    box's largest side (m)."""
    boxes, features, error = [], [], 0.0
    for building in members:
        vertices = np.vstack([p.mesh.vertices for p in groups[building]])
        low, high = vertices.min(axis=0), vertices.max(axis=0)
        box = trimesh.creation.box(bounds=[low, high])
        error = max(error, float((high - low).max()) / 2)
        boxes.append(box)
        features.append(np.full(len(box.vertices), index[building]))
    mesh = trimesh.util.concatenate(boxes)
    assert isinstance(mesh, trimesh.Trimesh)
    part = FeatureMesh(mesh, np.concatenate(features), COARSE_GROUP)
    return TileContent(name, [part], extras={"lod": "coarse"}), error


def _centre(campus: Campus, building: str) -> tuple[float, float]:
    """The footprint's centroid in the local planar frame (m east, m north)."""
    centroid = campus.footprints[building].centroid
    x, y = campus.frame.to_planar(np.array([centroid.x, centroid.y]))
    return float(x), float(y)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
