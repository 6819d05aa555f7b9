"""Titles of the rendered pictures: the campus, the mode and the date, in English and Chinese."""

from __future__ import annotations

from datetime import datetime

from assets.clock import local_day

CAMPUS_TITLE = "Information Flying Fish · 信息飞鱼"
MODE_TITLES = {
    "visitor": "Visitors · 参观",
    "leasing": "Leasing · 招商租赁",
    "construction": "Construction · 建设进度",
    "facilities": "Facilities · 设施运维",
}


def render_title(mode: str, at: datetime) -> str:
    """``Information Flying Fish · 信息飞鱼 — Construction · 建设进度 — 2023-01-01`` (campus date)."""
    return f"{CAMPUS_TITLE} — {MODE_TITLES.get(mode, mode)} — {local_day(at)}"
