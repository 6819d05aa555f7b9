"""GLB export with per-vertex feature ids: structure, ids, frame, extras, Khronos validity."""

from __future__ import annotations

import itertools
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh
from shapely.geometry import Point, Polygon, box

from geometry.gltf import FeatureMesh, build_glb, read_extras, read_feature_ids

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "viewer" / "web"
VALIDATOR = WEB / "tools" / "validate-gltf.mjs"

_DTYPES = {5121: np.uint8, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_WIDTHS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}

# 3 groups, 10 features: (group, feature id, footprint in m, base z in m, height in m)
L_SHAPE = Polygon([(0, 0), (60, 0), (60, 20), (20, 20), (20, 40), (0, 40)])
COURTYARD = Polygon(box(100, 0, 160, 60).exterior, [box(120, 20, 140, 40).exterior.coords])
FEATURES: list[tuple[str, str, Polygon, float, float]] = [
    ("mass-a", "a", L_SHAPE, 0.0, 30.0),
    ("mass-b", "b", COURTYARD, 0.0, 12.0),
    *[("stack-c", f"c/L{k}", box(200, 0, 230, 20), 4.0 * k, 4.0) for k in range(4)],
    *[
        ("mass-b", f"b/annex{k}", box(100 + 15 * k, 70, 110 + 15 * k, 80), 0.0, 6.0)
        for k in range(3)
    ],
    ("mass-b", "b/rotunda", Point(160, 75).buffer(5), 0.0, 9.0),  # curved: many face normals
]
EXTRAS = {"origin": {"x": 350_000.0, "y": 3_420_000.0, "crs": "EPSG:32651"}, "name": "测试"}
COLORS = {"mass-a": (0.9, 0.2, 0.1, 1.0), "stack-c": (0.1, 0.4, 0.9, 0.5)}


def _prism(footprint: Polygon, base: float, height: float) -> trimesh.Trimesh:
    mesh = trimesh.creation.extrude_polygon(footprint, height)
    mesh.apply_translation([0.0, 0.0, base])
    return mesh


def _parts() -> list[FeatureMesh]:
    parts = []
    for index, (group, _, footprint, base, height) in enumerate(FEATURES):
        mesh = _prism(footprint, base, height)
        parts.append(FeatureMesh(mesh, np.full(len(mesh.vertices), index), group))
    return parts


def _ids() -> list[str]:
    return [feature_id for _, feature_id, *_ in FEATURES]


@pytest.fixture(scope="module")
def glb() -> bytes:
    return build_glb(_parts(), _ids(), extras=EXTRAS, materials=COLORS)


def _chunks(data: bytes) -> tuple[dict[str, Any], bytes, int]:
    """JSON tree, BIN chunk and the BIN chunk's file offset."""
    _, _, total = struct.unpack_from("<III", data, 0)
    assert total == len(data)
    json_length, _ = struct.unpack_from("<II", data, 12)
    bin_start = 20 + json_length
    bin_length, _ = struct.unpack_from("<II", data, bin_start)
    tree = json.loads(data[20:bin_start])
    return tree, data[bin_start + 8 : bin_start + 8 + bin_length], bin_start + 8


def _accessor(tree: dict[str, Any], binary: bytes, index: int) -> np.ndarray:
    accessor = tree["accessors"][index]
    view = tree["bufferViews"][accessor["bufferView"]]
    assert "byteStride" not in view
    width = _WIDTHS[accessor["type"]]
    start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
    values = np.frombuffer(
        binary, _DTYPES[accessor["componentType"]], accessor["count"] * width, start
    )
    return values.reshape(accessor["count"], width) if width > 1 else values


def _primitives(glb: bytes) -> list[dict[str, Any]]:
    """Per primitive: group name, positions, normals, feature index, triangles, material."""
    tree, binary, _ = _chunks(glb)
    result = []
    for mesh in tree["meshes"]:
        for primitive in mesh["primitives"]:
            attributes = primitive["attributes"]
            result.append(
                {
                    "group": mesh["name"],
                    "position": _accessor(tree, binary, attributes["POSITION"]),
                    "normal": _accessor(tree, binary, attributes["NORMAL"]),
                    "feature": _accessor(tree, binary, attributes["_FEATURE_ID_0"]),
                    "triangles": _accessor(tree, binary, primitive["indices"]).reshape(-1, 3),
                    "material": tree["materials"][primitive["material"]],
                    "extensions": primitive.get("extensions", {}),
                }
            )
    return result


def test_one_node_mesh_and_primitive_per_group(glb: bytes) -> None:
    tree, _, _ = _chunks(glb)
    groups = list(dict.fromkeys(group for group, *_ in FEATURES))
    assert [m["name"] for m in tree["meshes"]] == groups
    assert all(len(m["primitives"]) == 1 for m in tree["meshes"])
    assert [(n["name"], n["mesh"]) for n in tree["nodes"]] == [(g, i) for i, g in enumerate(groups)]
    assert tree["scenes"][tree["scene"]]["nodes"] == list(range(len(groups)))


def test_feature_ids_round_trip(glb: bytes) -> None:
    assert read_feature_ids(glb) == _ids()


def test_each_vertex_carries_the_feature_of_its_own_prism(glb: bytes) -> None:
    ids = _ids()
    for primitive in _primitives(glb):
        feature = primitive["feature"]
        assert feature.dtype == np.float32
        assert np.array_equal(feature, np.round(feature))
        for index in np.unique(feature).astype(int):
            group, _, footprint, base, height = FEATURES[index]
            assert group == primitive["group"], ids[index]
            xyz = primitive["position"][feature == index] @ np.array(
                [[1, 0, 0], [0, 0, 1], [0, -1, 0]]
            )  # back to Z-up: (x, y, z) = (x', -z', y')
            assert np.allclose(np.sort(np.unique(np.round(xyz[:, 2], 4))), [base, base + height])
            lo, hi = np.array(footprint.bounds[:2]), np.array(footprint.bounds[2:])
            assert (xyz[:, :2] >= lo - 1e-4).all() and (xyz[:, :2] <= hi + 1e-4).all()
        # a triangle never mixes features, so picking a triangle gives one id
        corners = feature[primitive["triangles"]]
        assert (corners == corners[:, :1]).all()
    found = np.concatenate([p["feature"] for p in _primitives(glb)])
    assert sorted(np.unique(found).astype(int)) == list(range(len(ids)))


def test_each_feature_encloses_its_prism_volume_with_outward_faces(glb: bytes) -> None:
    volumes = np.zeros(len(FEATURES))
    for primitive in _primitives(glb):
        triangles = primitive["position"][primitive["triangles"]].astype(np.float64)
        signed = np.linalg.det(triangles) / 6.0  # divergence theorem, per triangle
        np.add.at(volumes, primitive["feature"][primitive["triangles"][:, 0]].astype(int), signed)
        # flat normals agree with the winding, so lighting and back-face culling match
        winding = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
        normals = primitive["normal"][primitive["triangles"]]
        assert np.allclose(np.linalg.norm(normals, axis=2), 1.0, atol=1e-6)
        assert (np.einsum("ij,ikj->ik", winding, normals) > 0).all()
    expected = [footprint.area * height for _, _, footprint, _, height in FEATURES]
    assert volumes == pytest.approx(expected, rel=1e-6)


def test_z_up_becomes_y_up(glb: bytes) -> None:
    tree, _, _ = _chunks(glb)
    position = tree["accessors"][tree["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    # the L-shaped mass: x 0..60 m east, y 0..40 m north, z 0..30 m up
    assert position["min"] == pytest.approx([0.0, 0.0, -40.0])
    assert position["max"] == pytest.approx([60.0, 30.0, 0.0])


def test_extras_round_trip_in_scene_extras(glb: bytes) -> None:
    assert read_extras(glb) == EXTRAS
    tree, _, _ = _chunks(glb)
    assert tree["scenes"][tree["scene"]]["extras"] == {**EXTRAS, "feature_ids": _ids()}


def test_one_rough_dielectric_material_per_group(glb: bytes) -> None:
    for primitive in _primitives(glb):
        material = primitive["material"]
        pbr = material["pbrMetallicRoughness"]
        assert material["name"] == primitive["group"]
        assert material["doubleSided"] is False
        assert pbr["metallicFactor"] == 0.0
        assert pbr["roughnessFactor"] == pytest.approx(0.9)
        expected = COLORS.get(primitive["group"], (0.8, 0.8, 0.8, 1.0))
        assert pbr["baseColorFactor"] == pytest.approx(list(expected))
        assert material.get("alphaMode", "OPAQUE") == ("BLEND" if expected[3] < 1 else "OPAQUE")


def test_ext_mesh_features_and_property_table_name_the_ids(glb: bytes) -> None:
    tree, binary, bin_offset = _chunks(glb)
    assert {"EXT_mesh_features", "EXT_structural_metadata"} <= set(tree["extensionsUsed"])
    assert "extensionsRequired" not in tree
    for primitive in _primitives(glb):
        feature_ids = primitive["extensions"]["EXT_mesh_features"]["featureIds"]
        distinct = len(np.unique(primitive["feature"]))
        assert feature_ids == [{"featureCount": distinct, "attribute": 0, "propertyTable": 0}]
    metadata = tree["extensions"]["EXT_structural_metadata"]
    table = metadata["propertyTables"][0]
    assert metadata["schema"]["classes"][table["class"]]["properties"]["id"]["type"] == "STRING"
    column = table["properties"]["id"]
    values_view = tree["bufferViews"][column["values"]]
    offsets_view = tree["bufferViews"][column["stringOffsets"]]
    for view in (values_view, offsets_view):  # EXT_structural_metadata: 8-byte alignment
        assert (bin_offset + view["byteOffset"]) % 8 == 0
    assert bin_offset % 8 == 0 and len(binary) % 8 == 0
    assert tree["buffers"][0]["byteLength"] == len(binary)
    offsets = np.frombuffer(binary, "<u4", table["count"] + 1, offsets_view["byteOffset"])
    values = binary[values_view["byteOffset"] : values_view["byteOffset"] + int(offsets[-1])]
    decoded = [values[a:b].decode() for a, b in itertools.pairwise(offsets)]
    assert decoded == _ids()


def test_parts_of_one_group_merge_whatever_their_order() -> None:
    parts = _parts()
    shuffled = [parts[i] for i in (6, 0, 2, 7, 1, 3, 8, 4, 9, 5)]
    tree, _, _ = _chunks(build_glb(shuffled, _ids(), extras={}))
    assert [m["name"] for m in tree["meshes"]] == ["mass-b", "mass-a", "stack-c"]


def test_a_group_named_like_the_scene_root_stays_a_plain_node() -> None:
    part = _parts()[0]
    tree, _, _ = _chunks(
        build_glb([FeatureMesh(part.mesh, part.feature_index, "world")], _ids(), extras={})
    )
    assert tree["nodes"] == [{"name": "world", "mesh": 0}]


def test_zero_area_faces_are_dropped() -> None:
    mesh = trimesh.creation.box()
    faces = np.vstack([mesh.faces, [[0, 1, 1]]])
    sliver = trimesh.Trimesh(mesh.vertices, faces, process=False)
    glb = build_glb([FeatureMesh(sliver, np.zeros(8, dtype=int), "g")], ["a"], extras={})
    [primitive] = _primitives(glb)
    assert len(primitive["triangles"]) == 12
    assert len(primitive["position"]) == 24  # flat shading: 4 corners per box side


def _mixed_face() -> FeatureMesh:
    mesh = trimesh.creation.box()
    index = np.zeros(len(mesh.vertices), dtype=int)
    index[0] = 1
    return FeatureMesh(mesh, index, "g")


@pytest.mark.parametrize(
    ("make", "ids", "extras", "error"),
    [
        (lambda: [], ["a"], {}, ValueError),
        (lambda: [_mixed_face()], ["a", "b"], {}, ValueError),  # a face spans two features
        (lambda: _parts(), _ids()[:-1], {}, ValueError),  # index outside the table
        (lambda: _parts(), [*_ids()[:-1], "a"], {}, ValueError),  # duplicate id
        (lambda: _parts(), [*_ids()[:-1], ""], {}, ValueError),
        (lambda: _parts(), _ids(), {"feature_ids": []}, ValueError),  # reserved key
        (lambda: _parts(), _ids(), {"origin": np.float32(1)}, TypeError),  # not JSON
    ],
)
def test_bad_input_is_refused(
    make: Any, ids: list[str], extras: dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        build_glb(make(), ids, extras=extras)


@pytest.mark.parametrize("index", [np.zeros(3, dtype=int), np.zeros(8, dtype=float)])
def test_feature_index_must_be_one_integer_per_vertex(index: np.ndarray) -> None:
    with pytest.raises(ValueError):
        FeatureMesh(trimesh.creation.box(), index, "g")


def test_bad_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="RGBA"):
        build_glb(_parts(), _ids(), extras={}, materials={"mass-a": (1.0, 0.0, 0.0)})  # type: ignore[dict-item]


def test_khronos_validator_reports_no_error_and_no_warning(
    glb: bytes, tmp_path: Path, node_tool: Any
) -> None:
    path = tmp_path / "scene.glb"
    path.write_bytes(glb)
    done = node_tool("validate-gltf.mjs", str(path))
    report = json.loads(done.stdout)
    problems = [m for m in report["messages"] if m["severity"] <= 1]
    assert (report["numErrors"], report["numWarnings"], problems) == (0, 0, [])
    assert done.returncode == 0, done.stderr
    assert report["info"]["drawCallCount"] == 3
