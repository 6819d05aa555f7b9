"""Colours of construction, shared by the Gantt chart, the GFA chart and the 3D colouring."""

from __future__ import annotations

STAGE_COLORS = {
    "design": "#8a6fc4",
    "foundation": "#7a4e12",
    "structure": "#bf5400",
    "envelope_mep": "#9a8c00",
    "acceptance": "#16848c",
    "fit_out": "#2f5fa8",
    "in_use": "#2a7a3c",
}
"""One colour per stage: violet design, brown foundation, orange structure, olive envelope
and MEP, teal acceptance, blue fit-out, green in use. Every colour of this module stands at
least 3:1 against the viewer's legend panel (WCAG 1.4.11; tests/viewer/test_legend_contrast.py)."""
PLANNED_COLOR = "#8a8a8a"
"""Grey: work that is only planned (nothing begun)."""
LATE_COLOR = "#d0102a"
"""Red: work behind plan."""
UNBUILT_COLOR = "#a08a76"
"""Warm grey: storeys not yet built while the structure rises (4D)."""
