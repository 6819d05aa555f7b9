"""The campus scene as a GLB, built once per dataset and identified by a strong ETag."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assets.campus import Campus
from assets.scene import CampusScene, build_scene
from geometry.gltf import build_glb

#: Colour of each draw-call group before the viewer recolours features (linear RGBA).
GROUND_COLOUR = (0.72, 0.78, 0.70, 1.0)
BUILDING_COLOUR = (0.86, 0.87, 0.89, 1.0)


@dataclass(frozen=True)
class SceneFile:
    """A built GLB with its ETag and feature table."""

    glb: bytes
    etag: str
    feature_ids: list[str]
    kinds: dict[str, str]


def build_scene_file(campus: Campus, scene: CampusScene | None = None) -> SceneFile:
    """Build the campus GLB: one primitive per building and one for the ground (from ``scene``,
    the campus's parts if already built)."""
    scene = scene if scene is not None else build_scene(campus)
    materials = {g: BUILDING_COLOUR for g in campus.buildings} | {"ground": GROUND_COLOUR}
    extras = {"origin": campus.frame.describe(), "feature_kinds": scene.kinds}
    glb = build_glb(scene.parts, scene.feature_ids, extras=extras, materials=materials)
    etag = '"' + hashlib.sha256(glb).hexdigest()[:32] + '"'
    return SceneFile(glb=glb, etag=etag, feature_ids=scene.feature_ids, kinds=scene.kinds)
