"""What a viewer mode gives: colours of features by id and the legend that explains them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Coloring:
    """Colours of features and the legend that explains them: (label en, label zh, colour)."""

    colors: dict[str, str]
    legend: list[tuple[str, str, str]] = field(default_factory=list)


Mode = Literal["visitor", "leasing", "construction", "facilities"]
"""The viewer's modes (:data:`viewer.modes.COLOURERS` colours each)."""
