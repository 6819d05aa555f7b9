"""PUE over time as a line chart, with the design target (PNG or SVG bytes)."""

from __future__ import annotations

from datetime import datetime

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from assets.history import CAMPUS_TZ
from viewer.chart_style import GRID, ChartFormat, bilingual, style, to_bytes

LINE = "#1f7a99"
TARGET = "#d64545"


def pue_chart(
    points: list[tuple[datetime, float | None]],
    design: float,
    fmt: ChartFormat = "png",
    title: str = "",
) -> bytes:
    """``points`` (instant, PUE or None without readings) as a line, the ``design`` target as
    a dashed line; times in campus time (UTC+8)."""
    with style():
        fig = Figure(figsize=(10, 4.2), layout="constrained")
        ax = fig.add_subplot()
        known = [(t, v) for t, v in points if v is not None]
        zone = CAMPUS_TZ
        if known:
            ax.plot(
                [mdates.date2num(t) for t, _ in known],
                [v for _, v in known],
                color=LINE,
                linewidth=2,
                marker="o" if len(known) < 40 else None,
                markersize=3,
                label=bilingual("PUE", "电能利用效率"),
            )
        ax.axhline(design, color=TARGET, linewidth=1.2, linestyle="--")
        ax.text(
            0.005,
            design,
            f" {bilingual('design target', '设计目标')} {design:g}",
            transform=ax.get_yaxis_transform(),
            va="bottom",
            fontsize=9,
            color=TARGET,
        )
        values = [v for _, v in known] + [design]
        ax.set_ylim(max(1.0, min(values) - 0.05), max(values) + 0.08)
        if len(points) > 1:  # ticks on whole hours of the instants' zone
            hours = (points[-1][0] - points[0][0]).total_seconds() / 3600
            every = next((h for h in (1, 2, 3, 6, 12, 24) if hours / h <= 8), 24 * 7)
            if every <= 24:
                ax.xaxis.set_major_locator(mdates.HourLocator(byhour=range(0, 24, every), tz=zone))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M", tz=zone))
        ax.set_ylabel("PUE = facility kW / IT kW")
        ax.set_xlabel("Campus time (UTC+8)")
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
        fig.suptitle(
            title or bilingual("Power usage effectiveness", "电能利用效率"),
            fontsize=13,
            x=0.01,
            ha="left",
        )
        if not known:
            ax.text(0.5, 0.5, "no readings", transform=ax.transAxes, ha="center")
        return to_bytes(fig, fmt)
