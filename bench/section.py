"""What every benchmark section returns, so ``python -m bench`` can print one table.

A section (scene, time travel, queries, peer, ingestion, scale, ...) is a module with a
``run(options: Options) -> SectionResult`` function. Figures are medians unless the metric says
otherwise; a figure may carry a baseline measured in the same run, and its ratio is computed
here (``value / baseline`` when higher is better, ``baseline / value`` when lower is better, so a
ratio above 1 always means "better than the baseline").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Options:
    """What the whole run was asked for; each section picks what it needs."""

    quick: bool = False
    """Small sizes and short runs: a smoke test of the bench itself, not figures to quote."""
    seed: int = 1
    postgres_url: str | None = None
    """A PostgreSQL server URL (``postgresql+psycopg://...``) or ``None`` to skip PostgreSQL."""
    mqtt_url: str | None = None
    """An MQTT broker URL (``mqtt://host:port``) or ``None`` to skip MQTT."""


@dataclass(frozen=True)
class Figure:
    """One measured number, optionally against a baseline measured in the same run."""

    case: str
    """What was measured, e.g. ``"OGC items limit=10, c=16"``."""
    metric: str
    """Name with unit, e.g. ``"req/s"``, ``"p99 ms"``, ``"MB"``."""
    value: float
    better: Better = "lower"
    baseline: str | None = None
    """Name of the baseline, e.g. ``"pygeoapi"`` or ``"naive replay"``."""
    baseline_value: float | None = None

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline (> 1 is better), or ``None``."""
        if self.baseline_value is None or self.baseline_value == 0 or self.value == 0:
            return None
        if self.better == "higher":
            return self.value / self.baseline_value
        return self.baseline_value / self.value


@dataclass(frozen=True)
class Target:
    """A target from the issue and whether this run met it."""

    text: str
    """The target, e.g. ``"availability search p99 < 50 ms at 20,000 units, c=16"``."""
    met: bool
    detail: str
    """The measured figure and by how much it is met or missed, and why if missed."""


@dataclass
class SectionResult:
    """A section's figures, targets, method paragraph and notes (Markdown)."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    method: str = ""
    notes: list[str] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)
    """Versions of what was measured (database server, peer package), one line each."""
