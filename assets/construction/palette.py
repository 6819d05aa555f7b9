"""Colours of construction, shared by the Gantt chart, the GFA chart and the 3D colouring."""

from __future__ import annotations

STAGE_COLORS = {
    "design": "#9e9ac8",
    "foundation": "#a6761d",
    "structure": "#f28e2b",
    "envelope_mep": "#e6c229",
    "acceptance": "#4fb3bf",
    "fit_out": "#4e79a7",
    "in_use": "#2ca25f",
}
"""One colour per stage: violet design, brown foundation, orange structure, yellow envelope
and MEP, teal acceptance, blue fit-out, green in use."""
PLANNED_COLOR = "#d4d4d4"
"""Ghost grey: work that is only planned (nothing begun)."""
LATE_COLOR = "#d7191c"
"""Red: work behind plan."""
UNBUILT_COLOR = "#ececec"
"""Storeys not yet built while the structure rises (4D)."""
