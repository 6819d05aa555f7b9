"""Titles of the rendered pictures: the campus, the mode and the date, in English and Chinese."""

from __future__ import annotations

from datetime import datetime

from assets.campus import Campus
from assets.clock import local_day

TITLE_ZONES = ("complex", "park", "core")
"""Zone kinds whose name titles a campus, the first present winning."""
MODE_TITLES = {
    "visitor": "Visitors · 参观",
    "leasing": "Leasing · 招商租赁",
    "construction": "Construction · 建设进度",
    "facilities": "Facilities · 设施运维",
}


def campus_title(campus: Campus) -> str:
    """The dataset's own name for the campus, English · Chinese: its complex's name, else its
    park's (``Information Flying Fish · 信息飞鱼特色园区``; any dataset, not only this one)."""
    for kind in TITLE_ZONES:
        zone = next((z for z in campus.zones.values() if z.kind == kind), None)
        if zone is not None:
            return f"{zone.name.en} · {zone.name.zh}"
    return "Campus twin · 园区孪生"


def render_title(campus: Campus, mode: str, at: datetime) -> str:
    """``<campus title> — Construction · 建设进度 — 2023-01-01`` (campus date)."""
    return f"{campus_title(campus)} — {MODE_TITLES.get(mode, mode)} — {local_day(at)}"
