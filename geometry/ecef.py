"""Earth-centred, earth-fixed (ECEF, EPSG:4978) placement of a local planar frame on WGS 84.

3D Tiles place a tileset on the globe with a 4×4 ``transform`` from its Z-up frame (metres)
to ECEF metres. For a frame in a map projection (x, y of a projected CRS, z up) the columns are
the ECEF directions of a metre along x, along y and up, at the frame's origin: the projection's
scale factor and grid convergence are included, so a point 1 km from the origin lands within
centimetres of its projected position (the frame is a tangent plane: the earth's curvature drops
away from it by d²/2R, 8 cm at 1 km).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["geodetic_to_ecef", "local_frame_to_ecef"]

WGS84_A_M = 6_378_137.0
"""WGS 84 semi-major axis, m."""
WGS84_F = 1 / 298.257223563
"""WGS 84 flattening."""
_E2 = WGS84_F * (2 - WGS84_F)


def geodetic_to_ecef(lon: float, lat: float, height_m: float = 0.0) -> np.ndarray:
    """ECEF (x, y, z) in metres of a WGS 84 point (degrees, ellipsoidal height in m)."""
    lam, phi = np.radians(lon), np.radians(lat)
    n = WGS84_A_M / np.sqrt(1 - _E2 * np.sin(phi) ** 2)
    return np.array(
        [
            (n + height_m) * np.cos(phi) * np.cos(lam),
            (n + height_m) * np.cos(phi) * np.sin(lam),
            (n * (1 - _E2) + height_m) * np.sin(phi),
        ]
    )


def local_frame_to_ecef(
    to_lonlat: Callable[[float, float], tuple[float, float]],
    height_m: float = 0.0,
    step_m: float = 50.0,
) -> np.ndarray:
    """The 4×4 matrix taking local (x, y, z up) metres to ECEF metres.

    Parameters
    ----------
    to_lonlat : callable
        Local planar (x, y) in m -> (lon, lat) in degrees; (0, 0) is the frame's origin.
    height_m : float
        Ellipsoidal height of the frame's z = 0, m.
    step_m : float
        Half the baseline of the central differences that measure the x and y directions, m.

    Returns
    -------
    np.ndarray
        Shape (4, 4): columns x, y, up (ECEF per local metre) and the origin's ECEF position.
    """

    def at(x: float, y: float) -> np.ndarray:
        return geodetic_to_ecef(*to_lonlat(x, y), height_m)

    lon, lat = to_lonlat(0.0, 0.0)
    lam, phi = np.radians(lon), np.radians(lat)
    up = np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    matrix = np.eye(4)
    matrix[:3, 0] = (at(step_m, 0.0) - at(-step_m, 0.0)) / (2 * step_m)
    matrix[:3, 1] = (at(0.0, step_m) - at(0.0, -step_m)) / (2 * step_m)
    matrix[:3, 2] = up
    matrix[:3, 3] = geodetic_to_ecef(lon, lat, height_m)
    return matrix
