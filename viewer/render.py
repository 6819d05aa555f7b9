"""Server-side renders of the campus scene with pyvista: PNG images and a desktop window.

The mesh parts that make the browser's GLB are merged into two PolyData (ground slabs,
buildings) with one RGB colour per cell, looked up from each face's feature index, so colouring
thousands of units costs a few numpy operations. Offscreen renders use EGL (Mesa llvmpipe
where there is no GPU) and need no X display.
"""

from __future__ import annotations

import ctypes
import glob
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

_WINDOW_ENV = "VTK_DEFAULT_OPENGL_WINDOW"
_WE_CHOSE_EGL = _WINDOW_ENV not in os.environ
os.environ.setdefault(_WINDOW_ENV, "vtkEGLRenderWindow")

import numpy as np  # noqa: E402
import pyvista as pv  # noqa: E402
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy  # noqa: E402
from vtkmodules.vtkCommonDataModel import vtkImageData  # noqa: E402
from vtkmodules.vtkIOImage import vtkPNGWriter  # noqa: E402

from assets.scene import GROUND, CampusScene  # noqa: E402
from geometry.gltf import FeatureMesh  # noqa: E402
from viewer.palette import DEFAULT_COLORS, FISH_COLOR, FISH_PREFIX  # noqa: E402

__all__ = ["DEFAULT_COLORS", "FISH_COLOR", "feature_colors", "render_png", "show_window"]

BACKGROUND = ("#fbfcfd", "#d5e1eb")
"""Background gradient, bottom and top."""
TEXT_COLOR, FRAME_COLOR = "#25303a", "#7d8890"
MESA_PACKAGES = "libegl1 libegl-mesa0 libgl1-mesa-dri"
"""Debian packages that give offscreen OpenGL through EGL and Mesa llvmpipe."""
CJK_FONTS = "/usr/share/fonts/**/*[Ww]qy*.tt[cf]", "/usr/share/fonts/**/*CJK*.tt[cf]"
"""Fonts used for titles and labels beyond Latin (Debian: fonts-wqy-microhei, fonts-noto-cjk)."""
_VIEW = {"oblique": (150.0, 40.0), "top": (180.0, 90.0)}  # azimuth from north, elevation, °
_NON_LATIN = r"[^\u0000-\u024f\u2000-\u206f]+"
Bounds = tuple[float, float, float, float, float, float]
"""(xmin, xmax, ymin, ymax, zmin, zmax), m in the scene's planar frame."""
_KEY_LIGHT = (-0.6, -1.0, 1.6)  # from the south-west, high: south faces lit, east ones shaded


def render_png(
    scene: CampusScene,
    path_or_none: str | os.PathLike[str] | None = None,
    *,
    colors: Mapping[str, str] | None = None,
    title: str = "",
    legend: Sequence[tuple[str, str]] = (),
    window_size: tuple[int, int] = (1600, 1000),
    camera: str = "oblique",
    focus: Bounds | None = None,
) -> bytes:
    """Render the whole campus offscreen to a PNG image (orthographic projection).

    Parameters
    ----------
    scene : CampusScene
        Mesh parts in the local frame (m: x east, y north, z up) and their feature table.
    path_or_none : str or os.PathLike, optional
        Where to write the PNG as well; ``None`` writes nothing.
    colors : mapping of str to str, optional
        ``"#rrggbb"`` per feature id, see :func:`feature_colors`.
    title : str
        Text drawn at the top left.
    legend : sequence of (label, colour)
        Swatches with labels drawn at the top right; none when empty.
    window_size : (int, int)
        Image width and height, pixels.
    camera : {"oblique", "top"}
        From the south-south-east (azimuth 150°) at 40° elevation, or a plan view, north up.
    focus : (xmin, xmax, ymin, ymax, zmin, zmax), optional
        The region to frame, m in the scene's planar frame (x east, y north, z up); default:
        the whole campus. The rest of the campus is still drawn around it.

    Returns
    -------
    bytes
        The PNG file (RGB, ``window_size`` pixels).

    Raises
    ------
    RuntimeError
        When offscreen OpenGL is unavailable; the message names the Debian packages to install.
    ValueError
        For an empty scene, an unknown camera or a malformed colour.
    """
    if not scene.parts:
        raise ValueError("the scene has no meshes to render")
    if camera not in _VIEW:
        raise ValueError(f"camera must be one of {sorted(_VIEW)}, got {camera!r}")
    if os.environ.get(_WINDOW_ENV) == "vtkEGLRenderWindow":
        _check_egl()
    plotter = pv.Plotter(off_screen=True, window_size=list(window_size), lighting="none")
    try:
        _compose(plotter, scene, colors, title, legend, camera, focus)
        plotter.enable_anti_aliasing("ssaa")
        image = np.asarray(plotter.screenshot(return_img=True))
    finally:
        plotter.close()
    png = _encode_png(image)
    if path_or_none is not None:
        Path(path_or_none).write_bytes(png)
    return png


def show_window(
    scene: CampusScene, colors: Mapping[str, str] | None = None, title: str = ""
) -> None:
    """Open an interactive desktop window on the campus; returns when it is closed.

    Raises
    ------
    RuntimeError
        When there is no display to open a window on.
    """
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise RuntimeError("no display to open a window on (DISPLAY is unset); use render_png")
    if _WE_CHOSE_EGL:  # EGL draws offscreen only: let VTK pick the desktop window class
        del os.environ[_WINDOW_ENV]
    try:
        plotter = pv.Plotter(
            window_size=[1600, 1000], title=title or "Flying Fish twin", lighting="none"
        )
        _compose(plotter, scene, colors, title, (), "oblique")
        plotter.enable_anti_aliasing("fxaa")
        plotter.show()
    finally:
        if _WE_CHOSE_EGL:
            os.environ[_WINDOW_ENV] = "vtkEGLRenderWindow"


def feature_colors(scene: CampusScene, colors: Mapping[str, str] | None = None) -> np.ndarray:
    """RGB colour of every feature of ``scene``, uint8, shape (len(scene.feature_ids), 3).

    A feature takes its own colour from ``colors``, else that of its nearest ancestor id
    (``b/L1/U01`` -> ``b/L1`` -> ``b``, so colouring a building colours its floors and units),
    else its kind's default. Ids in ``colors`` that are not in the scene are ignored.
    """
    given = {feature: _rgb(color) for feature, color in (colors or {}).items()}
    defaults = {kind: _rgb(color) for kind, color in DEFAULT_COLORS.items()}
    fish = _rgb(FISH_COLOR)
    rows = []
    for feature in scene.feature_ids:
        kind = scene.kinds[feature]
        rgb = fish if kind == "parcel" and feature.startswith(FISH_PREFIX) else defaults.get(kind)
        parts = feature.split("/")
        for depth in range(len(parts), 0, -1):
            if (ancestor := "/".join(parts[:depth])) in given:
                rgb = given[ancestor]
                break
        rows.append(rgb or defaults["unit"])
    return np.array(rows, dtype=np.uint8).reshape(-1, 3)


def _compose(
    plotter: pv.Plotter,
    scene: CampusScene,
    colors: Mapping[str, str] | None,
    title: str,
    legend: Sequence[tuple[str, str]],
    camera: str,
    focus: Bounds | None = None,
) -> None:
    """Add lights, the merged ground and buildings, title and legend; aim the camera."""
    palette = feature_colors(scene, colors)
    plotter.renderer.set_background(BACKGROUND[0], top=BACKGROUND[1])
    plotter.add_light(pv.Light(position=_KEY_LIGHT, light_type="scene light", intensity=0.8))
    plotter.add_light(pv.Light(light_type="headlight", intensity=0.4))
    for on_ground in (True, False):
        parts = [p for p in scene.parts if (p.group == GROUND) == on_ground]
        if parts:
            ambient, diffuse = (1.0, 0.0) if on_ground else (0.35, 0.7)  # ground: exact colours
            mesh = _merged(parts, palette)
            plotter.add_mesh(mesh, scalars="rgb", rgb=True, ambient=ambient, diffuse=diffuse)
    _aim(plotter, *_VIEW[camera], focus)
    height = plotter.window_size[1]
    if title:
        shown, font_file = _font_for(title)
        text = plotter.add_text(shown, position=(24, height - 20), font_size=15, color=TEXT_COLOR)
        _use_font(text.GetTextProperty(), font_file)
        text.GetTextProperty().SetVerticalJustificationToTop()
        text.GetTextProperty().SetBold(True)
    if legend:
        labels = [_font_for(label) for label, _ in legend]
        entries = [[label, TEXT_COLOR] for label, _ in labels]
        longest = max(len(label) for label, _ in labels)
        size = (min(0.1 + 0.0075 * longest, 0.4), min(0.04 * len(entries), 0.8))
        box = plotter.renderer.add_legend(
            entries, bcolor="white", face="rectangle", size=size, background_opacity=0.85
        )
        # top right, under the title (pyvista 0.49 offsets x by the height, not the width)
        box.SetPosition(1 - size[0] - 0.015, 1 - size[1] - 0.07)
        box.SetScalarVisibility(True)  # swatches take their colour from cell scalars
        for i, (_, color) in enumerate(legend):
            box.SetEntrySymbol(i, _swatch(color))
        _use_font(box.GetEntryTextProperty(), next((f for _, f in labels if f), None))


def _swatch(color: str) -> pv.PolyData:
    """A ``color`` square in a grey frame, in the legend's symbol units (as pyvista's)."""
    squares = (-0.5, 0.1, 0.5, 1.1), (-0.38, 0.22, 0.38, 0.98)
    corners = [[(a, b, 0.0), (c, b, 0.0), (c, d, 0.0), (a, d, 0.0)] for a, b, c, d in squares]
    swatch = pv.PolyData(np.array(corners).reshape(-1, 3), faces=[4, 0, 1, 2, 3, 4, 4, 5, 6, 7])
    swatch.cell_data["rgb"] = np.array([_rgb(FRAME_COLOR), _rgb(color)], dtype=np.uint8)
    return swatch


def _merged(parts: Sequence[FeatureMesh], palette: np.ndarray) -> pv.PolyData:
    """One PolyData of many parts, with an ``rgb`` cell array from ``palette[feature]``."""
    sizes = [len(p.mesh.vertices) for p in parts]
    offsets = np.cumsum([0, *sizes[:-1]])
    faces = np.vstack([np.asarray(p.mesh.faces) + o for p, o in zip(parts, offsets, strict=True)])
    features = np.concatenate([np.asarray(p.feature_index) for p in parts])
    vertices = np.vstack([np.asarray(p.mesh.vertices, dtype=np.float64) for p in parts])
    mesh = pv.PolyData.from_regular_faces(vertices, faces)
    mesh.cell_data["rgb"] = palette[features[faces[:, 0]]]
    return mesh


def _aim(
    plotter: pv.Plotter, azimuth_deg: float, elevation_deg: float, focus: Bounds | None = None
) -> None:
    """Look at the scene from a direction (azimuth clockwise from north), framing ``focus``
    (default: the scene's bounds)."""
    azimuth, elevation = np.radians(azimuth_deg), np.radians(elevation_deg)
    horizontal = np.array([np.sin(azimuth), np.cos(azimuth), 0.0])  # towards the camera
    back = horizontal * np.cos(elevation) + [0.0, 0.0, np.sin(elevation)]
    right = np.cross(-horizontal, [0.0, 0.0, 1.0])  # east when looking north
    up = np.cross(back, right)
    b = focus or plotter.bounds
    corners = np.array([[x, y, z] for x in b[0:2] for y in b[2:4] for z in b[4:6]])
    u, v = corners @ right, corners @ up
    centre = (u.min() + u.max()) / 2 * right + (v.min() + v.max()) / 2 * up
    width, height = plotter.window_size
    camera = plotter.camera
    camera.enable_parallel_projection()
    camera.focal_point = tuple(centre)
    camera.position = tuple(centre + back * 10 * float(np.ptp(u) + np.ptp(v)))
    camera.up = tuple(up)
    camera.parallel_scale = 0.52 * max(float(np.ptp(v)), float(np.ptp(u)) * height / width)
    plotter.renderer.ResetCameraClippingRange()


def _font_for(text: str) -> tuple[str, str | None]:
    """``text`` and a font file that draws it (``None``: VTK's own font, Latin only).

    Text beyond Latin gets a CJK font when one is installed, else loses what cannot be drawn.
    """
    if not re.search(_NON_LATIN, text):
        return text, None
    fonts = sorted(f for pattern in CJK_FONTS for f in glob.glob(pattern, recursive=True))
    if fonts:
        return text, fonts[0]
    return re.sub(_NON_LATIN, "", text).strip(" ·-—|/:"), None


def _use_font(prop: pv.TextProperty, font_file: str | None) -> None:
    if font_file:
        prop.SetFontFamilyAsString("File")
        prop.SetFontFile(font_file)


def _check_egl() -> None:
    """Fail with install advice where EGL finds no device (VTK would crash instead)."""
    advice = f"offscreen rendering needs Mesa EGL: apt-get install {MESA_PACKAGES}"
    try:
        egl = ctypes.CDLL("libEGL.so.1")
    except OSError as exc:
        raise RuntimeError(f"{advice} ({exc})") from None
    egl.eglGetProcAddress.restype = ctypes.c_void_p
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    address = egl.eglGetProcAddress(b"eglQueryDevicesEXT")
    count = ctypes.c_int(0)
    if address:
        query_type = ctypes.CFUNCTYPE(
            ctypes.c_uint, ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)
        )
        query_type(address)(0, None, ctypes.byref(count))
    if count.value < 1:
        raise RuntimeError(f"{advice} (EGL finds no rendering device)")


def _rgb(color: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` as three 0..255 integers."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        raise ValueError(f"colour must be '#rrggbb', got {color!r}")
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of an (height, width, channels) uint8 image whose first row is the top."""
    height, width, channels = image.shape
    data = vtkImageData()
    data.SetDimensions(width, height, 1)
    flat = np.ascontiguousarray(image[::-1].reshape(-1, channels), dtype=np.uint8)
    data.GetPointData().SetScalars(numpy_to_vtk(flat, deep=True))
    writer = vtkPNGWriter()
    writer.SetWriteToMemory(True)
    writer.SetInputData(data)
    writer.Write()
    return vtk_to_numpy(writer.GetResult()).tobytes()
