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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twin.runtime import Twin


@dataclass(frozen=True)
class Coloring:
    """Colours of features and the legend that explains them: (label en, label zh, colour)."""

    colors: dict[str, str]
    legend: list[tuple[str, str, str]] = field(default_factory=list)


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


def _visitor(twin: Twin, at: datetime) -> Coloring:
    return Coloring(colors={})


register("visitor", _visitor)
