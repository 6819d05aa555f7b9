"""Binary glTF (GLB) export of meshes that carry one feature id per vertex.

The GLB is what a browser or a desktop viewer loads: one node, mesh and primitive per group
(few draw calls), glTF's Y-up frame in metres, flat normals, one PBR material per group, and a
per-vertex feature index (``_FEATURE_ID_0``, float32 SCALAR) declared with ``EXT_mesh_features``.
The feature index points into a table of string ids written twice:

- in the default scene's ``extras`` as ``feature_ids`` (next to the caller's ``extras``); three.js
  exposes it as ``gltf.scene.userData.feature_ids``;
- as an ``EXT_structural_metadata`` property table (class ``feature``, STRING property ``id``),
  which ``featureIds[0].propertyTable`` references, for metadata-aware clients (CesiumJS, 3D Tiles).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import trimesh

__all__ = ["FeatureMesh", "build_glb", "read_extras", "read_feature_ids"]

FEATURE_ATTRIBUTE = "_FEATURE_ID_0"
"""Name of the per-vertex feature index attribute (EXT_mesh_features ``attribute: 0``)."""
DEFAULT_COLOR = (0.8, 0.8, 0.8, 1.0)
"""Linear RGBA base colour of a group missing from ``materials``."""
FEATURE_IDS_KEY = "feature_ids"
"""Key of the id table in the scene extras; reserved, callers' extras may not use it."""

_MAX_FEATURES = 2**24  # float32 holds every integer up to 2**24 exactly
_GLB_MAGIC, _GLB_VERSION, _JSON_CHUNK, _BIN_CHUNK = 0x46546C67, 2, 0x4E4F534A, 0x004E4942
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
# glTF is Y-up: (x, y, z) Z-up -> (x, z, -y); a proper rotation, so face winding is kept
_Z_UP_TO_Y_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])


@dataclass(frozen=True)
class FeatureMesh:
    """A watertight trimesh.Trimesh in the local Z-up metre frame (x east, y north, z up), with one
    feature index per vertex.

    Attributes
    ----------
    mesh : trimesh.Trimesh
        Vertices in metres. Watertightness is expected of solids but not checked here, so open
        surfaces (e.g. flat plates) export too; faces are single-sided (``doubleSided: false``).
    feature_index : np.ndarray
        Integer, shape (n_vertices,): index into the feature table. The three vertices of a face
        must share one index.
    group : str
        Draw-call group name (e.g. an object id or a material name); the meshes of one group are
        merged into one primitive.
    """

    mesh: trimesh.Trimesh
    feature_index: np.ndarray
    group: str

    def __post_init__(self) -> None:
        index = np.asarray(self.feature_index)
        if index.ndim != 1 or index.dtype.kind not in "iu":
            raise ValueError(f"feature_index must be a 1-D integer array, got {index.dtype}")
        if len(index) != len(self.mesh.vertices):
            raise ValueError(
                f"feature_index has {len(index)} values for {len(self.mesh.vertices)} vertices"
            )
        if not self.group:
            raise ValueError("group must be a non-empty string")


def build_glb(
    parts: Sequence[FeatureMesh],
    feature_ids: Sequence[str],
    *,
    extras: Mapping[str, Any],
    materials: Mapping[str, tuple[float, float, float, float]] | None = None,
) -> bytes:
    """Write meshes with per-vertex feature ids as one GLB.

    Parameters
    ----------
    parts : sequence of FeatureMesh
        Meshes in the local Z-up frame (m); parts sharing a ``group`` become one primitive,
        groups keep their order of first appearance.
    feature_ids : sequence of str
        Unique feature ids; ``feature_ids[i]`` is the id of feature index ``i``.
    extras : mapping
        JSON-serialisable application data (e.g. the frame origin) stored in the scene extras.
    materials : mapping, optional
        Linear RGBA (0..1) base colour per group name; other groups get light grey.

    Returns
    -------
    bytes
        A glTF 2.0 binary (Y-up, metres) valid for the Khronos validator.
    """
    ids = list(feature_ids)
    if not all(isinstance(i, str) for i in ids):
        raise TypeError("feature_ids must be strings")
    if not parts:
        raise ValueError("no meshes to export")
    if len(set(ids)) != len(ids) or not all(ids):
        raise ValueError("feature_ids must be unique, non-empty strings")
    if len(ids) > _MAX_FEATURES:
        raise ValueError(f"at most {_MAX_FEATURES} features fit a float32 attribute")
    if FEATURE_IDS_KEY in extras:
        raise ValueError(f"extras key {FEATURE_IDS_KEY!r} is reserved for the feature table")
    scene_extras = json.loads(json.dumps({**extras, FEATURE_IDS_KEY: ids}))  # TypeError if not JSON
    colors = {name: [float(c) for c in color] for name, color in (materials or {}).items()}
    for name, color in colors.items():
        if len(color) != 4 or not all(0.0 <= c <= 1.0 for c in color):
            raise ValueError(f"material {name!r}: colour must be RGBA in 0..1, got {color}")

    groups: dict[str, list[FeatureMesh]] = {}
    for part in parts:
        groups.setdefault(part.group, []).append(part)
    root = "root"  # trimesh's base frame is no glTF node, but must not share a group's name
    while root in groups:
        root += "_"
    scene = trimesh.Scene(base_frame=root)
    feature_counts = {}  # distinct features per group: EXT_mesh_features' featureCount
    for name, members in groups.items():
        mesh = _merge_group(members, len(ids))
        feature_counts[name] = len(np.unique(mesh.vertex_attributes[FEATURE_ATTRIBUTE]))
        scene.add_geometry(mesh, geom_name=name, node_name=name)

    def add_property_table(buffer_items: Any, tree: dict[str, Any]) -> None:
        _append_id_table(buffer_items, tree, ids)

    def finish_tree(tree: dict[str, Any]) -> None:
        tree["scenes"][tree.get("scene", 0)]["extras"] = scene_extras
        tree["asset"]["generator"] = f"geometry.gltf (trimesh {trimesh.__version__})"
        tree["materials"] = []
        for mesh in tree["meshes"]:
            name = mesh["name"]
            tree["materials"].append(_material(name, colors.get(name, list(DEFAULT_COLOR))))
            mesh.pop("extras", None)
            for primitive in mesh["primitives"]:
                primitive["material"] = len(tree["materials"]) - 1
                _declare_features(primitive, feature_counts[name])
        used = set(tree.get("extensionsUsed", []))
        tree["extensionsUsed"] = sorted(used | {"EXT_mesh_features", "EXT_structural_metadata"})
        _set_view_targets(tree)

    glb = scene.export(
        file_type="glb",
        include_normals=True,
        buffer_postprocessor=add_property_table,
        tree_postprocessor=finish_tree,
    )
    tree, binary = _parse_glb(glb)
    return _pack_glb(tree, binary)


def read_feature_ids(glb: bytes) -> list[str]:
    """Return the feature id table of a GLB written by :func:`build_glb` (index = feature index)."""
    return list(_scene_extras(glb)[FEATURE_IDS_KEY])


def read_extras(glb: bytes) -> dict[str, Any]:
    """Return the caller's ``extras`` of a GLB written by :func:`build_glb` (no id table)."""
    extras = dict(_scene_extras(glb))
    extras.pop(FEATURE_IDS_KEY, None)
    return extras


def _merge_group(members: Sequence[FeatureMesh], n_features: int) -> trimesh.Trimesh:
    """Merge meshes into one flat-shaded Y-up mesh with a float32 ``_FEATURE_ID_0`` attribute.

    Every face corner gets its face's normal; corners of one input vertex with one normal are
    shared (a box keeps 24 vertices), so faces of different features never share a vertex.
    Zero-area faces are dropped: they have no normal and draw nothing.
    """
    sizes = [len(p.mesh.vertices) for p in members]
    offsets = np.cumsum([0, *sizes[:-1]])
    vertices = np.vstack([np.asarray(p.mesh.vertices, dtype=np.float64) for p in members])
    shifted = zip(members, offsets, strict=True)
    faces = np.vstack([np.asarray(p.mesh.faces, dtype=np.int64) + o for p, o in shifted])
    features = np.concatenate([np.asarray(p.feature_index, dtype=np.int64) for p in members])
    name = members[0].group
    corner_features = features[faces]
    if (corner_features != corner_features[:, :1]).any():
        raise ValueError(f"group {name!r}: a face spans several feature indices")
    if len(features) and (features.min() < 0 or features.max() >= n_features):
        raise ValueError(f"group {name!r}: feature index outside the feature table")

    triangles = vertices[faces]
    cross = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
    length = np.linalg.norm(cross, axis=1)
    keep = length > 1e-12
    if not keep.any():
        raise ValueError(f"group {name!r} has no faces of non-zero area")
    faces, normals = faces[keep], cross[keep] / length[keep, None]
    # key a corner by (input vertex, face normal to 1e-6): pack each into one int64
    quantised = np.round(normals * 1e6).astype(np.int64) + 2**20  # 0 .. 2**21 per component
    normal_key = (quantised[:, 0] << 42) | (quantised[:, 1] << 21) | quantised[:, 2]
    _, normal_id = np.unique(normal_key, return_inverse=True)
    corner_key = (faces << 32) | np.repeat(normal_id.reshape(-1, 1), 3, axis=1)
    keys, first, inverse = np.unique(corner_key, return_index=True, return_inverse=True)
    source_vertex = keys >> 32
    mesh = trimesh.Trimesh(
        vertices=vertices[source_vertex] @ _Z_UP_TO_Y_UP.T,
        faces=inverse.reshape(-1, 3),
        vertex_normals=np.repeat(normals, 3, axis=0)[first] @ _Z_UP_TO_Y_UP.T,
        process=False,
    )
    # set after the mesh is built: concatenating or processing meshes drops vertex attributes
    mesh.vertex_attributes[FEATURE_ATTRIBUTE] = features[source_vertex].astype(np.float32)
    return mesh


def _append_id_table(buffer_items: Any, tree: dict[str, Any], ids: list[str]) -> None:
    """Store ``ids`` as an EXT_structural_metadata STRING column (UTF-8 values, UINT32 offsets).

    Both buffer views start on an 8-byte boundary, as the extension requires.
    """
    encoded = [i.encode("utf-8") for i in ids]
    offsets = np.concatenate([[0], np.cumsum([len(e) for e in encoded])]).astype("<u4")
    if buffer_items and sum(len(v) for v in buffer_items.values()) % 8:
        last = next(reversed(buffer_items))  # 4-byte padded already: pad it to 8
        buffer_items[last] = buffer_items[last] + bytes(4)
    column: dict[str, Any] = {"stringOffsetType": "UINT32"}
    for field, blob in (("values", b"".join(encoded)), ("stringOffsets", offsets.tobytes())):
        key = f"EXT_structural_metadata:feature.id:{field}"
        buffer_items[key] = blob + bytes(-len(blob) % 8)
        column[field] = buffer_items.index(key)
    schema = {
        "id": "feature_table",
        "classes": {"feature": {"properties": {"id": {"type": "STRING"}}}},
    }
    table = {"class": "feature", "count": len(ids), "properties": {"id": column}}
    tree.setdefault("extensions", {})["EXT_structural_metadata"] = {
        "schema": schema,
        "propertyTables": [table],
    }


def _declare_features(primitive: dict[str, Any], feature_count: int) -> None:
    """Declare the primitive's ``_FEATURE_ID_0`` attribute with EXT_mesh_features."""
    primitive.setdefault("extensions", {})["EXT_mesh_features"] = {
        "featureIds": [{"featureCount": feature_count, "attribute": 0, "propertyTable": 0}]
    }


def _material(name: str, color: list[float]) -> dict[str, Any]:
    """One opaque (or blended, if alpha < 1) rough dielectric PBR material."""
    material: dict[str, Any] = {
        "name": name,
        "pbrMetallicRoughness": {
            "baseColorFactor": color,
            "metallicFactor": 0.0,
            "roughnessFactor": 0.9,
        },
        "doubleSided": False,
    }
    if color[3] < 1.0:
        material["alphaMode"] = "BLEND"
    return material


def _set_view_targets(tree: dict[str, Any]) -> None:
    """Mark vertex and index buffer views with their GPU target (glTF best practice)."""
    targets: dict[int, set[int]] = {}
    for mesh in tree["meshes"]:
        for primitive in mesh["primitives"]:
            uses = [(a, _ARRAY_BUFFER) for a in primitive["attributes"].values()]
            uses.append((primitive["indices"], _ELEMENT_ARRAY_BUFFER))
            for accessor, target in uses:
                view = tree["accessors"][accessor]["bufferView"]
                targets.setdefault(view, set()).add(target)
    for view, kinds in targets.items():
        if len(kinds) == 1:
            tree["bufferViews"][view]["target"] = kinds.pop()


def _pack_glb(tree: dict[str, Any], binary: bytes) -> bytes:
    """Assemble a GLB with both chunks 8-byte aligned (EXT_structural_metadata's rule)."""
    binary += bytes(-len(binary) % 8)
    tree["buffers"][0]["byteLength"] = len(binary)  # the padding belongs to the buffer
    content = json.dumps(tree, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    content += b" " * (-(len(content) + 20) % 8)  # 12-byte header + 8-byte chunk header
    total = 12 + 8 + len(content) + 8 + len(binary)
    header = struct.pack("<5I", _GLB_MAGIC, _GLB_VERSION, total, len(content), _JSON_CHUNK)
    return header + content + struct.pack("<2I", len(binary), _BIN_CHUNK) + binary


def _parse_glb(glb: bytes) -> tuple[dict[str, Any], bytes]:
    """Split a GLB into its JSON tree and its BIN chunk (empty if absent)."""
    if len(glb) < 20:
        raise ValueError("not a GLB: too short")
    magic, version, total = struct.unpack_from("<III", glb, 0)
    if magic != _GLB_MAGIC or version != _GLB_VERSION:
        raise ValueError("not a glTF 2.0 binary")
    length, kind = struct.unpack_from("<II", glb, 12)
    if kind != _JSON_CHUNK or 20 + length > min(total, len(glb)):
        raise ValueError("GLB has no readable JSON chunk first")
    tree = json.loads(glb[20 : 20 + length])
    binary = b""
    start = 20 + length
    if start + 8 <= min(total, len(glb)):
        length, kind = struct.unpack_from("<II", glb, start)
        if kind == _BIN_CHUNK:
            binary = bytes(glb[start + 8 : start + 8 + length])
    return tree, binary


def _scene_extras(glb: bytes) -> dict[str, Any]:
    tree, _ = _parse_glb(glb)
    extras = tree["scenes"][tree.get("scene", 0)].get("extras", {})
    if FEATURE_IDS_KEY not in extras:
        raise ValueError("GLB has no feature table in its scene extras")
    return dict(extras)
