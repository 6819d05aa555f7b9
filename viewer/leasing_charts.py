"""Leasing charts: the lease-expiry profile (area and income expiring per year) and the deal
pipeline's funnel (prospects reaching each stage, with conversion)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from occupancy.pipeline import Funnel
from occupancy.rent_roll import ExpiryYear
from viewer.chart_style import GRID, ChartFormat, bilingual, style, to_bytes

AREA_COLOR = "#3b7dd8"
INCOME_COLOR = "#d9822b"
STAGE_NAMES = {
    "enquiry": ("Enquiry", "咨询"),
    "tour": ("Tour", "看房"),
    "proposal": ("Proposal", "报价"),
    "hold": ("Hold", "保留"),
    "signed": ("Signed", "签约"),
}


def _thousands(value: float, _pos: object = None) -> str:
    return f"{value:,.0f}"


def expiry_chart(years: list[ExpiryYear], title: str, fmt: ChartFormat = "png") -> bytes:
    """Bars per year: the m² expiring (left axis) beside the income expiring (10,000 CNY a
    year, right axis)."""
    with style():
        fig = Figure(figsize=(10, 5.5), layout="constrained")
        ax = fig.add_subplot()
        x = list(range(len(years)))
        width = 0.4
        ax.bar(
            [k - width / 2 for k in x],
            [y.area_m2 for y in years],
            width,
            color=AREA_COLOR,
            label="Area expiring, m²",
        )
        for k, y in enumerate(years):
            if y.leases:
                ax.annotate(
                    f"{y.leases} lease{'s' if y.leases > 1 else ''}",
                    (k - width / 2, y.area_m2),
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    xytext=(0, 3),
                    textcoords="offset points",
                )
        ax.set_xticks(x, [str(y.year) for y in years])
        ax.set_ylabel(bilingual("Area expiring, m²", "到期面积"))
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
        ax.grid(axis="y", color=GRID)
        ax.set_axisbelow(True)
        income = ax.twinx()
        income.bar(
            [k + width / 2 for k in x],
            [y.annual_rent_cny / 10_000 for y in years],
            width,
            color=INCOME_COLOR,
            label="Income expiring, 10,000 CNY a year",
        )
        income.set_ylabel(bilingual("Income expiring, 10,000 CNY a year", "到期租金 万元/年"))
        income.yaxis.set_major_formatter(FuncFormatter(_thousands))
        top = max([y.annual_rent_cny / 10_000 for y in years] + [1])
        income.set_ylim(0, top * 1.15)
        ax.set_ylim(0, max([y.area_m2 for y in years] + [1]) * 1.15)
        fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=9)
        fig.suptitle(title, fontsize=13, x=0.01, ha="left")
        if not years:
            ax.text(0.5, 0.5, "No lease in force", transform=ax.transAxes, ha="center")
        return to_bytes(fig, fmt)


def funnel_chart(f: Funnel, fmt: ChartFormat = "png") -> bytes:
    """Horizontal bars of prospects reaching each stage, with conversion and median days."""
    with style():
        fig = Figure(figsize=(10, 5), layout="constrained")
        ax = fig.add_subplot()
        names = [bilingual(*STAGE_NAMES[s.stage]) for s in f.stages]
        counts = [s.reached for s in f.stages]
        ax.barh(names, counts, color=AREA_COLOR)
        ax.invert_yaxis()
        for k, s in enumerate(f.stages):
            parts = [f"{s.reached}", f"{s.area_m2:,.0f} m²"]
            if s.racks:
                parts.append(f"{s.racks} racks")
            if s.conversion is not None:
                parts.append(f"{s.conversion:.0%} of the stage before")
            if s.median_days is not None:
                parts.append(f"median {s.median_days:.0f} days here")
            ax.text(s.reached, k, "  " + " · ".join(parts), va="center", fontsize=9)
        ax.set_xlim(0, max([*counts, 1]) * 1.9)
        ax.set_xlabel("Prospects reaching the stage")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        fig.suptitle(
            f"Deal pipeline, enquiries {f.start} to {f.end}: {f.prospects} prospects, "
            f"{f.lost} lost",
            fontsize=13,
            x=0.01,
            ha="left",
        )
        return to_bytes(fig, fmt)
