"""Pictures of the twin coloured by a viewer mode at an instant: the same colours as the
browser client (:mod:`viewer.modes`), drawn by pyvista from the same meshes as the GLB."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from twin.runtime import Twin
from viewer import modes as colors
from viewer.titles import render_title

if TYPE_CHECKING:
    import os

_LOCK = threading.Lock()  # VTK draws one picture at a time in a process


def _legend(coloring: colors.Coloring) -> list[tuple[str, str]]:
    """Legend entries of the colours the picture shows, labelled in English and Chinese."""
    used = {c.lower() for c in coloring.colors.values()}
    return [(f"{en} · {zh}", c) for en, zh, c in coloring.legend if c.lower() in used]


def render_mode(
    twin: Twin,
    mode: str,
    at: datetime,
    path: str | os.PathLike[str] | None = None,
    *,
    camera: str = "oblique",
    window_size: tuple[int, int] = (1600, 1000),
) -> bytes:
    """A PNG of the campus coloured by ``mode`` at ``at``, with a title and the mode's legend.

    Raises
    ------
    ValueError
        For a mode nobody registered (the message lists the modes) or a bad camera.
    RuntimeError
        When offscreen OpenGL is unavailable (see :func:`viewer.render.render_png`).
    """
    from viewer.render import render_png

    coloring = colors.coloring(twin, mode, at)
    scene = twin.scene_parts(at)
    with _LOCK:
        return render_png(
            scene,
            path,
            colors=coloring.colors,
            title=render_title(twin.campus_at(at), mode, at),
            legend=_legend(coloring),
            window_size=window_size,
            camera=camera,
        )


def render_focused(
    twin: Twin,
    at: datetime,
    colors: dict[str, str],
    focus: tuple[float, float, float, float, float, float],
    *,
    legend: list[tuple[str, str]],
    window_size: tuple[int, int] = (1400, 900),
) -> bytes:
    """A PNG of the campus at ``at`` framing ``focus`` (m, scene planar frame), features in
    ``colors`` (ids: a building colours its floors and units) over the default colours."""
    from viewer.render import render_png

    with _LOCK:
        return render_png(
            twin.scene_parts(at), colors=colors, legend=legend, window_size=window_size, focus=focus
        )


def show_mode(twin: Twin, mode: str, at: datetime) -> None:
    """Open a desktop window on the campus coloured by ``mode`` at ``at``."""
    from viewer.render import show_window

    coloring = colors.coloring(twin, mode, at)
    show_window(
        twin.scene_parts(at), coloring.colors, title=render_title(twin.campus_at(at), mode, at)
    )
