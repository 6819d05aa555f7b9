"""Feature colours by viewer mode: one place decides how the campus is coloured, for the
browser client (``GET /api/v1/scene/colors``) and the pyvista renders alike.

A colourer takes the twin and an instant and returns ``{feature id: "#rrggbb"}`` plus a
legend; features it does not name keep the scene's own colours. Each colourer only reads the
twin's read model at that instant (construction schedules, leasing statuses, effective
facility status): no fact is derived here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from twin.runtime import Twin
from viewer.modes.coloring import Coloring, Mode
from viewer.modes.construction import construction_colourer
from viewer.modes.facilities import facilities_colourer
from viewer.modes.leasing import leasing_colourer
from viewer.modes.visitor import visitor_colourer

__all__ = ["COLOURERS", "Coloring", "Mode", "coloring", "modes"]

Colourer = Callable[[Twin, datetime], Coloring]
COLOURERS: dict[str, Colourer] = {
    "visitor": visitor_colourer,
    "leasing": leasing_colourer,
    "construction": construction_colourer,
    "facilities": facilities_colourer,
}
"""The viewer's modes, in the order the viewer offers them."""


def modes() -> list[str]:
    """The names of the modes."""
    return list(COLOURERS)


def coloring(twin: Twin, mode: str, at: datetime) -> Coloring:
    """The colouring of ``mode`` at ``at``.

    Raises
    ------
    ValueError
        For a mode that does not exist.
    """
    if mode not in COLOURERS:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(COLOURERS)}")
    return COLOURERS[mode](twin, at)
