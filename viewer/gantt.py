"""The construction Gantt chart: planned bars against actual ones, forecasts, late work in red.

One row per building or work package, grouped by parcel. In each row the upper, light bars
are the plan (as known on the chart's date) and the lower, solid bars what happened; an open
stage runs solid up to the chart's date, then hatched to its forecast end. Work behind plan is
red: the part of an actual bar past its planned end, and planned bars that should have begun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from assets.construction.catalogue import Entity
from assets.construction.forecast import StageSchedule
from assets.construction.palette import LATE_COLOR, STAGE_COLORS
from assets.construction.stages import STAGE_NAMES, STAGES
from viewer.chart_style import GRID, ChartFormat, bilingual, cjk_family, style, to_bytes

PLAN_Y, ACTUAL_Y, BAR_H = 0.22, -0.14, 0.30
"""Offsets of the plan and actual bars from a row's centre, and their height (row = 1)."""


@dataclass(frozen=True)
class GanttRow:
    """One row: a building or work package and its stages as known on the chart's date."""

    entity: Entity
    stages: list[StageSchedule]


def _num(d: date) -> float:
    return float(mdates.date2num(d))


def _span(a: date, b: date) -> tuple[float, float]:
    return _num(a), max(_num(b) - _num(a), 1.0)


def _latest_actual(rows: list[GanttRow]) -> date | None:
    days = [
        d
        for row in rows
        for s in row.stages
        for d in (s.record.actual_start, s.record.actual_end, s.record.progress_on)
        if d is not None
    ]
    return max(days, default=None)


def _x_range(rows: list[GanttRow], today: date) -> tuple[date, date]:
    days = [today]
    for row in rows:
        for s in row.stages:
            r = s.record
            days += [d for d in (r.planned_start, r.planned_end, r.actual_start) if d]
            days += [d for d in (r.actual_end, s.forecast_end) if d]
    first, last = min(days), max(days)
    return date(first.year, 1, 1), date(last.year + 1, 1, 1)


def _draw_stage(ax: Axes, y: float, s: StageSchedule, today: date) -> None:
    r, color = s.record, STAGE_COLORS[s.stage]
    if r.planned_start and r.planned_end:
        overdue_plan = s.status == "planned" and s.lateness in ("late_start", "overdue")
        ax.broken_barh(
            [_span(r.planned_start, r.planned_end)],
            (y - PLAN_Y - BAR_H / 2, BAR_H),
            facecolors=color,
            alpha=0.35,
            edgecolor=LATE_COLOR if overdue_plan else color,
            linewidth=1.6 if overdue_plan else 0.6,
            hatch="///" if overdue_plan else None,
        )
    low = y - ACTUAL_Y - BAR_H / 2
    if r.actual_start is None:
        if s.forecast_start and s.forecast_end and s.late:
            _forecast_bar(ax, low, s.forecast_start, s.forecast_end, LATE_COLOR, color)
        return
    done = r.actual_end or today
    late_from = r.planned_end if r.planned_end and r.planned_end < done else None
    ax.broken_barh([_span(r.actual_start, late_from or done)], (low, BAR_H), facecolors=color)
    if late_from:
        ax.broken_barh([_span(late_from, done)], (low, BAR_H), facecolors=LATE_COLOR)
    if r.actual_end is None and s.forecast_end and s.forecast_end > today:
        _forecast_bar(ax, low, today, s.forecast_end, LATE_COLOR if s.late else color, color)
    if r.actual_end is None and s.percent > 0:  # the one percent; ~ marks an estimate
        text = f"{'~' if s.percent_basis == 'estimate' else ''}{s.percent:g} %"
        ax.text(_num(done) + 12, low + BAR_H / 2, text, va="center", fontsize=7.5)


def _forecast_bar(ax: Axes, low: float, start: date, end: date, edge: str, fill: str) -> None:
    """A hatched forecast bar: hatch and outline ``edge`` (red when late), tinted ``fill``."""
    ax.broken_barh(
        [_span(start, end)],
        (low, BAR_H),
        facecolors=[to_rgba(fill, 0.3)],
        edgecolor=edge,
        hatch="////",
        linewidth=0.8,
    )


def _label(e: Entity) -> str:
    name = e.name_zh if cjk_family() else e.name_en
    return f"{e.id}\n{name if len(name) <= 28 else name[:27] + '…'}"


def _legend(fig: Figure, critical: bool = False) -> None:
    stages = [
        Patch(facecolor=STAGE_COLORS[s], label=bilingual(STAGE_NAMES[s][1], STAGE_NAMES[s][0]))
        for s in STAGES
    ]
    kinds = [
        Patch(facecolor="#9aa4ad", alpha=0.35, edgecolor="#9aa4ad", label="planned (upper bar)"),
        Patch(facecolor="#9aa4ad", label="actual (lower bar)"),
        Patch(facecolor="none", edgecolor="#5a6570", hatch="////", label="forecast"),
        Patch(facecolor=LATE_COLOR, label="late: past planned end"),
        Patch(
            facecolor="#ffffff",
            edgecolor=LATE_COLOR,
            hatch="///",
            label="late: not begun as planned",
        ),
    ]
    if critical:
        kinds.append(
            Patch(facecolor="none", edgecolor=LATE_COLOR, linewidth=2.2, label="critical path")
        )
    fig.legend(
        handles=stages + kinds, loc="outside lower center", ncol=6, frameon=False, fontsize=8.5
    )


def _mark_critical(ax: Axes, rows: list[GanttRow], critical: set[tuple[str, str]]) -> None:
    """Outline in bold red the plan bars of stages on the schedule's critical path."""
    for i, row in enumerate(rows):
        for s in row.stages:
            r = s.record
            if (row.entity.id, s.stage) in critical and r.planned_start and r.planned_end:
                ax.broken_barh(
                    [_span(r.planned_start, r.planned_end)],
                    (i - PLAN_Y - BAR_H / 2, BAR_H),
                    facecolors="none",
                    edgecolor=LATE_COLOR,
                    linewidth=2.2,
                )


def gantt_chart(
    rows: list[GanttRow],
    today: date,
    fmt: ChartFormat = "png",
    title: str = "",
    critical: set[tuple[str, str]] | None = None,
) -> bytes:
    """The Gantt chart of ``rows`` as known on ``today``, as PNG or SVG bytes.

    Parameters
    ----------
    rows : list of GanttRow
        Rows from top to bottom; consecutive rows of one parcel form a group.
    today : date
        The chart's date (campus-local): the vertical line, the end of actual bars.
    critical : set of (entity id, stage), optional
        Stages an activity on the schedule's critical path plans: outlined in red.
    """
    with style():
        height = 2.4 + 0.42 * max(len(rows), 1)
        fig = Figure(figsize=(15, height), layout="constrained")
        ax = fig.add_subplot()
        for i, row in enumerate(rows):
            for s in row.stages:
                _draw_stage(ax, float(i), s, today)
        _mark_critical(ax, rows, critical or set())
        ax.set_yticks(range(len(rows)), [_label(r.entity) for r in rows], fontsize=8.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        for i in range(1, len(rows)):
            if rows[i].entity.parcel != rows[i - 1].entity.parcel:
                ax.axhline(i - 0.5, color="#9aa4ad", linewidth=0.8)
        for i, row in enumerate(rows):
            if i == 0 or row.entity.parcel != rows[i - 1].entity.parcel:
                ax.text(
                    1.003,
                    i - 0.4,
                    row.entity.parcel,
                    transform=ax.get_yaxis_transform(),
                    fontsize=8,
                    color="#5a6570",
                    va="top",
                )
        first, last = _x_range(rows, today)
        ax.set_xlim(_num(first), _num(last))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_minor_locator(mdates.MonthLocator((4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.tick_top()
        ax.grid(axis="x", which="major", color=GRID)
        ax.grid(axis="x", which="minor", color=GRID, linewidth=0.4)
        ax.set_axisbelow(True)
        ax.axvline(_num(today), color="#25303a", linewidth=1.4, linestyle="--")
        ax.text(
            _num(today + timedelta(days=10)),
            -0.46,
            f"as of {today}",
            fontsize=9,
            va="top",
            fontweight="bold",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )
        fig.suptitle(
            title or "Construction: planned against actual", fontsize=13, x=0.01, ha="left"
        )
        latest = _latest_actual(rows)
        note = f"Latest actual recorded: {latest}." if latest else "No actuals recorded."
        if latest and (today - latest).days > 90:
            note += " Work not reported since shows as late: nothing says it was done."
        ax.set_title(note, fontsize=9, loc="left", color="#5a6570", pad=24)
        _legend(fig, bool(critical))
        return to_bytes(fig, fmt)
