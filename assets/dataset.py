"""Loading a campus dataset: JSON files -> pydantic models -> a validated :class:`Campus`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assets.campus import Campus
from assets.errors import DatasetError
from assets.models import (
    Building,
    BuildingsFile,
    FacilitiesFile,
    Facility,
    Fact,
    FactsFile,
    Origin,
    Parcel,
    SiteFile,
    Zone,
)
from assets.validation import BUILDINGS, FACILITIES, SITE, unique_ids, validate

EMBEDDED = Path(__file__).parent / "data" / "flying-fish"
"""The embedded Flying Fish dataset."""
FILES = ("site.json", "buildings.json", "facilities.json", "facts.json")

M = TypeVar("M", bound=BaseModel)


def _entity_of(raw: Any, loc: tuple[int | str, ...]) -> str:
    """The id (or list position) of the entity a validation error points at."""
    node = raw
    label = "(file)"
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int):
            label = node.get("id", f"item {part}") if isinstance(node, dict) else f"item {part}"
    return str(label)


def _read(directory: Path, name: str, model: type[M]) -> M:
    path = directory / name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(name, "(file)", "missing-file", f"no file at {path}") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(name, "(file)", "json", f"not valid JSON: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DatasetError(
            name, _entity_of(raw, tuple(first["loc"])), "schema", f"{where}: {first['msg']}"
        ) from exc


def load_campus(directory: str | Path = EMBEDDED) -> Campus:
    """Read and validate the dataset in ``directory`` (default: the embedded Flying Fish).

    Raises
    ------
    DatasetError
        Naming the file, the entity and the rule, when any file or invariant is broken.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DatasetError(str(folder), "(dataset)", "missing-file", "not a dataset directory")
    site = _read(folder, "site.json", SiteFile)
    buildings = _read(folder, "buildings.json", BuildingsFile)
    facilities = _read(folder, "facilities.json", FacilitiesFile)
    facts = _read(folder, "facts.json", FactsFile)
    return build_campus(
        site.origin,
        site.zones,
        site.parcels,
        buildings.buildings,
        facilities.facilities,
        facts.facts,
    )


def build_campus(
    origin: Origin,
    zones: list[Zone],
    parcels: list[Parcel],
    buildings: list[Building],
    facilities: list[Facility],
    facts: list[Fact],
) -> Campus:
    """A campus from its entities, once every invariant holds (else :class:`DatasetError`)."""
    unique_ids(
        [
            *((SITE, z.id) for z in zones),
            *((SITE, p.id) for p in parcels),
            *((BUILDINGS, b.id) for b in buildings),
            *((FACILITIES, f.id) for f in facilities),
        ]
    )
    campus = Campus(origin, zones, parcels, buildings, facilities, facts)
    validate(campus)
    return campus


def rebuilt(
    campus: Campus,
    *,
    zones: Iterable[Zone] | None = None,
    parcels: Iterable[Parcel] | None = None,
    buildings: Iterable[Building] | None = None,
) -> Campus:
    """``campus`` with the zones, parcels or buildings given instead of its own (its origin,
    facilities and facts kept), once every invariant holds (else :class:`DatasetError`)."""
    return build_campus(
        campus.origin,
        list(campus.zones.values() if zones is None else zones),
        list(campus.parcels.values() if parcels is None else parcels),
        list(campus.buildings.values() if buildings is None else buildings),
        list(campus.facilities.values()),
        list(campus.facts.values()),
    )
