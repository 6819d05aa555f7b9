"""Construction charts of a running twin: the Gantt chart and floor space over time, as of
any instant (the glue between :mod:`twin.construction` views and the matplotlib charts)."""

from __future__ import annotations

from datetime import date, datetime

from assets.clock import local_date
from assets.construction.activities import STREAM
from assets.construction.baselines import baseline_plan
from assets.construction.cpm import critical_path
from assets.construction.gfa import series
from twin.construction import view
from twin.construction.schedule import activities_at
from twin.runtime import Twin
from viewer.chart_style import ChartFormat
from viewer.gantt import GanttRow, gantt_chart
from viewer.gfa_chart import gfa_chart
from viewer.schedule_gantt import schedule_gantt

GFA_FIRST, GFA_LAST = date(2019, 1, 1), date(2027, 12, 31)
"""Default span of the GFA chart: from the Special Area's founding (F10) to 2027."""


def gantt_bytes(twin: Twin, at: datetime, parcel: str | None, fmt: ChartFormat) -> bytes:
    """The Gantt chart of ``parcel`` (all when None) as known at ``at``.

    Raises
    ------
    ConstructionError
        For an unknown parcel.
    """
    v = view(twin, at, parcel)
    rows = [GanttRow(e, v.schedules[e.id]) for e in v.entities]
    scope = parcel or "the campus"
    title = f"Construction of {scope}: planned against actual, as of {v.today}"
    acts = activities_at(twin, at)
    timings = critical_path(acts, v.today)
    critical = {
        (str(a.entity), str(a.stage)) for k, a in acts.items() if a.entity and timings[k].critical
    }
    return gantt_chart(rows, v.today, fmt, title=title, critical=critical)


def gfa_bytes(
    twin: Twin,
    at: datetime,
    parcel: str | None,
    first: date = GFA_FIRST,
    last: date = GFA_LAST,
    fmt: ChartFormat = "png",
) -> bytes:
    """The chart of floor space topped out, accepted and in use, ``first`` to ``last``."""
    v = view(twin, at, parcel)
    buildings = v.buildings()
    points = series(buildings, first, last, v.today)
    total = sum(b.gfa_m2 for b in buildings)
    title = f"Floor space in use, {parcel or 'whole campus'} (m², as known on {v.today})"
    return gfa_chart(points, v.today, total, fmt, title=title)


def schedule_gantt_bytes(
    twin: Twin, at: datetime, baseline: str | None, fmt: ChartFormat = "png"
) -> bytes:
    """The schedule's Gantt chart as known at ``at``: critical path, links, and the bars of
    ``baseline`` when named.

    Raises
    ------
    ScheduleError
        For an unknown baseline (``known-baseline``) or links that loop.
    """
    acts = activities_at(twin, at)
    plan = baseline_plan(twin.fresh().stream_at(STREAM, at), baseline) if baseline else None
    today = local_date(at)
    title = f"Schedule as of {today}: critical path" + (
        f" against baseline {baseline}" if baseline else ""
    )
    return schedule_gantt(acts, critical_path(acts, today), today, plan, fmt, title)
