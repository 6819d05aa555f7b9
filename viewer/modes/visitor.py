"""The ``visitor`` viewer mode: the park, its core, the fish and the buildings of the
published facts (public data only)."""

from __future__ import annotations

from datetime import datetime

from twin.runtime import Twin
from viewer.modes.coloring import Coloring

VISITOR_FACTS = ("F5", "F6", "F7", "F8")
"""Facts whose buildings a visitor is shown first: the fish head, the data centre, the office
building 一楼观全港 and the cross-border data service centre."""
VISITOR_PALETTE = {
    "park": ("#5f8a3e", "Industrial park (~7 km²)", "产业园(约7平方公里)"),
    "core": ("#9a8560", "Core area (~3.2 km²)", "核心区(约3.2平方公里)"),
    "fish": ("#2f86a0", "Information Flying Fish", "信息飞鱼"),
    "highlight": ("#c0651a", "Points of interest", "重点楼宇"),
    "building": ("#888c92", "Other buildings", "其他楼宇"),
}
"""Public colours of the visitor view: key -> (colour, label en, label zh)."""


def visitor_colourer(twin: Twin, at: datetime) -> Coloring:
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
