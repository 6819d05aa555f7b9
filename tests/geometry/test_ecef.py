"""Placing a projected local frame on the globe: the ECEF matrix of a 3D Tiles transform."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from geometry.crs import lonlat_to_utm, utm_to_lonlat
from geometry.ecef import WGS84_A_M, WGS84_F, geodetic_to_ecef, local_frame_to_ecef

ORIGIN = (121.8935, 30.9105)  # lon, lat (degrees): near the campus, west of UTM 51N's meridian
TO_GEODETIC = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)


def test_geodetic_to_ecef_on_the_axes() -> None:
    assert geodetic_to_ecef(0.0, 0.0) == pytest.approx([WGS84_A_M, 0.0, 0.0])
    assert geodetic_to_ecef(90.0, 0.0, 10.0) == pytest.approx([0.0, WGS84_A_M + 10, 0.0], abs=1e-6)
    polar = WGS84_A_M * (1 - WGS84_F)
    assert geodetic_to_ecef(0.0, 90.0) == pytest.approx([0.0, 0.0, polar], abs=1e-6)


def test_geodetic_to_ecef_agrees_with_proj() -> None:
    x, y, z = geodetic_to_ecef(*ORIGIN, 25.0)
    lon, lat, h = TO_GEODETIC.transform(x, y, z)
    assert (lon, lat, h) == pytest.approx((*ORIGIN, 25.0), abs=1e-9)


@pytest.fixture(scope="module")
def frame() -> tuple[np.ndarray, tuple[float, float]]:
    ox, oy = lonlat_to_utm(*ORIGIN)
    return local_frame_to_ecef(lambda x, y: utm_to_lonlat(ox + x, oy + y)), (ox, oy)


@pytest.mark.parametrize("local", [(0, 0, 0), (1000, 0, 0), (0, -1000, 0), (-700, 600, 120)])
def test_a_local_point_lands_where_the_projection_puts_it(
    frame: tuple[np.ndarray, tuple[float, float]], local: tuple[float, float, float]
) -> None:
    matrix, (ox, oy) = frame
    ecef = matrix @ np.array([*local, 1.0])
    lon, lat, h = TO_GEODETIC.transform(*ecef[:3])
    x, y = lonlat_to_utm(lon, lat)
    assert (x - ox, y - oy) == pytest.approx(local[:2], abs=0.02)  # m
    drop = np.hypot(*local[:2]) ** 2 / (2 * WGS84_A_M)  # the tangent plane leaves the ellipsoid
    assert h == pytest.approx(local[2] + drop, abs=0.01)


def test_the_frame_is_a_rotation_scaled_by_the_projection(
    frame: tuple[np.ndarray, tuple[float, float]],
) -> None:
    matrix, _ = frame
    axes = matrix[:3, :3]
    assert np.linalg.det(axes) > 0  # right-handed: x east, y north, z up
    lengths = np.linalg.norm(axes, axis=0)
    # UTM's scale factor: 0.9996 on the central meridian (123° E), k0·(1 + (Δλ·cos φ)²/2) off it
    dl, phi = np.radians(ORIGIN[0] - 123.0), np.radians(ORIGIN[1])
    scale = 0.9996 * (1 + (dl * np.cos(phi)) ** 2 / 2)
    assert lengths[:2] == pytest.approx(1 / scale, abs=2e-6)  # a grid metre is a true 1/k metres
    assert lengths[2] == pytest.approx(1.0)
    cosines = (axes.T @ axes) / np.outer(lengths, lengths)
    assert cosines == pytest.approx(np.eye(3), abs=1e-6)
    # grid north lies (λ - λ0)·sin φ clockwise of true north: 0.57° west of it here
    east, north, up = _enu(*ORIGIN)
    turn = np.degrees(np.arctan2(axes[:, 1] @ east, axes[:, 1] @ north))
    assert turn == pytest.approx((ORIGIN[0] - 123.0) * np.sin(phi), abs=0.005)
    assert axes[:, 2] == pytest.approx(up)


def _enu(lon: float, lat: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lam, phi = np.radians(lon), np.radians(lat)
    east = np.array([-np.sin(lam), np.cos(lam), 0.0])
    north = np.array([-np.sin(phi) * np.cos(lam), -np.sin(phi) * np.sin(lam), np.cos(phi)])
    up = np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    return east, north, up
