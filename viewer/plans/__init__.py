"""Leasing pictures drawn with matplotlib: stacking plans and floor plans (PNG and SVG)."""

from viewer.plans.floor import draw_floor_plan
from viewer.plans.stacking import draw_stacking_plan

__all__ = ["draw_floor_plan", "draw_stacking_plan"]
