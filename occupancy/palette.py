"""Colours of leasing statuses, shared by the 3D colouring and the stacking and floor plans.

Chosen to stay apart for colour-blind readers (Okabe-Ito hues) and to stand at least 3:1
against the light legend panel (WCAG 1.4.11; tests/viewer/test_legend_contrast.py).
"""

from __future__ import annotations

STATUS_COLORS: dict[str, tuple[str, str, str]] = {
    "available": ("#2e8540", "Available", "可租"),
    "held": ("#b86e00", "Held", "预留"),
    "leased": ("#2b62a6", "Leased", "已租"),
    "unavailable": ("#7a8796", "Let or reserved", "已租或预留"),
    "not_ready": ("#948a80", "Not ready (pre-lease)", "未投用(可预租)"),
}
"""Status -> (colour, label en, label zh). ``unavailable`` is what the public sees for held
and leased alike."""

STAFF_ORDER = ("available", "held", "leased", "not_ready")
PUBLIC_ORDER = ("available", "unavailable", "not_ready")


def color_of(status: str) -> str:
    return STATUS_COLORS[status][0]


def legend(statuses: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(label en, label zh, colour) of each status, in order."""
    return [(STATUS_COLORS[s][1], STATUS_COLORS[s][2], STATUS_COLORS[s][0]) for s in statuses]
