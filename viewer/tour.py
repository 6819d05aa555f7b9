"""The visitors' guided tour: a data file (``tour.json`` of the dataset), validated on load.

Each step names a scene feature the camera flies to (zone, parcel or building id), how much of
the view it fills, the facts its text is built from, an optional day for the time slider
(a step about history) and its title and text in Chinese and English. The twin team edits the
file, not code; a bad file is refused with the step and field that are wrong.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from assets.campus import Campus
from assets.dataset import EMBEDDED
from viewer.sources import citation

TOUR_FILE = "tour.json"
"""The tour's file name inside a dataset directory."""
FactId = Annotated[str, StringConstraints(pattern=r"^[FS]\d+$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=600, strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    """The same words in Chinese and English."""

    zh: Text
    en: Text


class TourStep(_Strict):
    """One stop of the tour."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    feature: str = Field(min_length=1, description="scene feature the camera flies to")
    fill: float = Field(default=0.5, gt=0.05, le=1.0, description="share of the view it fills")
    at: date | None = Field(default=None, description="day the time slider moves to")
    facts: list[FactId] = Field(min_length=1, description="ids of the facts the text tells")
    title: Words
    text: Words


class Tour(_Strict):
    """The tour: its steps in order (ids unique: checked by :func:`load_tour`)."""

    about: str = ""
    steps: list[TourStep] = Field(min_length=1, max_length=40)


class TourError(ValueError):
    """A tour file that cannot be used: ``step`` (1-based number and id, if known) and ``field``."""

    def __init__(self, path: Path, step: str, field: str, message: str):
        self.path, self.step, self.field = path, step, field
        super().__init__(f"{path.name}: {step}: {field}: {message}")


def _where(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """(“step 3 (fish-head)”, “text.zh”) for a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        number = loc[1] + 1
        try:
            step_id = raw["steps"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            step_id = None
        label = f"step {number}" + (f" ({step_id})" if isinstance(step_id, str) else "")
        return label, ".".join(str(part) for part in loc[2:]) or "(step)"
    return "tour", ".".join(str(part) for part in loc) or "(file)"


def load_tour(directory: str | Path = EMBEDDED, fact_ids: set[str] | None = None) -> Tour:
    """Read and validate ``directory/tour.json``; with ``fact_ids``, every fact a step cites
    must be one of them (default: those of the same directory's ``facts.json``, if any).
    Raises :class:`TourError` naming the step and field."""
    path = Path(directory) / TOUR_FILE
    if fact_ids is None and (Path(directory) / "facts.json").is_file():
        facts = json.loads((Path(directory) / "facts.json").read_text(encoding="utf-8"))
        fact_ids = {str(f.get("id")) for f in facts.get("facts", []) if isinstance(f, dict)}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TourError(path, "tour", "(file)", f"cannot be read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise TourError(path, "tour", "(file)", f"not valid JSON: {exc}") from exc
    try:
        tour = Tour.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        step, field = _where(raw, tuple(first["loc"]))
        raise TourError(path, step, field, first["msg"]) from exc
    seen: set[str] = set()
    for number, s in enumerate(tour.steps, 1):
        if s.id in seen:
            raise TourError(path, f"step {number} ({s.id})", "id", "used by an earlier step")
        seen.add(s.id)
    if fact_ids is not None:
        for number, s in enumerate(tour.steps, 1):
            for i, fact in enumerate(s.facts):
                if fact not in fact_ids:
                    raise TourError(
                        path,
                        f"step {number} ({s.id})",
                        f"facts.{i}",
                        f"no fact {fact!r} in the dataset",
                    )
    return tour


def _has(campus: Campus, feature: str) -> bool:
    return feature in campus.zones or feature in campus.parcels or feature in campus.buildings


def public_steps(tour: Tour, campus: Campus) -> list[dict[str, Any]]:
    """The steps a visitor sees on ``campus``, numbered from 1: those whose feature and facts the
    campus has (a synthetic campus has none), each fact cited by its source's name and date."""
    shown = [
        s for s in tour.steps if _has(campus, s.feature) and all(f in campus.facts for f in s.facts)
    ]
    return [
        {
            "number": number,
            "id": s.id,
            "feature": s.feature,
            "fill": s.fill,
            "at": s.at.isoformat() if s.at else None,
            "title": s.title.model_dump(),
            "text": s.text.model_dump(),
            "sources": [citation(campus.facts[f]) for f in s.facts],
        }
        for number, s in enumerate(shown, 1)
    ]
