"""3D Tiles 1.1 tilesets of GLB tiles: tileset.json structure, bounding volumes that hold their
content, a feature table per tile that names the right ids, Khronos-valid GLBs."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import box

from geometry.extrude import flat_plate, prism
from geometry.gltf import FeatureMesh, read_extras, read_feature_ids
from geometry.tiles3d import BOX_PADDING_M, TileContent, TileNode, Tileset, build_tileset

# six masses of two storeys on a 400 × 300 m plate; ids "b<k>", "b<k>/L01", "b<k>/L02"
PLATE = box(0, 0, 400, 300)
MASSES = {f"b{k}": box(20 + 60 * k, 30 + 35 * k, 60 + 60 * k, 60 + 35 * k) for k in range(6)}
IDS = ["site", *[i for b in MASSES for i in (b, f"{b}/L01", f"{b}/L02")]]
INDEX = {feature: i for i, feature in enumerate(IDS)}
STOREY_M = 4.0
Y_UP_TO_Z_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # (x, -z, y)
TRANSFORM = np.array(
    [[0.0, -1.0, 0.0, 10.0], [1.0, 0.0, 0.0, 20.0], [0.0, 0.0, 1.0, 30.0], [0, 0, 0, 1.0]]
)


def _parts(building: str) -> list[FeatureMesh]:
    parts = []
    for level in (1, 2):
        mesh = prism(MASSES[building], (level - 1) * STOREY_M, level * STOREY_M - 0.3)
        index = np.full(len(mesh.vertices), INDEX[f"{building}/L{level:02d}"])
        parts.append(FeatureMesh(mesh, index, building))
    return parts


def _leaf(name: str, *buildings: str) -> TileNode:
    parts = [p for b in buildings for p in _parts(b)]
    return TileNode(TileContent(name, parts, listed=[INDEX[b] for b in buildings]))


def _tree() -> TileNode:
    plate = flat_plate(PLATE, 0.0)
    ground = TileContent("ground", [FeatureMesh(plate, np.zeros(len(plate.vertices), int), "g")])
    inner = TileNode(children=[_leaf("q10", "b2", "b3"), _leaf("q11", "b4", "b5")])
    return TileNode(ground, [_leaf("q0", "b0", "b1"), inner])


def _extras(ids: list[str]) -> dict[str, Any]:
    return {"kinds": {i: "mass" if "/" not in i else "storey" for i in ids}}


@pytest.fixture(scope="module")
def tileset() -> Tileset:
    progress: list[tuple[int, int]] = []
    built = build_tileset(
        _tree(),
        IDS,
        glb_extras=_extras,
        transform=TRANSFORM,
        extras={"origin": {"x": 1.5}},
        progress=lambda done, total: progress.append((done, total)),
    )
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    return built


def _tiles(tile: dict[str, Any]) -> list[dict[str, Any]]:
    return [tile, *[t for child in tile.get("children", []) for t in _tiles(child)]]


def _corners(tile: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The box's low and high corners (m); asserts it is axis-aligned with positive half-axes."""
    values = np.array(tile["boundingVolume"]["box"])
    assert values.shape == (12,)
    axes = values[3:].reshape(3, 3)
    assert np.array_equal(axes, np.diag(np.diag(axes))) and (np.diag(axes) > 0).all()
    return values[:3] - np.diag(axes), values[:3] + np.diag(axes)


def _read(glb: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Every vertex of the GLB in the Z-up frame (m) and its feature index."""
    json_length = struct.unpack_from("<I", glb, 12)[0]
    tree = json.loads(glb[20 : 20 + json_length])
    binary = glb[20 + json_length + 8 :]

    def accessor(i: int) -> np.ndarray:
        a = tree["accessors"][i]
        start = tree["bufferViews"][a["bufferView"]].get("byteOffset", 0) + a.get("byteOffset", 0)
        width = 3 if a["type"] == "VEC3" else 1
        return np.frombuffer(binary, np.float32, a["count"] * width, start).reshape(a["count"], -1)

    primitives = [p for m in tree["meshes"] for p in m["primitives"]]
    xyz = np.vstack([accessor(p["attributes"]["POSITION"]) for p in primitives])
    fid = np.concatenate([accessor(p["attributes"]["_FEATURE_ID_0"])[:, 0] for p in primitives])
    return xyz @ Y_UP_TO_Z_UP.T, fid.astype(int)


def test_tileset_json_is_3d_tiles_1_1(tileset: Tileset) -> None:
    doc = json.loads(tileset.json_bytes())
    assert doc == tileset.document
    assert doc["asset"] == {"version": "1.1"}
    root = doc["root"]
    assert root["refine"] == "ADD"
    assert doc["geometricError"] >= root["geometricError"] > 0
    assert doc["extras"] == {"origin": {"x": 1.5}}
    assert root["transform"] == [float(v) for v in TRANSFORM.T.ravel()]  # column-major
    uris = [t["content"]["uri"] for t in _tiles(root) if "content" in t]
    assert uris == ["tiles/ground.glb", "tiles/q0.glb", "tiles/q10.glb", "tiles/q11.glb"]
    assert set(tileset.files()) == {"tileset.json", *uris}
    for tile in _tiles(root):
        assert set(tile) <= {
            "boundingVolume",
            "geometricError",
            "content",
            "children",
            "refine",
            "transform",
        }
        assert tile.get("children", [None]) != []  # no empty children arrays


def test_children_lie_inside_their_parent_and_errors_shrink_to_zero(tileset: Tileset) -> None:
    def check(tile: dict[str, Any]) -> None:
        low, high = _corners(tile)
        children = tile.get("children", [])
        assert (tile["geometricError"] == 0) == (not children)
        for child in children:
            child_low, child_high = _corners(child)
            assert (child_low >= low - 1e-9).all() and (child_high <= high + 1e-9).all()
            assert child["geometricError"] <= tile["geometricError"]
            check(child)
        if children:  # what the children add: the diagonal of their union
            lows, highs = zip(*(_corners(c) for c in children), strict=True)
            diagonal = np.linalg.norm(np.max(highs, axis=0) - np.min(lows, axis=0))
            assert tile["geometricError"] == pytest.approx(diagonal, abs=0.01)

    check(tileset.document["root"])


def test_every_box_holds_its_content_tightly(tileset: Tileset) -> None:
    for tile in _tiles(tileset.document["root"]):
        if "content" not in tile:
            continue
        name = tile["content"]["uri"].removeprefix("tiles/").removesuffix(".glb")
        xyz, _ = _read(tileset.tiles[name])
        low, high = _corners(tile)
        assert (xyz >= low).all() and (xyz <= high).all()
        if "children" not in tile:  # a leaf's box is its content's, plus the padding
            assert low == pytest.approx(xyz.min(axis=0) - BOX_PADDING_M, abs=2e-3)
            assert high == pytest.approx(xyz.max(axis=0) + BOX_PADDING_M, abs=2e-3)


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("ground", ["site"]),
        ("q0", ["b0", "b0/L01", "b0/L02", "b1", "b1/L01", "b1/L02"]),
        ("q11", ["b4", "b4/L01", "b4/L02", "b5", "b5/L01", "b5/L02"]),
    ],
)
def test_each_tile_has_its_own_feature_table(tileset: Tileset, name: str, ids: list[str]) -> None:
    glb = tileset.tiles[name]
    assert read_feature_ids(glb) == ids  # the tile's features, in the caller's order
    assert read_extras(glb) == _extras(ids)
    xyz, fid = _read(glb)
    for index in np.unique(fid):
        feature = ids[index]
        assert "/" in feature or feature == "site"  # masses are listed, never drawn
        points = xyz[fid == index]
        if feature == "site":
            assert points[:, 2].max() == pytest.approx(0.0, abs=1e-4)
            continue
        building, level = feature.split("/L")
        lo, hi = np.array(MASSES[building].bounds[:2]), np.array(MASSES[building].bounds[2:])
        assert (points[:, :2] >= lo - 1e-3).all() and (points[:, :2] <= hi + 1e-3).all()
        assert points[:, 2].min() == pytest.approx((int(level) - 1) * STOREY_M, abs=1e-4)


def test_every_feature_is_in_exactly_one_tile(tileset: Tileset) -> None:
    found = [i for glb in tileset.tiles.values() for i in read_feature_ids(glb)]
    assert sorted(found) == sorted(IDS)


def test_write_puts_the_files_in_place(tileset: Tileset, tmp_path: Path) -> None:
    tileset.write(tmp_path)
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert written == set(tileset.files())
    assert (tmp_path / "tiles" / "q10.glb").read_bytes() == tileset.tiles["q10"]


def test_every_tile_glb_is_valid_for_the_khronos_validator(
    tileset: Tileset, tmp_path: Path, node_tool: Any
) -> None:
    tileset.write(tmp_path)
    for name in tileset.tiles:
        done = node_tool("validate-gltf.mjs", str(tmp_path / "tiles" / f"{name}.glb"))
        report = json.loads(done.stdout)
        problems = [m for m in report["messages"] if m["severity"] <= 1]
        assert (report["numErrors"], report["numWarnings"], problems) == (0, 0, []), name
        assert done.returncode == 0, done.stderr


def _content(name: str, feature: int = 1) -> TileContent:
    mesh = prism(box(0, 0, 1, 1), 0, 1)
    return TileContent(name, [FeatureMesh(mesh, np.full(len(mesh.vertices), feature), "g")])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TileNode(), "content or children"),
        (lambda: TileNode(_content("a"), [TileNode(_content("a"))]), "two tiles are named 'a'"),
        (lambda: TileNode(_content("a", feature=len(IDS))), "outside the feature table"),
        (lambda: TileNode(_content("a/b")), "must be 1-64"),
        (lambda: TileNode(TileContent("a", [])), "has no meshes"),
    ],
    ids=["empty-tile", "same-name", "bad-index", "bad-name", "no-meshes"],
)
def test_bad_trees_are_refused(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_tileset(make(), IDS, glb_extras=_extras)


def test_a_transform_must_be_a_finite_4x4_matrix() -> None:
    with pytest.raises(ValueError, match="4x4"):
        build_tileset(TileNode(_content("a")), IDS, glb_extras=_extras, transform=np.eye(3))


def test_a_coarse_node_replaces_and_its_error_is_never_below_its_childrens() -> None:
    coarse = TileContent("c1", _parts("b2"), extras={"lod": "coarse"})
    inner = TileNode(coarse, [_leaf("q10", "b2", "b3")], refine="REPLACE", error=0.5)
    ground = TileNode(TileContent("ground", _parts("b0")), [inner])
    built = build_tileset(ground, IDS, glb_extras=_extras)
    [child] = built.document["root"]["children"]
    assert built.document["root"]["refine"] == "ADD" and child["refine"] == "REPLACE"
    assert child["geometricError"] == 0.5 and child["children"][0]["geometricError"] == 0
    assert read_extras(built.tiles["c1"])["lod"] == "coarse"  # content extras reach the GLB
    bigger = TileNode(coarse, [TileNode(children=[_leaf("q10", "b2")], error=3.0)], error=0.5)
    assert build_tileset(bigger, IDS, glb_extras=_extras).document["root"]["geometricError"] >= 3.0
    with pytest.raises(ValueError, match="refine"):
        TileNode(coarse, refine="MERGE")
