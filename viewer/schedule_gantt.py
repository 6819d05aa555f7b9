"""The schedule's Gantt chart: one row per activity at its early dates (as of the chart's
date), critical activities in red, links drawn as arrows, milestones as diamonds, and a
baseline's bars under the current ones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from assets.construction.activities import Activity
from assets.construction.cpm import Timing
from assets.construction.palette import LATE_COLOR
from viewer.chart_style import GRID, ChartFormat, style, to_bytes

BAR, BASE = 0.46, 0.16
"""Heights (row = 1) of an activity's bar and of its baseline bar under it."""
OPEN, DONE, BASELINE, LINK = "#3d7ab8", "#9aa4ad", "#8a6d3b", "#6b7680"


def _num(d: date) -> float:
    return float(mdates.date2num(d))


def _label(k: str, a: Activity, width: int = 44) -> str:
    """A row's label that fits: the activity's name (a stage's is its building's and the
    stage's), with the id of an imported one, cut with an ellipsis."""
    text = a.name if a.code == k else f"{k}  {a.name}"
    return text if len(text) <= width else text[: width - 1] + "…"


def _link_points(kind: str, pred: Timing, succ: Timing) -> tuple[date, date]:
    """Where a link leaves its predecessor and reaches its successor."""
    leave = pred.early_start if kind in ("SS", "SF") else pred.early_finish
    reach = succ.early_finish if kind in ("FF", "SF") else succ.early_start
    return leave, reach


def _draw_links(
    ax: Axes, acts: Mapping[str, Activity], t: Mapping[str, Timing], row: dict[str, int]
) -> None:
    for a in acts.values():
        for link in a.predecessors:
            if link.activity not in t or t[link.activity].finished:
                continue  # finished work constrains nothing: its links would only clutter
            leave, reach = _link_points(link.type, t[link.activity], t[a.id])
            critical = t[a.id].critical and t[link.activity].critical
            ax.annotate(
                "",
                xy=(_num(reach), row[a.id] - BAR / 2),
                xytext=(_num(leave), row[link.activity] + BAR / 2),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": LATE_COLOR if critical else LINK,
                    "linewidth": 0.9,
                    "connectionstyle": "angle,angleA=0,angleB=90,rad=0",
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )


def schedule_gantt(
    acts: Mapping[str, Activity],
    timings: Mapping[str, Timing],
    today: date,
    baseline: Mapping[str, tuple[date, date]] | None = None,
    fmt: ChartFormat = "png",
    title: str = "",
) -> bytes:
    """The Gantt chart of ``acts`` at their early dates (``timings``) as of ``today``, with
    ``baseline`` (activity -> planned start, finish) bars under them when given."""
    # Rows grouped by building (in the network's order: its stages in order), the imported
    # activities without a building by their early dates.
    seen: dict[str, int] = {}
    for i, a in enumerate(acts.values()):
        seen.setdefault(a.entity or "", i)

    def rank(k: str) -> tuple[int, str, str, str]:
        a, t = acts[k], timings[k]
        group = seen[a.entity or ""] if a.entity else -1
        return (group, t.early_start.isoformat(), t.early_finish.isoformat(), k)

    order = sorted(acts, key=rank)
    row = {k: i for i, k in enumerate(order)}
    with style():
        fig = Figure(figsize=(14, 2.2 + 0.38 * max(len(order), 1)), layout="constrained")
        ax = fig.add_subplot()
        days = [today]
        for k in order:
            t, a, y = timings[k], acts[k], row[k]
            color = DONE if t.finished else (LATE_COLOR if t.critical else OPEN)
            days += [t.early_start, t.early_finish]
            if a.milestone or t.early_finish == t.early_start:
                ax.plot(_num(t.early_finish), y, marker="D", markersize=8, color=color)
            else:
                width = max(_num(t.early_finish) - _num(t.early_start), 1.0)
                ax.broken_barh([(_num(t.early_start), width)], (y - BAR / 2, BAR), facecolors=color)
            if baseline and k in baseline:
                start, finish = baseline[k]
                days += [start, finish]
                low = y + BAR / 2 + 0.02
                if finish == start:
                    ax.plot(_num(finish), low + BASE / 2, marker="D", markersize=5, color=BASELINE)
                else:
                    width = _num(finish) - _num(start)
                    ax.broken_barh([(_num(start), width)], (low, BASE), facecolors=BASELINE)
            note = "done" if t.finished else f"TF {t.total_float:g} d"
            ax.text(_num(t.early_finish) + 5, y, note, va="center", fontsize=7.5, color="#5a6570")
        _draw_links(ax, acts, timings, row)
        ax.set_yticks(range(len(order)), [_label(k, acts[k]) for k in order], fontsize=8.5)
        ax.set_ylim(len(order) - 0.3, -0.7)
        first, last = min(days), max(days)
        pad = max((last - first).days * 0.04, 7)
        ax.set_xlim(_num(first) - pad, _num(last) + pad * 2.5)
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.xaxis.tick_top()
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        ax.axvline(_num(today), color="#25303a", linewidth=1.3, linestyle="--")
        ax.text(_num(today), len(order) - 0.35, f" today {today}", fontsize=8.5, va="bottom")
        fig.suptitle(title or "Schedule: critical path", fontsize=13, x=0.01, ha="left")
        handles = [
            Patch(facecolor=LATE_COLOR, label="critical (total float 0)"),
            Patch(facecolor=OPEN, label="with float"),
            Patch(facecolor=DONE, label="finished"),
            Line2D([], [], marker="D", linestyle="none", color=OPEN, label="milestone"),
            Line2D([], [], color=LINK, marker=">", label="link (FS, SS, FF, SF)"),
        ]
        if baseline:
            handles.append(Patch(facecolor=BASELINE, label="baseline (thin bar under)"))
        fig.legend(handles=handles, loc="outside lower center", ncol=6, frameon=False, fontsize=8.5)
        return to_bytes(fig, fmt)
