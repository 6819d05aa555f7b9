"""The S-curve chart: planned against actual percent complete over time, with the SPI."""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from twin.construction.scurve import SCurve
from viewer.chart_style import GRID, ChartFormat, style, to_bytes

PLANNED, ACTUAL = "#3d7ab8", "#d9822b"


def s_curve_chart(curve: SCurve, fmt: ChartFormat = "png") -> bytes:
    """``curve`` as PNG or SVG bytes: the plan dashed, the actual solid up to its date."""
    with style():
        fig = Figure(figsize=(10, 5.2), layout="constrained")
        ax = fig.add_subplot()
        days = [mdates.date2num(p.day) for p in curve.points]
        ax.plot(
            days, [p.planned for p in curve.points], "--", color=PLANNED, label="planned (baseline)"
        )
        past = [
            (d, p.actual) for d, p in zip(days, curve.points, strict=True) if p.actual is not None
        ]
        past.append((mdates.date2num(curve.today), curve.now.actual or 0.0))
        ax.plot(
            [d for d, _ in past], [a for _, a in past], color=ACTUAL, linewidth=2.2, label="actual"
        )
        ax.axvline(mdates.date2num(curve.today), color="#25303a", linestyle=":", linewidth=1.2)
        spi = "—" if curve.spi is None else f"{curve.spi:.2f}"
        ax.annotate(
            f"{curve.today}: planned {curve.now.planned:.0f} %, actual {curve.now.actual:.0f} %, SPI {spi}",
            (mdates.date2num(curve.today), curve.now.actual or 0.0),
            xytext=(-12, 24),
            textcoords="offset points",
            ha="right",
            fontsize=9,
            bbox={"facecolor": "white", "edgecolor": GRID, "pad": 3},
        )
        ax.set_ylim(0, 100)
        ax.set_ylabel("percent complete (weighted by baseline days)")
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(color=GRID)
        ax.legend(loc="upper left", frameon=False)
        fig.suptitle(
            f"S-curve of {curve.scope}, as known on {curve.today}", fontsize=13, x=0.01, ha="left"
        )
        return to_bytes(fig, fmt)
