"""The ``construction`` viewer mode: buildings coloured by stage at any instant (4D).

A building takes the colour of its latest stage begun; one where nothing has begun is ghost
grey; one with open work behind plan is red. While its structure rises, only the storeys built
so far take the colour, the rest stay pale: built storeys are ``percent`` of the structure
stage (:attr:`~assets.construction.forecast.StageSchedule.percent`: logged, else estimated
from its planned duration; all of them when there is neither). Colours are
keyed by building id and by each of its floor (``bid/Lnn``) and unit (``bid/Lnn/Unn``) ids.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from assets.construction.forecast import built_share, current_percent
from assets.construction.palette import LATE_COLOR, PLANNED_COLOR, STAGE_COLORS, UNBUILT_COLOR
from assets.construction.stages import STAGE_NAMES, STAGES
from twin.construction.queries import view
from viewer.modes.coloring import Coloring

if TYPE_CHECKING:
    from datetime import datetime

    from twin.runtime import Twin

LATE_UNBUILT_COLOR = "#c0607e"
"""Rose: storeys not yet built of a building behind plan."""


def construction_colourer(twin: Twin, at: datetime) -> Coloring:
    """Colours of every building, floor and unit at ``at``, and the legend."""
    v = view(twin, at)
    campus = twin.campus_at(at)
    colors: dict[str, str] = {}
    for e in v.entities:
        if e.kind != "building":
            continue
        schedules = v.schedules[e.id]
        stage, status, _ = current_percent(schedules)
        late = any(s.late for s in schedules)
        colour = PLANNED_COLOR if status == "planned" else STAGE_COLORS[stage]
        colour = LATE_COLOR if late else colour
        unbuilt = LATE_UNBUILT_COLOR if late else UNBUILT_COLOR
        colors[e.id] = colour
        floors = campus.floors(e.id)
        standing = math.ceil(built_share(schedules, v.today) * len(floors) - 1e-9)
        floor_colour = {f.id: colour if f.level <= standing else unbuilt for f in floors}
        colors |= floor_colour
        colors |= {u.id: floor_colour[u.floor] for u in campus.units(e.id)}
    legend = [
        ("Planned, nothing begun", "规划中", PLANNED_COLOR),
        *((STAGE_NAMES[s][1], STAGE_NAMES[s][0], STAGE_COLORS[s]) for s in STAGES),
        ("Behind plan", "滞后", LATE_COLOR),
        ("Storeys not yet built", "未建楼层", UNBUILT_COLOR),
        ("Storeys not yet built, behind plan", "未建楼层(滞后)", LATE_UNBUILT_COLOR),
    ]
    return Coloring(colors=colors, legend=legend)
