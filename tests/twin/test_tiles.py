"""The campus tileset: the single GLB's meshes and ids in tiles of whole buildings, placed on
the globe, with ETags that change with the geometry of a tile and only of that tile."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Transformer

from assets.campus import Campus
from assets.dataset import load_campus, rebuilt
from geometry.gltf import read_extras, read_feature_ids
from twin.scene import build_scene_file
from twin.tiles import GROUND_TILE, SceneTileset, build_scene_tileset


@pytest.fixture(scope="module")
def campus() -> Campus:
    return load_campus()


@pytest.fixture(scope="module")
def tileset(campus: Campus) -> SceneTileset:
    return build_scene_tileset(campus)


def _taller(campus: Campus, building: str) -> Campus:
    """The campus with one building's storeys 0.5 m taller (its floor area unchanged)."""
    buildings = [
        b.model_copy(update={"storey_height_m": b.storey_height_m + 0.5}) if b.id == building else b
        for b in campus.buildings.values()
    ]
    return rebuilt(campus, buildings=buildings)


def _finest(tileset: SceneTileset) -> dict[str, bytes]:
    """The tiles of full detail (not the coarse levels of detail)."""
    tiles = tileset.tileset.tiles
    return {n: glb for n, glb in tiles.items() if read_extras(glb).get("lod") != "coarse"}


def _walk(tile: dict, depth: int = 0) -> list[tuple[int, dict]]:
    """Every tile of the tree with its depth (root 0)."""
    return [(depth, tile)] + [t for c in tile.get("children", []) for t in _walk(c, depth + 1)]


def test_the_tiles_hold_every_id_of_the_single_glb_once(
    campus: Campus, tileset: SceneTileset
) -> None:
    scene = build_scene_file(campus)
    found = [i for glb in _finest(tileset).values() for i in read_feature_ids(glb)]
    assert len(found) == len(set(found))
    assert set(found) == set(scene.feature_ids)
    kinds = {}
    for glb in tileset.tileset.tiles.values():
        extras = read_extras(glb)
        assert extras["origin"] == campus.frame.describe()
        kinds |= extras["feature_kinds"]
    assert kinds == scene.kinds


def test_a_building_lies_whole_in_one_tile_below_the_ground(
    tileset: SceneTileset, campus: Campus
) -> None:
    ground = read_feature_ids(tileset.tileset.tiles[GROUND_TILE])
    assert {"park", "core", "fish", "fish-head"} <= set(ground)
    assert not any(i.split("/")[0] in campus.buildings for i in ground)
    homes: dict[str, set[str]] = {}
    for name, glb in _finest(tileset).items():
        for feature in read_feature_ids(glb):
            if feature.split("/")[0] in campus.buildings:
                homes.setdefault(feature.split("/")[0], set()).add(name)
    assert set(homes) == set(campus.buildings)
    assert all(len(tiles) == 1 for tiles in homes.values())
    assert len(tileset.tileset.tiles) > 3  # the embedded campus spans several tiles
    root = tileset.tileset.document["root"]
    assert root["content"]["uri"] == f"tiles/{GROUND_TILE}.glb"


def test_inner_tiles_are_coarse_boxes_of_the_buildings_below_them(
    tileset: SceneTileset, campus: Campus
) -> None:
    root = tileset.tileset.document["root"]
    tiles = _walk(root)
    coarse = [(d, t) for d, t in tiles if t.get("refine") == "REPLACE"]
    assert coarse, "the embedded campus has levels of detail"
    for _, tile in coarse:
        name = tile["content"]["uri"].removeprefix("tiles/").removesuffix(".glb")
        glb = tileset.tileset.tiles[name]
        assert read_extras(glb)["lod"] == "coarse"
        below = {
            i.split("/")[0]
            for _, t in _walk(tile)[1:]
            if "content" in t
            for i in read_feature_ids(tileset.tileset.tiles[t["content"]["uri"][6:-4]])
        }
        # colours by id: a coarse tile's table is the ids of exactly the buildings below it
        assert set(read_feature_ids(glb)) == below & set(campus.buildings)
        assert len(glb) < sum(
            len(tileset.tileset.tiles[t["content"]["uri"][6:-4]])
            for _, t in _walk(tile)[1:]
            if "content" in t
        )


def test_geometric_errors_shrink_down_the_tree_to_zero_at_the_leaves(
    tileset: SceneTileset,
) -> None:
    def check(tile: dict) -> None:
        for child in tile.get("children", []):
            assert child["geometricError"] <= tile["geometricError"]
            check(child)
        if not tile.get("children"):
            assert tile["geometricError"] == 0
        else:
            assert tile["geometricError"] > 0

    document = tileset.tileset.document
    assert document["root"]["geometricError"] <= document["geometricError"]
    check(document["root"])
    depths = {d for d, t in _walk(document["root"])}
    assert max(depths) >= 3  # the embedded campus has several levels


def test_the_root_transform_puts_the_origin_on_the_globe(
    tileset: SceneTileset, campus: Campus
) -> None:
    document = json.loads(tileset.json)
    matrix = np.array(document["root"]["transform"]).reshape(4, 4).T  # column-major
    lon, lat, height = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True).transform(
        *matrix[:3, 3]
    )
    origin = document["extras"]["origin"]
    assert origin == campus.frame.describe()
    assert (lon, lat, height) == pytest.approx((origin["lon"], origin["lat"], 0.0), abs=1e-6)


def test_the_same_campus_gives_the_same_etags(campus: Campus, tileset: SceneTileset) -> None:
    again = build_scene_tileset(campus)
    assert (again.etag, again.tile_etags, again.json) == (
        tileset.etag,
        tileset.tile_etags,
        tileset.json,
    )
    assert len({tileset.etag, *tileset.tile_etags.values()}) == 1 + len(tileset.tile_etags)


def test_changed_geometry_changes_its_tile_and_the_tileset_etag(
    campus: Campus, tileset: SceneTileset
) -> None:
    changed = build_scene_tileset(_taller(campus, "data-centre"))
    assert changed.etag != tileset.etag
    assert set(changed.tile_etags) == set(tileset.tile_etags)
    differ = {n for n in tileset.tile_etags if changed.tile_etags[n] != tileset.tile_etags[n]}
    # its own tile, and the coarse tiles above it (whose box of it is taller)
    [home] = [n for n in differ if n in _finest(tileset)]
    holding = {
        n for n, glb in tileset.tileset.tiles.items() if "data-centre" in read_feature_ids(glb)
    }
    assert differ == holding and home.startswith("q")
