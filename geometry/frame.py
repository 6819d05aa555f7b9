"""The local scene frame: metres east, up and south of one campus origin (glTF is Y-up)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geometry.crs import utm_to_lonlat


@dataclass(frozen=True)
class LocalFrame:
    """A campus origin in EPSG:32651 (metres) and the conversions to and from it.

    Two local frames are used: the *planar* frame (x east, y north, z up; trimesh's Z-up)
    in which meshes are built, and the *scene* frame (x east, y up, z south; glTF's Y-up).
    Offsetting by the origin keeps float32 coordinates precise to the centimetre.
    """

    origin_x: float
    origin_y: float

    def to_planar(self, xyz: np.ndarray) -> np.ndarray:
        """EPSG:32651 (x, y[, z]) in metres -> local planar (x east, y north[, z up])."""
        out = np.array(xyz, dtype=float, copy=True)
        out[..., 0] -= self.origin_x
        out[..., 1] -= self.origin_y
        return out

    def from_planar(self, xyz: np.ndarray) -> np.ndarray:
        """Local planar metres -> EPSG:32651 metres."""
        out = np.array(xyz, dtype=float, copy=True)
        out[..., 0] += self.origin_x
        out[..., 1] += self.origin_y
        return out

    @staticmethod
    def planar_to_scene(xyz: np.ndarray) -> np.ndarray:
        """Z-up planar (x, y, z) -> glTF Y-up scene (x, z, -y)."""
        xyz = np.asarray(xyz, dtype=float)
        return np.stack([xyz[..., 0], xyz[..., 2], -xyz[..., 1]], axis=-1)

    @staticmethod
    def scene_to_planar(xyz: np.ndarray) -> np.ndarray:
        """glTF Y-up scene (x, y, z) -> Z-up planar (x, -z, y)."""
        xyz = np.asarray(xyz, dtype=float)
        return np.stack([xyz[..., 0], -xyz[..., 2], xyz[..., 1]], axis=-1)

    def describe(self) -> dict[str, float | str]:
        """The origin as recorded in scene metadata (GLB extras)."""
        lon, lat = utm_to_lonlat(self.origin_x, self.origin_y)
        return {
            "crs": "EPSG:32651",
            "x": self.origin_x,
            "y": self.origin_y,
            "lon": round(lon, 7),
            "lat": round(lat, 7),
            "axes": "x east, y up, z south (metres)",
        }
