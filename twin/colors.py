"""Feature colours by viewer mode: one place decides how the campus is coloured, for the
browser client and the pyvista renders alike.

A colourer takes the twin and an instant and returns ``{feature id: "#rrggbb"}`` plus a
legend; features it does not name keep the scene's own colours. Domains register theirs
with :func:`register` (``visitor`` and ``construction`` here; leasing and facilities in
their own modules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from twin.runtime import Twin


@dataclass(frozen=True)
class Coloring:
    """Colours of features and the legend that explains them: (label en, label zh, colour)."""

    colors: dict[str, str]
    legend: list[tuple[str, str, str]] = field(default_factory=list)


Mode = Literal["visitor", "leasing", "construction", "facilities"]
"""The viewer's modes; each is registered by the domain that colours it."""
Colourer = Callable[["Twin", datetime], Coloring]
_COLOURERS: dict[str, Colourer] = {}


def register(mode: str, colourer: Colourer) -> None:
    """Make ``mode`` available to the viewer, the API and ``twin render --mode``."""
    _COLOURERS[mode] = colourer


def modes() -> list[str]:
    return list(_COLOURERS)


def coloring(twin: Twin, mode: str, at: datetime) -> Coloring:
    """The colouring of ``mode`` at ``at``.

    Raises
    ------
    ValueError
        For a mode nobody registered.
    """
    if mode not in _COLOURERS:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(_COLOURERS)}")
    return _COLOURERS[mode](twin, at)


VISITOR_FACTS = ("F5", "F6", "F7", "F8")
"""Facts whose buildings a visitor is shown first: the fish head, the data centre, the office
building 一楼观全港 and the cross-border data service centre."""
VISITOR_PALETTE = {
    "park": ("#b7cc9f", "Industrial park (~7 km²)", "产业园(约7平方公里)"),
    "core": ("#eceee2", "Core area (~3.2 km²)", "核心区(约3.2平方公里)"),
    "fish": ("#6aaec2", "Information Flying Fish", "信息飞鱼"),
    "highlight": ("#e8a04b", "Points of interest", "重点楼宇"),
    "building": ("#f4f3ef", "Other buildings", "其他楼宇"),
}
"""Public colours of the visitor view: key -> (colour, label en, label zh)."""


def _visitor(twin: Twin, at: datetime) -> Coloring:
    """Zones, the fish and the buildings of the published facts (public data only)."""
    campus = twin.campus_at(at)
    fish = [z.id for z in campus.zones.values() if z.kind == "complex"]
    colors = {
        z.id: VISITOR_PALETTE[z.kind][0] for z in campus.zones.values() if z.kind != "complex"
    }
    colors |= {p.id: VISITOR_PALETTE["fish"][0] for p in campus.parcels.values() if p.zone in fish}
    for b in campus.buildings.values():
        key = "highlight" if set(b.facts) & set(VISITOR_FACTS) else "building"
        colors[b.id] = VISITOR_PALETTE[key][0]
    legend = [(en, zh, colour) for colour, en, zh in VISITOR_PALETTE.values()]
    return Coloring(colors=colors, legend=legend)


register("visitor", _visitor)


def _leasing(twin: Twin, at: datetime) -> Coloring:
    """Office units by availability, public-safe (:mod:`twin.leasing.colors`)."""
    from twin.leasing.colors import leasing_colourer  # imported late: it imports this module

    return leasing_colourer(twin, at)


register("leasing", _leasing)


def _facilities(twin: Twin, at: datetime) -> Coloring:
    """The data centre, service centre and office building by status (:mod:`twin.facilities`)."""
    from twin.facilities.colouring import facility_colours  # imported late, as leasing's

    colours, legend = facility_colours(twin, at)
    return Coloring(colors=colours, legend=legend)


register("facilities", _facilities)


def _construction(twin: Twin, at: datetime) -> Coloring:
    """Buildings, floors and units by construction stage, late work red, storeys rising (4D)
    (:mod:`twin.construction.colours`)."""
    from twin.construction.colours import construction_colourer  # imported late, as leasing's

    return construction_colourer(twin, at)


register("construction", _construction)
