"""The ``facilities`` viewer mode: the data centre, the service centre and the office
building coloured by the effective status of what they hold, floor by floor
(:func:`twin.facilities.effective.feature_statuses`, which the feature card reads too)."""

from __future__ import annotations

from datetime import datetime

from twin.facilities.effective import feature_statuses
from twin.runtime import Twin
from viewer.modes.coloring import Coloring

STATUS_COLOURS = {
    "operational": ("#2e8540", "Operational", "运行中"),
    "degraded": ("#9a8c00", "Degraded", "降级运行"),
    "lost_redundancy": ("#b04a00", "Lost redundancy (one feed)", "失去冗余(单路供电)"),
    "no_power": ("#6a1010", "No power", "无电"),
    "fault": ("#e0303a", "Fault", "故障"),
    "offline": ("#3a3a3a", "Offline", "离线"),
    "maintenance": ("#4a78d8", "Maintenance", "维护中"),
    "under_construction": ("#7a5aa8", "Under construction", "建设中"),
    "planned": ("#948c82", "Planned", "计划中"),
}
"""effective status -> (colour, label en, label zh)."""


def facilities_colourer(twin: Twin, at: datetime) -> Coloring:
    """Colours by feature id (buildings and floors) and the legend (en, zh, colour)."""
    colours = {fid: STATUS_COLOURS[s][0] for fid, s in feature_statuses(twin, at).items()}
    legend = [(en, zh, colour) for colour, en, zh in STATUS_COLOURS.values()]
    return Coloring(colors=colours, legend=legend)
