"""Offscreen renders of the embedded campus: real pyvista/EGL rendering, no mocks."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from assets.dataset import load_campus
from assets.scene import CampusScene, build_scene
from viewer.render import FISH_COLOR, feature_colors, render_png, show_window

SIZE = (800, 500)  # width, height in pixels: small keeps the suite fast
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scene() -> CampusScene:
    return build_scene(load_campus())


@pytest.fixture(scope="module")
def default_png(scene: CampusScene) -> bytes:
    return render_png(scene, None, window_size=SIZE)


def pixels(png: bytes) -> np.ndarray:
    """The image as (height, width, 3) integers 0..255."""
    image = imread(io.BytesIO(png), format="png")
    return np.rint(np.asarray(image)[..., :3] * 255).astype(int)


def count_near(image: np.ndarray, hex_color: str, tolerance: int = 12) -> int:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - rgb).max(axis=2) <= tolerance).sum())


def strongly_red(image: np.ndarray) -> int:
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    return int(((r > 150) & (g < 70) & (b < 70)).sum())


def test_render_writes_a_png_of_the_requested_size(scene: CampusScene, tmp_path: Path) -> None:
    path = tmp_path / "campus.png"
    png = render_png(scene, path, title="Flying Fish", window_size=SIZE)
    assert png.startswith(PNG_SIGNATURE)
    assert path.read_bytes() == png
    assert pixels(png).shape == (SIZE[1], SIZE[0], 3)


def test_render_shows_the_campus_not_a_blank_image(default_png: bytes) -> None:
    image = pixels(default_png)
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 500
    h, w = image.shape[:2]
    centre = image[h * 2 // 5 : h * 3 // 5, w * 2 // 5 : w * 3 // 5].reshape(-1, 3).mean(axis=0)
    corner = image[: h // 20, : w // 20].reshape(-1, 3).mean(axis=0)
    assert np.abs(centre - corner).max() > 30
    assert count_near(image, FISH_COLOR) > 0.025 * h * w  # the teal fish is visible


def test_colouring_the_units_of_a_tower_turns_it_red(
    scene: CampusScene, default_png: bytes
) -> None:
    units = [
        i for i, kind in scene.kinds.items() if kind == "unit" and i.startswith("fish-head-t1/")
    ]
    assert units
    red = render_png(scene, None, colors=dict.fromkeys(units, "#ff0000"), window_size=SIZE)
    before, after = strongly_red(pixels(default_png)), strongly_red(pixels(red))
    assert after > 150  # the tower is about 8 × 40 pixels at this size
    assert after > 20 * (before + 1)


def test_top_view_shows_the_fish_from_above(scene: CampusScene, default_png: bytes) -> None:
    top = pixels(render_png(scene, None, camera="top", window_size=SIZE))
    assert count_near(top, FISH_COLOR) > 0.06 * SIZE[0] * SIZE[1]
    assert np.abs(top - pixels(default_png)).mean() > 5


def test_legend_draws_its_swatches(scene: CampusScene) -> None:
    legend = [("Free", "#ff00ff"), ("Leased", "#00ff00")]
    image = pixels(render_png(scene, None, legend=legend, window_size=SIZE))
    top_right = image[: SIZE[1] // 3, SIZE[0] // 2 :]
    assert count_near(top_right, "#ff00ff") > 20
    assert count_near(top_right, "#00ff00") > 20


def test_colouring_a_building_colours_its_floors_and_units(scene: CampusScene) -> None:
    colors = {"fish-head-t1": "#ff0000", "fish-head-t1/L01/U01": "#0000ff", "no-such-id": "#00ff00"}
    rgb = feature_colors(scene, colors)
    by_id = dict(zip(scene.feature_ids, map(tuple, rgb), strict=True))
    inside = [i for i in scene.feature_ids if i.startswith("fish-head-t1/") and i in by_id]
    assert len(inside) > 100
    assert by_id["fish-head-t1/L01/U01"] == (0, 0, 255)
    assert all(by_id[i] == (255, 0, 0) for i in inside if i != "fish-head-t1/L01/U01")
    assert by_id["fish-head-t2/L01"] != (255, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"camera": "side"}, "camera"),
        ({"colors": {"fish-head-t1": "red"}}, "#rrggbb"),
        ({"colors": {"fish-head-t1": "#ff00"}}, "#rrggbb"),
    ],
)
def test_bad_arguments_are_refused(scene: CampusScene, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_png(scene, None, window_size=(64, 48), **kwargs)


def test_show_window_without_a_display_says_so(
    scene: CampusScene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(RuntimeError, match="display"):
        show_window(scene)


@pytest.mark.skipif(
    not Path("/usr/share/glvnd/egl_vendor.d").is_dir(), reason="needs GLVND's libEGL"
)
def test_missing_mesa_egl_is_a_clear_error_not_a_crash() -> None:
    # GLVND finds no EGL driver when pointed at a missing vendor file: as on a bare machine.
    script = textwrap.dedent(
        """
        import numpy as np, trimesh
        from assets.scene import CampusScene
        from geometry.gltf import FeatureMesh
        from viewer.render import render_png
        box = trimesh.creation.box((10.0, 10.0, 10.0))
        part = FeatureMesh(box, np.zeros(len(box.vertices), dtype=int), "b")
        try:
            render_png(CampusScene([part], ["b"], {"b": "unit"}), None, window_size=(64, 48))
        except RuntimeError as exc:
            print(exc)
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "__EGL_VENDOR_LIBRARY_FILENAMES": "/nonexistent/egl_vendor.json",
    }
    env.pop("VTK_DEFAULT_OPENGL_WINDOW", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri" in done.stdout
