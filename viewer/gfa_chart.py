"""Floor space in use over time: what happened (solid) against the plan (dashed), in m².

Three states are drawn: topped out (结构封顶), accepted (竣工验收) and in use (投用, the
thickest line). Actual lines stop at the chart's date: what came after is not known then.
"""

from __future__ import annotations

from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from assets.construction.gfa import GFA_STATES, SeriesPoint
from assets.construction.palette import STAGE_COLORS
from assets.units import quantity
from viewer.chart_style import GRID, ChartFormat, bilingual, style, to_bytes

STATE_STYLE = {  # state: (colour, line width, label en, label zh)
    "topped_out": (STAGE_COLORS["structure"], 1.4, "Topped out", "结构封顶"),
    "accepted": (STAGE_COLORS["acceptance"], 1.4, "Accepted", "竣工验收"),
    "in_use": (STAGE_COLORS["in_use"], 3.0, "In use", "投用"),
}


def _m2(value: float, _pos: object = None) -> str:
    return f"{value:,.0f}"


def _callout(ax: Axes, points: list[SeriesPoint], today: date) -> None:
    """The in-use figures on the chart's date, written next to its line."""
    on = next((p for p in reversed(points) if p.day <= today and p.actual_m2 is not None), None)
    if on is None or on.actual_m2 is None:
        return
    text = (
        f"In use on {today}: {quantity(on.actual_m2['in_use'], 'm²', ',.0f')}\n"
        f"planned by then: {quantity(on.planned_m2['in_use'], 'm²', ',.0f')}"
    )
    ax.text(
        0.015,
        0.80,
        text,
        transform=ax.transAxes,
        fontsize=10,
        va="top",
        bbox={"facecolor": "white", "edgecolor": "#c9d1d8", "boxstyle": "round,pad=0.4"},
    )


def gfa_chart(
    points: list[SeriesPoint],
    today: date,
    total_m2: float,
    fmt: ChartFormat = "png",
    title: str = "",
) -> bytes:
    """The GFA series as a line chart (PNG or SVG bytes).

    Parameters
    ----------
    points : list of SeriesPoint
        Days in order; ``actual_m2`` is None after ``today``.
    today : date
        The chart's date (campus-local), marked by a vertical line.
    total_m2 : float
        GFA of the whole scope, m², drawn as a ceiling.
    """
    with style():
        fig = Figure(figsize=(12, 6), layout="constrained")
        ax = fig.add_subplot()
        days = [mdates.date2num(p.day) for p in points]
        for state in GFA_STATES:
            color, width, en, zh = STATE_STYLE[state]
            planned = [p.planned_m2[state] for p in points]
            ax.plot(
                days,
                planned,
                color=color,
                linewidth=width,
                linestyle="--",
                alpha=0.8,
                drawstyle="steps-post",
                label=f"{bilingual(en, zh)}: plan",
            )
            known = [
                (d, p.actual_m2[state])
                for d, p in zip(days, points, strict=True)
                if p.actual_m2 is not None
            ]
            if known:
                ax.plot(
                    [d for d, _ in known],
                    [v for _, v in known],
                    color=color,
                    linewidth=width,
                    drawstyle="steps-post",
                    label=f"{bilingual(en, zh)}: actual",
                )
        ax.axhline(total_m2, color="#7d8890", linewidth=0.8, linestyle=":")
        ax.text(
            days[0],
            total_m2,
            f"  all floor space {quantity(total_m2, 'm²', ',.0f')}",
            va="bottom",
            fontsize=8.5,
            color="#5a6570",
        )
        now = mdates.date2num(today)
        if days[0] <= now <= days[-1]:
            ax.axvline(now, color="#25303a", linewidth=1.3, linestyle="--")
            ax.axvspan(now, days[-1], color="#eef1f4", zorder=0)
            right = now > days[0] + 0.85 * (days[-1] - days[0])
            ax.text(
                now,
                total_m2 * 1.06,
                f"as of {today} " if right else f" as of {today}",
                ha="right" if right else "left",
                fontsize=9,
                fontweight="bold",
            )
        ax.set_xlim(days[0], days[-1])
        ax.set_ylim(0, total_m2 * 1.12)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.yaxis.set_major_formatter(FuncFormatter(_m2))
        ax.set_ylabel("Gross floor area, m²")
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
        fig.legend(loc="outside lower center", fontsize=9, frameon=False, ncol=3)
        _callout(ax, points, today)
        fig.suptitle(title or "Floor space in use", fontsize=13, x=0.01, ha="left")
        ax.set_title(
            "Solid: what happened (known up to the date); dashed: the plan as known then.",
            fontsize=9,
            loc="left",
            color="#5a6570",
        )
        return to_bytes(fig, fmt)
