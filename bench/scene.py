"""The 3D scene: the Flying Fish campus GLB against a naive export with one mesh per part.

The twin's GLB (:func:`twin.scene.build_scene_file`) merges every building's parts into one
primitive and tells them apart by a per-vertex feature id. The naive export, built in the same
run from the same parts (:func:`assets.scene.build_scene`), gives each unit prism, core, floor
plate and ground slab its own node, mesh and primitive, named by its id (trimesh's scene
export): picking by node name, one draw call per part.
"""

from __future__ import annotations

import json
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import trimesh

from assets.campus import Campus
from assets.dataset import load_campus
from assets.scene import build_scene
from bench.measure import median
from bench.progress import steps_progress
from bench.section import Figure, Options, SectionResult, Target
from geometry.gltf import FEATURE_ATTRIBUTE, read_feature_ids
from twin.scene import build_scene_file

MAX_MB = 5.0
"""Target: the campus GLB is at most this big (MB = 10**6 B)."""
MAX_DRAW_CALLS = 100
"""Target: the campus GLB draws in at most this many calls (primitives)."""
NAIVE = "one mesh per part"
CASE = "Flying Fish campus GLB"
_COMPONENTS: dict[int, type[np.generic]] = {
    5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32,
    5126: np.float32,
}  # fmt: skip

METHOD = (
    "The campus GLB the API serves (`twin.scene.build_scene_file`: every building's unit prisms, "
    "cores and floor plates merged into one primitive per building, plus one for the ground, "
    "with a per-vertex feature id `_FEATURE_ID_0` indexing a table of ids) against a *naive* "
    "export of the same parts (`assets.scene.build_scene`), built in the same run: one node, "
    "mesh and primitive per unit prism, core, floor plate and ground slab, named by its id, "
    "written by trimesh's scene export (picking by node name). *build s* is the median of "
    "repeated builds from the loaded campus to GLB bytes, parts included; *draw calls* counts "
    "primitives drawn (one per node's mesh primitive); *triangles* those primitives' "
    "triangles; MB = 10^6 B. *Unit-level picking* means every unit of the campus has its own "
    "feature id on the vertices of the GLB, so a click resolves to the unit."
)


@dataclass(frozen=True)
class GlbStats:
    """What a GLB costs to send and draw."""

    bytes: int
    draw_calls: int
    triangles: int
    vertices: int
    nodes: int

    @property
    def mb(self) -> float:
        """Size, MB = 10**6 B."""
        return self.bytes / 1e6


def read_glb(glb: bytes) -> tuple[dict[str, Any], bytes]:
    """The JSON tree and the binary chunk of a GLB."""
    magic, _version, _length = struct.unpack_from("<III", glb, 0)
    if magic != 0x46546C67:
        raise ValueError("not a GLB")
    json_length = struct.unpack_from("<I", glb, 12)[0]
    tree = json.loads(glb[20 : 20 + json_length])
    rest = 20 + json_length
    binary = glb[rest + 8 :] if len(glb) > rest else b""
    return tree, binary


def glb_stats(glb: bytes) -> GlbStats:
    """Draw calls (primitives of every node's mesh), triangles and vertices drawn, nodes."""
    tree, _ = read_glb(glb)
    accessors, meshes = tree["accessors"], tree["meshes"]
    draws = triangles = vertices = 0
    nodes = [n for n in tree.get("nodes", []) if "mesh" in n]
    for node in nodes:
        for primitive in meshes[node["mesh"]]["primitives"]:
            draws += 1
            count = accessors[primitive["attributes"]["POSITION"]]["count"]
            vertices += count
            if "indices" in primitive:
                count = accessors[primitive["indices"]]["count"]
            triangles += count // 3
    return GlbStats(len(glb), draws, triangles, vertices, len(nodes))


def accessor_values(tree: dict[str, Any], binary: bytes, index: int) -> np.ndarray:
    """The values of a tightly packed accessor of the GLB's binary chunk, flattened."""
    accessor = tree["accessors"][index]
    view = tree["bufferViews"][accessor["bufferView"]]
    dtype = np.dtype(_COMPONENTS[accessor["componentType"]])
    width = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[accessor["type"]]
    start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
    return np.frombuffer(binary, dtype, accessor["count"] * width, start)


def features_on_vertices(glb: bytes) -> set[str]:
    """Ids of the features that own at least one vertex (what a click can resolve to)."""
    tree, binary = read_glb(glb)
    ids = read_feature_ids(glb)
    found: set[int] = set()
    for mesh in tree["meshes"]:
        for primitive in mesh["primitives"]:
            attribute = primitive["attributes"].get(FEATURE_ATTRIBUTE)
            if attribute is not None:
                found.update(int(v) for v in np.unique(accessor_values(tree, binary, attribute)))
    return {ids[i] for i in found}


def naive_glb(campus: Campus) -> bytes:
    """The same parts, one node, mesh and primitive each, named by id (trimesh export)."""
    built = build_scene(campus)
    scene = trimesh.Scene()
    for n, part in enumerate(built.parts):
        name = f"{built.feature_ids[int(part.feature_index[0])]}#{n}"
        scene.add_geometry(part.mesh, geom_name=name, node_name=name)
    return bytes(scene.export(file_type="glb", include_normals=True))


def median_build(
    build: Callable[[], bytes], repeats: int, advance: Callable[[], None]
) -> tuple[float, bytes]:
    """Median wall-clock time of ``build()`` over ``repeats`` runs (s), and what it built."""
    times, built = [], b""
    for _ in range(repeats):
        started = time.perf_counter()
        built = build()
        times.append(time.perf_counter() - started)
        advance()
    return median(times), built


def targets(ours: GlbStats, naive: GlbStats, units: list[str], pickable: set[str]) -> list[Target]:
    """The issue's targets for the campus GLB: size, draw calls, unit-level picking."""
    size = Target(
        f"Flying Fish GLB ≤ {MAX_MB:.0f} MB",
        ours.mb <= MAX_MB,
        f"{ours.mb:.2f} MB, {abs(1 - ours.mb / MAX_MB):.0%} "
        + ("under" if ours.mb <= MAX_MB else "over")
        + f" the limit (naive export {naive.mb:.2f} MB)"
        + ("" if ours.mb <= MAX_MB else f"; {ours.vertices:,} vertices of flat-shaded prisms"),
    )
    draws = Target(
        f"Flying Fish GLB ≤ {MAX_DRAW_CALLS} draw calls",
        ours.draw_calls <= MAX_DRAW_CALLS,
        f"{ours.draw_calls} draw calls, one per building and one for the ground "
        f"(naive export {naive.draw_calls:,})",
    )
    lost = [u for u in units if u not in pickable]
    picking = Target(
        "unit-level picking in the Flying Fish GLB",
        not lost,
        f"{len(units) - len(lost):,} of {len(units):,} units have their own feature id on the "
        "GLB's vertices" + (f"; missing, e.g. {', '.join(lost[:3])}" if lost else ""),
    )
    return [size, draws, picking]


def run(options: Options) -> SectionResult:
    """Build both GLBs, measure them, judge the targets."""
    repeats = 1 if options.quick else 5
    campus = load_campus()
    with steps_progress() as progress:
        task = progress.add_task("scene: building GLBs", total=2 * repeats)
        step = lambda: progress.advance(task)  # noqa: E731
        ours_s, glb = median_build(lambda: build_scene_file(campus).glb, repeats, step)
        naive_s, naive_bytes = median_build(lambda: naive_glb(campus), repeats, step)
    ours, naive = glb_stats(glb), glb_stats(naive_bytes)
    units = [u.id for u in campus.units()]
    pickable = features_on_vertices(glb)
    figures = [
        Figure(CASE, "build s", ours_s, "lower", NAIVE, naive_s),
        Figure(CASE, "size MB", ours.mb, "lower", NAIVE, naive.mb),
        Figure(CASE, "draw calls", ours.draw_calls, "lower", NAIVE, naive.draw_calls),
        Figure(CASE, "triangles", ours.triangles, "lower", NAIVE, naive.triangles),
        Figure(CASE, "features", len(read_feature_ids(glb)), "higher"),
        Figure(CASE, "pickable units", len(pickable & set(units)), "higher"),
    ]
    notes = [
        f"{len(campus.buildings)} buildings, {len(units):,} units; the GLB has {ours.nodes} "
        f"nodes and {ours.vertices:,} vertices, the naive export {naive.nodes:,} nodes and "
        f"{naive.vertices:,} vertices.",
        "The GLB is larger than the naive export for the same triangles: it is flat-shaded "
        "(a vertex per corner and face direction, where the naive export shares corners and "
        "so shades box edges smooth) and every vertex carries a 4-byte feature id.",
        "The naive export is picked by node name, so it too resolves a click to a unit, at one "
        "draw call per part; the GLB's feature ids let the viewer colour any unit without "
        "re-exporting geometry.",
    ]
    return SectionResult(
        name="scene",
        figures=figures,
        targets=targets(ours, naive, units, pickable),
        method=METHOD,
        notes=notes,
        environment=[f"trimesh {trimesh.__version__}"],
    )
