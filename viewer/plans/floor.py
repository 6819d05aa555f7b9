"""The floor plan: one floor's outline, core and spaces, coloured by status.

The floor is turned so its longest facade runs left to right, and drawn in metres with a
scale bar. Office units are labelled with their id and area (and the tenant, for staff); a
data-centre floor shows its halls, with racks as small squares and one label per hall.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.patches import Polygon as PolygonPatch
from shapely import affinity
from shapely.geometry import Polygon
from shapely.ops import polylabel

from assets.units import quantity
from occupancy.palette import STATUS_COLORS, color_of
from occupancy.plans import VACANT, Cell, FloorPlan
from viewer.chart_style import ChartFormat, bilingual, style, to_bytes

WIDTH_IN = 12.0


def _turn(plate: Polygon) -> tuple[float, tuple[float, float]]:
    """The rotation (degrees) that lays the plate's longest edge flat, and its pivot."""
    ring = np.asarray(plate.exterior.coords)
    edges = np.diff(ring, axis=0)
    i = int(np.argmax(np.hypot(edges[:, 0], edges[:, 1])))
    angle = math.degrees(math.atan2(edges[i, 1], edges[i, 0]))
    angle = (angle + 90) % 180 - 90  # never upside down
    c = plate.centroid
    return -angle, (c.x, c.y)


def _patch(poly: Polygon, turn: tuple[float, tuple[float, float]], **kw: object) -> PolygonPatch:
    p = affinity.rotate(poly, turn[0], origin=turn[1])
    xy = np.asarray(p.exterior.coords) - np.asarray(turn[1])
    return PolygonPatch(xy, closed=True, **kw)


def _centre(poly: Polygon, turn: tuple[float, tuple[float, float]]) -> tuple[float, float]:
    """The point deepest inside the polygon (its pole of inaccessibility), turned."""
    p = polylabel(affinity.rotate(poly, turn[0], origin=turn[1]), tolerance=0.1)
    return p.x - turn[1][0], p.y - turn[1][1]


def _unit_label(ax: Axes, cell: Cell, turn: tuple[float, tuple[float, float]], size: float) -> None:
    x, y = _centre(cell.space.polygon, turn)
    text = f"{cell.label}\n{quantity(cell.space.area_m2, 'm²', ',.0f')}"
    if cell.detail is not None:
        text += "\n" + "\n".join(textwrap.wrap(cell.detail.tenant_name, 12))
    dark = cell.status in ("leased", "available", "unavailable")
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        linespacing=1.05,
        color="white" if dark else "#25303a",
    )


def _label_size(plan: FloorPlan, span_m: float) -> float:
    """A font size that fits a label in the narrower side of a typical unit."""
    if not plan.cells:
        return 8.0
    widths = [math.sqrt(c.space.area_m2) for c in plan.cells]
    typical = float(np.median(widths))
    points_per_m = WIDTH_IN * 0.9 * 72 / span_m
    return float(np.clip(typical * points_per_m / 6.5, 5.0, 10.0))


HIGHLIGHT = "#e8590c"
"""Outline of the space a brochure is about."""


def draw_floor_plan(
    plan: FloorPlan, fmt: ChartFormat = "png", highlight: str | None = None
) -> bytes:
    """The floor plan as PNG or SVG bytes; the space ``highlight`` (an id) outlined."""
    turn = _turn(plan.plate)
    plate = affinity.rotate(plan.plate, turn[0], origin=turn[1])
    minx, miny, maxx, maxy = plate.bounds
    span_x, span_y = maxx - minx, maxy - miny
    height = WIDTH_IN * 0.9 * span_y / span_x + 1.9
    with style():
        fig = Figure(figsize=(WIDTH_IN, height))
        ax = fig.add_axes((0.05, 1.0 / height, 0.9, 1 - 1.9 / height))
        ax.add_patch(_patch(plan.plate, turn, facecolor="#f4f3ef", edgecolor="#5b6670", lw=1.5))
        if plan.core is not None:
            ax.add_patch(
                _patch(
                    plan.core, turn, facecolor="#e4e2dc", edgecolor="#9aa4ad", lw=0.8, hatch="//"
                )
            )
            c = affinity.rotate(plan.core, turn[0], origin=turn[1]).centroid
            cx, cy = c.x - turn[1][0], c.y - turn[1][1]
            ax.text(
                cx,
                cy,
                bilingual("core", "核心筒"),
                ha="center",
                va="center",
                fontsize=8,
                color="#6b7580",
            )
        for _, outline, _ in plan.halls:
            ax.add_patch(
                _patch(outline, turn, facecolor="none", edgecolor="#5b6670", lw=1.0, linestyle="--")
            )
        size = _label_size(plan, span_x)
        racks = [c for c in plan.cells if c.space.kind == "rack"]
        for cell in plan.cells:
            ax.add_patch(
                _patch(
                    cell.space.polygon,
                    turn,
                    facecolor=color_of(cell.status),
                    edgecolor="white",
                    lw=1.0 if cell.space.kind == "office" else 0.25,
                )
            )
            if cell.space.kind == "office":
                _unit_label(ax, cell, turn, size)
            if cell.space.id == highlight:
                ax.add_patch(
                    _patch(cell.space.polygon, turn, facecolor="none", edgecolor=HIGHLIGHT, lw=3.5)
                )
        _hall_labels(ax, plan, racks, turn)
        if plan.halls:
            ax.text(
                0,
                miny - turn[1][1] + 4,
                bilingual("plant · power · cooling", "设备 · 供电 · 制冷"),
                ha="center",
                va="bottom",
                fontsize=9,
                color="#6b7580",
            )
        ax.set_xlim(minx - turn[1][0] - 2, maxx - turn[1][0] + 2)
        ax.set_ylim(miny - turn[1][1] - 2, maxy - turn[1][1] + 2)
        ax.set_aspect("equal")
        ax.axis("off")
        _scale_bar(ax, minx - turn[1][0], miny - turn[1][1] - 1, span_x)
        title = bilingual(f"Floor plan · {plan.name_en} · L{plan.level:02d}", plan.name_zh)
        ax.set_title(
            f"{title}\n{plan.at[:10]} · {_totals(plan)}",
            loc="left",
            fontsize=12,
        )
        handles = [
            Patch(facecolor=color_of(s), label=bilingual(STATUS_COLORS[s][1], STATUS_COLORS[s][2]))
            for s in plan.statuses
        ]
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
        return to_bytes(fig, fmt)


def _hall_labels(
    ax: Axes, plan: FloorPlan, racks: list[Cell], turn: tuple[float, tuple[float, float]]
) -> None:
    for hall_id, outline, two_n in plan.halls:
        mine = [c for c in racks if c.space.group == hall_id]
        free = sum(1 for c in mine if c.status in VACANT)
        rotated = affinity.rotate(outline, turn[0], origin=turn[1])
        x = rotated.centroid.x - turn[1][0]
        y = rotated.bounds[3] - turn[1][1] + 1.0
        ax.text(
            x,
            y,
            f"{hall_id.rsplit('/', 1)[1]} · {len(mine)} racks · {free} vacant · "
            f"{'2N' if two_n else 'N (one feed)'}",
            ha="center",
            va="bottom",
            fontsize=9,
        )


def _totals(plan: FloorPlan) -> str:
    if plan.cells and all(c.space.kind == "rack" for c in plan.cells):
        free = sum(1 for c in plan.cells if c.status in VACANT)
        return f"{len(plan.cells):,} racks · {free:,} vacant"
    area = sum(c.space.area_m2 for c in plan.cells)
    return (
        f"{len(plan.cells)} units · {plan.vacant_m2:,.0f} of {quantity(area, 'm²', ',.0f')} vacant"
    )


def _scale_bar(ax: Axes, x: float, y: float, span: float) -> None:
    length = 10.0 if span < 120 else 20.0
    ax.plot([x, x + length], [y, y], color="#25303a", lw=2)
    ax.text(x + length / 2, y - 0.8, f"{length:.0f} m", ha="center", va="top", fontsize=8)
