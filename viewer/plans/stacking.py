"""The stacking plan: a building's floors stacked top to bottom, each a bar of its spaces.

Cells are as wide as their area (the widest floor spans the full width), coloured by status
and labelled with the space and, for staff, the tenant. The vacant area of each floor is
written at its right. Floors with many spaces (the data centre's racks) are drawn as runs of
equal status instead of one cell per rack.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from assets.units import quantity
from occupancy.palette import STATUS_COLORS, color_of
from occupancy.plans import VACANT, Cell, StackFloor, StackingPlan
from viewer.chart_style import ChartFormat, bilingual, style, to_bytes

ROW_H = 0.8
MAX_CELLS = 60
"""Floors with more spaces than this are drawn as runs of equal status."""
WIDTH_IN = 13.0


@dataclass(frozen=True)
class _Run:
    x: float
    width: float
    status: str
    label: str
    sub: str
    cells: tuple[float, ...] = ()  # widths of the cells inside, when drawn one by one


def _key(c: Cell) -> str | None:
    """Cells of one booking are labelled together: the booking's ref (None: on its own)."""
    return c.detail.ref if c.detail is not None else None


def _runs(floor: StackFloor, scale: float) -> list[_Run]:
    """Labelled runs of one floor, left to right, widths in axis units: the cells of one
    booking together; other cells one by one, or by equal status on a crowded floor."""
    crowded = len(floor.cells) > MAX_CELLS
    out: list[_Run] = []
    x = 0.0
    group: list[Cell] = []

    def close() -> None:
        nonlocal x, group
        widths = tuple(g.space.area_m2 * scale for g in group)
        first = group[0]
        area = sum(g.space.area_m2 for g in group)
        if crowded:
            name = first.detail.tenant_name if first.detail else first.space.group.rsplit("/")[-1]
            out.append(_Run(x, sum(widths), first.status, name, f"{len(group)} racks"))
        elif first.detail is not None:
            until = first.detail.until[:7]
            out.append(
                _Run(
                    x,
                    sum(widths),
                    first.status,
                    first.detail.tenant_name,
                    f"{quantity(area, 'm²', ',.0f')} · to {until}",
                    widths,
                )
            )
        else:
            out.append(
                _Run(
                    x, sum(widths), first.status, first.label, quantity(area, "m²", ",.0f"), widths
                )
            )
        x += sum(widths)
        group = []

    for c in floor.cells:
        if group and (
            (
                crowded
                and (c.status, _key(c), c.space.group)
                != (group[0].status, _key(group[0]), group[0].space.group)
            )
            or (not crowded and (_key(c) is None or _key(c) != _key(group[0])))
        ):
            close()
        group.append(c)
    if group:
        close()
    return out


def draw_stacking_plan(plan: StackingPlan, fmt: ChartFormat = "png") -> bytes:
    """The stacking plan as PNG or SVG bytes."""
    n = len(plan.floors)
    widest = max((f.area_m2 for f in plan.floors), default=1.0) or 1.0
    scale = 1.0 / widest
    height = min(1.5 + n * 0.34, 40.0)
    with style():
        fig = Figure(figsize=(WIDTH_IN, height))
        ax = fig.add_axes((0.07, 0.5 / height, 0.80, (height - 1.35) / height))
        for row, floor in enumerate(plan.floors):
            y = n - 1 - row
            for r in _runs(floor, scale):
                ax.add_patch(
                    Rectangle(
                        (r.x, y),
                        r.width,
                        ROW_H,
                        facecolor=color_of(r.status),
                        edgecolor="white",
                        linewidth=0.8,
                    )
                )
                _label(ax, r, y, n)
            ax.text(
                -0.01,
                y + ROW_H / 2,
                f"L{floor.level:02d}",
                ha="right",
                va="center",
                fontsize=_fs(n),
            )
            ax.text(
                floor.area_m2 * scale + 0.01,
                y + ROW_H / 2,
                _vacancy(floor),
                ha="left",
                va="center",
                fontsize=_fs(n),
                color="#3d4852",
            )
        ax.set_xlim(0, 1.0)
        ax.set_ylim(-0.2, n)
        ax.axis("off")
        title = bilingual(f"Stacking plan · {plan.name_en}", plan.name_zh)
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


def _is_racks(floor: StackFloor) -> bool:
    return bool(floor.cells) and floor.cells[0].space.kind == "rack"


def _vacancy(floor: StackFloor) -> str:
    if _is_racks(floor):
        free = sum(1 for c in floor.cells if c.status in VACANT)
        return f"{free:,} racks vacant" if free else "full"
    return f"{quantity(floor.vacant_m2, 'm²', ',.0f')} vacant" if floor.vacant_m2 else "full"


def _totals(plan: StackingPlan) -> str:
    cells = [c for f in plan.floors for c in f.cells]
    if plan.floors and all(_is_racks(f) for f in plan.floors):
        free = sum(1 for c in cells if c.status in VACANT)
        return f"{len(cells):,} racks · {free:,} vacant ({_share(free, len(cells))})"
    return (
        f"{quantity(plan.area_m2, 'm²', ',.0f')} leasable · "
        f"{quantity(plan.vacant_m2, 'm²', ',.0f')} vacant "
        f"({_share(plan.vacant_m2, plan.area_m2)})"
    )


def _share(part: float, whole: float) -> str:
    return quantity(100 * part / whole if whole else 0, "%", ".0f")


def _fs(n: int) -> float:
    return 9.0 if n <= 25 else 7.5 if n <= 40 else 6.5


def _label(ax: Axes, r: _Run, y: float, n: int) -> None:
    """Write the cell's name (and tenant or area) when the cell is wide enough."""
    chars = r.width * WIDTH_IN * 0.8 * 72 / (_fs(n) * 0.62)
    if chars < 3:
        return
    color = "white" if r.status in ("leased", "available", "unavailable") else "#25303a"
    text = (
        r.label if chars < max(len(r.label), len(r.sub)) + 1 or not r.sub else f"{r.label}\n{r.sub}"
    )
    if len(text.split("\n")[0]) > chars:
        return
    ax.text(
        r.x + r.width / 2,
        y + ROW_H / 2,
        text,
        ha="center",
        va="center",
        fontsize=_fs(n) - (1 if "\n" in text else 0),
        color=color,
        linespacing=1.0,
    )
